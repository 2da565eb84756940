//! Where tiles and their cells land, in pixels: one pure function shared by drawing and hovering.
//!
//! A grid chart is split into a title band, a tile region, a colour-bar panel on the right and a
//! one-row key at the bottom. Tiles fill the region in `columns` columns (or the count that makes
//! cells largest). All tiles share one cell size so they compare at a glance; cells are square
//! unless tiles are elongated (a 10×256 matrix), when the short side may stretch up to 4×.
//!
//! Cell `(row, col)` of a tile covers pixels `x + ⌊col·cell_width⌋ ≤ px < x + ⌊(col+1)·cell_width⌋`
//! (likewise for y), so neighbouring cells never overlap and [`TileRect::cell_at`] inverts
//! [`TileRect::cell_rect`] exactly. Cells narrower than a pixel may get no pixel at all.

use super::frame::{line_height, title_band_height};
use super::theme::Theme;
use serde::{Deserialize, Serialize};

/// Most the short side of a cell may be stretched to make an elongated tile readable.
const MAX_STRETCH: f64 = 4.0;

/// One tile's place: pixel coordinates relative to the drawing area (x right, y down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TileRect {
    /// Index into the input's `tiles`.
    pub tile: usize,
    /// Top-left corner of cell (0, 0).
    pub x: i32,
    pub y: i32,
    /// Pixel extent of all cells together.
    pub width: i32,
    pub height: i32,
    pub rows: usize,
    pub cols: usize,
    pub cell_width: f64,
    pub cell_height: f64,
    /// Band above the tile for its label: centre x, centre y and the width available.
    pub label_x: i32,
    pub label_y: i32,
    pub label_width: i32,
    /// Whether labels are shown (they are dropped when tiles are too small to afford them).
    pub show_label: bool,
}

impl TileRect {
    /// Pixel bounds `(x0, y0, x1, y1)` of a cell, end exclusive.
    pub fn cell_rect(&self, row: usize, col: usize) -> (i32, i32, i32, i32) {
        (
            self.x + edge(col, self.cell_width),
            self.y + edge(row, self.cell_height),
            self.x + edge(col + 1, self.cell_width),
            self.y + edge(row + 1, self.cell_height),
        )
    }

    /// The `(row, col)` under pixel `(x, y)`, if any.
    pub fn cell_at(&self, x: i32, y: i32) -> Option<(usize, usize)> {
        let col = index_at(x - self.x, self.cell_width, self.cols)?;
        let row = index_at(y - self.y, self.cell_height, self.rows)?;
        Some((row, col))
    }
}

/// `(tile, row, col)` under pixel `(x, y)`, for hover read-outs.
pub fn hit_test(layout: &[TileRect], x: i32, y: i32) -> Option<(usize, usize, usize)> {
    layout
        .iter()
        .find_map(|rect| rect.cell_at(x, y).map(|(row, col)| (rect.tile, row, col)))
}

fn edge(index: usize, size: f64) -> i32 {
    (index as f64 * size).floor() as i32
}

/// The cell whose span `[edge(i), edge(i+1))` contains `offset`.
fn index_at(offset: i32, size: f64, count: usize) -> Option<usize> {
    if offset < 0 || count == 0 || size <= 0.0 {
        return None;
    }
    // A first guess from division, corrected against the exact edges used for drawing.
    let mut index = ((f64::from(offset) / size) as usize).min(count);
    while index > 0 && edge(index, size) > offset {
        index -= 1;
    }
    while index < count && edge(index + 1, size) <= offset {
        index += 1;
    }
    (index < count).then_some(index)
}

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Region {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// The fixed parts of a grid chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GridFrame {
    pub theme: Theme,
    pub tiles: Region,
    pub colorbar: Region,
    pub key: Region,
}

impl GridFrame {
    pub fn new(width: u32, height: u32, title: &str) -> GridFrame {
        let theme = Theme::for_size(width, height);
        let (width, height) = (width as i32, height as i32);
        let pad = theme.pad;
        let top = title_band_height(&theme, title);
        let key_height = line_height(theme.label) + pad;
        // Bar, gap, and tick labels of up to 7 characters ("-0.0012").
        let colorbar_width = (theme.tick * 1.2) as i32 + 2 * pad + (7.0 * 0.62 * theme.tick) as i32;
        let body_height = (height - top - key_height).max(0);
        GridFrame {
            theme,
            tiles: Region {
                x: pad,
                y: top,
                width: (width - colorbar_width - 3 * pad).max(0),
                height: (body_height - pad).max(0),
            },
            colorbar: Region {
                x: (width - colorbar_width - pad).max(0),
                y: top,
                width: colorbar_width,
                height: (body_height - pad).max(0),
            },
            key: Region {
                x: 0,
                y: height - key_height,
                width,
                height: key_height,
            },
        }
    }
}

