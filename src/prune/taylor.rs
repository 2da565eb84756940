//! First-order Taylor importance (Molchanov et al., "Pruning Convolutional Neural Networks for
//! Resource Efficient Inference", ICLR 2017; per-parameter form in Molchanov et al., "Importance
//! Estimation for Neural Network Pruning", CVPR 2019).
//!
//! # Formula
//! Setting `w` to 0 changes the loss by `ΔL ≈ ∂L/∂w · (0 − w)` to first order, so
//!
//! `score(w) = |w · ḡ|`, with `ḡ = (1/k) Σ_b ∂L_b/∂w` averaged over `k = context.batches`
//! mini-batches (see [`super::batch_gradients`]).
//!
//! For structured pruning, a unit's importance is the sum over its weights,
//! `score(o) = Σ_{w ∈ unit o} |w · ḡ|` ([`unit_sums`]); a unit is a conv filter (all of
//! `[o, :, :, :]`) or a dense row (`[o, :]`). Pruned weights score 0.

use super::batch_gradients::average_gradients;
use super::units::layouts;
use super::ScoreContext;
use crate::nn::Network;
use crate::Result;

/// `|w · ḡ|` for every entry of every prunable tensor.
pub fn scores(network: &mut Network, context: &ScoreContext<'_>) -> Result<Vec<Vec<f32>>> {
    let gradients = average_gradients(network, context, context.batches)?;
    Ok(weight_times_gradient(network, &gradients))
}

/// `|w · g|` entry by entry, for the prunable tensors of `network` and matching `gradients`.
pub fn weight_times_gradient(network: &Network, gradients: &[Vec<f32>]) -> Vec<Vec<f32>> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .zip(gradients)
        .map(|(p, g)| p.value.iter().zip(g).map(|(w, g)| (w * g).abs()).collect())
        .collect()
}

/// Per-unit sums of entry scores, for structured use: `sums[t][o] = Σ_{entries e of unit o}
/// scores[t][e]` (see [`super::units`] for what a unit is).
pub fn unit_sums(network: &Network, scores: &[Vec<f32>]) -> Vec<Vec<f32>> {
    layouts(network)
        .iter()
        .zip(scores)
        .map(|(layout, tensor)| {
            (0..layout.units)
                .map(|o| tensor[layout.range(o)].iter().sum())
                .collect()
        })
        .collect()
}
