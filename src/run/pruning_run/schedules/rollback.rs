//! Rollback, the source document's loop: at every interval of the iterative schedule, prune a
//! chunk of what remains (`prune_rate · ½^halvings · (1 − sparsity)`), measure the loss on
//! held-out training images before and after, and undo the step — weights, optimiser state and
//! masks, bit for bit, from a clone of the trainer — when the loss rose by more than `tolerance`
//! (relative). Every undone step halves the chunk for good; once more than [`MAX_HALVINGS`]
//! steps were undone, the schedule stops pruning. The held-out images are the validation slice, which this schedule
//! never trains on.

use super::super::masks::LossCheck;
use super::super::state::RunState;
use super::super::StepOutcome;
use super::phased::PhaseRules;
use crate::prune::schedule::SparsitySchedule;
use crate::prune::sparsity;
use crate::run::history::Phase;
use crate::train::EvalSet;
use crate::Result;

/// Stop pruning once more than this many steps were undone.
const MAX_HALVINGS: u32 = 5;

#[derive(Default)]
pub(super) struct Rollback {
    /// Steps between attempts: the iterative schedule's interval over the pruning phase.
    interval: Option<u64>,
    /// Rolled-back attempts so far: each one halves the chunk.
    halvings: u32,
    /// The held-out images of the check.
    check_images: Vec<usize>,
}

impl PhaseRules for Rollback {
    /// The sparsity to prune to.
    type Work = f64;

    fn eval_set(&self) -> EvalSet {
        EvalSet::Validation
    }

    fn phase_started(&mut self, run: &RunState) {
        let schedule = run.config.sparsity_schedule(run.trainer.planned_steps());
        if let SparsitySchedule::Iterative { interval, .. } = schedule {
            self.interval = Some(interval);
        }
        self.check_images = run.trainer.split().validation().to_vec();
    }

    fn due(&self, run: &RunState, phase_step: u64) -> Option<f64> {
        let interval = self.interval?;
        let p = &run.config.prune;
        let now = sparsity(&run.trainer.network);
        let remaining_target = p.target_sparsity - now;
        if phase_step % interval != 0 || remaining_target <= 1e-9 || self.halvings > MAX_HALVINGS {
            return None;
        }
        let chunk = p.prune_rate * 0.5f64.powi(self.halvings as i32) * (1.0 - now);
        Some((now + chunk).min(p.target_sparsity))
    }

    fn perform(&mut self, run: &mut RunState, target: f64) -> Result<StepOutcome> {
        let saved = run.trainer.clone();
        let before = run.held_out_loss(&self.check_images);
        let change = run.prune_to(target)?;
        let after = run.held_out_loss(&self.check_images);
        let check = LossCheck { before, after };
        let tolerance = run.config.prune.tolerance;
        if (after - before) as f64 <= tolerance * before.abs() as f64 {
            run.record_accepted(target, &change, Some(check));
            return Ok(StepOutcome::Pruned);
        }
        // Undo: weights, optimiser state and masks exactly; the compute spent stays counted.
        let step = run.global_step();
        let event = change.event(step, target, false, Some(check));
        run.history.records.events.push(event);
        run.trainer = saved;
        self.halvings += 1;
        run.phase = Phase::Rollback;
        run.record_eval();
        Ok(StepOutcome::RolledBack)
    }
}
