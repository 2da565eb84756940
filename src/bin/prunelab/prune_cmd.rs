//! `prunelab prune`: dense training (or loaded weights) → score → prune to the target → fine-tune,
//! with the accuracy before and after and the training compute it all cost.

use std::fmt::Write as _;

use prunelab::metrics::{energy_joules, ComputeCounter, ENERGY_MODEL};
use prunelab::nn::Network;
use prunelab::prune::schedule::SparsitySchedule;
use prunelab::prune::select::{amount_for_target, prune_by_amount};
use prunelab::prune::{self, Scope, Strategy};
use prunelab::train::{seeded_rng, EvalSet, TrainConfig, Trainer};
use serde_json::json;

use crate::args::{GranularityArg, PruneArgs, PruneScheduleArg, ScopeArg};
use crate::output::{self, CliError, CliResult};
use crate::run_charts::{self, ChartPoint};

/// One row of history.csv.
struct Record {
    phase: &'static str,
    step: u64,
    loss: f32,
    test_accuracy: f32,
    kept: usize,
    sparsity: f64,
    compute: ComputeCounter,
}

pub fn run(args: PruneArgs) -> CliResult<()> {
    let strategy = Strategy::parse(&args.strategy).map_err(CliError::usage)?;
    prune::validate_target(args.target_sparsity).map_err(CliError::usage)?;
    if !matches!(
        args.schedule,
        PruneScheduleArg::OneShot | PruneScheduleArg::Iterative | PruneScheduleArg::Gradual
    ) {
        return Err(CliError::usage(format!(
            "--schedule {:?} is not implemented yet; available now: one-shot, iterative, gradual",
            args.schedule
        )));
    }
    if !matches!(args.schedule, PruneScheduleArg::OneShot) && args.finetune_epochs == 0 {
        return Err(CliError::usage("--schedule iterative and gradual prune during training: give --finetune-epochs 1 or more"));
    }
    if matches!(args.granularity, GranularityArg::Filter) {
        return Err(CliError::usage(
            "--granularity filter is not implemented yet; available now: weight",
        ));
    }
    if !(args.tolerance.is_finite() && args.tolerance >= 0.0) {
        return Err(CliError::usage(format!(
            "--tolerance {} is out of range; allowed: 0 or more",
            args.tolerance
        )));
    }
    let flags = &args.flags;
    let (spec, config) = output::settings(flags)?;
    output::check_writable(flags)?;
    let mut network = Network::new(&spec).map_err(CliError::usage)?;
    network.initialize(&mut seeded_rng(config.seed, 1));
    if let Some(path) = &flags.init_npz {
        output::load_init(&spec, &mut network, path)?;
    }
    let scope = match args.scope {
        ScopeArg::Layer => Scope::Layer,
        ScopeArg::Global => Scope::Global,
    };
    let dataset = output::dataset()?;
    let mut compute = ComputeCounter::default();
    let mut records = Vec::new();

    // 1. Dense training.
    let pretrain = TrainConfig {
        epochs: args.pretrain_epochs.max(1),
        ..config.clone()
    };
    let mut trainer = Trainer::with_network(network, pretrain, dataset.clone(), EvalSet::Test)
        .map_err(CliError::usage)?;
    if args.pretrain_epochs > 0 {
        train_epochs(&mut trainer, &mut compute, &mut records, "train", 0)?;
    }
    let pretrain_steps = trainer.step();
    let test = trainer.split().test.clone();
    let dense = trainer.evaluate(&test);
    println!(
        "dense: test accuracy {:.2}%, {} parameters",
        100.0 * dense.accuracy,
        trainer.network.param_count()
    );

    // 2. The pruning phase: a fresh learning-rate schedule and optimiser state; the sparsity
    //    schedule says when to prune and how far (one-shot: everything before the first step).
    if args.finetune_epochs > 0 {
        let finetune = TrainConfig {
            epochs: args.finetune_epochs,
            seed: config.seed.wrapping_add(1),
            ..config.clone()
        };
        trainer = Trainer::with_network(trainer.network, finetune, dataset, EvalSet::Test)
            .map_err(CliError::usage)?;
    }
    // Steps are recorded on one clock for the whole run; the pruning phase's trainer counts from 0.
    let offset = if args.finetune_epochs > 0 {
        pretrain_steps
    } else {
        0
    };
    let phase_steps = trainer.planned_steps();
    let schedule = sparsity_schedule(&args, phase_steps);
    schedule.validate().map_err(CliError::usage)?;
    let pruning = Pruning {
        strategy,
        scope,
        keep_output_layer: args.keep_output_layer,
    };
    let mut pruned_accuracy = None;
    let start_step = trainer.step();
    loop {
        let phase_step = trainer.step() - start_step;
        if let Some(target) = schedule.target_at(phase_step) {
            let indices = trainer.training_indices().to_vec();
            let dataset = trainer.dataset().clone();
            let context = prune::ScoreContext {
                dataset: &dataset,
                training_indices: &indices,
                batch_size: config.batch_size,
                batches: 4,
                seed: config.seed,
            };
            pruning.prune_to(&mut trainer.network, target, &context)?;
            let evaluation = trainer.evaluate(&test);
            pruned_accuracy.get_or_insert(evaluation.accuracy);
            println!(
                "pruned to {:>5.1}% sparsity at step {phase_step}: test accuracy {:.2}%",
                100.0 * prune::sparsity(&trainer.network),
                100.0 * evaluation.accuracy
            );
            records.push(Record {
                phase: "prune",
                step: offset + trainer.step(),
                loss: evaluation.loss,
                test_accuracy: evaluation.accuracy,
                kept: trainer.network.kept_param_count(),
                sparsity: prune::sparsity(&trainer.network),
                compute,
            });
        }
        if args.finetune_epochs == 0 || trainer.is_finished() {
            break;
        }
        train_batch(
            &mut trainer,
            &mut compute,
            &mut records,
            "fine_tune",
            offset,
        )?;
    }
    let pruned = pruned_accuracy.unwrap_or(dense.accuracy);
    let last = trainer.evaluate(&test);
    let network = &trainer.network;
    let energy = energy_joules(compute.actual);
    println!(
        "final: test accuracy {:.2}% (dense {:.2}%), {} of {} parameters kept, sparsity {:.1}%",
        100.0 * last.accuracy,
        100.0 * dense.accuracy,
        network.kept_param_count(),
        network.param_count(),
        100.0 * prune::sparsity(network)
    );
    println!(
        "training compute: {:.3e} MACs (dense equivalent {:.3e}); {:.3} J — {ENERGY_MODEL}",
        compute.actual as f64, compute.dense as f64, energy
    );

    if let Some(dir) = &flags.out {
        output::create_dir(dir)?;
        let mut csv = String::from("step,phase,loss,test_accuracy,kept_params,sparsity,train_macs_actual,train_macs_dense\n");
        for r in &records {
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{}",
                r.step,
                r.phase,
                r.loss,
                r.test_accuracy,
                r.kept,
                r.sparsity,
                r.compute.actual,
                r.compute.dense
            );
        }
        output::write_file(&dir.join("history.csv"), csv.as_bytes())?;
        let points: Vec<ChartPoint> = records
            .iter()
            .map(|r| ChartPoint {
                step: r.step,
                phase: r.phase,
                test_accuracy: r.test_accuracy,
                kept: r.kept,
                macs_actual: r.compute.actual,
                macs_dense: r.compute.dense,
            })
            .collect();
        run_charts::write(dir, &points)?;
        let summary = json!({
            "test_accuracy": last.accuracy,
            "dense_test_accuracy": dense.accuracy,
            "pruned_test_accuracy_before_finetune": pruned,
            "sparsity": prune::sparsity(network),
            "total_params": network.param_count(),
            "kept_params": network.kept_param_count(),
            "train_macs_dense": compute.dense,
            "train_macs_actual": compute.actual,
            "energy_joules_estimate": energy,
            "energy_model": ENERGY_MODEL,
            "strategy": strategy.name(),
            "scope": scope,
            "schedule": schedule,
            "target_sparsity": args.target_sparsity,
            "pretrain_epochs": args.pretrain_epochs,
            "finetune_epochs": args.finetune_epochs,
            "epochs": args.pretrain_epochs + args.finetune_epochs,
            "seed": config.seed,
            "architecture": spec,
            "config": config,
        });
        let text = serde_json::to_string_pretty(&summary).map_err(CliError::failure)?;
        output::write_file(&dir.join("summary.json"), text.as_bytes())?;
    }
    if let Some(path) = &flags.export_npz {
        output::export_npz(network, path)?;
    }
    Ok(())
}

