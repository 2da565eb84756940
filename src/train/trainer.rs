//! The step-able trainer: one call trains one mini-batch, so the CLI can loop over it and the browser
//! worker can interleave it with messages. All state needed to continue is in this struct.
//!
//! Randomness: the initial weights, each epoch's example order, dropout and targeted dropout each
//! come from their own ChaCha8 stream derived from `config.seed`, so the same seed and settings give
//! bit-identical runs.

use std::sync::Arc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::config::{learning_rate_at, TrainConfig};
use super::observer::{BatchReport, EpochReport, TrainObserver};
use super::targeted_dropout::TargetedDropout;
use crate::data::{epoch_order, fill_batch, Dataset, Split};
use crate::error::ErrorCode;
use crate::i18n::{plain, Message};
use crate::nn::kernels::prefetch;
use crate::nn::loss::softmax_cross_entropy;
use crate::nn::{ArchSpec, Network, Optimizer};
use crate::{Error, Result};

/// Which held-out images the epoch reports are measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalSet {
    /// Train on all 8,000 training images, report the 2,000 test images.
    Test,
    /// Train on the fit part, report the validation slice (for choosing hyper-parameters).
    Validation,
}

/// Loss and accuracy over a set of images.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    pub loss: f32,
    pub accuracy: f32,
    pub count: usize,
}

/// Images per forward pass during evaluation (bounds the im2col workspace).
const EVAL_CHUNK: usize = 128;

/// Distinct seed streams, so changing one use of randomness never shifts another.
const INIT_STREAM: u64 = 0x1;
const DROPOUT_STREAM: u64 = 0x2;
const TARGETED_DROPOUT_STREAM: u64 = 0x3;

/// Cloning a trainer snapshots everything a step changes (weights, masks, optimiser state, data order,
/// dropout generator): the rollback schedule restores such a copy bit for bit.
#[derive(Clone)]
pub struct Trainer {
    pub network: Network,
    pub optimizer: Optimizer,
    config: TrainConfig,
    dataset: Arc<Dataset>,
    split: Split,
    eval_set: EvalSet,
    epoch: u32,
    order: Vec<usize>,
    cursor: usize,
    step: u64,
    dropout_rng: ChaCha8Rng,
    /// Targeted dropout of the smallest weights, when the config asks for it.
    targeted_dropout: Option<TargetedDropout>,
    batch_labels: Vec<u8>,
    grad_logits: Vec<f32>,
    epoch_loss: f64,
    epoch_correct: usize,
    epoch_seen: usize,
}

/// A seeded generator for one purpose (`stream`) of a run.
pub fn seeded_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

impl Trainer {
    /// A fresh network initialised from `config.seed`.
    pub fn new(
        spec: &ArchSpec,
        config: TrainConfig,
        dataset: Arc<Dataset>,
        eval_set: EvalSet,
    ) -> Result<Self> {
        config.validate()?;
        let network = Network::seeded(spec, &mut seeded_rng(config.seed, INIT_STREAM))?;
        Self::with_network(network, config, dataset, eval_set)
    }

    /// Continues from given weights and masks (e.g. loaded from an .npz file).
    pub fn with_network(
        mut network: Network,
        config: TrainConfig,
        dataset: Arc<Dataset>,
        eval_set: EvalSet,
    ) -> Result<Self> {
        config.validate()?;
        let input = network.shapes()[0];
        if input.channels != 1 || input.height != dataset.rows() || input.width != dataset.cols() {
            return Err(Error::setting(
                "architecture.input",
                format!(
                    "{}×{}×{} does not match the dataset's 1×{}×{} images",
                    input.channels,
                    input.height,
                    input.width,
                    dataset.rows(),
                    dataset.cols()
                ),
            ));
        }
        let split = Split::standard(dataset.len());
        network.reserve(config.batch_size.max(EVAL_CHUNK));
        let optimizer = Optimizer::new(config.optimizer_settings(), &network);
        let classes = network.classes();
        let mut trainer = Trainer {
            network,
            optimizer,
            dropout_rng: seeded_rng(config.seed, DROPOUT_STREAM),
            targeted_dropout: config.targeted_dropout.map(|settings| {
                TargetedDropout::new(settings, seeded_rng(config.seed, TARGETED_DROPOUT_STREAM))
            }),
            batch_labels: vec![0; config.batch_size.max(EVAL_CHUNK)],
            grad_logits: vec![0.0; config.batch_size * classes],
            config,
            dataset,
            split,
            eval_set,
            epoch: 0,
            order: Vec::new(),
            cursor: 0,
            step: 0,
            epoch_loss: 0.0,
            epoch_correct: 0,
            epoch_seen: 0,
        };
        trainer.order = epoch_order(trainer.training_indices(), trainer.config.seed, 0);
        Ok(trainer)
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.dataset
    }

