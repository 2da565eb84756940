//! Lines that hide under each other: which series of a chart coincide, as notes the chart prints.
//!
//! Two series coincide where they have a point at the same x and their y values differ by less
//! than [`TOLERANCE`] of the y axis's span (less than a line's width on any chart size). Series
//! that coincide at every shared x are reported as one group ("conv1, conv2 and fc1 coincide");
//! series that coincide from the start and then part are reported with where they part ("dense
//! network and pruned (real masks) coincide until training step 120").

use super::figures::{LineChart, Series};
use super::numbers;
use crate::i18n::{tr, Lang};

/// Fraction of the y span under which two values are drawn on top of each other.
pub const TOLERANCE: f64 = 0.004;

/// The most overlap notes a chart gets (the rest would crowd the plot).
const MAX_NOTES: usize = 3;

/// How two series overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Overlap {
    /// At every shared x.
    Everywhere,
    /// From the first shared x to this one, then apart.
    Until(f64),
}

/// Notes naming the series of `chart` that are drawn on top of each other (see the module docs).
pub fn overlap_notes(chart: &LineChart) -> Vec<String> {
    overlap_notes_in(chart, Lang::En)
}

/// [`overlap_notes`] in `lang`.
pub fn overlap_notes_in(chart: &LineChart, lang: Lang) -> Vec<String> {
    let span = y_span(chart);
    if span.is_nan() || span <= 0.0 {
        return Vec::new();
    }
    let labelled: Vec<&Series> = chart
        .series
        .iter()
        .filter(|s| !s.label.is_empty() && !s.points.is_empty())
        .collect();
    // Union-find over the series, one forest per kind of overlap (everywhere, until x).
    let mut groups: Vec<(Option<f64>, Vec<usize>)> = Vec::new();
    for i in 0..labelled.len() {
        for j in i + 1..labelled.len() {
            let Some(overlap) = overlap(labelled[i], labelled[j], span * TOLERANCE) else {
                continue;
            };
            let key = match overlap {
                Overlap::Everywhere => None,
                Overlap::Until(x) => Some(x),
            };
            join(&mut groups, key, i, j);
        }
    }
    groups
        .iter()
        .take(MAX_NOTES)
        .map(|(key, members)| {
            let names: Vec<&str> = members
                .iter()
                .map(|&m| labelled[m].label.as_str())
                .collect();
            let names = join_names(&names, lang);
            match key {
                None => tr(lang, "chart.overlap.everywhere", &[("names", &names)]),
                Some(x) => tr(
                    lang,
                    "chart.overlap.until",
                    &[
                        ("names", &names),
                        ("axis", &chart.x_label),
                        ("x", &x_text(*x)),
                    ],
                ),
            }
        })
        .collect()
}

/// Puts `i` and `j` in one group of overlap kind `key` (series indices stay in order).
fn join(groups: &mut Vec<(Option<f64>, Vec<usize>)>, key: Option<f64>, i: usize, j: usize) {
    let holding = |groups: &Vec<(Option<f64>, Vec<usize>)>, member: usize| {
        groups
            .iter()
            .position(|(k, members)| *k == key && members.contains(&member))
    };
    match (holding(groups, i), holding(groups, j)) {
        (Some(a), Some(b)) if a != b => {
            let (_, moved) = groups.remove(a.max(b));
            let target = &mut groups[a.min(b)].1;
            target.extend(moved);
            target.sort_unstable();
        }
        (Some(_), Some(_)) => {}
        (Some(a), None) => {
            groups[a].1.push(j);
            groups[a].1.sort_unstable();
        }
        (None, Some(b)) => {
            groups[b].1.push(i);
            groups[b].1.sort_unstable();
        }
        (None, None) => groups.push((key, vec![i, j])),
    }
}

/// How `a` and `b` overlap at their shared x values, if they do from the first one on (two
/// shared points at least: one touching point is a crossing, not an overlap).
fn overlap(a: &Series, b: &Series, tolerance: f64) -> Option<Overlap> {
    // Curves over steps go forward in x; a trajectory (x back and forth) is not compared.
    if !b.points.windows(2).all(|pair| pair[0].0 <= pair[1].0) {
        return None;
    }
    let b_at = |x: f64| {
        let at = b.points.partition_point(|p| p.0 < x);
        b.points.get(at).filter(|p| p.0 == x).map(|p| p.1)
    };
    let shared: Vec<(f64, f64, f64)> = a
        .points
        .iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .filter_map(|p| b_at(p.0).map(|y| (p.0, p.1, y)))
        .filter(|p| p.2.is_finite())
        .collect();
    let together = shared
        .iter()
        .take_while(|(_, ya, yb)| (ya - yb).abs() <= tolerance)
        .count();
    if shared.len() < 2 || together < 2 {
        None
    } else if together == shared.len() {
        Some(Overlap::Everywhere)
    } else {
        Some(Overlap::Until(shared[together - 1].0))
    }
}

/// The span of the y axis the chart will be drawn with (fixed, or the data's, from 0 for counts).
fn y_span(chart: &LineChart) -> f64 {
    if let Some((low, high)) = chart.y_range {
        return high - low;
    }
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite());
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), y| {
        (l.min(y), h.max(y))
    });
    let low = if chart.y_from_zero { low.min(0.0) } else { low };
    if high > low {
        high - low
    } else {
        high.abs()
    }
}

/// "a", "a and b", "a, b and c".
fn join_names(names: &[&str], lang: Lang) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => tr(
            lang,
            "chart.overlap.names",
            &[
                (
                    "init",
                    &init.join(&tr(lang, "chart.overlap.separator", &[])),
                ),
                ("last", last),
            ],
        ),
    }
}

/// An x value as the note prints it: whole numbers grouped (steps), others with 2 decimals.
fn x_text(x: f64) -> String {
    if x.fract() == 0.0 {
        numbers::fixed(x, 0)
    } else {
        numbers::fixed(x, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::views::SeriesStyle;

    fn line(label: &str, points: &[(f64, f64)]) -> Series {
        Series {
            label: label.into(),
            points: points.to_vec(),
            style: SeriesStyle::default(),
        }
    }

    fn chart(series: Vec<Series>) -> LineChart {
        LineChart {
            x_label: "training step".into(),
            y_range: Some((0.0, 1.0)),
            series,
            ..LineChart::default()
        }
    }

    #[test]
    fn identical_lines_are_one_group() {
        let same = [(0.0, 0.0), (10.0, 0.5), (20.0, 0.9)];
        let notes = overlap_notes(&chart(vec![
            line("conv1", &same),
            line("conv2", &same),
            line("fc1", &same),
        ]));
        assert_eq!(
            notes,
            ["conv1, conv2 and fc1 coincide (drawn on top of each other)"]
        );
    }

    #[test]
    fn lines_that_part_say_where() {
        let notes = overlap_notes(&chart(vec![
            line(
                "dense",
                &[(0.0, 0.1), (10.0, 0.2), (20.0, 0.4), (30.0, 0.6)],
            ),
            line(
                "pruned",
                &[(0.0, 0.1), (10.0, 0.2), (20.0, 0.3), (30.0, 0.35)],
            ),
        ]));
        assert_eq!(notes, ["dense and pruned coincide until training step 10"]);
    }

    #[test]
    fn separate_or_crossing_lines_get_no_note() {
        let notes = overlap_notes(&chart(vec![
            line("a", &[(0.0, 0.1), (10.0, 0.5), (20.0, 0.9)]),
            line("b", &[(0.0, 0.9), (10.0, 0.5), (20.0, 0.1)]),
        ]));
        assert!(notes.is_empty(), "{notes:?}");
    }
}
