//! `prunelab bench`: training throughput on one thread and multiply-accumulates per sample.
//!
//! Each figure is the median of 3 timed windows of `--seconds`, after a warm-up. Only mini-batch
//! training steps are timed (the per-epoch evaluation is excluded).

use std::time::{Duration, Instant};

use prunelab::nn::{ArchSpec, OptimizerKind};
use prunelab::train::{seeded_rng, EvalSet, LrSchedule, TrainConfig, Trainer};
use rand::Rng;
use serde_json::json;

use crate::args::BenchArgs;
use crate::output::{self, CliError, CliResult};

struct Measurement {
    name: &'static str,
    sparsity: f64,
    params: usize,
    kept: usize,
    forward_macs: u64,
    samples_per_sec: f64,
}

pub fn run(args: BenchArgs) -> CliResult<()> {
    if !(args.seconds.is_finite() && args.seconds > 0.0 && args.seconds <= 600.0) {
        return Err(CliError::usage(format!(
            "--seconds {} is out of range; allowed: above 0, at most 600",
            args.seconds
        )));
    }
    if let Some(bad) = args.sparsities.iter().find(|s| !(0.0..1.0).contains(*s)) {
        return Err(CliError::usage(format!(
            "--sparsities {bad} is out of range; allowed: 0 to below 1"
        )));
    }
    let dataset = output::dataset()?;
    let networks = [
        ("default", ArchSpec::default_cnn()),
        ("reference", ArchSpec::reference()),
    ];
    let mut results = Vec::new();
    let sparsities: Vec<f64> = std::iter::once(0.0)
        .chain(args.sparsities.iter().copied())
        .collect();
    for (name, spec) in networks {
        for &sparsity in &sparsities {
            let measurement = measure(name, &spec, sparsity, &args, dataset.clone())?;
            if !args.json {
                println!(
                    "{:<10} sparsity {:>4.0}%  {:>6} of {:>6} params  {:>8} forward MACs/sample  {:>8.0} training samples/s (1 thread, batch {})",
                    measurement.name,
                    100.0 * measurement.sparsity,
                    measurement.kept,
                    measurement.params,
                    measurement.forward_macs,
                    measurement.samples_per_sec,
                    args.batch_size
                );
            }
            results.push(measurement);
        }
    }
    if args.json {
        let default = &results[0];
        let dense = |name: &str| results.iter().find(|m| m.name == name && m.sparsity == 0.0);
        let networks: Vec<_> = results
            .iter()
            .map(|m| {
                let dense_rate = dense(m.name).map_or(m.samples_per_sec, |d| d.samples_per_sec);
                json!({
                    "name": m.name,
                    "sparsity": m.sparsity,
                    "params": m.params,
                    "kept_params": m.kept,
                    "forward_macs_per_sample": m.forward_macs,
                    "train_samples_per_sec": m.samples_per_sec,
                    "epoch_time_vs_dense": dense_rate / m.samples_per_sec,
                })
            })
            .collect();
        let report = json!({
            "network": default.name,
            "train_samples_per_sec": default.samples_per_sec,
            "forward_macs_per_sample": default.forward_macs,
            "batch_size": args.batch_size,
            "threads": 1,
            "networks": networks,
        });
        println!("{report}");
    }
    Ok(())
}

/// Median training throughput of `spec` with random masks at `sparsity` in every prunable layer.
fn measure(
    name: &'static str,
    spec: &ArchSpec,
    sparsity: f64,
    args: &BenchArgs,
    dataset: std::sync::Arc<prunelab::data::Dataset>,
) -> CliResult<Measurement> {
    // The reference setting: SGD with momentum 0.9, lr 0.01.
    let config = TrainConfig {
        epochs: 1000,
        batch_size: args.batch_size,
        learning_rate: 0.01,
        optimizer: OptimizerKind::Sgd,
        schedule: LrSchedule::Constant,
        ..TrainConfig::default()
    };
    let mut trainer =
        Trainer::new(spec, config, dataset, EvalSet::Test).map_err(CliError::usage)?;
    let mut rng = seeded_rng(17, 5);
    for param in trainer.network.params_mut().filter(|p| p.is_prunable()) {
        let keep = (0..param.len())
            .map(|_| rng.gen::<f64>() >= sparsity)
            .collect();
        param.set_mask(keep);
    }
    time_training(&mut trainer, Duration::from_secs_f64(args.seconds.min(1.0)))?;
    let mut windows: Vec<f64> = (0..3)
        .map(|_| time_training(&mut trainer, Duration::from_secs_f64(args.seconds)))
        .collect::<CliResult<_>>()?;
    windows.sort_by(f64::total_cmp);
    Ok(Measurement {
        name,
        sparsity,
        params: trainer.network.param_count(),
        kept: trainer.network.kept_param_count(),
        forward_macs: trainer.network.forward_macs(),
        samples_per_sec: windows[1],
    })
}

/// Trains until `window` of pure training time has passed; returns samples per second.
fn time_training(trainer: &mut Trainer, window: Duration) -> CliResult<f64> {
    let (mut spent, mut samples) = (Duration::ZERO, 0usize);
    let batch = trainer.config().batch_size;
    while spent < window {
        let started = Instant::now();
        let (_, epoch_end) = trainer.train_batch().map_err(CliError::failure)?;
        // The last batch of an epoch also runs the evaluation: leave it out.
        if epoch_end.is_none() {
            spent += started.elapsed();
            samples += batch;
        }
    }
    Ok(samples as f64 / spent.as_secs_f64())
}
