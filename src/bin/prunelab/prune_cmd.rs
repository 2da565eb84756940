//! `prunelab prune`: dense training (or loaded weights) → pruning steps during fine-tuning →
//! summary, history, charts and weights. The run itself is the core's [`PruningRun`], the same
//! state machine the browser steps; this file maps flags to its config and its record to files.

use prunelab::metrics::{energy_joules, ENERGY_MODEL};
use prunelab::nn::{compact, Network};
use prunelab::prune::layer_targets::{self, LayerTarget};
use prunelab::prune::{self, Scope, Strategy};
use prunelab::run::history::Phase;
use prunelab::run::views;
use prunelab::run::{PruneSettings, PruningRun, RunConfig, ScheduleKind, StepOutcome};
use prunelab::train::seeded_rng;
use serde_json::json;

use std::path::Path;

use crate::args::{PruneArgs, PruneOptions, ScheduleChoice, TrainingFlags};
use crate::output::{self, CliError, CliResult};
use crate::run_charts;

pub fn run(args: PruneArgs) -> CliResult<()> {
    let config = run_config(args.strategy, &args.options)?;
    let flags = &args.options.flags;
    output::check_writable(flags)?;
    let run = execute(&config, flags, !flags.quiet)?;
    report(&config, &run);
    if let Some(dir) = &flags.out {
        output::create_dir(dir)?;
        write_run(dir, &config, &run)?;
    }
    if let Some(path) = &flags.export_npz {
        output::export_npz(run.network(), path)?;
    }
    Ok(())
}

/// Builds the run (seeded initial weights, or `--init-npz`) and steps it to the end.
pub fn execute(config: &RunConfig, flags: &TrainingFlags, verbose: bool) -> CliResult<PruningRun> {
    let network = starting_network(config, flags)?;
    let dataset = output::dataset()?;
    let mut run =
        PruningRun::with_network(config.clone(), dataset, network).map_err(CliError::usage)?;
    let mut printed_evals = 0;
    loop {
        let outcome = run.step().map_err(CliError::failure)?;
        if verbose {
            printed_evals = print_new(&run, printed_evals, outcome);
        }
        if outcome == StepOutcome::Finished {
            return Ok(run);
        }
    }
}

/// The run's starting weights: seeded from `config.train.seed`, or loaded from `--init-npz`.
pub fn starting_network(config: &RunConfig, flags: &TrainingFlags) -> CliResult<Network> {
    let mut network = Network::new(&config.architecture).map_err(CliError::usage)?;
    network.initialize(&mut seeded_rng(config.train.seed, 1));
    if let Some(path) = &flags.init_npz {
        output::load_init(&config.architecture, &mut network, path)?;
    }
    Ok(network)
}

/// The final lines: accuracy, kept parameters, compute and energy, rollbacks, an unreached target.
fn report(config: &RunConfig, run: &PruningRun) {
    let history = run.history();
    let Some(last) = history.records.evals.last() else {
        return;
    };
    let network = run.network();
    let compute = run.compute();
    let dense_text = history
        .dense_test_accuracy
        .map_or(String::new(), |d| format!(" (dense {:.2}%)", 100.0 * d));
    println!(
        "final: test accuracy {:.2}%{dense_text}, {} of {} parameters kept, sparsity {:.1}%",
        100.0 * last.test_accuracy,
        network.kept_param_count(),
        network.param_count(),
        100.0 * prune::sparsity(network)
    );
    println!(
        "training compute: {:.3e} MACs (dense equivalent {:.3e}); {:.3} J — {ENERGY_MODEL}",
        compute.actual as f64,
        compute.dense as f64,
        energy_joules(compute.actual)
    );
    if let Ok(compacted) = compact(network) {
        if compacted.params_after < compacted.params_before {
            println!(
                "compacted (whole units removed): {} parameters, {} forward MACs per sample (dense {})",
                compacted.params_after,
                compacted.network.dense_forward_macs(),
                network.dense_forward_macs()
            );
        }
    }
    let rolled_back = history
        .records
        .events
        .iter()
        .filter(|e| !e.accepted)
        .count();
    if rolled_back > 0 {
        println!("{rolled_back} pruning step(s) rolled back (held-out loss rose by more than the tolerance)");
    }
    let reached = prune::sparsity(network);
    let target = config.prune.target_sparsity;
    if !config.prune.layer_targets.is_empty() && rolled_back == 0 {
        if (reached - target).abs() > 0.005 {
            println!(
                "note: with --layer-sparsity the sparsity is {:.1}% (target {:.1}%): {}",
                100.0 * reached,
                100.0 * target,
                layer_sparsity_reason(config.prune.scope, reached > target)
            );
        }
        return;
    }
    if reached + 0.005 < target {
        println!(
            "note: the target sparsity {:.1}% was not reached ({:.1}%): {}",
            100.0 * target,
            100.0 * reached,
            if rolled_back > 0 {
                "every further chunk hurt the held-out loss more than --tolerance allows"
            } else {
                "the schedule ended first"
            }
        );
    }
}

