//! Weight heatmaps and pruned-at maps, tile by tile.
//!
//! Weight tiles: a conv filter `[in, kh, kw]` is one tile — `kh×kw` when it has one input channel,
//! otherwise one row per input channel (`in × kh·kw`). A dense unit reading feature maps `[C, H, W]`
//! is one tile `C × H·W` (`H × W` when `C = 1`, so units on raw pixels look like digits); a dense layer
//! reading a flat vector is a single `out × in` matrix. Every tile is a contiguous slice of the
//! tensor in its PyTorch layout, so a cell maps back to a weight index with `start + row·cols + col`.

use serde::{Deserialize, Serialize};

use super::figures::{HeatTile, HeatmapGrid, PrunedAtGrid, PrunedAtTile};
use super::numbers;
use crate::i18n::{tr, Lang};
use crate::run::history::{History, TensorInfo};

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
    tile_specs_in(info, Lang::En)
}

/// [`tile_specs`] with the tiles' labels ("filter 3", "unit 7") in `lang`.
pub fn tile_specs_in(info: &TensorInfo, lang: Lang) -> Vec<TileSpec> {
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
                    label: tr(lang, "chart.tile.filter", &[("number", &(o + 1))]),
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
                        label: tr(lang, "chart.tile.unit", &[("number", &(o + 1))]),
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
    heatmap_in(history, tensor, step, Lang::En)
}

/// [`heatmap`] with its title and tile labels in `lang`.
pub fn heatmap_in(history: &History, tensor: usize, step: u64, lang: Lang) -> Option<HeatmapGrid> {
    let info = history.tensors.get(tensor)?;
    let snapshot = history.snapshot_at(step)?;
    let weights = snapshot.weights.get(tensor)?;
    let masks = history.masks_at(step);
    let mask = masks.get(tensor)?;
    let pruned = mask.iter().filter(|&&k| !k).count();
    let tiles = tile_specs_in(info, lang)
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
        title: tr(
            lang,
            "chart.heatmap.title",
            &[
                ("tensor", &info.name),
                ("shape", &shape_text(&info.shape)),
                (
                    "pruned",
                    &numbers::percent(pruned as f64 / mask.len().max(1) as f64, 0),
                ),
                ("step", &numbers::count(step)),
            ],
        ),
        tiles,
        scale: Some(heatmap_scale(history, tensor)),
        columns: None,
        lang,
    })
}

/// The colour scale of `tensor`'s heatmap: the largest |w| in every recorded snapshot (pruned
/// weights are exactly 0), so a colour means the same weight at every timeline position; 1 when
/// nothing is recorded or all is zero. Compare shares the largest of its runs' scales per layer.
pub fn heatmap_scale(history: &History, tensor: usize) -> f32 {
    let largest = history
        .records
        .snapshots
        .iter()
        .filter_map(|snapshot| snapshot.weights.get(tensor))
        .flat_map(|weights| weights.iter().map(|w| w.abs()))
        .filter(|w| w.is_finite())
        .fold(0.0f32, f32::max);
    if largest > 0.0 {
        largest
    } else {
        1.0
    }
}

/// When each weight of `tensor` was pruned, as of `step`, on a colour scale over the planned run.
pub fn pruned_at_grid(history: &History, tensor: usize, step: u64) -> Option<PrunedAtGrid> {
    pruned_at_grid_in(history, tensor, step, Lang::En)
}

/// [`pruned_at_grid`] with its title and tile labels in `lang`.
pub fn pruned_at_grid_in(
    history: &History,
    tensor: usize,
    step: u64,
    lang: Lang,
) -> Option<PrunedAtGrid> {
    let info = history.tensors.get(tensor)?;
    let pruned = history.pruned_at(step);
    let steps = pruned.step.get(tensor)?;
    let regrown = pruned.regrown.get(tensor)?;
    let tiles = tile_specs_in(info, lang)
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
        title: tr(lang, "chart.pruned-at.title", &[("tensor", &info.name)]),
        tiles,
        // The planned run, not the scrubbed step: the colour of a step stays put on the timeline.
        last_step: super::planned_end(history).min(u32::MAX as u64) as u32,
        lang,
    })
}

fn shape_text(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join("×"))
}
