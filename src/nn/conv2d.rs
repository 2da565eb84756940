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
//! every example of the batch for backward. 3×3 layers with most weights kept run forward as
//! Winograd F(2×2, 3×3) instead ([`winograd`](super::winograd)): fewer products than the dense
//! direct kernel, the same function within float rounding (pruned weights are 0 either way).
//!
//! Backward has two forms, and each step takes the one with less work, counted from the mask and
//! the nonzero gradients: a kernel row (vectors) per nonzero gradient, whose work does not depend
//! on the mask; or one value per pair (kept tap, nonzero gradient), which wins once few weights
//! are left.

use super::conv_kernels::{self, Blocks, Geometry, NonZeros, Taps};
use super::param::Param;
use super::spec::Shape;
use super::winograd::Winograd;

/// 3×3 layers run forward as Winograd F(2×2, 3×3) while at least this fraction of their weights
/// is kept. Measured with examples/winograd_probe.rs on the default network's 3×3 layer (batch 32,
/// AMD EPYC 2.6 GHz, 2026-11-29): Winograd takes 229 µs as wasm under Node and 233 µs natively
/// whatever the sparsity; the direct kernel takes 471 / 427 µs dense, 266 / 228 µs at 50% pruned,
/// 245 / 209 µs at 55% and 225 / 189 µs at 60%. The crossover is at about 58% pruned in wasm and
/// 49% natively; 0.5 keeps most of the browser's gain and costs the native build at most 2%.
const WINOGRAD_MIN_KEPT: f64 = 0.5;

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
    /// Padded copies of the last forward pass's examples (capacity × `geometry.stride()`).
    inputs: Vec<f32>,
    /// Nonzero output gradients of the batch in backward.
    nonzeros: NonZeros,
    /// Weights with kernel rows padded to whole vectors, for the input gradient.
    padded_weights: Vec<f32>,
    /// One example's input gradient, padded.
    grad_example: Vec<f32>,
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
            inputs: Vec::new(),
            nonzeros: NonZeros::default(),
            padded_weights: Vec::new(),
            grad_example: Vec::new(),
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

    /// Grows the workspaces to hold `capacity` examples (no-op when already large enough).
    pub fn reserve(&mut self, capacity: usize) {
        let stride = self.geometry().stride();
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
        let geometry = self.geometry();
        let (in_len, out_len, stride) = (self.input.len(), self.output.len(), geometry.stride());
        self.taps.refresh(&geometry, &self.weight);
        let use_winograd = self.winograd_is_cheaper();
        let mut winograd = self.winograd.as_mut().filter(|_| use_winograd);
        if let Some(winograd) = winograd.as_mut() {
            // The weights change every training step: transform them for every batch.
            winograd.prepare(&self.weight.value, &self.bias.value);
        }
        for n in 0..batch {
            let slot = if keep_for_backward { n } else { 0 };
            let padded = &mut self.inputs[slot * stride..(slot + 1) * stride];
            let (x, y) = (
                &input[n * in_len..(n + 1) * in_len],
                &mut output[n * out_len..(n + 1) * out_len],
            );
            // Backward reads the padded copies; the Winograd path reads `x` itself.
            if keep_for_backward || winograd.is_none() {
                conv_kernels::pad_example(x, padded);
            }
            match winograd.as_mut() {
                Some(winograd) => winograd.forward(x, y),
                None => {
                    let bias = &self.bias.value;
                    conv_kernels::forward(&geometry, &self.blocks, &self.taps, bias, padded, y);
                }
            }
        }
    }

    /// Accumulates parameter gradients; writes `grad_input` when given (the first layer skips it).
    /// The forward pass must have kept its input (`keep_for_backward`).
    pub fn backward(&mut self, grad_output: &[f32], grad_input: Option<&mut [f32]>, batch: usize) {
        let geometry = self.geometry();
        self.nonzeros.collect(&geometry, grad_output, batch);
        self.backward_nonzeros(grad_input, batch);
    }

    /// Backward through this layer, a ReLU and a max-pooling in one pass: the output gradient is
    /// read straight from the pooled gradient at the recorded maxima (see
    /// [`NonZeros::collect_pooled`]), without writing the dense gradients of the pooling and the
    /// ReLU. `output` is this layer's forward output (`[N, F, OH, OW]`; the ReLU passes the
    /// gradient where it is positive).
    pub fn backward_pooled(
        &mut self,
        argmax: &[u32],
        pooled_grad: &[f32],
        output: &[f32],
        pooled: Shape,
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let geometry = self.geometry();
        let pooled_plane = pooled.height * pooled.width;
        self.nonzeros
            .collect_pooled(&geometry, argmax, pooled_grad, output, pooled_plane, batch);
        self.backward_nonzeros(grad_input, batch);
    }

    /// Backward from the collected nonzero output gradients.
    fn backward_nonzeros(&mut self, grad_input: Option<&mut [f32]>, batch: usize) {
        let filters = self.output.channels;
        for f in 0..filters {
            self.bias.grad[f] += self.nonzeros.sum(f, filters, batch);
        }
        if self.kept_taps_are_cheaper(batch) {
            self.kept_tap_backward(grad_input, batch);
        } else {
            self.row_backward(grad_input, batch);
        }
        self.weight.mask_grad();
    }

    /// Backward a kernel row per nonzero gradient (vectors): dense or moderately sparse kernels.
    fn row_backward(&mut self, grad_input: Option<&mut [f32]>, batch: usize) {
        let geometry = self.geometry();
        conv_kernels::weight_gradient(
            &geometry,
            &self.nonzeros,
            &self.inputs,
            batch,
            &mut self.weight.grad,
        );
        let Some(dx) = grad_input else {
            return;
        };
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

    /// Backward over pairs of a kept tap and a nonzero gradient: very sparse kernels.
    fn kept_tap_backward(&mut self, mut grad_input: Option<&mut [f32]>, batch: usize) {
        let geometry = self.geometry();
        let (in_len, stride) = (self.input.len(), geometry.stride());
        for n in 0..batch {
            let x = &self.inputs[n * stride..(n + 1) * stride];
            let dx = grad_input.is_some().then(|| {
                self.grad_example.fill(0.0);
                &mut self.grad_example[..]
            });
            conv_kernels::kept_tap_gradients(
                &geometry,
                &self.taps,
                &self.nonzeros,
                n,
                x,
                &mut self.weight.grad,
                dx,
            );
            if let Some(dx) = grad_input.as_deref_mut() {
                dx[n * in_len..(n + 1) * in_len].copy_from_slice(&self.grad_example[..in_len]);
            }
        }
    }
}

impl Conv2d {
    /// Whether forward takes the Winograd path: a 3×3 kernel with at least `winograd_min_kept` of
    /// its weights kept (Winograd's cost is fixed, the direct kernel's falls with the kept taps).
    fn winograd_is_cheaper(&self) -> bool {
        self.winograd.is_some()
            && self.weight.kept() as f64 >= self.winograd_min_kept * self.weight.len() as f64
    }

    /// Whether the pairs (kept tap, nonzero gradient) are fewer than the vector products of the
    /// row form: `Σ_f kept_f · nonzeros_f` against `nonzeros · C · K · ⌈K/4⌉` (each nonzero
    /// gradient touches C·K kernel rows of ⌈K/4⌉ vectors). A scalar pair costs about what one
    /// vector product does (a gather, a multiply and an add).
    fn kept_taps_are_cheaper(&self, batch: usize) -> bool {
        let filters = self.output.channels;
        let (mut pairs, mut nonzeros) = (0, 0);
        for f in 0..filters {
            let count = self.nonzeros.count(f, filters, batch);
            pairs += self.taps.kept(f) * count;
            nonzeros += count;
        }
        pairs < nonzeros * self.input.channels * self.kernel * self.kernel.div_ceil(4)
    }
}
