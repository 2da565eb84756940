//! `prunelab sweep`: accuracy against sparsity over strategies and seeds. Each run is the same
//! independent, deterministic `prune` run that `--plan` prints, written to OUT/runs/<run>/; the
//! sweep then collects those folders exactly as `--collect` does, so the two paths agree.

use prunelab::metrics::ENERGY_MODEL;

use crate::args::SweepArgs;
use crate::output::{self, CliError, CliResult};
use crate::prune_cmd::{execute, run_config, write_run};
use crate::sweep_chart::spreads;
use crate::sweep_collect::{collect, SweepRow};
use crate::sweep_plan::{parse_prune, plan, runs_dir, shell_line};

pub fn run(args: SweepArgs) -> CliResult<()> {
    if let Some(dir) = &args.collect {
        // With a grid on the command line, every run of it must be there (named when missing).
        let expected = if args.strategies.is_empty() {
            None
        } else {
            Some(
                plan(&args, dir)?
                    .into_iter()
                    .map(|r| r.name)
                    .collect::<Vec<_>>(),
            )
        };
        let rows = collect(dir, expected.as_deref())?;
        print_table(&rows);
        return Ok(());
    }
    let flags = &args.options.flags;
    let out = flags.out.clone().ok_or_else(|| {
        CliError::usage(
            "--out DIR is required: each run writes to DIR/runs/<run>/, the sweep to DIR/sweep.csv",
        )
    })?;
    let runs = plan(&args, &out)?;
    if args.plan {
        for run in &runs {
            println!("{}", shell_line(run));
        }
        return Ok(());
    }
    output::check_writable(flags)?;
    let existing = runs_dir(&out);
    if existing.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(CliError::usage(format!(
            "{} already holds runs; choose a new --out, or merge finished runs with --collect {}",
            existing.display(),
            out.display()
        )));
    }
    // Every run's config is built before the first one trains, so a bad setting writes nothing.
    let configs = runs
        .iter()
        .map(|r| {
            let prune = parse_prune(&r.args)?;
            run_config(prune.strategy, &prune.options).map(|c| (c, prune.options.flags))
        })
        .collect::<CliResult<Vec<_>>>()?;
    for (i, (run, (config, run_flags))) in runs.iter().zip(&configs).enumerate() {
        if !flags.quiet {
            println!("[{}/{}] {}", i + 1, runs.len(), run.name);
        }
        let finished = execute(config, run_flags, false)?;
        output::create_dir(&run.out)?;
        write_run(&run.out, config, &finished)?;
    }
    let names: Vec<String> = runs.into_iter().map(|r| r.name).collect();
    let rows = collect(&out, Some(&names))?;
    print_table(&rows);
    Ok(())
}

/// Mean, lowest and highest test accuracy over seeds, per strategy and sparsity.
fn print_table(rows: &[SweepRow]) {
    println!(
        "{:<18} {:>8} {:>9} {:>9} {:>9} {:>5}",
        "strategy", "sparsity", "mean acc", "min", "max", "seeds"
    );
    for (strategy, points) in spreads(rows) {
        for p in points {
            println!(
                "{strategy:<18} {:>7.1}% {:>8.2}% {:>8.2}% {:>8.2}% {:>5}",
                100.0 * p.sparsity,
                100.0 * p.mean,
                100.0 * p.min,
                100.0 * p.max,
                p.seeds
            );
        }
    }
    println!("(per-run kept parameters, training MACs and energy in sweep.csv; {ENERGY_MODEL})");
}
