//! Native rendering (CLI, tests): run a drawing function against an SVG string, a raw RGB buffer
//! or a PNG file in memory. Not compiled for wasm32, where the page draws on a canvas.
//!
//! The closures receive [`SvgCanvas`] / [`BitmapCanvas`] areas: plotters' own backends with text
//! measured and drawn by the bundled font (see `native_backends`). Any `draw_*` function fits.
//!
//! ```no_run
//! use prunelab::charts::{draw_line_chart, export::render_svg, LineChart};
//! let chart = LineChart { title: "accuracy".into(), ..LineChart::default() };
//! let svg = render_svg(640, 360, |area| draw_line_chart(area, &chart))?;
//! # Ok::<(), prunelab::charts::ChartError>(())
//! ```

pub use super::native_backends::{BitmapCanvas, SvgCanvas};
use super::{fonts, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Largest width or height accepted, pixels (a 8192×8192 RGB buffer is 192 MiB).
pub const MAX_SIDE: u32 = 8192;

fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    for (field, value) in [("width", width), ("height", height)] {
        if value == 0 || value > MAX_SIDE {
            return Err(ChartError::invalid(
                field,
                format!("{value} pixels; allowed 1..={MAX_SIDE}"),
            ));
        }
    }
    Ok(())
}

/// Draws with `draw` on a `width`×`height` SVG canvas and returns the SVG document.
pub fn render_svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SvgCanvas<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    check_size(width, height)?;
    fonts::ensure_registered();
    let mut svg = String::new();
    {
        let area = SvgCanvas::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    Ok(svg)
}

/// Draws with `draw` on a `width`×`height` bitmap and returns its pixels: row-major, 3 bytes
/// (R, G, B) per pixel, `width * height * 3` bytes.
pub fn render_rgb(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<BitmapCanvas<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    check_size(width, height)?;
    fonts::ensure_registered();
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let area = BitmapCanvas::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    Ok(pixels)
}

/// Like [`render_rgb`], encoded as the bytes of a PNG file (8-bit RGB, by the `png` crate that
/// plotters' `bitmap_encoder` already builds).
pub fn render_png(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<BitmapCanvas<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    let pixels = render_rgb(width, height, draw)?;
    encode_png(width, height, &pixels)
        .map_err(|error| ChartError(format!("png: encoding failed: {error}")))
}

fn encode_png(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut file = Vec::new();
    let mut encoder = png::Encoder::new(&mut file, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Charts are flat colour: unfiltered rows with `Best` deflate give files a third the size of the
    // crate's defaults (the CLI's compute chart: 35 KB, not 97 KB) in about 35 ms.
    encoder.set_filter(png::FilterType::NoFilter);
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(file)
}
