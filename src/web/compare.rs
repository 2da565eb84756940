//! Compare mode on the page: several runs' histories side by side.

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::run::{views, History, Records};

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
        let chart = views::compare_chart(&self.labelled_runs(), kind).map_err(js_error)?;
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

    /// Run `run`'s dense test accuracy, from its worker's progress (`dense_test_accuracy`):
    /// chunks do not carry it, and the card and the table compare with it.
    pub fn set_dense_accuracy(&mut self, run: usize, accuracy: Option<f32>) -> Result<(), JsError> {
        let (_, history) = self
            .runs
            .get_mut(run)
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        history.dense_test_accuracy = accuracy;
        Ok(())
    }

    /// Run `run`'s results card as JSON ([`views::ResultsCard`]), titled with its label, with the
    /// times from that run's worker's `measure-time` reply (as JSON) when they are known.
    pub fn card_json(&self, run: usize, timing_json: Option<String>) -> Result<String, JsError> {
        let (label, history) = self
            .runs
            .get(run)
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        let time = super::parse_timing(timing_json.as_deref())?;
        to_json(&views::results_card(label, history, time.as_ref()))
    }

    /// The summary table: one row per run at its latest record (see [`views::CompareRow`]).
    pub fn table_json(&self) -> Result<String, JsError> {
        to_json(&views::compare_table(&self.labelled_runs()))
    }
}

impl Comparison {
    /// The runs as the views take them.
    fn labelled_runs(&self) -> Vec<(String, &History)> {
        self.runs
            .iter()
            .map(|(label, history)| (label.clone(), history))
            .collect()
    }
}
