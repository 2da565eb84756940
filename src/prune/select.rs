//! Turning scores into masks, with torch.nn.utils.prune's amount semantics.
//!
//! `prune_by_amount(masks, scores, amount, scope)`: among the entries still kept, the
//! `round(amount × n_kept)` with the lowest scores are pruned (per tensor for [`Scope::Layer`],
//! over all tensors for [`Scope::Global`]). Already-pruned entries stay pruned. Ties: lower
//! (tensor, index) pruned first. `min_kept` guards against layer collapse: no tensor drops below it
//! (the selection then skips that tensor's entries and reports that the guard bound).

/// Where one threshold applies.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Scope {
    /// Each tensor loses the same fraction of its kept entries.
    #[strum(message = "layer-wise")]
    Layer,
    /// One threshold over all prunable tensors (torch's `global_unstructured`).
    #[strum(message = "global")]
    Global,
}

crate::names::named!(Scope, "scope");

/// The outcome of one selection.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// New masks, one per prunable tensor (true = keep).
    pub masks: Vec<Vec<bool>>,
    /// Indices pruned in this step, per tensor.
    pub removed: Vec<Vec<u32>>,
    /// Tensors where the minimum-kept guard stopped pruning.
    pub guarded: Vec<usize>,
}

/// torch's rounding of a fractional amount: Python's `round(amount × n)`, which rounds halves to
/// even (`round(2.5) == 2`).
pub fn amount_to_count(amount: f64, n: usize) -> usize {
    ((amount * n as f64).round_ties_even().max(0.0) as usize).min(n)
}

/// The amount (fraction of the currently kept entries) that brings the pruned fraction of all
/// prunable entries to `target`; 0 if it is already there.
pub fn amount_for_target(masks: &[Vec<bool>], target: f64) -> f64 {
    let total: usize = masks.iter().map(Vec::len).sum();
    let kept: usize = masks.iter().map(|m| m.iter().filter(|&&k| k).count()).sum();
    if kept == 0 {
        return 0.0;
    }
    let to_prune = (target * total as f64).round_ties_even() - (total - kept) as f64;
    (to_prune / kept as f64).clamp(0.0, 1.0)
}

/// Prunes `amount` of the kept entries; `skip` marks tensors left alone (e.g. the output layer).
pub fn prune_by_amount(
    masks: &[Vec<bool>],
    scores: &[Vec<f32>],
    amount: f64,
    scope: Scope,
    skip: &[bool],
    min_kept: usize,
) -> Selection {
    let mut new_masks = masks.to_vec();
    let mut removed = vec![Vec::new(); masks.len()];
    let mut guarded = Vec::new();
    // Candidates: (score, tensor, index) of kept entries.
    let candidates = |t: usize| {
        masks[t]
            .iter()
            .enumerate()
            .filter(|(_, &kept)| kept)
            .map(move |(i, _)| (scores[t][i], t, i))
    };
    let order = |a: &(f32, usize, usize), b: &(f32, usize, usize)| {
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    let mut prune = |list: &[(f32, usize, usize)], count: usize, new_masks: &mut Vec<Vec<bool>>| {
        let mut kept_now: Vec<usize> = new_masks
            .iter()
            .map(|m| m.iter().filter(|&&k| k).count())
            .collect();
        let mut done = 0;
        for &(_, t, i) in list {
            if done == count {
                break;
            }
            if kept_now[t] <= min_kept {
                if !guarded.contains(&t) {
                    guarded.push(t);
                }
                continue;
            }
            new_masks[t][i] = false;
            kept_now[t] -= 1;
            removed[t].push(i as u32);
            done += 1;
        }
    };
    match scope {
        Scope::Layer => {
            for t in 0..masks.len() {
                if skip.get(t).copied().unwrap_or(false) {
                    continue;
                }
                let mut list: Vec<_> = candidates(t).collect();
                list.sort_by(order);
                let count = amount_to_count(amount, list.len());
                prune(&list, count, &mut new_masks);
            }
        }
        Scope::Global => {
            let mut list: Vec<_> = (0..masks.len())
                .filter(|&t| !skip.get(t).copied().unwrap_or(false))
                .flat_map(candidates)
                .collect();
            list.sort_by(order);
            let count = amount_to_count(amount, list.len());
            prune(&list, count, &mut new_masks);
        }
    }
    for r in &mut removed {
        r.sort_unstable();
    }
    Selection {
        masks: new_masks,
        removed,
        guarded,
    }
}
