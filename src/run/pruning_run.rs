//! The step-by-step state machine of a pruning run: dense training → pruning steps during
//! fine-tuning (with the rollback check when the schedule asks for it) → done.
//!
//! One call to [`PruningRun::step`] does one unit of work — a mini-batch, or a pruning step — so the
//! CLI can loop over it and the browser's worker can run it in slices between messages. Everything
//! it does is appended to its [`History`].
//!
//! Compute counting: every trained mini-batch (pre-training and fine-tuning) and the held-out loss
//! checks of the rollback schedule, including those of rolled-back attempts, are counted. The test-set
//! evaluations that draw the curves are not: they are the playground's measurement, not the method.

use std::sync::Arc;

use super::config::{Rewind, RunConfig, ScheduleKind};
use super::history::{
    EvalRecord, History, MaskDelta, Phase, PruneEvent, Snapshot, StepRecord, TensorInfo,
};
use crate::data::Dataset;
use crate::metrics::ComputeCounter;
use crate::nn::{Layer, Network};
use crate::prune::apply::{prune_to_targets, PruneRequest};
use crate::prune::batch_gradients::average_gradients;
use crate::prune::regrow::{drop_and_regrow, drop_fraction, Regrowth};
use crate::prune::schedule::SparsitySchedule;
use crate::prune::{self, layer_targets, ScoreContext, Strategy};
use crate::train::{seeded_rng, EvalSet, TrainConfig, Trainer};
use crate::Result;

/// Seed stream of the initial weights (the same as [`Trainer::new`] uses).
const INIT_STREAM: u64 = 0x1;
/// Rollback schedule: give up after the chunk was halved this many times in a row.
const MAX_HALVINGS: u32 = 5;

/// What one call to [`PruningRun::step`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Trained,
    Pruned,
    RolledBack,
    /// Pre-training ended; the next step belongs to the pruning phase.
    PhaseChanged,
    Finished,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Pretrain,
    Prune,
    Done,
}

/// A run in progress (or finished) with its record.
pub struct PruningRun {
    config: RunConfig,
    dataset: Arc<Dataset>,
    trainer: Trainer,
    stage: Stage,
    phase: Phase,
    /// Global steps completed before the current trainer started (one clock for the whole run).
    offset: u64,
    schedule: SparsitySchedule,
    /// The pruning-phase step at which the last pruning attempt happened (never twice per step).
    last_attempt: Option<u64>,
    /// Rollback schedule: the chunk is halved after every rolled-back step.
    halvings: u32,
    compute: ComputeCounter,
    history: History,
    test: Vec<usize>,
    /// Held-out training images for the rollback check (the validation slice, never trained on
    /// when the schedule is rollback).
    check: Vec<usize>,
    running: (f64, usize, usize),
    eval_interval: u64,
    /// Whether the pruning phase trains at all (one-shot with no fine-tuning only applies the mask).
    phase_trains: bool,
    /// Movement strategy: `−Σ_t w·∂L/∂w` per prunable weight, accumulated over the trained steps
    /// (`None` until the first one).
    movement: Option<Vec<Vec<f32>>>,
    /// Lottery: the weights (every parameter) the kept ones are rewound to, and rounds pruned so far.
    rewind_to: Option<Vec<Vec<f32>>>,
    lottery_round: u32,
}

impl PruningRun {
    /// A run from freshly initialised weights (`config.train.seed`).
    pub fn new(config: RunConfig, dataset: Arc<Dataset>) -> Result<Self> {
        config.validate()?;
        let network = Network::seeded(
            &config.architecture,
            &mut seeded_rng(config.train.seed, INIT_STREAM),
        )?;
        Self::with_network(config, dataset, network)
    }

