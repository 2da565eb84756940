//! One run's curves over training steps.

use super::figures::{LineChart, Series, SeriesStyle};
use super::overlap::overlap_notes_in;
use super::summary::tensor_sparsity;
use super::{energy_model_notes, numbers, series, step_axis, thin, ViewError};
use crate::i18n::{tr, Lang};
use crate::metrics::energy_joules;
use crate::run::history::{EvalRecord, History, Phase};

/// The names [`line_chart`] knows.
pub const LINE_CHARTS: [&str; 6] = [
    "accuracy",
    "loss",
    "kept",
    "layer_sparsity",
    "tradeoff",
    "compute",
];

/// A line chart of one run by name (one of [`LINE_CHARTS`]), with the records up to `until`.
/// Charts with several lines carry notes naming the lines drawn on top of each other.
pub fn line_chart(history: &History, name: &str, until: u64) -> Result<LineChart, ViewError> {
    line_chart_in(history, name, until, Lang::En)
}

/// [`line_chart`] with its title, axes, legend, markers and notes in `lang`.
pub fn line_chart_in(
    history: &History,
    name: &str,
    until: u64,
    lang: Lang,
) -> Result<LineChart, ViewError> {
    Ok(match name {
        "accuracy" => accuracy_in(history, until, lang),
        "loss" => loss_in(history, until, lang),
        "kept" => kept_in(history, until, lang),
        "layer_sparsity" => layer_sparsity_in(history, until, lang),
        "tradeoff" => tradeoff_in(history, until, lang),
        "compute" => compute_in(history, until, lang, EnergyNotes::Shown),
        other => return Err(ViewError::unknown("chart", other, &LINE_CHARTS)),
    })
}

/// `chart` with [`overlap_notes`] (in `lang`) in front of its own notes.
pub(super) fn with_overlap_notes_in(mut chart: LineChart, lang: Lang) -> LineChart {
    let mut notes = overlap_notes_in(&chart, lang);
    notes.append(&mut chart.notes);
    chart.notes = notes;
    chart
}

/// A line chart as the page draws it, in `lang`: without the notes the paragraph under the
/// chart already says (the compute chart's energy so far and energy model; the CLI's files
/// keep them).
pub fn page_line_chart(
    history: &History,
    name: &str,
    until: u64,
    lang: Lang,
) -> Result<LineChart, ViewError> {
    if name == "compute" {
        return Ok(compute_in(history, until, lang, EnergyNotes::Left));
    }
    line_chart_in(history, name, until, lang)
}

/// Whether the compute chart prints the energy so far and the energy model under its plot.
#[derive(Clone, Copy, PartialEq)]
enum EnergyNotes {
    Shown,
    Left,
}

/// The paragraph under the page's compute chart, as of `until`:
/// "Training so far: 8.33 G multiply-accumulates with the real masks vs …".
pub fn compute_paragraph(history: &History, until: u64) -> String {
    compute_paragraph_in(history, until, Lang::En)
}

/// [`compute_paragraph`] in `lang`.
pub fn compute_paragraph_in(history: &History, until: u64, lang: Lang) -> String {
    let last = history.records.steps.iter().rev().find(|s| s.step <= until);
    let (actual, dense) = last.map_or((0, 0), |s| (s.macs_actual, s.macs_dense));
    let saved = if dense > 0 {
        1.0 - actual as f64 / dense as f64
    } else {
        0.0
    };
    // The energy model's sentence, as the results card's note states it.
    let model = tr(lang, "card.note.energy-model", &[]);
    tr(
        lang,
        "chart.compute.paragraph",
        &[
            ("actual", &numbers::si(actual as f64, "")),
            ("dense", &numbers::si(dense as f64, "")),
            ("saved", &numbers::percent(saved, 1)),
            ("actual_energy", &numbers::joules(energy_joules(actual))),
            ("dense_energy", &numbers::joules(energy_joules(dense))),
            ("model", &model),
        ],
    )
}

/// Pruning events as chart markers: the first accepted step is labelled, rollbacks always are.
pub fn event_markers(history: &History, until: u64) -> Vec<(f64, String)> {
    event_markers_in(history, until, Lang::En)
}

