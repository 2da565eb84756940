//! Exchanging weights with NumPy and PyTorch users through `.npz` files.
//!
//! An `.npz` file is a zip archive of `.npy` arrays, one per tensor. A PyTorch user produces one with
//! `np.savez("w.npz", **{k: v.numpy() for k, v in model.state_dict().items()})` and reads ours with
//! `np.load("w.npz")`. Names follow `state_dict` (`conv1.weight` `[out, in, kh, kw]`, `fc1.bias`,
//! `conv1.weight_mask` with 1.0 keep / 0.0 pruned). The file formats know nothing about networks:
//! they move named, row-major (C order) f32 tensors; [`state_dict`] maps a network to and from them.
//!
//! - [`npz`]: the archive ([`write_npz`], [`read_npz`]) and its size limits.
//! - [`npy`]: a single array ([`write_npy`], [`read_npy`]): preamble, header, element types.
//! - `npy_header`: the strict parser for the header's Python dict literal.
//! - `zip_guards`: raw zip-structure checks the `zip` crate does not make (duplicate names, bogus counts).
//! - [`zip_files`]: a plain zip of named files (the page's charts as PNGs).
//! - [`state_dict`]: the network's parameters and masks as PyTorch-named tensors, and back.
//!
//! Everything works on byte slices (no files), so it runs in WebAssembly too, and every problem with
//! the input is an [`Error::Weights`](crate::Error::Weights) naming the entry or tensor, never a panic.
//!
//! # Why a hand-written `.npy` reader, not `ndarray-npy` or `npyz`
//! Both were tried (2026-12-03) against the hostile inputs of tests/npz_fuzz.rs, whose bound is
//! 256 KiB + 8 KiB per input byte of heap, and both fail it. Each reads the header into
//! `vec![0; header_len]` before checking that many bytes exist, so a 74-byte version-2 file
//! declaring a 4,294,967,040-byte header takes 4 GiB (ndarray-npy 0.10.0 and npyz 0.9.1). ndarray-npy's
//! `read_npy` then allocates the declared shape before reading data: `'<f4'` of shape (268435456,)
//! with 4 data bytes takes 1 GiB (its `view_npy` avoids that, but needs aligned data). npyz
//! multiplies the dimensions unchecked: shape (2^32, 2^32) panics with an overflow in debug builds
//! and wraps in release. Both also parse the header with a full Python-literal grammar
//! (`py_literal`: pest, num-bigint). The wasm size was no reason either way: the site only writes
//! `.npz`, so the reader is not in its wasm (measured: 946,760 bytes with ndarray-npy's reader
//! wired in, 946,783 without).

pub mod npy;
mod npy_header;
pub mod npz;
pub mod state_dict;
pub mod zip_files;
mod zip_guards;

pub use npy::{read_npy, write_npy};
pub use npz::{read_npz, write_npz, MAX_NPY_TOTAL_BYTES, MAX_NPZ_BYTES};

/// A named f32 tensor, row-major: `data.len()` equals the product of `shape` (1 for a scalar `[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTensor {
    /// The array's key, e.g. `conv1.weight` (stored as the entry `conv1.weight.npy`).
    pub name: String,
    /// Dimensions, outermost first, e.g. `[out, in, kh, kw]` for a conv kernel.
    pub shape: Vec<usize>,
    /// Values in C order (the last index varies fastest).
    pub data: Vec<f32>,
}
