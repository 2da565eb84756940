//! Clipping a polyline to the visible y band, so a fixed `y_range` cuts a line off at the edge
//! instead of flattening it there (plotters clamps out-of-range points onto the border).
//!
//! Segment `a → b` is `p(t) = a + t·(b − a)`, `t ∈ [0, 1]`; the part inside `low ≤ y ≤ high` is the
//! interval between the two crossings `t = (low − a.y)/(b.y − a.y)` and `t = (high − a.y)/(b.y − a.y)`.
//! On a log x axis the crossing's x is interpolated in `ln x`, since that is what is straight on screen.

/// The pieces of `points` inside `low ≤ y ≤ high`, crossing points included. All points must be
/// finite (and have x > 0 when `log_x`).
pub(crate) fn clip_to_band(
    points: &[(f64, f64)],
    (low, high): (f64, f64),
    log_x: bool,
) -> Vec<Vec<(f64, f64)>> {
    let inside = |p: &(f64, f64)| p.1 >= low && p.1 <= high;
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if points.len() == 1 && inside(&points[0]) {
        return vec![points.to_vec()];
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some((enter, exit)) = visible_interval(a.1, b.1, low, high) else {
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            continue;
        };
        let at = |t: f64| -> (f64, f64) {
            if t <= 0.0 {
                a
            } else if t >= 1.0 {
                b
            } else if log_x {
                (
                    (a.0.ln() + t * (b.0.ln() - a.0.ln())).exp(),
                    a.1 + t * (b.1 - a.1),
                )
            } else {
                (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
            }
        };
        if current.is_empty() || enter > 0.0 {
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            current.push(at(enter));
        }
        current.push(at(exit));
        if exit < 1.0 {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The `[enter, exit]` part of `t ∈ [0, 1]` where `y(t)` from `y0` to `y1` lies in the band.
fn visible_interval(y0: f64, y1: f64, low: f64, high: f64) -> Option<(f64, f64)> {
    let change = y1 - y0;
    if change == 0.0 {
        return (y0 >= low && y0 <= high).then_some((0.0, 1.0));
    }
    let (t_low, t_high) = ((low - y0) / change, (high - y0) / change);
    let enter = t_low.min(t_high).max(0.0);
    let exit = t_low.max(t_high).min(1.0);
    (enter <= exit).then_some((enter, exit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peak_above_the_band_is_cut_at_the_edge() {
        let pieces = clip_to_band(&[(0.0, 0.5), (1.0, 1.5), (2.0, 0.5)], (0.0, 1.0), false);
        assert_eq!(
            pieces,
            vec![vec![(0.0, 0.5), (0.5, 1.0)], vec![(1.5, 1.0), (2.0, 0.5)]]
        );
    }

    #[test]
    fn lines_inside_stay_whole_and_lines_outside_vanish() {
        let inside = [(0.0, 0.1), (1.0, 0.2), (2.0, 0.3)];
        assert_eq!(
            clip_to_band(&inside, (0.0, 1.0), false),
            vec![inside.to_vec()]
        );
        assert!(clip_to_band(&[(0.0, 2.0), (1.0, 3.0)], (0.0, 1.0), false).is_empty());
        assert_eq!(
            clip_to_band(&[(0.0, 0.5)], (0.0, 1.0), false),
            vec![vec![(0.0, 0.5)]]
        );
    }

    #[test]
    fn crossings_on_a_log_axis_interpolate_in_log_x() {
        let pieces = clip_to_band(&[(1.0, 0.0), (100.0, 2.0)], (0.0, 1.0), true);
        let (x, y) = pieces[0][1];
        assert!((x - 10.0).abs() < 1e-9 && (y - 1.0).abs() < 1e-12);
    }
}
