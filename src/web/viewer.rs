//! The page's mirror of a run's history, and everything drawn from it.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::charts::{heatmap_layout, hit_test, pruned_at_layout, LineChart};
use crate::metrics::{energy_joules, ENERGY_MODEL};
use crate::prune::Strategy;
use crate::run::{views, History, Records, RunConfig};

/// The part of the worker's meta message the viewer keeps.
#[derive(Deserialize)]
struct Meta {
    config: RunConfig,
    history: History,
    planned_steps: u64,
    total_params: usize,
}

/// What the pointer is over in a weight view.
#[derive(Serialize)]
struct HoverInfo {
    tensor: String,
    tile: String,
    index: usize,
    row: usize,
    col: usize,
    value: f32,
    kept: bool,
    pruned_at: Option<u64>,
    regrown: bool,
    /// The weight's score under the run's criterion when it depends on the weight alone.
    score: Option<f32>,
    criterion: &'static str,
}

#[wasm_bindgen]
pub struct Viewer {
    config: RunConfig,
    history: History,
    planned_steps: u64,
    total_params: usize,
}

/// A line chart by name.
pub(crate) fn line_chart(history: &History, kind: &str, until: u64) -> Result<LineChart, JsError> {
    Ok(match kind {
        "accuracy" => views::accuracy_chart(history, until),
        "loss" => views::loss_chart(history, until),
        "kept" => views::kept_chart(history, until),
        "layer_sparsity" => views::layer_sparsity_chart(history, until),
        "tradeoff" => views::tradeoff_chart(history, until),
        "compute" => views::compute_chart(history, until),
        other => {
            return Err(js_error(format!(
                "unknown chart `{other}`; allowed: accuracy, loss, kept, layer_sparsity, tradeoff, compute"
            )))
        }
    })
}

/// Reads an imported session file; returns the meta JSON a [`Viewer`] is built from, or an error
/// saying what is wrong with the file (the caller's current session is untouched either way).
#[wasm_bindgen]
pub fn parse_session_file(bytes: &[u8]) -> Result<String, JsError> {
    let file = crate::run::session_file::decode(bytes).map_err(js_error)?;
    let network = crate::nn::Network::new(&file.config.architecture).map_err(js_error)?;
    to_json(&serde_json::json!({
        "planned_steps": file.history.planned_steps,
        "config": file.config,
        "history": file.history,
        "total_params": network.param_count(),
    }))
}

