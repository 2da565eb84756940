//! `prunelab bench`: training throughput on one thread and multiply-accumulates per sample.
//!
//! Each figure is the median of 3 timed windows of `--seconds`, after a warm-up. Only mini-batch
//! training steps are timed (the per-epoch evaluation is excluded).

use std::time::{Duration, Instant};

use prunelab::nn::{ArchSpec, OptimizerKind};
use prunelab::train::{EvalSet, LrSchedule, TrainConfig, Trainer};
use serde_json::json;

use crate::args::BenchArgs;
use crate::output::{self, CliError, CliResult};

struct Measurement {
    name: &'static str,
    params: usize,
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
    let dataset = output::dataset()?;
    let networks = [
        ("default", ArchSpec::default_cnn()),
        ("reference", ArchSpec::reference()),
    ];
    let mut results = Vec::new();
    for (name, spec) in networks {
        // The reference setting: SGD with momentum 0.9, lr 0.01, batch 32.
        let config = TrainConfig {
            epochs: 1000,
            batch_size: args.batch_size,
            learning_rate: 0.01,
            optimizer: OptimizerKind::Sgd,
            schedule: LrSchedule::Constant,
            ..TrainConfig::default()
        };
        let mut trainer =
            Trainer::new(&spec, config, dataset.clone(), EvalSet::Test).map_err(CliError::usage)?;
        time_training(&mut trainer, Duration::from_secs_f64(args.seconds.min(1.0)))?;
        let mut windows: Vec<f64> = (0..3)
            .map(|_| time_training(&mut trainer, Duration::from_secs_f64(args.seconds)))
            .collect::<CliResult<_>>()?;
        windows.sort_by(f64::total_cmp);
        results.push(Measurement {
            name,
            params: trainer.network.param_count(),
            forward_macs: trainer.network.forward_macs(),
            samples_per_sec: windows[1],
        });
        if !args.json {
            let m = results.last().expect("just pushed");
            println!(
                "{:<10} {:>6} params  {:>8} forward MACs/sample  {:>8.0} training samples/s (1 thread, batch {})",
                m.name, m.params, m.forward_macs, m.samples_per_sec, args.batch_size
            );
        }
    }
    if args.json {
        let default = &results[0];
        let networks: Vec<_> = results
            .iter()
            .map(|m| {
                json!({
                    "name": m.name,
                    "params": m.params,
                    "forward_macs_per_sample": m.forward_macs,
                    "train_samples_per_sec": m.samples_per_sec,
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
