//! A chart's data as a table ("show data"): the same chart input the canvas is drawn from,
//! written with [`numbers`], for screen readers and for anyone who wants the values.
//!
//! Series that share their x values in increasing order (curves over steps) make one row per x
//! and one column per series; otherwise (a trajectory, where x goes back and forth) every point
//! is a row `series, x, y` in drawing order. Long tables keep every k-th row (the last always),
//! and the caption says so.

use serde::Serialize;

use super::figures::{HeatmapGrid, LineChart, PrunedAtGrid};
use super::numbers;
use crate::i18n::{tr, Lang};

/// Most rows a table shows.
pub const MAX_TABLE_ROWS: usize = 200;

/// A table: `columns` headers and `rows` of text cells (`–` where a series has no value).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DataTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The data of `chart` as a table (see the module docs).
pub fn chart_table(chart: &LineChart) -> DataTable {
    chart_table_in(chart, Lang::En)
}

/// [`chart_table`] with its caption and its own column names in `lang` (the chart's words are
/// the chart's).
pub fn chart_table_in(chart: &LineChart, lang: Lang) -> DataTable {
    let series: Vec<_> = chart
        .series
        .iter()
        .filter(|s| !s.points.is_empty())
        .collect();
    // Curves over steps never go back in x (a step may repeat: the evaluation before and the one
    // after a pruning step); a trajectory does.
    let forward = series
        .iter()
        .all(|s| s.points.windows(2).all(|pair| pair[0].0 <= pair[1].0));
    let x_name = if chart.x_label.is_empty() {
        "x".to_string()
    } else {
        chart.x_label.clone()
    };
    let y_name = if chart.y_label.is_empty() {
        "y".to_string()
    } else {
        chart.y_label.clone()
    };
    let (columns, rows) = if forward {
        // A row per (x, k-th value at that x): a repeated step keeps both values, in order.
        let keyed: Vec<Vec<((f64, usize), f64)>> =
            series.iter().map(|s| occurrences(&s.points)).collect();
        let keys = merged_keys(&keyed);
        let columns = std::iter::once(x_name)
            .chain(series.iter().map(|s| label_or(&s.label, &y_name)))
            .collect();
        let rows = keys
            .iter()
            .map(|&key| {
                std::iter::once(value(key.0))
                    .chain(keyed.iter().map(|points| {
                        let found = points.iter().find(|(k, _)| *k == key);
                        found.map_or("–".to_string(), |(_, y)| value(*y))
                    }))
                    .collect()
            })
            .collect();
        (columns, rows)
    } else {
        let columns = vec![tr(lang, "table.series", &[]), x_name, y_name.clone()];
        let rows = series
            .iter()
            .flat_map(|s| {
                s.points
                    .iter()
                    .map(|p| vec![label_or(&s.label, &y_name), value(p.0), value(p.1)])
            })
            .collect();
        (columns, rows)
    };
    let (rows, stride) = keep_every_kth(rows);
    let caption = if stride > 1 {
        tr(
            lang,
            "table.chart.thinned",
            &[("title", &chart.title), ("every", &ordinal(stride, lang))],
        )
    } else {
        tr(lang, "table.chart", &[("title", &chart.title)])
    };
    DataTable {
        caption,
        columns,
        rows,
    }
}

/// Grouped bars as a table: a row per category (`labels`), a column per group of `values`
/// (probabilities, written as percentages).
pub fn probability_table(
    title: &str,
    category: &str,
    labels: &[String],
    groups: &[(String, Vec<f64>)],
) -> DataTable {
    probability_table_in(title, category, labels, groups, Lang::En)
}

