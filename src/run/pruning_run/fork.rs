//! Sharing pre-training: runs that differ only in what happens after pre-training (strategy,
//! target sparsity, fine-tuning, schedule's pruning settings) train the same dense network, bit for
//! bit. A sweep trains it once ([`PruningRun::run_pretraining`]) and forks a run per point
//! ([`PruningRun::fork`]); the fork continues exactly as a fresh run of its configuration would.
//!
//! What pre-training depends on is [`pretraining_key`]: the network, the pre-training phase's
//! training settings as the run uses them (so `l1`/`l2` with their penalty and `targeted-dropout`
//! with its dropping differ from the others), the held-out images (rollback keeps validation images
//! out), the evaluations recorded, and for movement the scores it accumulates (carried into the
//! fork, so movement runs share with each other but not with the rest). SET / RigL (sparse from
//! step 0) and the lottery schedule (rounds of training) have no shareable pre-training.

use serde::Serialize;

use super::schedules;
use super::state::phase_config;
use super::PruningRun;
use crate::nn::ArchSpec;
use crate::prune::Strategy;
use crate::run::config::{RunConfig, ScheduleKind};
use crate::run::history::Phase;
use crate::train::{TargetedDropoutSettings, TrainConfig};
use crate::{Error, Result};

/// Everything pre-training depends on, as one comparable value.
#[derive(Serialize)]
struct PretrainingKey<'a> {
    architecture: &'a ArchSpec,
    train: TrainConfig,
    /// Not in `train`'s serialised form (a run sets it from its strategy), so here on its own.
    targeted_dropout: Option<TargetedDropoutSettings>,
    pretrain_epochs: u32,
    evals_per_epoch: u32,
    validation_held_out: bool,
    movement_scores: bool,
}

/// Equal keys ⇒ equal pre-training (same weights, optimiser state, data order, records), given
/// the same starting network. `None`: the run has no pre-training to share (SET, RigL, lottery).
pub fn pretraining_key(config: &RunConfig) -> Option<String> {
    let p = &config.prune;
    if p.strategy.is_dynamic() || p.schedule == ScheduleKind::Lottery {
        return None;
    }
    let train = phase_config(config, p.pretrain_epochs.max(1), 0);
    let key = PretrainingKey {
        architecture: &config.architecture,
        targeted_dropout: train.targeted_dropout,
        train,
        pretrain_epochs: p.pretrain_epochs,
        evals_per_epoch: config.evals_per_epoch,
        validation_held_out: p.schedule == ScheduleKind::Rollback,
        movement_scores: p.strategy == Strategy::Movement,
    };
    serde_json::to_string(&key).ok()
}

impl PruningRun {
    /// Whether the next step would end pre-training (start the pruning phase).
    pub fn is_pretrained(&self) -> bool {
        let state = &self.state;
        state.phase == Phase::Train
            && !state.finished
            && (state.config.prune.pretrain_epochs == 0 || state.trainer.is_finished())
    }

    /// Steps to the end of pre-training: the checkpoint [`Self::fork`] continues from.
    pub fn run_pretraining(&mut self) -> Result<()> {
        if pretraining_key(&self.state.config).is_none() {
            return Err(shared_refused(&self.state.config));
        }
        while !self.is_pretrained() {
            if self.state.phase != Phase::Train || self.state.finished {
                return Err(Error::setting(
                    "schedule",
                    "this run is past pre-training: there is no dense checkpoint to share",
                ));
            }
            self.step()?;
        }
        Ok(())
    }

    /// A run of `config` that continues from this one's state (weights, optimiser state, data
    /// order, records so far), as if it had run from the start with `config`. Refused unless this
    /// run is still in pre-training and both configurations have the same [`pretraining_key`].
    pub fn fork(&self, config: RunConfig) -> Result<PruningRun> {
        config.validate()?;
        let key = pretraining_key(&config).ok_or_else(|| shared_refused(&config))?;
        if pretraining_key(&self.state.config).as_ref() != Some(&key) {
            return Err(Error::setting(
                "prune",
                "these runs do not share their pre-training (network, training settings, pre-training epochs, seed or strategy's training differ)",
            ));
        }
        if self.state.phase != Phase::Train || self.state.finished {
            return Err(Error::setting(
                "schedule",
                "this run is past pre-training: there is no dense checkpoint to share",
            ));
        }
        let mut state = self.state.clone();
        // In pre-training every phased schedule is in its starting state (and `start` did nothing
        // for them), so a new one is exactly where the fresh run's schedule would be.
        let schedule = schedules::for_config(&config);
        let per_epoch = state.trainer.batches_per_epoch() as u64;
        state.history.planned_steps = schedule.planned_steps(&config, per_epoch);
        state.config = config;
        Ok(PruningRun { state, schedule })
    }
}

fn shared_refused(config: &RunConfig) -> Error {
    let who = if config.prune.strategy.is_dynamic() {
        format!("{} trains sparse from step 0", config.prune.strategy.name())
    } else {
        "the lottery schedule trains in rounds".to_string()
    };
    Error::setting(
        "prune",
        format!("{who}: it has no dense pre-training to share"),
    )
}
