//! What a scoring rule keeps between pruning steps.
//!
//! Most rules score the network as it is when a pruning step comes. Movement pruning (Sanh et al.
//! 2020) scores how the weights moved while training: per prunable weight `S = −Σ_t w·∂L/∂w`,
//! summed over every trained mini-batch of the run (dense training, fine-tuning, every lottery
//! round). The sums live here, next to the run, and reach the rule through
//! [`crate::prune::ScoreContext::movement`].

use crate::nn::Network;
use crate::prune::Strategy;

#[derive(Clone)]
pub(super) enum StrategyState {
    /// The rule needs nothing but the network at the pruning step.
    Stateless,
    /// Movement: `−Σ_t w·∂L/∂w` per prunable weight, `None` until the first trained mini-batch
    /// (pruning before any training is refused with a message, not scored with zeros).
    Movement { sums: Option<Vec<Vec<f32>>> },
}

impl StrategyState {
    pub fn for_strategy(strategy: Strategy) -> Self {
        match strategy {
            Strategy::Movement => StrategyState::Movement { sums: None },
            _ => StrategyState::Stateless,
        }
    }

    /// Called after every trained mini-batch, while its gradients are still in the parameters.
    pub fn after_batch(&mut self, network: &Network) {
        let StrategyState::Movement { sums } = self else {
            return;
        };
        let sums = sums.get_or_insert_with(|| {
            network
                .params()
                .filter(|p| p.is_prunable())
                .map(|p| vec![0.0; p.len()])
                .collect()
        });
        let params = network.params().filter(|p| p.is_prunable());
        for (scores, param) in sums.iter_mut().zip(params) {
            for ((s, &w), &g) in scores.iter_mut().zip(&param.value).zip(&param.grad) {
                *s -= w * g;
            }
        }
    }

    /// The accumulated movement scores, when the strategy keeps them and has trained.
    pub fn movement_scores(&self) -> Option<&[Vec<f32>]> {
        match self {
            StrategyState::Movement { sums } => sums.as_deref(),
            StrategyState::Stateless => None,
        }
    }
}
