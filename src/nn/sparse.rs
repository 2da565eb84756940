//! Index lists of the kept weights of a masked `rows × cols` weight matrix, so the dense layer can
//! skip pruned work once its weights are sparse enough (convolutions keep their own tap lists and
//! choose per step: see `conv2d`).
//!
//! Layout (CSR without values): the kept columns of row `r` are `columns[starts[r]..starts[r + 1]]`,
//! ascending. Values are read from the dense weight tensor (pruned entries there are exactly 0), so the
//! lists only change when the mask changes: they are rebuilt lazily when `Param::mask_version` moves.

use super::param::Param;

/// Above this fraction of pruned weights the dense layer switches to the index-list kernels. Measured
/// (when convolutions shared this switch) with `examples/train_probe.rs` (training samples/s, one
/// thread, batch 32, random masks): natively the
/// blocked matrix multiply wins below ~70% (at 50%: 12,300 vs 9,600 samples/s on the default
/// network), the index lists above (at 75%: 16,700 vs 13,600 on the reference network).
#[cfg(not(target_arch = "wasm32"))]
pub const SPARSE_THRESHOLD: f64 = 0.7;
/// In WebAssembly the dense kernels are slower (4-wide SIMD, no FMA), so skipping pays off sooner:
/// under Node, at 50% the index lists train 8,300 vs 3,700 samples/s (default network), and even
/// at 0% they are close (4,800 vs 3,900; reference 3,600 vs 5,200).
#[cfg(target_arch = "wasm32")]
pub const SPARSE_THRESHOLD: f64 = 0.25;

#[derive(Clone, Debug, Default)]
pub struct SparseRows {
    version: Option<u64>,
    sparse: bool,
    pub starts: Vec<u32>,
    pub columns: Vec<u32>,
}

impl SparseRows {
    /// Rebuilds the lists if the mask changed; returns whether the sparse kernels should be used.
    pub fn refresh(&mut self, weight: &Param, rows: usize, cols: usize) -> bool {
        if self.version == Some(weight.mask_version()) {
            return self.sparse;
        }
        self.version = Some(weight.mask_version());
        self.sparse = weight.sparsity() >= SPARSE_THRESHOLD;
        self.starts.clear();
        self.columns.clear();
        if let (true, Some(mask)) = (self.sparse, weight.mask()) {
            self.starts.push(0);
            for row in mask.chunks_exact(cols).take(rows) {
                self.columns.extend(
                    row.iter()
                        .enumerate()
                        .filter(|(_, &kept)| kept)
                        .map(|(c, _)| c as u32),
                );
                self.starts.push(self.columns.len() as u32);
            }
        }
        self.sparse
    }

    /// Kept columns of `row`.
    pub fn row(&self, row: usize) -> &[u32] {
        &self.columns[self.starts[row] as usize..self.starts[row + 1] as usize]
    }
}

/// `y += alpha · x`, written to auto-vectorise.
#[inline]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (out, &value) in y.iter_mut().zip(x) {
        *out += alpha * value;
    }
}

/// `Σ a·b` with eight independent partial sums (so it vectorises without reassociating a single sum).
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut partial = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            partial[i] += x[i] * y[i];
        }
    }
    partial.iter().sum::<f32>() + tail
}
