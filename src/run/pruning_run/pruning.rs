//! Pruning a run's network: one step to a target sparsity (scores, selection, masks) and its
//! record, for every schedule; and the held-out loss the rollback schedule checks.

use super::masks::{current_masks, LossCheck, MaskChange};
use super::state::RunState;
use super::StepOutcome;
use crate::prune::apply::{prune_to_targets, PruneRequest};
use crate::prune::{self, layer_targets, ScoreContext};
use crate::run::history::Phase;
use crate::Result;

impl RunState {
    /// Scores, selects and writes the masks that reach `target`; records nothing.
    pub fn prune_to(&mut self, target: f64) -> Result<MaskChange> {
        let before = current_masks(&self.trainer.network);
        let sparsity_before = prune::sparsity(&self.trainer.network);
        let p = &self.config.prune;
        let request = PruneRequest {
            strategy: p.strategy,
            scope: p.scope,
            granularity: p.granularity,
            keep_output_layer: p.keep_output_layer,
            target,
        };
        let training_indices = self.trainer.training_indices().to_vec();
        let context = ScoreContext {
            dataset: &self.dataset,
            training_indices: &training_indices,
            batch_size: self.config.train.batch_size,
            batches: p.gradient_batches,
            seed: self.config.train.seed,
            movement: self.strategy_state.movement_scores(),
        };
        // Overrides follow the schedule: `o · target / final target` at this step.
        let names = layer_targets::prunable_names(&self.trainer.network);
        let overrides = layer_targets::resolve(&names, &p.layer_targets)?;
        let overrides = layer_targets::scaled(&overrides, target, p.target_sparsity);
        prune_to_targets(&mut self.trainer.network, &request, &overrides, &context)?;
        Ok(MaskChange {
            before,
            after: current_masks(&self.trainer.network),
            sparsity_before,
            sparsity_after: prune::sparsity(&self.trainer.network),
        })
    }

    /// One pruning step to `target`, kept: masks written, the event, the mask deltas and the
    /// evaluation after it recorded.
    pub fn prune_step(&mut self, target: f64) -> Result<StepOutcome> {
        let change = self.prune_to(target)?;
        self.record_accepted(target, &change, None);
        Ok(StepOutcome::Pruned)
    }

    /// Records a pruning step that stays (`check`: the rollback schedule's held-out losses).
    pub fn record_accepted(&mut self, target: f64, change: &MaskChange, check: Option<LossCheck>) {
        let step = self.global_step();
        let event = change.event(step, target, true, check);
        self.history.records.events.push(event);
        self.history.records.mask_deltas.extend(change.deltas(step));
        self.phase = Phase::Prune;
        self.record_eval();
        self.phase = Phase::FineTune;
    }

    /// Mean loss on held-out training images, counted as forward compute.
    pub fn held_out_loss(&mut self, images: &[usize]) -> f32 {
        let loss = self.trainer.evaluate(images).loss;
        self.compute
            .add_forward(&self.trainer.network, images.len());
        loss
    }
}
