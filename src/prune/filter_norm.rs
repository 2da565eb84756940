//! Filter norms, structured (Li, Kadav, Durdanovic, Samet & Graf, "Pruning Filters for Efficient
//! ConvNets", ICLR 2017; torch.nn.utils.prune.ln_structured with `dim = 0`).
//!
//! # Formula
//! For output unit `o` of a prunable tensor (conv filter `W[o, :, :, :]`, dense row `W[o, :]`):
//!
//! - `filter-l1`: `s(o) = Σ |W[o, …]|`
//! - `filter-l2`: `s(o) = √(Σ W[o, …]²)`
//!
//! Pruned entries are 0 and add nothing. The filters with the smallest norm produce the weakest
//! feature maps and go first; whole units are removed with [`super::structured`]. As per-entry
//! scores ([`scores`]) every entry of a unit carries the unit's norm.

use super::units::{layouts, spread};
use crate::nn::Network;

/// Which norm measures a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Norm {
    L1,
    L2,
}

impl Norm {
    /// The norm of one unit's weights.
    pub fn of(self, weights: &[f32]) -> f32 {
        match self {
            Norm::L1 => weights.iter().map(|w| w.abs()).sum(),
            Norm::L2 => weights.iter().map(|w| w * w).sum::<f32>().sqrt(),
        }
    }
}

/// `unit_norms[t][o]`: the norm of unit `o` of prunable tensor `t`.
pub fn unit_norms(network: &Network, norm: Norm) -> Vec<Vec<f32>> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .zip(layouts(network))
        .map(|(param, layout)| {
            (0..layout.units)
                .map(|o| norm.of(&param.value[layout.range(o)]))
                .collect()
        })
        .collect()
}

/// Per-entry scores: every entry of a unit gets the unit's norm.
pub fn scores(network: &Network, norm: Norm) -> Vec<Vec<f32>> {
    spread(&layouts(network), &unit_norms(network, norm))
}
