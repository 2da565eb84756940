//! Fonts for native text rendering.
//!
//! Natively plotters lays out and rasterises text with ab_glyph, which only knows fonts registered by
//! name. Layout happens for every backend (SVG too: label areas and legends are sized from it), so
//! every drawing function calls [`ensure_registered`] first; any plotters backend then works.
//! (`export` goes further: its backends measure and draw text themselves, see `native_text`.)
//! On wasm32 the browser lays out text and this is a no-op, so the font is not embedded in the site.

/// The font family every chart asks for: natively the family the bundled font is registered as.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const FAMILY: &str = "sans-serif";
/// In the browser, the page's own stack (`--font-stack` in www/style.css): the system's fonts,
/// with the CJK fonts of Windows, macOS, Linux and Android named so Chinese chart text is drawn
/// (and measured, web/draw.rs) in a font that has it. No font is downloaded.
#[cfg(target_arch = "wasm32")]
pub(crate) const FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", sans-serif";

/// DejaVu Sans (assets/fonts, Bitstream Vera licence), embedded in native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled DejaVu Sans under the names plotters asks for; later calls do nothing.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn ensure_registered() {
    use plotters::style::{register_font, FontStyle};
    use std::sync::Once;

    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // plotters' own defaults use these families; map them all to the one bundled face.
        for family in [FAMILY, "serif", "monospace"] {
            // The bytes are a valid TrueType file checked into the repo; a failure would leave text
            // undrawable, which the drawing call then reports as a font error.
            let _ = register_font(family, FontStyle::Normal, DEJAVU_SANS);
        }
    });
}

/// In the browser the page's fonts are used.
#[cfg(target_arch = "wasm32")]
pub(crate) fn ensure_registered() {}
