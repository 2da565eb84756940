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

use super::config::{RunConfig, ScheduleKind};
use super::history::{
    EvalRecord, History, MaskDelta, Phase, PruneEvent, Snapshot, StepRecord, TensorInfo,
};
use crate::data::Dataset;
use crate::metrics::ComputeCounter;
use crate::nn::{Layer, Network};
use crate::prune::apply::{prune_to_target, PruneRequest};
use crate::prune::schedule::SparsitySchedule;
use crate::prune::{self, ScoreContext};
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
        };
        run.history.planned_steps = run.planned_steps();
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
        per_epoch * (self.config.prune.pretrain_epochs + self.config.prune.finetune_epochs) as u64
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
                }
                if self.config.prune.finetune_epochs == 0 || self.trainer.is_finished() {
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
        if self.config.prune.pretrain_epochs > 0 {
            let dense = self.evaluate_test();
            self.history.dense_test_accuracy = Some(dense.accuracy);
        }
        self.offset = self.global_step();
        let epochs = self.config.prune.finetune_epochs.max(1);
        let finetune = phase_config(&self.config, epochs, 1);
        let network = self.trainer.network.clone();
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
        };
        prune_to_target(&mut self.trainer.network, &request, &context)?;
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
        for (tensor, (old, new)) in before_masks.iter().zip(&after_masks).enumerate() {
            let removed: Vec<u32> = old
                .iter()
                .zip(new)
                .enumerate()
                .filter(|(_, (&was, &is))| was && !is)
                .map(|(i, _)| i as u32)
                .collect();
            let regrown: Vec<u32> = old
                .iter()
                .zip(new)
                .enumerate()
                .filter(|(_, (&was, &is))| !was && is)
                .map(|(i, _)| i as u32)
                .collect();
            if !removed.is_empty() || !regrown.is_empty() {
                self.history.records.mask_deltas.push(MaskDelta {
                    step,
                    tensor: tensor as u32,
                    removed,
                    regrown,
                });
            }
        }
        self.phase = Phase::Prune;
        self.record_eval();
        self.phase = Phase::FineTune;
        Ok(StepOutcome::Pruned)
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
