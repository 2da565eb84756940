//! Line charts: accuracy and loss against step, kept parameters against step, accuracy against
//! sparsity, cumulative MACs or energy for the dense and the pruned network.
//!
//! Layout, top to bottom: title, legend (one row per line of items, never over the data), the plot
//! with vertical event lines ("pruned", "rolled back"), then note lines (e.g. the energy model).
//! NaN or infinite points break a line into separate pieces instead of distorting the axes; on a
//! log x axis, points with x ≤ 0 are left out; with a fixed `y_range`, lines are cut at its edges.

use super::axes::{label_areas, label_count, style_mesh};
use super::clip::clip_to_band;
use super::events;
use super::frame;
use super::legend::{self, LegendItem, Swatch};
use super::log_axis::LogAxis;
use super::palette::categorical;
use super::scale::{finite_range, padded, TickFormat};
use super::series_marks::{arrows, end_labels, marked_points, marker, plot_pixel};
use super::theme::{text_size, Theme};
use super::{fonts, ChartError};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
// The inputs are plain data defined with the views that build them.
pub use crate::run::views::{LineChart, Series, SeriesStyle};

/// Draws `chart` into `area` (see the module docs for the layout).
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    if let Some((low, high)) = chart.y_range {
        if !(low.is_finite() && high.is_finite() && low < high) {
            return Err(ChartError::invalid(
                "y_range",
                format!("({low}, {high}) must be finite with low < high"),
            ));
        }
    }
    let theme = Theme::for_area(area);
    let body = frame::titled(area, &chart.title, &theme)?;

    let items: Vec<LegendItem> = chart
        .series
        .iter()
        .filter(|series| !series.label.is_empty())
        .map(|series| LegendItem {
            label: series.label.clone(),
            color: categorical(series.style.color_index),
            swatch: Swatch::Line {
                dashed: series.style.dashed,
                marker: series.style.marker_shape(),
            },
        })
        .collect();
    let legend_height = legend::height(&body, &items, &theme)?;
    let (legend_area, rest) = body.split_vertically(legend_height);
    legend::draw(&legend_area, &items, &theme)?;

    let (_, rest_height) = rest.dim_in_pixel();
    let (plot_area, notes_area) =
        rest.split_vertically(rest_height as i32 - frame::notes_height(&chart.notes, &theme));
    frame::draw_notes(&notes_area, &chart.notes, &theme)?;

    let usable = |x: f64| x.is_finite() && (!chart.x_log || x > 0.0);
    let data_x = finite_range(
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| usable(p.0) && p.1.is_finite())
            .map(|p| p.0),
    );
    let has_data = data_x.is_some();
    let event_x = chart.markers.iter().map(|m| m.0).filter(|&x| usable(x));
    let x_range = finite_range(data_x.into_iter().flat_map(|(a, b)| [a, b]).chain(event_x));
    let y_data = finite_range(
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| usable(p.0))
            .map(|p| p.1),
    );
    let y_range = chart
        .y_range
        .or_else(|| {
            y_data.map(|(low, high)| match chart.y_from_zero {
                // A count: from 0 (or below, for negative data) to a little above the largest.
                true => padded((low.min(0.0), high.max(0.0)), 0.05),
                false => padded((low, high), 0.05),
            })
        })
        .map(|(low, high)| match chart.y_from_zero {
            true if low < 0.0 && y_data.is_some_and(|(data_low, _)| data_low >= 0.0) => (0.0, high),
            _ => (low, high),
        })
        .unwrap_or((0.0, 1.0));

    let fixed_x = chart.x_range.filter(|&(low, high)| {
        low.is_finite() && high.is_finite() && low < high && (!chart.x_log || low > 0.0)
    });
    let (x_low, x_high) = match fixed_x.or(x_range) {
        Some((low, high)) if high > low => (low, high),
        Some((value, _)) if chart.x_log => (value / 2.0, value * 2.0),
        Some(range) => padded(range, 0.0),
        None if chart.x_log => (1.0, 10.0),
        None => (0.0, 1.0),
    };
    let x_ticks = label_count(plot_area.dim_in_pixel().0, 90.0);
    let layout = PlotLayout {
        x: (x_low, x_high),
        y: y_range,
        has_data,
    };
    if chart.x_log {
        let axis = LogAxis::new(x_low, x_high);
        let ticks = axis.key_points(x_ticks);
        let format = |value: &f64| log_label(*value);
        plot(&plot_area, chart, axis, &ticks, &format, &layout, &theme)
    } else {
        let axis = RangedCoordf64::from(x_low..x_high);
        let ticks = axis.key_points(x_ticks);
        let x_format = TickFormat::for_ticks(&ticks, (x_low, x_high));
        let format = move |value: &f64| x_format.format(*value);
        plot(&plot_area, chart, axis, &ticks, &format, &layout, &theme)
    }
}

/// The ranges a plot is drawn with.
struct PlotLayout {
    x: (f64, f64),
    y: (f64, f64),
    has_data: bool,
}

