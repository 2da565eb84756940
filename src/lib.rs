//! PruneLab: a neural-network pruning playground.
//!
//! # Conventions
//! - Tensors are `f32`, activations are NCHW (batch, channels, height, width), flattened row-major.
//! - Weight layouts follow PyTorch: conv kernels `[out, in, kh, kw]`, dense weights `[out, in]`.
//! - A mask has the shape of its weight tensor; 1.0 keeps a weight, 0.0 prunes it. A pruned weight is
//!   exactly `0.0`, receives no gradient and no optimiser update.
//! - "Sparsity" is the fraction of prunable weights (conv kernels and dense weights) that are zero by mask.
//! - All randomness comes from seeded ChaCha generators; the core never reads a clock.
//!
//! The core (`data`, `nn`, `train`, `io`, `charts`) has no browser types; `web` is the wasm32 facade.

// `unsafe` is allowed in one place, `nn::kernels` (SIMD, convolution and Winograd kernels,
// transposes, a prefetch); every other module forbids it.
#[forbid(unsafe_code)]
pub mod charts;
#[forbid(unsafe_code)]
pub mod data;
#[forbid(unsafe_code)]
pub mod error;
#[forbid(unsafe_code)]
pub mod i18n;
#[forbid(unsafe_code)]
pub mod io;
#[forbid(unsafe_code)]
pub mod metrics;
#[forbid(unsafe_code)]
pub mod names;
pub mod nn;
#[forbid(unsafe_code)]
pub mod prune;
#[forbid(unsafe_code)]
pub mod run;
#[forbid(unsafe_code)]
pub mod train;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
#[forbid(unsafe_code)]
pub mod web;
