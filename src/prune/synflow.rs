//! SynFlow, iterative synaptic flow (Tanaka, Kunin, Yamins & Ganguli, "Pruning neural networks
//! without any data by iteratively conserving synaptic flow", NeurIPS 2020): ONE scoring round.
//!
//! # Formula
//! On a copy of the network in which every parameter θ — weights AND biases — is replaced by
//! `|θ|`, feed a single all-ones input `𝟙` (batch 1) and take
//!
//! `R = 𝟙ᵀ f(𝟙; |θ|)` (the sum of the logits), `score(w) = |w · ∂R/∂w|`,
//!
//! back-propagating with `∂R/∂logits = 1`. No data and no labels are used.
//!
//! Biases: the paper's reference code "linearises" the model by taking the absolute value of every
//! entry of its `state_dict`, biases included, and we do the same. With every parameter and the
//! input non-negative, every pre-activation is non-negative, so each ReLU passes everything (the
//! network is linear up to max-pooling) and `R` is the total "flow" through positive paths. The
//! biases add constant flows; they change `∂R/∂w` only through which max-pool input wins.
//!
//! For a pure chain of dense layers the score of `W_l[j][i]` is
//! `|W_l[j][i]| · (𝟙ᵀ |W_L|…|W_{l+1}|)_j · (|W_{l−1}|…|W_1| 𝟙 + bias flows)_i`.
//!
//! Schedule: the paper repeats this round 100 times, pruning a little (exponentially decaying
//! density) after each round, which avoids layer collapse. That loop is run-level (it needs the
//! masks to change between rounds), so this module only exposes the single round. Pruned weights
//! score 0. The network itself is not changed (the round runs on a clone).

use crate::nn::Network;

/// One SynFlow round: `|w · ∂R/∂w|` for every entry of every prunable tensor.
pub fn scores(network: &Network) -> Vec<Vec<f32>> {
    let mut linear = network.clone_parameters();
    for param in linear.params_mut() {
        for value in param.value.iter_mut() {
            *value = value.abs();
        }
    }
    let ones = vec![1.0f32; linear.input_len()];
    linear.zero_grad();
    linear.forward(&ones, 1, None);
    let grad_logits = vec![1.0f32; linear.classes()];
    linear.backward(&grad_logits, 1);
    linear
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| {
            p.value
                .iter()
                .zip(&p.grad)
                .map(|(w, g)| (w * g).abs())
                .collect()
        })
        .collect()
}
