//! The network view: layers as columns of nodes, weights as connections (see
//! `run::views::network` for what is drawn and which connections count as visible).
//!
//! - Connections: width and opacity grow with `|w|` (or the kernel's norm) against the layer's
//!   scale; positive ones are dark red, negative ones a lighter blue (RdBu's ends, told apart by
//!   lightness as well as hue). Pruned connections are not drawn.
//! - Nodes: filters as their kernel tiles (RdBu, pruned taps [`palette::PRUNED`]), maps as pale
//!   squares, units as dots, the input as its digit in grey. A removed node is an empty grey
//!   outline with a cross.
//! - Animation (`progress` from 0 to 1 since the step shown before): removed connections flash
//!   orange, then fade out; regrown ones fade in; removing nodes get an orange outline that fades.
//!   At `progress = 1` the picture is the end state alone.

use super::frame::{self, fit_text, line_height};
use super::legend::{self, LegendItem, Swatch, OUTLINE};
use super::network_layout::{network_layout, NetworkLayout, NodeRect};
use super::palette::{self, diverging};
use super::theme::{text_style, Theme, MUTED_TEXT, TEXT};
use super::{fonts, ChartError};
use crate::i18n::tr;
use crate::run::views::numbers::{count, count_of_in};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
// The inputs are plain data defined with the views that build them.
pub use crate::run::views::{Change, ColumnKind, LinkKind, NetColumn, NetNode, NetworkView};

/// Positive connections: RdBu's dark red end.
pub const POSITIVE: RGBColor = RGBColor(0xb2, 0x18, 0x2b);
/// Negative connections: a lighter blue of RdBu, so sign reads by lightness too.
pub const NEGATIVE: RGBColor = RGBColor(0x43, 0x93, 0xc3);
/// Connections being removed flash in this orange (the teaching pace's colour for removed weights).
pub const REMOVING: RGBColor = RGBColor(0xff, 0x8c, 0x00);
/// The pale fill of a feature map.
const MAP_FILL: RGBColor = RGBColor(0xee, 0xee, 0xee);
/// A removed node's outline and cross.
const GONE: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// A unit's dot.
const UNIT: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Identity links (a filter to its map).
const IDENTITY: RGBColor = RGBColor(0xbb, 0xbb, 0xbb);

/// The share of the animation spent flashing before a removed connection fades.
const FLASH: f64 = 0.45;

/// The title: the step and the visible connections (shorter on a narrow area, e.g. a phone), in
/// the view's language.
pub fn network_title(view: &NetworkView, width: u32) -> String {
    let shown = count_of_in(view.visible as u64, view.possible as u64, view.lang);
    let key = if width < 560 {
        "chart.network.title-short"
    } else {
        "chart.network.title"
    };
    tr(
        view.lang,
        key,
        &[("step", &count(view.step)), ("shown", &shown)],
    )
}

/// Draws `view` into `area`, `progress` (0 to 1) into the change since the step shown before.
pub fn draw_network<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NetworkView,
    progress: f64,
) -> Result<(), ChartError> {
    fonts::ensure_registered();
    if !(0.0..=1.0).contains(&progress) {
        return Err(ChartError::invalid(
            "progress",
            format!("{progress}; allowed 0 to 1"),
        ));
    }
    if view.layers.len() + 1 != view.columns.len() {
        return Err(ChartError::invalid(
            "layers",
            format!(
                "{} layers for {} columns; expected one fewer",
                view.layers.len(),
                view.columns.len()
            ),
        ));
    }
    let (width, height) = area.dim_in_pixel();
    let theme = Theme::for_size(width, height);
    frame::titled(area, &network_title(view, width), &theme)?;
    let layout = network_layout(view, width, height);
    draw_links(area, view, &layout, progress)?;
    for (column, rects) in view.columns.iter().zip(&layout.nodes) {
        for (node, rect) in column.nodes.iter().zip(rects) {
            draw_node(area, column, node, rect, progress)?;
        }
    }
    draw_headers(area, view, &layout, &theme)?;
    draw_legend(area, view, &layout, &theme)
}

/// A connection to draw: its opacity (in 16ths), width and colour index (what strokes are
/// sorted by), then its two ends.
type Stroke = ((u32, u32, usize), (i32, i32), (i32, i32));

/// Where a connection starts: a map's feature point, or a node's right edge.
fn source_point(column: &NetColumn, rect: &NodeRect, kind: LinkKind, point: u32) -> (i32, i32) {
    let (rows, cols) = column.points;
    if kind == LinkKind::Dense && rows * cols > 1 {
        let point = point as usize;
        let (row, col) = (point / cols, point % cols);
        let x = rect.x + (col as f64 + 0.5) * rect.width / cols as f64;
        let y = rect.y + (row as f64 + 0.5) * rect.height / rows as f64;
        return (x.round() as i32, y.round() as i32);
    }
    (
        (rect.x + rect.width).round() as i32,
        (rect.y + rect.height / 2.0).round() as i32,
    )
}

