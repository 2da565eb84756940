//! 2-D convolution, valid padding, stride 1, by im2col + matrix multiply.
//!
//! Formula: `y[n,f,oy,ox] = b[f] + Σ_{c,i,j} W[f,c,i,j] · x[n,c,oy+i,ox+j]`.
//!
//! # Shapes
//! - input `x`: `[N, C, H, W]`, output `y`: `[N, F, OH, OW]` with `OH = H − K + 1`, `OW = W − K + 1`
//! - weight `W`: `[F, C, K, K]` (PyTorch layout), seen as an `F × (C·K·K)` matrix; bias `[F]`
//! - per example, `cols`: `(C·K·K) × (OH·OW)`, row `(c·K + i)·K + j`, column `oy·OW + ox`,
//!   so that `y_n = W · cols_n` (F × OH·OW) lands directly in NCHW order.
//!
//! Backward: `∂W += ∂y_n · cols_nᵀ`, `∂b[f] += Σ ∂y_n[f,·]`, `∂cols_n = Wᵀ · ∂y_n` scattered back to `∂x` (col2im).
//! The `cols` of every example are kept from forward to backward (preallocated for the batch capacity).
//!
//! Sparse path: once the kernel is sparse enough ([`SPARSE_THRESHOLD`](super::sparse::SPARSE_THRESHOLD)),
//! the products run over the kept entries only: `y_n[f,·] += W[f,k]·cols_n[k,·]`,
//! `∂W[f,k] += ∂y_n[f,·]·cols_n[k,·]`, `∂cols_n[k,·] += W[f,k]·∂y_n[f,·]` for kept `(f, k)`, so the
//! work is proportional to the kept weights.

use super::gemm::{gemm, Op};
use super::param::Param;
use super::sparse::{axpy, dot, sum, SparseRows};
use super::spec::Shape;

#[derive(Clone, Debug)]
pub struct Conv2d {
    pub input: Shape,
    pub output: Shape,
    pub kernel: usize,
    pub weight: Param,
    pub bias: Param,
    /// im2col buffers of the last forward pass: capacity × (C·K·K) × (OH·OW).
    cols: Vec<f32>,
    /// Gradient of one example's `cols` during backward.
    grad_cols: Vec<f32>,
    /// Kept kernel entries per filter, for the kernels that skip pruned weights.
    kept: SparseRows,
    /// One filter's output (or output gradient) on wide rows, for the sparse kernels.
    wide: Vec<f32>,
}

impl Conv2d {
    pub fn new(name: &str, input: Shape, filters: usize, kernel: usize) -> Self {
        let output = Shape::new(filters, input.height - kernel + 1, input.width - kernel + 1);
        Conv2d {
            input,
            output,
            kernel,
            weight: Param::zeros(
                format!("{name}.weight"),
                vec![filters, input.channels, kernel, kernel],
                true,
            ),
            bias: Param::zeros(format!("{name}.bias"), vec![filters], false),
            cols: Vec::new(),
            grad_cols: Vec::new(),
            kept: SparseRows::default(),
            wide: Vec::new(),
        }
    }

    /// Rows of the im2col matrix: C·K·K (the fan-in of one output).
    pub fn patch_len(&self) -> usize {
        self.input.channels * self.kernel * self.kernel
    }

    fn positions(&self) -> usize {
        self.output.height * self.output.width
    }

    /// Multiply-accumulates of one forward pass for one example with `kept` of the kernel weights.
    pub fn forward_macs(&self, kept: usize) -> u64 {
        (kept * self.positions()) as u64
    }

    /// Grows the workspaces to hold `capacity` examples (no-op when already large enough).
    pub fn reserve(&mut self, capacity: usize) {
        let cols = capacity * self.patch_len() * self.positions();
        if self.cols.len() < cols {
            self.cols.resize(cols, 0.0);
        }
        self.grad_cols
            .resize(self.patch_len() * self.positions(), 0.0);
    }

