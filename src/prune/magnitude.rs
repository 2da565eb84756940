//! Weight magnitude (Han et al. 2015): `score(w) = |w|`. Small weights contribute least to the
//! output, so they are pruned first.

use crate::nn::Network;

/// `|w|` for every entry of every prunable tensor.
pub fn scores(network: &Network) -> Vec<Vec<f32>> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.value.iter().map(|w| w.abs()).collect())
        .collect()
}
