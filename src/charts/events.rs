//! Event markers on a line chart ("pruned", "rolled back"): a thin vertical line through the plot
//! and a small label in a band just above it, so labels never sit on the data. Labels go in the
//! first of two rows where they do not overlap an earlier label; if neither row has room the
//! line is drawn without one.

use super::frame::{fit_text, line_height};
use super::theme::{text_size, text_style, Theme, MUTED_TEXT};
use super::ChartError;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Colour of event lines.
const EVENT_LINE: RGBColor = RGBColor(0x9a, 0x9a, 0x9a);
/// Label rows above the plot.
const ROWS: usize = 2;

/// Height of the label band for `events` events.
pub(crate) fn band_height(events: usize, theme: &Theme) -> i32 {
    events.min(ROWS) as i32 * line_height(theme.small)
}

/// Draws the events' lines and labels; `area` is the area the chart was built on.
pub(crate) fn draw<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    area: &DrawingArea<DB, Shift>,
    plot: &ChartContext<DB, Cartesian2d<X, RangedCoordf64>>,
    events: &[(f64, &str)],
    theme: &Theme,
) -> Result<(), ChartError> {
    if events.is_empty() {
        return Ok(());
    }
    let (area_x, area_y) = (
        area.get_pixel_range().0.start,
        area.get_pixel_range().1.start,
    );
    let (plot_x, plot_y) = plot.plotting_area().get_pixel_range();
    let (plot_left, plot_right) = (plot_x.start - area_x, plot_x.end - area_x);
    let (plot_top, plot_bottom) = (plot_y.start - area_y, plot_y.end - area_y);
    let row_height = line_height(theme.small);
    let band_top = plot_top - band_height(events.len(), theme);
    let gap = 3;

    let mut sorted = events.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut free_from = [i32::MIN; ROWS];
    let style = text_style(theme.small, MUTED_TEXT, HPos::Left, VPos::Top);
    for (x, label) in sorted {
        let line_x = plot.backend_coord(&(x, 0.0)).0 - area_x;
        let label = fit_text(
            area,
            label,
            theme.small,
            ((plot_right - plot_left) / 3).max(0) as u32,
        )?;
        let text_width = text_size(area, &label, theme.small)?.0 as i32;
        // Right of the line, or left of it near the right edge.
        let left = if line_x + gap + text_width <= plot_right {
            line_x + gap
        } else {
            line_x - gap - text_width
        };
        let row = (0..events.len().min(ROWS)).find(|&row| left >= free_from[row]);
        let line_top = match row {
            Some(row) => {
                let top = band_top + row as i32 * row_height;
                area.draw_text(&label, &style, (left, top))?;
                free_from[row] = left + text_width + 2 * gap;
                top
            }
            None => plot_top,
        };
        area.draw(&PathElement::new(
            vec![(line_x, line_top), (line_x, plot_bottom)],
            EVENT_LINE.stroke_width(1),
        ))?;
    }
    Ok(())
}
