//! What the controls need from the core: defaults, presets, validation and parameter counts.

use wasm_bindgen::prelude::*;

use super::{js_error, js_error_in, to_json};
use crate::i18n::Lang;
use crate::nn::ArchSpec;
use crate::run::RunConfig;

/// The default run configuration as JSON.
#[wasm_bindgen]
pub fn default_config_json() -> Result<String, JsError> {
    to_json(&RunConfig::default())
}

/// A preset architecture (`default`, `lenet5`, `reference`) as JSON.
#[wasm_bindgen]
pub fn preset_json(name: &str) -> Result<String, JsError> {
    to_json(&ArchSpec::preset(name).map_err(js_error)?)
}

/// Checks a JSON [`RunConfig`]: `{ok, message, params, prunable}` — never throws for bad settings.
/// `lang` (`en`, `zh`; English when left out) is the message's language.
#[wasm_bindgen]
pub fn check_config_json(config_json: &str, lang: Option<String>) -> Result<String, JsError> {
    let lang = Lang::or_default(lang.as_deref());
    to_json(&crate::run::views::check_config_json(config_json, lang))
}

/// Every named choice of a run (strategies, schedules, scopes, granularities, rewinds,
/// optimisers, learning-rate schedules) with its label, and the defaults the page's texts quote,
/// as JSON (see [`crate::run::catalog`]). The page builds its option lists from it.
/// Labels in `lang` (`en`, `zh`; English when left out).
#[wasm_bindgen]
pub fn catalog_json(lang: Option<String>) -> Result<String, JsError> {
    to_json(&crate::run::catalog::catalog_in(Lang::or_default(
        lang.as_deref(),
    )))
}

/// Reads the URL hash: `{config, ui, notices}` as JSON, the notices in `lang` (`en`, `zh`;
/// English when left out). Never throws for a bad hash.
#[wasm_bindgen]
pub fn decode_hash_json(hash: &str, lang: Option<String>) -> Result<String, JsError> {
    let lang = Lang::or_default(lang.as_deref());
    to_json(&crate::run::url::decode_in(hash, lang))
}

/// The hash (without `#`) for a JSON config and the page's options (`[[key, value], …]`).
#[wasm_bindgen]
pub fn encode_hash(config_json: &str, ui_json: &str) -> Result<String, JsError> {
    let config: RunConfig = serde_json::from_str(config_json).map_err(js_error)?;
    let ui: Vec<(String, String)> = serde_json::from_str(ui_json).map_err(js_error)?;
    Ok(crate::run::url::encode(&config, &ui))
}

/// The preset name of a JSON architecture, or `undefined`.
#[wasm_bindgen]
pub fn preset_name(architecture_json: &str) -> Option<String> {
    let spec: ArchSpec = serde_json::from_str(architecture_json).ok()?;
    crate::run::url::preset_name(&spec).map(str::to_string)
}

/// A JSON architecture as the editable layer list, e.g. `c10k5-r-p2-c20k3-r-p2-d10`.
#[wasm_bindgen]
pub fn architecture_text(architecture_json: &str) -> Result<String, JsError> {
    let spec: ArchSpec = serde_json::from_str(architecture_json).map_err(js_error)?;
    Ok(crate::run::url::arch_to_text(&spec))
}

/// Parses an edited layer list; throws with a message saying what is wrong, in `lang` (`en`,
/// `zh`; English when left out).
#[wasm_bindgen]
pub fn architecture_from_text(text: &str, lang: Option<String>) -> Result<String, JsError> {
    let lang = Lang::or_default(lang.as_deref());
    to_json(&crate::run::url::arch_from_text(text).map_err(|e| js_error_in(&e, lang))?)
}

/// The prunable layers of an architecture (its editable text, e.g. `c10k5-r-p2-d10`, or a
/// preset name) in order, as JSON `["conv1", "conv2", "fc1"]`: the names per-layer sparsity
/// overrides (`prune.layer_targets`) use. Throws with the parser's message for a bad text.
#[wasm_bindgen]
pub fn layer_names_json(architecture_text: &str) -> Result<String, JsError> {
    let spec = crate::run::url::arch_from_text(architecture_text).map_err(js_error)?;
    to_json(&crate::prune::layer_targets::layer_names(&spec))
}

/// A drawing (RGBA bytes of a `width`×`height` canvas) as the network's 784 inputs; throws
/// (e.g. nothing drawn yet) with a message in `lang` (`en`, `zh`; English when left out).
#[wasm_bindgen]
pub fn digit_input(
    rgba: &[u8],
    width: usize,
    height: usize,
    lang: Option<String>,
) -> Result<Vec<f32>, JsError> {
    let lang = Lang::or_default(lang.as_deref());
    crate::data::drawn_digit::digit_input(rgba, width, height).map_err(|e| js_error_in(&e, lang))
}
