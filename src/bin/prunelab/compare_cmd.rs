//! `prunelab compare`: 2–4 strategies with the same settings, the same initial weights and the same
//! data order (each run is seeded identically, and runs are deterministic), then one table and the
//! overlaid charts. Each strategy's own files go to `DIR/<strategy>/` as `prune` writes them.

use std::fmt::Write as _;

use prunelab::charts::draw_line_chart;
use prunelab::charts::export::{render_png, render_svg};
use prunelab::metrics::{energy_joules, ENERGY_MODEL};
use prunelab::prune;
use prunelab::run::{views, History};

use crate::args::CompareArgs;
use crate::output::{self, CliError, CliResult};
use crate::prune_cmd::{execute, run_config, write_run};

pub fn run(args: CompareArgs) -> CliResult<()> {
    let strategies = &args.strategies;
    if !(2..=4).contains(&strategies.len()) {
        return Err(CliError::usage(format!(
            "--strategies lists {} strategies; allowed: 2 to 4",
            strategies.len()
        )));
    }
    if let Some(twice) = strategies
        .iter()
        .enumerate()
        .find_map(|(i, s)| strategies[..i].contains(s).then_some(s))
    {
        return Err(CliError::usage(format!(
            "--strategies lists `{}` twice",
            twice.name()
        )));
    }
    // Check every configuration before running anything, so a bad setting writes nothing.
    let configs = strategies
        .iter()
        .map(|&strategy| run_config(strategy, &args.options))
        .collect::<CliResult<Vec<_>>>()?;
    let names: Vec<&str> = strategies.iter().map(|s| s.name()).collect();
    let flags = &args.options.flags;
    output::check_writable(flags)?;
    let mut runs = Vec::new();
    for (name, config) in names.iter().zip(&configs) {
        if !flags.quiet {
            println!("== {name}");
        }
        let run = execute(config, flags, false)?;
        runs.push((name.to_string(), run));
    }
    let mut table = String::from(
        "strategy,test_accuracy,dense_test_accuracy,sparsity,kept_params,train_macs_actual,train_macs_dense,energy_joules_estimate\n",
    );
    println!(
        "{:<10} {:>9} {:>9} {:>8} {:>7} {:>12} {:>9}",
        "strategy", "test acc", "dense", "sparsity", "kept", "train MACs", "energy"
    );
    for (name, run) in &runs {
        let history = run.history();
        let last = history.records.evals.last();
        let accuracy = last.map_or(f32::NAN, |e| e.test_accuracy);
        let compute = run.compute();
        let sparsity = prune::sparsity(run.network());
        let kept = run.network().kept_param_count();
        let dense = history.dense_test_accuracy;
        println!(
            "{name:<10} {:>8.2}% {:>9} {:>7.1}% {kept:>7} {:>12.3e} {:>7.3} J",
            100.0 * accuracy,
            dense.map_or("–".to_string(), |d| format!("{:.2}%", 100.0 * d)),
            100.0 * sparsity,
            compute.actual as f64,
            energy_joules(compute.actual)
        );
        let _ = writeln!(
            table,
            "{name},{accuracy},{},{sparsity},{kept},{},{},{}",
            dense.map_or(String::new(), |d| d.to_string()),
            compute.actual,
            compute.dense,
            energy_joules(compute.actual)
        );
    }
    println!("({ENERGY_MODEL})");
    if let Some(dir) = &flags.out {
        output::create_dir(dir)?;
        for ((name, run), config) in runs.iter().zip(&configs) {
            let own = dir.join(name);
            output::create_dir(&own)?;
            write_run(&own, config, run)?;
        }
        output::write_file(&dir.join("compare.csv"), table.as_bytes())?;
        let histories: Vec<(String, &History)> = runs
            .iter()
            .map(|(name, run)| (name.clone(), run.history()))
            .collect();
        let charts = [
            (
                "compare_accuracy",
                views::compare_accuracy_chart(&histories),
            ),
            ("compare_kept", views::compare_kept_chart(&histories)),
            ("compare_compute", views::compare_compute_chart(&histories)),
            (
                "accuracy_vs_sparsity",
                views::compare_tradeoff_chart(&histories),
            ),
        ];
        for (file, chart) in charts {
            let svg = render_svg(800, 450, |area| draw_line_chart(area, &chart))
                .map_err(|e| CliError::failure(e.0))?;
            output::write_file(&dir.join(format!("{file}.svg")), svg.as_bytes())?;
            let png = render_png(800, 450, |area| draw_line_chart(area, &chart))
                .map_err(|e| CliError::failure(e.0))?;
            output::write_file(&dir.join(format!("{file}.png")), &png)?;
        }
    }
    Ok(())
}
