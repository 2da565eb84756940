//! The page's mirror of a run's history, and everything drawn from it.

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::charts::{heatmap_layout, hit_test, pruned_at_layout, TileRect};
use crate::i18n::Lang;
use crate::run::{views, History, Records, RunConfig};

/// The part of the worker's meta message the viewer keeps.
#[derive(Deserialize)]
struct Meta {
    config: RunConfig,
    history: History,
    planned_steps: u64,
    total_params: usize,
}

#[wasm_bindgen]
pub struct Viewer {
    config: RunConfig,
    /// Read by the network view's exports too (`super::network`).
    pub(super) history: History,
    planned_steps: u64,
    total_params: usize,
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
    /// with the records up to `until`, its text in `lang` (`en`, `zh`; English when left out).
    pub fn draw_chart(
        &self,
        canvas: HtmlCanvasElement,
        kind: &str,
        until: f64,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        let lang = Lang::or_default(lang.as_deref());
        let chart =
            views::page_line_chart(&self.history, kind, until as u64, lang).map_err(js_error)?;
        draw(canvas, Figure::Line(&chart))
    }

    /// The data of line chart `kind` up to `until` as a table (JSON [`views::DataTable`]): what
    /// the chart's "show data" button shows, in `lang` (`en`, `zh`; English when left out).
    pub fn chart_data_json(
        &self,
        kind: &str,
        until: f64,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        let chart =
            views::line_chart_in(&self.history, kind, until as u64, lang).map_err(js_error)?;
        to_json(&views::chart_table_in(&chart, lang))
    }

    /// The data of the weight heatmap of `tensor` at `step` as a table (one row per tile), in
    /// `lang` (English when left out).
    pub fn heatmap_data_json(
        &self,
        tensor: usize,
        step: f64,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        to_json(&views::heatmap_table_in(
            &self.heatmap(tensor, step, lang)?,
            lang,
        ))
    }

    /// The data of the pruned-at map of `tensor` at `step` as a table (one row per tile), in
    /// `lang` (English when left out).
    pub fn pruned_at_data_json(
        &self,
        tensor: usize,
        step: f64,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        let grid = self.pruned_at(tensor, step, lang)?;
        to_json(&views::pruned_at_table_in(&grid, lang))
    }

    /// The paragraph under the compute chart as of `until` (people's numbers, the energy model).
    pub fn compute_paragraph(&self, until: f64, lang: Option<String>) -> String {
        let lang = Lang::or_default(lang.as_deref());
        views::compute_paragraph_in(&self.history, until as u64, lang)
    }

    /// Draws the weights of prunable tensor `tensor` as of `step`, its title and tile labels in
    /// `lang` (`en`, `zh`; English when left out).
    pub fn draw_heatmap(
        &self,
        canvas: HtmlCanvasElement,
        tensor: usize,
        step: f64,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        let lang = Lang::or_default(lang.as_deref());
        draw(canvas, Figure::Heatmap(&self.heatmap(tensor, step, lang)?))
    }

    /// Draws when each weight of `tensor` was pruned, as of `step`, its title and tile labels in
    /// `lang` (English when left out).
    pub fn draw_pruned_at(
        &self,
        canvas: HtmlCanvasElement,
        tensor: usize,
        step: f64,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        let lang = Lang::or_default(lang.as_deref());
        draw(
            canvas,
            Figure::PrunedAt(&self.pruned_at(tensor, step, lang)?),
        )
    }

    /// What is under canvas pixel (`x`, `y`) of a `width`×`height` weight view (`heatmap` or
    /// `pruned_at`) of `tensor` at `step`, as JSON (`null` between cells); see
    /// [`views::weight_hover`]; its words in `lang` (`en`, `zh`; English when left out).
    pub fn hover_json(
        &self,
        view: &str,
        tensor: usize,
        step: f64,
        x: i32,
        y: i32,
        width: u32,
        height: u32,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let step = step as u64;
        let lang = Lang::or_default(lang.as_deref());
        // The cell under the pointer in the layout the view is drawn with.
        let layout = self.tile_layout(view, tensor, step, width, height)?;
        let Some((tile, row, col)) = layout.and_then(|layout| hit_test(&layout, x, y)) else {
            return Ok("null".into());
        };
        let cell = views::WeightCell { tile, row, col };
        let strategy = self.config.prune.strategy;
        to_json(
            &views::weight_hover_in(&self.history, strategy, tensor, step, cell, lang)
                .map_err(js_error)?,
        )
    }

    /// Where the tiles of a weight view (`heatmap` or `pruned_at`) of `tensor` at `step` land on
    /// a `width`×`height` canvas, as JSON (`[]` before weights are recorded): the page moves a
    /// keyboard cursor over them and draws it. See `charts::TileRect`.
    pub fn weight_layout_json(
        &self,
        view: &str,
        tensor: usize,
        step: f64,
        width: u32,
        height: u32,
    ) -> Result<String, JsError> {
        let step = step as u64;
        to_json(
            &self
                .tile_layout(view, tensor, step, width, height)?
                .unwrap_or_default(),
        )
    }

