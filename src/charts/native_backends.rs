//! The native backends `export` draws on: plotters' bitmap and SVG backends, with text measured
//! (both) and rasterised (bitmap) by [`super::native_text`] instead of plotters' ab_glyph glue,
//! which drops each glyph's side bearing ("4. 6" for "4.6") and reads the size as line height
//! rather than the em the browser's canvas uses. SVG `font-size` is corrected to the em too.
//! Everything else is passed through unchanged.

use super::native_text;
use plotters::prelude::{BitMapBackend, SVGBackend};
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

/// The shape calls (shared with the page canvas), plus text measured with the bundled font.
macro_rules! shapes_and_native_text_size {
    () => {
        super::forward_backend::forward_shapes!();
        fn estimate_text_size<S: BackendTextStyle>(
            &self,
            text: &str,
            style: &S,
        ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
            Ok(native_text::measure(text, style.size()))
        }
    };
}

/// An RGB pixel buffer (3 bytes per pixel, row-major) with text drawn by the bundled font.
pub struct BitmapCanvas<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> BitmapCanvas<'a> {
    /// Draws into `buffer`, which must hold `width * height * 3` bytes.
    pub fn with_buffer(buffer: &'a mut [u8], (width, height): (u32, u32)) -> Self {
        BitmapCanvas {
            inner: BitMapBackend::with_buffer(buffer, (width, height)),
        }
    }
}

impl DrawingBackend for BitmapCanvas<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    shapes_and_native_text_size!();

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        position: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (width, height) = self.get_size();
        let mut result = Ok(());
        let inner = &mut self.inner;
        let put = |x: i32, y: i32, coverage: f32| {
            let inside = x >= 0 && y >= 0 && x < width as i32 && y < height as i32;
            if inside && coverage > 0.0 && result.is_ok() {
                let ink = BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                };
                result = inner.draw_pixel((x, y), ink);
            }
        };
        native_text::rasterize(
            text,
            style.size(),
            style.anchor(),
            style.transform(),
            position,
            put,
        );
        result
    }
}

/// An SVG document; text stays `<text>` (drawn by the viewer) but is measured with the bundled
/// font, so labels get the room the browser will give them.
pub struct SvgCanvas<'a> {
    inner: SVGBackend<'a>,
}

impl<'a> SvgCanvas<'a> {
    /// Writes the document into `buffer` when presented.
    pub fn with_string(buffer: &'a mut String, (width, height): (u32, u32)) -> Self {
        SvgCanvas {
            inner: SVGBackend::with_string(buffer, (width, height)),
        }
    }
}

impl DrawingBackend for SvgCanvas<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    shapes_and_native_text_size!();

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        position: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, &EmSized(style), position)
    }
}

/// plotters' SVG backend writes `font-size` as the style's size divided by this (it reads sizes
/// as line heights); the canvas backend writes the size unchanged.
const SVG_SIZE_DIVISOR: f64 = 1.24;

/// A text style whose size the SVG backend will write unchanged, so a size means the same em on
/// the page's canvas, in the PNG and in the SVG.
struct EmSized<'a, S>(&'a S);

impl<S: BackendTextStyle> BackendTextStyle for EmSized<'_, S> {
    type FontError = S::FontError;

    fn color(&self) -> BackendColor {
        self.0.color()
    }
    fn size(&self) -> f64 {
        self.0.size() * SVG_SIZE_DIVISOR
    }
    fn transform(&self) -> FontTransform {
        self.0.transform()
    }
    fn style(&self) -> FontStyle {
        self.0.style()
    }
    fn anchor(&self) -> Pos {
        self.0.anchor()
    }
    fn family(&self) -> FontFamily<'_> {
        self.0.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        position: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, position, draw)
    }
}
