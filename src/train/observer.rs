//! The one event interface through which training reports progress (CLI progress bars now,
//! the browser worker's messages later).

use serde::{Deserialize, Serialize};

/// After every mini-batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchReport {
    /// 0-based epoch this batch belongs to.
    pub epoch: u32,
    /// 0-based batch index within the epoch.
    pub batch: usize,
    pub batches_per_epoch: usize,
    /// Batches trained so far in the whole run (1 after the first).
    pub step: u64,
    pub loss: f32,
    pub accuracy: f32,
    pub learning_rate: f32,
}

/// After every epoch: training figures averaged over the epoch, evaluation on the held-out set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// 1-based number of completed epochs.
    pub epoch: u32,
    pub step: u64,
    pub train_loss: f32,
    pub train_accuracy: f32,
    pub eval_loss: f32,
    pub eval_accuracy: f32,
    /// Which held-out set `eval_*` is measured on: "test" or "validation".
    pub eval_set: String,
    pub learning_rate: f32,
}

/// Receives training events. Both methods default to doing nothing.
pub trait TrainObserver {
    fn on_batch(&mut self, _report: &BatchReport) {}
    fn on_epoch(&mut self, _report: &EpochReport) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl TrainObserver for Silent {}

/// Collects every report, e.g. for a history file.
#[derive(Default, Debug, Clone)]
pub struct Recorder {
    pub batches: Vec<BatchReport>,
    pub epochs: Vec<EpochReport>,
}

impl TrainObserver for Recorder {
    fn on_batch(&mut self, report: &BatchReport) {
        self.batches.push(report.clone());
    }
    fn on_epoch(&mut self, report: &EpochReport) {
        self.epochs.push(report.clone());
    }
}
