//! 2-D convolution, valid padding, stride 1.
//!
//! Formula: `y[n,f,oy,ox] = b[f] + Σ_{c,i,j} W[f,c,i,j] · x[n,c,oy+i,ox+j]`.
//!
//! # Shapes
//! - input `x`: `[N, C, H, W]`, output `y`: `[N, F, OH, OW]` with `OH = H − K + 1`, `OW = W − K + 1`
//! - weight `W`: `[F, C, K, K]` (PyTorch layout), bias `[F]`
//!
//! Backward: `∂W[f,c,i,j] += Σ ∂y[f,oy,ox]·x[c,oy+i,ox+j]`, `∂b[f] += Σ ∂y[f,·]`,
//! `∂x[c,oy+i,ox+j] += Σ_f ∂y[f,oy,ox]·W[f,c,i,j]`.
//!
//! The products run in [`conv_kernels`](super::conv_kernels): a direct convolution over the kept
//! taps only (pruned weights cost nothing in forward), and a backward that visits only the nonzero
//! output gradients (after ReLU and max-pooling, a quarter or fewer). Forward keeps a padded copy of
//! every example of the batch for backward.
//!
//! Backward has a second form, over index lists of the kept weights: `∂W[f,k] += ∂y_f·x_k`,
//! `∂x_k += W[f,k]·∂y_f` on "wide" rows (below), whose work is proportional to the kept weights
//! instead of the nonzero gradients. Each step takes the form with less work, counted from the
//! mask and the gradients (sparse kernels win once few weights are left, or when the gradients
//! are dense).

use super::conv_kernels::{self, Blocks, Geometry, NonZeros, Taps};
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
    geometry: Geometry,
    blocks: Blocks,
    /// Kept taps of the current weights (rebuilt every forward pass: the weights change every step).
    taps: Taps,
    /// Padded copies of the last forward pass's examples (capacity × `geometry.stride()`).
    inputs: Vec<f32>,
    /// Nonzero output gradients of the batch in backward.
    nonzeros: NonZeros,
    /// Weights with kernel rows padded to whole vectors, for the input gradient.
    padded_weights: Vec<f32>,
    /// One example's input gradient, padded.
    grad_example: Vec<f32>,
    /// Kept kernel entries per filter, for the backward over kept weights.
    kept: SparseRows,
    /// One filter's output gradient on wide rows, for the backward over kept weights.
    wide: Vec<f32>,
}

impl Conv2d {
    pub fn new(name: &str, input: Shape, filters: usize, kernel: usize) -> Self {
        let output = Shape::new(filters, input.height - kernel + 1, input.width - kernel + 1);
        let geometry = Geometry {
            input,
            output,
            kernel,
        };
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
            geometry,
            blocks: Blocks::plan(&geometry),
            taps: Taps::default(),
            inputs: Vec::new(),
            nonzeros: NonZeros::default(),
            padded_weights: Vec::new(),
            grad_example: Vec::new(),
            kept: SparseRows::default(),
            wide: Vec::new(),
        }
    }

    /// Entries of one filter: C·K·K (the fan-in of one output).
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
        let stride = self.geometry.stride();
        if self.inputs.len() < capacity * stride {
            self.inputs.resize(capacity * stride, 0.0);
        }
        self.grad_example.resize(stride, 0.0);
    }

    /// `keep_for_backward`: keep every example for [`Conv2d::backward`]; inference passes `false`
    /// and reuses one buffer, which keeps the working set in cache.
    pub fn forward(
        &mut self,
        input: &[f32],
        output: &mut [f32],
        batch: usize,
        keep_for_backward: bool,
    ) {
        self.reserve(if keep_for_backward { batch } else { 1 });
        let (in_len, out_len, stride) =
            (self.input.len(), self.output.len(), self.geometry.stride());
        self.taps
            .rebuild(&self.geometry, &self.weight.value, self.weight.mask());
        for n in 0..batch {
            let slot = if keep_for_backward { n } else { 0 };
            let padded = &mut self.inputs[slot * stride..(slot + 1) * stride];
            conv_kernels::pad_example(&input[n * in_len..(n + 1) * in_len], padded);
            conv_kernels::forward(
                &self.geometry,
                &self.blocks,
                &self.taps,
                &self.bias.value,
                padded,
                &mut output[n * out_len..(n + 1) * out_len],
            );
        }
    }

    /// Accumulates parameter gradients; writes `grad_input` when given (the first layer skips it).
    /// `input` is the forward input; the forward pass must have kept it (`keep_for_backward`).
    pub fn backward(
        &mut self,
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let (filters, patch) = (self.output.channels, self.patch_len());
        self.kept.refresh_with(&self.weight, filters, patch, 0.0);
        let geometry = self.geometry;
        let dy = &grad_output[..batch * self.output.len()];
        // Counting is much cheaper than collecting the nonzeros, so count first.
        let nonzeros = dy.iter().map(|&g| usize::from(g != 0.0)).sum();
        if self.kept_weights_are_cheaper(batch, nonzeros) {
            self.sparse_backward(input, grad_output, grad_input, batch);
            return;
        }
        self.nonzeros.collect(&geometry, grad_output, batch);
        for f in 0..filters {
            self.bias.grad[f] += self.nonzeros.sum(f, filters, batch);
        }
        conv_kernels::weight_gradient(
            &geometry,
            &self.nonzeros,
            &self.inputs,
            batch,
            &mut self.weight.grad,
        );
        if let Some(dx) = grad_input {
            conv_kernels::pad_rows(&geometry, &self.weight.value, &mut self.padded_weights);
            let in_len = self.input.len();
            for n in 0..batch {
                conv_kernels::input_gradient(
                    &geometry,
                    &self.nonzeros,
                    &self.padded_weights,
                    n,
                    &mut self.grad_example,
                );
                dx[n * in_len..(n + 1) * in_len].copy_from_slice(&self.grad_example[..in_len]);
            }
        }
        self.weight.mask_grad();
    }
}

impl Conv2d {
    /// Whether backward over the kept weights does fewer multiply-adds (vector lanes) than backward
    /// over the nonzero gradients: `batch · kept · wide_span` against `nonzeros · C · K · 4⌈K/4⌉`
    /// (each nonzero gradient touches C·K kernel rows of ⌈K/4⌉ vectors).
    fn kept_weights_are_cheaper(&self, batch: usize, nonzeros: usize) -> bool {
        if self.weight.mask().is_none() {
            return false; // no index lists without a mask
        }
        let kept = self.weight.kept();
        let rows = self.input.channels * self.kernel;
        let over_kept = batch * kept * self.wide_span();
        let over_nonzeros = nonzeros * rows * 4 * self.kernel.div_ceil(4);
        over_kept < over_nonzeros
    }

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
