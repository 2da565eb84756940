//! The lessons in another language: `lessons/lessons.zh.json` holds, per lesson id, the
//! translated texts only (title, summary, run labels, question, choice labels, steps,
//! `what_happened` lines, claim texts). Everything a test or the page's configuration reads —
//! ids, hashes, `when`, `check` — stays in `lessons/lessons.json`, so the checked experiment is
//! the same in every language; [`localise`] replaces the texts of the loaded English lessons.
//!
//! An overlay must match the lessons exactly: a missing lesson or field, a count of steps,
//! choices, claims or lines that differs, or a line whose placeholders differ is an error
//! naming the lesson, never a silent fallback to English.

use std::collections::BTreeMap;
use std::io::Read;

use serde::Deserialize;

use super::load::LessonError;
use super::model::Lesson;
use super::text::{placeholders, Field};
use crate::i18n::Lang;

/// The deflated Chinese overlay (build.rs writes it from `lessons/lessons.zh.json`).
const ZH_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lessons.zh.json.deflate"));

/// One lesson's texts in another language.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonText {
    pub title: String,
    pub summary: String,
    /// Each run's label, by run id.
    pub runs: BTreeMap<String, String>,
    pub question: QuestionText,
    pub steps: Vec<String>,
    pub what_happened: Vec<String>,
    /// Each claim's text, in the English file's order.
    pub claims: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionText {
    pub text: String,
    /// Each choice's label, in the English file's order.
    pub choices: Vec<String>,
}

/// The overlay file of `lang` as it is in `lessons/` (JSON text); `None` for English, which is
/// `lessons/lessons.json` itself.
pub fn overlay_json(lang: Lang) -> Option<String> {
    let deflated = match lang {
        Lang::En => return None,
        Lang::Zh => ZH_DEFLATED,
    };
    let mut text = String::new();
    // Written by build.rs from the repository's file: a failure is a broken build.
    flate2::read::DeflateDecoder::new(deflated)
        .read_to_string(&mut text)
        .expect("the embedded lesson overlay inflates");
    Some(text)
}

/// The path of `lang`'s overlay, for messages.
pub fn overlay_path(lang: Lang) -> String {
    format!("lessons/lessons.{}.json", lang.code())
}

/// `lessons` with every text replaced by the overlay's (`json`, the file `path`). Fails on the
/// first lesson the overlay does not cover exactly, naming the lesson and what is wrong.
pub fn localise(lessons: &[Lesson], json: &str, path: &str) -> Result<Vec<Lesson>, LessonError> {
    let file_error = |message: String| LessonError {
        lesson: format!("({path})"),
        message,
    };
    let mut overlay: BTreeMap<String, serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| file_error(format!("not an object of lessons by id: {e}")))?;
    let mut localised = Vec::with_capacity(lessons.len());
    for lesson in lessons {
        let fail = |message: String| LessonError {
            lesson: lesson.id.clone(),
            message: format!("{path}: {message}"),
        };
        let value = overlay
            .remove(&lesson.id)
            .ok_or_else(|| fail("the lesson has no entry".into()))?;
        let text: LessonText = serde_json::from_value(value)
            .map_err(|e| fail(format!("not a lesson's texts: {e}")))?;
        localised.push(apply(lesson, text).map_err(fail)?);
    }
    if let Some(id) = overlay.keys().next() {
        return Err(file_error(format!(
            "`{id}` is not a lesson of lessons/lessons.json"
        )));
    }
    Ok(localised)
}

/// `lesson` with the texts of `text`, after checking that they match it field by field.
fn apply(lesson: &Lesson, text: LessonText) -> Result<Lesson, String> {
    let counts = [
        (
            "question.choices",
            lesson.question.choices.len(),
            text.question.choices.len(),
        ),
        ("steps", lesson.steps.len(), text.steps.len()),
        (
            "what_happened",
            lesson.what_happened.len(),
            text.what_happened.len(),
        ),
        ("claims", lesson.claims.len(), text.claims.len()),
    ];
    for (field, english, translated) in counts {
        if english != translated {
            return Err(format!(
                "`{field}` has {translated} entries; the English lesson has {english}"
            ));
        }
    }
    let run_ids: Vec<&str> = lesson.runs.iter().map(|r| r.id.as_str()).collect();
    let labelled: Vec<&str> = text.runs.keys().map(String::as_str).collect();
    let mut sorted_ids = run_ids.clone();
    sorted_ids.sort_unstable();
    if sorted_ids != labelled {
        return Err(format!(
            "`runs` labels runs {}; the lesson's runs are {}",
            labelled.join(", "),
            run_ids.join(", ")
        ));
    }
    let mut localised = lesson.clone();
    localised.title = text.title;
    localised.summary = text.summary;
    for run in &mut localised.runs {
        run.label = text.runs[&run.id].clone();
    }
    localised.question.text = text.question.text;
    for (choice, label) in localised
        .question
        .choices
        .iter_mut()
        .zip(text.question.choices)
    {
        choice.label = label;
    }
    localised.steps = text.steps;
    for (i, (english, translated)) in lesson
        .what_happened
        .iter()
        .zip(&text.what_happened)
        .enumerate()
    {
        let (english, translated) = (placeholder_names(english)?, placeholder_names(translated)?);
        if english != translated {
            return Err(format!(
                "what_happened line {}: the placeholders are {}; the English line's are {}",
                i + 1,
                list(&translated),
                list(&english)
            ));
        }
    }
    localised.what_happened = text.what_happened;
    for (claim, translated) in localised.claims.iter_mut().zip(text.claims) {
        claim.text = translated;
    }
    let mut texts = vec![
        ("title", &localised.title),
        ("summary", &localised.summary),
        ("question.text", &localised.question.text),
    ];
    texts.extend(localised.runs.iter().map(|r| ("runs", &r.label)));
    texts.extend(
        localised
            .question
            .choices
            .iter()
            .map(|c| ("question.choices", &c.label)),
    );
    texts.extend(localised.steps.iter().map(|s| ("steps", s)));
    texts.extend(localised.what_happened.iter().map(|l| ("what_happened", l)));
    texts.extend(localised.claims.iter().map(|c| ("claims", &c.text)));
    if let Some((field, _)) = texts.iter().find(|(_, t)| t.trim().is_empty()) {
        return Err(format!("`{field}` has an empty text"));
    }
    Ok(localised)
}

/// The placeholders of `line` as written (`{run.metric}`), sorted: a translation may reorder them.
fn placeholder_names(line: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = placeholders(line)
        .map_err(|e| format!("what_happened: {e}"))?
        .into_iter()
        .map(|(run, field)| match field {
            Field::Label => format!("{{{run}.label}}"),
            Field::Metric(metric) => format!("{{{run}.{}}}", metric.name()),
        })
        .collect();
    names.sort_unstable();
    Ok(names)
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(" ")
    }
}