    /// A run from given weights and masks (e.g. loaded from an .npz file).
    pub fn with_network(
        config: RunConfig,
        dataset: Arc<Dataset>,
        network: Network,
    ) -> Result<Self> {
        config.validate()?;
        let tensors = tensor_infos(&network);
        let masks = current_masks(&network);
        let pretrain = phase_config(&config, config.prune.pretrain_epochs.max(1), 0);
        let trainer = Trainer::with_network(network, pretrain, dataset.clone(), eval_set(&config))?;
        let test = trainer.split().test.clone();
        let check = trainer.split().validation().to_vec();
        let per_epoch = trainer.batches_per_epoch() as u64;
        let eval_interval = match config.evals_per_epoch {
            0 => u64::MAX,
            n => (per_epoch / n as u64).max(1),
        };
        let mut run = PruningRun {
            schedule: config.sparsity_schedule(1),
            config,
            dataset,
            trainer,
            stage: Stage::Pretrain,
            phase: Phase::Train,
            offset: 0,
            last_attempt: None,
            halvings: 0,
            compute: ComputeCounter::default(),
            history: History::new(tensors, masks),
            test,
            check,
            running: (0.0, 0, 0),
            eval_interval,
            phase_trains: true,
            movement: None,
            rewind_to: None,
            lottery_round: 0,
        };
        if run.config.prune.schedule == ScheduleKind::Lottery
            && run.config.prune.rewind == Rewind::Init
        {
            run.rewind_to = Some(all_values(&run.trainer.network));
        }

        run.history.planned_steps = run.planned_steps();
        if run.config.prune.strategy.is_dynamic() {
            // Sparse from the first step: no dense phase.
            run.start_pruning_phase()?;
        }
        run.record_eval();
        Ok(run)
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn network(&self) -> &Network {
        &self.trainer.network
    }

    /// The trainer of the current phase (network, optimiser state, data order).
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Mini-batches trained so far.
    pub fn global_step(&self) -> u64 {
        self.offset + self.trainer.step()
    }

    /// Mini-batches the whole run will train.
    pub fn planned_steps(&self) -> u64 {
        let per_epoch = self.trainer.batches_per_epoch() as u64;
        let p = &self.config.prune;
        if p.schedule == ScheduleKind::Lottery {
            let rounds = self.config.lottery_rounds() as u64;
            return per_epoch
                * (p.pretrain_epochs as u64 * rounds.max(1) + p.finetune_epochs as u64);
        }
        per_epoch * (p.pretrain_epochs + p.finetune_epochs) as u64
    }

    /// Epochs completed, fractional.
    pub fn epoch(&self) -> f64 {
        self.global_step() as f64 / self.trainer.batches_per_epoch().max(1) as f64
    }

    pub fn compute(&self) -> ComputeCounter {
        self.compute
    }

    /// Loss and accuracy on the test images now.
    pub fn evaluate_test(&mut self) -> crate::train::Evaluation {
        let test = std::mem::take(&mut self.test);
        let evaluation = self.trainer.evaluate(&test);
        self.test = test;
        evaluation
    }

    /// Does one unit of work. An error (a diverging loss) leaves the run at its last good state.
    pub fn step(&mut self) -> Result<StepOutcome> {
        match self.stage {
            Stage::Done => Ok(StepOutcome::Finished),
            Stage::Pretrain => {
                if self.config.prune.schedule == ScheduleKind::Lottery && self.trainer.is_finished()
                {
                    return self.lottery_round_end();
                }
                if self.config.prune.pretrain_epochs == 0 || self.trainer.is_finished() {
                    self.start_pruning_phase()?;
                    return Ok(StepOutcome::PhaseChanged);
                }
                self.train_one(Phase::Train)?;
                Ok(StepOutcome::Trained)
            }
            Stage::Prune => {
                let phase_step = self.trainer.step();
                if self.last_attempt != Some(phase_step) {
                    if let Some(target) = self.target_at(phase_step) {
                        self.last_attempt = Some(phase_step);
                        return self.prune_step(target);
                    }
                    if let Some(fraction) = self.regrow_fraction_at(phase_step) {
                        self.last_attempt = Some(phase_step);
                        return self.regrow_step(fraction);
                    }
                }
                if !self.phase_trains || self.trainer.is_finished() {
                    self.finish();
                    return Ok(StepOutcome::Finished);
                }
                self.train_one(Phase::FineTune)?;
                Ok(StepOutcome::Trained)
            }
        }
    }

    /// Steps until the run ends.
    pub fn run_to_end(&mut self) -> Result<()> {
        while self.step()? != StepOutcome::Finished {}
        Ok(())
    }

    fn target_at(&self, phase_step: u64) -> Option<f64> {
        let p = &self.config.prune;
        if p.schedule != ScheduleKind::Rollback {
            return self.schedule.target_at(phase_step);
        }
        // Rollback: at each interval, a chunk of what remains, halved after every rollback.
        let SparsitySchedule::Iterative { interval, .. } = self.schedule else {
            return None;
        };
        let now = prune::sparsity(&self.trainer.network);
        let remaining_target = p.target_sparsity - now;
        if phase_step % interval != 0 || remaining_target <= 1e-9 || self.halvings > MAX_HALVINGS {
            return None;
        }
        let chunk = p.prune_rate * 0.5f64.powi(self.halvings as i32) * (1.0 - now);
        Some((now + chunk).min(p.target_sparsity))
    }

    fn start_pruning_phase(&mut self) -> Result<()> {
        let p = self.config.prune.clone();
        let dynamic = p.strategy.is_dynamic();
        if p.pretrain_epochs > 0 && !dynamic {
            let dense = self.evaluate_test();
            self.history.dense_test_accuracy = Some(dense.accuracy);
        }
        self.offset = self.global_step();
        let epochs = if dynamic {
            p.pretrain_epochs + p.finetune_epochs
        } else {
            p.finetune_epochs
        };
        self.phase_trains = epochs > 0;
        let epochs = epochs.max(1);
        let finetune = phase_config(&self.config, epochs, 1);
        let network = self.trainer.network.clone_parameters();
        self.trainer = Trainer::with_network(
            network,
            finetune,
            self.dataset.clone(),
            eval_set(&self.config),
        )?;
        self.schedule = self.config.sparsity_schedule(self.trainer.planned_steps());
        self.stage = Stage::Prune;
        self.phase = Phase::FineTune;
        Ok(())
    }

    fn prune_step(&mut self, target: f64) -> Result<StepOutcome> {
        let rollback = self.config.prune.schedule == ScheduleKind::Rollback;
        let saved = rollback.then(|| self.trainer.clone());
        let check_before = rollback.then(|| self.check_loss());
        let before_masks = current_masks(&self.trainer.network);
        let sparsity_before = prune::sparsity(&self.trainer.network);
        let training_indices = self.trainer.training_indices().to_vec();
        let request = PruneRequest {
            strategy: self.config.prune.strategy,
            scope: self.config.prune.scope,
            granularity: self.config.prune.granularity,
            keep_output_layer: self.config.prune.keep_output_layer,
            target,
        };
        let context = ScoreContext {
            dataset: &self.dataset,
            training_indices: &training_indices,
            batch_size: self.config.train.batch_size,
            batches: self.config.prune.gradient_batches,
            seed: self.config.train.seed,
            movement: self.movement.as_deref(),
        };
        // Overrides follow the schedule: `o · target / final target` at this step.
        let names = layer_targets::prunable_names(&self.trainer.network);
        let overrides = layer_targets::resolve(&names, &self.config.prune.layer_targets)?;
        let overrides =
            layer_targets::scaled(&overrides, target, self.config.prune.target_sparsity);
        prune_to_targets(&mut self.trainer.network, &request, &overrides, &context)?;
        let after_masks = current_masks(&self.trainer.network);
        let sparsity_after = prune::sparsity(&self.trainer.network);
        let check_after = rollback.then(|| self.check_loss());
        let removed = count_removed(&before_masks, &after_masks);
        let step = self.global_step();
        let accepted = match (check_before, check_after) {
            (Some(before), Some(after)) => {
                (after - before) as f64 <= self.config.prune.tolerance * before.abs() as f64
            }
            _ => true,
        };
        self.history.records.events.push(PruneEvent {
            step,
            accepted,
            target,
            sparsity_before,
            sparsity_after,
            check_loss_before: check_before,
            check_loss_after: check_after,
            removed,
        });
        if !accepted {
            // Restore weights, optimiser state and masks exactly; the compute spent stays counted.
            if let Some(saved) = saved {
                self.trainer = saved;
            }
            self.halvings += 1;
            self.phase = Phase::Rollback;
            self.record_eval();
            return Ok(StepOutcome::RolledBack);
        }
        self.record_mask_changes(step, &before_masks, &after_masks);
        self.phase = Phase::Prune;
        self.record_eval();
        self.phase = Phase::FineTune;
        Ok(StepOutcome::Pruned)
    }

    /// Lottery: the end of a training round — prune the next chunk and rewind, or (after the last
    /// round) finish.
    fn lottery_round_end(&mut self) -> Result<StepOutcome> {
        let rounds = self.config.lottery_rounds();
        if self.lottery_round == 0 {
            let dense = self.evaluate_test();
            self.history.dense_test_accuracy = Some(dense.accuracy);
        }
        if self.lottery_round >= rounds {
            self.finish();
            return Ok(StepOutcome::Finished);
        }
        self.lottery_round += 1;
        let p = self.config.prune.clone();
        let target =
            (1.0 - (1.0 - p.prune_rate).powi(self.lottery_round as i32)).min(p.target_sparsity);
        let target = if self.lottery_round == rounds {
            p.target_sparsity
        } else {
            target
        };
        self.prune_step(target)?;
        // Rewind: kept weights back to the saved (or fresh) values, masks kept, optimiser and
        // learning-rate schedule restarted; the next round trains `pretrain_epochs`, the last
        // one `finetune_epochs`.
        let values = match p.rewind {
            Rewind::Random => {
                let stream_seed = self
                    .config
                    .train
                    .seed
                    .wrapping_add(1000 + self.lottery_round as u64);
                let fresh = Network::seeded(
                    &self.config.architecture,
                    &mut seeded_rng(stream_seed, INIT_STREAM),
                )?;
                all_values(&fresh)
            }
            // Early rewinding before `rewind_step` was reached falls back to the current weights'
            // start: the initial ones are not kept in that case, so take what was saved.
            _ => self
                .rewind_to
                .clone()
                .unwrap_or_else(|| all_values(&self.trainer.network)),
        };
        let mut network = self.trainer.network.clone_parameters();
        for (param, saved) in network.params_mut().zip(values) {
            param.value.copy_from_slice(&saved);
            if let Some(mask) = param.mask().map(<[bool]>::to_vec) {
                param.set_mask(mask);
            }
        }
        let epochs = if self.lottery_round == rounds {
            p.finetune_epochs
        } else {
            p.pretrain_epochs
        };
        self.offset = self.global_step();
        let round = phase_config(&self.config, epochs.max(1), self.lottery_round as u64);
        self.trainer =
            Trainer::with_network(network, round, self.dataset.clone(), eval_set(&self.config))?;
        self.phase = Phase::FineTune;
        self.record_eval();
        Ok(StepOutcome::Pruned)
    }

    /// SET / RigL: the drop fraction at this pruning-phase step, when it is an update step.
    fn regrow_fraction_at(&self, phase_step: u64) -> Option<f64> {
        let p = &self.config.prune;
        if !p.strategy.is_dynamic() || phase_step == 0 || phase_step % p.regrow_interval != 0 {
            return None;
        }
        // RigL stops updating the mask at 75% of training.
        let end = self.trainer.planned_steps() * 3 / 4;
        let fraction = drop_fraction(p.regrow_fraction, phase_step, end);
        (fraction > 0.0).then_some(fraction)
    }

    /// One drop-and-regrow update (sparsity unchanged), recorded as mask deltas.
    fn regrow_step(&mut self, fraction: f64) -> Result<StepOutcome> {
        let before = current_masks(&self.trainer.network);
        let gradients = if self.config.prune.strategy == Strategy::Rigl {
            Some(self.dense_gradients()?)
        } else {
            None
        };
        let step = self.global_step();
        let regrowth = match &gradients {
            Some(g) => Regrowth::Gradient(g),
            None => Regrowth::Random {
                seed: self.config.train.seed,
                step,
            },
        };
        let values: Vec<&[f32]> = self
            .trainer
            .network
            .params()
            .filter(|p| p.is_prunable())
            .map(|p| p.value.as_slice())
            .collect();
        let after = drop_and_regrow(&values, &before, fraction, &regrowth);
        let mut new = after.clone().into_iter();
        for param in self
            .trainer
            .network
            .params_mut()
            .filter(|p| p.is_prunable())
        {
            if let Some(mask) = new.next() {
                param.set_mask(mask);
            }
        }
        let sparsity = prune::sparsity(&self.trainer.network);
        self.record_mask_changes(step, &before, &after);
        self.history.records.events.push(PruneEvent {
            step,
            accepted: true,
            target: sparsity,
            sparsity_before: sparsity,
            sparsity_after: sparsity,
            check_loss_before: None,
            check_loss_after: None,
            removed: count_removed(&before, &after),
        });
        self.phase = Phase::Regrow;
        Ok(StepOutcome::Pruned)
    }

    /// RigL's regrowth signal: the gradient of one batch with every weight active (pruned ones are
    /// 0, so the function is the same), counted as one dense training batch of compute.
    fn dense_gradients(&mut self) -> Result<Vec<Vec<f32>>> {
        let mut dense = self.trainer.network.clone_parameters();
        for param in dense.params_mut().filter(|p| p.is_prunable()) {
            let len = param.len();
            param.set_mask(vec![true; len]);
        }
        let training_indices = self.trainer.training_indices().to_vec();
        let context = ScoreContext {
            dataset: &self.dataset,
            training_indices: &training_indices,
            batch_size: self.config.train.batch_size,
            batches: 1,
            seed: self.config.train.seed,
            movement: None,
        };
        let gradients = average_gradients(&mut dense, &context, 1)?;
        self.compute.add_batch(&dense, self.config.train.batch_size);
        Ok(gradients)
    }

    /// Appends the mask deltas (removed and regrown indices per tensor) of one step.
    fn record_mask_changes(&mut self, step: u64, before: &[Vec<bool>], after: &[Vec<bool>]) {
        for (tensor, (old, new)) in before.iter().zip(after).enumerate() {
            let changed = |from: bool| -> Vec<u32> {
                old.iter()
                    .zip(new)
                    .enumerate()
                    .filter(|(_, (&was, &is))| was == from && is != from)
                    .map(|(i, _)| i as u32)
                    .collect()
            };
            let (removed, regrown) = (changed(true), changed(false));
            if !removed.is_empty() || !regrown.is_empty() {
                self.history.records.mask_deltas.push(MaskDelta {
                    step,
                    tensor: tensor as u32,
                    removed,
                    regrown,
                });
            }
        }
    }

    /// Mean loss on the held-out check images, counted as forward compute.
    fn check_loss(&mut self) -> f32 {
        let check = std::mem::take(&mut self.check);
        let loss = self.trainer.evaluate(&check).loss;
        self.compute.add_forward(&self.trainer.network, check.len());
        self.check = check;
        loss
    }

    fn train_one(&mut self, phase: Phase) -> Result<()> {
        let examples = self.next_batch_len();
        let (batch, epoch_end) = self.trainer.train_batch()?;
        self.compute.add_batch(&self.trainer.network, examples);
        let p = &self.config.prune;
        if p.schedule == ScheduleKind::Lottery
            && p.rewind == Rewind::Early
            && self.rewind_to.is_none()
            && self.global_step() >= p.rewind_step
        {
            self.rewind_to = Some(all_values(&self.trainer.network));
        }
        if self.config.prune.strategy == Strategy::Movement {
            // The gradients of this batch are still in the parameters.
            let network = &self.trainer.network;
            let movement = self.movement.get_or_insert_with(|| {
                network
                    .params()
                    .filter(|p| p.is_prunable())
                    .map(|p| vec![0.0; p.len()])
                    .collect()
            });
            let params = network.params().filter(|p| p.is_prunable());
            for (scores, param) in movement.iter_mut().zip(params) {
                for ((s, &w), &g) in scores.iter_mut().zip(&param.value).zip(&param.grad) {
                    *s -= w * g;
                }
            }
        }
        self.phase = phase;
        self.running.0 += batch.loss as f64 * examples as f64;
        self.running.1 += (batch.accuracy * examples as f32).round() as usize;
        self.running.2 += examples;
        self.history.records.steps.push(StepRecord {
            step: self.global_step(),
            epoch: self.epoch(),
            phase,
            loss: batch.loss,
            accuracy: batch.accuracy,
            learning_rate: batch.learning_rate,
            kept: self.trainer.network.kept_param_count() as u32,
            macs_actual: self.compute.actual,
            macs_dense: self.compute.dense,
        });
        if epoch_end.is_some() || self.trainer.step() % self.eval_interval == 0 {
            self.record_eval();
        }
        Ok(())
    }

    /// Examples in the next mini-batch (the last of an epoch may be short).
    fn next_batch_len(&self) -> usize {
        let size = self.trainer.config().batch_size;
        let per_epoch = self.trainer.training_indices().len();
        let done = (self.trainer.step() as usize % self.trainer.batches_per_epoch()) * size;
        per_epoch.saturating_sub(done).min(size)
    }

    fn finish(&mut self) {
        self.stage = Stage::Done;
        self.phase = Phase::Done;
        let last = self.history.records.evals.last().map(|e| e.step);
        if last != Some(self.global_step()) {
            self.record_eval();
        }
    }

    fn record_eval(&mut self) {
        let test = self.evaluate_test();
        let (loss_sum, correct, seen) = std::mem::take(&mut self.running);
        let network = &self.trainer.network;
        let step = self.global_step();
        let kept_per_tensor: Vec<u32> = network
            .params()
            .filter(|p| p.is_prunable())
            .map(|p| p.kept() as u32)
            .collect();
        self.history.records.evals.push(EvalRecord {
            step,
            epoch: self.epoch(),
            phase: self.phase,
            test_loss: test.loss,
            test_accuracy: test.accuracy,
            train_loss: (seen > 0).then(|| (loss_sum / seen as f64) as f32),
            train_accuracy: (seen > 0).then(|| correct as f32 / seen as f32),
            kept: network.kept_param_count() as u32,
            kept_per_tensor,
            sparsity: prune::sparsity(network),
            macs_actual: self.compute.actual,
            macs_dense: self.compute.dense,
        });
        let weights = network
            .params()
            .filter(|p| p.is_prunable())
            .map(|p| p.value.clone())
            .collect();
        // A prune step and the eval after it share a step number: keep the later snapshot only.
        let snapshots = &mut self.history.records.snapshots;
        if snapshots.last().map(|s| s.step) == Some(step) {
            snapshots.pop();
        }
        snapshots.push(Snapshot { step, weights });
    }
}

/// The training settings of one phase: its epoch count and its own seed (so the fine-tuning data
/// order differs from pre-training's); a fresh learning-rate schedule and optimiser state.
fn phase_config(config: &RunConfig, epochs: u32, phase: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        seed: config.train.seed.wrapping_add(phase),
        ..config.effective_train()
    }
}

