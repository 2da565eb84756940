//! The schedules: when a run prunes, and the state only that schedule needs. One file each.
//!
//! - [`stepped`] — one-shot, iterative, gradual: dense pre-training, then a pruning phase in
//!   which a [`crate::prune::schedule::SparsitySchedule`] says at which steps to prune, and how far.
//! - [`rollback`] — iterative chunks checked on held-out training images; a step that raised the
//!   loss too much is undone bit for bit and retried with half the chunk.
//! - [`lottery`] — train, prune, rewind the kept weights, train again, round after round.
//! - [`dynamic_sparse`] — SET / RigL (chosen by the strategy, whatever the schedule): sparse
//!   from step 0, with drop-and-regrow updates.
//!
//! All but the lottery share [`phased`]: dense pre-training (none for SET / RigL), then one
//! pruning phase that acts at most once per step, before its mini-batch.
//!
//! To add a schedule: a file here with a type that implements [`Schedule`] (or
//! [`phased::PhaseRules`], if it is "pre-train, then prune during one phase"), and one arm in
//! [`for_config`] (plus its name in [`crate::run::ScheduleKind`]).

mod dynamic_sparse;
mod lottery;
mod phased;
mod rollback;
mod stepped;

use super::state::RunState;
use super::StepOutcome;
use crate::run::config::{RunConfig, ScheduleKind};
use crate::train::EvalSet;
use crate::Result;

/// A schedule drives a run: [`super::PruningRun::step`] hands each step to it.
pub(super) trait Schedule: Send {
    /// Which held-out images the trainers keep out of training (fixed for the whole run).
    fn eval_set(&self) -> EvalSet {
        EvalSet::Test
    }

    /// Mini-batches the whole run trains, with `per_epoch` mini-batches per epoch.
    fn planned_steps(&self, config: &RunConfig, per_epoch: u64) -> u64 {
        per_epoch * (config.prune.pretrain_epochs + config.prune.finetune_epochs) as u64
    }

    /// Called once when the run is set up, before its first evaluation is recorded.
    fn start(&mut self, _run: &mut RunState) -> Result<()> {
        Ok(())
    }

    /// One unit of work: a mini-batch, a pruning step, or the end (never called after
    /// [`RunState::finish`]).
    fn step(&mut self, run: &mut RunState) -> Result<StepOutcome>;
}

/// The schedule `config` asks for.
pub(super) fn for_config(config: &RunConfig) -> Box<dyn Schedule> {
    if config.prune.strategy.is_dynamic() {
        return Box::new(phased::Phased::new(dynamic_sparse::DynamicSparse));
    }
    match config.prune.schedule {
        ScheduleKind::OneShot | ScheduleKind::Iterative | ScheduleKind::Gradual => {
            Box::new(phased::Phased::new(stepped::Stepped::default()))
        }
        ScheduleKind::Rollback => Box::new(phased::Phased::new(rollback::Rollback::default())),
        ScheduleKind::Lottery => Box::new(lottery::Lottery::new(config)),
    }
}
