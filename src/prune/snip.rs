//! SNIP, single-shot connection sensitivity (Lee, Ajanthan & Torr, "SNIP: Single-shot Network
//! Pruning based on Connection Sensitivity", ICLR 2019).
//!
//! # Formula
//! Each weight gets a gate `c` (`w → c·w`, `c = 1`); the sensitivity of the loss to the gate is
//! `∂L/∂c = w · ∂L/∂w`. On ONE mini-batch (the first `batch_size` of `context.training_indices`):
//!
//! `s(w) = |w · ∂L/∂w| / Σ_{all prunable w'} |w' · ∂L/∂w'|`,
//!
//! so the scores of all prunable tensors together sum to 1 (the paper's normalisation; it does not
//! change the order, only makes the numbers comparable between networks). If every product is 0
//! (e.g. all weights pruned) the scores are all 0. Pruned weights score 0.
//!
//! The paper scores the freshly initialised network once, before training; here the rule scores
//! whatever weights the network holds when it is called.

use super::batch_gradients::average_gradients;
use super::taylor::weight_times_gradient;
use super::ScoreContext;
use crate::nn::Network;
use crate::Result;

/// Normalised `|w · ∂L/∂w|` on one batch, for every entry of every prunable tensor.
pub fn scores(network: &mut Network, context: &ScoreContext<'_>) -> Result<Vec<Vec<f32>>> {
    let gradients = average_gradients(network, context, 1)?;
    let mut scores = weight_times_gradient(network, &gradients);
    // Sum in f64: a network has thousands of small terms.
    let total: f64 = scores.iter().flatten().map(|&s| s as f64).sum();
    if total > 0.0 {
        for s in scores.iter_mut().flatten() {
            *s = (*s as f64 / total) as f32;
        }
    }
    Ok(scores)
}
