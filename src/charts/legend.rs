//! A horizontal legend drawn above the plot, so it never hides data: items flow left to right and
//! wrap into centred rows.

use super::frame::line_height;
use super::series_marks;
use super::theme::{text_size, text_style, Theme, TEXT};
use super::ChartError;
use crate::run::views::MarkerShape;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What the small sample next to a legend label looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    Line {
        dashed: bool,
        marker: MarkerShape,
    },
    /// A filled square (bars).
    Box,
    /// A square with a thin outline, as a heatmap cell is drawn, optionally with a centre dot.
    Cell {
        dot: Option<RGBColor>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub swatch: Swatch,
}

/// Outline of cell swatches (and of heatmap tiles).
pub(crate) const OUTLINE: RGBColor = RGBColor(0xb0, 0xb0, 0xb0);

/// One placed item: its index and the left edge of its swatch.
struct Placed {
    item: usize,
    x: i32,
    row: i32,
}

/// Places the items in rows of at most the area's width; returns the placements and the height.
fn place<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    theme: &Theme,
) -> Result<(Vec<Placed>, i32), ChartError> {
    let (width, _) = area.dim_in_pixel();
    let available = width as i32 - 2 * theme.pad;
    let swatch = swatch_width(theme);
    let item_gap = 3 * theme.pad;
    // First pass: item widths and row breaks.
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut row_width = 0;
    for (index, item) in items.iter().enumerate() {
        let text_width = text_size(area, &item.label, theme.label)?.0 as i32;
        let item_width = swatch + theme.pad + text_width;
        let needed = if row_width == 0 {
            item_width
        } else {
            row_width + item_gap + item_width
        };
        if needed > available && row_width > 0 {
            rows.push(Vec::new());
            row_width = item_width;
        } else {
            row_width = needed;
        }
        if let Some(row) = rows.last_mut() {
            row.push((index, item_width));
        }
    }
    // Second pass: centre each row.
    let mut placed = Vec::new();
    for (row_index, row) in rows.iter().enumerate() {
        let total: i32 =
            row.iter().map(|(_, w)| w).sum::<i32>() + item_gap * (row.len() as i32 - 1).max(0);
        let mut x = (width as i32 - total).max(0) / 2;
        for &(item, item_width) in row {
            placed.push(Placed {
                item,
                x,
                row: row_index as i32,
            });
            x += item_width + item_gap;
        }
    }
    let height = if items.is_empty() {
        0
    } else {
        rows.len() as i32 * line_height(theme.label) + theme.pad
    };
    Ok((placed, height))
}

fn swatch_width(theme: &Theme) -> i32 {
    (theme.label * 2.2).round() as i32
}

/// Height the legend needs in `area` (0 without items).
pub(crate) fn height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    theme: &Theme,
) -> Result<i32, ChartError> {
    Ok(place(area, items, theme)?.1)
}

/// Draws the legend at the top of `area`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    theme: &Theme,
) -> Result<(), ChartError> {
    let (placed, _) = place(area, items, theme)?;
    let row_height = line_height(theme.label);
    let swatch = swatch_width(theme);
    let style = text_style(theme.label, TEXT, HPos::Left, VPos::Center);
    for placement in placed {
        let item = &items[placement.item];
        let y = placement.row * row_height + row_height / 2;
        let x = placement.x;
        draw_swatch(area, item, (x, y), swatch, theme)?;
        area.draw_text(&item.label, &style, (x + swatch + theme.pad, y))?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    item: &LegendItem,
    (x, y): (i32, i32),
    width: i32,
    theme: &Theme,
) -> Result<(), ChartError> {
    let line = item.color.stroke_width(theme.line_width);
    match item.swatch {
        Swatch::Line { dashed, marker } => {
            if dashed {
                // Two dashes with a gap, the same rhythm as the data line.
                let dash = width * 2 / 5;
                area.draw(&PathElement::new(vec![(x, y), (x + dash, y)], line))?;
                area.draw(&PathElement::new(
                    vec![(x + width - dash, y), (x + width, y)],
                    line,
                ))?;
            } else {
                area.draw(&PathElement::new(vec![(x, y), (x + width, y)], line))?;
            }
            series_marks::marker(area, (x + width / 2, y), marker, item.color, theme)?;
        }
        Swatch::Box | Swatch::Cell { .. } => {
            let half = (theme.label * 0.4).round() as i32;
            let corners = [(x + width - 2 * half, y - half), (x + width, y + half)];
            area.draw(&Rectangle::new(corners, item.color.filled()))?;
            if let Swatch::Cell { dot } = item.swatch {
                area.draw(&Rectangle::new(corners, OUTLINE.stroke_width(1)))?;
                if let Some(dot) = dot {
                    let radius = (half / 2).max(1) as u32;
                    area.draw(&Circle::new((x + width - half, y), radius, dot.filled()))?;
                }
            }
        }
    }
    Ok(())
}

/// Radius of the point markers on a line (and in its legend swatch).
pub(crate) fn marker_radius(theme: &Theme) -> u32 {
    theme.line_width + 1
}
