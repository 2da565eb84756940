//! The numbers a lesson may name, computed from a finished run's [`History`] and configuration.
//!
//! Accuracies and sparsities are fractions (0.979), changes are differences of fractions (−0.047,
//! written −4.7 pt), MACs and counts are whole numbers. See docs/lessons.md for the list.

use std::collections::BTreeMap;

use super::target::{target_status, TargetStatus};
use crate::metrics::energy_joules;
use crate::nn::{compact::compact, Network};
use crate::run::history::{EvalRecord, History, Phase, PruneEvent};
use crate::run::RunConfig;

/// How a metric is written for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A fraction written as a percentage: 97.9%.
    Percent,
    /// A difference of fractions in percentage points: −4.7 pt.
    Points,
    /// A whole number: 1,802.
    Count,
    /// Multiply-accumulates: 8.3 G MACs.
    Macs,
    /// Energy: 80.1 mJ.
    Joules,
    /// Yes or no (1 or 0): only `run.metric` or `not run.metric` in an expression.
    YesNo,
}

macro_rules! metrics {
    ($($variant:ident = $name:literal, $kind:ident, $doc:literal;)*) => {
        /// A metric of one run (see the table in docs/lessons.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $(#[doc = $doc] $variant,)*
        }

        impl Metric {
            pub const ALL: &'static [Metric] = &[$(Metric::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* }
            }

            pub fn kind(self) -> MetricKind {
                match self { $(Metric::$variant => MetricKind::$kind,)* }
            }

            /// One sentence saying what the number is (docs/lessons.md quotes these).
            pub fn meaning(self) -> &'static str {
                match self { $(Metric::$variant => $doc,)* }
            }
        }
    };
}

metrics! {
    Accuracy = "accuracy", Percent, "Test accuracy at the end of the run.";
    DenseAccuracy = "dense_accuracy", Percent, "Test accuracy of the dense network just before the first pruning step (none for SET / RigL, which are sparse from step 0).";
    AfterPruneAccuracy = "after_prune_accuracy", Percent, "Test accuracy right after the last pruning step that removed weights, before any further training: the run evaluates at that same step.";
    AfterPruneChange = "after_prune_change", Points, "after_prune_accuracy − dense_accuracy.";
    LowestAccuracy = "lowest_accuracy", Percent, "Lowest test accuracy at any evaluation from the first pruning step on.";
    Change = "change", Points, "accuracy − dense_accuracy.";
    Sparsity = "sparsity", Percent, "Fraction of prunable weights that are zero at the end.";
    Target = "target", Percent, "The target sparsity of the configuration.";
    TargetReached = "target_reached", YesNo, "Whether the final sparsity is within 1 point of the target (or above it).";
    Kept = "kept", Count, "Prunable weights kept at the end.";
    Total = "total", Count, "Prunable weights (conv and dense weights; biases are not pruned).";
    Params = "params", Count, "All parameters of the network, biases included.";
    ParamsKept = "params_kept", Count, "Parameters kept at the end, biases included.";
    CompactParams = "compact_params", Count, "Parameters of the network after compaction: units whose every weight is pruned are cut out (nn::compact); unstructured pruning leaves the shapes, and this number, as they were.";
    InferenceMacs = "inference_macs", Macs, "Multiply-accumulates to classify one image with the final masks.";
    InferenceMacsDense = "inference_macs_dense", Macs, "Multiply-accumulates to classify one image with every weight.";
    PruningSteps = "pruning_steps", Count, "Pruning steps attempted (kept or rolled back; drop-and-regrow updates are not counted).";
    RolledBack = "rolled_back", Count, "Pruning steps undone by the rollback schedule.";
    TrainMacs = "train_macs", Macs, "Training multiply-accumulates of the whole run, counted with the real masks.";
    TrainMacsDense = "train_macs_dense", Macs, "What the same training steps would have cost with every weight.";
    TrainEnergy = "train_energy", Joules, "train_macs in the energy model (9.6 pJ per multiply-accumulate).";
}

impl Metric {
    /// The metric named `name`; the error lists the known ones.
    pub fn from_name(name: &str) -> Result<Metric, String> {
        Metric::ALL
            .iter()
            .copied()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                format!("unknown metric `{name}`; known: {}", known.join(", "))
            })
    }
}

/// One run's metrics (a missing one holds the reason it is missing).
#[derive(Clone, Debug)]
pub struct RunMetrics {
    pub values: BTreeMap<Metric, Result<f64, String>>,
    pub target: TargetStatus,
}

impl RunMetrics {
    pub fn get(&self, metric: Metric) -> Result<f64, String> {
        self.values
            .get(&metric)
            .cloned()
            .unwrap_or_else(|| Err(format!("no {}", metric.name())))
    }
}

/// Whether the run has recorded its last evaluation.
pub fn is_finished(history: &History) -> bool {
    let last_eval = history.records.evals.last().map(|e| e.step);
    history.planned_steps > 0 && last_eval.is_some_and(|step| step >= history.planned_steps)
}

/// Pruning attempts: events that removed weights, kept or undone (regrowth keeps the sparsity).
pub fn pruning_events(history: &History) -> impl Iterator<Item = &PruneEvent> {
    history
        .records
        .events
        .iter()
        .filter(|e| !e.accepted || e.sparsity_after > e.sparsity_before)
}

