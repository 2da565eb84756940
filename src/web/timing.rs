//! Time per training epoch and per 1,000-image inference, dense vs pruned, measured in the
//! worker with the browser's clock (the core never reads one).
//!
//! Both networks are copies (`clone_parameters`) trained by their own trainers with the run's
//! training settings, so the run's weights, optimiser state, data order and random generators are
//! untouched. Training: a few warm-up mini-batches, then the median of 3 windows of at least
//! [`TRAIN_WINDOW_MS`] of pure training (a batch that ends an epoch runs untimed: it also
//! evaluates), as time per image × images per epoch. Inference: the median of
//! [`INFERENCE_REPEATS`] forward passes over the first 1,000 test images after one warm-up pass.
//! Dense and pruned take turns, window by window, so a busy machine slows both alike.

use wasm_bindgen::{JsCast, JsValue};

use crate::nn::Network;
use crate::run::views::MeasuredTime;
use crate::run::{DenseReference, PruningRun};
use crate::train::{EvalSet, Trainer};
use crate::Result;

const WARM_UP_BATCHES: usize = 3;
const TRAIN_WINDOWS: usize = 3;
const TRAIN_WINDOW_MS: f64 = 150.0;
const INFERENCE_IMAGES: usize = 1000;
const INFERENCE_REPEATS: usize = 5;

/// Measures the run's dense snapshot and its current network (see the module doc).
pub(super) fn measure(run: &PruningRun) -> Result<MeasuredTime> {
    let pruned = run.network().clone_parameters();
    let dense = match run.dense_reference() {
        DenseReference::Recorded(dense) => dense.clone_parameters(),
        // Not pruned yet: the run's own network is still the dense one.
        DenseReference::NotYetPruned => run.network().clone_parameters(),
        // SET / RigL never had a dense network: time the same weights with every mask lifted,
        // which costs what a dense network of this architecture costs.
        DenseReference::SparseFromStepZero => {
            let mut dense = run.network().clone_parameters();
            dense.params_mut().for_each(|param| param.clear_mask());
            dense
        }
    };
    let clock = Clock::new();
    let mut trainers = [copy_trainer(run, dense)?, copy_trainer(run, pruned)?];
    let images_per_epoch = trainers[0].training_indices().len();
    let [epoch_ms_dense, epoch_ms_pruned] = time_epochs(&mut trainers, &clock)?;
    let [inference_1000_ms_dense, inference_1000_ms_pruned] = time_inference(&mut trainers, &clock);
    Ok(MeasuredTime {
        epoch_ms_dense,
        epoch_ms_pruned,
        inference_1000_ms_dense,
        inference_1000_ms_pruned,
        images_per_epoch,
    })
}

/// A trainer of its own for `network`, with the run's training settings and images.
fn copy_trainer(run: &PruningRun, network: Network) -> Result<Trainer> {
    let trainer = run.trainer();
    Trainer::with_network(
        network,
        trainer.config().clone(),
        trainer.dataset().clone(),
        EvalSet::Test,
    )
}

/// Milliseconds per training epoch of each trainer's network. The two take turns window by
/// window, so a busy moment of the machine slows both rather than one.
fn time_epochs(trainers: &mut [Trainer; 2], clock: &Clock) -> Result<[f64; 2]> {
    for trainer in trainers.iter_mut() {
        for _ in 0..WARM_UP_BATCHES {
            trainer.train_batch()?;
        }
    }
    let mut ms_per_image = [Vec::new(), Vec::new()];
    for _ in 0..TRAIN_WINDOWS {
        for (trainer, windows) in trainers.iter_mut().zip(&mut ms_per_image) {
            windows.push(time_window(trainer, clock)?);
        }
    }
    let [dense, pruned] = ms_per_image;
    let images = trainers[0].training_indices().len() as f64;
    Ok([median(dense) * images, median(pruned) * images])
}

/// Trains for [`TRAIN_WINDOW_MS`] of timed batches; returns milliseconds per image.
fn time_window(trainer: &mut Trainer, clock: &Clock) -> Result<f64> {
    let batch = trainer.config().batch_size;
    let per_epoch = trainer.batches_per_epoch().max(1) as u64;
    let (mut spent, mut images) = (0.0, 0usize);
    while spent < TRAIN_WINDOW_MS {
        if (trainer.step() + 1) % per_epoch == 0 {
            trainer.train_batch()?; // ends an epoch, so it also evaluates: not timed
            continue;
        }
        let started = clock.now_ms();
        trainer.train_batch()?;
        spent += clock.now_ms() - started;
        images += batch;
    }
    Ok(spent / images.max(1) as f64)
}

/// Milliseconds per 1,000-image forward pass of each trainer's network, taking turns.
fn time_inference(trainers: &mut [Trainer; 2], clock: &Clock) -> [f64; 2] {
    let test: Vec<usize> = trainers[0]
        .split()
        .test
        .iter()
        .take(INFERENCE_IMAGES)
        .copied()
        .collect();
    let scale = INFERENCE_IMAGES as f64 / test.len().max(1) as f64;
    for trainer in trainers.iter_mut() {
        trainer.evaluate(&test);
    }
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..INFERENCE_REPEATS {
        for (trainer, times) in trainers.iter_mut().zip(&mut times) {
            let started = clock.now_ms();
            trainer.evaluate(&test);
            times.push((clock.now_ms() - started) * scale);
        }
    }
    let [dense, pruned] = times;
    [median(dense), median(pruned)]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `performance.now()` (sub-millisecond, in pages and workers), or `Date.now()` where there is none.
struct Clock {
    performance: Option<(JsValue, js_sys::Function)>,
}

impl Clock {
    fn new() -> Clock {
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .filter(|value| value.is_object())
            .and_then(|performance| {
                let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
                Some((performance, now.dyn_into::<js_sys::Function>().ok()?))
            });
        Clock { performance }
    }

    fn now_ms(&self) -> f64 {
        self.performance
            .as_ref()
            .and_then(|(performance, now)| now.call0(performance).ok()?.as_f64())
            .unwrap_or_else(js_sys::Date::now)
    }
}
