//! The neural network: layer specs, layers (one file each, forward and backward together),
//! the network with its preallocated buffers, loss, optimisers and initialisation.

// Every module but `kernels` is compiled without `unsafe`.
#[forbid(unsafe_code)]
pub mod activations;
#[forbid(unsafe_code)]
pub mod compact;
#[forbid(unsafe_code)]
pub mod conv2d;
#[forbid(unsafe_code)]
pub mod dense;
#[forbid(unsafe_code)]
pub mod gemm;
#[forbid(unsafe_code)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod gemm_blocked;
pub(crate) mod kernels;
#[forbid(unsafe_code)]
pub mod loss;
#[forbid(unsafe_code)]
pub mod max_pool;
#[forbid(unsafe_code)]
pub mod network;
#[forbid(unsafe_code)]
pub mod optimizer;
#[forbid(unsafe_code)]
pub mod param;
#[forbid(unsafe_code)]
pub mod relu;
#[forbid(unsafe_code)]
pub mod sparse;
#[forbid(unsafe_code)]
pub mod spec;

pub use compact::{compact, Compacted, KeptUnits};
pub use network::{Layer, Network};
pub use optimizer::{Optimizer, OptimizerKind};
pub use param::Param;
pub use spec::{ArchSpec, LayerSpec, Shape};
