//! What the page says about the weight under the pointer in a weight view.

use serde::Serialize;

use super::weights::tile_specs_in;
use super::ViewError;
use crate::i18n::{tr, Lang};
use crate::prune::Strategy;
use crate::run::catalog::label_key;
use crate::run::history::History;

/// The two weight views the page can hover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightView {
    Heatmap,
    PrunedAt,
}

impl WeightView {
    pub fn parse(name: &str) -> Result<WeightView, ViewError> {
        match name {
            "heatmap" => Ok(WeightView::Heatmap),
            "pruned_at" => Ok(WeightView::PrunedAt),
            other => Err(ViewError::unknown("view", other, &["heatmap", "pruned_at"])),
        }
    }
}

/// One cell of a weight view: the tile and the row and column inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeightCell {
    pub tile: usize,
    pub row: usize,
    pub col: usize,
}

/// The facts about one weight as of a step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeightHover {
    pub tensor: String,
    pub tile: String,
    /// Index in the flattened tensor (PyTorch layout).
    pub index: usize,
    pub row: usize,
    pub col: usize,
    /// The weight's value; 0 when pruned.
    pub value: f32,
    pub kept: bool,
    pub pruned_at: Option<u64>,
    pub regrown: bool,
    /// The weight's score under the run's criterion, when the score is a function of the weight
    /// alone and the weight is kept.
    pub score: Option<f32>,
    /// Why there is no `score`, in words (`None` when there is one).
    pub score_note: Option<String>,
    /// The strategy's name (`magnitude`) and its label in the language asked for.
    pub criterion: &'static str,
    pub criterion_label: String,
}

/// A pruned weight is 0 and no longer ranked: there is nothing to score.
pub const PRUNED_NOTE: &str = "none, the weight is pruned";
/// The score needs gradients, data, other weights or chance, not just this weight.
pub const NOT_WEIGHT_ALONE_NOTE: &str = "not a function of the weight alone";

/// Whether `strategy` ranks weights by |w| (or −|w|), so a kept weight's score is known from its value.
pub fn scores_from_weight_alone(strategy: Strategy) -> bool {
    matches!(
        strategy,
        Strategy::Magnitude
            | Strategy::L1
            | Strategy::L2
            | Strategy::TargetedDropout
            | Strategy::LargestMagnitude
    )
}

/// The facts about the weight in `cell` of prunable tensor `tensor` as of `step`, for a run
/// pruned by `strategy`. `None` for a cell outside the tensor's tiles.
pub fn weight_hover(
    history: &History,
    strategy: Strategy,
    tensor: usize,
    step: u64,
    cell: WeightCell,
) -> Result<Option<WeightHover>, ViewError> {
    weight_hover_in(history, strategy, tensor, step, cell, Lang::En)
}

/// [`weight_hover`] with its words (the tile, the score note) in `lang`.
pub fn weight_hover_in(
    history: &History,
    strategy: Strategy,
    tensor: usize,
    step: u64,
    cell: WeightCell,
    lang: Lang,
) -> Result<Option<WeightHover>, ViewError> {
    let info = history.tensors.get(tensor).ok_or(ViewError::NoTensor {
        tensor,
        count: history.tensors.len(),
    })?;
    let specs = tile_specs_in(info, lang);
    let Some(spec) = specs.get(cell.tile) else {
        return Ok(None);
    };
    if cell.row >= spec.rows || cell.col >= spec.cols {
        return Ok(None);
    }
    let index = spec.start + cell.row * spec.cols + cell.col;
    let kept = history
        .masks_at(step)
        .get(tensor)
        .and_then(|m| m.get(index))
        .copied()
        .unwrap_or(false);
    let value = history
        .snapshot_at(step)
        .and_then(|s| s.weights.get(tensor))
        .and_then(|w| w.get(index))
        .copied()
        .unwrap_or(0.0);
    let pruned = history.pruned_at(step);
    // PRUNED_NOTE and NOT_WEIGHT_ALONE_NOTE, in `lang`.
    let (score, score_note) = if !kept {
        (None, Some(tr(lang, "hover.score.pruned", &[])))
    } else if strategy == Strategy::LargestMagnitude {
        (Some(-value.abs()), None)
    } else if scores_from_weight_alone(strategy) {
        (Some(value.abs()), None)
    } else {
        (None, Some(tr(lang, "hover.score.not-weight-alone", &[])))
    };
    Ok(Some(WeightHover {
        tensor: info.name.clone(),
        tile: spec.label.clone(),
        index,
        row: cell.row,
        col: cell.col,
        value: if kept { value } else { 0.0 },
        kept,
        pruned_at: pruned
            .step
            .get(tensor)
            .and_then(|s| s.get(index))
            .copied()
            .flatten(),
        regrown: pruned
            .regrown
            .get(tensor)
            .and_then(|r| r.get(index))
            .copied()
            .unwrap_or(false),
        score,
        score_note,
        criterion: strategy.name(),
        criterion_label: tr(lang, &label_key("strategy", strategy.name()), &[]),
    }))
}