    /// The facts about weight (`tile`, `row`, `col`) of `tensor` at `step` as JSON (`null`
    /// outside the tensor's tiles), as [`Viewer::hover_json`] gives them for a pixel; its words
    /// in `lang` (English when left out).
    pub fn weight_json(
        &self,
        tensor: usize,
        step: f64,
        tile: usize,
        row: usize,
        col: usize,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        let cell = views::WeightCell { tile, row, col };
        let strategy = self.config.prune.strategy;
        to_json(
            &views::weight_hover_in(&self.history, strategy, tensor, step as u64, cell, lang)
                .map_err(js_error)?,
        )
    }

    /// The cells (`[tile, row, col]`) of `tensor` whose weights were pruned at steps `from` to
    /// `until` (both included; a pruning step does not advance the step count), as JSON: the page
    /// highlights them while a pruning step is held.
    pub fn removed_json(&self, tensor: usize, from: f64, until: f64) -> Result<String, JsError> {
        let (from, until) = (from as u64, until as u64);
        let Some(info) = self.history.tensors.get(tensor) else {
            return Ok("[]".into());
        };
        let pruned = self.history.pruned_at(until);
        let steps = pruned.step.get(tensor).map_or(&[][..], |s| &s[..]);
        let removed = |index: usize| matches!(steps.get(index), Some(Some(s)) if *s >= from);
        let mut cells = Vec::new();
        for (tile, spec) in views::tile_specs(info).iter().enumerate() {
            for row in 0..spec.rows {
                for col in 0..spec.cols {
                    if removed(spec.start + row * spec.cols + col) {
                        cells.push([tile, row, col]);
                    }
                }
            }
        }
        to_json(&cells)
    }

    /// Headline figures as of `until` as JSON (see [`views::Summary`]), `target_missed` in
    /// `lang` (`en`, `zh`; English when left out).
    pub fn summary_json(&self, until: f64, lang: Option<String>) -> Result<String, JsError> {
        let summary = views::summary_in(
            &self.history,
            &self.config.prune,
            self.planned_steps,
            self.total_params,
            until as u64,
            Lang::or_default(lang.as_deref()),
        );
        to_json(&summary)
    }

    /// The outcome of one-run lesson `lesson_id` on this run (its own configuration, which the
    /// student may have edited), with the chosen answer `prediction`, as JSON
    /// (see [`crate::run::lessons::Outcome`]); the lesson's texts and the outcome's sentences in
    /// `lang` (`en`, `zh`; English when left out).
    pub fn lesson_outcome_json(
        &self,
        lesson_id: &str,
        prediction: Option<f64>,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        let (lesson, prediction) =
            super::lessons::lesson_and_prediction(lesson_id, prediction, lang)?;
        let run = lesson
            .runs
            .first()
            .ok_or_else(|| js_error(format!("lesson `{lesson_id}` has no run")))?;
        let runs = [(run.id.as_str(), &self.config, &self.history)];
        to_json(&crate::run::lessons::outcome_with_configs_in(
            &lesson, &runs, prediction, lang,
        ))
    }

    /// The results card at the last step as JSON ([`views::ResultsCard`]), with the times from
    /// the worker's `measure-time` reply (its `timing` object as JSON) when they are known; its
    /// rows, notes and verdict in `lang` (`en`, `zh`; English when left out).
    pub fn card_json(
        &self,
        timing_json: Option<String>,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let time = super::parse_timing(timing_json.as_deref())?;
        let lang = Lang::or_default(lang.as_deref());
        let title = views::card_title_in(&self.config, lang);
        to_json(&views::results_card_in(
            &title,
            &self.history,
            time.as_ref(),
            lang,
        ))
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

impl Viewer {
    /// The weight heatmap of `tensor` at `step`, its words in `lang`.
    fn heatmap(&self, tensor: usize, step: f64, lang: Lang) -> Result<views::HeatmapGrid, JsError> {
        views::heatmap_in(&self.history, tensor, step as u64, lang)
            .ok_or_else(|| js_error(format!("no weights recorded for tensor {tensor} yet")))
    }

    /// The pruned-at map of `tensor` at `step`, its words in `lang`.
    fn pruned_at(
        &self,
        tensor: usize,
        step: f64,
        lang: Lang,
    ) -> Result<views::PrunedAtGrid, JsError> {
        views::pruned_at_grid_in(&self.history, tensor, step as u64, lang)
            .ok_or_else(|| js_error(format!("no masks recorded for tensor {tensor}")))
    }

    /// Where the tiles of weight view `view` of `tensor` at `step` land on a `width`×`height`
    /// canvas (`None` before weights are recorded): the one layout hover and keyboard use.
    fn tile_layout(
        &self,
        view: &str,
        tensor: usize,
        step: u64,
        width: u32,
        height: u32,
    ) -> Result<Option<Vec<TileRect>>, JsError> {
        Ok(match views::WeightView::parse(view).map_err(js_error)? {
            views::WeightView::Heatmap => views::heatmap(&self.history, tensor, step)
                .map(|grid| heatmap_layout(&grid, width, height)),
            views::WeightView::PrunedAt => views::pruned_at_grid(&self.history, tensor, step)
                .map(|grid| pruned_at_layout(&grid, width, height)),
        })
    }
}
