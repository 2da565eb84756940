//! Native text: measures and rasterises strings with the bundled DejaVu Sans.
//!
//! A style's size is read as the CSS font size (the em), as browsers and SVG viewers read it, so
//! the PNG, the SVG and the page lay text out alike. The em box of a line spans
//! `ascent / (ascent − descent)` of the size above the baseline and the rest below; anchors
//! (left/centre/right, top/centre/bottom) refer to that box, as the canvas' `textBaseline` does.
//! Each glyph is placed at the pen position plus its own bearing, with kerning.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::FontTransform;
use std::sync::OnceLock;

fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(super::fonts::DEJAVU_SANS).ok())
        .as_ref()
}

/// ab_glyph scales by line height (ascent − descent); convert the em size into that.
fn px_scale(font: &FontRef<'static>, size: f64) -> PxScale {
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(size as f32 * font.height_unscaled() / units_per_em)
}

/// Width (advances plus kerning) and height (the em size) of `text`, in pixels.
pub(crate) fn measure(text: &str, size: f64) -> (u32, u32) {
    let Some(font) = font() else {
        return (0, 0);
    };
    let scaled = font.as_scaled(px_scale(font, size));
    let mut width = 0.0;
    let mut previous = None;
    for character in text.chars() {
        let id = scaled.glyph_id(character);
        if let Some(previous) = previous {
            width += scaled.kern(previous, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    (width.ceil() as u32, size.ceil() as u32)
}

/// Calls `put(x, y, coverage)` for every pixel of `text` drawn at `size`, anchored at `origin`
/// by `anchor` and rotated by `transform` about the origin.
pub(crate) fn rasterize(
    text: &str,
    size: f64,
    anchor: Pos,
    transform: FontTransform,
    origin: (i32, i32),
    mut put: impl FnMut(i32, i32, f32),
) {
    let Some(font) = font() else {
        return;
    };
    let scale = px_scale(font, size);
    let scaled = font.as_scaled(scale);
    let (width, _) = measure(text, size);
    let ascent_share = font.ascent_unscaled() / font.height_unscaled();
    let left = match anchor.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -(width as f32) / 2.0,
        HPos::Right => -(width as f32),
    };
    let top = match anchor.v_pos {
        VPos::Top => 0.0,
        VPos::Center => -(size as f32) / 2.0,
        VPos::Bottom => -(size as f32),
    };
    let baseline = top + ascent_share * size as f32;

    let mut pen = left;
    let mut previous = None;
    for character in text.chars() {
        let id = scaled.glyph_id(character);
        if let Some(previous) = previous {
            pen += scaled.kern(previous, id);
        }
        let glyph = id.with_scale_and_position(scale, point(pen, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                let (dx, dy) = transform.transform(
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                );
                put(origin.0 + dx, origin.1 + dy, coverage);
            });
        }
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
}
