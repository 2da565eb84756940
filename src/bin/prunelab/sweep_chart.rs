//! The sweep chart: test accuracy against target sparsity, one curve per strategy through the
//! mean over seeds (a marker on every sparsity), with the lowest and highest seed as thin dashed
//! lines of the same colour. Points are joined in sparsity order: this is a sweep, not a run.

use prunelab::charts::draw_line_chart;
use prunelab::charts::export::{render_png, render_svg};
use prunelab::run::views::{LineChart, Series, SeriesStyle};

use crate::output::{CliError, CliResult};
use crate::sweep_collect::SweepRow;

/// Mean, lowest and highest test accuracy over seeds at one sparsity.
pub struct SeedSpread {
    pub sparsity: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub seeds: usize,
}

/// `rows` sorted by strategy, then sparsity → per strategy, the spread at each sparsity in order.
pub fn spreads(rows: &[SweepRow]) -> Vec<(String, Vec<SeedSpread>)> {
    let mut out: Vec<(String, Vec<SeedSpread>)> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|(s, _)| *s != row.strategy) {
            out.push((row.strategy.clone(), Vec::new()));
        }
        let points = &mut out.last_mut().expect("pushed above").1;
        match points.last_mut() {
            Some(p) if p.sparsity == row.target_sparsity => {
                p.mean += row.test_accuracy;
                p.min = p.min.min(row.test_accuracy);
                p.max = p.max.max(row.test_accuracy);
                p.seeds += 1;
            }
            _ => points.push(SeedSpread {
                sparsity: row.target_sparsity,
                mean: row.test_accuracy,
                min: row.test_accuracy,
                max: row.test_accuracy,
                seeds: 1,
            }),
        }
    }
    for (_, points) in &mut out {
        for p in points.iter_mut() {
            p.mean /= p.seeds as f64;
        }
    }
    out
}

pub fn chart(rows: &[SweepRow]) -> LineChart {
    let spreads = spreads(rows);
    let seeds = spreads
        .first()
        .and_then(|(_, p)| p.first())
        .map_or(0, |p| p.seeds);
    let mut series = Vec::new();
    for (i, (strategy, points)) in spreads.iter().enumerate() {
        let line = |label: String, y: fn(&SeedSpread) -> f64, dashed: bool, markers: bool| Series {
            label,
            points: points.iter().map(|p| (p.sparsity, y(p))).collect(),
            style: SeriesStyle {
                color_index: i,
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
        title: "Accuracy vs sparsity (sweep)".into(),
        x_label: "target sparsity (fraction of prunable weights removed)".into(),
        y_label: "test accuracy".into(),
        series,
        y_range: Some((0.0, 1.0)),
        x_range: Some((0.0, 1.0)),
        notes: vec![if seeds > 1 {
            format!("solid: mean over {seeds} seeds; dashed: lowest and highest seed")
        } else {
            "one seed per point".to_string()
        }],
        ..LineChart::default()
    }
}

/// The chart as SVG text and PNG bytes.
pub fn render(rows: &[SweepRow]) -> CliResult<(String, Vec<u8>)> {
    let chart = chart(rows);
    let svg = render_svg(800, 450, |area| draw_line_chart(area, &chart))
        .map_err(|e| CliError::failure(e.0))?;
    let png = render_png(800, 450, |area| draw_line_chart(area, &chart))
        .map_err(|e| CliError::failure(e.0))?;
    Ok((svg, png))
}
