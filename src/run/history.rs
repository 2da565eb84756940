//! What a run records: the single data contract that the CLI, the charts and the browser read.
//!
//! Everything is append-only, so a consumer in another thread (the page, while the worker trains)
//! keeps a [`Cursor`] and receives only what is new ([`History::chunk_since`], [`History::append`]).
//! Masks are stored as deltas (indices removed or regrown at a step), weights as snapshots at the
//! evaluation points, so a run can be scrubbed to any recorded step without re-training
//! (see `replay`). Steps are counted on one clock for the whole run: step `s` is the state after
//! `s` mini-batches.

use serde::{Deserialize, Serialize};

use crate::nn::Shape;

/// What the run is doing at a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Dense training before pruning.
    Train,
    /// A pruning step was applied.
    Prune,
    /// Training with the mask.
    FineTune,
    /// A pruning step hurt the held-out loss too much and was undone.
    Rollback,
    /// Dynamic sparse training dropped and regrew weights (sparsity unchanged).
    Regrow,
    /// The run has ended.
    Done,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Train => "train",
            Phase::Prune => "prune",
            Phase::FineTune => "fine_tune",
            Phase::Rollback => "rollback",
            Phase::Regrow => "regrow",
            Phase::Done => "done",
        }
    }
}

/// One trained mini-batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: u64,
    pub epoch: f64,
    pub phase: Phase,
    pub loss: f32,
    pub accuracy: f32,
    pub learning_rate: f32,
    pub kept: u32,
    /// Cumulative training MACs so far, with the real masks and as if dense.
    pub macs_actual: u64,
    pub macs_dense: u64,
}

/// A test-set evaluation (at epoch ends, after pruning steps and `evals_per_epoch` times per epoch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalRecord {
    pub step: u64,
    pub epoch: f64,
    pub phase: Phase,
    pub test_loss: f32,
    pub test_accuracy: f32,
    /// Mean over the mini-batches trained since the previous evaluation (`None` when there were none).
    pub train_loss: Option<f32>,
    pub train_accuracy: Option<f32>,
    pub kept: u32,
    pub kept_per_tensor: Vec<u32>,
    pub sparsity: f64,
    pub macs_actual: u64,
    pub macs_dense: u64,
}

/// One pruning attempt, accepted or rolled back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PruneEvent {
    pub step: u64,
    pub accepted: bool,
    /// The sparsity this step pruned towards.
    pub target: f64,
    pub sparsity_before: f64,
    /// The sparsity the step reached (for a rolled-back step: before it was undone).
    pub sparsity_after: f64,
    /// Held-out loss before and after (rollback schedule only).
    pub check_loss_before: Option<f32>,
    pub check_loss_after: Option<f32>,
    /// Weights removed by this step (for a rolled-back step: removed, then restored).
    pub removed: u32,
}

/// The mask change of one tensor at one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaskDelta {
    pub step: u64,
    /// Index of the tensor among the prunable tensors.
    pub tensor: u32,
    pub removed: Vec<u32>,
    pub regrown: Vec<u32>,
}

/// The prunable weights at a step, and the biases (so the network at the step can run again:
/// the feature maps of a past step). Histories saved before biases were recorded read as empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub step: u64,
    pub weights: Vec<Vec<f32>>,
    /// Every non-prunable tensor (the biases) in layer order; empty in older session files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub biases: Vec<Vec<f32>>,
}

/// Name and PyTorch shape of a prunable tensor, and the per-example input shape of its layer
/// (so a dense unit's weights can be drawn shaped like the feature maps it reads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorInfo {
    pub name: String,
    pub shape: Vec<usize>,
    pub input: Shape,
}

/// The append-only part of a history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub steps: Vec<StepRecord>,
    pub evals: Vec<EvalRecord>,
    pub events: Vec<PruneEvent>,
    pub mask_deltas: Vec<MaskDelta>,
    pub snapshots: Vec<Snapshot>,
}

/// How much of a history a consumer has already seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub steps: usize,
    pub evals: usize,
    pub events: usize,
    pub mask_deltas: usize,
    pub snapshots: usize,
}

/// The whole record of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub tensors: Vec<TensorInfo>,
    /// Masks at step 0 (all kept unless the starting weights came with masks).
    pub initial_masks: Vec<Vec<bool>>,
    /// Test accuracy of the dense network at the end of pre-training, when there was pre-training.
    pub dense_test_accuracy: Option<f32>,
    /// Mini-batches the whole run trains.
    #[serde(default)]
    pub planned_steps: u64,
    pub records: Records,
}

impl History {
    pub fn new(tensors: Vec<TensorInfo>, initial_masks: Vec<Vec<bool>>) -> Self {
        History {
            tensors,
            initial_masks,
            dense_test_accuracy: None,
            planned_steps: 0,
            records: Records::default(),
        }
    }

    /// A cursor at the end of what is recorded now.
    pub fn cursor(&self) -> Cursor {
        let r = &self.records;
        Cursor {
            steps: r.steps.len(),
            evals: r.evals.len(),
            events: r.events.len(),
            mask_deltas: r.mask_deltas.len(),
            snapshots: r.snapshots.len(),
        }
    }

    /// Everything recorded after `cursor`.
    pub fn chunk_since(&self, cursor: Cursor) -> Records {
        fn tail<T: Clone>(items: &[T], from: usize) -> Vec<T> {
            items.get(from..).unwrap_or_default().to_vec()
        }
        let r = &self.records;
        Records {
            steps: tail(&r.steps, cursor.steps),
            evals: tail(&r.evals, cursor.evals),
            events: tail(&r.events, cursor.events),
            mask_deltas: tail(&r.mask_deltas, cursor.mask_deltas),
            snapshots: tail(&r.snapshots, cursor.snapshots),
        }
    }

    /// Appends a chunk received from [`History::chunk_since`].
    pub fn append(&mut self, chunk: Records) {
        let r = &mut self.records;
        r.steps.extend(chunk.steps);
        r.evals.extend(chunk.evals);
        r.events.extend(chunk.events);
        r.mask_deltas.extend(chunk.mask_deltas);
        r.snapshots.extend(chunk.snapshots);
    }

    /// The last recorded step (0 before any).
    pub fn last_step(&self) -> u64 {
        let r = &self.records;
        let last = |s: Option<u64>| s.unwrap_or(0);
        last(r.steps.last().map(|s| s.step))
            .max(last(r.evals.last().map(|e| e.step)))
            .max(last(r.events.last().map(|e| e.step)))
    }

    /// Total prunable weights.
    pub fn prunable_count(&self) -> usize {
        self.initial_masks.iter().map(Vec::len).sum()
    }
}
