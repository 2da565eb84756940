//! `prunelab bench`: training throughput on one thread and multiply-accumulates per sample.
//!
//! Each figure is the median of 3 timed windows of `--seconds`, after a warm-up. Only mini-batch
//! training steps are timed (the per-epoch evaluation is excluded).

use std::time::Instant;

use prunelab::metrics::throughput::measure_training;
use prunelab::nn::ArchSpec;
use serde_json::json;

use crate::args::BenchArgs;
use crate::bench_structured;
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
    if let Some(bad) = args.structured.iter().find(|s| !(0.0..1.0).contains(*s)) {
        return Err(CliError::usage(format!(
            "--structured {bad} is out of range; allowed: 0 to below 1"
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
    for (name, spec) in &networks {
        for &sparsity in &sparsities {
            let measurement = measure(name, spec, sparsity, &args, dataset.clone())?;
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
    let structured = bench_structured::run(&networks, &args, &dataset)?;
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
        let mut report = json!({
            "network": default.name,
            "train_samples_per_sec": default.samples_per_sec,
            "forward_macs_per_sample": default.forward_macs,
            "batch_size": args.batch_size,
            "threads": 1,
            "networks": networks,
        });
        if !structured.is_empty() {
            report["structured"] = structured.into();
        }
        println!("{report}");
    }
    Ok(())
}

/// Median training throughput of `spec` with random masks at `sparsity` in every prunable layer
/// (the core's `metrics::throughput`, timed with the system clock).
fn measure(
    name: &'static str,
    spec: &ArchSpec,
    sparsity: f64,
    args: &BenchArgs,
    dataset: std::sync::Arc<prunelab::data::Dataset>,
) -> CliResult<Measurement> {
    let start = Instant::now();
    let mut now = || start.elapsed().as_secs_f64();
    let t = measure_training(
        spec,
        sparsity,
        args.batch_size,
        dataset,
        args.seconds,
        &mut now,
    )
    .map_err(CliError::usage)?;
    Ok(Measurement {
        name,
        sparsity,
        params: t.params,
        kept: t.kept_params,
        forward_macs: t.forward_macs_per_sample,
        samples_per_sec: t.train_samples_per_sec,
    })
}
