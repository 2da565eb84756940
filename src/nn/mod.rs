//! The neural network: layer specs, layers (one file each, forward and backward together),
//! the network with its preallocated buffers, loss, optimisers and initialisation.

pub mod compact;
pub mod conv2d;
mod conv_kernels;
pub mod dense;
pub mod gemm;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod gemm_blocked;
pub mod loss;
pub mod max_pool;
pub mod network;
pub mod optimizer;
pub mod param;
pub mod relu;
mod simd;
pub mod sparse;
pub mod spec;
mod winograd;

pub use compact::{compact, Compacted, KeptUnits};
pub use network::{Layer, Network};
pub use optimizer::{Optimizer, OptimizerKind};
pub use param::Param;
pub use spec::{ArchSpec, LayerSpec, Shape};
