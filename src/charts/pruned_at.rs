//! "Pruned at step" maps: for every weight, the step at which it was removed.
//!
//! Colour = viridis(step / last_step): dark purple for weights pruned early, yellow for late ones.
//! Weights never pruned are light grey ([`palette::NEVER_PRUNED`]); weights that were regrown
//! carry a centre dot (black on light cells, white on dark ones) over the colour of the step at
//! which they had been pruned. Layout is the heatmap's (see [`super::grid_layout`]).

use super::colorbar::{draw_colorbar, step_ticks};
use super::grid_draw::{check_cells, draw_tiles};
use super::grid_layout::{layout_tiles, GridFrame, TileRect};
use super::legend::{self, LegendItem, Swatch};
use super::palette::{self, luminance, sequential};
use super::{fonts, frame, ChartError};
use crate::i18n::tr;
use plotters::coord::Shift;
use plotters::prelude::*;
// The inputs are plain data defined with the views that build them.
pub use crate::run::views::{PrunedAtGrid, PrunedAtTile};

/// Where each tile and cell of `grid` lands on a `width`×`height` area (see
/// [`super::heatmap_layout`]).
pub fn pruned_at_layout(grid: &PrunedAtGrid, width: u32, height: u32) -> Vec<TileRect> {
    let shapes: Vec<(usize, usize)> = grid.tiles.iter().map(|t| (t.rows, t.cols)).collect();
    layout_tiles(&shapes, None, &GridFrame::new(width, height, &grid.title))
}

/// Colour of a weight pruned at `step` on a scale ending at `last_step`.
fn step_color(step: u32, last_step: u32) -> RGBColor {
    if last_step == 0 {
        sequential(0.0)
    } else {
        sequential(f64::from(step) / f64::from(last_step))
    }
}

/// Draws `grid` into `area`; see the module docs for colours.
pub fn draw_pruned_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &PrunedAtGrid,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    for (index, tile) in grid.tiles.iter().enumerate() {
        check_cells(
            index,
            tile.rows,
            tile.cols,
            "pruned_at",
            tile.pruned_at.len(),
            false,
        )?;
        check_cells(
            index,
            tile.rows,
            tile.cols,
            "regrown",
            tile.regrown.len(),
            true,
        )?;
        if let Some(step) = tile
            .pruned_at
            .iter()
            .flatten()
            .find(|&&s| s > grid.last_step)
        {
            return Err(ChartError::invalid(
                format!("tiles[{index}].pruned_at"),
                format!("contains step {step}, after last_step = {}", grid.last_step),
            ));
        }
    }
    let (width, height) = area.dim_in_pixel();
    let grid_frame = GridFrame::new(width, height, &grid.title);
    let theme = grid_frame.theme;
    frame::titled(area, &grid.title, &theme)?;
    if grid.tiles.is_empty() {
        return frame::no_data(area, &theme);
    }

    let layout = pruned_at_layout(grid, width, height);
    let labels: Vec<&str> = grid.tiles.iter().map(|t| t.label.as_str()).collect();
    let cell_color = |tile: usize, index: usize| match grid.tiles[tile].pruned_at[index] {
        Some(step) => step_color(step, grid.last_step),
        None => palette::NEVER_PRUNED,
    };
    draw_tiles(area, &layout, &labels, cell_color, &theme)?;

    // Regrown marks: a dot in the cell centre, in the ink that contrasts with the cell.
    for rect in &layout {
        let tile = &grid.tiles[rect.tile];
        for (index, _) in tile
            .regrown
            .iter()
            .enumerate()
            .filter(|(_, &regrown)| regrown)
        {
            let (x0, y0, x1, y1) = rect.cell_rect(index / rect.cols, index % rect.cols);
            let radius = ((x1 - x0).min(y1 - y0) / 4).max(1) as u32;
            let ink = dot_ink(cell_color(rect.tile, index));
            area.draw(&Circle::new(
                ((x0 + x1) / 2, (y0 + y1) / 2),
                radius,
                ink.filled(),
            ))?;
        }
    }

    let ticks = step_ticks(grid.last_step);
    draw_colorbar(
        area,
        grid_frame.colorbar,
        &tr(grid.lang, "chart.pruned-at.scale", &[]),
        &ticks,
        sequential,
        &theme,
    )?;

    let regrown_example = step_color(grid.last_step / 2, grid.last_step);
    let key = [
        LegendItem {
            label: tr(grid.lang, "chart.pruned-at.never", &[]),
            color: palette::NEVER_PRUNED,
            swatch: Swatch::Cell { dot: None },
        },
        LegendItem {
            label: tr(grid.lang, "chart.pruned-at.regrown", &[]),
            color: regrown_example,
            swatch: Swatch::Cell {
                dot: Some(dot_ink(regrown_example)),
            },
        },
    ];
    let key_region = grid_frame.key;
    let key_area = area.margin(key_region.y, 0, key_region.x, 0);
    legend::draw(&key_area, &key, &theme)
}

/// Black on light cells, white on dark ones.
fn dot_ink(cell: RGBColor) -> RGBColor {
    if luminance(cell) > 0.25 {
        BLACK
    } else {
        WHITE
    }
}