/// Why overrides moved the total away from the target.
fn layer_sparsity_reason(scope: Scope, above: bool) -> &'static str {
    match (scope, above) {
        (Scope::Layer, _) => {
            "with --scope layer the listed layers keep their own sparsity and the others follow the target"
        }
        (Scope::Global, true) => "the listed layers alone prune more than the target",
        (Scope::Global, false) => {
            "the other layers cannot make up the difference (each keeps at least one weight, the output layer may be left alone)"
        }
    }
}

/// `DIR/history.csv`, `DIR/summary.json`, `DIR/card.json` (the results card) and the run's charts.
pub fn write_run(dir: &Path, config: &RunConfig, run: &PruningRun) -> CliResult<()> {
    let history = run.history();
    let last = history
        .records
        .evals
        .last()
        .ok_or_else(|| CliError::failure("the run recorded no evaluation"))?;
    let network = run.network();
    let compute = run.compute();
    output::write_file(
        &dir.join("history.csv"),
        prunelab::run::export::history_csv(history).as_bytes(),
    )?;
    run_charts::write(dir, history)?;
    let first_prune = history
        .records
        .evals
        .iter()
        .find(|e| e.phase == Phase::Prune);
    // The physically shrunk network: whole units pruned away (same logits; see nn::compact).
    let compacted = compact(network).map_err(CliError::failure)?;
    let summary = json!({
        "test_accuracy": last.test_accuracy,
        "test_loss": last.test_loss,
        "dense_test_accuracy": history.dense_test_accuracy,
        "pruned_test_accuracy_before_finetune": first_prune.map(|e| e.test_accuracy),
        "sparsity": prune::sparsity(network),
        "total_params": network.param_count(),
        "kept_params": network.kept_param_count(),
        "compact_params": compacted.params_after,
        "compact_forward_macs": compacted.network.dense_forward_macs(),
        "train_macs_dense": compute.dense,
        "train_macs_actual": compute.actual,
        "energy_joules_estimate": energy_joules(compute.actual),
        "energy_model": ENERGY_MODEL,
        "pruning_steps": history.records.events.iter().filter(|e| e.accepted).count(),
        "rolled_back_steps": history.records.events.iter().filter(|e| !e.accepted).count(),
        "strategy": config.prune.strategy.name(),
        "scope": config.prune.scope,
        "schedule": config.prune.schedule.name(),
        "target_sparsity": config.prune.target_sparsity,
        "pretrain_epochs": config.prune.pretrain_epochs,
        "finetune_epochs": config.prune.finetune_epochs,
        "epochs": config.prune.pretrain_epochs + config.prune.finetune_epochs,
        "seed": config.train.seed,
        "architecture": config.architecture,
        "config": config,
    });
    let text = serde_json::to_string_pretty(&summary).map_err(CliError::failure)?;
    output::write_file(&dir.join("summary.json"), text.as_bytes())?;
    // The page's results card, dense vs pruned (times are measured in the browser only).
    let card = views::results_card(&views::card_title(config), history, None);
    let text = serde_json::to_string_pretty(&card).map_err(CliError::failure)?;
    output::write_file(&dir.join("card.json"), text.as_bytes())
}

