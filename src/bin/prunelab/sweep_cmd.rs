//! `prunelab sweep`: accuracy against sparsity over strategies and seeds. Each run is the same
//! independent, deterministic `prune` run that `--plan` prints, written to OUT/runs/<run>/ (runs
//! that share their dense pre-training train it once and fork, bit for bit the same); the
//! sweep then collects those folders exactly as `--collect` does, so the two paths agree.

use prunelab::metrics::ENERGY_MODEL;
use prunelab::run::sweep::SweepRunner;
use prunelab::run::views::{spreads, SweepRow};
use prunelab::run::{PruningRun, RunConfig};

use crate::args::SweepArgs;
use crate::output::{self, CliError, CliResult};
use crate::prune_cmd::{run_config, starting_network, write_run};
use crate::sweep_collect::collect;
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
    // Runs that share their dense pre-training train it once and fork (core `run::sweep`):
    // each run is still the one its planned line gives, bit for bit.
    let mut starts = Vec::new();
    for (config, run_flags) in &configs {
        if !starts.iter().any(|(seed, _)| *seed == config.train.seed) {
            starts.push((config.train.seed, starting_network(config, run_flags)?));
        }
    }
    let dataset = output::dataset()?;
    let start = |config: &RunConfig| {
        let (_, network) = starts
            .iter()
            .find(|(seed, _)| *seed == config.train.seed)
            .expect("a starting network for every seed");
        PruningRun::with_network(config.clone(), dataset.clone(), network.clone_parameters())
    };
    let plain: Vec<RunConfig> = configs.iter().map(|(c, _)| c.clone()).collect();
    let mut runner = SweepRunner::new(plain, start);
    let mut written = 0;
    while let Some(result) = runner.next_run() {
        let (points, finished) = result.map_err(CliError::failure)?;
        for i in points {
            written += 1;
            if !flags.quiet {
                println!("[{written}/{}] {}", runs.len(), runs[i].name);
            }
            output::create_dir(&runs[i].out)?;
            write_run(&runs[i].out, &configs[i].0, &finished)?;
        }
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
