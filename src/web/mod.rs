//! The `#[wasm_bindgen]` facade of the site (wasm32 only). Thin: every function converts its
//! arguments, calls the core and converts the answer; errors become `JsError` with the core's
//! message, never a panic across the boundary.
//!
//! - [`Session`] runs in the worker: a [`crate::run::PruningRun`] stepped in time slices, handing out
//!   history chunks as JSON.
//! - [`Viewer`] and [`Comparison`] live on the page (plotters needs the DOM to lay out text): they
//!   mirror histories and draw them on canvases with the same `charts` functions the CLI uses.
//! - [`FeatureMapsView`]: feature maps, dense vs pruned (computed by `Session`, drawn on the page).
//! - [`lessons_json`]: the lessons; `Viewer` and `Comparison` judge a lesson's outcome.
//! - [`sweep_plan`], [`SweepWorker`], [`draw_sweep_chart`]: Compare's sweep mode.
//! - [`i18n_catalog_json`]: the language catalog the page's texts come from.
//! - `network`: the `Viewer`'s network view (drawing, layout, counts, node descriptions).
//! - [`settings`]: defaults, presets, parameter counts and validation for the controls.

mod bench;
mod compare;
mod draw;
mod feature_maps;
mod i18n;
mod lessons;
mod network;
mod session;
mod settings;
mod sweep;
mod timing;
mod viewer;
mod zip_files;

pub use bench::{bench_eval_ms, bench_training_json};
pub use compare::Comparison;
pub use draw::draw_predictions;
pub use feature_maps::FeatureMapsView;
pub use i18n::i18n_catalog_json;
pub use lessons::lessons_json;
pub use session::Session;
pub use settings::*;
pub use sweep::{
    draw_sweep_chart, sweep_chart_data_json, sweep_plan, sweep_sparsities_json, SweepWorker,
};
pub use viewer::{parse_session_file, Viewer};
pub use zip_files::ZipFiles;

use wasm_bindgen::prelude::*;

/// Call once per instance (page and worker): turns a Rust panic into a console message.
#[wasm_bindgen]
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// Any core error as a JavaScript `Error` carrying its message.
fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// A core error as a JavaScript `Error` with its message in the page's language.
fn js_error_in(error: &crate::Error, lang: crate::i18n::Lang) -> JsError {
    JsError::new(&error.render(lang))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(js_error)
}

/// The times a worker measured (`measure-time`'s `timing` as JSON), or none.
fn parse_timing(json: Option<&str>) -> Result<Option<crate::run::views::MeasuredTime>, JsError> {
    json.map(|json| {
        serde_json::from_str(json).map_err(|e| js_error(format!("invalid measured times: {e}")))
    })
    .transpose()
}