/// The rollback schedule checks on the validation slice, so it must not train on it.
fn eval_set(config: &RunConfig) -> EvalSet {
    if config.prune.schedule == ScheduleKind::Rollback {
        EvalSet::Validation
    } else {
        EvalSet::Test
    }
}

fn tensor_infos(network: &Network) -> Vec<TensorInfo> {
    let mut infos = Vec::new();
    for (layer, &input) in network.layers().iter().zip(network.shapes()) {
        let weight = match layer {
            Layer::Conv(conv) => &conv.weight,
            Layer::Dense(dense) => &dense.weight,
            _ => continue,
        };
        infos.push(TensorInfo {
            name: weight.name.clone(),
            shape: weight.shape.clone(),
            input,
        });
    }
    infos
}

/// Every parameter's values, in [`Network::params`] order.
fn all_values(network: &Network) -> Vec<Vec<f32>> {
    network.params().map(|p| p.value.clone()).collect()
}

fn current_masks(network: &Network) -> Vec<Vec<bool>> {
    network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect()
}

fn count_removed(before: &[Vec<bool>], after: &[Vec<bool>]) -> u32 {
    before
        .iter()
        .zip(after)
        .map(|(b, a)| b.iter().zip(a).filter(|(&was, &is)| was && !is).count() as u32)
        .sum()
}
