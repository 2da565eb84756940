//! The worker's handle on a run.

use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, js_error_in, to_json};
use crate::data::Dataset;
use crate::i18n::Lang;
use crate::metrics::energy_joules;
use crate::nn::loss::softmax;
use crate::run::{Cursor, DenseReference, History, PruningRun, RunConfig, StepOutcome};

/// Where the run stands, sent with every chunk.
#[derive(Serialize)]
struct Progress {
    step: u64,
    planned_steps: u64,
    epoch: f64,
    phase: &'static str,
    finished: bool,
    kept: usize,
    total: usize,
    sparsity: f64,
    macs_actual: u64,
    macs_dense: u64,
    energy_joules: f64,
    /// The dense reference's test accuracy once recorded (chunks do not carry it; the page's
    /// viewer copies it with `set_dense_accuracy`).
    dense_test_accuracy: Option<f32>,
}

/// What a new page-side viewer needs before the first chunk.
#[derive(Serialize)]
struct Meta<'a> {
    config: &'a RunConfig,
    history: &'a History,
    planned_steps: u64,
    total_params: usize,
}

/// A test digit whose prediction changed after pruning.
#[derive(Serialize)]
struct ChangedPrediction {
    index: usize,
    label: u8,
    dense: usize,
    pruned: usize,
    pixels: Vec<u8>,
}

#[wasm_bindgen]
pub struct Session {
    run: PruningRun,
    dataset: Arc<Dataset>,
    cursor: Cursor,
    /// The page's language, for the run's own errors (a diverging loss).
    lang: Lang,
}

