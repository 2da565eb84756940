//! Axes shared by the line and bar charts: how much room the tick labels and axis titles need,
//! and one consistent mesh style (light grid, no minor lines, muted tick labels).

use super::theme::{text_size, text_style, Theme, MUTED_TEXT, TEXT};
use super::ChartError;
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Colour of the major grid lines.
const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
/// Colour of the axis lines.
const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);

/// Pixel sizes of the label areas left of and below the plot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LabelAreas {
    pub left: i32,
    pub bottom: i32,
}

/// Room for tick labels (the widest of `y_tick_samples`) plus the axis titles, if any.
pub(crate) fn label_areas<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    y_tick_samples: &[String],
    x_label: &str,
    y_label: &str,
) -> Result<LabelAreas, ChartError> {
    let mut widest = 0;
    for sample in y_tick_samples {
        widest = widest.max(text_size(area, sample, theme.tick)?.0 as i32);
    }
    let tick_height = text_size(area, "0123456789", theme.tick)?.1 as i32;
    let title_height = |label: &str| -> Result<i32, ChartError> {
        if label.is_empty() {
            Ok(0)
        } else {
            Ok(text_size(area, label, theme.label)?.1 as i32 + theme.pad)
        }
    };
    // Tick mark + gap + labels (+ gap + axis title).
    let tick_mark = tick_mark_size(theme);
    Ok(LabelAreas {
        left: tick_mark + theme.pad + widest + title_height(y_label)? + theme.pad,
        bottom: tick_mark + theme.pad + tick_height + title_height(x_label)? + theme.pad,
    })
}

fn tick_mark_size(theme: &Theme) -> i32 {
    (theme.pad * 2 / 3).max(3)
}

/// Applies the common look to a mesh: axis titles, grid and label fonts.
pub(crate) fn style_mesh<'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &mut MeshStyle<'a, 'b, X, Y, DB>,
    theme: &Theme,
    x_label: &str,
    y_label: &str,
) {
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(text_style(theme.label, TEXT, HPos::Center, VPos::Center))
        .label_style(text_style(
            theme.tick,
            MUTED_TEXT,
            HPos::Center,
            VPos::Center,
        ))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .set_all_tick_mark_size(tick_mark_size(theme));
}

/// How many tick labels fit along an axis of `pixels` with about `spacing` pixels each.
pub(crate) fn label_count(pixels: u32, spacing: f64) -> usize {
    ((f64::from(pixels) / spacing).floor() as usize).clamp(2, 12)
}
