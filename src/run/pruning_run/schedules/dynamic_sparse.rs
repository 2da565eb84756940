//! Dynamic sparse training, SET (Mocanu et al. 2018) and RigL (Evci et al. 2020), chosen by the
//! strategy whatever the schedule says: the pruning phase is the whole run
//! (`pretrain_epochs + finetune_epochs`) and starts at step 0 by pruning the initial weights to
//! the target at random. Every `regrow_interval` steps a drop-and-regrow update moves weights
//! without changing the sparsity: drop the smallest kept |w|, regrow as many pruned entries, at
//! random (SET) or by the largest dense-gradient magnitude (RigL), with the drop fraction
//! decaying as `(α/2)(1 + cos(πt/T_end))` and no updates after `T_end` = [`REGROW_END_PERCENT`](crate::prune::regrow::REGROW_END_PERCENT)% of the phase.
//!
//! There is no dense network at any point, so the run records no dense reference.

use super::super::masks::{current_masks, MaskChange};
use super::super::state::RunState;
use super::super::StepOutcome;
use super::phased::PhaseRules;
use crate::prune::batch_gradients::average_gradients;
use crate::prune::regrow::{drop_and_regrow, drop_fraction, regrow_end, Regrowth};
use crate::prune::{sparsity, ScoreContext, Strategy};
use crate::run::config::RunConfig;
use crate::run::history::Phase;
use crate::Result;

pub(super) struct DynamicSparse;

pub(super) enum Work {
    /// The initial random mask at the target sparsity.
    Prune(f64),
    /// A drop-and-regrow update with this drop fraction.
    Regrow(f64),
}

impl PhaseRules for DynamicSparse {
    type Work = Work;

    const SPARSE_FROM_STEP_ZERO: bool = true;

    fn phase_epochs(&self, config: &RunConfig) -> u32 {
        config.prune.pretrain_epochs + config.prune.finetune_epochs
    }

    fn due(&self, run: &RunState, phase_step: u64) -> Option<Work> {
        let p = &run.config.prune;
        if phase_step == 0 {
            return Some(Work::Prune(p.target_sparsity));
        }
        if phase_step % p.regrow_interval != 0 {
            return None;
        }
        let end = regrow_end(run.trainer.planned_steps());
        let fraction = drop_fraction(p.regrow_fraction, phase_step, end);
        (fraction > 0.0).then_some(Work::Regrow(fraction))
    }

    fn perform(&mut self, run: &mut RunState, work: Work) -> Result<StepOutcome> {
        match work {
            Work::Prune(target) => run.prune_step(target),
            Work::Regrow(fraction) => regrow_step(run, fraction),
        }
    }
}

/// One drop-and-regrow update (sparsity unchanged), recorded as mask deltas and an event.
fn regrow_step(run: &mut RunState, fraction: f64) -> Result<StepOutcome> {
    let before = current_masks(&run.trainer.network);
    let gradients = match run.config.prune.strategy {
        Strategy::Rigl => Some(dense_gradients(run)?),
        _ => None,
    };
    let step = run.global_step();
    let regrowth = match &gradients {
        Some(g) => Regrowth::Gradient(g),
        None => Regrowth::Random {
            seed: run.config.train.seed,
            step,
        },
    };
    let values: Vec<&[f32]> = run
        .trainer
        .network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.value.as_slice())
        .collect();
    let after = drop_and_regrow(&values, &before, fraction, &regrowth);
    let prunable = run.trainer.network.params_mut().filter(|p| p.is_prunable());
    for (param, mask) in prunable.zip(after.iter().cloned()) {
        param.set_mask(mask);
    }
    let now = sparsity(&run.trainer.network);
    let change = MaskChange {
        before,
        after,
        sparsity_before: now,
        sparsity_after: now,
    };
    run.history.records.mask_deltas.extend(change.deltas(step));
    let event = change.event(step, now, true, None);
    run.history.records.events.push(event);
    run.phase = Phase::Regrow;
    Ok(StepOutcome::Pruned)
}

/// RigL's regrowth signal: the gradient of one batch with every weight active (pruned ones are
/// 0, so the function is the same), counted as one dense training batch of compute.
fn dense_gradients(run: &mut RunState) -> Result<Vec<Vec<f32>>> {
    let mut dense = run.trainer.network.clone_parameters();
    for param in dense.params_mut().filter(|p| p.is_prunable()) {
        let len = param.len();
        param.set_mask(vec![true; len]);
    }
    let training_indices = run.trainer.training_indices().to_vec();
    let context = ScoreContext {
        dataset: &run.dataset,
        training_indices: &training_indices,
        batch_size: run.config.train.batch_size,
        batches: 1,
        seed: run.config.train.seed,
        movement: None,
    };
    let gradients = average_gradients(&mut dense, &context, 1)?;
    run.compute.add_batch(&dense, run.config.train.batch_size);
    Ok(gradients)
}
