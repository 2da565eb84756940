//! One-shot, iterative and gradual: the pruning phase follows a
//! [`SparsitySchedule`] (see [`crate::prune::schedule`] for the formulas), spread over the
//! first half of the phase so the second half fine-tunes the final mask.
//!
//! - one-shot prunes to the target at the phase's first step;
//! - iterative prunes `prune_rate` of what remains at regular intervals, up to the target;
//! - gradual follows the cubic ramp of Zhu & Gupta (2017) in `prune_steps` steps.
//!
//! Every step is kept (no check), so the only state is the schedule itself.

use super::super::state::RunState;
use super::super::StepOutcome;
use super::phased::PhaseRules;
use crate::prune::schedule::SparsitySchedule;
use crate::Result;

#[derive(Default)]
pub(super) struct Stepped {
    /// Set when the pruning phase starts (it depends on the phase's length).
    schedule: Option<SparsitySchedule>,
}

impl PhaseRules for Stepped {
    /// The sparsity to prune to.
    type Work = f64;

    fn phase_started(&mut self, run: &RunState) {
        self.schedule = Some(run.config.sparsity_schedule(run.trainer.planned_steps()));
    }

    fn due(&self, _run: &RunState, phase_step: u64) -> Option<f64> {
        self.schedule?.target_at(phase_step)
    }

    fn perform(&mut self, run: &mut RunState, target: f64) -> Result<StepOutcome> {
        run.prune_step(target)
    }
}