#[wasm_bindgen]
impl Session {
    /// A run from a JSON [`RunConfig`] and the dataset file's bytes (raw or gzipped).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, dataset_bytes: &[u8]) -> Result<Session, JsError> {
        let config: RunConfig = serde_json::from_str(config_json)
            .map_err(|e| js_error(format!("invalid settings: {e}")))?;
        let dataset = Arc::new(Dataset::from_bytes(dataset_bytes).map_err(js_error)?);
        let run = PruningRun::new(config, dataset.clone()).map_err(js_error)?;
        Ok(Session {
            run,
            dataset,
            cursor: Cursor::default(),
            lang: Lang::En,
        })
    }

    /// The language (`en`, `zh`; English when left out) of the errors the run reports later.
    pub fn set_language(&mut self, lang: Option<String>) {
        self.lang = Lang::or_default(lang.as_deref());
    }

    /// The config, the history so far (tensor shapes, initial masks, records) and the run's size.
    /// Resets the chunk cursor: the next chunk continues after this.
    pub fn meta_json(&mut self) -> Result<String, JsError> {
        self.cursor = self.run.history().cursor();
        to_json(&Meta {
            config: self.run.config(),
            history: self.run.history(),
            planned_steps: self.run.planned_steps(),
            total_params: self.run.network().param_count(),
        })
    }

    /// Runs up to `max_steps` units of work, stopping early once `budget_ms` of wall time passed,
    /// so the worker stays responsive to messages. Returns the progress as JSON.
    pub fn run_steps(&mut self, max_steps: u32, budget_ms: f64) -> Result<String, JsError> {
        let start = js_sys::Date::now();
        let lang = self.lang;
        for _ in 0..max_steps {
            let outcome = self.run.step().map_err(|e| js_error_in(&e, lang))?;
            if outcome == StepOutcome::Finished || js_sys::Date::now() - start > budget_ms {
                break;
            }
        }
        self.progress_json()
    }

    /// Replays the run up to `step` (deterministic: the same config gives the same history), for
    /// at most `budget_ms`; call again until the progress reaches `step`.
    pub fn run_until(&mut self, step: f64, budget_ms: f64) -> Result<String, JsError> {
        let start = js_sys::Date::now();
        let lang = self.lang;
        while (self.run.global_step() as f64) < step && !self.run.is_finished() {
            self.run.step().map_err(|e| js_error_in(&e, lang))?;
            if js_sys::Date::now() - start > budget_ms {
                break;
            }
        }
        self.progress_json()
    }

    pub fn progress_json(&self) -> Result<String, JsError> {
        let network = self.run.network();
        let compute = self.run.compute();
        to_json(&Progress {
            step: self.run.global_step(),
            planned_steps: self.run.planned_steps(),
            epoch: self.run.epoch(),
            phase: self.run.phase().name(),
            finished: self.run.is_finished(),
            kept: network.kept_param_count(),
            total: network.param_count(),
            sparsity: crate::prune::sparsity(network),
            macs_actual: compute.actual,
            macs_dense: compute.dense,
            energy_joules: energy_joules(compute.actual),
            dense_test_accuracy: self.run.history().dense_test_accuracy,
        })
    }

    /// Everything recorded since the previous chunk (a serialised `run::Records`). A JSON string:
    /// in Chromium it serialises, posts and appends 2–3× faster than a serde-wasm-bindgen object
    /// (tests/web_chunk_transfer.rs measures both).
    pub fn take_chunk_json(&mut self) -> Result<String, JsError> {
        let chunk = self.run.history().chunk_since(self.cursor);
        self.cursor = self.run.history().cursor();
        to_json(&chunk)
    }

    /// Why there is no dense network to compare with (SET / RigL train sparse from step 0), or
    /// `undefined` when there is one (the run's own network, until it prunes); in `lang` (`en`,
    /// `zh`; English when left out).
    pub fn no_dense_reason(&self, lang: Option<String>) -> Option<String> {
        let lang = crate::i18n::Lang::or_default(lang.as_deref());
        // The one reason there is (`DenseReference::absence_reason`), in `lang`.
        self.run
            .no_dense_reason()
            .map(|_| crate::i18n::tr(lang, "fmap.note.no-dense", &[]))
    }

    /// Class probabilities for one 28×28 input (already normalised): the dense network's ten,
    /// then the current network's ten. Before pruning both are the current network; when there
    /// is no dense network at all ([`Session::no_dense_reason`]), only the current network's ten.
    pub fn predict(&mut self, input: &[f32]) -> Result<Vec<f32>, JsError> {
        let mut network = self.run.network().clone_parameters();
        if input.len() != network.input_len() {
            return Err(js_error(format!(
                "the digit has {} values; the network reads {}",
                input.len(),
                network.input_len()
            )));
        }
        let pruned = softmax(network.infer(input, 1));
        let dense = match self.run.dense_reference() {
            DenseReference::NotYetPruned => pruned.clone(),
            DenseReference::Recorded(dense) => softmax(dense.clone_parameters().infer(input, 1)),
            DenseReference::SparseFromStepZero => return Ok(pruned),
        };
        Ok([dense, pruned].concat())
    }

    /// Up to `limit` test digits the dense and the current network classify differently (none
    /// before the run prunes, and none when there is no dense network: see `no_dense_reason`).
    pub fn changed_predictions_json(&mut self, limit: u32) -> Result<String, JsError> {
        let Some(dense) = self.run.dense_network() else {
            return to_json(&Vec::<ChangedPrediction>::new());
        };
        let mut dense = dense.clone_parameters();
        let mut pruned = self.run.network().clone_parameters();
        let mut changed = Vec::new();
        let input_len = pruned.input_len();
        let mut input = vec![0.0f32; input_len];
        let mut label = [0u8];
        for &index in &self.run.trainer().split().test {
            crate::data::fill_batch(&self.dataset, &[index], &mut input, &mut label);
            let a = crate::nn::loss::argmax(dense.infer(&input, 1));
            let b = crate::nn::loss::argmax(pruned.infer(&input, 1));
            if a != b {
                changed.push(ChangedPrediction {
                    index,
                    label: label[0],
                    dense: a,
                    pruned: b,
                    pixels: self.dataset.image(index).to_vec(),
                });
                if changed.len() >= limit as usize {
                    break;
                }
            }
        }
        to_json(&changed)
    }

    /// The feature maps of test digit `test_position` (0-based) or of the drawn `input`, for the
    /// dense reference and the network at timeline step `step` (`None`: now), as JSON; the page
    /// draws them with a `FeatureMapsView`. Their words in `lang` (`en`, `zh`; English when left
    /// out).
    pub fn feature_maps_json(
        &self,
        test_position: Option<u32>,
        input: Option<Vec<f32>>,
        step: Option<f64>,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = crate::i18n::Lang::or_default(lang.as_deref());
        super::feature_maps::maps_json(&self.run, &self.dataset, test_position, input, step, lang)
    }

    /// The pixels (0–255, row-major) of test digit `position` (counted in the test split, modulo
    /// its size): the network view draws it as the network's input.
    pub fn test_digit(&self, position: u32) -> Vec<u8> {
        let test = &self.run.trainer().split().test;
        test.get(position as usize % test.len().max(1))
            .map_or_else(Vec::new, |&index| self.dataset.image(index).to_vec())
    }

    /// Time per training epoch and per 1,000-image inference of the dense snapshot and the
    /// current network, measured now on copies (the run itself is untouched), as JSON
    /// ([`crate::run::views::MeasuredTime`]). Blocks the worker for a second or two.
    pub fn measure_time_json(&self) -> Result<String, JsError> {
        to_json(&super::timing::measure(&self.run).map_err(js_error)?)
    }

    /// The current weights and masks as an .npz with PyTorch `state_dict` names.
    pub fn export_npz(&self) -> Result<Vec<u8>, JsError> {
        let tensors = crate::io::state_dict::to_named_tensors(self.run.network());
        crate::io::write_npz(&tensors).map_err(js_error)
    }
}