#[wasm_bindgen]
impl Viewer {
    /// A viewer from the worker's `meta_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(meta_json: &str) -> Result<Viewer, JsError> {
        let meta: Meta = serde_json::from_str(meta_json).map_err(js_error)?;
        Ok(Viewer {
            config: meta.config,
            history: meta.history,
            planned_steps: meta.planned_steps,
            total_params: meta.total_params,
        })
    }

    /// Appends a chunk from the worker's `take_chunk_json`.
    pub fn append_json(&mut self, chunk_json: &str) -> Result<(), JsError> {
        let chunk: Records = serde_json::from_str(chunk_json).map_err(js_error)?;
        self.history.append(chunk);
        Ok(())
    }

    pub fn set_dense_accuracy(&mut self, accuracy: Option<f32>) {
        self.history.dense_test_accuracy = accuracy;
    }

    pub fn last_step(&self) -> f64 {
        self.history.last_step() as f64
    }

    pub fn planned_steps(&self) -> f64 {
        self.planned_steps as f64
    }

    /// The steps the timeline can stop at (every evaluation), as JSON.
    pub fn timeline_json(&self) -> Result<String, JsError> {
        let steps: Vec<u64> = self.history.records.evals.iter().map(|e| e.step).collect();
        to_json(&steps)
    }

    /// Names of the prunable tensors, in order.
    pub fn tensors_json(&self) -> Result<String, JsError> {
        let names: Vec<&str> = self
            .history
            .tensors
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        to_json(&names)
    }

    /// Draws a line chart (`accuracy`, `loss`, `kept`, `layer_sparsity`, `tradeoff`, `compute`)
    /// with the records up to `until`.
    pub fn draw_chart(
        &self,
        canvas: HtmlCanvasElement,
        kind: &str,
        until: f64,
    ) -> Result<(), JsError> {
        let chart = line_chart(&self.history, kind, until as u64)?;
        draw(canvas, Figure::Line(&chart))
    }

    /// Draws the weights of prunable tensor `tensor` as of `step`.
    pub fn draw_heatmap(
        &self,
        canvas: HtmlCanvasElement,
        tensor: usize,
        step: f64,
    ) -> Result<(), JsError> {
        let grid = views::heatmap(&self.history, tensor, step as u64)
            .ok_or_else(|| js_error(format!("no weights recorded for tensor {tensor} yet")))?;
        draw(canvas, Figure::Heatmap(&grid))
    }

    /// Draws when each weight of `tensor` was pruned, as of `step`.
    pub fn draw_pruned_at(
        &self,
        canvas: HtmlCanvasElement,
        tensor: usize,
        step: f64,
    ) -> Result<(), JsError> {
        let grid = views::pruned_at_grid(&self.history, tensor, step as u64)
            .ok_or_else(|| js_error(format!("no masks recorded for tensor {tensor}")))?;
        draw(canvas, Figure::PrunedAt(&grid))
    }

    /// What is under canvas pixel (`x`, `y`) of a `width`×`height` weight view (`heatmap` or
    /// `pruned_at`) of `tensor` at `step`, as JSON (`null` between cells).
    pub fn hover_json(
        &self,
        view: &str,
        tensor: usize,
        step: f64,
        x: i32,
        y: i32,
        width: u32,
        height: u32,
    ) -> Result<String, JsError> {
        let step = step as u64;
        let layout = match view {
            "heatmap" => views::heatmap(&self.history, tensor, step)
                .map(|g| heatmap_layout(&g, width, height)),
            "pruned_at" => views::pruned_at_grid(&self.history, tensor, step)
                .map(|g| pruned_at_layout(&g, width, height)),
            other => {
                return Err(js_error(format!(
                    "unknown view `{other}`; allowed: heatmap, pruned_at"
                )))
            }
        };
        let Some(layout) = layout else {
            return Ok("null".into());
        };
        let Some((tile, row, col)) = hit_test(&layout, x, y) else {
            return Ok("null".into());
        };
        let Some(info) = self.history.tensors.get(tensor) else {
            return Err(js_error(format!(
                "no tensor {tensor}; this run has {}",
                self.history.tensors.len()
            )));
        };
        let specs = views::tile_specs(info);
        let Some(spec) = specs.get(tile) else {
            return Ok("null".into());
        };
        let index = spec.start + row * spec.cols + col;
        let masks = self.history.masks_at(step);
        let pruned = self.history.pruned_at(step);
        let value = self
            .history
            .snapshot_at(step)
            .and_then(|s| s.weights.get(tensor))
            .and_then(|w| w.get(index))
            .copied()
            .unwrap_or(0.0);
        let kept = masks
            .get(tensor)
            .and_then(|m| m.get(index))
            .copied()
            .unwrap_or(false);
        let strategy = self.config.prune.strategy;
        let weight_only = matches!(strategy, Strategy::Magnitude | Strategy::L1 | Strategy::L2);
        to_json(&HoverInfo {
            tensor: info.name.clone(),
            tile: spec.label.clone(),
            index,
            row,
            col,
            value: if kept { value } else { 0.0 },
            kept,
            pruned_at: pruned
                .step
                .get(tensor)
                .and_then(|s| s.get(index))
                .copied()
                .flatten(),
            regrown: pruned
                .regrown
                .get(tensor)
                .and_then(|r| r.get(index))
                .copied()
                .unwrap_or(false),
            score: (weight_only && kept).then_some(value.abs()),
            criterion: strategy.name(),
        })
    }

    /// Headline figures as of `until`: step, accuracy, kept parameters, per-layer sparsity
    /// (`layers: [{layer, sparsity}]`), compute, energy.
    pub fn summary_json(&self, until: f64) -> Result<String, JsError> {
        let until = until as u64;
        let eval = self
            .history
            .records
            .evals
            .iter()
            .rev()
            .find(|e| e.step <= until);
        let step = self
            .history
            .records
            .steps
            .iter()
            .rev()
            .find(|s| s.step <= until);
        let (actual, dense) = step.map_or((0, 0), |s| (s.macs_actual, s.macs_dense));
        // Each prunable layer's sparsity at the last evaluation (`conv1`, not `conv1.weight`).
        let layers: Vec<serde_json::Value> = eval
            .map(|e| {
                self.history
                    .tensors
                    .iter()
                    .zip(&e.kept_per_tensor)
                    .map(|(info, &kept)| {
                        let total = info.shape.iter().product::<usize>().max(1) as f64;
                        serde_json::json!({
                            "layer": info.name.trim_end_matches(".weight"),
                            "sparsity": 1.0 - f64::from(kept) / total,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        to_json(&serde_json::json!({
            "step": until,
            "planned_steps": self.planned_steps,
            "test_accuracy": eval.map(|e| e.test_accuracy),
            "dense_test_accuracy": self.history.dense_test_accuracy,
            "kept": eval.map(|e| e.kept),
            "prunable": self.history.prunable_count(),
            "total_params": self.total_params,
            "sparsity": eval.map(|e| e.sparsity),
            "layers": layers,
            "macs_actual": actual,
            "macs_dense": dense,
            "energy_joules": energy_joules(actual),
            "energy_joules_dense": energy_joules(dense),
            "energy_model": ENERGY_MODEL,
            "rolled_back": self.history.records.events.iter().filter(|e| !e.accepted && e.step <= until).count(),
        }))
    }

    /// The evaluation records as CSV (the columns of `prunelab prune`'s history.csv).
    pub fn history_csv(&self) -> String {
        crate::run::export::history_csv(&self.history)
    }

    /// The session as a versioned file (config + history) to save and import later.
    pub fn session_file_json(&self) -> Result<String, JsError> {
        crate::run::session_file::encode(&self.config, &self.history).map_err(js_error)
    }

    /// The whole history (config included) as JSON.
    pub fn history_json(&self) -> Result<String, JsError> {
        to_json(&serde_json::json!({ "config": self.config, "history": self.history }))
    }
}
