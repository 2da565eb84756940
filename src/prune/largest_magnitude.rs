//! Largest magnitude first: `score(w) = −|w|`, so the weights with the LARGEST |w| are pruned
//! first — the reverse of [`super::magnitude`].
//!
//! The source document says, literally, 选取最大的权值进行剪枝 ("select the largest weights for
//! pruning"). This rule does exactly that, so a student can try the instruction as written and
//! compare it with magnitude pruning, which removes the smallest weights. Ties (equal |w|) are
//! broken by index like every rule (see [`super`]).

use crate::nn::Network;

/// `−|w|` for every entry of every prunable tensor.
pub fn scores(network: &Network) -> Vec<Vec<f32>> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.value.iter().map(|w| -w.abs()).collect())
        .collect()
}
