//! The runs of a sweep as `prunelab prune` argument lists: one per strategy × sparsity × seed,
//! with every setting spelled out, so each line runs alone on any machine (GNU parallel, a Slurm
//! array, Kubernetes Jobs). The direct sweep parses these same lists, so both run the same configs.

use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use prunelab::prune::Strategy;

use crate::args::{Cli, Command, PruneArgs, PruneOptions, SweepArgs};
use crate::output::{CliError, CliResult};

/// One run of the grid.
pub struct PlannedRun {
    pub name: String,
    pub out: PathBuf,
    /// The arguments after `prunelab`.
    pub args: Vec<String>,
}

/// The folder a run writes into: `OUT/runs/<strategy>-sp<sparsity>-seed<seed>`.
pub fn runs_dir(out: &Path) -> PathBuf {
    out.join("runs")
}

/// Every run of the grid, checked: lists non-empty and without repeats, sparsities in [0, 1),
/// and each command line accepted by `prune` (so a bad setting stops the sweep before it runs).
pub fn plan(args: &SweepArgs, out: &Path) -> CliResult<Vec<PlannedRun>> {
    check_list("--strategies", &args.strategies, |s| s.name().to_string())?;
    check_list("--sparsities", &args.sparsities, |s| s.to_string())?;
    check_list("--seeds", &args.seeds, |s| s.to_string())?;
    if let Some(bad) = args.sparsities.iter().find(|s| !(0.0..1.0).contains(*s)) {
        return Err(CliError::usage(format!(
            "invalid value for --sparsities: {bad} is outside 0 to below 1 (a fraction of prunable weights, e.g. 0.9)"
        )));
    }
    if args.options.flags.export_npz.is_some() {
        return Err(CliError::usage(
            "--export-npz names one file; a sweep has many runs (each run folder holds its summary and charts)",
        ));
    }
    let mut runs = Vec::new();
    for &strategy in &args.strategies {
        for &sparsity in &args.sparsities {
            for &seed in &args.seeds {
                let name = format!("{}-sp{sparsity}-seed{seed}", strategy.name());
                let run_out = runs_dir(out).join(&name);
                let args = prune_args(strategy, sparsity, seed, &args.options, &run_out);
                parse_prune(&args)?;
                runs.push(PlannedRun {
                    name,
                    out: run_out,
                    args,
                });
            }
        }
    }
    Ok(runs)
}

/// A planned run's arguments as `prune` reads them.
pub fn parse_prune(args: &[String]) -> CliResult<PruneArgs> {
    let cli =
        Cli::try_parse_from(std::iter::once("prunelab".to_string()).chain(args.iter().cloned()))
            .map_err(|e| CliError::usage(format!("a planned run is refused: {e}")))?;
    match cli.command {
        Command::Prune(prune) => Ok(prune),
        _ => Err(CliError::failure("a planned run is not a prune command")),
    }
}

/// The command line, quoted for a POSIX shell.
pub fn shell_line(run: &PlannedRun) -> String {
    std::iter::once("prunelab".to_string())
        .chain(run.args.iter().map(|a| quote(a)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn check_list<T: PartialEq>(flag: &str, list: &[T], show: impl Fn(&T) -> String) -> CliResult<()> {
    if list.is_empty() {
        return Err(CliError::usage(format!(
            "{flag} is empty; list at least one value, comma-separated"
        )));
    }
    if let Some(twice) = list
        .iter()
        .enumerate()
        .find_map(|(i, v)| list[..i].contains(v).then_some(v))
    {
        return Err(CliError::usage(format!(
            "{flag} lists `{}` twice",
            show(twice)
        )));
    }
    Ok(())
}

/// The name clap knows a choice by.
fn choice<T: ValueEnum>(value: &T) -> String {
    value
        .to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

/// Every `prune` setting spelled out (no defaults left implicit: a later default change must
/// not change what a planned line runs).
fn prune_args(
    strategy: Strategy,
    sparsity: f64,
    seed: u64,
    o: &PruneOptions,
    out: &Path,
) -> Vec<String> {
    let f = &o.flags;
    let mut args: Vec<String> = vec!["prune".into()];
    let mut put = |flag: &str, value: String| {
        args.push(format!("--{flag}"));
        args.push(value);
    };
    put("strategy", strategy.name().to_string());
    put("target-sparsity", sparsity.to_string());
    put("seed", seed.to_string());
    put("scope", choice(&o.scope));
    put("granularity", choice(&o.granularity));
    put("schedule", choice(&o.schedule));
    put("finetune-epochs", o.finetune_epochs.to_string());
    put("pretrain-epochs", o.pretrain_epochs.to_string());
    put("prune-rate", o.prune_rate.to_string());
    put("prune-steps", o.prune_steps.to_string());
    put("tolerance", o.tolerance.to_string());
    put("rewind", choice(&o.rewind));
    put("rewind-step", o.rewind_step.to_string());
    put("regrow-interval", o.regrow_interval.to_string());
    put("regrow-fraction", o.regrow_fraction.to_string());
    put("td-gamma", o.td_gamma.to_string());
    put("td-alpha", o.td_alpha.to_string());
    if let Some(layers) = &o.layer_sparsity {
        put("layer-sparsity", layers.clone());
    }
    put("epochs", f.epochs.to_string());
    put("batch-size", f.batch_size.to_string());
    if let Some(rate) = f.learning_rate {
        put("learning-rate", rate.to_string());
    }
    put("optimizer", choice(&f.optimizer));
    put("momentum", f.momentum.to_string());
    put("lr-schedule", choice(&f.lr_schedule));
    put("l1", f.l1.to_string());
    put("l2", f.l2.to_string());
    put("dropout", f.dropout.to_string());
    match &f.arch_json {
        Some(path) => put("arch-json", path.display().to_string()),
        None => put("arch", f.arch.clone()),
    }
    if let Some(path) = &f.init_npz {
        put("init-npz", path.display().to_string());
    }
    put("out", out.display().to_string());
    if o.keep_output_layer {
        args.push("--keep-output-layer".into());
    }
    if f.validation {
        args.push("--validation".into());
    }
    args.push("--quiet".into());
    args
}
