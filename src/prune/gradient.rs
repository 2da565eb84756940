//! Gradient magnitude: `score(w) = |ḡ|` with `ḡ = (1/k) Σ_b ∂L_b/∂w` the loss gradient averaged
//! over `k = context.batches` mini-batches (see [`super::batch_gradients`]).
//!
//! On its own this is a poor pruning score. A large `|∂L/∂w|` says that *changing* `w` would change
//! the loss a lot — it is a growth score (RigL, Evci et al. 2020, regrows the pruned connections
//! with the largest gradient), not a measure of how much the network loses when `w` is set to 0.
//! A well-trained weight sits near a minimum, so its gradient is small whether it matters or not.
//! It is here as a baseline and as the ingredient of Taylor and SNIP, which multiply it by `w`.
//! Pruned weights score 0.

use super::batch_gradients::average_gradients;
use super::ScoreContext;
use crate::nn::Network;
use crate::Result;

/// `|ḡ|` for every entry of every prunable tensor.
pub fn scores(network: &mut Network, context: &ScoreContext<'_>) -> Result<Vec<Vec<f32>>> {
    let mut gradients = average_gradients(network, context, context.batches)?;
    for tensor in &mut gradients {
        for g in tensor.iter_mut() {
            *g = g.abs();
        }
    }
    Ok(gradients)
}
