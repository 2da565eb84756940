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
//! The products run in [`kernels::conv`](super::kernels::conv): a direct convolution over the kept
//! taps only (pruned weights cost nothing in forward), and a backward that visits only the nonzero
//! output gradients (after ReLU and max-pooling, a quarter or fewer). Both read the examples in
//! place, and backward writes the input gradient in place; only the batch's last example goes
//! through a padded copy (see [`Examples`]). 3×3 layers with most weights kept run forward as
//! Winograd F(2×2, 3×3) instead ([`kernels::winograd`](super::kernels::winograd)): fewer products than the dense
//! direct kernel, the same function within float rounding (pruned weights are 0 either way).
//!
//! Backward runs in rounds of a few examples: it collects a round's nonzero output gradients, then
//! computes the round's gradients from them while they are in cache. It has two forms, and each
//! round takes the one with less work, counted from the mask and the nonzero gradients: a kernel
//! row (vectors) per nonzero gradient, whose work does not depend on the mask; or one pass per kept
//! tap over the nonzero gradients (weight and input gradient together), which wins once few
//! weights are left.

use std::ops::Range;

use super::kernels::conv::{self as conv_kernels, Blocks, Examples, Geometry, NonZeros, Taps};
use super::kernels::winograd::Winograd;
use super::param::Param;
use super::spec::Shape;

/// 3×3 layers run forward as Winograd F(2×2, 3×3) while at least this fraction of their weights
/// is kept. Measured with examples/winograd_probe.rs on the default network's 3×3 layer (batch 32,
/// AMD EPYC 2.6 GHz, 2026-11-29): Winograd takes 229 µs as wasm under Node and 233 µs natively
/// whatever the sparsity; the direct kernel takes 471 / 427 µs dense, 266 / 228 µs at 50% pruned,
/// 245 / 209 µs at 55% and 225 / 189 µs at 60%. The crossover is at about 58% pruned in wasm and
/// 49% natively; 0.5 keeps most of the browser's gain and costs the native build at most 2%.
pub const WINOGRAD_MIN_KEPT: f64 = 0.5;

