//! The headline figures of a run as of a step: what the page's counters and the per-layer line show.

use serde::Serialize;

use crate::i18n::Lang;
use crate::metrics::{energy_joules, ENERGY_MODEL};
use crate::run::history::{EvalRecord, History, TensorInfo};
use crate::run::lessons::target_status_in;
use crate::run::PruneSettings;

/// A run's figures as of a step (the latest records at or before it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub step: u64,
    pub planned_steps: u64,
    pub test_accuracy: Option<f32>,
    pub dense_test_accuracy: Option<f32>,
    /// Kept prunable weights at the latest evaluation.
    pub kept: Option<u32>,
    pub prunable: usize,
    pub total_params: usize,
    pub sparsity: Option<f64>,
    /// Each prunable layer's sparsity at the latest evaluation; empty before the first one.
    pub layers: Vec<LayerSparsity>,
    /// Cumulative training MACs with the real masks and as if dense, at the latest step.
    pub macs_actual: u64,
    pub macs_dense: u64,
    pub energy_joules: f64,
    pub energy_joules_dense: f64,
    pub energy_model: &'static str,
    /// Pruning steps undone so far (rollback schedule).
    pub rolled_back: usize,
    /// The sparsity the run prunes towards.
    pub target_sparsity: f64,
    /// Set once the run has finished below its target: why (e.g. "7 of 9 pruning steps were
    /// rolled back: …"). Whole-unit pruning within 1 point of the target counts as reached.
    pub target_missed: Option<String>,
}

/// One prunable layer's fraction of removed weights.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerSparsity {
    /// The layer's name without `.weight`, as per-layer overrides spell it (`conv1`).
    pub layer: String,
    pub sparsity: f64,
}

/// The figures of `history` as of step `until`. `prune` (the run's pruning settings),
/// `planned_steps` and `total_params` (all parameters, biases included) come from the run, not
/// the history. `target_missed` is about the whole run, whatever `until` is.
pub fn summary(
    history: &History,
    prune: &PruneSettings,
    planned_steps: u64,
    total_params: usize,
    until: u64,
) -> Summary {
    summary_in(history, prune, planned_steps, total_params, until, Lang::En)
}

/// [`summary`] with `target_missed` in `lang`.
pub fn summary_in(
    history: &History,
    prune: &PruneSettings,
    planned_steps: u64,
    total_params: usize,
    until: u64,
    lang: Lang,
) -> Summary {
    let records = &history.records;
    let eval = records.evals.iter().rev().find(|e| e.step <= until);
    let step = records.steps.iter().rev().find(|s| s.step <= until);
    let (macs_actual, macs_dense) = step.map_or((0, 0), |s| (s.macs_actual, s.macs_dense));
    Summary {
        step: until,
        planned_steps,
        test_accuracy: eval.map(|e| e.test_accuracy),
        dense_test_accuracy: history.dense_test_accuracy,
        kept: eval.map(|e| e.kept),
        prunable: history.prunable_count(),
        total_params,
        sparsity: eval.map(|e| e.sparsity),
        layers: eval.map_or_else(Vec::new, |e| layer_sparsity(history, e)),
        macs_actual,
        macs_dense,
        energy_joules: energy_joules(macs_actual),
        energy_joules_dense: energy_joules(macs_dense),
        energy_model: ENERGY_MODEL,
        rolled_back: records
            .events
            .iter()
            .filter(|e| !e.accepted && e.step <= until)
            .count(),
        target_sparsity: prune.target_sparsity,
        target_missed: target_status_in(prune, history, lang).reason,
    }
}

/// Each prunable layer's sparsity at evaluation `eval`.
pub fn layer_sparsity(history: &History, eval: &EvalRecord) -> Vec<LayerSparsity> {
    history
        .tensors
        .iter()
        .zip(&eval.kept_per_tensor)
        .map(|(info, &kept)| LayerSparsity {
            layer: info.name.trim_end_matches(".weight").to_string(),
            sparsity: tensor_sparsity(info, kept),
        })
        .collect()
}

/// The fraction of `info`'s weights that are pruned when `kept` of them are kept.
pub fn tensor_sparsity(info: &TensorInfo, kept: u32) -> f64 {
    let total = info.shape.iter().product::<usize>().max(1) as f64;
    1.0 - f64::from(kept) / total
}
