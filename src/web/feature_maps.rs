//! Feature maps, dense vs pruned ("Inside the network" in Try it).
//!
//! The worker has what they need (the test digits, the dense reference, the run and its history):
//! [`maps_json`] computes them there. The page keeps the answer in a [`FeatureMapsView`] and draws
//! it on its canvases (plotters needs the main thread's canvas to measure text).

use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::{js_error, to_json};
use crate::charts::feature_maps_layout;
use crate::data::{fill_batch, Dataset};
use crate::i18n::{tr, Lang};
use crate::run::views::{self, numbers, FeatureMaps, ShownNetwork};
use crate::run::{DenseReference, PruningRun};

/// The worker's answer: the maps, and the test digit when one was picked.
#[derive(Serialize)]
struct Answer {
    maps: FeatureMaps,
    /// The picked test digit's grey levels (28×28), its label and position; `None` for the drawn one.
    test: Option<TestDigit>,
    /// How many test digits there are to pick from.
    test_count: usize,
    /// The language of the words (`en`, `zh`): the page's `FeatureMapsView` makes its own in it.
    lang: &'static str,
}

#[derive(Serialize)]
struct TestDigit {
    position: usize,
    label: u8,
    pixels: Vec<u8>,
}

/// The feature maps of test digit `test_position` (0-based, among the run's test digits) or,
/// without one, of the drawn `input` (normalised 28×28), for the dense reference and the network
/// at timeline step `step` (`None` or the current step or later: the network now), as JSON with
/// its words in `lang`.
pub(super) fn maps_json(
    run: &PruningRun,
    dataset: &Dataset,
    test_position: Option<u32>,
    input: Option<Vec<f32>>,
    step: Option<f64>,
    lang: Lang,
) -> Result<String, JsError> {
    let tests = &run.trainer().split().test;
    let (input, digit, test) = match (test_position, input) {
        (Some(position), _) => {
            let position = position as usize;
            let &index = tests.get(position).ok_or_else(|| {
                js_error(format!(
                    "no test digit {}; there are {}",
                    position + 1,
                    tests.len()
                ))
            })?;
            let mut input = vec![0.0; run.network().input_len()];
            let mut label = [0u8];
            fill_batch(dataset, &[index], &mut input, &mut label);
            let digit = tr(
                lang,
                "fmap.digit.test",
                &[
                    ("position", &numbers::count(position as u64 + 1)),
                    ("count", &numbers::count(tests.len() as u64)),
                    ("label", &label[0]),
                ],
            );
            let test = TestDigit {
                position,
                label: label[0],
                pixels: dataset.image(index).to_vec(),
            };
            (input, digit, Some(test))
        }
        (None, Some(input)) => (input, tr(lang, "fmap.digit.drawn", &[]), None),
        (None, None) => return Err(js_error("pick a test digit or draw one first")),
    };

    let now = run.global_step();
    let past = step.map(|s| s.max(0.0) as u64).filter(|&s| s < now);
    let (mut at_step, title, caption) = match past {
        None => (
            run.network().clone_parameters(),
            tr(lang, "fmap.side.now", &[("step", &numbers::count(now))]),
            tr(lang, "fmap.caption.now", &[]),
        ),
        Some(step) => {
            let (network, weights_step) =
                views::network_at_step(run.history(), run.network(), step).map_err(js_error)?;
            let caption = views::step_caption_in(step, weights_step, lang);
            let title = tr(lang, "fmap.side.step", &[("step", &numbers::count(step))]);
            (network, title, caption)
        }
    };
    let mut dense = run.dense_network().map(|n| n.clone_parameters());
    let mut shown = Vec::new();
    if let Some(dense) = dense.as_mut() {
        shown.push(ShownNetwork {
            title: tr(lang, "fmap.side.dense", &[]),
            caption: tr(lang, "fmap.caption.dense", &[]),
            network: dense,
        });
    }
    shown.push(ShownNetwork {
        title,
        caption,
        network: &mut at_step,
    });
    let note = match run.dense_reference() {
        DenseReference::NotYetPruned => Some(tr(lang, "fmap.note.not-pruned", &[])),
        // `DenseReference::absence_reason`, in `lang`.
        DenseReference::SparseFromStepZero => Some(tr(lang, "fmap.note.no-dense", &[])),
        DenseReference::Recorded(_) => None,
    };
    let maps = views::feature_maps_in(&digit, &input, shown, note, lang).map_err(js_error)?;
    to_json(&Answer {
        maps,
        test,
        test_count: tests.len(),
        lang: lang.code(),
    })
}

/// The page's copy of one answer of the worker's `feature_maps_json`, drawn side by side.
#[wasm_bindgen]
pub struct FeatureMapsView {
    maps: FeatureMaps,
}

#[wasm_bindgen]
impl FeatureMapsView {
    /// From the `maps` part of the worker's answer, as JSON; the words it makes (captions, the
    /// data table, the chart's labels) in `lang` (`en`, `zh`; English when left out), which should
    /// be the language the worker was asked for.
    #[wasm_bindgen(constructor)]
    pub fn new(maps_json: &str, lang: Option<String>) -> Result<FeatureMapsView, JsError> {
        let mut maps: FeatureMaps = serde_json::from_str(maps_json)
            .map_err(|e| js_error(format!("invalid feature maps: {e}")))?;
        maps.lang = Lang::or_default(lang.as_deref());
        Ok(FeatureMapsView { maps })
    }

    /// How many networks are shown (2: dense and pruned; 1 without a dense network).
    pub fn sides(&self) -> usize {
        self.maps.sides.len()
    }

    /// The side's title ("Dense", "Step 1,200 (now)").
    pub fn title(&self, side: usize) -> String {
        self.maps
            .sides
            .get(side)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    /// The predictions in a sentence.
    pub fn summary(&self) -> String {
        self.maps.summary.clone()
    }

    /// Why only one network is shown, when that is so.
    pub fn note(&self) -> Option<String> {
        self.maps.note.clone()
    }

    /// Draws side `side`'s maps and probabilities.
    pub fn draw(&self, canvas: HtmlCanvasElement, side: usize) -> Result<(), JsError> {
        draw(canvas, Figure::FeatureMaps(&self.maps, side))
    }

    /// Where side `side`'s maps land on a `width`×`height` canvas, as JSON (`charts::MapRect`):
    /// the page maps hover and its keyboard cursor to a filter with it.
    pub fn layout_json(&self, side: usize, width: u32, height: u32) -> Result<String, JsError> {
        let layout =
            feature_maps_layout(&self.maps, side, width, height).map_err(|e| js_error(e.0))?;
        to_json(&layout)
    }

    /// Draws the kernel of filter `filter` of conv layer `layer` on side `side`.
    pub fn draw_filter(
        &self,
        canvas: HtmlCanvasElement,
        side: usize,
        layer: usize,
        filter: usize,
    ) -> Result<(), JsError> {
        let grid = views::feature_filter(&self.maps, side, layer, filter)
            .ok_or_else(|| js_error(format!("no filter {filter} in layer {layer}")))?;
        draw(canvas, Figure::Heatmap(&grid))
    }

    /// That filter in a sentence (layer, index, kept weights, strongest response).
    pub fn filter_caption(&self, side: usize, layer: usize, filter: usize) -> String {
        views::filter_caption(&self.maps, side, layer, filter)
    }

    /// The maps as a table (JSON `DataTable`), for "show data".
    pub fn data_json(&self) -> Result<String, JsError> {
        to_json(&views::feature_maps_table(&self.maps))
    }
}
