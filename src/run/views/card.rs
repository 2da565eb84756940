//! The results card: the plain before/after answer at the end of a run, dense vs pruned.

use serde::{Deserialize, Serialize};

/// Times measured in the browser's worker (web::timing) on the run's dense snapshot and its
/// pruned network; the core never reads a clock, so these arrive from outside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuredTime {
    /// One training epoch (`images_per_epoch` images), scaled from timed mini-batches.
    pub epoch_ms_dense: f64,
    pub epoch_ms_pruned: f64,
    /// A forward pass over 1,000 test images.
    pub inference_1000_ms_dense: f64,
    pub inference_1000_ms_pruned: f64,
    pub images_per_epoch: usize,
}
