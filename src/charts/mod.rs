//! Charts: every PruneLab figure, drawn once against plotters' backend-generic API.
//!
//! Each chart is a plain input struct plus one function
//! `draw_*<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, input) -> Result<(), ChartError>`.
//! The function never picks a backend: the page passes a `plotters-canvas` area (main thread only,
//! because on wasm32 plotters measures text through the DOM), the CLI and tests pass an SVG or bitmap
//! area (see `export`, native only). Inputs are plain data, so the caller converts its history into them.
//!
//! | chart | input | function |
//! |---|---|---|
//! | curves over steps, sparsity, energy | [`LineChart`] | [`draw_line_chart`] |
//! | weights, one tile per filter/unit/matrix | [`HeatmapGrid`] | [`draw_heatmap`] (+ [`heatmap_layout`] for hover) |
//! | step at which each weight was pruned | [`PrunedAtGrid`] | [`draw_pruned_at`] (+ [`pruned_at_layout`]) |
//! | feature maps of one network for one digit | [`FeatureMaps`] | [`draw_feature_maps`] (+ [`feature_maps_layout`]) |
//! | grouped bars (digit probabilities, sensitivity) | [`BarChart`] | [`draw_bar_chart`] |
//! | the network: columns of nodes, connections, pruning as it happens | [`NetworkView`] | [`draw_network`] (+ [`network_layout`]) |
//!
//! # Conventions
//! - Pixel coordinates are relative to the drawing area the function receives: x to the right, y down.
//! - Weight tiles are row-major: value `r * cols + c` is row `r`, column `c` (a conv kernel `[kh, kw]`
//!   slice of PyTorch's `[out, in, kh, kw]` is already in this order).
//! - Colours: lines and bars use the Okabe–Ito palette (safe for the common colour-vision deficiencies);
//!   weights use a blue–white–red diverging map centred on 0 (ColorBrewer RdBu); the pruned-at map uses
//!   viridis. Pruned weights are a neutral dark grey, [`palette::PRUNED`], that neither map reaches.
//! - Sizes (fonts, margins) scale with the area, so 640×360 and 960×540 both read well.
//! - Bad input (mismatched lengths, a step past `last_step`, a non-positive scale) returns
//!   [`ChartError`] naming the field; nothing here panics on data. Empty data draws the axes and
//!   "no data yet".

mod axes;
mod bar;
mod category_axis;
mod clip;
mod colorbar;
mod error;
mod events;
#[cfg(not(target_arch = "wasm32"))]
pub mod export;
mod feature_maps;
mod fonts;
pub(crate) mod forward_backend;
mod frame;
mod grid_draw;
mod grid_layout;
mod heatmap;
mod legend;
mod line;
mod log_axis;
#[cfg(not(target_arch = "wasm32"))]
mod native_backends;
#[cfg(not(target_arch = "wasm32"))]
mod native_text;
mod network;
mod network_layout;
pub mod palette;
mod pruned_at;
mod scale;
mod series_marks;
mod theme;

pub use bar::{draw_bar_chart, BarChart, BarGroup};
pub use error::ChartError;
pub use feature_maps::{
    draw_feature_maps, feature_maps_layout, FeatureMaps, MapRect, GONE_FILL, GONE_HATCH,
};
pub use grid_layout::{hit_test, TileRect};
pub use heatmap::{draw_heatmap, heatmap_layout, HeatTile, HeatmapGrid};
pub use line::{draw_line_chart, LineChart, Series, SeriesStyle};
pub use network::{draw_network, network_title, NetworkView, NEGATIVE, POSITIVE, REMOVING};
pub use network_layout::{network_layout, ColumnBox, NetworkLayout, NodeRect};
pub use pruned_at::{draw_pruned_at, pruned_at_layout, PrunedAtGrid, PrunedAtTile};

/// The message drawn in place of data when a chart has nothing to show.
pub const NO_DATA_MESSAGE: &str = "no data yet";
