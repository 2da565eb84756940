//! Structured selection: whole output units (conv filters, dense rows) are pruned, with the
//! semantics of `torch.nn.utils.prune.ln_structured(module, "weight", amount, n, dim=0)`.
//!
//! # Rules
//! - Only units still kept count (torch's `PruningContainer` recomputes the mask on the channels
//!   whose mask does not sum to 0). With `n` of them, `round(amount × n)` are pruned — Python's
//!   `round`, halves to even — the ones with the lowest unit score.
//! - Ties in score: the lower unit index goes first (torch's `topk` leaves ties unspecified; we fix
//!   them so runs are reproducible). Global scope breaks ties by (tensor, unit).
//! - Never the last unit of a layer: a tensor keeps at least one unit (torch would empty it at
//!   `amount = 1`); where this guard stops the selection the tensor is listed in `guarded`.
//! - [`Scope::Layer`] applies the amount per tensor; [`Scope::Global`] pools the kept units of all
//!   non-skipped tensors under one threshold (torch has no global structured pruning; scores of
//!   different layers must be comparable for this to make sense — raw L1 norms grow with fan-in).
//!
//! Removing unit `o` also makes the next layer's inputs from `o` useless:
//! [`mask_consumer_inputs`] masks them (see [`super::units`] for which entries those are). Biases
//! are never pruned, so a removed unit still emits `relu(b[o])`; masking its outgoing weights
//! drops that constant from the next layer.

use super::select::amount_to_count;
use super::units::UnitLayout;
use super::Scope;
use crate::{Error, Result};

/// The outcome of one structured selection.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitSelection {
    /// New masks, one per prunable tensor, same shapes (true = keep).
    pub masks: Vec<Vec<bool>>,
    /// Units pruned in this step, per tensor, ascending.
    pub removed_units: Vec<Vec<usize>>,
    /// Tensors where the last-unit guard stopped pruning.
    pub guarded: Vec<usize>,
}

/// Prunes `amount` of the kept units by their `unit_scores` (`unit_scores[t][o]`, lower goes
/// first). `skip[t]` leaves tensor `t` alone (e.g. the output layer, whose units are the classes).
pub fn prune_units_by_amount(
    layouts: &[UnitLayout],
    masks: &[Vec<bool>],
    unit_scores: &[Vec<f32>],
    amount: f64,
    scope: Scope,
    skip: &[bool],
) -> Result<UnitSelection> {
    validate(layouts, masks, unit_scores, amount)?;
    let mut kept: Vec<Vec<bool>> = layouts
        .iter()
        .zip(masks)
        .map(|(layout, mask)| layout.kept_units(mask))
        .collect();
    let skipped = |t: usize| skip.get(t).copied().unwrap_or(false);
    // Candidates (score, tensor, unit), sorted lowest first, ties by (tensor, unit).
    let candidates = |tensors: &mut dyn Iterator<Item = usize>| {
        let mut list: Vec<(f32, usize, usize)> = tensors
            .flat_map(|t| {
                let kept_t = &kept[t];
                (0..kept_t.len())
                    .filter(move |&o| kept_t[o])
                    .map(move |o| (unit_scores[t][o], t, o))
            })
            .collect();
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        list
    };
    let lists: Vec<Vec<(f32, usize, usize)>> = match scope {
        Scope::Layer => (0..layouts.len())
            .filter(|&t| !skipped(t))
            .map(|t| candidates(&mut std::iter::once(t)))
            .collect(),
        Scope::Global => vec![candidates(&mut (0..layouts.len()).filter(|&t| !skipped(t)))],
    };
    let mut removed_units = vec![Vec::new(); layouts.len()];
    let mut guarded = Vec::new();
    for list in lists {
        let count = amount_to_count(amount, list.len());
        let mut done = 0;
        for &(_, t, o) in &list {
            if done == count {
                break;
            }
            if kept[t].iter().filter(|&&k| k).count() <= 1 {
                if !guarded.contains(&t) {
                    guarded.push(t);
                }
                continue;
            }
            kept[t][o] = false;
            removed_units[t].push(o);
            done += 1;
        }
    }
    let mut new_masks = masks.to_vec();
    for (t, units) in removed_units.iter_mut().enumerate() {
        units.sort_unstable();
        for &o in units.iter() {
            new_masks[t][layouts[t].range(o)].fill(false);
        }
    }
    Ok(UnitSelection {
        masks: new_masks,
        removed_units,
        guarded,
    })
}

/// Masks, in each tensor's consumer, the input entries fed by units that have no kept entry left
/// (conv → conv: the input-channel slices `W_next[:, o, :, :]`; conv → dense: the in-features
/// `o·H·W .. (o+1)·H·W` of every row; dense → dense: column `o`). Removed units are read from
/// `masks` before anything changes, so the masking does not cascade further.
pub fn mask_consumer_inputs(layouts: &[UnitLayout], masks: &[Vec<bool>]) -> Vec<Vec<bool>> {
    let mut new_masks = masks.to_vec();
    for layout in layouts {
        let Some(consumer) = layout.consumer else {
            continue;
        };
        let kept = layout.kept_units(&masks[layout.tensor]);
        for (unit, _) in kept.iter().enumerate().filter(|(_, &k)| !k) {
            for entry in consumer.entries_of(unit) {
                new_masks[consumer.tensor][entry] = false;
            }
        }
    }
    new_masks
}

fn validate(
    layouts: &[UnitLayout],
    masks: &[Vec<bool>],
    unit_scores: &[Vec<f32>],
    amount: f64,
) -> Result<()> {
    if !(amount.is_finite() && (0.0..=1.0).contains(&amount)) {
        return Err(Error::setting(
            "amount",
            format!("{amount} is out of range; allowed: 0 to 1"),
        ));
    }
    if masks.len() != layouts.len() || unit_scores.len() != layouts.len() {
        return Err(Error::setting(
            "masks",
            format!(
                "{} masks and {} score lists for {} prunable tensors",
                masks.len(),
                unit_scores.len(),
                layouts.len()
            ),
        ));
    }
    for (t, layout) in layouts.iter().enumerate() {
        if masks[t].len() != layout.units * layout.unit_len || unit_scores[t].len() != layout.units
        {
            return Err(Error::setting(
                format!("masks[{t}]"),
                format!(
                    "has {} entries and {} unit scores; the tensor has {} units of {}",
                    masks[t].len(),
                    unit_scores[t].len(),
                    layout.units,
                    layout.unit_len
                ),
            ));
        }
    }
    Ok(())
}
