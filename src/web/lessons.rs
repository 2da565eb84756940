//! The lessons for the page: the embedded `lessons/lessons.json`, checked, with its texts in the
//! page's language (`lessons/lessons.zh.json` for Chinese), and each lesson's outcome from the
//! histories the page holds (see `run::lessons`).

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::i18n::Lang;
use crate::run::lessons::{self, Lesson};

/// Every lesson as JSON (id, title, summary, runs, question with choice labels, steps, claim
/// texts, measure_time), its texts in `lang` (`en`, `zh`; English when left out). Throws only if
/// the embedded lesson file or its overlay is broken.
#[wasm_bindgen]
pub fn lessons_json(lang: Option<String>) -> Result<String, JsError> {
    let lessons = lessons::all_in(Lang::or_default(lang.as_deref())).map_err(js_error)?;
    lessons::public_json(&lessons).map_err(js_error)
}

/// The lesson `id` with its texts in `lang`, and a prediction the page passed (`undefined` or a
/// choice index).
pub(super) fn lesson_and_prediction(
    id: &str,
    prediction: Option<f64>,
    lang: Lang,
) -> Result<(Lesson, Option<usize>), JsError> {
    let lesson = lessons::all_in(lang)
        .map_err(js_error)?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or_else(|| js_error(format!("no lesson `{id}`")))?;
    let choices = lesson.question.choices.len();
    let prediction = match prediction {
        None => None,
        Some(p) if p >= 0.0 && p.fract() == 0.0 && (p as usize) < choices => Some(p as usize),
        Some(p) => {
            return Err(js_error(format!(
                "prediction {p} is not a choice of lesson `{id}` (0 to {})",
                choices - 1
            )))
        }
    };
    Ok((lesson, prediction))
}
