//! Chart inputs built from a run's [`History`](super::History): the same views for the CLI's files
//! and the page's canvases. Nothing here draws; `charts` does.
//!
//! - [`weights`]: weight heatmaps and pruned-at maps, tile by tile.
//! - [`curves`]: one run's curves over steps (accuracy, loss, kept, sparsity, compute).
//! - [`compare`]: several runs overlaid.
//! - [`figures`]: the chart inputs themselves (plain data; `charts` draws them).

mod compare;
mod curves;
mod figures;
mod weights;

pub use compare::{
    compare_accuracy_chart, compare_compute_chart, compare_kept_chart, compare_tradeoff_chart,
};
pub use curves::{
    accuracy_chart, compute_chart, event_markers, kept_chart, layer_sparsity_chart, loss_chart,
    tradeoff_chart,
};
pub use figures::{
    HeatTile, HeatmapGrid, LineChart, PrunedAtGrid, PrunedAtTile, Series, SeriesStyle,
};
pub use weights::{heatmap, pruned_at_grid, tile_specs, TileSpec};

/// Most points a per-step series is drawn with: long runs are thinned (every k-th point, the last
/// always kept), so a 10,000-step history draws as fast as a short one. Cumulative curves are
/// monotone, so thinning keeps their shape.
pub const MAX_CHART_POINTS: usize = 800;

pub(super) fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
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

/// A plain line series.
pub(super) fn series(
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

/// The energy model as chart notes: two lines, so it fits an 800-pixel chart untruncated.
pub(super) fn energy_model_notes() -> Vec<String> {
    match crate::metrics::ENERGY_MODEL.split_once(" (") {
        Some((head, tail)) => vec![head.to_string(), format!("({tail}")],
        None => vec![crate::metrics::ENERGY_MODEL.to_string()],
    }
}
