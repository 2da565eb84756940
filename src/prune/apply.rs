//! One pruning step on a network: score, select, write the masks.
//!
//! Weight granularity selects single entries ([`prune_by_amount`]). Filter granularity — and every
//! structured rule (filter norms, cosine) — selects whole output units: a unit's score is the mean
//! score of its kept entries, whole units go with torch's `ln_structured` semantics, and the next
//! layer's inputs from a removed unit are masked too (they only ever read a constant). The output
//! layer's units are the classes, so structured selection never removes them. A unit amount cannot
//! hit a weight sparsity exactly: the masked inputs of the next layer come on top, and the sparsity
//! actually reached is what the run records.
//!
//! Per-layer overrides ([`prune_to_targets`], see [`super::layer_targets`]) prune the listed tensors
//! to their own sparsity first and the others towards the target; without overrides the selection
//! is exactly the one above.

use super::layer_targets::{scaled, TensorTarget};
use super::override_select::{select_with_overrides, Selector};
use super::select::{amount_for_target, prune_by_amount};
use super::structured::{mask_consumer_inputs, prune_units_by_amount};
use super::units::{layouts, UnitLayout};
use super::{Scope, ScoreContext, Strategy};
use crate::nn::Network;
use crate::Result;

/// What a pruning step removes.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Default,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Granularity {
    /// Single weights (unstructured).
    #[default]
    #[strum(message = "single weights")]
    Weight,
    /// Whole conv filters and dense units (structured).
    #[strum(message = "whole filters / units")]
    Filter,
}

crate::names::named!(Granularity, "granularity");

/// What to prune and how.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PruneRequest {
    pub strategy: Strategy,
    pub scope: Scope,
    pub granularity: Granularity,
    /// Leave the output layer (the last prunable tensor) alone.
    pub keep_output_layer: bool,
    /// Fraction of all prunable weights that should be pruned afterwards, in [0, 1).
    pub target: f64,
}

impl PruneRequest {
    /// Whether this step removes whole units.
    pub fn is_structured(&self) -> bool {
        self.granularity == Granularity::Filter || self.strategy.is_structured()
    }
}

/// Scores the current weights and prunes the lowest-scoring kept ones (or units) towards
/// `request.target`. Returns the indices of the tensors where a guard (the last weight or unit of a
/// layer) kept something the amount would otherwise have removed.
pub fn prune_to_target(
    network: &mut Network,
    request: &PruneRequest,
    context: &ScoreContext<'_>,
) -> Result<Vec<usize>> {
    prune_to_targets(network, request, &[], context)
}

/// [`prune_to_target`] with per-layer overrides (see [`super::layer_targets`]): the overridden
/// tensors go to their own sparsity, the others towards `request.target`.
pub fn prune_to_targets(
    network: &mut Network,
    request: &PruneRequest,
    overrides: &[TensorTarget],
    context: &ScoreContext<'_>,
) -> Result<Vec<usize>> {
    if request.strategy == Strategy::Synflow && !request.is_structured() {
        return synflow_rounds(network, request, overrides, context);
    }
    prune_once(network, request, overrides, context)
}

/// SynFlow rounds per pruning step (Tanaka et al. 2020 use 100).
pub const SYNFLOW_ROUNDS: u32 = 100;

/// SynFlow prunes in rounds, rescoring the masked network each time, with the kept fraction
/// shrinking exponentially from `d₀` to `d` (`d_r = d₀·(d/d₀)^(r/R)`): scoring once would remove
/// whole layers at high sparsity (layer collapse), which the iteration avoids.
fn synflow_rounds(
    network: &mut Network,
    request: &PruneRequest,
    overrides: &[TensorTarget],
    context: &ScoreContext<'_>,
) -> Result<Vec<usize>> {
    let start = 1.0 - super::sparsity(network);
    let end = 1.0 - request.target;
    let mut guarded = Vec::new();
    if end >= start {
        return Ok(guarded);
    }
    for round in 1..=SYNFLOW_ROUNDS {
        let kept = start * (end / start).powf(round as f64 / SYNFLOW_ROUNDS as f64);
        let step = PruneRequest {
            target: if round == SYNFLOW_ROUNDS {
                request.target
            } else {
                1.0 - kept
            },
            ..*request
        };
        // The overrides follow the rounds as they follow a schedule.
        let round_overrides = scaled(overrides, step.target, request.target);
        guarded = prune_once(network, &step, &round_overrides, context)?;
    }
    Ok(guarded)
}

fn prune_once(
    network: &mut Network,
    request: &PruneRequest,
    overrides: &[TensorTarget],
    context: &ScoreContext<'_>,
) -> Result<Vec<usize>> {
    let masks: Vec<Vec<bool>> = network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    let scores = request.strategy.scores(network, context)?;
    let mut skip = vec![false; masks.len()];
    if request.keep_output_layer || request.is_structured() {
        if let Some(last) = skip.last_mut() {
            *last = true;
        }
    }
    let (new_masks, guarded) = if request.is_structured() {
        let layouts = layouts(network);
        let unit_scores = unit_means(&layouts, &masks, &scores);
        let mut select = |masks: &[Vec<bool>], amount: f64, scope: Scope, skip: &[bool]| {
            let selection =
                prune_units_by_amount(&layouts, masks, &unit_scores, amount, scope, skip)?;
            Ok((selection.masks, selection.guarded))
        };
        let (selected, guarded) = select_masks(&masks, request, overrides, &skip, &mut select)?;
        (mask_consumer_inputs(&layouts, &selected), guarded)
    } else {
        let mut select = |masks: &[Vec<bool>], amount: f64, scope: Scope, skip: &[bool]| {
            let selection = prune_by_amount(masks, &scores, amount, scope, skip, 1);
            Ok((selection.masks, selection.guarded))
        };
        select_masks(&masks, request, overrides, &skip, &mut select)?
    };
    let mut new_masks = new_masks.into_iter();
    for param in network.params_mut().filter(|p| p.is_prunable()) {
        if let Some(mask) = new_masks.next() {
            param.set_mask(mask);
        }
    }
    Ok(guarded)
}

/// Without overrides, one selection at the amount that reaches the target (the behaviour before
/// overrides existed, kept exactly); with them, [`select_with_overrides`].
fn select_masks(
    masks: &[Vec<bool>],
    request: &PruneRequest,
    overrides: &[TensorTarget],
    skip: &[bool],
    select: &mut Selector<'_>,
) -> Result<(Vec<Vec<bool>>, Vec<usize>)> {
    if overrides.is_empty() {
        let amount = amount_for_target(masks, request.target);
        return select(masks, amount, request.scope, skip);
    }
    let selection = select_with_overrides(
        masks,
        request.target,
        overrides,
        request.scope,
        skip,
        select,
    )?;
    Ok((selection.masks, selection.guarded))
}

/// The mean score of each unit's kept entries (0 for a unit with none left).
fn unit_means(layouts: &[UnitLayout], masks: &[Vec<bool>], scores: &[Vec<f32>]) -> Vec<Vec<f32>> {
    layouts
        .iter()
        .zip(masks.iter().zip(scores))
        .map(|(layout, (mask, score))| {
            (0..layout.units)
                .map(|unit| {
                    let range = layout.range(unit);
                    let (sum, count) = mask[range.clone()]
                        .iter()
                        .zip(&score[range])
                        .filter(|(&kept, _)| kept)
                        .fold((0.0f64, 0usize), |(s, c), (_, &v)| (s + v as f64, c + 1));
                    if count == 0 {
                        0.0
                    } else {
                        (sum / count as f64) as f32
                    }
                })
                .collect()
        })
        .collect()
}
