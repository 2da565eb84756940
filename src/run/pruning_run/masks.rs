//! Masks as the run records them: the masks of a network, what one pruning or regrowth step
//! changed, and the history records made from that change (a [`PruneEvent`] and [`MaskDelta`]s).

use crate::nn::{Layer, Network};
use crate::run::history::{MaskDelta, PruneEvent, TensorInfo};

/// The masks of every prunable tensor, in [`Network::params`] order (true = kept).
pub(super) fn current_masks(network: &Network) -> Vec<Vec<bool>> {
    network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect()
}

/// Name, shape and layer input of every prunable tensor.
pub(super) fn tensor_infos(network: &Network) -> Vec<TensorInfo> {
    let mut infos = Vec::new();
    for (layer, &input) in network.layers().iter().zip(network.shapes()) {
        let weight = match layer {
            Layer::Conv(conv) => &conv.weight,
            Layer::Dense(dense) => &dense.weight,
            _ => continue,
        };
        infos.push(TensorInfo {
            name: weight.name.clone(),
            shape: weight.shape.clone(),
            input,
        });
    }
    infos
}

/// The rollback schedule's held-out loss before and after a pruning step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LossCheck {
    pub before: f32,
    pub after: f32,
}

/// The masks before and after one step that changed them.
pub(super) struct MaskChange {
    pub before: Vec<Vec<bool>>,
    pub after: Vec<Vec<bool>>,
    pub sparsity_before: f64,
    pub sparsity_after: f64,
}

impl MaskChange {
    /// Weights kept before and pruned after.
    pub fn removed(&self) -> u32 {
        self.before
            .iter()
            .zip(&self.after)
            .map(|(b, a)| b.iter().zip(a).filter(|(&was, &is)| was && !is).count() as u32)
            .sum()
    }

    /// The record of this change as a pruning attempt towards `target` at `step`.
    pub fn event(
        &self,
        step: u64,
        target: f64,
        accepted: bool,
        check: Option<LossCheck>,
    ) -> PruneEvent {
        PruneEvent {
            step,
            accepted,
            target,
            sparsity_before: self.sparsity_before,
            sparsity_after: self.sparsity_after,
            check_loss_before: check.map(|c| c.before),
            check_loss_after: check.map(|c| c.after),
            removed: self.removed(),
        }
    }

    /// The removed and regrown indices of every tensor that changed, recorded at `step`.
    pub fn deltas(&self, step: u64) -> Vec<MaskDelta> {
        let mut deltas = Vec::new();
        for (tensor, (old, new)) in self.before.iter().zip(&self.after).enumerate() {
            let changed = |from: bool| -> Vec<u32> {
                old.iter()
                    .zip(new)
                    .enumerate()
                    .filter(|(_, (&was, &is))| was == from && is != from)
                    .map(|(i, _)| i as u32)
                    .collect()
            };
            let (removed, regrown) = (changed(true), changed(false));
            if !removed.is_empty() || !regrown.is_empty() {
                deltas.push(MaskDelta {
                    step,
                    tensor: tensor as u32,
                    removed,
                    regrown,
                });
            }
        }
        deltas
    }
}
