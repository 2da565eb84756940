//! Compare mode on the page: several runs' histories side by side.

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::i18n::Lang;
use crate::run::{views, History, Records};

#[wasm_bindgen]
#[derive(Default)]
pub struct Comparison {
    /// Each run's id (a strategy name, or a lesson run's `id`) and its history.
    runs: Vec<(String, History)>,
    /// What the charts and the table call each run (its id unless `set_label` changed it).
    labels: Vec<String>,
}

#[wasm_bindgen]
impl Comparison {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Comparison {
        Comparison::default()
    }

    /// Adds a run under `id` from its worker's `meta_json`; returns its index.
    pub fn add_run(&mut self, id: &str, meta_json: &str) -> Result<usize, JsError> {
        #[derive(serde::Deserialize)]
        struct Meta {
            history: History,
        }
        let meta: Meta = serde_json::from_str(meta_json).map_err(js_error)?;
        self.runs.push((id.to_string(), meta.history));
        self.labels.push(id.to_string());
        Ok(self.runs.len() - 1)
    }

    /// The name run `run` is shown with (e.g. a strategy's label from the catalog).
    pub fn set_label(&mut self, run: usize, label: &str) -> Result<(), JsError> {
        let slot = self
            .labels
            .get_mut(run)
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        *slot = label.to_string();
        Ok(())
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

    /// Overlaid curves: `accuracy`, `kept` or `compute`, their words in `lang` (`en`, `zh`;
    /// English when left out).
    pub fn draw_chart(
        &self,
        canvas: HtmlCanvasElement,
        kind: &str,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        let chart = self.chart(kind, lang)?;
        draw(canvas, Figure::Line(&chart))
    }

    /// The prunable tensors' names (the first run's; every compared run has the same network).
    pub fn tensors_json(&self) -> Result<String, JsError> {
        let names: Vec<&str> = self
            .runs
            .first()
            .map(|(_, h)| h.tensors.iter().map(|t| t.name.as_str()).collect())
            .unwrap_or_default();
        to_json(&names)
    }

    /// One run's weights of `tensor` at its last recorded step, on the colour scale shared by
    /// every run's map of that tensor (see [`views::compare_heatmaps`]); its title in `lang`
    /// (`en`, `zh`; English when left out).
    pub fn draw_heatmap(
        &self,
        canvas: HtmlCanvasElement,
        run: usize,
        tensor: usize,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        draw(
            canvas,
            Figure::Heatmap(&self.run_heatmap(run, tensor, lang)?),
        )
    }

    /// The data of run `run`'s map of `tensor` as a table (one row per filter or unit), for
    /// "show data" under its heatmap; its tiles named in `lang` (English when left out).
    pub fn heatmap_data_json(
        &self,
        run: usize,
        tensor: usize,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let grid = self.run_heatmap(run, tensor, lang.clone())?;
        let lang = Lang::or_default(lang.as_deref());
        to_json(&views::heatmap_table_in(&grid, lang))
    }

    /// Run `run`'s two most similar filters of conv `tensor` before pruning, drawn side by side
    /// on `canvas`; answers the facts as JSON ([`views::SimilarFilters`] without the weights).
    pub fn draw_similar_filters(
        &self,
        canvas: HtmlCanvasElement,
        run: usize,
        tensor: usize,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let (_, history) = self
            .runs
            .get(run)
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        let lang = Lang::or_default(lang.as_deref());
        let mut pair = views::similar_filters_in(history, tensor, lang).ok_or_else(|| {
            js_error("no pair of kept conv filters recorded before pruning for this tensor")
        })?;
        draw(canvas, Figure::Heatmap(&pair.grid))?;
        pair.grid.tiles.clear();
        to_json(&pair)
    }

    /// The data of overlaid chart `kind` as a table (JSON [`views::DataTable`]), for "show data";
    /// its columns in `lang` (English when left out).
    pub fn chart_data_json(&self, kind: &str, lang: Option<String>) -> Result<String, JsError> {
        let chart = self.chart(kind, lang.clone())?;
        let lang = Lang::or_default(lang.as_deref());
        to_json(&views::chart_table_in(&chart, lang))
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
    /// times from that run's worker's `measure-time` reply (as JSON) when they are known; its
    /// words in `lang` (`en`, `zh`; English when left out).
    pub fn card_json(
        &self,
        run: usize,
        timing_json: Option<String>,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let ((_, history), label) = self
            .runs
            .get(run)
            .zip(self.labels.get(run))
            .ok_or_else(|| js_error(format!("no run {run} in this comparison")))?;
        let time = super::parse_timing(timing_json.as_deref())?;
        let lang = Lang::or_default(lang.as_deref());
        to_json(&views::results_card_in(label, history, time.as_ref(), lang))
    }

    /// The summary table: one row per run at its latest record (see [`views::CompareRow`]).
    pub fn table_json(&self) -> Result<String, JsError> {
        to_json(&views::compare_table(&self.labelled_runs()))
    }
}

impl Comparison {
    /// Overlaid chart `kind` in `lang` (a tag; English when left out).
    fn chart(&self, kind: &str, lang: Option<String>) -> Result<views::LineChart, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        views::compare_chart_in(&self.labelled_runs(), kind, lang).map_err(js_error)
    }

    /// Run `run`'s map of `tensor` at its last record, on the scale shared by every run.
    fn run_heatmap(
        &self,
        run: usize,
        tensor: usize,
        lang: Option<String>,
    ) -> Result<views::HeatmapGrid, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        views::compare_heatmaps_in(&self.labelled_runs(), tensor, lang)
            .into_iter()
            .nth(run)
            .ok_or_else(|| js_error(format!("no run {run}")))?
            .ok_or_else(|| js_error("no weights recorded yet"))
    }

    /// The runs as the views take them, under their labels.
    fn labelled_runs(&self) -> Vec<(String, &History)> {
        self.runs
            .iter()
            .zip(&self.labels)
            .map(|((_, history), label)| (label.clone(), history))
            .collect()
    }
}

#[wasm_bindgen]
impl Comparison {
    /// The outcome of lesson `lesson_id` on the runs added with the lesson's run ids, with the
    /// chosen answer `prediction`, as JSON (see [`crate::run::lessons::Outcome`]); the lesson's
    /// texts and the outcome's sentences in `lang` (`en`, `zh`; English when left out).
    pub fn lesson_outcome_json(
        &self,
        lesson_id: &str,
        prediction: Option<f64>,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = crate::i18n::Lang::or_default(lang.as_deref());
        let (lesson, prediction) =
            super::lessons::lesson_and_prediction(lesson_id, prediction, lang)?;
        let runs: Vec<(&str, &History)> = self
            .runs
            .iter()
            .map(|(id, history)| (id.as_str(), history))
            .collect();
        to_json(&crate::run::lessons::outcome_in(
            &lesson, &runs, prediction, lang,
        ))
    }
}