    /// `keep_for_backward`: keep every example's im2col buffer for [`Conv2d::backward`]; inference
    /// passes `false` and reuses one buffer, which keeps the working set in cache.
    pub fn forward(
        &mut self,
        input: &[f32],
        output: &mut [f32],
        batch: usize,
        keep_for_backward: bool,
    ) {
        self.reserve(if keep_for_backward { batch } else { 1 });
        let (in_len, out_len) = (self.input.len(), self.output.len());
        let (k_len, p_len) = (self.patch_len(), self.positions());
        let filters = self.output.channels;
        let sparse = self.kept.refresh(&self.weight, filters, k_len);
        for n in 0..batch {
            let x = &input[n * in_len..(n + 1) * in_len];
            let y = &mut output[n * out_len..(n + 1) * out_len];
            for f in 0..filters {
                y[f * p_len..(f + 1) * p_len].fill(self.bias.value[f]);
            }
            if sparse {
                let (span, width, ow) = (self.wide_span(), self.input.width, self.output.width);
                self.wide.resize(span, 0.0);
                for f in 0..filters {
                    self.wide.fill(0.0);
                    for &k in self.kept.row(f) {
                        let w = self.weight.value[f * k_len + k as usize];
                        let start = self.patch_start(k as usize);
                        axpy(w, &x[start..start + span], &mut self.wide);
                    }
                    let y_f = &mut y[f * p_len..(f + 1) * p_len];
                    for (oy, y_row) in y_f.chunks_exact_mut(ow).enumerate() {
                        for (out, &v) in y_row
                            .iter_mut()
                            .zip(&self.wide[oy * width..oy * width + ow])
                        {
                            *out += v;
                        }
                    }
                }
            } else {
                let slot = if keep_for_backward { n } else { 0 };
                let cols = &mut self.cols[slot * k_len * p_len..(slot + 1) * k_len * p_len];
                im2col(x, self.input, self.kernel, self.output, cols);
                let w = &self.weight.value;
                gemm(Op::Plain, Op::Plain, filters, p_len, k_len, w, cols, 1.0, y);
            }
        }
    }

    /// Accumulates parameter gradients; writes `grad_input` when given (the first layer skips it).
    /// `input` is the forward input (the sparse path reads it directly instead of im2col buffers).
    pub fn backward(
        &mut self,
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        if self
            .kept
            .refresh(&self.weight, self.output.channels, self.patch_len())
        {
            self.sparse_backward(input, grad_output, grad_input, batch);
            return;
        }
        let (in_len, out_len) = (self.input.len(), self.output.len());
        let (k_len, p_len) = (self.patch_len(), self.positions());
        let filters = self.output.channels;
        let mut grad_input = grad_input;
        for n in 0..batch {
            let cols = &self.cols[n * k_len * p_len..(n + 1) * k_len * p_len];
            let dy = &grad_output[n * out_len..(n + 1) * out_len];
            for f in 0..filters {
                self.bias.grad[f] += sum(&dy[f * p_len..(f + 1) * p_len]);
            }
            let dw = &mut self.weight.grad;
            gemm(
                Op::Plain,
                Op::Transposed,
                filters,
                k_len,
                p_len,
                dy,
                cols,
                1.0,
                dw,
            );
            let Some(dx) = grad_input.as_deref_mut() else {
                continue;
            };
            let (w, dcols) = (&self.weight.value, &mut self.grad_cols);
            gemm(
                Op::Transposed,
                Op::Plain,
                k_len,
                p_len,
                filters,
                w,
                dy,
                0.0,
                dcols,
            );
            let dx = &mut dx[n * in_len..(n + 1) * in_len];
            col2im(&self.grad_cols, self.input, self.kernel, self.output, dx);
        }
        self.weight.mask_grad();
    }
}

impl Conv2d {
    /// Offset in one example's input of the value that kernel entry `k = (c·K + i)·K + j` multiplies
    /// for output (0, 0).
    fn patch_start(&self, k: usize) -> usize {
        let kernel = self.kernel;
        let (c, i, j) = (k / (kernel * kernel), (k / kernel) % kernel, k % kernel);
        (c * self.input.height + i) * self.input.width + j
    }