/// Draws axes, events and series on the x axis `x_axis` (linear or logarithmic) with tick values
/// `x_ticks`.
fn plot<DB, X>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    x_axis: X,
    x_ticks: &[f64],
    x_format: &dyn Fn(&f64) -> String,
    layout: &PlotLayout,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let (_, height) = area.dim_in_pixel();
    let (y_low, y_high) = layout.y;
    let y_axis = RangedCoordf64::from(y_low..y_high);
    let y_count = label_count(height, 45.0);
    let y_ticks = y_axis.key_points(y_count);
    let y_format = TickFormat::for_ticks(&y_ticks, layout.y);
    let samples: Vec<String> = y_ticks.iter().map(|&t| y_format.format(t)).collect();
    let label_room = label_areas(area, theme, &samples, &chart.x_label, &chart.y_label)?;

    let inside = |x: f64| x.is_finite() && x >= layout.x.0 && x <= layout.x.1;
    let events: Vec<(f64, &str)> = chart
        .markers
        .iter()
        .filter(|m| inside(m.0))
        .map(|(x, label)| (*x, label.as_str()))
        .collect();
    // Room right of the plot for the lines' end labels, so a line that reaches the end of the
    // axis is labelled beside it, not on top of it.
    let end_label_room = if labelled_lines(chart) > 1 {
        let mut widest = 0;
        for series in chart.series.iter().filter(|s| !s.label.is_empty()) {
            widest = widest.max(text_size(area, &series.label, theme.small)?.0 as i32);
        }
        widest + 2 * theme.pad
    } else {
        0
    };
    let mut plot = ChartBuilder::on(area)
        .margin_top(theme.pad + events::band_height(events.len(), theme))
        .margin_right((3 * theme.pad).max(end_label_room))
        .margin_left(theme.pad)
        .x_label_area_size(label_room.bottom)
        .y_label_area_size(label_room.left)
        .build_cartesian_2d(x_axis, y_axis)?;

    let y_label_format = |value: &f64| y_format.format(*value);
    let mut mesh = plot.configure_mesh();
    style_mesh(&mut mesh, theme, &chart.x_label, &chart.y_label);
    mesh.x_labels(x_ticks.len())
        .y_labels(y_count)
        .x_label_formatter(x_format)
        .y_label_formatter(&y_label_format)
        .draw()?;

    events::draw(area, &plot, &events, theme)?;
    let surface = plot.plotting_area().strip_coord_spec();
    let to_pixel = |point: &(f64, f64)| plot_pixel(&plot, point);
    let mut ends = Vec::new();
    for series in &chart.series {
        let end = draw_series(&surface, &to_pixel, series, layout, chart, theme)?;
        if let (Some(end), false) = (end, series.label.is_empty()) {
            ends.push((end, series.label.clone()));
        }
    }
    // Direct labels at the lines' ends when there is more than one line to tell apart.
    if labelled_lines(chart) > 1 {
        end_labels(&surface, &ends, end_label_room, theme)?;
    }
    if !layout.has_data {
        frame::no_data(&plot.plotting_area().strip_coord_spec(), theme)?;
    }
    Ok(())
}

/// How many series have a label and points (more than one: they get end labels).
fn labelled_lines(chart: &LineChart) -> usize {
    chart
        .series
        .iter()
        .filter(|s| !s.label.is_empty() && !s.points.is_empty())
        .count()
}

/// Maps a data point to a pixel of the plot's surface.
type ToPixel<'a> = dyn Fn(&(f64, f64)) -> (i32, i32) + 'a;

/// Draws one series on the plot's `surface` (`to_pixel` maps data to its pixels; drawing in
/// pixels keeps this code single, whatever the x axis): finite runs of points, clipped to the y
/// range, as (dashed) lines, plus its marker shape on a few staggered points (on every point with
/// `markers`, or of a short line) and, on a trajectory, arrows. Returns the pixel of the last
/// point drawn, where its end label goes.
fn draw_series<DB: DrawingBackend>(
    surface: &DrawingArea<DB, Shift>,
    to_pixel: &ToPixel,
    series: &Series,
    layout: &PlotLayout,
    chart: &LineChart,
    theme: &Theme,
) -> Result<Option<(i32, i32)>, ChartError> {
    let log_x = chart.x_log;
    let color = categorical(series.style.color_index);
    let line = color.stroke_width(theme.line_width);
    let ((x_low, x_high), (y_low, y_high)) = (layout.x, layout.y);
    let usable = |p: &(f64, f64)| {
        p.0.is_finite() && p.1.is_finite() && p.0 >= x_low && p.0 <= x_high && (!log_x || p.0 > 0.0)
    };
    let runs = series
        .points
        .split(|p| !usable(p))
        .filter(|run| !run.is_empty());
    for run in runs {
        for piece in clip_to_band(run, layout.y, log_x) {
            if piece.len() < 2 {
                continue;
            }
            let pixels: Vec<(i32, i32)> = piece.iter().map(to_pixel).collect();
            if series.style.dashed {
                let dash = 4 * theme.line_width as i32 + 2;
                surface.draw(&DashedPathElement::new(pixels, dash, dash * 2 / 3, line))?;
            } else {
                surface.draw(&PathElement::new(pixels, line))?;
            }
        }
        if chart.trajectory {
            let pixels: Vec<(i32, i32)> = run.iter().map(to_pixel).collect();
            arrows(surface, &pixels, color, theme)?;
        }
        let stagger = series.style.color_index;
        for index in marked_points(run, series.style.markers, stagger) {
            let point = run[index];
            if point.1 >= y_low && point.1 <= y_high {
                let shape = series.style.marker_shape();
                marker(surface, to_pixel(&point), shape, color, theme)?;
            }
        }
    }
    let last = series
        .points
        .iter()
        .rev()
        .find(|p| usable(p) && p.1 >= y_low && p.1 <= y_high);
    Ok(last.map(to_pixel))
}

/// Tick label on a log axis: as many decimals as the value's magnitude needs (0.01, 0.5, 3, 20),
/// SI suffixes from 10 000 on.
fn log_label(value: f64) -> String {
    if value >= 1e4 {
        return TickFormat::new((0.0, value), 1).format(value);
    }
    let decimals = if value > 0.0 {
        (-value.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    };
    crate::run::views::numbers::fixed(value, decimals)
}