/// [`probability_table`] with its caption in `lang`.
pub fn probability_table_in(
    title: &str,
    category: &str,
    labels: &[String],
    groups: &[(String, Vec<f64>)],
    lang: Lang,
) -> DataTable {
    let rows = labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            std::iter::once(label.clone())
                .chain(groups.iter().map(|(_, values)| {
                    values
                        .get(index)
                        .map_or("–".to_string(), |&p| numbers::percent(p, 1))
                }))
                .collect()
        })
        .collect();
    DataTable {
        caption: tr(lang, "table.chart", &[("title", &title)]),
        columns: std::iter::once(category.to_string())
            .chain(groups.iter().map(|(name, _)| name.clone()))
            .collect(),
        rows,
    }
}

/// A weight heatmap as a table: one row per tile (filter, unit or matrix) with its kept count
/// and the range of its kept weights (the cells themselves are thousands of numbers; the hover
/// and the `.npz` export give single weights).
pub fn heatmap_table(grid: &HeatmapGrid) -> DataTable {
    heatmap_table_in(grid, Lang::En)
}

/// [`heatmap_table`] with its caption, columns and counts in `lang`.
pub fn heatmap_table_in(grid: &HeatmapGrid, lang: Lang) -> DataTable {
    let rows = grid
        .tiles
        .iter()
        .map(|tile| {
            let kept: Vec<f32> = tile
                .values
                .iter()
                .enumerate()
                .filter(|(i, _)| tile.kept.get(*i) != Some(&false))
                .map(|(_, &v)| v)
                .collect();
            let low = kept.iter().copied().fold(f32::INFINITY, f32::min);
            let high = kept.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let (low, high) = if kept.is_empty() {
                ("–".to_string(), "–".to_string())
            } else {
                (
                    numbers::significant(f64::from(low), 3),
                    numbers::significant(f64::from(high), 3),
                )
            };
            vec![
                tile.label.clone(),
                numbers::count_of_in(kept.len() as u64, tile.values.len() as u64, lang),
                low,
                high,
            ]
        })
        .collect();
    DataTable {
        caption: tr(lang, "table.tiles", &[("title", &grid.title)]),
        columns: [
            "table.tile",
            "table.kept-weights",
            "table.smallest-kept",
            "table.largest-kept",
        ]
        .map(|key| tr(lang, key, &[]))
        .to_vec(),
        rows,
    }
}

/// A pruned-at map as a table: one row per tile with how many weights were pruned, when the
/// first and the last of them were, and how many were regrown.
pub fn pruned_at_table(grid: &PrunedAtGrid) -> DataTable {
    pruned_at_table_in(grid, Lang::En)
}

/// [`pruned_at_table`] with its caption, columns and counts in `lang`.
pub fn pruned_at_table_in(grid: &PrunedAtGrid, lang: Lang) -> DataTable {
    let rows = grid
        .tiles
        .iter()
        .map(|tile| {
            let steps: Vec<u32> = tile.pruned_at.iter().flatten().copied().collect();
            let step =
                |s: Option<&u32>| s.map_or("–".to_string(), |&s| numbers::count(u64::from(s)));
            vec![
                tile.label.clone(),
                numbers::count_of_in(steps.len() as u64, tile.pruned_at.len() as u64, lang),
                step(steps.iter().min()),
                step(steps.iter().max()),
                numbers::count(tile.regrown.iter().filter(|&&r| r).count() as u64),
            ]
        })
        .collect();
    DataTable {
        caption: tr(lang, "table.tiles", &[("title", &grid.title)]),
        columns: [
            "table.tile",
            "table.pruned-weights",
            "table.first-pruned",
            "table.last-pruned",
            "table.regrown",
        ]
        .map(|key| tr(lang, key, &[]))
        .to_vec(),
        rows,
    }
}

