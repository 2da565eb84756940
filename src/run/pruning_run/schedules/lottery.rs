//! Lottery-ticket iterative magnitude pruning (Frankle & Carbin 2019): round 0 trains the dense
//! network for `pretrain_epochs`; at the end of every round, prune `prune_rate` of what remains
//! (`1 − (1 − rate)^round`, the last round exactly the target), then rewind the kept weights —
//! masks kept, optimiser and learning-rate schedule restarted — and train the next round
//! (`pretrain_epochs`, the last one `finetune_epochs`). The rewind goes to:
//! - `init`: the initial weights;
//! - `early`: the weights after `rewind_step` steps of round 0 (Frankle et al. 2020);
//! - `random`: fresh random weights, the control.
//!
//! The dense reference is the trained network at the end of round 0, before the first pruning
//! step and rewind. Every round's mini-batches are recorded in the `train` phase.

use super::super::state::{seeded_network, RunState};
use super::super::StepOutcome;
use super::Schedule;
use crate::nn::Network;
use crate::run::config::{Rewind, RunConfig};
use crate::run::history::Phase;
use crate::Result;

pub(super) struct Lottery {
    /// Pruning rounds in all (see [`RunConfig::lottery_rounds`]).
    rounds: u32,
    /// Rounds pruned so far (0 while the dense network trains).
    round: u32,
    /// Every parameter's values (in [`Network::params`] order) that the kept weights go back to:
    /// the initial ones, or those at `rewind_step`; `None` until known, and for `random`.
    rewind_to: Option<Vec<Vec<f32>>>,
}

impl Lottery {
    pub fn new(config: &RunConfig) -> Self {
        Lottery {
            rounds: config.lottery_rounds(),
            round: 0,
            rewind_to: None,
        }
    }

    /// The end of a training round: prune the next chunk and rewind, or (after the last round)
    /// finish.
    fn round_end(&mut self, run: &mut RunState) -> Result<StepOutcome> {
        if self.round == 0 {
            run.record_dense_reference();
        }
        if self.round >= self.rounds {
            run.finish();
            return Ok(StepOutcome::Finished);
        }
        self.round += 1;
        let p = &run.config.prune;
        let target = if self.round == self.rounds {
            p.target_sparsity
        } else {
            (1.0 - (1.0 - p.prune_rate).powi(self.round as i32)).min(p.target_sparsity)
        };
        let epochs = if self.round == self.rounds {
            p.finetune_epochs
        } else {
            p.pretrain_epochs
        };
        run.prune_step(target)?;
        let network = self.rewound(run)?;
        run.start_phase(network, epochs.max(1), self.round as u64)?;
        run.phase = Phase::FineTune;
        run.record_eval();
        Ok(StepOutcome::Pruned)
    }

    /// The pruned network with its kept weights rewound (pruned ones stay exactly 0).
    fn rewound(&self, run: &RunState) -> Result<Network> {
        let fresh;
        let values = match (run.config.prune.rewind, &self.rewind_to) {
            (Rewind::Random, _) => {
                let seed = run.config.train.seed.wrapping_add(1000 + self.round as u64);
                fresh = all_values(&seeded_network(&run.config, seed)?);
                &fresh
            }
            (_, Some(saved)) => saved,
            // Early rewinding before `rewind_step` was reached: nothing saved, the weights stay.
            (_, None) => {
                fresh = all_values(&run.trainer.network);
                &fresh
            }
        };
        let mut network = run.trainer.network.clone_parameters();
        for (param, saved) in network.params_mut().zip(values) {
            param.value.copy_from_slice(saved);
            if let Some(mask) = param.mask().map(<[bool]>::to_vec) {
                param.set_mask(mask);
            }
        }
        Ok(network)
    }
}

impl Schedule for Lottery {
    fn planned_steps(&self, config: &RunConfig, per_epoch: u64) -> u64 {
        let p = &config.prune;
        per_epoch
            * (p.pretrain_epochs as u64 * (self.rounds as u64).max(1) + p.finetune_epochs as u64)
    }

    fn start(&mut self, run: &mut RunState) -> Result<()> {
        if run.config.prune.rewind == Rewind::Init {
            self.rewind_to = Some(all_values(&run.trainer.network));
        }
        Ok(())
    }

    fn step(&mut self, run: &mut RunState) -> Result<StepOutcome> {
        if run.trainer.is_finished() {
            return self.round_end(run);
        }
        run.train_one(Phase::Train)?;
        let p = &run.config.prune;
        if p.rewind == Rewind::Early
            && self.rewind_to.is_none()
            && run.global_step() >= p.rewind_step
        {
            self.rewind_to = Some(all_values(&run.trainer.network));
        }
        Ok(StepOutcome::Trained)
    }
}

/// Every parameter's values, in [`Network::params`] order.
fn all_values(network: &Network) -> Vec<Vec<f32>> {
    network.params().map(|p| p.value.clone()).collect()
}
