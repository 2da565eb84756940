//! Feature maps of one network (one side of [`FeatureMaps`]): a band per conv layer with one tile
//! per filter, then the ten class probabilities.
//!
//! Colour: viridis from the layer's `low` (dark purple; 0 after a ReLU) to its `high` (yellow).
//! The scale belongs to the layer and is shared by both sides, so the dense and the pruned
//! network's tiles compare colour for colour. A filter pruned away is a light hatched tile, never a
//! dark one, so it cannot be read as a kept filter that outputs nothing.

use super::frame::{self, fit_text, line_height, title_band_height};
use super::grid_draw::draw_tiles;
use super::grid_layout::{layout_tiles, GridFrame, Region, TileRect};
use super::palette::{self, sequential};
use super::theme::{text_style, Theme, MUTED_TEXT, TEXT};
use super::{fonts, ChartError};
use crate::i18n::{tr, Lang};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};
// The inputs are plain data defined with the views that build them.
pub use crate::run::views::{FeatureMaps, MapLayer, MapSide};

/// Background of a pruned filter's tile, and its hatching.
pub const GONE_FILL: RGBColor = RGBColor(0xee, 0xee, 0xee);
pub const GONE_HATCH: RGBColor = RGBColor(0x8c, 0x8c, 0x8c);

/// Where one filter's map lands (pixels relative to the area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapRect {
    pub layer: usize,
    pub filter: usize,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    /// Whether the filter is pruned away on this side.
    pub gone: bool,
}

/// The fixed bands of one side.
struct SideFrame {
    theme: Theme,
    caption_y: i32,
    /// One region per layer: its label line at `y`, its tiles below.
    layers: Vec<Region>,
    bars: Region,
}

impl SideFrame {
    fn new(width: u32, height: u32, title: &str, layer_count: usize) -> SideFrame {
        let theme = Theme::for_size(width, height);
        let (width, height) = (width as i32, height as i32);
        let pad = theme.pad;
        let top = title_band_height(&theme, title);
        let caption = line_height(theme.small);
        let bars_height = (height / 5).max(4 * line_height(theme.small));
        let body_top = top + caption + pad;
        let body = (height - body_top - bars_height - pad).max(0);
        let share = body / layer_count.max(1) as i32;
        let layers = (0..layer_count as i32)
            .map(|i| Region {
                x: pad,
                y: body_top + i * share,
                width: (width - 2 * pad).max(0),
                height: (share - pad).max(0),
            })
            .collect();
        SideFrame {
            theme,
            caption_y: top + caption / 2,
            layers,
            bars: Region {
                x: pad,
                y: height - bars_height,
                width: (width - 2 * pad).max(0),
                height: bars_height - pad,
            },
        }
    }

    /// The tiles of layer `l` below its label line.
    fn tiles(&self, l: usize, layer: &MapLayer) -> Vec<TileRect> {
        let region = self.layers[l];
        let label = line_height(self.theme.label);
        let tiles = Region {
            y: region.y + label,
            height: (region.height - label).max(0),
            ..region
        };
        let frame = GridFrame {
            theme: self.theme,
            tiles,
            colorbar: tiles,
            key: tiles,
        };
        layout_tiles(
            &vec![(layer.height, layer.width); layer.filters],
            None,
            &frame,
        )
    }
}

fn side_of(maps: &FeatureMaps, side: usize) -> Result<&MapSide, ChartError> {
    maps.sides.get(side).ok_or_else(|| {
        ChartError::invalid("side", format!("{side}; there are {}", maps.sides.len()))
    })
}

/// Where every map of `side` lands on a `width`×`height` area: for hover and the keyboard cursor.
pub fn feature_maps_layout(
    maps: &FeatureMaps,
    side: usize,
    width: u32,
    height: u32,
) -> Result<Vec<MapRect>, ChartError> {
    let shown = side_of(maps, side)?;
    let frame = SideFrame::new(width, height, &shown.title, maps.layers.len());
    let mut rects = Vec::new();
    for (l, layer) in maps.layers.iter().enumerate() {
        for rect in frame.tiles(l, layer) {
            rects.push(MapRect {
                layer: l,
                filter: rect.tile,
                x: rect.x,
                y: rect.y,
                width: rect.width,
                height: rect.height,
                gone: is_gone(shown, l, rect.tile),
            });
        }
    }
    Ok(rects)
}

fn is_gone(side: &MapSide, layer: usize, filter: usize) -> bool {
    side.is_gone(layer, filter)
}

