//! Grouped bar charts: the probabilities of digits 0–9 under the dense and the pruned network, or
//! the accuracy drop of each layer pruned alone at 10 … 90 %.
//!
//! Categories (`labels`) run along x; each category has one bar per group, side by side, coloured
//! from the Okabe–Ito palette. Bars start at 0, so negative values (an accuracy gain) point down.

use super::axes::{label_areas, label_count, style_mesh};
use super::category_axis::CategoryAxis;
use super::legend::{self, LegendItem, Swatch};
use super::palette::categorical;
use super::scale::{finite_range, TickFormat};
use super::theme::{text_size, Theme};
use super::{fonts, frame, ChartError};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    pub title: String,
    /// Axis title under the categories, e.g. "digit"; may be empty.
    pub x_label: String,
    pub y_label: String,
    /// One label per category, e.g. "0" … "9".
    pub labels: Vec<String>,
    pub groups: Vec<BarGroup>,
    /// Fixed y axis `(low, high)`; `None` fits the data and always includes 0.
    pub y_range: Option<(f64, f64)>,
}

/// One bar per category, e.g. the pruned network's probabilities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BarGroup {
    /// Legend text; empty keeps the group out of the legend.
    pub label: String,
    /// One value per category (same length as `BarChart::labels`); NaN draws no bar.
    pub values: Vec<f64>,
    /// Okabe–Ito colour index; `None` uses the group's position.
    pub color_index: Option<usize>,
}

/// Fraction of a category's width left empty, split between both sides.
const CATEGORY_PADDING: f64 = 0.3;

/// Draws `chart` into `area`.
pub fn draw_bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BarChart,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    for (index, group) in chart.groups.iter().enumerate() {
        if group.values.len() != chart.labels.len() {
            return Err(ChartError::invalid(
                format!("groups[{index}].values"),
                format!(
                    "has {} values, expected one per label ({})",
                    group.values.len(),
                    chart.labels.len()
                ),
            ));
        }
    }
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
    let color = |index: usize| categorical(chart.groups[index].color_index.unwrap_or(index));
    let items: Vec<LegendItem> = (0..chart.groups.len())
        .filter(|&index| !chart.groups[index].label.is_empty())
        .map(|index| LegendItem {
            label: chart.groups[index].label.clone(),
            color: color(index),
            swatch: Swatch::Box,
        })
        .collect();
    let legend_height = legend::height(&body, &items, &theme)?;
    let (legend_area, plot_area) = body.split_vertically(legend_height);
    legend::draw(&legend_area, &items, &theme)?;

    let data = finite_range(chart.groups.iter().flat_map(|g| g.values.iter().copied()));
    let has_data = data.is_some() && !chart.labels.is_empty();
    let (y_low, y_high) = chart.y_range.unwrap_or_else(|| match data {
        Some((low, high)) => {
            let (low, high) = (low.min(0.0), high.max(0.0));
            let span = if high > low { high - low } else { 1.0 };
            (
                if low < 0.0 { low - 0.05 * span } else { 0.0 },
                high + 0.05 * span,
            )
        }
        None => (0.0, 1.0),
    });

    let categories = chart.labels.len().max(1);
    let (_, height) = plot_area.dim_in_pixel();
    let y_axis = RangedCoordf64::from(y_low..y_high);
    let y_count = label_count(height, 45.0);
    let y_ticks = y_axis.key_points(y_count);
    let y_format = TickFormat::for_ticks(&y_ticks, (y_low, y_high));
    let samples: Vec<String> = y_ticks.iter().map(|&t| y_format.format(t)).collect();
    let label_room = label_areas(&plot_area, &theme, &samples, &chart.x_label, &chart.y_label)?;
    let mut plot = ChartBuilder::on(&plot_area)
        .margin_top(theme.pad)
        .margin_right(3 * theme.pad)
        .margin_left(theme.pad)
        .x_label_area_size(label_room.bottom)
        .y_label_area_size(label_room.left)
        .build_cartesian_2d(CategoryAxis { categories }, y_axis)?;

    // Thin out category labels that would overlap (CategoryAxis then labels every k-th).
    let mut widest = 1;
    for label in &chart.labels {
        widest = widest.max(text_size(&plot_area, label, theme.tick)?.0 as i32);
    }
    let plot_width = plot.plotting_area().dim_in_pixel().0 as i32;
    let fitting_labels = ((plot_width / (widest + 2 * theme.pad)).max(1) as usize).min(categories);
    let x_label_format = |value: &f64| {
        let index = value.floor();
        if index >= 0.0 && (index as usize) < chart.labels.len() {
            chart.labels[index as usize].clone()
        } else {
            String::new()
        }
    };
    let y_label_format = |value: &f64| y_format.format(*value);
    let mut mesh = plot.configure_mesh();
    style_mesh(&mut mesh, &theme, &chart.x_label, &chart.y_label);
    mesh.disable_x_mesh()
        .x_labels(fitting_labels)
        .y_labels(y_count)
        .x_label_formatter(&x_label_format)
        .y_label_formatter(&y_label_format)
        .draw()?;

    let groups = chart.groups.len().max(1) as f64;
    let bar_width = (1.0 - CATEGORY_PADDING) / groups;
    for (group_index, group) in chart.groups.iter().enumerate() {
        let fill = color(group_index).filled();
        let bars = group
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(category, &value)| {
                let left =
                    category as f64 + CATEGORY_PADDING / 2.0 + group_index as f64 * bar_width;
                let value = value.clamp(y_low, y_high);
                let base = 0.0f64.clamp(y_low, y_high);
                Rectangle::new([(left, base), (left + bar_width, value)], fill)
            });
        plot.draw_series(bars)?;
    }
    if y_low < 0.0 && y_high > 0.0 {
        plot.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (categories as f64, 0.0)],
            BLACK.mix(0.6).stroke_width(1),
        )))?;
    }
    if !has_data {
        frame::no_data(&plot.plotting_area().strip_coord_spec(), &theme)?;
    }
    Ok(())
}
