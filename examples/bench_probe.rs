//! The training step `prunelab bench` times (bundled digits, SGD with momentum, random masks), timed
//! one step at a time so that a noisy machine still gives a usable figure: prints the 10th
//! percentile of the step times as samples/s. NETWORK=default|reference, SPARSITY=0.9, STEPS=3000.
use std::sync::Arc;
use std::time::Instant;

use prunelab::data::Dataset;
use prunelab::metrics::throughput::benchmark_trainer;
use prunelab::nn::ArchSpec;

fn main() {
    let name = std::env::var("NETWORK").unwrap_or_else(|_| "default".into());
    let sparsity: f64 = std::env::var("SPARSITY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.9);
    let steps: usize = std::env::var("STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let spec = ArchSpec::preset(&name).expect("known preset");
    // The file the site fetches (the native build's `data::bundled` is compiled out of wasm).
    let bytes = include_bytes!("../www/data/mnist-10k.bin.gz");
    let dataset = Dataset::from_bytes(bytes).expect("bundled digits");
    let mut trainer =
        benchmark_trainer(&spec, sparsity, 32, Arc::new(dataset)).expect("valid settings");
    let mut times = Vec::with_capacity(steps);
    for step in 0..steps + 200 {
        let started = Instant::now();
        let (_, epoch_end) = trainer.train_batch().expect("trains");
        let seconds = started.elapsed().as_secs_f64();
        if step >= 200 && epoch_end.is_none() {
            times.push(seconds);
        }
    }
    times.sort_by(f64::total_cmp);
    let fast = times[times.len() / 10];
    let median = times[times.len() / 2];
    println!(
        "{name} {:.0}%: {:.0} samples/s (p10), {:.0} (median)",
        sparsity * 100.0,
        32.0 / fast,
        32.0 / median
    );
}
