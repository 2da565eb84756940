//! The two most similar filters of a conv tensor, side by side: what the cosine strategy sees as
//! redundant. Similarity is [`prune::cosine::cosine`](crate::prune::cosine::cosine), the same
//! function the strategy ranks with, so the page and the strategy cannot disagree on it.
//!
//! The pair is taken from the *dense snapshot before pruning*: the latest weight snapshot before
//! the first accepted prune event (the last snapshot when nothing was pruned), among the filters
//! kept then. That is the network the strategy looked at when it chose; after pruning, the
//! redundant partner is usually gone. Each filter says whether it was pruned by the end of the run.

use serde::{Deserialize, Serialize};

use super::figures::{HeatTile, HeatmapGrid};
use super::weights::{heatmap_scale, tile_specs_in};
use crate::i18n::{tr, Lang};
use crate::prune::cosine::cosine;
use crate::run::history::History;

/// One filter of the pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarFilter {
    /// 0-based output channel.
    pub index: usize,
    /// Every weight of the filter was pruned by the end of the run.
    pub pruned_by_end: bool,
}

/// The most similar pair of kept filters, ready to draw as a two-tile heatmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarFilters {
    pub tensor: String,
    /// The step of the snapshot the pair was found in.
    pub step: u64,
    pub cosine: f32,
    pub first: SimilarFilter,
    pub second: SimilarFilter,
    /// One sentence with the facts above (also the canvas's accessible name).
    pub caption: String,
    /// The two filters' weights (first, second) on the layer's usual colour scale.
    pub grid: HeatmapGrid,
}

/// The step whose snapshot shows the network before its first accepted pruning.
fn before_pruning(history: &History) -> u64 {
    match history.records.events.iter().find(|e| e.accepted) {
        Some(event) => event.step.saturating_sub(1),
        None => history.last_step(),
    }
}

/// The most similar pair of filters of conv `tensor` before pruning (see the module doc); `None`
/// when the tensor is not a conv layer, no snapshot exists, or fewer than two filters are kept.
/// Ties go to the lowest pair of indices, as in the strategy.
pub fn similar_filters(history: &History, tensor: usize) -> Option<SimilarFilters> {
    similar_filters_in(history, tensor, Lang::En)
}

/// [`similar_filters`] with its title, tile labels and caption in `lang`.
pub fn similar_filters_in(history: &History, tensor: usize, lang: Lang) -> Option<SimilarFilters> {
    let info = history.tensors.get(tensor)?;
    if info.shape.len() != 4 {
        return None;
    }
    let step = before_pruning(history);
    let snapshot = history.snapshot_at(step)?;
    let weights = snapshot.weights.get(tensor)?;
    let masks = history.masks_at(snapshot.step);
    let mask = masks.get(tensor)?;
    let end_masks = history.masks_at(history.last_step());
    let end_mask = end_masks.get(tensor)?;
    let specs = tile_specs_in(info, lang);
    let len = specs.first()?.rows * specs.first()?.cols;
    if weights.len() < specs.len() * len || mask.len() < specs.len() * len {
        return None;
    }
    let range = |o: usize| o * len..(o + 1) * len;
    // Pruned entries count as 0, as in the strategy.
    let filter = |o: usize| -> Vec<f32> {
        weights[range(o)]
            .iter()
            .zip(&mask[range(o)])
            .map(|(&w, &k)| if k { w } else { 0.0 })
            .collect()
    };
    let kept: Vec<usize> = (0..specs.len())
        .filter(|&o| mask[range(o)].iter().any(|&k| k))
        .collect();
    let mut best: Option<(usize, usize, f32)> = None;
    for (i, &a) in kept.iter().enumerate() {
        let fa = filter(a);
        for &b in &kept[i + 1..] {
            let c = cosine(&fa, &filter(b));
            if best.is_none_or(|(_, _, top)| c > top) {
                best = Some((a, b, c));
            }
        }
    }
    let (a, b, c) = best?;
    let side = |o: usize| SimilarFilter {
        index: o,
        pruned_by_end: end_mask
            .get(range(o))
            .is_some_and(|m| m.iter().all(|&k| !k)),
    };
    let (first, second) = (side(a), side(b));
    let caption = caption(&info.name, &first, &second, c, snapshot.step, lang);
    let tile = |o: usize| HeatTile {
        label: specs[o].label.clone(),
        rows: specs[o].rows,
        cols: specs[o].cols,
        values: filter(o),
        kept: mask[range(o)].to_vec(),
    };
    Some(SimilarFilters {
        tensor: info.name.clone(),
        step: snapshot.step,
        cosine: c,
        grid: HeatmapGrid {
            title: tr(
                lang,
                "similar.title",
                &[
                    ("layer", &layer_name(&info.name)),
                    ("a", &(a + 1)),
                    ("b", &(b + 1)),
                    ("cosine", &format!("{c:.2}")),
                ],
            ),
            tiles: vec![tile(a), tile(b)],
            scale: Some(heatmap_scale(history, tensor)),
            columns: Some(2),
            lang,
        },
        first,
        second,
        caption,
    })
}

/// `conv1.weight` → `conv1`.
fn layer_name(name: &str) -> &str {
    name.strip_suffix(".weight").unwrap_or(name)
}

fn caption(
    name: &str,
    a: &SimilarFilter,
    b: &SimilarFilter,
    cosine: f32,
    step: u64,
    lang: Lang,
) -> String {
    let removed = |filter: &SimilarFilter| {
        tr(
            lang,
            "similar.fate.one_removed",
            &[("filter", &(filter.index + 1))],
        )
    };
    let fate = match (a.pruned_by_end, b.pruned_by_end) {
        (true, true) => tr(lang, "similar.fate.both_removed", &[]),
        (true, false) => removed(a),
        (false, true) => removed(b),
        (false, false) => tr(lang, "similar.fate.both_kept", &[]),
    };
    tr(
        lang,
        "similar.caption",
        &[
            ("layer", &layer_name(name)),
            ("a", &(a.index + 1)),
            ("b", &(b.index + 1)),
            ("cosine", &format!("{cosine:.2}")),
            ("step", &step),
            ("fate", &fate),
        ],
    )
}