#[derive(Clone, Debug)]
pub struct Conv2d {
    pub input: Shape,
    pub output: Shape,
    pub kernel: usize,
    pub weight: Param,
    pub bias: Param,
    blocks: Blocks,
    /// Kept taps: positions rebuilt when the mask changes, weights refreshed every forward pass.
    taps: Taps,
    /// Padded copies of the examples that are not read in place (usually the batch's last).
    tail: Vec<f32>,
    /// Nonzero output gradients of the batch in backward.
    nonzeros: NonZeros,
    /// Weights with kernel rows padded to whole vectors, for the input gradient.
    padded_weights: Vec<f32>,
    /// The input gradient of an example that is not written in place, padded.
    grad_example: Vec<f32>,
    /// One example's output, for [`Conv2d::forward_each`].
    example_output: Vec<f32>,
    /// Forward of 3×3 layers while most weights are kept (`None` for other kernel sizes).
    winograd: Option<Winograd>,
    /// Kept fraction from which forward takes the Winograd path ([`WINOGRAD_MIN_KEPT`]; tests and
    /// probes set 0 to force it, or more than 1 to force the direct kernel).
    pub winograd_min_kept: f64,
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
            blocks: Blocks::plan(&geometry),
            taps: Taps::default(),
            tail: Vec::new(),
            nonzeros: NonZeros::default(),
            padded_weights: Vec::new(),
            grad_example: Vec::new(),
            example_output: Vec::new(),
            winograd: (kernel == 3).then(|| Winograd::new(input, output)),
            winograd_min_kept: WINOGRAD_MIN_KEPT,
        }
    }

    /// The shapes the kernels work on.
    fn geometry(&self) -> Geometry {
        Geometry {
            input: self.input,
            output: self.output,
            kernel: self.kernel,
        }
    }

    /// Entries of one filter: C·K·K (the fan-in of one output).
    pub fn patch_len(&self) -> usize {
        self.geometry().patch_len()
    }

    /// Multiply-accumulates of one forward pass for one example with `kept` of the kernel weights.
    pub fn forward_macs(&self, kept: usize) -> u64 {
        (kept * self.geometry().output_plane()) as u64
    }

    /// Runs `batch` examples (`input`: `[N, C, H, W]`, `output`: `[N, F, OH, OW]`).
    pub fn forward(&mut self, input: &[f32], output: &mut [f32], batch: usize) {
        let out_len = self.output.len();
        // Through the one-example buffer (a copy per example): only convolutions outside a conv
        // stage, and tests, come here.
        self.forward_each(input, batch, |n, y| {
            output[n * out_len..(n + 1) * out_len].copy_from_slice(y);
        });
    }

    /// Runs `batch` examples one at a time into a one-example buffer and hands each output
    /// (`[F, OH, OW]`) to `consume` with its index while it is still in cache: the conv stage pools
    /// it straight away, and the batch's convolution outputs are never stored.
    pub fn forward_each(
        &mut self,
        input: &[f32],
        batch: usize,
        mut consume: impl FnMut(usize, &[f32]),
    ) {
        let geometry = self.geometry();
        self.taps.refresh(&geometry, &self.weight);
        let use_winograd = self.winograd_is_cheaper();
        let mut winograd = self.winograd.as_mut().filter(|_| use_winograd);
        if let Some(winograd) = winograd.as_mut() {
            // The weights change every training step: transform them for every batch.
            winograd.prepare(&self.weight.value, &self.bias.value);
        }
        let examples = Examples::pad(&geometry, input, batch, &mut self.tail);
        let mut y = std::mem::take(&mut self.example_output);
        y.resize(self.output.len(), 0.0);
        for n in 0..batch {
            match winograd.as_mut() {
                Some(winograd) => winograd.forward(examples.get(n), &mut y),
                None => {
                    let (blocks, taps, bias) = (&self.blocks, &self.taps, &self.bias.value);
                    conv_kernels::forward(&geometry, blocks, taps, bias, examples.get(n), &mut y);
                }
            }
            consume(n, &y);
        }
        self.example_output = y;
    }

    /// Accumulates parameter gradients; writes `grad_input` when given (the first layer skips it).
    /// `input` is the forward pass's.
    pub fn backward(
        &mut self,
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let geometry = self.geometry();
        let out_len = self.output.len();
        self.backward_rounds(input, grad_input, batch, |nonzeros, examples| {
            let dy = &grad_output[examples.start * out_len..examples.end * out_len];
            nonzeros.collect(&geometry, dy, examples.len());
        });
    }

    /// Backward through this layer, a ReLU and a max-pooling in one pass: the output gradient is
    /// read straight from the pooled gradient at the recorded maxima (see
    /// [`NonZeros::collect_pooled`]), without writing the dense gradients of the pooling and the
    /// ReLU. `input` is the forward pass's; `maxima` the pooling's, recorded on this layer's input
    /// grid (`Maxima::OnGrid(input width)`); `pooled` the stage's output after the ReLU, where the
    /// gradient passes if positive; `pooled_grad` its gradient (both `[N, F, PH, PW]` with `shape`).
    #[allow(clippy::too_many_arguments)]
    pub fn backward_pooled(
        &mut self,
        input: &[f32],
        maxima: &[u32],
        pooled: &[f32],
        pooled_grad: &[f32],
        shape: Shape,
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let geometry = self.geometry();
        let (pooled_len, pooled_plane) = (shape.len(), shape.height * shape.width);
        self.backward_rounds(input, grad_input, batch, |nonzeros, examples| {
            let range = examples.start * pooled_len..examples.end * pooled_len;
            let (maxima, values) = (&maxima[range.clone()], &pooled[range.clone()]);
            let grads = &pooled_grad[range];
            nonzeros.collect_pooled(
                &geometry,
                maxima,
                grads,
                values,
                pooled_plane,
                examples.len(),
            );
        });
    }

    /// Backward a round of [`ROUND`] examples at a time: `collect` gathers the round's nonzero
    /// output gradients, and the round's gradients are computed from them while they are in cache.
    fn backward_rounds(
        &mut self,
        input: &[f32],
        mut grad_input: Option<&mut [f32]>,
        batch: usize,
        mut collect: impl FnMut(&mut NonZeros, Range<usize>),
    ) {
        let (geometry, in_len) = (self.geometry(), self.input.len());
        // The row form's padded weights, built by the first round that takes it (none when sparse).
        let mut rows_padded = false;
        let examples = Examples::pad(&geometry, input, batch, &mut self.tail);
        if let Some(dx) = grad_input.as_deref_mut() {
            dx[..batch * in_len].fill(0.0);
        }
        let filters = self.output.channels;
        for first in (0..batch).step_by(ROUND) {
            let round = first..(first + ROUND).min(batch);
            let nonzeros = &mut self.nonzeros;
            collect(nonzeros, round.clone());
            for f in 0..filters {
                self.bias.grad[f] += nonzeros.sum(f, filters, round.len());
            }
            if kept_taps_are_cheaper(&geometry, &self.taps, nonzeros, round.len()) {
                for (local, n) in round.enumerate() {
                    conv_kernels::kept_tap_gradients(
                        &geometry,
                        &self.taps,
                        nonzeros,
                        local,
                        examples.get(n),
                        &mut self.weight.grad,
                        grad_input
                            .as_deref_mut()
                            .map(|dx| &mut dx[n * in_len..(n + 1) * in_len]),
                    );
                }
            } else {
                let grad = &mut self.weight.grad;
                conv_kernels::weight_gradient(&geometry, nonzeros, &examples, round.clone(), grad);
                if let Some(dx) = grad_input.as_deref_mut() {
                    if !rows_padded {
                        let weights = &self.weight.value;
                        conv_kernels::pad_rows(&geometry, weights, &mut self.padded_weights);
                        rows_padded = true;
                    }
                    let padded_weights = &self.padded_weights;
                    row_input_gradient(
                        &geometry,
                        nonzeros,
                        padded_weights,
                        dx,
                        round,
                        batch,
                        &mut self.grad_example,
                    );
                }
            }
        }
        self.weight.mask_grad();
    }
}