/// Draws side `side` of `maps` (its title, every conv layer's maps, its probabilities).
pub fn draw_feature_maps<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    maps: &FeatureMaps,
    side: usize,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    let shown = side_of(maps, side)?;
    check(maps, shown)?;
    let (width, height) = area.dim_in_pixel();
    let frame = SideFrame::new(width, height, &shown.title, maps.layers.len());
    let theme = frame.theme;
    frame::titled(area, &shown.title, &theme)?;
    let muted = text_style(theme.small, MUTED_TEXT, HPos::Center, VPos::Center);
    let caption = fit_text(area, &shown.caption, theme.small, width.saturating_sub(8))?;
    area.draw_text(&caption, &muted, (width as i32 / 2, frame.caption_y))?;

    let label_style = text_style(theme.label, TEXT, HPos::Left, VPos::Center);
    for (l, layer) in maps.layers.iter().enumerate() {
        let region = frame.layers[l];
        let stage = tr(
            maps.lang,
            if layer.after_relu {
                "chart.fmap.after-relu"
            } else {
                "chart.fmap.convolution"
            },
            &[],
        );
        let label = tr(
            maps.lang,
            "chart.fmap.layer",
            &[
                ("layer", &layer.name),
                ("stage", &stage),
                ("low", &short(layer.low)),
                ("high", &short(layer.high)),
            ],
        );
        let label = fit_text(area, &label, theme.label, region.width.max(0) as u32)?;
        let label_y = region.y + line_height(theme.label) / 2;
        area.draw_text(&label, &label_style, (region.x, label_y))?;
        let layout = frame.tiles(l, layer);
        let labels: Vec<String> = (0..layer.filters).map(|f| f.to_string()).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let span = f64::from(layer.high - layer.low);
        let plane = layer.height * layer.width;
        let cell_color = |filter: usize, index: usize| match shown.map(l, filter, plane) {
            Some(map) => sequential(f64::from(map[index] - layer.low) / span),
            None => GONE_FILL,
        };
        draw_tiles(area, &layout, &labels, cell_color, &theme)?;
        for rect in layout.iter().filter(|r| is_gone(shown, l, r.tile)) {
            draw_gone(area, rect, &theme, maps.lang)?;
        }
    }
    draw_probabilities(area, shown, frame.bars, &theme)
}

/// Lengths the drawing indexes by must match the layers.
fn check(maps: &FeatureMaps, side: &MapSide) -> Result<(), ChartError> {
    if side.maps.len() != maps.layers.len() || side.gone.len() != maps.layers.len() {
        return Err(ChartError::invalid(
            "maps",
            format!("{} layers; expected {}", side.maps.len(), maps.layers.len()),
        ));
    }
    for ((layer, maps), gone) in maps.layers.iter().zip(&side.maps).zip(&side.gone) {
        let plane = layer.height * layer.width;
        if maps.len() != layer.filters * plane || gone.len() != layer.filters {
            return Err(ChartError::invalid(
                "maps",
                format!(
                    "{} needs {} maps of {plane} values",
                    layer.name, layer.filters
                ),
            ));
        }
        if !(layer.low.is_finite() && layer.high.is_finite() && layer.high > layer.low) {
            return Err(ChartError::invalid(
                "scale",
                format!("{} → {}; must be finite and rising", layer.low, layer.high),
            ));
        }
    }
    Ok(())
}

/// A pruned filter: hatched light tile with "pruned" written in when it fits.
fn draw_gone<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rect: &TileRect,
    theme: &Theme,
    lang: Lang,
) -> Result<(), ChartError> {
    let (x0, y0, w, h) = (rect.x, rect.y, rect.width, rect.height);
    let gap = (w.min(h) / 5).clamp(3, 8);
    let style = GONE_HATCH.stroke_width(1);
    // Lines x + y = d across the tile, clipped to it.
    let mut d = gap;
    while d < w + h {
        let start = (x0 + d.min(w), y0 + (d - w).max(0));
        let end = (x0 + (d - h).max(0), y0 + d.min(h));
        area.draw(&PathElement::new(vec![start, end], style))?;
        d += gap;
    }
    let text = tr(lang, "chart.fmap.pruned", &[]);
    let text = text.as_str();
    if super::theme::text_size(area, text, theme.small)?.0 as i32 + 4 <= w {
        let ink = text_style(theme.small, TEXT, HPos::Center, VPos::Center);
        let (cx, cy) = (x0 + w / 2, y0 + h / 2);
        let (tw, th) = super::theme::text_size(area, text, theme.small)?;
        let (tw, th) = (tw as i32 / 2 + 2, th as i32 / 2 + 1);
        area.draw(&Rectangle::new(
            [(cx - tw, cy - th), (cx + tw, cy + th)],
            GONE_FILL.filled(),
        ))?;
        area.draw_text(text, &ink, (cx, cy))?;
    }
    Ok(())
}

/// Ten bars with their digit under them; the predicted class in colour with its probability.
fn draw_probabilities<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    side: &MapSide,
    region: Region,
    theme: &Theme,
) -> Result<(), ChartError> {
    let count = side.probabilities.len().max(1) as i32;
    let label = line_height(theme.small);
    let slot = region.width / count;
    let bar_top = region.y + label;
    let bar_bottom = region.y + region.height - label;
    let full = (bar_bottom - bar_top).max(1);
    let digit_style = text_style(theme.small, TEXT, HPos::Center, VPos::Center);
    area.draw(&PathElement::new(
        vec![
            (region.x, bar_bottom),
            (region.x + slot * count, bar_bottom),
        ],
        MUTED_TEXT.stroke_width(1),
    ))?;
    for (digit, &p) in side.probabilities.iter().enumerate() {
        let x = region.x + digit as i32 * slot;
        let predicted = digit == side.predicted;
        let color = if predicted {
            palette::categorical(1)
        } else {
            palette::categorical(0)
        };
        let top = bar_bottom - (f64::from(p.clamp(0.0, 1.0)) * f64::from(full)).round() as i32;
        let inset = slot / 5;
        if top < bar_bottom {
            area.draw(&Rectangle::new(
                [(x + inset, top), (x + slot - inset, bar_bottom)],
                color.filled(),
            ))?;
        }
        area.draw_text(
            &digit.to_string(),
            &digit_style,
            (x + slot / 2, bar_bottom + label / 2),
        )?;
        if predicted {
            let text = crate::run::views::numbers::percent(f64::from(p), 0);
            area.draw_text(&text, &digit_style, (x + slot / 2, top - label / 2))?;
        }
    }
    Ok(())
}

/// A scale end with at most three decimals.
fn short(value: f32) -> String {
    if value == 0.0 {
        "0".into()
    } else {
        format!("{:.3}", value)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}
