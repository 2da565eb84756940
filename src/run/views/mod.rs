//! Chart inputs built from a run's [`History`](super::History): the same views for the CLI's files
//! and the page's canvases. Nothing here draws; `charts` does.
//!
//! - [`weights`]: weight heatmaps and pruned-at maps, tile by tile.
//! - [`curves`]: one run's curves over steps (accuracy, loss, kept, sparsity, compute).
//! - [`compare`]: several runs overlaid, and the comparison table.
//! - [`sweep`]: accuracy against sparsity over many runs (the sweep chart and table).
//! - [`card`]: the results card, dense vs pruned (sizes, MACs, energy, measured time).
//! - [`summary`]: the headline figures as of a step (accuracy, kept, per-layer sparsity, energy).
//! - [`feature_maps`]: each conv layer's maps for one digit, dense vs pruned (Try it).
//! - [`similar_filters`]: the two most similar conv filters before pruning (cosine lesson).
//! - [`hover`]: the facts about the weight under the pointer.
//! - [`network`]: the network as columns of nodes and connections at a step, what changed since
//!   the step shown before, and (`network_text`) its counts and node descriptions in words.
//! - [`config_check`]: whether settings run, and the network's size.
//! - [`figures`]: the chart inputs themselves (plain data; `charts` draws them).
//! - [`data_table`]: a chart's data as a table ("show data").
//! - [`numbers`]: how every number on a chart is written (`8.33 G`, `0.080 J`, `1,802 of 7,090`).
//!
//! Everything the page shows that is not about JavaScript values is decided here, so native
//! tests cover it; `web` only converts arguments and answers.

pub mod card;
mod compare;
mod config_check;
mod curves;
mod data_table;
mod feature_maps;
mod figures;
mod hover;
pub mod network;
mod network_text;
pub mod numbers;
mod overlap;
mod similar_filters;
mod summary;
mod sweep;
mod weights;

pub use card::{
    card_title, card_title_in, results_card, results_card_in, CardRow, CardSide, MeasuredTime,
    ResultsCard,
};
pub use compare::{
    compare_accuracy_chart, compare_chart, compare_chart_in, compare_compute_chart,
    compare_heatmaps, compare_heatmaps_in, compare_kept_chart, compare_table,
    compare_tradeoff_chart, CompareRow, COMPARE_CHARTS,
};
pub use config_check::{check_config_json, ConfigCheck};
pub use curves::{
    accuracy_chart, compute_chart, compute_paragraph, compute_paragraph_in, event_markers,
    kept_chart, layer_sparsity_chart, line_chart, line_chart_in, loss_chart, page_line_chart,
    tradeoff_chart, LINE_CHARTS,
};
pub use data_table::{
    chart_table, chart_table_in, heatmap_table, heatmap_table_in, probability_table,
    probability_table_in, pruned_at_table, pruned_at_table_in, DataTable, MAX_TABLE_ROWS,
};
pub use feature_maps::{
    feature_filter, feature_maps, feature_maps_in, feature_maps_table, filter_caption,
    network_at_step, step_caption, step_caption_in, FeatureMaps, MapLayer, MapSide, ShownNetwork,
};
pub use figures::{
    HeatTile, HeatmapGrid, LineChart, MarkerShape, PrunedAtGrid, PrunedAtTile, Series, SeriesStyle,
};
pub use hover::{
    scores_from_weight_alone, weight_hover, weight_hover_in, WeightCell, WeightHover, WeightView,
    NOT_WEIGHT_ALONE_NOTE, PRUNED_NOTE,
};
pub use network::{
    masks_changed, network_view, network_view_in, Change, ColumnKind, Link, LinkKind, LinkLayer,
    NetColumn, NetNode, NetworkView, NodeImage,
};
pub use network_text::{network_summary, node_facts, LayerCount, NetworkSummary, NodeFacts};
pub use overlap::overlap_notes;
pub use similar_filters::{similar_filters, similar_filters_in, SimilarFilter, SimilarFilters};
pub use summary::{layer_sparsity, summary, summary_in, tensor_sparsity, LayerSparsity, Summary};
pub use sweep::{
    parse_sparsity_percents, spreads, sweep_chart, sweep_chart_in_order, SeedSpread, SweepRow,
};
pub use weights::{
    heatmap, heatmap_in, heatmap_scale, pruned_at_grid, pruned_at_grid_in, tile_specs,
    tile_specs_in, TileSpec,
};

use super::History;

/// A view asked for something the run does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    #[error("unknown {what} `{name}`; allowed: {allowed}")]
    UnknownName {
        what: &'static str,
        name: String,
        allowed: String,
    },
    #[error("no tensor {tensor}; this run has {count}")]
    NoTensor { tensor: usize, count: usize },
}

impl ViewError {
    fn unknown(what: &'static str, name: &str, allowed: &[&str]) -> ViewError {
        ViewError::UnknownName {
            what,
            name: name.to_string(),
            allowed: allowed.join(", "),
        }
    }
}

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

/// The last step of the planned run (at least every recorded step, and at least 1): where step
/// axes and step colour scales end, from the first step on.
pub fn planned_end(history: &History) -> u64 {
    history.planned_steps.max(history.last_step()).max(1)
}

/// A step axis over the whole planned run.
pub(super) fn step_axis(history: &History) -> Option<(f64, f64)> {
    Some((0.0, planned_end(history) as f64))
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
pub fn energy_model_notes() -> Vec<String> {
    match crate::metrics::ENERGY_MODEL.split_once(" (") {
        Some((head, tail)) => vec![head.to_string(), format!("({tail}")],
        None => vec![crate::metrics::ENERGY_MODEL.to_string()],
    }
}

/// [`energy_model_notes`] in `lang` (the English catalog has the same two lines; a test checks).
pub fn energy_model_notes_in(lang: crate::i18n::Lang) -> Vec<String> {
    ["chart.energy-model.head", "chart.energy-model.detail"]
        .map(|key| crate::i18n::tr(lang, key, &[]))
        .to_vec()
}
