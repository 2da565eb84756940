//! Selection with per-layer overrides (see [`super::layer_targets`] for the semantics): each
//! overridden tensor is pruned alone to its own sparsity, then the other tensors towards the target.
//!
//! The selection rule itself (entries or whole units) is passed in, so the same bookkeeping serves
//! [`super::select::prune_by_amount`] and [`super::structured::prune_units_by_amount`].

use super::layer_targets::TensorTarget;
use super::select::amount_for_target;
use super::Scope;
use crate::Result;

/// One selection: `(masks, amount, scope, skip) → (new masks, guarded tensors)`.
pub type Selector<'s> =
    dyn FnMut(&[Vec<bool>], f64, Scope, &[bool]) -> Result<(Vec<Vec<bool>>, Vec<usize>)> + 's;

/// The outcome: new masks and the tensors where the last-weight (or last-unit) guard bound.
#[derive(Clone, Debug, PartialEq)]
pub struct OverrideSelection {
    pub masks: Vec<Vec<bool>>,
    pub guarded: Vec<usize>,
}

/// Prunes the overridden tensors to their own sparsity, then the others towards `target`.
/// `skip[t]` leaves tensor `t` alone in both passes (e.g. the output layer).
pub fn select_with_overrides(
    masks: &[Vec<bool>],
    target: f64,
    overrides: &[TensorTarget],
    scope: Scope,
    skip: &[bool],
    select: &mut Selector<'_>,
) -> Result<OverrideSelection> {
    let skipped = |t: usize| skip.get(t).copied().unwrap_or(false);
    let mut current = masks.to_vec();
    let mut guarded = Vec::new();
    let merge = |found: Vec<usize>, guarded: &mut Vec<usize>| {
        for t in found {
            if !guarded.contains(&t) {
                guarded.push(t);
            }
        }
    };
    for o in overrides.iter().filter(|o| !skipped(o.tensor)) {
        let amount = amount_for_target(std::slice::from_ref(&current[o.tensor]), o.sparsity);
        let only: Vec<bool> = (0..masks.len()).map(|t| t != o.tensor).collect();
        let (next, found) = select(&current, amount, Scope::Layer, &only)?;
        current = next;
        merge(found, &mut guarded);
    }
    let overridden = |t: usize| overrides.iter().any(|o| o.tensor == t);
    let rest_skip: Vec<bool> = (0..masks.len())
        .map(|t| skipped(t) || overridden(t))
        .collect();
    let amount = match scope {
        // As without overrides, but over the layers that follow the target.
        Scope::Layer => {
            let rest: Vec<Vec<bool>> = (0..masks.len())
                .filter(|&t| !overridden(t))
                .map(|t| current[t].clone())
                .collect();
            amount_for_target(&rest, target)
        }
        // What the whole network still needs, from the pooled kept entries of the other layers.
        Scope::Global => {
            let count = |m: &Vec<bool>| m.iter().filter(|&&k| k).count();
            let total: usize = current.iter().map(Vec::len).sum();
            let pruned: usize = current.iter().map(|m| m.len() - count(m)).sum();
            let pool: usize = (0..masks.len())
                .filter(|&t| !rest_skip[t])
                .map(|t| count(&current[t]))
                .sum();
            let needed = (target * total as f64).round_ties_even() - pruned as f64;
            if pool == 0 {
                0.0
            } else {
                (needed / pool as f64).clamp(0.0, 1.0)
            }
        }
    };
    if rest_skip.iter().any(|&s| !s) {
        let (next, found) = select(&current, amount, scope, &rest_skip)?;
        current = next;
        merge(found, &mut guarded);
    }
    Ok(OverrideSelection {
        masks: current,
        guarded,
    })
}
