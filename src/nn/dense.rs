//! Fully connected layer with optional inverted dropout on its input.
//!
//! Formula: `y[n,o] = b[o] + Σ_i W[o,i] · x̃[n,i]`, where `x̃ = x · d / (1 − rate)` with
//! `d ~ Bernoulli(1 − rate)` during training and `x̃ = x` otherwise.
//!
//! # Shapes
//! - input `x`: `[N, I]` (the previous activation flattened in (c, h, w) order), output `y`: `[N, O]`
//! - weight `W`: `[O, I]` (PyTorch layout), bias `[O]`
//!
//! Backward: `∂W += ∂yᵀ · x̃`, `∂b += Σ_n ∂y[n,·]`, `∂x = (∂y · W) ⊙ d / (1 − rate)`.
//!
//! Sparse path (above [`SPARSE_THRESHOLD`](super::sparse::SPARSE_THRESHOLD) pruned): the batch is
//! transposed to `x̃ᵀ` (`[I, N]`) so every kept weight is one contiguous update over the batch:
//! `yᵀ[o,·] += W[o,i]·x̃ᵀ[i,·]`, `∂W[o,i] += ∂yᵀ[o,·]·x̃ᵀ[i,·]`, `∂x̃ᵀ[i,·] += W[o,i]·∂yᵀ[o,·]`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::gemm::{gemm, Op};
use super::kernels::transpose_into;
use super::param::Param;
use super::sparse::{axpy, dot, SparseRows};

#[derive(Clone, Debug)]
pub struct Dense {
    pub inputs: usize,
    pub outputs: usize,
    pub weight: Param,
    pub bias: Param,
    /// Dropout scale per input value of the last training forward pass (0 or 1/(1 − rate)); empty when off.
    dropout_scale: Vec<f32>,
    /// The dropped-out input of the last forward pass (only used when dropout is on).
    dropped_input: Vec<f32>,
    /// Kept inputs per output unit, for the kernels that skip pruned weights.
    kept: SparseRows,
    /// Transposed input `[I, N]` and output/gradient `[O, N]` for the sparse path.
    input_t: Vec<f32>,
    output_t: Vec<f32>,
}

impl Dense {
    pub fn new(name: &str, inputs: usize, outputs: usize) -> Self {
        Dense {
            inputs,
            outputs,
            weight: Param::zeros(format!("{name}.weight"), vec![outputs, inputs], true),
            bias: Param::zeros(format!("{name}.bias"), vec![outputs], false),
            dropout_scale: Vec::new(),
            dropped_input: Vec::new(),
            kept: SparseRows::default(),
            input_t: Vec::new(),
            output_t: Vec::new(),
        }
    }

    /// Multiply-accumulates of one forward pass for one example with `kept` weights.
    pub fn forward_macs(&self, kept: usize) -> u64 {
        kept as u64
    }

    /// `dropout` is `Some((rate, rng))` during training with a positive rate.
    pub fn forward(
        &mut self,
        input: &[f32],
        output: &mut [f32],
        batch: usize,
        dropout: Option<(f32, &mut ChaCha8Rng)>,
    ) {
        let len = batch * self.inputs;
        let x: &[f32] = match dropout {
            Some((rate, rng)) if rate > 0.0 => {
                let keep_scale = 1.0 / (1.0 - rate);
                self.dropout_scale.resize(len, 0.0);
                self.dropped_input.resize(len, 0.0);
                for i in 0..len {
                    let scale = if rng.gen::<f32>() < rate {
                        0.0
                    } else {
                        keep_scale
                    };
                    self.dropout_scale[i] = scale;
                    self.dropped_input[i] = input[i] * scale;
                }
                &self.dropped_input[..len]
            }
            _ => {
                self.dropout_scale.clear();
                &input[..len]
            }
        };
        let y = &mut output[..batch * self.outputs];
        if self.kept.refresh(&self.weight, self.outputs, self.inputs) {
            transpose(x, batch, self.inputs, &mut self.input_t);
            self.output_t.resize(self.outputs * batch, 0.0);
            for o in 0..self.outputs {
                let y_o = &mut self.output_t[o * batch..(o + 1) * batch];
                y_o.fill(self.bias.value[o]);
                for &i in self.kept.row(o) {
                    let i = i as usize;
                    let w = self.weight.value[o * self.inputs + i];
                    axpy(w, &self.input_t[i * batch..(i + 1) * batch], y_o);
                }
            }
            transpose_into(&self.output_t, self.outputs, batch, y);
        } else {
            for row in y.chunks_exact_mut(self.outputs) {
                row.copy_from_slice(&self.bias.value);
            }
            let w = &self.weight.value;
            gemm(
                Op::Plain,
                Op::Transposed,
                batch,
                self.outputs,
                self.inputs,
                x,
                w,
                1.0,
                y,
            );
        }
    }

    /// Accumulates parameter gradients; writes `grad_input` when given. `input` is the forward input.
    pub fn backward(
        &mut self,
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let len = batch * self.inputs;
        let dy = &grad_output[..batch * self.outputs];
        for row in dy.chunks_exact(self.outputs) {
            for (g, d) in self.bias.grad.iter_mut().zip(row) {
                *g += d;
            }
        }
        let sparse = self.kept.refresh(&self.weight, self.outputs, self.inputs);
        if sparse {
            // input_t still holds x̃ᵀ from the forward pass.
            transpose(dy, batch, self.outputs, &mut self.output_t);
            for o in 0..self.outputs {
                let dy_o = &self.output_t[o * batch..(o + 1) * batch];
                for &i in self.kept.row(o) {
                    let i = i as usize;
                    let x_i = &self.input_t[i * batch..(i + 1) * batch];
                    self.weight.grad[o * self.inputs + i] += dot(dy_o, x_i);
                }
            }
        } else {
            let x = if self.dropout_scale.is_empty() {
                &input[..len]
            } else {
                &self.dropped_input[..len]
            };
            let dw = &mut self.weight.grad;
            gemm(
                Op::Transposed,
                Op::Plain,
                self.outputs,
                self.inputs,
                batch,
                dy,
                x,
                1.0,
                dw,
            );
        }
        self.weight.mask_grad();
        let Some(dx) = grad_input else {
            return;
        };
        let dx = &mut dx[..len];
        if sparse {
            // Reuse input_t as ∂x̃ᵀ: x̃ᵀ is not needed after the weight gradient.
            self.input_t.fill(0.0);
            for o in 0..self.outputs {
                let dy_o = &self.output_t[o * batch..(o + 1) * batch];
                for &i in self.kept.row(o) {
                    let i = i as usize;
                    let w = self.weight.value[o * self.inputs + i];
                    axpy(w, dy_o, &mut self.input_t[i * batch..(i + 1) * batch]);
                }
            }
            transpose_into(&self.input_t, self.inputs, batch, dx);
        } else {
            let w = &self.weight.value;
            gemm(
                Op::Plain,
                Op::Plain,
                batch,
                self.inputs,
                self.outputs,
                dy,
                w,
                0.0,
                dx,
            );
        }
        if !self.dropout_scale.is_empty() {
            for (d, s) in dx.iter_mut().zip(&self.dropout_scale) {
                *d *= s;
            }
        }
    }
}

/// Writes the `rows × cols` matrix `source` transposed into `target` (`cols × rows`), resizing it.
fn transpose(source: &[f32], rows: usize, cols: usize, target: &mut Vec<f32>) {
    target.resize(rows * cols, 0.0);
    transpose_into(source, rows, cols, target);
}
