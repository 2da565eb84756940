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
pub fn localise(
    mut lessons: Vec<Lesson>,
    json: &str,
    path: &str,
) -> Result<Vec<Lesson>, LessonError> {
    // Parsed in one pass straight into the texts (no `serde_json::Value` on the way: the page's
    // wasm would carry a second deserializer for it); a parse error is traced to its lesson by line.
    let overlay: BTreeMap<String, LessonText> =
        serde_json::from_str(json).map_err(|e| LessonError {
            lesson: lesson_at_line(json, e.line()).unwrap_or_else(|| format!("({path})")),
            message: format!("{path}: not an object of lessons' texts by id: {e}"),
        })?;
    for lesson in &mut lessons {
        let id = lesson.id.clone();
        let fail = |message: String| LessonError {
            lesson: id.clone(),
            message: format!("{path}: {message}"),
        };
        let text = overlay
            .get(&id)
            .ok_or_else(|| fail("the lesson has no entry".into()))?;
        apply(lesson, text).map_err(fail)?;
    }
    if let Some(id) = overlay
        .keys()
        .find(|id| !lessons.iter().any(|l| &l.id == *id))
    {
        return Err(LessonError {
            lesson: format!("({path})"),
            message: format!("`{id}` is not a lesson of lessons/lessons.json"),
        });
    }
    Ok(lessons)
}

/// The lesson whose entry holds line `line` (1-based) of an overlay written one key a line: the
/// last `"id": {` at the top level (two spaces in) at or above it.
fn lesson_at_line(json: &str, line: usize) -> Option<String> {
    json.lines()
        .take(line)
        .filter_map(|l| {
            let key = l.strip_prefix("  \"")?;
            let (id, rest) = key.split_once('"')?;
            rest.trim_start().starts_with(':').then(|| id.to_string())
        })
        .last()
}

/// Gives `lesson` the texts of `text`, after checking that they match it field by field (and
/// leaves it as it was when they do not).
fn apply(lesson: &mut Lesson, text: &LessonText) -> Result<(), String> {
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
    let same_runs = text.runs.len() == lesson.runs.len()
        && lesson.runs.iter().all(|r| text.runs.contains_key(&r.id));
    if !same_runs {
        let labelled: Vec<&str> = text.runs.keys().map(String::as_str).collect();
        let run_ids: Vec<&str> = lesson.runs.iter().map(|r| r.id.as_str()).collect();
        return Err(format!(
            "`runs` labels runs {}; the lesson's runs are {}",
            labelled.join(", "),
            run_ids.join(", ")
        ));
    }
    for (i, (english, translated)) in lesson
        .what_happened
        .iter()
        .zip(&text.what_happened)
        .enumerate()
    {
        let (english, translated) = (placeholder_names(english)?, placeholder_names(translated)?);
        // The same placeholders, each as often, in any order (a translation may reorder them).
        let times = |names: &[String], name: &String| names.iter().filter(|n| *n == name).count();
        let same = english.len() == translated.len()
            && english
                .iter()
                .all(|name| times(&english, name) == times(&translated, name));
        if !same {
            return Err(format!(
                "what_happened line {}: the placeholders are {}; the English line's are {}",
                i + 1,
                list(&translated),
                list(&english)
            ));
        }
    }
    let mut texts = vec![
        ("title", &text.title),
        ("summary", &text.summary),
        ("question.text", &text.question.text),
    ];
    texts.extend(text.runs.values().map(|label| ("runs", label)));
    texts.extend(
        text.question
            .choices
            .iter()
            .map(|c| ("question.choices", c)),
    );
    texts.extend(text.steps.iter().map(|s| ("steps", s)));
    texts.extend(text.what_happened.iter().map(|l| ("what_happened", l)));
    texts.extend(text.claims.iter().map(|c| ("claims", c)));
    if let Some((field, _)) = texts.iter().find(|(_, t)| t.trim().is_empty()) {
        return Err(format!("`{field}` has an empty text"));
    }
    lesson.title.clone_from(&text.title);
    lesson.summary.clone_from(&text.summary);
    for run in &mut lesson.runs {
        run.label.clone_from(&text.runs[&run.id]);
    }
    lesson.question.text.clone_from(&text.question.text);
    for (choice, label) in lesson
        .question
        .choices
        .iter_mut()
        .zip(&text.question.choices)
    {
        choice.label.clone_from(label);
    }
    lesson.steps.clone_from(&text.steps);
    lesson.what_happened.clone_from(&text.what_happened);
    for (claim, translated) in lesson.claims.iter_mut().zip(&text.claims) {
        claim.text.clone_from(translated);
    }
    Ok(())
}

/// The placeholders of `line` as written (`{run.metric}`), in order.
fn placeholder_names(line: &str) -> Result<Vec<String>, String> {
    Ok(placeholders(line)
        .map_err(|e| format!("what_happened: {e}"))?
        .into_iter()
        .map(|(run, field)| match field {
            Field::Label => format!("{{{run}.label}}"),
            Field::Metric(metric) => format!("{{{run}.{}}}", metric.name()),
        })
        .collect())
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(" ")
    }
}
