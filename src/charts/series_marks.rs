//! What tells a line chart's series apart without colour, and which way a trajectory runs:
//! marker shapes (one per series, drawn at a few staggered points so lines drawn on top of each
//! other still show every shape), labels at the ends of the lines, and arrowheads along a
//! trajectory.

use super::frame::line_height;
use super::legend::marker_radius;
use super::theme::{text_size, text_style, Theme, TEXT};
use super::ChartError;
use crate::run::views::MarkerShape;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// How many markers a line gets when it does not mark every point.
const MARKERS_PER_LINE: usize = 6;

/// Lines with at most this many points are marked on every point.
const MARK_EVERY_POINT_UP_TO: usize = 8;

/// One marker of `shape` centred on pixel `center` of `area` (a white rim keeps it apart from
/// the line under it).
pub(crate) fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    center: (i32, i32),
    shape: MarkerShape,
    color: RGBColor,
    theme: &Theme,
) -> Result<(), ChartError> {
    let r = marker_radius(theme) as i32 + 1;
    let fill = color.filled();
    let rim = WHITE.stroke_width(1);
    let at = |dx: i32, dy: i32| (center.0 + dx, center.1 + dy);
    match shape {
        MarkerShape::Circle => {
            area.draw(&Circle::new(center, r as u32, fill))?;
            area.draw(&Circle::new(center, r as u32, rim))?;
        }
        MarkerShape::Square => {
            let corners = [at(-r + 1, -r + 1), at(r - 1, r - 1)];
            area.draw(&Rectangle::new(corners, fill))?;
            area.draw(&Rectangle::new(corners, rim))?;
        }
        MarkerShape::Triangle => {
            let vertices = vec![at(0, -r - 1), at(r + 1, r), at(-r - 1, r)];
            area.draw(&Polygon::new(vertices, fill))?;
        }
        MarkerShape::Diamond => {
            let s = r + 1;
            let vertices = vec![at(0, -s), at(s, 0), at(0, s), at(-s, 0)];
            area.draw(&Polygon::new(vertices, fill))?;
        }
        MarkerShape::Cross => {
            let stroke = color.stroke_width(theme.line_width.max(2));
            area.draw(&PathElement::new(vec![at(-r, -r), at(r, r)], stroke))?;
            area.draw(&PathElement::new(vec![at(-r, r), at(r, -r)], stroke))?;
        }
    }
    Ok(())
}

/// Pixel of data point `point` on the plot, relative to its plotting area (where
/// [`plot_surface`] draws).
pub(crate) fn plot_pixel<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    plot: &ChartContext<DB, CT>,
    point: &(f64, f64),
) -> (i32, i32) {
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    let (x, y) = plot.plotting_area().map_coordinate(point);
    (x - x_pixels.start, y - y_pixels.start)
}

/// Indices of the points of a run that get markers: all of a short run, otherwise about
/// [`MARKERS_PER_LINE`] spread over its x span, shifted by `stagger` (the series' colour index) so
/// coinciding lines put their markers at different places.
pub(crate) fn marked_points(run: &[(f64, f64)], every_point: bool, stagger: usize) -> Vec<usize> {
    if every_point || run.len() <= MARK_EVERY_POINT_UP_TO {
        return (0..run.len()).collect();
    }
    let (first, last) = (run[0].0, run[run.len() - 1].0);
    let span = last - first;
    let phase = ((stagger % 5) as f64 + 0.5) / 5.0;
    let mut indices: Vec<usize> = (0..MARKERS_PER_LINE)
        .map(|k| first + (k as f64 + phase) * span / MARKERS_PER_LINE as f64)
        .map(|target| run.partition_point(|p| p.0 < target).min(run.len() - 1))
        .collect();
    indices.dedup();
    indices
}

/// A label at the end of each line, drawn on the plot's `surface` (pixels from its top-left
/// corner, `size` wide and high): `ends` holds (pixel of the line's last point, label). Labels go
/// right of the point when they fit in the plot plus the `room` kept right of it, left of it
/// otherwise, and are moved apart vertically so they never overlap.
pub(crate) fn end_labels<DB: DrawingBackend>(
    surface: &DrawingArea<DB, Shift>,
    ends: &[((i32, i32), String)],
    room: i32,
    theme: &Theme,
) -> Result<(), ChartError> {
    let (width, height) = surface.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let gap = theme.pad;
    let row = line_height(theme.small);
    // (pixel y of the line's end, x of the text, text)
    let mut placed: Vec<(i32, i32, &str)> = Vec::new();
    for ((px, py), label) in ends {
        let text_width = text_size(surface, label, theme.small)?.0 as i32;
        let right = px + gap + text_width <= width + room;
        let x = if right {
            px + gap + 2
        } else {
            px - gap - 2 - text_width
        };
        placed.push((*py, x, label.as_str()));
    }
    // Push labels apart from top to bottom, then back inside the plot from the bottom.
    // A handful of labels: insertion sort by y keeps this small.
    for i in 1..placed.len() {
        let mut j = i;
        while j > 0 && placed[j - 1].0 > placed[j].0 {
            placed.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut ys: Vec<i32> = placed.iter().map(|p| p.0).collect();
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + row);
    }
    let (top, bottom) = (row / 2, height - row / 2);
    if let Some(last) = ys.last().copied() {
        if last > bottom {
            let shift = last - bottom;
            for y in ys.iter_mut() {
                *y -= shift;
            }
        }
    }
    let style = text_style(theme.small, TEXT, HPos::Left, VPos::Center);
    for ((_, x, label), y) in placed.into_iter().zip(ys) {
        surface.draw_text(label, &style, (x, y.max(top)))?;
    }
    Ok(())
}

/// Arrowheads at the middle of each segment of `run` (pixels of `surface`) long enough to carry
/// one, pointing in the direction of travel (from one point to the next).
pub(crate) fn arrows<DB: DrawingBackend>(
    surface: &DrawingArea<DB, Shift>,
    run: &[(i32, i32)],
    color: RGBColor,
    theme: &Theme,
) -> Result<(), ChartError> {
    let size = f64::from(theme.line_width * 2 + 4);
    for pair in run.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let length = dx.hypot(dy);
        if length < 3.0 * size {
            continue;
        }
        let (ux, uy) = (dx / length, dy / length);
        // Tip ahead of the midpoint, two barbs behind it.
        let (mx, my) = (f64::from(a.0 + b.0) / 2.0, f64::from(a.1 + b.1) / 2.0);
        let tip = ((mx + ux * size) as i32, (my + uy * size) as i32);
        let back = |side: f64| {
            (
                (mx - ux * size * 0.6 - uy * size * 0.6 * side) as i32,
                (my - uy * size * 0.6 + ux * size * 0.6 * side) as i32,
            )
        };
        surface.draw(&Polygon::new(
            vec![tip, back(1.0), back(-1.0)],
            color.filled(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_get_staggered_markers() {
        let run: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, 0.0)).collect();
        let first = marked_points(&run, false, 0);
        let second = marked_points(&run, false, 1);
        assert_eq!(first.len(), MARKERS_PER_LINE);
        assert!(
            first.iter().all(|i| !second.contains(i)),
            "{first:?} {second:?}"
        );
        assert_eq!(marked_points(&run[..5], false, 3), [0, 1, 2, 3, 4]);
    }
}