/// [`event_markers`] labelled in `lang`.
fn event_markers_in(history: &History, until: u64, lang: Lang) -> Vec<(f64, String)> {
    let mut labelled_prune = false;
    history
        .records
        .events
        .iter()
        .filter(|e| e.step <= until)
        .map(|e| {
            let label = if !e.accepted {
                tr(lang, "chart.marker.rolled-back", &[])
            } else if !labelled_prune {
                labelled_prune = true;
                tr(lang, "chart.marker.pruning", &[])
            } else {
                String::new()
            };
            (e.step as f64, label)
        })
        .collect()
}

/// Test and train accuracy over steps, up to `until`.
pub fn accuracy_chart(history: &History, until: u64) -> LineChart {
    accuracy_in(history, until, Lang::En)
}

fn accuracy_in(history: &History, until: u64, lang: Lang) -> LineChart {
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.accuracy.title", &[]),
            y_label: tr(lang, "chart.accuracy.y", &[]),
            y_range: Some((0.0, 1.0)),
            ..test_and_train_chart(history, until, lang, |e| {
                (e.test_accuracy, e.train_accuracy)
            })
        },
        lang,
    )
}

/// Test and train loss over steps.
pub fn loss_chart(history: &History, until: u64) -> LineChart {
    loss_in(history, until, Lang::En)
}

fn loss_in(history: &History, until: u64, lang: Lang) -> LineChart {
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.loss.title", &[]),
            y_label: tr(lang, "chart.loss.y", &[]),
            ..test_and_train_chart(history, until, lang, |e| (e.test_loss, e.train_loss))
        },
        lang,
    )
}

/// A test series and a dashed train series (the mean since the previous evaluation) over steps.
fn test_and_train_chart(
    history: &History,
    until: u64,
    lang: Lang,
    values: impl Fn(&EvalRecord) -> (f32, Option<f32>),
) -> LineChart {
    let evals = history.records.evals.iter().filter(|e| e.step <= until);
    let test = evals
        .clone()
        .map(|e| (e.step as f64, values(e).0 as f64))
        .collect();
    let train = evals
        .filter_map(|e| values(e).1.map(|v| (e.step as f64, v as f64)))
        .collect();
    LineChart {
        x_label: tr(lang, "chart.x.step", &[]),
        x_range: step_axis(history),
        series: vec![
            series(tr(lang, "chart.series.test", &[]), 0, false, test),
            series(tr(lang, "chart.series.train", &[]), 1, true, train),
        ],
        markers: event_markers_in(history, until, lang),
        ..LineChart::default()
    }
}

/// Kept parameters (prunable weights) over steps.
pub fn kept_chart(history: &History, until: u64) -> LineChart {
    kept_in(history, until, Lang::En)
}

fn kept_in(history: &History, until: u64, lang: Lang) -> LineChart {
    let points = history
        .records
        .evals
        .iter()
        .filter(|e| e.step <= until)
        .map(|e| (e.step as f64, e.kept as f64))
        .collect();
    LineChart {
        title: tr(lang, "chart.kept.title", &[]),
        x_label: tr(lang, "chart.x.step", &[]),
        y_label: tr(lang, "chart.kept.y", &[]),
        series: vec![series(tr(lang, "chart.series.kept", &[]), 2, false, points)],
        // From 0: a 32% drop looks like a third, not a collapse.
        y_from_zero: true,
        x_range: step_axis(history),
        markers: event_markers_in(history, until, lang),
        ..LineChart::default()
    }
}

/// Per-tensor sparsity over steps.
pub fn layer_sparsity_chart(history: &History, until: u64) -> LineChart {
    layer_sparsity_in(history, until, Lang::En)
}

