//! Drawing a chart input onto a page canvas with plotters-canvas (main thread only).
//!
//! plotters measures text on wasm by inserting a `<span>` into the page and reading its size: a
//! forced layout per label (about 85 per chart), which made drawing while training produce long
//! main-thread tasks. [`Canvas`] draws exactly as plotters-canvas does but measures text with the
//! canvas's own `measureText`, in the font string plotters-canvas draws with.
//!
//! The canvas's buffer has device pixels (CSS size × devicePixelRatio, set by `www/canvas.js`
//! `fitCanvas`, which records the ratio in `data-pixel-ratio`); charts are laid out in CSS pixels
//! and the context is scaled by the ratio, so a 12 px label is 12 CSS px and sharp on every
//! screen.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::js_error;
use crate::charts::{
    draw_bar_chart, draw_feature_maps, draw_heatmap, draw_line_chart, draw_network, draw_pruned_at,
    BarChart, ChartError, FeatureMaps, HeatmapGrid, LineChart, NetworkView, PrunedAtGrid,
};
use crate::i18n::{tr, Lang};

/// What can be drawn.
pub(crate) enum Figure<'a> {
    Line(&'a LineChart),
    Heatmap(&'a HeatmapGrid),
    PrunedAt(&'a PrunedAtGrid),
    Bars(&'a BarChart),
    /// One side (index) of the feature maps.
    FeatureMaps(&'a FeatureMaps, usize),
    /// The network, `progress` (0 to 1) of the way from the step shown before.
    Network(&'a NetworkView, f64),
}

/// A page canvas: plotters-canvas's backend for drawing, the 2D context's `measureText` for
/// text sizes (no DOM insertion, no forced layout).
pub(crate) struct Canvas {
    inner: CanvasBackend,
    /// The same context `inner` draws on (`getContext("2d")` returns one object per canvas).
    context: CanvasRenderingContext2d,
    /// Device pixels per layout (CSS) pixel.
    ratio: f64,
}

impl Canvas {
    /// `None` when the canvas has no 2D context.
    pub(crate) fn new(canvas: HtmlCanvasElement) -> Option<Canvas> {
        let context = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        let ratio = pixel_ratio(&canvas);
        // Layout units are CSS pixels; the context turns them into device pixels.
        context
            .set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)
            .ok()?;
        Some(Canvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            context,
            ratio,
        })
    }
}

/// The ratio `fitCanvas` recorded (device pixels per CSS pixel); 1 when absent or unusable.
fn pixel_ratio(canvas: &HtmlCanvasElement) -> f64 {
    canvas
        .get_attribute("data-pixel-ratio")
        .and_then(|text| text.parse::<f64>().ok())
        .filter(|ratio| ratio.is_finite() && *ratio >= 0.5 && *ratio <= 8.0)
        .unwrap_or(1.0)
}

/// The CSS font plotters-canvas's `draw_text` sets, e.g. `normal 13px sans-serif`.
fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!(
        "{} {}px {}",
        style.style().as_str(),
        style.size(),
        style.family().as_str()
    )
}

/// `measureText` threw (it does not for a valid font; the message says what the browser said).
#[derive(Debug)]
struct MeasureError(String);

impl std::fmt::Display for MeasureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot measure text: {}", self.0)
    }
}

impl std::error::Error for MeasureError {}

impl DrawingBackend for Canvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    crate::charts::forward_backend::forward_shapes!(except_size);

    fn get_size(&self) -> (u32, u32) {
        let (width, height) = self.inner.get_size();
        let css = |pixels: u32| (f64::from(pixels) / self.ratio).round() as u32;
        (css(width), css(height))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        position: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, position)
    }
    /// Width from `measureText` in the font `draw_text` will use; height is the font size (the
    /// em, as the native backends measure it), unrotated like plotters' own estimate.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        // Chromium skips re-parsing when the font string is the one already set.
        self.context.set_font(&css_font(style));
        let metrics = self.context.measure_text(text).map_err(|e| {
            DrawingErrorKind::FontError(Box::new(MeasureError(
                e.as_string().unwrap_or_else(|| format!("{e:?}")),
            )))
        })?;
        Ok((
            metrics.width().max(0.0).ceil() as u32,
            style.size().max(0.0).ceil() as u32,
        ))
    }
}

