//! The page's language catalog, from the same embedded files the core formats its messages with.

use wasm_bindgen::prelude::*;

use crate::i18n::Lang;

/// The whole catalog of `lang` (`en`, `zh`, or a tag like `zh-CN`) as JSON text: a flat object
/// `key → text` with `{name}` placeholders. Throws for a language without a catalog.
///
/// Named `i18n_` because `catalog_json` is already the catalog of named choices (settings.rs).
#[wasm_bindgen]
pub fn i18n_catalog_json(lang: &str) -> Result<String, JsError> {
    let lang = Lang::parse(lang).ok_or_else(|| {
        JsError::new(&format!(
            "no catalog for language `{lang}`; allowed: en, zh"
        ))
    })?;
    Ok(crate::i18n::catalog_json(lang))
}