/// Trains all planned epochs, counting compute per batch and recording each epoch.
fn train_epochs(
    trainer: &mut Trainer,
    compute: &mut ComputeCounter,
    records: &mut Vec<Record>,
    phase: &'static str,
    offset: u64,
) -> CliResult<()> {
    while !trainer.is_finished() {
        train_batch(trainer, compute, records, phase, offset)?;
    }
    Ok(())
}

/// One mini-batch, its compute counted with the current masks; an epoch end is printed and recorded
/// at step `offset` + the trainer's own step.
fn train_batch(
    trainer: &mut Trainer,
    compute: &mut ComputeCounter,
    records: &mut Vec<Record>,
    phase: &'static str,
    offset: u64,
) -> CliResult<()> {
    let (batch, epoch) = trainer.train_batch().map_err(CliError::failure)?;
    // The last batch of an epoch may be short.
    let batch_size = trainer.config().batch_size;
    let examples = (trainer.training_indices().len() - batch.batch * batch_size).min(batch_size);
    compute.add_batch(&trainer.network, examples);
    if let Some(epoch) = epoch {
        println!(
            "{phase:<9} epoch {:>3}  loss {:.4}  test acc {:.2}%",
            epoch.epoch,
            epoch.train_loss,
            100.0 * epoch.eval_accuracy
        );
        records.push(Record {
            phase,
            step: offset + epoch.step,
            loss: epoch.train_loss,
            test_accuracy: epoch.eval_accuracy,
            kept: trainer.network.kept_param_count(),
            sparsity: prune::sparsity(&trainer.network),
            compute: *compute,
        });
    }
    Ok(())
}

