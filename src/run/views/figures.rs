//! The figures' contents as plain data: what a view computes from a history and `charts` draws.
//! Defined here, below `charts`, so the run never imports the drawing code; `charts` re-exports
//! these types next to the functions that draw them.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// A line chart's content. `Default` gives an empty chart (which draws axes and "no data yet").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Fixed y axis `(low, high)`, e.g. `(0.0, 1.0)` for accuracy; `None` fits the data.
    pub y_range: Option<(f64, f64)>,
    /// A count (parameters, MACs, energy): a fitted y axis starts at 0, so a 32% drop looks like
    /// one and not like a collapse.
    #[serde(default)]
    pub y_from_zero: bool,
    /// Fixed x axis `(low, high)`, e.g. `(0, planned steps)`, so the axis neither grows while a
    /// run goes nor rescales when the timeline is scrubbed; `None` fits the data.
    #[serde(default)]
    pub x_range: Option<(f64, f64)>,
    /// Points are joined in time order, not by x (accuracy along a run against sparsity): small
    /// arrows on the lines show the direction of travel, so nobody reads the chart as a sweep.
    #[serde(default)]
    pub trajectory: bool,
    /// Logarithmic x axis (only points with x > 0 are drawn).
    pub x_log: bool,
    /// Events drawn as thin vertical lines with a label at the top: `(x, "pruned")`.
    pub markers: Vec<(f64, String)>,
    /// Lines of small text under the plot, e.g. the energy model behind an energy curve.
    pub notes: Vec<String>,
}

/// One line. An empty `label` keeps it out of the legend.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub label: String,
    /// `(x, y)` in drawing order (usually increasing x).
    pub points: Vec<(f64, f64)>,
    pub style: SeriesStyle,
}

/// The marker shapes series are told apart by, besides colour and dash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkerShape {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

/// Every series gets its own marker shape, from its colour index.
const MARKER_SHAPES: [MarkerShape; 5] = [
    MarkerShape::Circle,
    MarkerShape::Square,
    MarkerShape::Triangle,
    MarkerShape::Diamond,
    MarkerShape::Cross,
];

/// How a series looks. Colour alone never tells series apart: each colour index also has its
/// own marker shape ([`SeriesStyle::marker_shape`]), drawn at a few staggered points of every
/// line (on every point with `markers`), and multi-series charts label each line at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesStyle {
    /// Index into the categorical (Okabe–Ito) palette of the charts, cycling after 8.
    pub color_index: usize,
    pub dashed: bool,
    /// A marker on every point (for sparse data such as one point per sparsity level).
    pub markers: bool,
}

impl SeriesStyle {
    /// The marker shape of this series (one per colour index, cycling after 5).
    pub fn marker_shape(&self) -> MarkerShape {
        MARKER_SHAPES[self.color_index % MARKER_SHAPES.len()]
    }
}

/// Weights drawn as tiles of coloured cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatmapGrid {
    pub title: String,
    pub tiles: Vec<HeatTile>,
    /// Half-width of the colour scale; `None` uses max |w| over kept weights of all tiles. The
    /// views set it from the whole recorded run ([`super::heatmap_scale`]), so the colours mean
    /// the same at every timeline position and in every compared run.
    pub scale: Option<f32>,
    /// Tiles per row; `None` picks the count that makes cells largest.
    pub columns: Option<usize>,
    /// The language of the chart's own words (the colour bar's name, the key).
    #[serde(skip)]
    pub lang: Lang,
}

impl HeatmapGrid {
    /// max |w| over the kept, finite weights of all tiles (0 when every weight is pruned or zero):
    /// the colour scale a map gets when none is set.
    pub fn largest_kept_magnitude(&self) -> f32 {
        self.tiles
            .iter()
            .flat_map(|tile| {
                tile.values
                    .iter()
                    .enumerate()
                    .filter(|&(index, _)| tile.kept.get(index) != Some(&false))
                    .map(|(_, value)| value.abs())
            })
            .filter(|value| value.is_finite())
            .fold(0.0, f32::max)
    }
}

/// One tile: a `rows`×`cols` block of weights, row-major.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatTile {
    /// Shown above the tile when there is room, e.g. "filter 3".
    pub label: String,
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f32>,
    /// `false` marks a pruned weight; empty means all kept.
    pub kept: Vec<bool>,
}

/// For every weight, the step at which it was pruned, drawn as tiles like [`HeatmapGrid`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrunedAtGrid {
    pub title: String,
    pub tiles: Vec<PrunedAtTile>,
    /// The step the colour scale ends at: the run's planned length, so a colour means the same
    /// step at every timeline position.
    pub last_step: u32,
    /// The language of the chart's own words (the colour bar's name, the key).
    #[serde(skip)]
    pub lang: Lang,
}

/// One tile: a `rows`×`cols` block of weights, row-major.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrunedAtTile {
    pub label: String,
    pub rows: usize,
    pub cols: usize,
    /// Step at which each weight was pruned; `None` if it never was.
    pub pruned_at: Vec<Option<u32>>,
    /// `true` for weights that were pruned and later regrown; empty means none.
    pub regrown: Vec<bool>,
}
