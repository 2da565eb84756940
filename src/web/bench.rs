//! The browser benchmark's entry points (www/bench.html runs them in a worker): the core's
//! throughput measurements timed with the JavaScript clock.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::{js_error, to_json};
use crate::data::Dataset;
use crate::metrics::throughput::{measure_evaluation, measure_training};
use crate::nn::ArchSpec;

/// Seconds from the JavaScript clock (`Date.now()`: available in pages and workers).
fn clock() -> impl FnMut() -> f64 {
    || js_sys::Date::now() / 1000.0
}

/// Training samples/s of a preset network at `sparsity` (median of 3 windows of `seconds`).
#[wasm_bindgen]
pub fn bench_training_json(
    preset: &str,
    sparsity: f64,
    batch_size: usize,
    seconds: f64,
    dataset_bytes: &[u8],
) -> Result<String, JsError> {
    if !((0.0..1.0).contains(&sparsity) && seconds > 0.0 && seconds <= 60.0) {
        return Err(js_error(format!(
            "sparsity {sparsity} or seconds {seconds} out of range; allowed: 0 to below 1, above 0 to 60"
        )));
    }
    let spec = ArchSpec::preset(preset).map_err(js_error)?;
    let dataset = Arc::new(Dataset::from_bytes(dataset_bytes).map_err(js_error)?);
    let result = measure_training(&spec, sparsity, batch_size, dataset, seconds, &mut clock())
        .map_err(js_error)?;
    to_json(&result)
}

/// Median milliseconds to evaluate the 2,000 test images with a preset network.
#[wasm_bindgen]
pub fn bench_eval_ms(preset: &str, dataset_bytes: &[u8], repeats: usize) -> Result<f64, JsError> {
    let spec = ArchSpec::preset(preset).map_err(js_error)?;
    let dataset = Arc::new(Dataset::from_bytes(dataset_bytes).map_err(js_error)?);
    measure_evaluation(&spec, dataset, repeats.clamp(1, 50), &mut clock()).map_err(js_error)
}