fn draw_links<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NetworkView,
    layout: &NetworkLayout,
    progress: f64,
) -> Result<(), ChartError> {
    // Colours by index: the strokes below are sorted by it.
    const COLOURS: [RGBColor; 4] = [IDENTITY, POSITIVE, NEGATIVE, REMOVING];
    // Removed connections last, so their flash is on top. Within a pass, connections are drawn
    // weakest first (opacity in 1/16 steps), so strong ones are not buried.
    for removed_pass in [false, true] {
        // Buckets by opacity level (0–16), drawn in order: no sort needed.
        let mut strokes: Vec<Vec<Stroke>> = vec![Vec::new(); 17];
        for (index, layer) in view.layers.iter().enumerate() {
            let (source_column, sources) = (&view.columns[index], &layout.nodes[index]);
            let targets = &layout.nodes[index + 1];
            // Kernel connections are few and may be wide; dense ones are many, and a 1-pixel
            // line is far cheaper to rasterise (a hairline), so only the strongest get 2.
            let widest = if layer.kind == LinkKind::Kernel {
                3.0
            } else {
                1.0
            };
            for link in &layer.links {
                if (link.change == Change::Removed) != removed_pass {
                    continue;
                }
                let (Some(source), Some(target)) = (
                    sources.get(link.from as usize),
                    targets.get(link.to as usize),
                ) else {
                    continue;
                };
                let strength = if layer.kind == LinkKind::Identity {
                    0.6
                } else {
                    f64::from(link.strength / layer.scale).clamp(0.0, 1.0)
                };
                let base_alpha = 0.1 + 0.9 * strength;
                let base_width = 1 + (widest * strength * strength).round() as u32;
                let colour = match (layer.kind, link.positive) {
                    (LinkKind::Identity, _) => 0,
                    (_, true) => 1,
                    (_, false) => 2,
                };
                let (colour, alpha, width) = match link.change {
                    Change::Kept => (colour, base_alpha, base_width),
                    Change::Regrown => (colour, base_alpha * progress, base_width),
                    Change::Removed if progress < FLASH => (3, base_alpha.max(0.9), base_width + 1),
                    Change::Removed => (3, 0.9 * (1.0 - progress) / (1.0 - FLASH), base_width),
                };
                let level = (alpha.clamp(0.0, 1.0) * 16.0).round() as u32;
                if level == 0 {
                    continue;
                }
                let start = source_point(source_column, source, layer.kind, link.point);
                let end = (
                    target.x.round() as i32,
                    (target.y + target.height / 2.0).round() as i32,
                );
                strokes[level as usize].push(((level, width, colour), start, end));
            }
        }
        for ((level, width, colour), start, end) in strokes.into_iter().flatten() {
            let style = ShapeStyle {
                color: COLOURS[colour].mix(f64::from(level) / 16.0),
                filled: false,
                stroke_width: width,
            };
            area.draw(&PathElement::new(vec![start, end], style))?;
        }
    }
    Ok(())
}

fn corners(rect: &NodeRect) -> [(i32, i32); 2] {
    [
        (rect.x.round() as i32, rect.y.round() as i32),
        (
            (rect.x + rect.width).round() as i32,
            (rect.y + rect.height).round() as i32,
        ),
    ]
}

fn draw_node<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    column: &NetColumn,
    node: &NetNode,
    rect: &NodeRect,
    progress: f64,
) -> Result<(), ChartError> {
    let removing = node.alive_before && !node.alive;
    let [(x0, y0), (x1, y1)] = corners(rect);
    if !node.alive && (!removing || progress >= 1.0) {
        // Removed: an empty outline with a cross, not a colour alone.
        if column.kind == ColumnKind::Units {
            let radius = (rect.width / 2.0).round().max(2.0) as u32;
            let centre = ((x0 + x1) / 2, (y0 + y1) / 2);
            area.draw(&Circle::new(centre, radius, GONE.stroke_width(1)))?;
        } else {
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], GONE.stroke_width(1)))?;
        }
        area.draw(&PathElement::new(
            vec![(x0, y0), (x1, y1)],
            GONE.stroke_width(1),
        ))?;
        area.draw(&PathElement::new(
            vec![(x0, y1), (x1, y0)],
            GONE.stroke_width(1),
        ))?;
        return Ok(());
    }
    match (&node.image, column.kind) {
        (Some(image), _) => {
            let (rows, cols) = (image.rows.max(1), image.cols.max(1));
            if image.pixels {
                // Paper first; then only the inked pixels (most of a digit is blank).
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()))?;
            }
            let (low, high) = image
                .values
                .iter()
                .filter(|v| v.is_finite())
                .fold((f32::MAX, f32::MIN), |(l, h), &v| (l.min(v), h.max(v)));
            for row in 0..rows {
                for col in 0..cols {
                    let index = row * cols + col;
                    let value = image.values.get(index).copied().unwrap_or(0.0);
                    let colour = if image.pixels {
                        // Ink on paper: the brightest pixel darkest.
                        let t = if high > low {
                            (value - low) / (high - low)
                        } else {
                            0.0
                        };
                        let level = (255.0 * (1.0 - t)).round() as u8;
                        if level == 255 {
                            continue;
                        }
                        RGBColor(level, level, level)
                    } else if image.kept.get(index) == Some(&false) {
                        palette::PRUNED
                    } else {
                        diverging(value, image.scale)
                    };
                    let cx0 = x0 + ((x1 - x0) * col as i32) / cols as i32;
                    let cx1 = x0 + ((x1 - x0) * (col as i32 + 1)) / cols as i32;
                    let cy0 = y0 + ((y1 - y0) * row as i32) / rows as i32;
                    let cy1 = y0 + ((y1 - y0) * (row as i32 + 1)) / rows as i32;
                    if cx1 > cx0 && cy1 > cy0 {
                        area.draw(&Rectangle::new([(cx0, cy0), (cx1, cy1)], colour.filled()))?;
                    }
                }
            }
            area.draw(&Rectangle::new(
                [(x0 - 1, y0 - 1), (x1, y1)],
                OUTLINE.stroke_width(1),
            ))?;
        }
        (None, ColumnKind::Units) => {
            let radius = (rect.width / 2.0).round().max(1.0) as u32;
            area.draw(&Circle::new(
                ((x0 + x1) / 2, (y0 + y1) / 2),
                radius,
                UNIT.filled(),
            ))?;
        }
        (None, _) => {
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], MAP_FILL.filled()))?;
            area.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                OUTLINE.stroke_width(1),
            ))?;
        }
    }
    if removing {
        // Going: an orange outline that fades with the connections.
        let alpha = 1.0 - progress;
        let style = REMOVING.mix(alpha).stroke_width(2);
        area.draw(&Rectangle::new([(x0 - 2, y0 - 2), (x1 + 1, y1 + 1)], style))?;
    }
    Ok(())
}