/// The run's settings from the flags; refused combinations exit with code 2.
pub fn run_config(strategy: Strategy, args: &PruneOptions) -> CliResult<RunConfig> {
    let schedule = match args.schedule {
        ScheduleChoice::Kind(kind) => kind,
        // Dynamic sparse training is chosen by its strategy (set, rigl); the schedule name says so.
        ScheduleChoice::Dynamic => {
            if !strategy.is_dynamic() {
                return Err(CliError::usage(
                    "--schedule dynamic needs --strategy set or rigl (sparse from step 0, drop and regrow)",
                ));
            }
            ScheduleKind::OneShot
        }
    };
    let (architecture, train) = output::settings(&args.flags)?;
    let config = RunConfig {
        architecture,
        train,
        prune: PruneSettings {
            strategy,
            scope: args.scope,
            granularity: args.granularity,
            schedule,
            target_sparsity: args.target_sparsity,
            pretrain_epochs: args.pretrain_epochs,
            finetune_epochs: args.finetune_epochs,
            prune_rate: args.prune_rate,
            prune_steps: args.prune_steps,
            tolerance: args.tolerance,
            keep_output_layer: args.keep_output_layer,
            rewind: args.rewind,
            rewind_step: args.rewind_step,
            regrow_interval: args.regrow_interval,
            regrow_fraction: args.regrow_fraction,
            td_gamma: args.td_gamma,
            td_alpha: args.td_alpha,
            layer_targets: match &args.layer_sparsity {
                Some(text) => parse_layer_sparsity(text)?,
                None => Vec::new(),
            },
            ..PruneSettings::default()
        },
        ..RunConfig::default()
    };
    config.validate().map_err(|e| match e {
        // Name the flag the user typed rather than the config field behind it.
        prunelab::Error::InvalidSetting { field, message } => CliError::usage(format!(
            "invalid value for --{}: {message}",
            flag_of(&field)
        )),
        other => CliError::usage(other),
    })?;
    Ok(config)
}

/// The flag behind a config field (most are the field's name with dashes).
fn flag_of(field: &str) -> String {
    match field {
        layer_targets::FIELD => "layer-sparsity".to_string(),
        other => other.replace('_', "-"),
    }
}

/// `conv1=0.3,fc1=0.9` → overrides; names and ranges are checked by `RunConfig::validate`.
fn parse_layer_sparsity(text: &str) -> CliResult<Vec<LayerTarget>> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let parsed = pair.split_once('=').and_then(|(layer, sparsity)| {
                let sparsity = sparsity.trim().parse::<f64>().ok()?;
                Some(LayerTarget {
                    layer: layer.trim().to_string(),
                    sparsity,
                })
            });
            parsed.ok_or_else(|| {
                CliError::usage(format!(
                    "invalid value for --layer-sparsity: cannot read `{pair}`; write LAYER=SPARSITY pairs separated by commas, e.g. conv1=0.3,fc1=0.9"
                ))
            })
        })
        .collect()
}

/// Prints what happened since the last call: epoch ends and pruning steps.
fn print_new(run: &PruningRun, printed: usize, outcome: StepOutcome) -> usize {
    let history = run.history();
    if outcome == StepOutcome::PhaseChanged {
        if let Some(dense) = history.dense_test_accuracy {
            println!(
                "dense: test accuracy {:.2}%, {} parameters",
                100.0 * dense,
                run.network().param_count()
            );
        }
    }
    if matches!(outcome, StepOutcome::Pruned | StepOutcome::RolledBack) {
        if let (Some(event), Some(eval)) =
            (history.records.events.last(), history.records.evals.last())
        {
            let verb = if event.accepted {
                "pruned to"
            } else {
                "rolled back a step to"
            };
            println!(
                "{verb} {:>5.1}% sparsity at step {}: test accuracy {:.2}%",
                100.0 * event.sparsity_after,
                event.step,
                100.0 * eval.test_accuracy
            );
        }
    }
    for eval in &history.records.evals[printed..] {
        if eval.epoch.fract() == 0.0
            && eval.epoch > 0.0
            && matches!(eval.phase, Phase::Train | Phase::FineTune)
        {
            println!(
                "{:<9} epoch {:>3}  loss {:.4}  test acc {:.2}%",
                eval.phase.name(),
                eval.epoch as u32,
                eval.train_loss.unwrap_or(eval.test_loss),
                100.0 * eval.test_accuracy
            );
        }
    }
    history.records.evals.len()
}
