//! Drawing shared by the grid charts: tiles with an outline, a label and one rectangle per cell,
//! exactly where [`super::grid_layout`] says; plus input checks for tile sizes.

use super::frame::fit_text;
use super::grid_layout::TileRect;
use super::legend::OUTLINE;
use super::theme::{text_style, Theme, TEXT};
use super::ChartError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Draws every tile of `layout`: outline, label (`labels[tile]`) and cells coloured by
/// `cell_color(tile, row * cols + col)`.
pub(crate) fn draw_tiles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &[TileRect],
    labels: &[&str],
    cell_color: impl Fn(usize, usize) -> RGBColor,
    theme: &Theme,
) -> Result<(), ChartError> {
    let label_style = text_style(theme.small, TEXT, HPos::Center, VPos::Center);
    for rect in layout {
        // The outline sits one pixel outside the cells, in the gap between tiles.
        area.draw(&Rectangle::new(
            [
                (rect.x - 1, rect.y - 1),
                (rect.x + rect.width, rect.y + rect.height),
            ],
            OUTLINE.stroke_width(1),
        ))?;
        for row in 0..rect.rows {
            for col in 0..rect.cols {
                let (x0, y0, x1, y1) = rect.cell_rect(row, col);
                if x1 > x0 && y1 > y0 {
                    let color = cell_color(rect.tile, row * rect.cols + col);
                    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
                }
            }
        }
        let label = labels.get(rect.tile).copied().unwrap_or_default();
        if rect.show_label && !label.is_empty() {
            let max_width = (rect.label_width - 4).max(0) as u32;
            let label = fit_text(area, label, theme.small, max_width)?;
            area.draw_text(&label, &label_style, (rect.label_x, rect.label_y))?;
        }
    }
    Ok(())
}

/// Checks one tile's shape and the length of one per-cell field. `optional` fields may also be
/// empty (meaning "all default").
pub(crate) fn check_cells(
    tile: usize,
    rows: usize,
    cols: usize,
    field: &str,
    length: usize,
    optional: bool,
) -> Result<(), ChartError> {
    let cells = rows
        .checked_mul(cols)
        .filter(|&cells| cells > 0)
        .ok_or_else(|| {
            ChartError::invalid(
                format!("tiles[{tile}].rows/cols"),
                format!("{rows}×{cols}; both must be at least 1"),
            )
        })?;
    if length != cells && !(optional && length == 0) {
        let allowed = if optional { " (or 0)" } else { "" };
        return Err(ChartError::invalid(
            format!("tiles[{tile}].{field}"),
            format!("has {length} entries, expected rows×cols = {cells}{allowed}"),
        ));
    }
    Ok(())
}