/// The metrics of `history`, a run of `config`.
pub fn run_metrics(config: &RunConfig, history: &History) -> RunMetrics {
    let mut values = BTreeMap::new();
    let mut put = |metric: Metric, value: Result<f64, String>| {
        values.insert(metric, value);
    };
    let last: Option<&EvalRecord> = history.records.evals.last();
    // A number read from the last evaluation: missing until there is one.
    let at_end = |value: Option<f64>, what: &str| {
        value.ok_or_else(|| format!("no {what}: the run has not evaluated yet"))
    };
    let accuracy = at_end(last.map(|e| f64::from(e.test_accuracy)), "accuracy");
    let dense = history
        .dense_test_accuracy
        .map(f64::from)
        .ok_or_else(|| "no dense accuracy: this run never trained a dense network".to_string());
    let after_prune = after_prune_accuracy(history)
        .ok_or_else(|| "no accuracy after pruning: the run pruned nothing".to_string());
    let difference = |a: &Result<f64, String>| match (a, &dense) {
        (Ok(a), Ok(d)) => Ok(a - d),
        (Err(why), _) | (_, Err(why)) => Err(why.clone()),
    };
    put(Metric::Change, difference(&accuracy));
    put(Metric::AfterPruneChange, difference(&after_prune));
    put(Metric::Accuracy, accuracy);
    put(Metric::DenseAccuracy, dense.clone());
    put(Metric::AfterPruneAccuracy, after_prune);
    put(
        Metric::LowestAccuracy,
        lowest_accuracy(history).ok_or_else(|| "no lowest accuracy: the run pruned nothing".into()),
    );
    put(
        Metric::Sparsity,
        at_end(last.map(|e| e.sparsity), "sparsity"),
    );
    put(Metric::Target, Ok(config.prune.target_sparsity));
    let target = target_status(&config.prune, history);
    put(
        Metric::TargetReached,
        Ok(f64::from(u8::from(target.reached == Some(true)))),
    );
    let kept = last.map(|e| e.kept_per_tensor.iter().map(|&k| f64::from(k)).sum());
    put(Metric::Kept, at_end(kept, "kept count"));
    put(Metric::Total, Ok(history.prunable_count() as f64));
    put(
        Metric::Params,
        config
            .architecture
            .param_count()
            .map(|p| p as f64)
            .map_err(|e| e.to_string()),
    );
    put(
        Metric::ParamsKept,
        at_end(last.map(|e| f64::from(e.kept)), "kept count"),
    );
    let shapes = final_network(config, history);
    put(
        Metric::CompactParams,
        shapes
            .as_ref()
            .map(|s| s.compact_params as f64)
            .map_err(Clone::clone),
    );
    put(
        Metric::InferenceMacs,
        shapes.as_ref().map(|s| s.macs as f64).map_err(Clone::clone),
    );
    put(
        Metric::InferenceMacsDense,
        shapes
            .as_ref()
            .map(|s| s.macs_dense as f64)
            .map_err(Clone::clone),
    );
    put(
        Metric::PruningSteps,
        Ok(pruning_events(history).count() as f64),
    );
    let rolled_back = history
        .records
        .events
        .iter()
        .filter(|e| !e.accepted)
        .count();
    put(Metric::RolledBack, Ok(rolled_back as f64));
    let (macs, macs_dense) = history
        .records
        .steps
        .last()
        .map_or((0, 0), |s| (s.macs_actual, s.macs_dense));
    put(Metric::TrainMacs, Ok(macs as f64));
    put(Metric::TrainMacsDense, Ok(macs_dense as f64));
    put(Metric::TrainEnergy, Ok(energy_joules(macs)));
    RunMetrics { values, target }
}

/// Test accuracy at the evaluation recorded right after the last pruning step that removed
/// weights (phase `prune`, same step: the masks are written, nothing is trained yet).
pub fn after_prune_accuracy(history: &History) -> Option<f64> {
    let step = pruning_events(history).filter(|e| e.accepted).last()?.step;
    history
        .records
        .evals
        .iter()
        .find(|e| e.step == step && e.phase == Phase::Prune)
        .map(|e| f64::from(e.test_accuracy))
}

fn lowest_accuracy(history: &History) -> Option<f64> {
    let first = pruning_events(history).next()?.step;
    history
        .records
        .evals
        .iter()
        .filter(|e| e.step >= first)
        .map(|e| f64::from(e.test_accuracy))
        .reduce(f64::min)
}

/// Sizes of the final network: compacted parameter count and inference MACs.
struct FinalShapes {
    compact_params: usize,
    macs: u64,
    macs_dense: u64,
}

fn final_network(config: &RunConfig, history: &History) -> Result<FinalShapes, String> {
    let mut network = Network::new(&config.architecture).map_err(|e| e.to_string())?;
    let macs_dense = network.forward_macs();
    let masks = history.masks_at(history.last_step());
    let prunable = network.params_mut().filter(|p| p.is_prunable());
    for (param, mask) in prunable.zip(masks) {
        if mask.len() != param.len() {
            return Err("the history's masks do not fit the architecture".into());
        }
        param.set_mask(mask);
    }
    let compacted = compact(&network).map_err(|e| e.to_string())?;
    Ok(FinalShapes {
        compact_params: compacted.params_after,
        macs: network.forward_macs(),
        macs_dense,
    })
}
