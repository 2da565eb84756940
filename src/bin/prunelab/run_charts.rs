//! The charts a pruning run writes next to its history: test accuracy and kept parameters over
//! the run, and cumulative training compute dense vs actual (with the energy model stated). Drawn by
//! the same backend-generic functions the browser uses, rendered here to SVG and PNG.

use std::path::Path;

use prunelab::charts::export::{render_png, render_svg};
use prunelab::charts::{draw_line_chart, LineChart, Series, SeriesStyle};
use prunelab::metrics::ENERGY_MODEL;

use crate::output::{self, CliError, CliResult};

/// One recorded point of a run: (step, phase, test accuracy, kept parameters, MACs actual, MACs dense).
pub struct ChartPoint {
    pub step: u64,
    pub phase: &'static str,
    pub test_accuracy: f32,
    pub kept: usize,
    pub macs_actual: u64,
    pub macs_dense: u64,
}

fn series(label: &str, color_index: usize, dashed: bool, points: Vec<(f64, f64)>) -> Series {
    Series {
        label: label.into(),
        points,
        style: SeriesStyle {
            color_index,
            dashed,
            markers: true,
        },
    }
}

/// Writes `accuracy.{svg,png}`, `kept.{svg,png}` and `compute.{svg,png}` into `dir`.
pub fn write(dir: &Path, points: &[ChartPoint]) -> CliResult<()> {
    let markers: Vec<(f64, String)> = points
        .iter()
        .filter(|p| p.phase == "prune")
        .map(|p| (p.step as f64, "pruned".to_string()))
        .collect();
    let xy = |f: &dyn Fn(&ChartPoint) -> f64| {
        points
            .iter()
            .map(|p| (p.step as f64, f(p)))
            .collect::<Vec<_>>()
    };
    let charts = [
        (
            "accuracy",
            LineChart {
                title: "Test accuracy".into(),
                x_label: "training step".into(),
                y_label: "accuracy".into(),
                series: vec![series(
                    "test accuracy",
                    0,
                    false,
                    xy(&|p| p.test_accuracy as f64),
                )],
                markers: markers.clone(),
                ..LineChart::default()
            },
        ),
        (
            "kept",
            LineChart {
                title: "Kept parameters".into(),
                x_label: "training step".into(),
                y_label: "parameters".into(),
                series: vec![series("kept", 1, false, xy(&|p| p.kept as f64))],
                markers: markers.clone(),
                ..LineChart::default()
            },
        ),
        (
            "compute",
            LineChart {
                title: "Cumulative training compute".into(),
                x_label: "training step".into(),
                y_label: "MACs".into(),
                series: vec![
                    series("dense", 0, true, xy(&|p| p.macs_dense as f64)),
                    series("pruned (actual)", 1, false, xy(&|p| p.macs_actual as f64)),
                ],
                markers,
                // The model in two lines so it fits the chart's width.
                notes: ENERGY_MODEL
                    .splitn(2, " (")
                    .enumerate()
                    .map(|(i, part)| {
                        if i == 0 {
                            part.to_string()
                        } else {
                            format!("({part}")
                        }
                    })
                    .collect(),
                ..LineChart::default()
            },
        ),
    ];
    for (name, chart) in charts {
        let svg = render_svg(800, 450, |area| draw_line_chart(area, &chart))
            .map_err(|e| CliError::failure(e.0))?;
        output::write_file(&dir.join(format!("{name}.svg")), svg.as_bytes())?;
        let png = render_png(800, 450, |area| draw_line_chart(area, &chart))
            .map_err(|e| CliError::failure(e.0))?;
        output::write_file(&dir.join(format!("{name}.png")), &png)?;
    }
    Ok(())
}
