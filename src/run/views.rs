//! Chart inputs built from a run's [`History`]: the same views for the CLI's files and the page's
//! canvases. Nothing here draws; `charts` does.
//!
//! Weight tiles: a conv filter `[in, kh, kw]` is one tile — `kh×kw` when it has one input channel,
//! otherwise one row per input channel (`in × kh·kw`). A dense unit reading feature maps `[C, H, W]`
//! is one tile `C × H·W` (`H × W` when `C = 1`, so units on raw pixels look like digits); a dense layer
//! reading a flat vector is a single `out × in` matrix. Every tile is a contiguous slice of the
//! tensor in its PyTorch layout, so a cell maps back to a weight index with `start + row·cols + col`.

use serde::{Deserialize, Serialize};

use super::history::{History, Phase, TensorInfo};
use crate::charts::{
    HeatTile, HeatmapGrid, LineChart, PrunedAtGrid, PrunedAtTile, Series, SeriesStyle,
};
use crate::metrics::{energy_joules, ENERGY_MODEL};

/// Where one tile's weights sit in its tensor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileSpec {
    pub label: String,
    pub rows: usize,
    pub cols: usize,
    /// Index of the tile's first weight in the flattened tensor.
    pub start: usize,
}

/// How a tensor is cut into tiles (see the module docs).
pub fn tile_specs(info: &TensorInfo) -> Vec<TileSpec> {
    let shape = &info.shape;
    match shape.len() {
        4 => {
            let (out, input, kh, kw) = (shape[0], shape[1], shape[2], shape[3]);
            let (rows, cols) = if input == 1 {
                (kh, kw)
            } else {
                (input, kh * kw)
            };
            (0..out)
                .map(|o| TileSpec {
                    label: format!("filter {}", o + 1),
                    rows,
                    cols,
                    start: o * input * kh * kw,
                })
                .collect()
        }
        2 => {
            let (out, input) = (shape[0], shape[1]);
            let maps = info.input;
            if maps.height * maps.width > 1 && maps.len() == input {
                let (rows, cols) = if maps.channels == 1 {
                    (maps.height, maps.width)
                } else {
                    (maps.channels, maps.height * maps.width)
                };
                (0..out)
                    .map(|o| TileSpec {
                        label: format!("unit {}", o + 1),
                        rows,
                        cols,
                        start: o * input,
                    })
                    .collect()
            } else {
                vec![TileSpec {
                    label: format!("{out}×{input}"),
                    rows: out,
                    cols: input,
                    start: 0,
                }]
            }
        }
        _ => {
            let len = shape.iter().product();
            vec![TileSpec {
                label: info.name.clone(),
                rows: 1,
                cols: len,
                start: 0,
            }]
        }
    }
}

/// The weights of prunable tensor `tensor` as of `step`, pruned entries marked.
pub fn heatmap(history: &History, tensor: usize, step: u64) -> Option<HeatmapGrid> {
    let info = history.tensors.get(tensor)?;
    let snapshot = history.snapshot_at(step)?;
    let weights = snapshot.weights.get(tensor)?;
    let masks = history.masks_at(step);
    let mask = masks.get(tensor)?;
    let pruned = mask.iter().filter(|&&k| !k).count();
    let tiles = tile_specs(info)
        .into_iter()
        .map(|t| {
            let range = t.start..t.start + t.rows * t.cols;
            HeatTile {
                label: t.label,
                rows: t.rows,
                cols: t.cols,
                values: weights[range.clone()].to_vec(),
                kept: mask[range].to_vec(),
            }
        })
        .collect();
    Some(HeatmapGrid {
        title: format!(
            "{} {} — {:.0}% pruned, step {}",
            info.name,
            shape_text(&info.shape),
            100.0 * pruned as f64 / mask.len().max(1) as f64,
            step
        ),
        tiles,
        scale: None,
        columns: None,
    })
}

/// When each weight of `tensor` was pruned, as of `step`.
pub fn pruned_at_grid(history: &History, tensor: usize, step: u64) -> Option<PrunedAtGrid> {
    let info = history.tensors.get(tensor)?;
    let pruned = history.pruned_at(step);
    let steps = pruned.step.get(tensor)?;
    let regrown = pruned.regrown.get(tensor)?;
    let tiles = tile_specs(info)
        .into_iter()
        .map(|t| {
            let range = t.start..t.start + t.rows * t.cols;
            PrunedAtTile {
                label: t.label,
                rows: t.rows,
                cols: t.cols,
                pruned_at: steps[range.clone()]
                    .iter()
                    .map(|s| s.map(|s| s.min(u32::MAX as u64) as u32))
                    .collect(),
                regrown: regrown[range].to_vec(),
            }
        })
        .collect();
    Some(PrunedAtGrid {
        title: format!("{}: step at which each weight was pruned", info.name),
        tiles,
        last_step: step.max(1).min(u32::MAX as u64) as u32,
    })
}

