//! Sweep mode in Compare: the plan (which points share a pre-training, split between workers),
//! a worker's share of the runs ([`SweepWorker`], in the training worker), and the chart and table
//! of the finished points (on the page). The rules are `run::sweep` and `run::views::sweep`.

use std::sync::Arc;

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, js_error_in, to_json};
use crate::data::Dataset;
use crate::i18n::Lang;
use crate::run::sweep::{assign, group, SweepRunner};
use crate::run::views::{
    chart_table_in, parse_sparsity_percents, sweep_chart_in_order, LineChart, SweepRow,
};
use crate::run::{PruningRun, RunConfig};

type Start = Box<dyn FnMut(&RunConfig) -> crate::Result<PruningRun>>;

fn configs(configs_json: &str) -> Result<Vec<RunConfig>, JsError> {
    let configs: Vec<RunConfig> = serde_json::from_str(configs_json)
        .map_err(|e| js_error(format!("invalid sweep settings: {e}")))?;
    for config in &configs {
        config.validate().map_err(js_error)?;
    }
    Ok(configs)
}

/// How a sweep of `configs_json` (a JSON array of run configurations) is trained by `workers`,
/// as plain numbers (smaller in the wasm than JSON): `[pretrainings, runs, worker count, then per
/// worker: its piece count, per piece: its run count, per run: its point count and the points]`.
/// Pre-trainings are the sweep's shared dense trainings (before splitting between workers); runs
/// count the points at sparsity 0 that share a pre-training once; a run's first point trains,
/// the others reuse its result. See [`assign`].
#[wasm_bindgen]
pub fn sweep_plan(configs_json: &str, workers: usize) -> Result<Vec<f64>, JsError> {
    let configs = configs(configs_json)?;
    let groups = group(&configs);
    let plan = assign(&configs, workers);
    let mut out = vec![
        groups.iter().filter(|g| g.shared).count() as f64,
        groups.iter().map(|g| g.runs.len()).sum::<usize>() as f64,
        plan.len() as f64,
    ];
    for pieces in &plan {
        out.push(pieces.len() as f64);
        for piece in pieces {
            out.push(piece.runs.len() as f64);
            for run in &piece.runs {
                out.push(run.len() as f64);
                out.extend(run.iter().map(|&p| p as f64));
            }
        }
    }
    Ok(out)
}

/// One worker's share of a sweep, trained run by run.
#[wasm_bindgen]
pub struct SweepWorker {
    runner: SweepRunner<Start>,
    /// The page's language, for a run's own errors (a diverging loss).
    lang: Lang,
}

#[wasm_bindgen]
impl SweepWorker {
    #[wasm_bindgen(constructor)]
    pub fn new(configs_json: &str, dataset_bytes: &[u8]) -> Result<SweepWorker, JsError> {
        let configs = configs(configs_json)?;
        let dataset = Arc::new(Dataset::from_bytes(dataset_bytes).map_err(js_error)?);
        let start: Start =
            Box::new(move |config: &RunConfig| PruningRun::new(config.clone(), dataset.clone()));
        Ok(SweepWorker {
            runner: SweepRunner::new(configs, start),
            lang: Lang::En,
        })
    }

    /// The language (`en`, `zh`; English when left out) of the errors the runs report.
    pub fn set_language(&mut self, lang: Option<String>) {
        self.lang = Lang::or_default(lang.as_deref());
    }

    /// Trains the next run (the group's dense pre-training first, when it starts a group);
    /// returns `undefined` when this worker's share is done, else plain numbers:
    /// `[total parameters, then per point the run stands for: the point (an index into this
    /// worker's configurations), test accuracy, sparsity reached, kept parameters, training MACs]`
    /// from the run's final evaluation.
    pub fn next_run(&mut self) -> Result<Option<Vec<f64>>, JsError> {
        let Some(result) = self.runner.next_run() else {
            return Ok(None);
        };
        let (points, run) = result.map_err(|e| js_error_in(&e, self.lang))?;
        let last = run
            .history()
            .records
            .evals
            .last()
            .ok_or_else(|| js_error("the run recorded no evaluation"))?;
        let mut out = vec![run.network().param_count() as f64];
        for point in points {
            out.extend([
                point as f64,
                f64::from(last.test_accuracy),
                last.sparsity,
                f64::from(last.kept),
                last.macs_actual as f64,
            ]);
        }
        Ok(Some(out))
    }
}

/// The chart from the finished points: `order_json` names the strategies as the chart shows them,
/// in the order chosen (their colours); `points` holds three numbers per finished point: its
/// strategy's index in that list, its target sparsity and its test accuracy (all the chart reads;
/// plain numbers rather than JSON rows keep the wasm small).
/// The chart's words are in `lang` (`en`, `zh`; English when left out).
fn chart(order_json: &str, points: &[f64], lang: Option<String>) -> Result<LineChart, JsError> {
    let order: Vec<String> = serde_json::from_str(order_json).map_err(js_error)?;
    let rows = points
        .chunks_exact(3)
        .map(|p| {
            let strategy = order
                .get(p[0] as usize)
                .ok_or_else(|| js_error(format!("no strategy {} in the sweep", p[0])))?;
            Ok(SweepRow {
                strategy: strategy.clone(),
                target_sparsity: p[1],
                seed: 0,
                test_accuracy: p[2],
                sparsity: p[1],
                kept_params: 0,
                train_macs: 0,
                energy_joules: 0.0,
            })
        })
        .collect::<Result<Vec<_>, JsError>>()?;
    let lang = Lang::or_default(lang.as_deref());
    Ok(sweep_chart_in_order(&rows, &order, lang))
}

/// The sweep chart (see [`chart`] for the arguments).
#[wasm_bindgen]
pub fn draw_sweep_chart(
    canvas: HtmlCanvasElement,
    order_json: &str,
    points: &[f64],
    lang: Option<String>,
) -> Result<(), JsError> {
    draw(canvas, Figure::Line(&chart(order_json, points, lang)?))
}

/// The sweep chart's data as a table (JSON `DataTable`), for its "Show data".
#[wasm_bindgen]
pub fn sweep_chart_data_json(
    order_json: &str,
    points: &[f64],
    lang: Option<String>,
) -> Result<String, JsError> {
    let table_lang = Lang::or_default(lang.as_deref());
    to_json(&chart_table_in(
        &chart(order_json, points, lang)?,
        table_lang,
    ))
}

/// The typed sparsity list (percent) as fractions in increasing order (JSON array), or the
/// error that says what is wrong.
#[wasm_bindgen]
pub fn sweep_sparsities_json(text: &str) -> Result<String, JsError> {
    to_json(&parse_sparsity_percents(text).map_err(js_error)?)
}