/// Each column's name and shape above it; the class digits right of the outputs.
fn draw_headers<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NetworkView,
    layout: &NetworkLayout,
    theme: &Theme,
) -> Result<(), ChartError> {
    let small = line_height(theme.small);
    let title_style = text_style(theme.small, TEXT, HPos::Center, VPos::Top);
    let shape_style = text_style(theme.small, MUTED_TEXT, HPos::Center, VPos::Top);
    let count = layout.columns.len();
    for (index, (column, place)) in view.columns.iter().zip(&layout.columns).enumerate() {
        // A header may use half of each neighbouring gap.
        let left = if index == 0 {
            0.0
        } else {
            layout.columns[index - 1].x + layout.columns[index - 1].width
        };
        let right = if index + 1 == count {
            f64::from(area.dim_in_pixel().0)
        } else {
            layout.columns[index + 1].x
        };
        // The first and last headers may use the margin up to the area's edge.
        let centre_x = place.x + place.width / 2.0;
        let left_room = if index == 0 {
            centre_x
        } else {
            centre_x - (place.x + left) / 2.0
        };
        let right_room = if index + 1 == count {
            right - centre_x
        } else {
            (place.x + place.width + right) / 2.0 - centre_x
        };
        let room = (2.0 * left_room.min(right_room)).max(8.0) as u32;
        let centre = (place.x + place.width / 2.0).round() as i32;
        let title = fit_text(area, &column.title, theme.small, room)?;
        area.draw_text(&title, &title_style, (centre, layout.header_y))?;
        let shape = fit_text(area, &column.shape, theme.small, room)?;
        area.draw_text(&shape, &shape_style, (centre, layout.header_y + small))?;
    }
    // The outputs are classes: their digit beside each (when there is room to read it).
    if let (Some(column), Some(rects)) = (view.columns.last(), layout.nodes.last()) {
        let pitch = rects.get(1).map_or(f64::MAX, |r| r.y - rects[0].y);
        if column.kind == ColumnKind::Units && pitch >= theme.small * 0.9 {
            let style = text_style(theme.small, TEXT, HPos::Left, VPos::Center);
            for (node, rect) in column.nodes.iter().zip(rects) {
                let at = (
                    (rect.x + rect.width + 4.0).round() as i32,
                    (rect.y + rect.height / 2.0).round() as i32,
                );
                area.draw_text(&node.index.to_string(), &style, at)?;
            }
        }
    }
    Ok(())
}

/// The key (sign, just pruned, removed node) and any notes, under the network.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NetworkView,
    layout: &NetworkLayout,
    theme: &Theme,
) -> Result<(), ChartError> {
    let item = |key: &str, color, swatch| LegendItem {
        label: tr(view.lang, key, &[]),
        color,
        swatch,
    };
    let items = [
        item("chart.network.positive", POSITIVE, Swatch::Box),
        item("chart.network.negative", NEGATIVE, Swatch::Box),
        item("chart.network.just-pruned", REMOVING, Swatch::Box),
        item(
            "chart.network.removed-node",
            WHITE,
            Swatch::Cell { dot: None },
        ),
    ];
    let legend_area = area.margin(layout.legend_y, 0, 0, 0);
    legend::draw(&legend_area, &items, theme)?;
    let below = legend::height(&legend_area, &items, theme)?;
    let notes: Vec<String> = view.notes.iter().take(3).cloned().collect();
    frame::draw_notes(&legend_area.margin(below, 0, 0, 0), &notes, theme)
}