/// Examples per round of backward (see [`Conv2d::backward_rounds`]). A whole batch's nonzero lists
/// (about 370 KB for the default network's first layer at batch 32) were written and read back
/// through L2 and L3; a round's stay in L1 and L2, and the lists take a round's memory, not a
/// batch's. Measured with examples/bench_probe.rs: about 1% faster at 90% sparsity, the same dense.
const ROUND: usize = 4;

/// The input gradient a kernel row per nonzero gradient (vectors), for the batch's examples `round`
/// into `dx` (zeroed): in place where the batch's next example can take the row ends' spill of
/// zeros, else through a padded copy (`grad_example`).
fn row_input_gradient(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    padded_weights: &[f32],
    dx: &mut [f32],
    round: Range<usize>,
    batch: usize,
    grad_example: &mut Vec<f32>,
) {
    let in_len = geometry.input.len();
    let in_place = Examples::in_place(in_len, batch);
    grad_example.resize(geometry.stride(), 0.0);
    for (local, n) in round.enumerate() {
        let target = if n < in_place {
            &mut dx[n * in_len..]
        } else {
            grad_example.fill(0.0);
            &mut grad_example[..]
        };
        conv_kernels::input_gradient(geometry, nonzeros, padded_weights, local, target);
        if n >= in_place {
            dx[n * in_len..(n + 1) * in_len].copy_from_slice(&grad_example[..in_len]);
        }
    }
}

/// Whether the pairs (kept tap, nonzero gradient) of the `count` examples collected are fewer than
/// the vector products of the row form: `Σ_f kept_f · nonzeros_f` against `nonzeros · C · K ·
/// ⌈K/4⌉` (each nonzero gradient touches C·K kernel rows of ⌈K/4⌉ vectors). A scalar pair costs
/// about what one vector product does (a gather, a multiply and an add).
fn kept_taps_are_cheaper(
    geometry: &Geometry,
    taps: &Taps,
    nonzeros: &NonZeros,
    count: usize,
) -> bool {
    let filters = geometry.output.channels;
    let (mut pairs, mut total) = (0, 0);
    for f in 0..filters {
        let found = nonzeros.count(f, filters, count);
        pairs += taps.kept(f) * found;
        total += found;
    }
    let kernel = geometry.kernel;
    pairs < total * geometry.input.channels * kernel * kernel.div_ceil(4)
}

impl Conv2d {
    /// Whether forward takes the Winograd path: a 3×3 kernel with at least `winograd_min_kept` of
    /// its weights kept (Winograd's cost is fixed, the direct kernel's falls with the kept taps).
    fn winograd_is_cheaper(&self) -> bool {
        self.winograd.is_some()
            && self.weight.kept() as f64 >= self.winograd_min_kept * self.weight.len() as f64
    }
}
