//! A pruning run, step by step: dense training → pruning steps during fine-tuning as the
//! schedule says → done (the schedules and their variations are in `schedules`).
//!
//! One call to [`PruningRun::step`] does one unit of work — a mini-batch, or a pruning step — so the
//! CLI can loop over it and the browser's worker can run it in slices between messages. Everything
//! it does is appended to its [`History`]; the same configuration gives the same history, bit for
//! bit, however the steps are sliced.
//!
//! The parts:
//! - `state`: what every run has (trainer, clock, compute, record) and the shared mechanics;
//!   `pruning`: a pruning step to a target and its record;
//! - `schedules`: one file per schedule, each holding only its own state;
//! - `strategy_state`: what a scoring rule accumulates while training (movement's scores);
//! - `dense_reference`: the dense network the run is compared with, recorded by the run;
//! - `fork`: sharing pre-training between runs (a sweep's dense checkpoint);
//! - `masks`: mask changes and their records.

mod dense_reference;
mod fork;
mod masks;
mod pruning;
mod schedules;
mod state;
mod strategy_state;

use std::sync::Arc;

pub use dense_reference::{DenseReference, NO_DENSE_NETWORK};
pub use fork::pretraining_key;

use super::config::RunConfig;
use super::history::{History, Phase};
use crate::data::Dataset;
use crate::metrics::ComputeCounter;
use crate::nn::Network;
use crate::train::{Evaluation, Trainer};
use crate::Result;
use schedules::Schedule;
use state::{seeded_network, RunState};

/// What one call to [`PruningRun::step`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Trained,
    /// A pruning step, a drop-and-regrow update, or a lottery round's pruning and rewind.
    Pruned,
    RolledBack,
    /// Pre-training ended; the next step belongs to the pruning phase.
    PhaseChanged,
    Finished,
}

/// A run in progress (or finished) with its record.
pub struct PruningRun {
    /// What every run has.
    state: RunState,
    /// When and how this run prunes, with the state only its schedule needs.
    schedule: Box<dyn Schedule>,
}

impl PruningRun {
    /// A run from freshly initialised weights (`config.train.seed`).
    pub fn new(config: RunConfig, dataset: Arc<Dataset>) -> Result<Self> {
        config.validate()?;
        let network = seeded_network(&config, config.train.seed)?;
        Self::with_network(config, dataset, network)
    }

    /// A run from given weights and masks (e.g. loaded from an .npz file).
    pub fn with_network(
        config: RunConfig,
        dataset: Arc<Dataset>,
        network: Network,
    ) -> Result<Self> {
        config.validate()?;
        let mut schedule = schedules::for_config(&config);
        let mut state = RunState::new(config, dataset, network, schedule.eval_set())?;
        let per_epoch = state.trainer.batches_per_epoch() as u64;
        state.history.planned_steps = schedule.planned_steps(&state.config, per_epoch);
        schedule.start(&mut state)?;
        state.record_eval();
        Ok(PruningRun { state, schedule })
    }

    pub fn config(&self) -> &RunConfig {
        &self.state.config
    }

    pub fn history(&self) -> &History {
        &self.state.history
    }

    pub fn network(&self) -> &Network {
        &self.state.trainer.network
    }

    /// The trainer of the current phase (network, optimiser state, data order).
    pub fn trainer(&self) -> &Trainer {
        &self.state.trainer
    }

    pub fn phase(&self) -> Phase {
        self.state.phase
    }

    pub fn is_finished(&self) -> bool {
        self.state.finished
    }

    /// Mini-batches trained so far.
    pub fn global_step(&self) -> u64 {
        self.state.global_step()
    }

    /// Mini-batches the whole run will train.
    pub fn planned_steps(&self) -> u64 {
        let per_epoch = self.state.trainer.batches_per_epoch() as u64;
        self.schedule.planned_steps(&self.state.config, per_epoch)
    }

    /// Epochs completed, fractional.
    pub fn epoch(&self) -> f64 {
        self.state.epoch()
    }

    pub fn compute(&self) -> ComputeCounter {
        self.state.compute
    }

    /// Loss and accuracy on the test images now.
    pub fn evaluate_test(&mut self) -> Evaluation {
        self.state.evaluate_test()
    }

    /// The dense network this run is compared with, as far as it is known (see
    /// [`DenseReference`] for when it is recorded).
    pub fn dense_reference(&self) -> &DenseReference {
        &self.state.dense
    }

    /// The dense network recorded just before the first pruning step; `None` before that (the
    /// run's own network is then still the dense one) and for SET / RigL ([`Self::no_dense_reason`]).
    pub fn dense_network(&self) -> Option<&Network> {
        self.state.dense.network()
    }

    /// Why this run has no dense network at all (SET / RigL), in a sentence for the page.
    pub fn no_dense_reason(&self) -> Option<&'static str> {
        self.state.dense.absence_reason()
    }

    /// Does one unit of work. An error (a diverging loss) leaves the run at its last good state.
    pub fn step(&mut self) -> Result<StepOutcome> {
        if self.state.finished {
            return Ok(StepOutcome::Finished);
        }
        self.schedule.step(&mut self.state)
    }

    /// Steps until the run ends.
    pub fn run_to_end(&mut self) -> Result<()> {
        while self.step()? != StepOutcome::Finished {}
        Ok(())
    }
}