/// Most points a per-step series is drawn with: long runs are thinned (every k-th point, the last
/// always kept), so a 10,000-step history draws as fast as a short one. Cumulative curves are
/// monotone, so thinning keeps their shape.
pub const MAX_CHART_POINTS: usize = 800;

fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if points.len() <= MAX_CHART_POINTS {
        return points;
    }
    let stride = points.len().div_ceil(MAX_CHART_POINTS);
    let last = points[points.len() - 1];
    let mut thinned: Vec<(f64, f64)> = points.into_iter().step_by(stride).collect();
    if thinned.last() != Some(&last) {
        thinned.push(last);
    }
    thinned
}

fn shape_text(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join("×"))
}

fn series(
    label: impl Into<String>,
    color_index: usize,
    dashed: bool,
    points: Vec<(f64, f64)>,
) -> Series {
    Series {
        label: label.into(),
        points,
        style: SeriesStyle {
            color_index,
            dashed,
            markers: false,
        },
    }
}

/// Pruning events as chart markers: the first accepted step is labelled, rollbacks always are.
pub fn event_markers(history: &History, until: u64) -> Vec<(f64, String)> {
    let mut labelled_prune = false;
    history
        .records
        .events
        .iter()
        .filter(|e| e.step <= until)
        .map(|e| {
            let label = if !e.accepted {
                "rolled back".to_string()
            } else if !labelled_prune {
                labelled_prune = true;
                "pruning".to_string()
            } else {
                String::new()
            };
            (e.step as f64, label)
        })
        .collect()
}

/// Test and train accuracy over steps, up to `until`.
pub fn accuracy_chart(history: &History, until: u64) -> LineChart {
    let evals = history.records.evals.iter().filter(|e| e.step <= until);
    let test: Vec<(f64, f64)> = evals
        .clone()
        .map(|e| (e.step as f64, e.test_accuracy as f64))
        .collect();
    let train: Vec<(f64, f64)> = evals
        .filter_map(|e| e.train_accuracy.map(|a| (e.step as f64, a as f64)))
        .collect();
    LineChart {
        title: "Accuracy".into(),
        x_label: "training step".into(),
        y_label: "accuracy".into(),
        series: vec![
            series("test", 0, false, test),
            series("train (since last point)", 1, true, train),
        ],
        y_range: Some((0.0, 1.0)),
        markers: event_markers(history, until),
        ..LineChart::default()
    }
}

/// Test and train loss over steps.
pub fn loss_chart(history: &History, until: u64) -> LineChart {
    let evals = history.records.evals.iter().filter(|e| e.step <= until);
    let test: Vec<(f64, f64)> = evals
        .clone()
        .map(|e| (e.step as f64, e.test_loss as f64))
        .collect();
    let train: Vec<(f64, f64)> = evals
        .filter_map(|e| e.train_loss.map(|l| (e.step as f64, l as f64)))
        .collect();
    LineChart {
        title: "Loss (cross-entropy)".into(),
        x_label: "training step".into(),
        y_label: "loss".into(),
        series: vec![
            series("test", 0, false, test),
            series("train (since last point)", 1, true, train),
        ],
        markers: event_markers(history, until),
        ..LineChart::default()
    }
}

/// Kept parameters (prunable weights) over steps.
pub fn kept_chart(history: &History, until: u64) -> LineChart {
    let points = history
        .records
        .evals
        .iter()
        .filter(|e| e.step <= until)
        .map(|e| (e.step as f64, e.kept as f64))
        .collect();
    LineChart {
        title: "Kept parameters".into(),
        x_label: "training step".into(),
        y_label: "parameters".into(),
        series: vec![series("kept", 2, false, points)],
        markers: event_markers(history, until),
        ..LineChart::default()
    }
}

