//! Training throughput, measured the same way natively (`prunelab bench`) and in the browser
//! (the bench page's worker): SGD with momentum 0.9, lr 0.01, random masks at a given sparsity in
//! every prunable layer, a warm-up window, then the median of 3 timed windows. Only mini-batch steps
//! are timed (the end-of-epoch evaluation is left out). The core never reads a clock: the caller
//! passes one (`now()` in seconds).

use std::sync::Arc;

use rand::Rng;

use crate::data::Dataset;
use crate::nn::{ArchSpec, Network, OptimizerKind};
use crate::train::{seeded_rng, EvalSet, LrSchedule, TrainConfig, Trainer};
use crate::Result;

/// One measurement.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Throughput {
    pub sparsity: f64,
    pub params: usize,
    pub kept_params: usize,
    pub forward_macs_per_sample: u64,
    pub train_samples_per_sec: f64,
}

/// Median training samples/s of `spec` at `sparsity` over 3 windows of `window_seconds`.
pub fn measure_training(
    spec: &ArchSpec,
    sparsity: f64,
    batch_size: usize,
    dataset: Arc<Dataset>,
    window_seconds: f64,
    now: &mut dyn FnMut() -> f64,
) -> Result<Throughput> {
    let mut trainer = benchmark_trainer(spec, sparsity, batch_size, dataset)?;
    let mut measured = measure_trainer(&mut trainer, window_seconds, now)?;
    measured.sparsity = sparsity;
    Ok(measured)
}

/// The trainer [`measure_training`] times: `spec` from the default seed, random masks at
/// `sparsity` in every prunable layer, SGD with momentum (examples/bench_probe.rs times it too).
pub fn benchmark_trainer(
    spec: &ArchSpec,
    sparsity: f64,
    batch_size: usize,
    dataset: Arc<Dataset>,
) -> Result<Trainer> {
    let config = throughput_config(batch_size);
    let mut network = Trainer::new(spec, config.clone(), dataset.clone(), EvalSet::Test)?.network;
    let mut rng = seeded_rng(17, 5);
    for param in network.params_mut().filter(|p| p.is_prunable()) {
        let keep = (0..param.len())
            .map(|_| rng.gen::<f64>() >= sparsity)
            .collect();
        param.set_mask(keep);
    }
    Trainer::with_network(network, config, dataset, EvalSet::Test)
}

/// Median training samples/s of a given network (weights and masks as they are), measured as
/// [`measure_training`] does; `sparsity` in the result is the network's own.
pub fn measure_network_training(
    network: Network,
    batch_size: usize,
    dataset: Arc<Dataset>,
    window_seconds: f64,
    now: &mut dyn FnMut() -> f64,
) -> Result<Throughput> {
    let config = throughput_config(batch_size);
    let mut trainer = Trainer::with_network(network, config, dataset, EvalSet::Test)?;
    measure_trainer(&mut trainer, window_seconds, now)
}

/// A warm-up window, then the median of 3 timed windows.
fn measure_trainer(
    trainer: &mut Trainer,
    window_seconds: f64,
    now: &mut dyn FnMut() -> f64,
) -> Result<Throughput> {
    time_training(trainer, window_seconds.min(1.0), now)?;
    let mut windows = Vec::with_capacity(3);
    for _ in 0..3 {
        windows.push(time_training(trainer, window_seconds, now)?);
    }
    windows.sort_by(f64::total_cmp);
    Ok(Throughput {
        sparsity: crate::prune::sparsity(&trainer.network),
        params: trainer.network.param_count(),
        kept_params: trainer.network.kept_param_count(),
        forward_macs_per_sample: trainer.network.forward_macs(),
        train_samples_per_sec: windows[1],
    })
}

/// SGD with momentum, constant learning rate: the same arithmetic in every measurement.
fn throughput_config(batch_size: usize) -> TrainConfig {
    TrainConfig {
        epochs: 1000,
        batch_size,
        learning_rate: 0.01,
        optimizer: OptimizerKind::Sgd,
        schedule: LrSchedule::Constant,
        ..TrainConfig::default()
    }
}

/// Trains until `window` seconds of pure training time have passed; returns samples per second.
fn time_training(trainer: &mut Trainer, window: f64, now: &mut dyn FnMut() -> f64) -> Result<f64> {
    let (mut spent, mut samples) = (0.0f64, 0usize);
    let batch = trainer.config().batch_size;
    while spent < window {
        let started = now();
        let (_, epoch_end) = trainer.train_batch()?;
        if epoch_end.is_none() {
            spent += now() - started;
            samples += batch;
        }
    }
    Ok(samples as f64 / spent.max(1e-9))
}

/// Median milliseconds of one evaluation of the 2,000 test images (forward only), over `repeats`.
pub fn measure_evaluation(
    spec: &ArchSpec,
    dataset: Arc<Dataset>,
    repeats: usize,
    now: &mut dyn FnMut() -> f64,
) -> Result<f64> {
    let mut trainer = Trainer::new(spec, TrainConfig::default(), dataset, EvalSet::Test)?;
    let test = trainer.split().test.clone();
    trainer.evaluate(&test);
    let mut times: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let started = now();
            trainer.evaluate(&test);
            (now() - started) * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}
