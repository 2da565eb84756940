//! The shape most schedules share: dense pre-training (`pretrain_epochs`), then one pruning
//! phase in a fresh trainer. At each step of the pruning phase the schedule's rules may act once
//! (prune, or update the mask) before the mini-batch is trained; the run ends when the phase's
//! trainer is done (or at once, for one-shot with no fine-tuning: it only applies the mask).
//!
//! The dense reference is recorded when the pruning phase starts, unless the rules train sparse
//! from step 0.

use super::super::dense_reference::DenseReference;
use super::super::state::RunState;
use super::super::StepOutcome;
use super::Schedule;
use crate::run::config::RunConfig;
use crate::run::history::Phase;
use crate::train::EvalSet;
use crate::Result;

/// What a schedule does during its pruning phase.
pub(super) trait PhaseRules: Send {
    /// What the rules do at one step, decided before doing it (so a failed attempt is not
    /// retried at the same step).
    type Work;

    /// Whether the pruning phase starts at step 0, with no dense pre-training.
    const SPARSE_FROM_STEP_ZERO: bool = false;

    fn eval_set(&self) -> EvalSet {
        EvalSet::Test
    }

    /// Epochs of the pruning phase.
    fn phase_epochs(&self, config: &RunConfig) -> u32 {
        config.prune.finetune_epochs
    }

    /// Called when the pruning phase's trainer is in place.
    fn phase_started(&mut self, _run: &RunState) {}

    /// The work due at pruning-phase step `phase_step`, if any.
    fn due(&self, run: &RunState, phase_step: u64) -> Option<Self::Work>;

    fn perform(&mut self, run: &mut RunState, work: Self::Work) -> Result<StepOutcome>;
}

/// Pre-training, then the pruning phase that `rules` drive.
pub(super) struct Phased<R> {
    rules: R,
    /// Whether the pruning phase has started.
    pruning: bool,
    /// The pruning-phase step of the last attempt (the rules act at most once per step).
    last_attempt: Option<u64>,
    /// Whether the pruning phase trains at all.
    phase_trains: bool,
}

impl<R: PhaseRules> Phased<R> {
    pub fn new(rules: R) -> Self {
        Phased {
            rules,
            pruning: false,
            last_attempt: None,
            phase_trains: true,
        }
    }

    fn start_pruning_phase(&mut self, run: &mut RunState) -> Result<()> {
        if R::SPARSE_FROM_STEP_ZERO {
            run.dense = DenseReference::SparseFromStepZero;
        } else {
            run.record_dense_reference();
        }
        let epochs = self.rules.phase_epochs(&run.config);
        self.phase_trains = epochs > 0;
        let network = run.trainer.network.clone_parameters();
        run.start_phase(network, epochs.max(1), 1)?;
        self.rules.phase_started(run);
        self.pruning = true;
        run.phase = Phase::FineTune;
        Ok(())
    }
}

impl<R: PhaseRules> Schedule for Phased<R> {
    fn eval_set(&self) -> EvalSet {
        self.rules.eval_set()
    }

    fn start(&mut self, run: &mut RunState) -> Result<()> {
        if R::SPARSE_FROM_STEP_ZERO {
            self.start_pruning_phase(run)?;
        }
        Ok(())
    }

    fn step(&mut self, run: &mut RunState) -> Result<StepOutcome> {
        if !self.pruning {
            if run.config.prune.pretrain_epochs == 0 || run.trainer.is_finished() {
                self.start_pruning_phase(run)?;
                return Ok(StepOutcome::PhaseChanged);
            }
            run.train_one(Phase::Train)?;
            return Ok(StepOutcome::Trained);
        }
        let phase_step = run.trainer.step();
        if self.last_attempt != Some(phase_step) {
            if let Some(work) = self.rules.due(run, phase_step) {
                self.last_attempt = Some(phase_step);
                return self.rules.perform(run, work);
            }
        }
        if !self.phase_trains || run.trainer.is_finished() {
            run.finish();
            return Ok(StepOutcome::Finished);
        }
        run.train_one(Phase::FineTune)?;
        Ok(StepOutcome::Trained)
    }
}
