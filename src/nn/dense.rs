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

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::gemm::{gemm, Op};
use super::param::Param;

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
        for row in y.chunks_exact_mut(self.outputs) {
            row.copy_from_slice(&self.bias.value);
        }
        gemm(
            Op::Plain,
            Op::Transposed,
            batch,
            self.outputs,
            self.inputs,
            x,
            &self.weight.value,
            1.0,
            y,
        );
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
        let x = if self.dropout_scale.is_empty() {
            &input[..len]
        } else {
            &self.dropped_input[..len]
        };
        gemm(
            Op::Transposed,
            Op::Plain,
            self.outputs,
            self.inputs,
            batch,
            dy,
            x,
            1.0,
            &mut self.weight.grad,
        );
        for row in dy.chunks_exact(self.outputs) {
            for (g, d) in self.bias.grad.iter_mut().zip(row) {
                *g += d;
            }
        }
        if let Some(dx) = grad_input {
            let dx = &mut dx[..len];
            gemm(
                Op::Plain,
                Op::Plain,
                batch,
                self.inputs,
                self.outputs,
                dy,
                &self.weight.value,
                0.0,
                dx,
            );
            if !self.dropout_scale.is_empty() {
                for (d, s) in dx.iter_mut().zip(&self.dropout_scale) {
                    *d *= s;
                }
            }
        }
        self.weight.mask_grad();
    }
}
