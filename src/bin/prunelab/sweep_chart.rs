//! The sweep chart as files: the chart itself is the library's [`sweep_chart`] (the page's
//! Compare view draws the same one), rendered here to SVG and PNG.

use prunelab::charts::draw_line_chart;
use prunelab::charts::export::{render_png, render_svg};
use prunelab::run::views::{sweep_chart, SweepRow};

use crate::output::{CliError, CliResult};

/// The chart as SVG text and PNG bytes.
pub fn render(rows: &[SweepRow]) -> CliResult<(String, Vec<u8>)> {
    let chart = sweep_chart(rows);
    let svg = render_svg(800, 450, |area| draw_line_chart(area, &chart))
        .map_err(|e| CliError::failure(e.0))?;
    let png = render_png(800, 450, |area| draw_line_chart(area, &chart))
        .map_err(|e| CliError::failure(e.0))?;
    Ok((svg, png))
}
