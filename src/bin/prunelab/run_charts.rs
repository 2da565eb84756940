//! The charts a pruning run writes next to its history, built by the core's `run::views` (the same
//! chart inputs the browser draws) and rendered to SVG and PNG.

use std::path::Path;

use prunelab::charts::draw_line_chart;
use prunelab::charts::export::{render_png, render_svg};
use prunelab::run::{views, History};

use crate::output::{self, CliError, CliResult};

/// Writes `accuracy`, `loss`, `kept`, `layer_sparsity`, `tradeoff` and `compute` as `.svg` and `.png`.
pub fn write(dir: &Path, history: &History) -> CliResult<()> {
    let until = history.last_step();
    let charts = [
        ("accuracy", views::accuracy_chart(history, until)),
        ("loss", views::loss_chart(history, until)),
        ("kept", views::kept_chart(history, until)),
        (
            "layer_sparsity",
            views::layer_sparsity_chart(history, until),
        ),
        ("tradeoff", views::tradeoff_chart(history, until)),
        ("compute", views::compute_chart(history, until)),
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
