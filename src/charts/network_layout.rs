//! Where the network view's columns and nodes land on a `width`×`height` area: what
//! [`super::draw_network`] draws, and what the page uses to find the node under the pointer or
//! under the keyboard cursor. Pure arithmetic on the theme's sizes (no text measured), so both
//! agree without a backend.
//!
//! Columns and the gaps between them (where the connections run) share the width in fixed
//! proportions per kind; the nodes of a column are spread evenly over the plot's height and
//! centred in it, images keeping their aspect ratio.

use serde::Serialize;

use super::frame::{line_height, title_band_height};
use super::theme::Theme;
use crate::run::views::{ColumnKind, LinkKind, NetColumn, NetworkView};

/// One node's box, in pixels relative to the area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeRect {
    pub column: usize,
    pub node: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One column's horizontal extent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ColumnBox {
    pub x: f64,
    pub width: f64,
}

/// The whole layout.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkLayout {
    pub columns: Vec<ColumnBox>,
    /// `nodes[c][n]`: node `n` of column `c`.
    pub nodes: Vec<Vec<NodeRect>>,
    /// Top of the two lines of column headers.
    pub header_y: i32,
    /// Top of the legend, then of the notes.
    pub legend_y: i32,
    pub notes_y: i32,
    pub legend_rows: i32,
}

/// Width shares of the columns and of the gaps where connections run.
fn column_share(kind: ColumnKind) -> f64 {
    match kind {
        ColumnKind::Input => 1.0,
        ColumnKind::Filters => 0.55,
        ColumnKind::Maps => 0.45,
        ColumnKind::Units => 0.14,
    }
}

fn gap_share(kind: LinkKind) -> f64 {
    match kind {
        LinkKind::Kernel => 1.0,
        LinkKind::Identity => 0.35,
        LinkKind::Dense => 1.6,
    }
}

/// Largest node box of a column, pixels: the input reads well at 150, tiles at 90.
fn largest_box(kind: ColumnKind) -> f64 {
    match kind {
        ColumnKind::Input => 150.0,
        ColumnKind::Units => 14.0,
        _ => 90.0,
    }
}

/// Legend rows: one on a wide area, two on a phone.
pub(crate) fn legend_rows(width: u32) -> i32 {
    if width >= 620 {
        1
    } else {
        2
    }
}

/// The layout of `view` on a `width`×`height` area.
pub fn network_layout(view: &NetworkView, width: u32, height: u32) -> NetworkLayout {
    let theme = Theme::for_size(width, height);
    let small = line_height(theme.small);
    let header_y = title_band_height(&theme, "network");
    let top = header_y + 2 * small + theme.pad;
    let legend_rows = legend_rows(width);
    let notes = view.notes.len().min(3) as i32;
    // The legend's rows are label-sized (charts::legend), the notes small.
    let bottom_block = legend_rows * line_height(theme.label) + notes * small + 3 * theme.pad;
    let bottom = (height as i32 - bottom_block).max(top + 40);
    let plot_height = f64::from(bottom - top);
    // Room on the right for the output labels (0–9).
    let left = f64::from(2 * theme.pad);
    let right = f64::from(width) - f64::from(2 * theme.pad) - theme.small * 1.4;
    let shares: f64 = view
        .columns
        .iter()
        .map(|c| column_share(c.kind))
        .sum::<f64>()
        + view.layers.iter().map(|l| gap_share(l.kind)).sum::<f64>();
    let unit = ((right - left) / shares.max(1e-9)).max(0.0);
    let mut x = left;
    let mut columns = Vec::with_capacity(view.columns.len());
    for (index, column) in view.columns.iter().enumerate() {
        let column_width = unit * column_share(column.kind);
        columns.push(ColumnBox {
            x,
            width: column_width,
        });
        x += column_width;
        if let Some(layer) = view.layers.get(index) {
            x += unit * gap_share(layer.kind);
        }
    }
    let nodes = view
        .columns
        .iter()
        .zip(&columns)
        .enumerate()
        .map(|(index, (column, place))| column_nodes(index, column, *place, top, plot_height))
        .collect();
    NetworkLayout {
        columns,
        nodes,
        header_y,
        legend_y: bottom + theme.pad,
        notes_y: bottom + theme.pad + legend_rows * line_height(theme.label) + theme.pad,
        legend_rows,
    }
}

/// The nodes of one column, spread over the plot's height.
fn column_nodes(
    index: usize,
    column: &NetColumn,
    place: ColumnBox,
    top: i32,
    plot_height: f64,
) -> Vec<NodeRect> {
    let count = column.nodes.len().max(1) as f64;
    let pitch = plot_height / count;
    let side = place
        .width
        .min(pitch * 0.84)
        .min(largest_box(column.kind))
        .max(2.0);
    column
        .nodes
        .iter()
        .enumerate()
        .map(|(node, content)| {
            // Images keep their aspect ratio: a cell is square.
            let (rows, cols) = match (&content.image, column.kind) {
                (Some(image), _) => (image.rows, image.cols),
                (None, ColumnKind::Units) => (1, 1),
                (None, _) => column.points,
            };
            let cell = side / rows.max(cols).max(1) as f64;
            let (width, height) = (cell * cols as f64, cell * rows as f64);
            let centre_y = f64::from(top) + pitch * (node as f64 + 0.5);
            NodeRect {
                column: index,
                node,
                x: place.x + (place.width - width) / 2.0,
                y: centre_y - height / 2.0,
                width,
                height,
            }
        })
        .collect()
}
