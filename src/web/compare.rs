//! Compare mode on the page: several runs' histories side by side.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::metrics::energy_joules;
use crate::run::{views, History, Records};

#[derive(Serialize)]
struct Row<'a> {
    label: &'a str,
    step: u64,
    test_accuracy: Option<f32>,
    kept: Option<u32>,
    sparsity: Option<f64>,
    macs_actual: u64,
    energy_joules: f64,
}

#[wasm_bindgen]
#[derive(Default)]
pub struct Comparison {
    runs: Vec<(String, History)>,
}

#[wasm_bindgen]
impl Comparison {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Comparison {
        Comparison::default()
    }

    /// Adds a run from its worker's `meta_json`; returns its index.
    pub fn add_run(&mut self, label: &str, meta_json: &str) -> Result<usize, JsError> {
        #[derive(serde::Deserialize)]
        struct Meta {
            history: History,
        }
        let meta: Meta = serde_json::from_str(meta_json).map_err(js_error)?;
        self.runs.push((label.to_string(), meta.history));
        Ok(self.runs.len() - 1)
    }

    pub fn append_json(&mut self, run: usize, chunk_json: &str) -> Result<(), JsError> {
        let chunk: Records = serde_json::from_str(chunk_json).map_err(js_error)?;
        let (_, history) = self
            .runs
            .get_mut(run)
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        history.append(chunk);
        Ok(())
    }

    /// Overlaid curves: `accuracy`, `kept` or `compute`.
    pub fn draw_chart(&self, canvas: HtmlCanvasElement, kind: &str) -> Result<(), JsError> {
        let runs: Vec<(String, &History)> = self.runs.iter().map(|(l, h)| (l.clone(), h)).collect();
        let chart = match kind {
            "accuracy" => views::compare_accuracy_chart(&runs),
            "kept" => views::compare_kept_chart(&runs),
            "compute" => views::compare_compute_chart(&runs),
            other => {
                return Err(js_error(format!(
                    "unknown chart `{other}`; allowed: accuracy, kept, compute"
                )))
            }
        };
        draw(canvas, Figure::Line(&chart))
    }

    /// One run's weights of `tensor` at its last recorded step.
    pub fn draw_heatmap(
        &self,
        canvas: HtmlCanvasElement,
        run: usize,
        tensor: usize,
    ) -> Result<(), JsError> {
        let (label, history) = self
            .runs
            .get(run)
            .ok_or_else(|| js_error(format!("no run {run}")))?;
        let mut grid = views::heatmap(history, tensor, history.last_step())
            .ok_or_else(|| js_error("no weights recorded yet"))?;
        grid.title = format!("{label}: {}", grid.title);
        draw(canvas, Figure::Heatmap(&grid))
    }

    /// The summary table: one row per run at its latest record.
    pub fn table_json(&self) -> Result<String, JsError> {
        let rows: Vec<Row> = self
            .runs
            .iter()
            .map(|(label, h)| {
                let eval = h.records.evals.last();
                let macs = h.records.steps.last().map_or(0, |s| s.macs_actual);
                Row {
                    label,
                    step: h.last_step(),
                    test_accuracy: eval.map(|e| e.test_accuracy),
                    kept: eval.map(|e| e.kept),
                    sparsity: eval.map(|e| e.sparsity),
                    macs_actual: macs,
                    energy_joules: energy_joules(macs),
                }
            })
            .collect();
        to_json(&rows)
    }
}