/// The union of the series' keys in order: each series' keys are already in order (x forward,
/// occurrences counting up), so a merge is enough.
fn merged_keys(keyed: &[Vec<((f64, usize), f64)>]) -> Vec<(f64, usize)> {
    let before = |a: (f64, usize), b: (f64, usize)| a.0 < b.0 || (a.0 == b.0 && a.1 < b.1);
    let mut merged: Vec<(f64, usize)> = Vec::new();
    for points in keyed {
        let mut result = Vec::with_capacity(merged.len() + points.len());
        let mut old = merged.iter().copied().peekable();
        for &(key, _) in points {
            while let Some(&next) = old.peek() {
                if before(next, key) {
                    result.push(next);
                    old.next();
                } else {
                    break;
                }
            }
            if old.peek() == Some(&key) {
                old.next();
            }
            result.push(key);
        }
        result.extend(old);
        merged = result;
    }
    merged
}

/// Each point keyed by its x and how many points before it had the same x.
fn occurrences(points: &[(f64, f64)]) -> Vec<((f64, usize), f64)> {
    let mut keyed: Vec<((f64, usize), f64)> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        let seen = keyed
            .iter()
            .rev()
            .take_while(|((kx, _), _)| *kx == x)
            .count();
        keyed.push(((x, seen), y));
    }
    keyed
}

fn label_or(label: &str, fallback: &str) -> String {
    if label.is_empty() {
        fallback.to_string()
    } else {
        label.to_string()
    }
}

/// A cell: whole numbers grouped (`7,090`, `12.5 M` when large), fractions with 4 significant
/// digits.
fn value(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 1e4 {
        numbers::si(v, "")
    } else {
        numbers::significant(v, 4)
    }
}

fn keep_every_kth(rows: Vec<Vec<String>>) -> (Vec<Vec<String>>, usize) {
    if rows.len() <= MAX_TABLE_ROWS {
        return (rows, 1);
    }
    let stride = rows.len().div_ceil(MAX_TABLE_ROWS - 1);
    let last = rows.len() - 1;
    let kept = rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == last)
        .map(|(_, row)| row)
        .collect();
    (kept, stride)
}

/// `2nd`, `11th` in English; the plain number in Chinese (the catalog's text says "every").
fn ordinal(n: usize, lang: Lang) -> String {
    if lang != Lang::En {
        return n.to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::views::{Series, SeriesStyle};

    fn line(label: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: label.into(),
            points,
            style: SeriesStyle::default(),
        }
    }

    #[test]
    fn curves_over_steps_share_rows() {
        let chart = LineChart {
            title: "Kept parameters".into(),
            x_label: "training step".into(),
            series: vec![
                line(
                    "kept",
                    vec![(0.0, 7090.0), (1500.0, 7090.0), (1500.0, 1802.0)],
                ),
                line("other", vec![(1500.0, 0.25)]),
            ],
            ..LineChart::default()
        };
        let table = chart_table(&chart);
        assert_eq!(table.columns, ["training step", "kept", "other"]);
        assert_eq!(
            table.rows,
            [
                ["0", "7,090", "–"],
                ["1,500", "7,090", "0.2500"],
                ["1,500", "1,802", "–"]
            ]
        );
    }

    #[test]
    fn trajectories_list_points_in_drawing_order() {
        let chart = LineChart {
            x_label: "sparsity".into(),
            y_label: "test accuracy".into(),
            series: vec![line("run", vec![(0.7, 0.78), (0.9, 0.9), (0.8, 0.94)])],
            ..LineChart::default()
        };
        let table = chart_table(&chart);
        assert_eq!(table.columns, ["series", "sparsity", "test accuracy"]);
        assert_eq!(table.rows[2], ["run", "0.8000", "0.9400"]);
    }

    #[test]
    fn long_tables_are_thinned_and_say_so() {
        let chart = LineChart {
            title: "Compute".into(),
            series: vec![line(
                "macs",
                (0..1000).map(|i| (i as f64, 8.334e9)).collect(),
            )],
            ..LineChart::default()
        };
        let table = chart_table(&chart);
        assert!(table.rows.len() <= MAX_TABLE_ROWS);
        assert_eq!(table.rows.last().unwrap()[0], "999");
        assert_eq!(table.rows[0][1], "8.33 G");
        assert!(table.caption.contains("every 6th row"), "{}", table.caption);
    }
}
