//! The network view's exports on [`Viewer`]: draw it, lay it out for the pointer and the keyboard,
//! count its connections, describe a node. Thin glue over `run::views::network` and
//! `charts::draw_network`.

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{draw, Figure};
use super::viewer::Viewer;
use super::{js_error, to_json};
use crate::charts::network_layout;
use crate::i18n::Lang;
use crate::run::views::{self, NetworkView};

impl Viewer {
    fn network(
        &self,
        step: f64,
        from: f64,
        input: Option<&[f32]>,
        lang: Option<String>,
    ) -> Result<NetworkView, JsError> {
        let lang = Lang::or_default(lang.as_deref());
        views::network_view_in(&self.history, step as u64, from as u64, input, lang)
            .ok_or_else(|| js_error("no weights recorded yet"))
    }
}

#[wasm_bindgen]
impl Viewer {
    /// Draws the network at `step`, `progress` (0 to 1) of the way from the step shown before
    /// (`from`; pass `step` for none), with `input` (a test digit's pixels) in the input column;
    /// its words in `lang` (`en`, `zh`; English when left out).
    pub fn draw_network(
        &self,
        canvas: HtmlCanvasElement,
        step: f64,
        from: f64,
        progress: f64,
        input: Option<Vec<f32>>,
        lang: Option<String>,
    ) -> Result<(), JsError> {
        let view = self.network(step, from, input.as_deref(), lang)?;
        draw(canvas, Figure::Network(&view, progress.clamp(0.0, 1.0)))
    }

    /// The network's counts at `step` and the sentence naming them, as JSON
    /// ([`views::NetworkSummary`]), the sentence in `lang` (`en`, `zh`; English when left out).
    pub fn network_summary_json(&self, step: f64, lang: Option<String>) -> Result<String, JsError> {
        let view = self.network(step, step, None, lang)?;
        to_json(&views::network_summary(&self.history, &view))
    }

    /// Where the network's nodes land on a `width`×`height` canvas at `step` (layout pixels):
    /// six numbers per node, `column, node, x, y, width, height` (see
    /// [`crate::charts::NetworkLayout`]). The page finds the node under the pointer or the
    /// keyboard cursor in it. A flat array: no JSON code for one list of numbers.
    pub fn network_layout(&self, step: f64, width: u32, height: u32) -> Result<Vec<f64>, JsError> {
        let view = self.network(step, step, None, None)?;
        let layout = network_layout(&view, width, height);
        Ok(layout
            .nodes
            .iter()
            .flatten()
            .flat_map(|r| [r.column as f64, r.node as f64, r.x, r.y, r.width, r.height])
            .collect())
    }

    /// Whether any connection can change between steps `from` and `step` (a mask changed): the
    /// page animates only then.
    pub fn network_changes(&self, from: f64, step: f64) -> bool {
        views::masks_changed(&self.history, from as u64, step as u64)
    }

    /// Node `node` of column `column` at `step` in words, with the Weights view tile it opens,
    /// as JSON ([`views::NodeFacts`], `null` outside the network); the words in `lang` (`en`,
    /// `zh`; English when left out).
    pub fn network_node_json(
        &self,
        step: f64,
        column: usize,
        node: usize,
        lang: Option<String>,
    ) -> Result<String, JsError> {
        let view = self.network(step, step, None, lang)?;
        to_json(&views::node_facts(&self.history, &view, column, node))
    }
}