/// Places tiles of the given `(rows, cols)` shapes in `frame.tiles`.
pub(crate) fn layout_tiles(
    shapes: &[(usize, usize)],
    columns: Option<usize>,
    frame: &GridFrame,
) -> Vec<TileRect> {
    let count = shapes.len();
    let max_rows = shapes.iter().map(|s| s.0).max().unwrap_or(0);
    let max_cols = shapes.iter().map(|s| s.1).max().unwrap_or(0);
    if count == 0 || max_rows == 0 || max_cols == 0 {
        return Vec::new();
    }
    let region = frame.tiles;
    let gap = if count > 32 {
        2.max(frame.theme.pad / 3)
    } else {
        frame.theme.pad
    };
    let label_band = line_height(frame.theme.small);
    let stretch = (max_cols as f64 / max_rows as f64)
        .max(max_rows as f64 / max_cols as f64)
        .min(MAX_STRETCH);

    // Cell size for `grid_columns` columns, with or without a label band.
    let cell_size = |grid_columns: usize, band: i32| -> (f64, f64) {
        let grid_rows = count.div_ceil(grid_columns);
        let slot_width =
            f64::from(region.width - (grid_columns as i32 - 1) * gap) / grid_columns as f64;
        let slot_height = f64::from(region.height - (grid_rows as i32 - 1) * gap)
            / grid_rows as f64
            - f64::from(band);
        let width = (slot_width / max_cols as f64).max(0.0);
        let height = (slot_height / max_rows as f64).max(0.0);
        let square = width.min(height);
        (width.min(square * stretch), height.min(square * stretch))
    };
    let choose = |band: i32| -> usize {
        match columns {
            Some(wanted) => wanted.clamp(1, count),
            None => (1..=count)
                .max_by(|&a, &b| {
                    let area = |c| {
                        let (w, h) = cell_size(c, band);
                        w * h
                    };
                    // On ties prefer fewer columns (the later, smaller `a` loses only if worse).
                    area(a).total_cmp(&area(b)).then(b.cmp(&a))
                })
                .unwrap_or(1),
        }
    };
    // Labels cost a band per tile row; drop them when tiles would be shorter than 3 bands.
    let mut band = label_band;
    let mut grid_columns = choose(band);
    let (_, cell_height) = cell_size(grid_columns, band);
    if cell_height * (max_rows as f64) < f64::from(3 * label_band) {
        band = 0;
        grid_columns = choose(band);
    }
    let (cell_width, cell_height) = cell_size(grid_columns, band);
    let grid_rows = count.div_ceil(grid_columns);
    let slot_width = (max_cols as f64 * cell_width).floor() as i32;
    let slot_height = (max_rows as f64 * cell_height).floor() as i32 + band;
    // Centre the whole block in the region.
    let block_width = grid_columns as i32 * slot_width + (grid_columns as i32 - 1) * gap;
    let block_height = grid_rows as i32 * slot_height + (grid_rows as i32 - 1) * gap;
    let left = region.x + (region.width - block_width).max(0) / 2;
    let top = region.y + (region.height - block_height).max(0) / 2;

    shapes
        .iter()
        .enumerate()
        .map(|(tile, &(rows, cols))| {
            let slot_x = left + (tile % grid_columns) as i32 * (slot_width + gap);
            let slot_y = top + (tile / grid_columns) as i32 * (slot_height + gap);
            let width = edge(cols, cell_width);
            let height = edge(rows, cell_height);
            TileRect {
                tile,
                x: slot_x + (slot_width - width) / 2,
                y: slot_y + band + (slot_height - band - height) / 2,
                width,
                height,
                rows,
                cols,
                cell_width,
                cell_height,
                label_x: slot_x + slot_width / 2,
                label_y: slot_y + band / 2,
                label_width: slot_width + gap,
                show_label: band > 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_at_inverts_cell_rect_for_fractional_cells() {
        let frame = GridFrame::new(640, 360, "weights");
        let layout = layout_tiles(&[(10, 256)], None, &frame);
        let tile = &layout[0];
        assert!(tile.cell_width > 1.0 && tile.cell_width.fract() != 0.0);
        for (row, col) in [(0, 0), (3, 17), (9, 255)] {
            let (x0, y0, x1, y1) = tile.cell_rect(row, col);
            assert_eq!(tile.cell_at(x0, y0), Some((row, col)));
            assert_eq!(tile.cell_at(x1 - 1, y1 - 1), Some((row, col)));
        }
        assert_eq!(tile.cell_at(tile.x - 1, tile.y), None);
        assert_eq!(tile.cell_at(tile.x + tile.width, tile.y), None);
    }

    #[test]
    fn tiles_do_not_overlap_and_stay_inside_the_region() {
        let frame = GridFrame::new(960, 540, "conv2");
        let layout = layout_tiles(&vec![(5, 5); 128], None, &frame);
        let region = frame.tiles;
        for (i, a) in layout.iter().enumerate() {
            assert!(a.x >= region.x && a.x + a.width <= region.x + region.width);
            assert!(a.y >= region.y && a.y + a.height <= region.y + region.height);
            assert!(a.cell_width >= 2.0);
            for b in &layout[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + a.height <= b.y
                    || b.y + b.height <= a.y;
                assert!(apart, "tiles {} and {} overlap", a.tile, b.tile);
            }
        }
    }

    #[test]
    fn elongated_tiles_stretch_their_short_side() {
        let frame = GridFrame::new(640, 360, "dense");
        let tile = &layout_tiles(&[(10, 256)], None, &frame)[0];
        assert!(tile.cell_height > 2.0 * tile.cell_width);
        assert!(tile.cell_height <= MAX_STRETCH * tile.cell_width + 1e-9);
    }
}