/// Per-tensor sparsity over steps.
pub fn layer_sparsity_chart(history: &History, until: u64) -> LineChart {
    let series_list = history
        .tensors
        .iter()
        .enumerate()
        .map(|(t, info)| {
            let total = info.shape.iter().product::<usize>().max(1) as f64;
            let points = history
                .records
                .evals
                .iter()
                .filter(|e| e.step <= until)
                .filter_map(|e| {
                    e.kept_per_tensor
                        .get(t)
                        .map(|&k| (e.step as f64, 1.0 - k as f64 / total))
                })
                .collect();
            series(info.name.clone(), t, false, points)
        })
        .collect();
    LineChart {
        title: "Sparsity per layer".into(),
        x_label: "training step".into(),
        y_label: "fraction pruned".into(),
        series: series_list,
        y_range: Some((0.0, 1.0)),
        markers: event_markers(history, until),
        ..LineChart::default()
    }
}

/// Test accuracy against sparsity: the trade-off curve.
pub fn tradeoff_chart(history: &History, until: u64) -> LineChart {
    let points = history
        .records
        .evals
        .iter()
        .filter(|e| e.step <= until && e.phase != Phase::Train)
        .map(|e| (e.sparsity, e.test_accuracy as f64))
        .collect();
    LineChart {
        title: "Accuracy vs sparsity".into(),
        x_label: "sparsity (fraction of prunable weights removed)".into(),
        y_label: "test accuracy".into(),
        series: vec![Series {
            style: SeriesStyle {
                color_index: 0,
                dashed: false,
                markers: true,
            },
            ..series("test accuracy", 0, false, points)
        }],
        y_range: Some((0.0, 1.0)),
        ..LineChart::default()
    }
}

/// Cumulative training compute (MACs), dense vs with the real masks, and the energy it implies.
pub fn compute_chart(history: &History, until: u64) -> LineChart {
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
    if let (Some(&(_, d)), Some(&(_, a))) = (dense.last(), actual.last()) {
        notes.push(format!(
            "so far: {:.3} J pruned vs {:.3} J dense ({:.0}% saved)",
            energy_joules(a as u64),
            energy_joules(d as u64),
            if d > 0.0 { 100.0 * (1.0 - a / d) } else { 0.0 }
        ));
    }
    notes.push(ENERGY_MODEL.to_string());
    LineChart {
        title: "Cumulative training compute".into(),
        x_label: "training step".into(),
        y_label: "multiply-accumulates".into(),
        series: vec![
            series("dense network", 0, true, dense),
            series("pruned (real masks)", 1, false, actual),
        ],
        markers: event_markers(history, until),
        notes,
        ..LineChart::default()
    }
}

/// Several runs' test accuracy in one chart (compare mode).
pub fn compare_accuracy_chart(runs: &[(String, &History)]) -> LineChart {
    LineChart {
        title: "Test accuracy".into(),
        x_label: "training step".into(),
        y_label: "accuracy".into(),
        series: runs
            .iter()
            .enumerate()
            .map(|(i, (label, h))| {
                series(
                    label.clone(),
                    i,
                    false,
                    h.records
                        .evals
                        .iter()
                        .map(|e| (e.step as f64, e.test_accuracy as f64))
                        .collect(),
                )
            })
            .collect(),
        y_range: Some((0.0, 1.0)),
        ..LineChart::default()
    }
}

/// Several runs' kept parameters in one chart (compare mode).
pub fn compare_kept_chart(runs: &[(String, &History)]) -> LineChart {
    LineChart {
        title: "Kept parameters".into(),
        x_label: "training step".into(),
        y_label: "parameters".into(),
        series: runs
            .iter()
            .enumerate()
            .map(|(i, (label, h))| {
                series(
                    label.clone(),
                    i,
                    false,
                    h.records
                        .evals
                        .iter()
                        .map(|e| (e.step as f64, e.kept as f64))
                        .collect(),
                )
            })
            .collect(),
        ..LineChart::default()
    }
}

/// Several runs' cumulative training MACs in one chart (compare mode).
pub fn compare_compute_chart(runs: &[(String, &History)]) -> LineChart {
    LineChart {
        title: "Cumulative training compute".into(),
        x_label: "training step".into(),
        y_label: "multiply-accumulates".into(),
        series: runs
            .iter()
            .enumerate()
            .map(|(i, (label, h))| {
                series(
                    label.clone(),
                    i,
                    false,
                    thin(
                        h.records
                            .steps
                            .iter()
                            .map(|s| (s.step as f64, s.macs_actual as f64))
                            .collect(),
                    ),
                )
            })
            .collect(),
        notes: vec![ENERGY_MODEL.to_string()],
        ..LineChart::default()
    }
}

/// Several runs' test accuracy against sparsity (compare mode): the evaluations after pruning began.
pub fn compare_tradeoff_chart(runs: &[(String, &History)]) -> LineChart {
    LineChart {
        title: "Accuracy vs sparsity".into(),
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
