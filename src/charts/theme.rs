//! Sizes shared by all charts, scaled with the drawing area so text stays readable from a 640×360
//! thumbnail to a full-screen canvas.

use super::fonts::FAMILY;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Text colour for titles, labels and notes (not pure black: softer next to the data).
pub(crate) const TEXT: RGBColor = RGBColor(33, 33, 33);
/// Secondary text (notes, tick labels, event labels).
pub(crate) const MUTED_TEXT: RGBColor = RGBColor(85, 85, 85);

/// The smallest text a chart draws, in pixels (CSS pixels on the page): readable on a projector
/// and on a phone, the floor WCAG-minded guides use.
pub const MIN_TEXT: f64 = 12.0;

/// Font sizes (pixels) and spacing for one drawing area.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Theme {
    pub title: f64,
    pub label: f64,
    pub tick: f64,
    pub small: f64,
    /// Gap between blocks (title, legend, plot), pixels.
    pub pad: i32,
    /// Stroke width of data lines.
    pub line_width: u32,
}

impl Theme {
    /// Sizes for an area of `width`×`height` pixels: 1.0 at 640×360, growing sub-linearly so large
    /// charts do not get cartoonish text, and never below [`MIN_TEXT`] (on the page, these
    /// pixels are CSS pixels: the canvas backend scales them to the device's resolution).
    pub fn for_size(width: u32, height: u32) -> Theme {
        let linear = (f64::from(width) / 640.0).min(f64::from(height) / 360.0);
        let scale = linear.clamp(0.5, 4.0).powf(0.75);
        let text = |size: f64, floor: f64| (size * scale).round().max(floor);
        Theme {
            title: text(17.0, MIN_TEXT + 3.0),
            label: text(14.0, MIN_TEXT + 1.0),
            tick: text(12.5, MIN_TEXT),
            small: text(11.5, MIN_TEXT),
            pad: (6.0 * scale).round() as i32,
            line_width: (2.0 * scale).round().max(1.0) as u32,
        }
    }

    pub fn for_area<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>) -> Theme {
        let (width, height) = area.dim_in_pixel();
        Theme::for_size(width, height)
    }
}

/// A text style in the charts' family, anchored at `h`/`v`.
pub(crate) fn text_style(size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// Width and height of `text` in pixels as the backend will draw it.
pub(crate) fn text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    size: f64,
) -> Result<(u32, u32), super::ChartError> {
    if text.is_empty() {
        return Ok((0, 0));
    }
    let style = text_style(size, TEXT, HPos::Left, VPos::Top);
    Ok(area.estimate_text_size(text, &style)?)
}
