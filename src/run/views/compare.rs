//! Several runs overlaid (compare mode): the same initial weights, different strategies.

use serde::Serialize;

use super::curves::with_overlap_notes_in;
use super::figures::{HeatmapGrid, LineChart, Series, SeriesStyle};
use super::weights::heatmap_in;
use super::{energy_model_notes_in, planned_end, series, thin, ViewError};
use crate::i18n::{tr, Lang};
use crate::metrics::energy_joules;
use crate::run::history::{History, Phase};

/// The names [`compare_chart`] knows.
pub const COMPARE_CHARTS: [&str; 3] = ["accuracy", "kept", "compute"];

/// An overlaid chart by name (one of [`COMPARE_CHARTS`]), with notes naming the runs whose
/// lines are drawn on top of each other.
pub fn compare_chart(runs: &[(String, &History)], name: &str) -> Result<LineChart, ViewError> {
    compare_chart_in(runs, name, Lang::En)
}

/// [`compare_chart`] with its words in `lang`.
pub fn compare_chart_in(
    runs: &[(String, &History)],
    name: &str,
    lang: Lang,
) -> Result<LineChart, ViewError> {
    Ok(match name {
        "accuracy" => compare_accuracy_in(runs, lang),
        "kept" => compare_kept_in(runs, lang),
        "compute" => compare_compute_in(runs, lang),
        other => return Err(ViewError::unknown("chart", other, &COMPARE_CHARTS)),
    })
}

/// One compared run at its latest record: a row of the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    pub label: String,
    pub step: u64,
    pub test_accuracy: Option<f32>,
    pub kept: Option<u32>,
    pub sparsity: Option<f64>,
    /// Cumulative training MACs with the real masks, and their energy.
    pub macs_actual: u64,
    pub energy_joules: f64,
}

/// The comparison table: one row per run, in order.
pub fn compare_table(runs: &[(String, &History)]) -> Vec<CompareRow> {
    runs.iter()
        .map(|(label, history)| {
            let eval = history.records.evals.last();
            let macs_actual = history.records.steps.last().map_or(0, |s| s.macs_actual);
            CompareRow {
                label: label.clone(),
                step: history.last_step(),
                test_accuracy: eval.map(|e| e.test_accuracy),
                kept: eval.map(|e| e.kept),
                sparsity: eval.map(|e| e.sparsity),
                macs_actual,
                energy_joules: energy_joules(macs_actual),
            }
        })
        .collect()
}

/// Every run's weights of `tensor` at its latest record, on one colour scale: the widest any of
/// them needs (a map's own fixed scale, else its largest kept |w|), so the same colour means the
/// same weight in every run. `None` for a run with no weights recorded yet.
pub fn compare_heatmaps(runs: &[(String, &History)], tensor: usize) -> Vec<Option<HeatmapGrid>> {
    compare_heatmaps_in(runs, tensor, Lang::En)
}

/// [`compare_heatmaps`] with their titles and tile labels in `lang`.
pub fn compare_heatmaps_in(
    runs: &[(String, &History)],
    tensor: usize,
    lang: Lang,
) -> Vec<Option<HeatmapGrid>> {
    let mut grids: Vec<Option<HeatmapGrid>> = runs
        .iter()
        .map(|(label, history)| {
            let mut grid = heatmap_in(history, tensor, history.last_step(), lang)?;
            grid.title = tr(
                lang,
                "chart.compare.heatmap",
                &[("run", label), ("title", &grid.title)],
            );
            Some(grid)
        })
        .collect();
    let shared = grids
        .iter()
        .flatten()
        .map(|grid| grid.scale.unwrap_or_else(|| grid.largest_kept_magnitude()))
        .filter(|scale| scale.is_finite() && *scale > 0.0)
        .reduce(f32::max);
    for grid in grids.iter_mut().flatten() {
        grid.scale = shared;
    }
    grids
}

/// Several runs' test accuracy in one chart (compare mode).
pub fn compare_accuracy_chart(runs: &[(String, &History)]) -> LineChart {
    compare_accuracy_in(runs, Lang::En)
}

fn compare_accuracy_in(runs: &[(String, &History)], lang: Lang) -> LineChart {
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.compare.accuracy", &[]),
            y_label: tr(lang, "chart.accuracy.y", &[]),
            y_range: Some((0.0, 1.0)),
            ..overlaid_chart(runs, lang, |h| {
                h.records
                    .evals
                    .iter()
                    .map(|e| (e.step as f64, e.test_accuracy as f64))
                    .collect()
            })
        },
        lang,
    )
}

/// Several runs' kept parameters in one chart (compare mode).
pub fn compare_kept_chart(runs: &[(String, &History)]) -> LineChart {
    compare_kept_in(runs, Lang::En)
}

fn compare_kept_in(runs: &[(String, &History)], lang: Lang) -> LineChart {
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.kept.title", &[]),
            y_label: tr(lang, "chart.kept.y", &[]),
            y_from_zero: true,
            ..overlaid_chart(runs, lang, |h| {
                h.records
                    .evals
                    .iter()
                    .map(|e| (e.step as f64, e.kept as f64))
                    .collect()
            })
        },
        lang,
    )
}

/// Several runs' cumulative training MACs in one chart (compare mode).
pub fn compare_compute_chart(runs: &[(String, &History)]) -> LineChart {
    compare_compute_in(runs, Lang::En)
}

fn compare_compute_in(runs: &[(String, &History)], lang: Lang) -> LineChart {
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.compute.title", &[]),
            y_label: tr(lang, "chart.compute.y", &[]),
            y_from_zero: true,
            notes: energy_model_notes_in(lang),
            ..overlaid_chart(runs, lang, |h| {
                thin(
                    h.records
                        .steps
                        .iter()
                        .map(|s| (s.step as f64, s.macs_actual as f64))
                        .collect(),
                )
            })
        },
        lang,
    )
}

/// One series per run over training steps, coloured (and marked) by the run's position, on a
/// step axis over the longest planned run.
fn overlaid_chart(
    runs: &[(String, &History)],
    lang: Lang,
    points: impl Fn(&History) -> Vec<(f64, f64)>,
) -> LineChart {
    let end = runs.iter().map(|(_, h)| planned_end(h)).max().unwrap_or(1);
    LineChart {
        x_label: tr(lang, "chart.x.step", &[]),
        x_range: Some((0.0, end as f64)),
        series: runs
            .iter()
            .enumerate()
            .map(|(i, (label, h))| series(label.clone(), i, false, points(h)))
            .collect(),
        ..LineChart::default()
    }
}

/// Several runs' test accuracy against sparsity along each run (compare mode): the evaluations
/// after pruning began, in time order (a trajectory with arrows, not a sweep).
pub fn compare_tradeoff_chart(runs: &[(String, &History)]) -> LineChart {
    LineChart {
        title: "Accuracy along each run (time order, not a sweep)".into(),
        x_range: Some((0.0, 1.0)),
        trajectory: true,
        x_label: "sparsity (fraction of prunable weights removed)".into(),
        y_label: "test accuracy".into(),
        series: runs
            .iter()
            .enumerate()
            .map(|(i, (label, h))| Series {
                style: SeriesStyle {
                    color_index: i,
                    dashed: false,
                    markers: true,
                },
                ..series(
                    label.clone(),
                    i,
                    false,
                    h.records
                        .evals
                        .iter()
                        .filter(|e| e.phase != Phase::Train)
                        .map(|e| (e.sparsity, e.test_accuracy as f64))
                        .collect(),
                )
            })
            .collect(),
        y_range: Some((0.0, 1.0)),
        ..LineChart::default()
    }
}
