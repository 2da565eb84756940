//! What every run has, whatever its schedule: the configuration, the data, the trainer of the
//! current phase, one step clock, the compute counter, the record and the dense reference — and
//! the mechanics every schedule uses: train a mini-batch, evaluate, start a phase with a fresh
//! trainer, record (pruning itself is in `pruning.rs`).
//!
//! Compute counting: every trained mini-batch and the rollback schedule's held-out checks
//! (including those of rolled-back attempts) are counted. The test-set evaluations that draw the
//! curves are not: they are the playground's measurement, not the method.

use std::sync::Arc;

use super::dense_reference::DenseReference;
use super::masks::{current_masks, tensor_infos};
use super::strategy_state::StrategyState;
use crate::data::Dataset;
use crate::metrics::ComputeCounter;
use crate::nn::Network;
use crate::prune;
use crate::run::config::RunConfig;
use crate::run::history::{EvalRecord, History, Phase, Snapshot, StepRecord};
use crate::train::{seeded_rng, EvalSet, Evaluation, TrainConfig, Trainer};
use crate::Result;

/// Seed stream of the initial weights (the same as [`Trainer::new`] uses).
const INIT_STREAM: u64 = 0x1;

/// Freshly initialised weights from `seed`.
pub(super) fn seeded_network(config: &RunConfig, seed: u64) -> Result<Network> {
    Network::seeded(&config.architecture, &mut seeded_rng(seed, INIT_STREAM))
}

/// Training loss and accuracy summed over the mini-batches since the last evaluation.
#[derive(Clone, Copy, Debug, Default)]
struct RunningTotals {
    loss_sum: f64,
    correct: usize,
    examples: usize,
}

/// Cloned whole when a run forks (see `fork.rs`).
#[derive(Clone)]
pub(super) struct RunState {
    pub config: RunConfig,
    pub dataset: Arc<Dataset>,
    /// The trainer of the current phase (network, optimiser state, data order).
    pub trainer: Trainer,
    /// The images every phase's trainer holds out (the schedule's choice).
    pub eval_set: EvalSet,
    pub phase: Phase,
    /// Global steps completed before the current trainer started (one clock for the whole run).
    offset: u64,
    pub compute: ComputeCounter,
    pub history: History,
    test: Vec<usize>,
    running: RunningTotals,
    eval_interval: u64,
    /// What the scoring rule accumulates while training.
    pub strategy_state: StrategyState,
    pub dense: DenseReference,
    pub finished: bool,
}

impl RunState {
    /// The state before the first step: `network` in a pre-training trainer, nothing recorded yet.
    pub fn new(
        config: RunConfig,
        dataset: Arc<Dataset>,
        network: Network,
        eval_set: EvalSet,
    ) -> Result<Self> {
        let tensors = tensor_infos(&network);
        let masks = current_masks(&network);
        let pretrain = phase_config(&config, config.prune.pretrain_epochs.max(1), 0);
        let trainer = Trainer::with_network(network, pretrain, dataset.clone(), eval_set)?;
        let test = trainer.split().test.clone();
        let per_epoch = trainer.batches_per_epoch() as u64;
        let eval_interval = match config.evals_per_epoch {
            0 => u64::MAX,
            n => (per_epoch / n as u64).max(1),
        };
        Ok(RunState {
            strategy_state: StrategyState::for_strategy(config.prune.strategy),
            config,
            dataset,
            trainer,
            eval_set,
            phase: Phase::Train,
            offset: 0,
            compute: ComputeCounter::default(),
            history: History::new(tensors, masks),
            test,
            running: RunningTotals::default(),
            eval_interval,
            dense: DenseReference::NotYetPruned,
            finished: false,
        })
    }

    /// Mini-batches trained so far.
    pub fn global_step(&self) -> u64 {
        self.offset + self.trainer.step()
    }

    /// Epochs completed, fractional.
    pub fn epoch(&self) -> f64 {
        self.global_step() as f64 / self.trainer.batches_per_epoch().max(1) as f64
    }

    pub fn evaluate_test(&mut self) -> Evaluation {
        self.trainer.evaluate(&self.test)
    }

    /// Starts a phase: `network` in a fresh trainer (new optimiser state and learning-rate
    /// schedule) for `epochs`, with the data order of phase number `phase_index`.
    pub fn start_phase(&mut self, network: Network, epochs: u32, phase_index: u64) -> Result<()> {
        self.offset = self.global_step();
        let config = phase_config(&self.config, epochs, phase_index);
        self.trainer = Trainer::with_network(network, config, self.dataset.clone(), self.eval_set)?;
        Ok(())
    }

    /// Records the dense reference: the network now, just before the first pruning step, and
    /// its test accuracy when it was trained at all.
    pub fn record_dense_reference(&mut self) {
        if self.config.prune.pretrain_epochs > 0 {
            let dense = self.evaluate_test();
            self.history.dense_test_accuracy = Some(dense.accuracy);
        }
        self.dense = DenseReference::Recorded(Box::new(self.trainer.network.clone_parameters()));
    }

    /// Trains one mini-batch and records it (and an evaluation when one is due).
    pub fn train_one(&mut self, phase: Phase) -> Result<()> {
        let examples = self.next_batch_len();
        let (batch, epoch_end) = self.trainer.train_batch()?;
        self.compute.add_batch(&self.trainer.network, examples);
        self.strategy_state.after_batch(&self.trainer.network);
        self.phase = phase;
        let running = &mut self.running;
        running.loss_sum += batch.loss as f64 * examples as f64;
        running.correct += (batch.accuracy * examples as f32).round() as usize;
        running.examples += examples;
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

    /// Ends the run, with an evaluation of its final state unless one was just recorded.
    pub fn finish(&mut self) {
        self.finished = true;
        self.phase = Phase::Done;
        let last = self.history.records.evals.last().map(|e| e.step);
        if last != Some(self.global_step()) {
            self.record_eval();
        }
    }

    /// A test-set evaluation and a snapshot of the prunable weights, at the current step.
    pub fn record_eval(&mut self) {
        let test = self.evaluate_test();
        let running = std::mem::take(&mut self.running);
        let seen = running.examples;
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
            train_loss: (seen > 0).then(|| (running.loss_sum / seen as f64) as f32),
            train_accuracy: (seen > 0).then(|| running.correct as f32 / seen as f32),
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
        let biases = network
            .params()
            .filter(|p| !p.is_prunable())
            .map(|p| p.value.clone())
            .collect();
        // A prune step and the eval after it share a step number: keep the later snapshot only.
        let snapshots = &mut self.history.records.snapshots;
        if snapshots.last().map(|s| s.step) == Some(step) {
            snapshots.pop();
        }
        snapshots.push(Snapshot {
            step,
            weights,
            biases,
        });
    }
}

/// The training settings of one phase: its epoch count and its own seed (so the fine-tuning data
/// order differs from pre-training's); a fresh learning-rate schedule and optimiser state.
pub(super) fn phase_config(config: &RunConfig, epochs: u32, phase_index: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        seed: config.train.seed.wrapping_add(phase_index),
        ..config.effective_train()
    }
}
