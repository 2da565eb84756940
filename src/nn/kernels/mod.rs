//! The kernels: the only code in the crate allowed to be `unsafe` (every other module is compiled
//! with `forbid(unsafe_code)`). Each unsafe block states why its pointers stay in bounds; the safe
//! functions here check their slices once per call, not once per lane.
//!
//! - [`simd`]: the 4-lane f32 vector (wasm SIMD128, SSE, or plain arrays).
//! - [`conv`]: direct convolution forward and backward over kept taps and nonzero gradients.
//! - [`winograd`]: the F(2×2, 3×3) forward of 3×3 layers with most weights kept.
//! - [`transpose`]: 4×4 register-block transposes for the dense layer.
//! - [`prefetch`]: a cache hint for the next batch's images.

pub(crate) mod conv;
mod prefetch;
pub(crate) mod simd;
mod transpose;
pub(crate) mod winograd;

pub use prefetch::prefetch;
pub(crate) use transpose::transpose_into;
