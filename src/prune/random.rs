//! Random scores, uniform in [0, 1), from a seeded generator: the baseline every criterion must beat.

use rand::Rng;

use crate::nn::Network;
use crate::train::seeded_rng;

/// Stream of the seeded generator reserved for random pruning scores.
const RANDOM_SCORE_STREAM: u64 = 0x10;

pub fn scores(network: &Network, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = seeded_rng(seed, RANDOM_SCORE_STREAM);
    network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| (0..p.len()).map(|_| rng.gen::<f32>()).collect())
        .collect()
}
