//! Drawing a chart input onto a page canvas with plotters-canvas (main thread only).

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::js_error;
use crate::charts::{
    draw_bar_chart, draw_heatmap, draw_line_chart, draw_pruned_at, BarChart, ChartError,
    HeatmapGrid, LineChart, PrunedAtGrid,
};

/// What can be drawn.
pub(crate) enum Figure<'a> {
    Line(&'a LineChart),
    Heatmap(&'a HeatmapGrid),
    PrunedAt(&'a PrunedAtGrid),
    Bars(&'a BarChart),
}

/// Clears `canvas` and draws `figure` at the canvas's pixel size.
pub(crate) fn draw(canvas: HtmlCanvasElement, figure: Figure<'_>) -> Result<(), JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| js_error("this canvas cannot be drawn on (no 2D context)"))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE)
        .map_err(|e| js_error(format!("drawing failed: {e}")))?;
    let result: Result<(), ChartError> = match figure {
        Figure::Line(chart) => draw_line_chart(&area, chart),
        Figure::Heatmap(grid) => draw_heatmap(&area, grid),
        Figure::PrunedAt(grid) => draw_pruned_at(&area, grid),
        Figure::Bars(chart) => draw_bar_chart(&area, chart),
    };
    result.map_err(|e| js_error(e.0))?;
    area.present()
        .map_err(|e| js_error(format!("drawing failed: {e}")))
}

/// Draws the dense and the pruned network's class probabilities for a drawn digit:
/// `probabilities` holds the dense network's ten, then the pruned network's ten.
#[wasm_bindgen]
pub fn draw_predictions(canvas: HtmlCanvasElement, probabilities: &[f32]) -> Result<(), JsError> {
    if probabilities.len() != 20 {
        return Err(js_error(format!(
            "expected 20 probabilities (dense then pruned), got {}",
            probabilities.len()
        )));
    }
    let group = |label: &str, values: &[f32], color_index: usize| crate::charts::BarGroup {
        label: label.into(),
        values: values.iter().map(|&p| p as f64).collect(),
        color_index: Some(color_index),
    };
    let chart = BarChart {
        title: "What the networks see".into(),
        x_label: "digit".into(),
        y_label: "probability".into(),
        labels: (0..10).map(|d| d.to_string()).collect(),
        groups: vec![
            group("dense (before pruning)", &probabilities[..10], 0),
            group("pruned (now)", &probabilities[10..], 1),
        ],
        y_range: Some((0.0, 1.0)),
    };
    draw(canvas, Figure::Bars(&chart))
}
