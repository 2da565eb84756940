//! The sweep chart and table: test accuracy against target sparsity, one curve per strategy
//! through the mean over seeds (a marker on every sparsity), with the lowest and highest seed as
//! thin dashed lines of the same colour. Points are joined in sparsity order, whatever order the
//! runs finished in: this is a sweep, not a run. The CLI (`prunelab sweep`) and the page's
//! Compare view draw the same chart from the same rows.

use serde::{Deserialize, Serialize};

use super::figures::{LineChart, Series, SeriesStyle};
use crate::i18n::{tr, Lang};
use crate::metrics::energy_joules;
use crate::run::History;

/// One finished sweep point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// The strategy as the chart and table name it (its name in the CLI, its label on the page).
    pub strategy: String,
    pub target_sparsity: f64,
    pub seed: u64,
    pub test_accuracy: f64,
    /// The sparsity reached.
    pub sparsity: f64,
    pub kept_params: u64,
    pub train_macs: u64,
    pub energy_joules: f64,
}

impl SweepRow {
    /// The row of a finished run from its record (the final evaluation), or `None` before any.
    pub fn from_history(
        strategy: &str,
        target_sparsity: f64,
        seed: u64,
        history: &History,
    ) -> Option<SweepRow> {
        let last = history.records.evals.last()?;
        Some(SweepRow {
            strategy: strategy.to_string(),
            target_sparsity,
            seed,
            test_accuracy: f64::from(last.test_accuracy),
            sparsity: last.sparsity,
            kept_params: u64::from(last.kept),
            train_macs: last.macs_actual,
            energy_joules: energy_joules(last.macs_actual),
        })
    }
}

/// Mean, lowest and highest test accuracy over seeds at one sparsity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeedSpread {
    pub sparsity: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub seeds: usize,
}

/// Per strategy (in order of first appearance), the spread at each target sparsity, in
/// increasing sparsity.
pub fn spreads(rows: &[SweepRow]) -> Vec<(String, Vec<SeedSpread>)> {
    let mut out: Vec<(String, Vec<SeedSpread>)> = Vec::new();
    for row in rows {
        let index = match out.iter().position(|(s, _)| *s == row.strategy) {
            Some(i) => i,
            None => {
                out.push((row.strategy.clone(), Vec::new()));
                out.len() - 1
            }
        };
        let points = &mut out[index].1;
        match points
            .iter_mut()
            .find(|p| p.sparsity == row.target_sparsity)
        {
            Some(p) => {
                p.mean += row.test_accuracy;
                p.min = p.min.min(row.test_accuracy);
                p.max = p.max.max(row.test_accuracy);
                p.seeds += 1;
            }
            // Kept in increasing sparsity by inserting in place (a few points: no sort needed,
            // and no sort's code in the wasm).
            None => {
                let at = points
                    .iter()
                    .position(|p| p.sparsity > row.target_sparsity)
                    .unwrap_or(points.len());
                points.insert(
                    at,
                    SeedSpread {
                        sparsity: row.target_sparsity,
                        mean: row.test_accuracy,
                        min: row.test_accuracy,
                        max: row.test_accuracy,
                        seeds: 1,
                    },
                );
            }
        }
    }
    for (_, points) in &mut out {
        for p in points.iter_mut() {
            p.mean /= p.seeds as f64;
        }
    }
    out
}

/// The chart: colour `i` for the `i`-th strategy in order of first appearance, y from 0 to 1.
pub fn sweep_chart(rows: &[SweepRow]) -> LineChart {
    sweep_chart_in_order(rows, &[], Lang::En)
}

/// The chart with the strategies' colours fixed by `order` (the order they were chosen in, as
/// Compare's side-by-side charts): colour `i` for `order[i]` even while an earlier strategy has no
/// finished point yet; strategies not in `order` follow. Its words in `lang`.
pub fn sweep_chart_in_order(rows: &[SweepRow], order: &[String], lang: Lang) -> LineChart {
    let spreads = spreads(rows);
    let colour = |strategy: &str, i: usize| {
        order
            .iter()
            .position(|s| s == strategy)
            .unwrap_or(order.len() + i)
    };
    let seeds = spreads
        .first()
        .and_then(|(_, p)| p.first())
        .map_or(0, |p| p.seeds);
    let mut series = Vec::new();
    for (i, (strategy, points)) in spreads.iter().enumerate() {
        let color_index = colour(strategy, i);
        let line = |label: String, y: fn(&SeedSpread) -> f64, dashed: bool, markers: bool| Series {
            label,
            points: points.iter().map(|p| (p.sparsity, y(p))).collect(),
            style: SeriesStyle {
                color_index,
                dashed,
                markers,
            },
        };
        series.push(line(strategy.clone(), |p| p.mean, false, true));
        if seeds > 1 {
            series.push(line(String::new(), |p| p.min, true, false));
            series.push(line(String::new(), |p| p.max, true, false));
        }
    }
    LineChart {
        title: tr(lang, "chart.sweep.title", &[]),
        x_label: tr(lang, "chart.sweep.x", &[]),
        y_label: tr(lang, "chart.sweep.y", &[]),
        series,
        y_range: Some((0.0, 1.0)),
        x_range: Some((0.0, 1.0)),
        notes: vec![if seeds > 1 {
            tr(lang, "chart.sweep.note.seeds", &[("seeds", &seeds)])
        } else {
            tr(lang, "chart.sweep.note.one-seed", &[])
        }],
        ..LineChart::default()
    }
}

/// A list of target sparsities as typed, in percent (`0, 50, 90` or `0 50 90`): each from 0 to
/// below 100, none twice, at least one. Returns fractions in increasing order (the sweep's runs
/// and table go in sparsity order).
pub fn parse_sparsity_percents(text: &str) -> std::result::Result<Vec<f64>, String> {
    let mut list: Vec<f64> = Vec::new();
    for item in text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let number = item.trim_end_matches('%');
        let percent: f64 = number
            .parse()
            .ok()
            .filter(|p: &f64| p.is_finite())
            .ok_or_else(|| format!("`{item}` is not a number; write percentages like 0, 50, 90"))?;
        if !(0.0..100.0).contains(&percent) {
            return Err(format!(
                "{item}% is outside 0 to below 100%: a sparsity is the share of weights removed, and 100% would remove them all"
            ));
        }
        let fraction = percent / 100.0;
        if list.contains(&fraction) {
            return Err(format!("{item}% is listed twice"));
        }
        let at = list
            .iter()
            .position(|&f| f > fraction)
            .unwrap_or(list.len());
        list.insert(at, fraction);
    }
    if list.is_empty() {
        return Err("the sparsity list is empty: give at least one, e.g. 0, 50, 90".into());
    }
    Ok(list)
}