/// The schedule named by the flags, its pruning spread over the first half of the pruning phase.
fn sparsity_schedule(args: &PruneArgs, phase_steps: u64) -> SparsitySchedule {
    let target = args.target_sparsity;
    let half = (phase_steps / 2).max(1);
    match args.schedule {
        PruneScheduleArg::Iterative => {
            let rate = args.prune_rate;
            // Pruning steps needed to reach the target: 1 − (1 − rate)^k ≥ target.
            let needed = if rate > 0.0 && rate < 1.0 {
                ((1.0 - target).ln() / (1.0 - rate).ln()).ceil().max(1.0)
            } else {
                1.0
            };
            SparsitySchedule::Iterative {
                target,
                rate,
                interval: (half / needed as u64).max(1),
            }
        }
        PruneScheduleArg::Gradual => {
            let steps = args.prune_steps.max(1);
            SparsitySchedule::Gradual {
                initial: 0.0,
                target,
                start: 0,
                interval: (half / steps).max(1),
                steps,
            }
        }
        _ => SparsitySchedule::OneShot { target },
    }
}

/// Everything needed to prune a network to a given sparsity.
struct Pruning {
    strategy: Strategy,
    scope: Scope,
    keep_output_layer: bool,
}

impl Pruning {
    /// Scores the current weights and prunes the lowest-scoring kept ones until `target` is reached.
    fn prune_to(
        &self,
        network: &mut Network,
        target: f64,
        context: &prune::ScoreContext<'_>,
    ) -> CliResult<()> {
        let masks: Vec<Vec<bool>> = network
            .params()
            .filter_map(|p| p.mask().map(<[bool]>::to_vec))
            .collect();
        let scores = self
            .strategy
            .scores(network, context)
            .map_err(CliError::failure)?;
        let mut skip = vec![false; masks.len()];
        if self.keep_output_layer {
            if let Some(last) = skip.last_mut() {
                *last = true;
            }
        }
        let amount = amount_for_target(&masks, target);
        let selection = prune_by_amount(&masks, &scores, amount, self.scope, &skip, 1);
        for &t in &selection.guarded {
            eprintln!(
                "note: layer {} kept its last weight (the guard against layer collapse bound)",
                t + 1
            );
        }
        let mut new_masks = selection.masks.into_iter();
        for param in network.params_mut().filter(|p| p.is_prunable()) {
            if let Some(mask) = new_masks.next() {
                param.set_mask(mask);
            }
        }
        Ok(())
    }
}
