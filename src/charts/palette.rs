//! Colours: a categorical palette for series, a diverging map for signed weights, a sequential map
//! for steps, and the fixed colours that mark pruned or special cells.
//!
//! All three palettes are designed to stay distinguishable with the common colour-vision
//! deficiencies: Okabe–Ito (Okabe & Ito 2008), ColorBrewer RdBu (9 classes) and viridis.

use plotters::style::colors::colormaps::ViridisRGB;
use plotters::style::RGBColor;

/// Okabe–Ito, reordered for a white background: strong colours first, yellow (weak on white) last.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Series colour `index`, cycling through [`OKABE_ITO`].
pub fn categorical(index: usize) -> RGBColor {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// A pruned weight: neutral and darker than any colour of the diverging map (whose darkest stops,
/// #2166AC and #B2182B, are saturated), so it can never be read as a weight value.
pub const PRUNED: RGBColor = RGBColor(0x3a, 0x3a, 0x3a);

/// A weight that is NaN or infinite (a diverged run): neutral mid grey, outside both maps.
pub const NON_FINITE: RGBColor = RGBColor(0xa0, 0xa0, 0xa0);

/// A weight that was never pruned, on the pruned-at map: lighter than viridis' yellow end.
pub const NEVER_PRUNED: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);

/// ColorBrewer RdBu, 9 classes, from most negative (blue) to most positive (red).
const RD_BU: [RGBColor; 9] = [
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x43, 0x93, 0xc3),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0xd1, 0xe5, 0xf0),
    RGBColor(0xf7, 0xf7, 0xf7),
    RGBColor(0xfd, 0xdb, 0xc7),
    RGBColor(0xf4, 0xa5, 0x82),
    RGBColor(0xd6, 0x60, 0x4d),
    RGBColor(0xb2, 0x18, 0x2b),
];

/// Colour of a signed `value` on a symmetric scale `[-scale, scale]`: blue below 0, near-white
/// (#F7F7F7) at 0, red above; values beyond the scale saturate. NaN and infinities get
/// [`NON_FINITE`]; a non-positive or non-finite `scale` is treated as 1.
pub fn diverging(value: f32, scale: f32) -> RGBColor {
    if !value.is_finite() {
        return NON_FINITE;
    }
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    // Map [-scale, scale] to [0, 1], then interpolate linearly between the 9 stops.
    let t = f64::from((value / scale).clamp(-1.0, 1.0)) * 0.5 + 0.5;
    interpolate(&RD_BU, t)
}

/// Colour of `t` in [0, 1] on viridis (dark purple at 0, yellow at 1); NaN reads as 0.
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    ViridisRGB::get_color(t)
}

/// Relative luminance (0 black … 1 white, sRGB approximated by gamma 2.2): picks a readable ink.
pub fn luminance(color: RGBColor) -> f64 {
    let channel = |c: u8| (f64::from(c) / 255.0).powf(2.2);
    0.2126 * channel(color.0) + 0.7152 * channel(color.1) + 0.0722 * channel(color.2)
}

fn interpolate(stops: &[RGBColor], t: f64) -> RGBColor {
    let last = stops.len() - 1;
    let position = t.clamp(0.0, 1.0) * last as f64;
    let lower = (position.floor() as usize).min(last);
    let upper = (lower + 1).min(last);
    let fraction = position - lower as f64;
    let mix =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * fraction).round() as u8;
    let (a, b) = (stops[lower], stops[upper]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_is_white_at_zero_and_saturates_at_the_scale() {
        assert_eq!(diverging(0.0, 0.5), RGBColor(0xf7, 0xf7, 0xf7));
        assert_eq!(diverging(0.5, 0.5), RD_BU[8]);
        assert_eq!(diverging(-2.0, 0.5), RD_BU[0]);
        assert_eq!(diverging(f32::NAN, 0.5), NON_FINITE);
    }

    #[test]
    fn pruned_is_darker_than_every_map_colour() {
        let darkest_map = (0..=100)
            .map(|i| diverging(i as f32 / 50.0 - 1.0, 1.0))
            .map(luminance)
            .fold(f64::INFINITY, f64::min);
        assert!(luminance(PRUNED) < 0.5 * darkest_map);
    }
}