    /// Length of the "wide" output rows used by the sparse kernels: the output computed at every input
    /// column (`OH × W`, less the K − 1 columns past the last row), so that each kept weight is one
    /// contiguous update `wide[p] += w · x[start + p]`. The extra columns are discarded (forward) or
    /// held at zero (backward); they cost W/OW more arithmetic (1.2× here) for far better vectorising.
    fn wide_span(&self) -> usize {
        (self.output.height - 1) * self.input.width + self.output.width
    }

    /// Backward over the kept weights only, reading the input directly (no im2col/col2im), on wide rows:
    /// `∂W[f,k] += Σ_p ∂wide[p]·x[start_k + p]`, `∂x[start_k + p] += W[f,k]·∂wide[p]`.
    fn sparse_backward(
        &mut self,
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let (in_len, out_len) = (self.input.len(), self.output.len());
        let (k_len, p_len, ow, width) = (
            self.patch_len(),
            self.positions(),
            self.output.width,
            self.input.width,
        );
        let span = self.wide_span();
        let filters = self.output.channels;
        self.wide.clear();
        self.wide.resize(span, 0.0);
        let mut grad_input = grad_input;
        for n in 0..batch {
            let x = &input[n * in_len..(n + 1) * in_len];
            let dy = &grad_output[n * out_len..(n + 1) * out_len];
            let mut dx = grad_input
                .as_deref_mut()
                .map(|dx| &mut dx[n * in_len..(n + 1) * in_len]);
            if let Some(dx) = dx.as_deref_mut() {
                dx.fill(0.0);
            }
            for f in 0..filters {
                let dy_f = &dy[f * p_len..(f + 1) * p_len];
                self.bias.grad[f] += sum(dy_f);
                // Spread ∂y onto the wide rows; the columns between rows stay 0.
                for (oy, dy_row) in dy_f.chunks_exact(ow).enumerate() {
                    self.wide[oy * width..oy * width + ow].copy_from_slice(dy_row);
                }
                for &k in self.kept.row(f) {
                    let k = k as usize;
                    let start = self.patch_start(k);
                    self.weight.grad[f * k_len + k] += dot(&self.wide, &x[start..start + span]);
                    if let Some(dx) = dx.as_deref_mut() {
                        axpy(
                            self.weight.value[f * k_len + k],
                            &self.wide,
                            &mut dx[start..start + span],
                        );
                    }
                }
            }
        }
        self.weight.mask_grad();
    }
}

/// Copies every K×K patch of one example into a column of `cols` (see the module doc for the layout).
fn im2col(x: &[f32], input: Shape, kernel: usize, output: Shape, cols: &mut [f32]) {
    let (oh, ow) = (output.height, output.width);
    let mut row = 0;
    for c in 0..input.channels {
        let plane = &x[c * input.height * input.width..(c + 1) * input.height * input.width];
        for i in 0..kernel {
            for j in 0..kernel {
                let dst = &mut cols[row * oh * ow..(row + 1) * oh * ow];
                for oy in 0..oh {
                    let src = &plane[(oy + i) * input.width + j..(oy + i) * input.width + j + ow];
                    dst[oy * ow..(oy + 1) * ow].copy_from_slice(src);
                }
                row += 1;
            }
        }
    }
}

/// The adjoint of [`im2col`]: adds every column back onto the patch it came from.
fn col2im(cols: &[f32], input: Shape, kernel: usize, output: Shape, dx: &mut [f32]) {
    let (oh, ow) = (output.height, output.width);
    dx.fill(0.0);
    let mut row = 0;
    for c in 0..input.channels {
        let plane = &mut dx[c * input.height * input.width..(c + 1) * input.height * input.width];
        for i in 0..kernel {
            for j in 0..kernel {
                let src = &cols[row * oh * ow..(row + 1) * oh * ow];
                for oy in 0..oh {
                    let dst =
                        &mut plane[(oy + i) * input.width + j..(oy + i) * input.width + j + ow];
                    for (d, s) in dst.iter_mut().zip(&src[oy * ow..(oy + 1) * ow]) {
                        *d += s;
                    }
                }
                row += 1;
            }
        }
    }
}