/// Clears `canvas` and draws `figure` at the canvas's pixel size.
pub(crate) fn draw(canvas: HtmlCanvasElement, figure: Figure<'_>) -> Result<(), JsError> {
    let backend = Canvas::new(canvas)
        .ok_or_else(|| js_error("this canvas cannot be drawn on (no 2D context)"))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE)
        .map_err(|e| js_error(format!("drawing failed: {e}")))?;
    let result: Result<(), ChartError> = match figure {
        Figure::Line(chart) => draw_line_chart(&area, chart),
        Figure::Heatmap(grid) => draw_heatmap(&area, grid),
        Figure::PrunedAt(grid) => draw_pruned_at(&area, grid),
        Figure::Bars(chart) => draw_bar_chart(&area, chart),
        Figure::FeatureMaps(maps, side) => draw_feature_maps(&area, maps, side),
        Figure::Network(view, progress) => draw_network(&area, view, progress),
    };
    result.map_err(|e| js_error(e.0))?;
    area.present()
        .map_err(|e| js_error(format!("drawing failed: {e}")))
}

/// The bar chart of a drawn digit's class probabilities: `probabilities` holds the dense
/// network's ten, then the pruned network's ten — or only the current network's ten when the run
/// has no dense network (SET / RigL).
/// Its words are in `lang`.
fn predictions_chart(probabilities: &[f32], lang: Lang) -> Result<BarChart, JsError> {
    let group = |key: &str, values: &[f32], color_index: usize| crate::charts::BarGroup {
        label: tr(lang, key, &[]),
        values: values.iter().map(|&p| p as f64).collect(),
        color_index: Some(color_index),
    };
    let groups = match probabilities.len() {
        20 => vec![
            group("chart.predictions.dense", &probabilities[..10], 0),
            group("chart.predictions.pruned", &probabilities[10..], 1),
        ],
        10 => vec![group("chart.predictions.sparse", probabilities, 1)],
        n => {
            return Err(js_error(format!(
                "expected 20 probabilities (dense then pruned) or 10 (no dense network), got {n}"
            )))
        }
    };
    Ok(BarChart {
        title: tr(lang, "chart.predictions.title", &[]),
        x_label: tr(lang, "chart.predictions.x", &[]),
        y_label: tr(lang, "chart.predictions.y", &[]),
        labels: (0..10).map(|d| d.to_string()).collect(),
        groups,
        y_range: Some((0.0, 1.0)),
    })
}

/// Draws the dense and the pruned network's class probabilities for a drawn digit (see
/// [`predictions_chart`] for `probabilities`); its words in `lang` (`en`, `zh`; English when
/// left out).
#[wasm_bindgen]
pub fn draw_predictions(
    canvas: HtmlCanvasElement,
    probabilities: &[f32],
    lang: Option<String>,
) -> Result<(), JsError> {
    let lang = Lang::or_default(lang.as_deref());
    draw(
        canvas,
        Figure::Bars(&predictions_chart(probabilities, lang)?),
    )
}

/// The same probabilities as a table (JSON `DataTable`), for the chart's "show data", in `lang`
/// (English when left out).
#[wasm_bindgen]
pub fn predictions_data_json(
    probabilities: &[f32],
    lang: Option<String>,
) -> Result<String, JsError> {
    let lang = Lang::or_default(lang.as_deref());
    let chart = predictions_chart(probabilities, lang)?;
    let groups: Vec<(String, Vec<f64>)> = chart
        .groups
        .iter()
        .map(|g| (g.label.clone(), g.values.clone()))
        .collect();
    let table = crate::run::views::probability_table_in(
        &chart.title,
        &chart.x_label,
        &chart.labels,
        &groups,
        lang,
    );
    super::to_json(&table)
}