fn layer_sparsity_in(history: &History, until: u64, lang: Lang) -> LineChart {
    let series_list = history
        .tensors
        .iter()
        .enumerate()
        .map(|(t, info)| {
            let points = history
                .records
                .evals
                .iter()
                .filter(|e| e.step <= until)
                .filter_map(|e| {
                    e.kept_per_tensor
                        .get(t)
                        .map(|&kept| (e.step as f64, tensor_sparsity(info, kept)))
                })
                .collect();
            series(info.name.clone(), t, false, points)
        })
        .collect();
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.layer-sparsity.title", &[]),
            x_label: tr(lang, "chart.x.step", &[]),
            x_range: step_axis(history),
            y_label: tr(lang, "chart.layer-sparsity.y", &[]),
            series: series_list,
            y_range: Some((0.0, 1.0)),
            markers: event_markers_in(history, until, lang),
            ..LineChart::default()
        },
        lang,
    )
}

/// Test accuracy against sparsity along the run, in time order: a trajectory (arrows show the
/// direction of travel), not a sweep — fine-tuning raises accuracy at a fixed sparsity, so
/// joining the points in time order must not read as "accuracy rises with sparsity".
pub fn tradeoff_chart(history: &History, until: u64) -> LineChart {
    tradeoff_in(history, until, Lang::En)
}

fn tradeoff_in(history: &History, until: u64, lang: Lang) -> LineChart {
    let points = history
        .records
        .evals
        .iter()
        .filter(|e| e.step <= until && e.phase != Phase::Train)
        .map(|e| (e.sparsity, e.test_accuracy as f64))
        .collect();
    LineChart {
        title: tr(lang, "chart.tradeoff.title", &[]),
        x_label: tr(lang, "chart.tradeoff.x", &[]),
        y_label: tr(lang, "chart.tradeoff.y", &[]),
        x_range: Some((0.0, 1.0)),
        trajectory: true,
        series: vec![Series {
            style: SeriesStyle {
                color_index: 0,
                dashed: false,
                markers: true,
            },
            ..series(
                tr(lang, "chart.series.test-accuracy", &[]),
                0,
                false,
                points,
            )
        }],
        y_range: Some((0.0, 1.0)),
        ..LineChart::default()
    }
}

/// Cumulative training compute (MACs), dense vs with the real masks, and the energy it implies.
pub fn compute_chart(history: &History, until: u64) -> LineChart {
    compute_in(history, until, Lang::En, EnergyNotes::Shown)
}

fn compute_in(history: &History, until: u64, lang: Lang, energy: EnergyNotes) -> LineChart {
    let steps = history.records.steps.iter().filter(|s| s.step <= until);
    let dense: Vec<(f64, f64)> = steps
        .clone()
        .map(|s| (s.step as f64, s.macs_dense as f64))
        .collect();
    let actual: Vec<(f64, f64)> = steps
        .map(|s| (s.step as f64, s.macs_actual as f64))
        .collect();
    let (dense, actual) = (thin(dense), thin(actual));
    let mut notes = Vec::new();
    let last = (dense.last(), actual.last());
    if let (EnergyNotes::Shown, (Some(&(_, d)), Some(&(_, a)))) = (energy, last) {
        notes.push(tr(
            lang,
            "chart.compute.so-far",
            &[
                ("pruned", &numbers::joules(energy_joules(a as u64))),
                ("dense", &numbers::joules(energy_joules(d as u64))),
                (
                    "saved",
                    &numbers::percent(if d > 0.0 { 1.0 - a / d } else { 0.0 }, 0),
                ),
            ],
        ));
    }
    if energy == EnergyNotes::Shown {
        // The energy model's text is the CLI's (files only): English.
        notes.extend(energy_model_notes());
    }
    with_overlap_notes_in(
        LineChart {
            title: tr(lang, "chart.compute.title", &[]),
            x_label: tr(lang, "chart.x.step", &[]),
            y_label: tr(lang, "chart.compute.y", &[]),
            x_range: step_axis(history),
            y_from_zero: true,
            series: vec![
                series(tr(lang, "chart.series.dense", &[]), 0, true, dense),
                series(tr(lang, "chart.series.pruned", &[]), 1, false, actual),
            ],
            markers: event_markers_in(history, until, lang),
            notes,
            ..LineChart::default()
        },
        lang,
    )
}