    pub fn split(&self) -> &Split {
        &self.split
    }

    /// The images trained on: all of train, or its fit part when evaluating on validation.
    pub fn training_indices(&self) -> &[usize] {
        match self.eval_set {
            EvalSet::Test => &self.split.train,
            EvalSet::Validation => self.split.fit(),
        }
    }

    /// The images epoch reports are measured on.
    pub fn eval_indices(&self) -> &[usize] {
        match self.eval_set {
            EvalSet::Test => &self.split.test,
            EvalSet::Validation => self.split.validation(),
        }
    }

    /// Targeted dropout's state (the weights it dropped in the last step), when it is on.
    pub fn targeted_dropout(&self) -> Option<&TargetedDropout> {
        self.targeted_dropout.as_ref()
    }

    /// Completed epochs.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// Mini-batches trained so far.
    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.training_indices()
            .len()
            .div_ceil(self.config.batch_size)
    }

    /// Steps the learning-rate schedule spans (all planned epochs).
    pub fn planned_steps(&self) -> u64 {
        self.batches_per_epoch() as u64 * self.config.epochs as u64
    }

    pub fn is_finished(&self) -> bool {
        self.epoch >= self.config.epochs
    }

    /// Trains one mini-batch. Returns the batch report, and the epoch report when this batch ended an epoch.
    ///
    /// A non-finite loss or gradient is reported as [`Error::Diverged`] *before* the update, so the
    /// weights stay at their last good values.
    pub fn train_batch(&mut self) -> Result<(BatchReport, Option<EpochReport>)> {
        let batch_size = self.config.batch_size;
        let end = (self.cursor + batch_size).min(self.order.len());
        let count = end - self.cursor;
        fill_batch(
            &self.dataset,
            &self.order[self.cursor..end],
            self.network.input_mut(count),
            &mut self.batch_labels[..count],
        );
        // The next batch's images arrive in cache while this one trains (within the epoch).
        let next = &self.order[end..(end + batch_size).min(self.order.len())];
        for &index in next {
            prefetch(self.dataset.image(index));
        }
        // Targeted dropout holds its weights at 0 for this step only: back before anything else
        // (the epoch's evaluation included) sees the network, also when the step failed.
        if let Some(targeted) = &mut self.targeted_dropout {
            targeted.drop_weights(&mut self.network);
        }
        let update = self.forward_backward_update(count);
        if let Some(targeted) = &self.targeted_dropout {
            targeted.restore(&mut self.network);
        }
        let (loss, correct, learning_rate) = update?;
        let batch = self.cursor / batch_size;
        self.cursor = end;
        self.step += 1;
        self.epoch_loss += loss as f64 * count as f64;
        self.epoch_correct += correct;
        self.epoch_seen += count;
        let report = BatchReport {
            epoch: self.epoch,
            batch,
            batches_per_epoch: self.batches_per_epoch(),
            step: self.step,
            loss,
            accuracy: correct as f32 / count as f32,
            learning_rate,
        };
        let epoch_report = if self.cursor >= self.order.len() {
            Some(self.finish_epoch(learning_rate))
        } else {
            None
        };
        Ok((report, epoch_report))
    }

    /// Forward, backward and the optimiser's update on the `count` examples in the network's
    /// input: the loss, the number correct and the learning rate used. Targeted dropout's weights
    /// (when on) are 0 during this call and get no gradient.
    fn forward_backward_update(&mut self, count: usize) -> Result<(f32, usize, f32)> {
        let classes = self.network.classes();
        let dropout =
            (self.config.dropout > 0.0).then_some((self.config.dropout, &mut self.dropout_rng));
        let logits = self.network.forward_input(count, dropout);
        let (loss, correct) = softmax_cross_entropy(
            logits,
            &self.batch_labels[..count],
            classes,
            Some(&mut self.grad_logits[..count * classes]),
        );
        if !loss.is_finite() {
            return Err(Error::Diverged(ErrorCode::DivergedLoss.with(vec![
                ("loss", plain(loss)),
                ("step", plain(self.step + 1)),
                ("advice", self.advice()),
            ])));
        }
        self.network.zero_grad();
        self.network
            .backward(&self.grad_logits[..count * classes], count);
        if let Some(targeted) = &self.targeted_dropout {
            targeted.clear_gradients(&mut self.network);
        }
        if let Some(param) = self
            .network
            .params()
            .find(|p| p.grad.iter().any(|g| !g.is_finite()))
        {
            return Err(Error::Diverged(ErrorCode::DivergedGradient.with(vec![
                ("tensor", plain(&param.name)),
                ("step", plain(self.step + 1)),
                ("advice", self.advice()),
            ])));
        }
        let learning_rate = learning_rate_at(&self.config, self.step, self.planned_steps());
        if let Some(name) = self.optimizer.step(&mut self.network, learning_rate) {
            return Err(Error::Diverged(ErrorCode::DivergedUpdate.with(vec![
                ("tensor", plain(name)),
                ("step", plain(self.step + 1)),
                ("rate", plain(self.config.learning_rate)),
            ])));
        }
        Ok((loss, correct, learning_rate))
    }

    fn finish_epoch(&mut self, learning_rate: f32) -> EpochReport {
        let eval_indices = self.eval_indices().to_vec();
        let eval = self.evaluate(&eval_indices);
        let report = EpochReport {
            epoch: self.epoch + 1,
            step: self.step,
            train_loss: (self.epoch_loss / self.epoch_seen.max(1) as f64) as f32,
            train_accuracy: self.epoch_correct as f32 / self.epoch_seen.max(1) as f32,
            eval_loss: eval.loss,
            eval_accuracy: eval.accuracy,
            eval_set: match self.eval_set {
                EvalSet::Test => "test",
                EvalSet::Validation => "validation",
            }
            .to_string(),
            learning_rate,
        };
        self.epoch += 1;
        self.cursor = 0;
        self.epoch_loss = 0.0;
        self.epoch_correct = 0;
        self.epoch_seen = 0;
        self.order = epoch_order(self.training_indices(), self.config.seed, self.epoch as u64);
        report
    }

    /// Trains until all planned epochs are done, reporting to `observer`.
    pub fn run(&mut self, observer: &mut dyn TrainObserver) -> Result<()> {
        while !self.is_finished() {
            let (batch, epoch) = self.train_batch()?;
            observer.on_batch(&batch);
            if let Some(epoch) = epoch {
                observer.on_epoch(&epoch);
            }
        }
        Ok(())
    }

    /// What to change after a divergence, with the current values.
    fn advice(&self) -> Message {
        let c = &self.config;
        if c.l1 > 0.0 || c.l2 > 0.0 {
            ErrorCode::AdvicePenalties.with(vec![
                ("rate", plain(c.learning_rate)),
                ("l1", plain(c.l1)),
                ("l2", plain(c.l2)),
            ])
        } else {
            ErrorCode::AdviceLearningRate.with(vec![("rate", plain(c.learning_rate))])
        }
    }

    /// Mean loss and accuracy of the current network on `indices` (no dropout, no update).
    pub fn evaluate(&mut self, indices: &[usize]) -> Evaluation {
        let classes = self.network.classes();
        let (mut loss, mut correct) = (0.0f64, 0usize);
        for chunk in indices.chunks(EVAL_CHUNK) {
            let count = chunk.len();
            fill_batch(
                &self.dataset,
                chunk,
                self.network.input_mut(count),
                &mut self.batch_labels[..count],
            );
            let logits = self.network.forward_input(count, None);
            let (chunk_loss, chunk_correct) =
                softmax_cross_entropy(logits, &self.batch_labels[..count], classes, None);
            loss += chunk_loss as f64 * count as f64;
            correct += chunk_correct;
        }
        let count = indices.len().max(1);
        Evaluation {
            loss: (loss / count as f64) as f32,
            accuracy: correct as f32 / count as f32,
            count: indices.len(),
        }
    }
}
