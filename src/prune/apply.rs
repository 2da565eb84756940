//! One pruning step on a network: score, select, write the masks.

use super::select::{amount_for_target, prune_by_amount};
use super::{Scope, ScoreContext, Strategy};
use crate::nn::Network;
use crate::Result;

/// What to prune and how.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PruneRequest {
    pub strategy: Strategy,
    pub scope: Scope,
    /// Leave the output layer (the last prunable tensor) alone.
    pub keep_output_layer: bool,
    /// Fraction of all prunable weights that should be pruned afterwards, in [0, 1).
    pub target: f64,
}

/// Scores the current weights and prunes the lowest-scoring kept ones until `request.target` is
/// reached. Returns the indices of the tensors where the collapse guard kept a weight that the
/// amount would otherwise have removed.
pub fn prune_to_target(
    network: &mut Network,
    request: &PruneRequest,
    context: &ScoreContext<'_>,
) -> Result<Vec<usize>> {
    let masks: Vec<Vec<bool>> = network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    let scores = request.strategy.scores(network, context)?;
    let mut skip = vec![false; masks.len()];
    if request.keep_output_layer {
        if let Some(last) = skip.last_mut() {
            *last = true;
        }
    }
    let amount = amount_for_target(&masks, request.target);
    let selection = prune_by_amount(&masks, &scores, amount, request.scope, &skip, 1);
    let mut new_masks = selection.masks.into_iter();
    for param in network.params_mut().filter(|p| p.is_prunable()) {
        if let Some(mask) = new_masks.next() {
            param.set_mask(mask);
        }
    }
    Ok(selection.guarded)
}
