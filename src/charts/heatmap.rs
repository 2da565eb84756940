//! Weight heatmaps: every conv filter, every dense unit (shaped like its input) or a whole weight
//! matrix as a tile of coloured cells.
//!
//! Colour: ColorBrewer RdBu on a symmetric scale `[-s, s]`, blue negative, near-white 0, red
//! positive, with `s = max |w|` over the kept weights of all tiles unless given, so tiles compare.
//! Pruned weights are [`palette::PRUNED`] (#3A3A3A), darker and greyer than any map colour.
//! A colour bar on the right shows the scale; a key at the bottom shows the pruned colour.

use super::colorbar::{draw_colorbar, symmetric_ticks};
use super::grid_draw::{check_cells, draw_tiles};
use super::grid_layout::{layout_tiles, GridFrame, TileRect};
use super::legend::{self, LegendItem, Swatch};
use super::palette::{self, diverging};
use super::{fonts, frame, ChartError};
use crate::i18n::tr;
use plotters::coord::Shift;
use plotters::prelude::*;
// The inputs are plain data defined with the views that build them.
pub use crate::run::views::{HeatTile, HeatmapGrid};

/// Where each tile and cell of `grid` lands when drawn on a `width`×`height` area (pixels relative
/// to that area). The same layout [`draw_heatmap`] uses, for mapping a hover to (tile, row, col)
/// with [`super::hit_test`].
pub fn heatmap_layout(grid: &HeatmapGrid, width: u32, height: u32) -> Vec<TileRect> {
    let shapes: Vec<(usize, usize)> = grid.tiles.iter().map(|t| (t.rows, t.cols)).collect();
    layout_tiles(
        &shapes,
        grid.columns,
        &GridFrame::new(width, height, &grid.title),
    )
}

/// Draws `grid` into `area`; see the module docs for colours.
pub fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &HeatmapGrid,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    for (index, tile) in grid.tiles.iter().enumerate() {
        check_cells(
            index,
            tile.rows,
            tile.cols,
            "values",
            tile.values.len(),
            false,
        )?;
        check_cells(index, tile.rows, tile.cols, "kept", tile.kept.len(), true)?;
    }
    let scale = match grid.scale {
        Some(scale) if scale.is_finite() && scale > 0.0 => scale,
        Some(scale) => {
            return Err(ChartError::invalid(
                "scale",
                format!("{scale}; must be a finite number > 0, or None"),
            ))
        }
        None => auto_scale(grid),
    };
    let (width, height) = area.dim_in_pixel();
    let grid_frame = GridFrame::new(width, height, &grid.title);
    let theme = grid_frame.theme;
    frame::titled(area, &grid.title, &theme)?;
    if grid.tiles.is_empty() {
        return frame::no_data(area, &theme);
    }

    let layout = heatmap_layout(grid, width, height);
    let labels: Vec<&str> = grid.tiles.iter().map(|t| t.label.as_str()).collect();
    let cell_color = |tile: usize, index: usize| {
        let tile = &grid.tiles[tile];
        if tile.kept.get(index) == Some(&false) {
            palette::PRUNED
        } else {
            diverging(tile.values[index], scale)
        }
    };
    draw_tiles(area, &layout, &labels, cell_color, &theme)?;

    let ticks = symmetric_ticks(scale);
    let color_at = |t: f64| diverging(((t * 2.0 - 1.0) * f64::from(scale)) as f32, scale);
    draw_colorbar(
        area,
        grid_frame.colorbar,
        &tr(grid.lang, "chart.heatmap.scale", &[]),
        &ticks,
        color_at,
        &theme,
    )?;

    let key = [LegendItem {
        label: tr(grid.lang, "chart.heatmap.pruned", &[]),
        color: palette::PRUNED,
        swatch: Swatch::Cell { dot: None },
    }];
    let key_region = grid_frame.key;
    let key_area = area.margin(key_region.y, 0, key_region.x, 0);
    legend::draw(&key_area, &key, &theme)
}

/// The largest kept |w| of the map; 1 when there is none (all pruned or zero).
fn auto_scale(grid: &HeatmapGrid) -> f32 {
    let largest = grid.largest_kept_magnitude();
    if largest > 0.0 {
        largest
    } else {
        1.0
    }
}
