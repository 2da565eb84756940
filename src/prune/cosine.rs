//! Cosine-similarity redundancy, structured (after Srinivas & Babu, "Data-free Parameter Pruning
//! for Deep Neural Networks", BMVC 2015, who merge near-duplicate neurons).
//!
//! # Rule
//! Within one prunable tensor, the flattened weights of two kept units (conv filters `W[o,:,:,:]`,
//! dense rows `W[o,:]`; pruned entries count as 0) have similarity `cos(a, b) = a·b / (‖a‖ ‖b‖)`.
//! A unit whose weights are all 0 carries nothing and counts as `cos = 1` with every other unit.
//! Greedy removal, recomputed after each step: take the kept pair with the highest similarity
//! (ties: the lowest pair of indices), remove the one with the SMALLER L2 norm (equal norms: the
//! higher index); its partner is the *twin*. Never the last unit of a layer.
//!
//! # Folding (off by default)
//! If `a ≈ λ·b` with `λ = ‖removed‖/‖twin‖ > 0`, then `relu(a·x) = λ·relu(b·x)` (ReLU is positively
//! homogeneous), so the next layer loses nothing if the twin's outgoing weights take over the
//! removed unit's: `W_next[:, twin] += λ · W_next[:, removed]`. This is exact for identical
//! directions and zero biases, approximate otherwise (the removed unit's bias is not carried over).
//! Only kept outgoing entries of the twin are updated (pruned ones stay 0). [`Strategy::Cosine`]
//! only scores and never edits weights; folding happens only in [`remove_redundant_units`] with
//! `fold = true`.
//!
//! # As a score
//! [`scores`] runs the greedy removal to the end in every layer: the unit removed at step `r`
//! (0-based) of `m` kept units scores `(r + 1)/m`, the survivor 1, pruned units 0; so pruning the
//! `c` lowest-scoring units of a layer removes exactly the first `c` greedy choices.
//!
//! [`Strategy::Cosine`]: super::Strategy::Cosine

use super::units::{layouts, spread, UnitLayout};
use crate::nn::{Network, Param};

/// One greedy removal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Redundancy {
    /// Prunable tensor index.
    pub tensor: usize,
    pub removed: usize,
    pub twin: usize,
    /// `cos(removed, twin)` when it was chosen.
    pub similarity: f32,
    /// `‖removed‖ / ‖twin‖` (0 if the twin's norm is 0): the folding factor.
    pub scale: f32,
}

/// The cosine similarity of two units (1 if either is all zero, see the module doc).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let (norm_a, norm_b) = (norm(a), norm(b));
    if norm_a == 0.0 || norm_b == 0.0 {
        1.0
    } else {
        dot / (norm_a * norm_b)
    }
}

fn norm(values: &[f32]) -> f32 {
    values.iter().map(|v| v * v).sum::<f32>().sqrt()
}

/// The greedy removal order of one tensor: at most `count` steps among the `kept` units.
pub fn greedy_removals(
    weights: &[f32],
    layout: &UnitLayout,
    kept: &[bool],
    count: usize,
) -> Vec<Redundancy> {
    let unit = |o: usize| &weights[layout.range(o)];
    // The layer's weights do not change during the greedy loop: similarities are computed once.
    let units = layout.units;
    let norms: Vec<f32> = (0..units).map(|o| norm(unit(o))).collect();
    let mut similarity = vec![0.0f32; units * units];
    for i in (0..units).filter(|&i| kept[i]) {
        for j in (i + 1..units).filter(|&j| kept[j]) {
            similarity[i * units + j] = cosine(unit(i), unit(j));
        }
    }
    let mut kept = kept.to_vec();
    let mut steps = Vec::new();
    while steps.len() < count && kept.iter().filter(|&&k| k).count() > 1 {
        let mut best: Option<(f32, usize, usize)> = None;
        for i in (0..units).filter(|&i| kept[i]) {
            for j in (i + 1..units).filter(|&j| kept[j]) {
                let s = similarity[i * units + j];
                if best.is_none_or(|(top, _, _)| s > top) {
                    best = Some((s, i, j));
                }
            }
        }
        let Some((similarity, i, j)) = best else {
            break;
        };
        let (removed, twin) = if norms[i] < norms[j] { (i, j) } else { (j, i) };
        let scale = if norms[twin] > 0.0 {
            norms[removed] / norms[twin]
        } else {
            0.0
        };
        kept[removed] = false;
        steps.push(Redundancy {
            tensor: layout.tensor,
            removed,
            twin,
            similarity,
            scale,
        });
    }
    steps
}

/// Removes the `per_layer` most redundant units of every prunable tensor not in `skip`: masks each
/// removed unit and its outgoing weights in the next layer, after folding them into the twin's
/// when `fold` is true. Layers are processed in order, so a fold into layer `l+1` is seen by
/// layer `l+1`'s own similarities. Returns what was removed, in order.
pub fn remove_redundant_units(
    network: &mut Network,
    per_layer: usize,
    skip: &[bool],
    fold: bool,
) -> Vec<Redundancy> {
    let layouts = layouts(network);
    let mut all = Vec::new();
    for layout in &layouts {
        if skip.get(layout.tensor).copied().unwrap_or(false) {
            continue;
        }
        let Some(param) = prunable(network, layout.tensor) else {
            continue;
        };
        let mut mask = param.mask().unwrap_or_default().to_vec();
        let steps = greedy_removals(&param.value, layout, &layout.kept_units(&mask), per_layer);
        for step in &steps {
            mask[layout.range(step.removed)].fill(false);
        }
        param.set_mask(mask);
        let consumer = layout
            .consumer
            .and_then(|c| Some((c, prunable(network, c.tensor)?)));
        if let Some((consumer, next)) = consumer {
            let mut next_mask = next.mask().unwrap_or_default().to_vec();
            for step in &steps {
                let from = consumer.entries_of(step.removed);
                let to = consumer.entries_of(step.twin);
                for (r, t) in from.zip(to) {
                    if fold && next_mask[t] {
                        next.value[t] += step.scale * next.value[r];
                    }
                    next_mask[r] = false;
                }
            }
            next.set_mask(next_mask);
        }
        all.extend(steps);
    }
    all
}

fn prunable(network: &mut Network, tensor: usize) -> Option<&mut Param> {
    network.params_mut().filter(|p| p.is_prunable()).nth(tensor)
}

/// Per-entry scores from the full greedy order (see the module doc).
pub fn scores(network: &Network) -> Vec<Vec<f32>> {
    let layouts = layouts(network);
    let unit_scores: Vec<Vec<f32>> = network
        .params()
        .filter(|p| p.is_prunable())
        .zip(&layouts)
        .map(|(param, layout)| {
            let kept = layout.kept_units(param.mask().unwrap_or_default());
            let total = kept.iter().filter(|&&k| k).count();
            let mut unit_scores: Vec<f32> =
                kept.iter().map(|&k| if k { 1.0 } else { 0.0 }).collect();
            for (step, removal) in greedy_removals(&param.value, layout, &kept, total)
                .iter()
                .enumerate()
            {
                unit_scores[removal.removed] = (step + 1) as f32 / total as f32;
            }
            unit_scores
        })
        .collect();
    spread(&layouts, &unit_scores)
}
