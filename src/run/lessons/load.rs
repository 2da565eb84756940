//! Reading and checking lessons: every hash decodes without notices, every condition parses and
//! names the lesson's runs, every placeholder names a run and a metric. A broken lesson file is
//! refused as a whole with a message naming the lesson and what is wrong.

use std::collections::HashSet;

use super::expr::{self, Condition};
use super::model::{Lesson, Prepared};
use super::text::{placeholders, Field};
use crate::run::url;

/// A lesson that does not load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("lesson `{lesson}`: {message}")]
pub struct LessonError {
    pub lesson: String,
    pub message: String,
}

/// Parses and checks a lesson file (a JSON array of lessons).
pub fn load(json: &str) -> Result<Vec<Lesson>, LessonError> {
    let mut lessons: Vec<Lesson> = serde_json::from_str(json).map_err(|e| LessonError {
        lesson: "(file)".into(),
        message: format!("not a valid lesson file: {e}"),
    })?;
    let mut ids = HashSet::new();
    for lesson in &mut lessons {
        let fail = |message: String| LessonError {
            lesson: lesson.id.clone(),
            message,
        };
        if !ids.insert(lesson.id.clone()) {
            return Err(fail("the id is used by another lesson".into()));
        }
        lesson.prepared = prepare(lesson).map_err(fail)?;
    }
    Ok(lessons)
}

fn prepare(lesson: &Lesson) -> Result<Prepared, String> {
    let id_ok = !lesson.id.is_empty()
        && lesson
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err("the id must be lower-case letters, digits and `-`".into());
    }
    for (field, text) in [
        ("title", &lesson.title),
        ("summary", &lesson.summary),
        ("question", &lesson.question.text),
    ] {
        if text.trim().is_empty() {
            return Err(format!("`{field}` is empty"));
        }
    }
    for (field, count) in [
        ("runs", lesson.runs.len()),
        ("steps", lesson.steps.len()),
        ("what_happened", lesson.what_happened.len()),
        ("claims", lesson.claims.len()),
    ] {
        if count == 0 {
            return Err(format!("`{field}` is empty: a lesson needs at least one"));
        }
    }
    if lesson.question.choices.len() < 2 {
        return Err("the question needs at least two choices".into());
    }
    let mut run_ids = HashSet::new();
    let mut configs = Vec::new();
    for run in &lesson.runs {
        let id_ok = !run.id.is_empty()
            && run
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !run.id.starts_with(|c: char| c.is_ascii_digit());
        if !id_ok {
            return Err(format!(
                "run id `{}` must be letters, digits and `_`, not starting with a digit",
                run.id
            ));
        }
        if !run_ids.insert(run.id.as_str()) {
            return Err(format!("two runs have the id `{}`", run.id));
        }
        let decoded = url::decode(&run.hash);
        if let Some(notice) = decoded.notices.first() {
            return Err(format!("run `{}`: {notice}", run.id));
        }
        if let Some((key, _)) = decoded.ui.first() {
            return Err(format!(
                "run `{}`: `{key}` is a page option, not part of a run's configuration",
                run.id
            ));
        }
        configs.push(decoded.config);
    }
    // A comparison shares the initial weights and data order: one seed for all its runs.
    if configs
        .windows(2)
        .any(|w| w[0].train.seed != w[1].train.seed)
    {
        return Err("the runs of a comparison must share one seed".into());
    }
    let parse = |what: String, text: &str| -> Result<Condition, String> {
        let condition = expr::parse(text).map_err(|e| format!("{what} `{text}`: {e}"))?;
        for reference in condition.refs() {
            if !run_ids.contains(reference.run.as_str()) {
                return Err(format!(
                    "{what} `{text}` names run `{}`; this lesson's runs: {}",
                    reference.run,
                    run_list(lesson)
                ));
            }
        }
        Ok(condition)
    };
    let mut whens = Vec::new();
    for (i, choice) in lesson.question.choices.iter().enumerate() {
        whens.push(parse(
            format!("choice {} “{}”: when", i + 1, choice.label),
            &choice.when,
        )?);
    }
    let mut checks = Vec::new();
    for (i, claim) in lesson.claims.iter().enumerate() {
        checks.push(parse(format!("claim {}: check", i + 1), &claim.check)?);
    }
    for line in &lesson.what_happened {
        for (run, field) in placeholders(line).map_err(|e| format!("what_happened: {e}"))? {
            if !run_ids.contains(run.as_str()) {
                let name = match field {
                    Field::Label => "label",
                    Field::Metric(m) => m.name(),
                };
                return Err(format!("what_happened: placeholder `{{{run}.{name}}}` names run `{run}`; this lesson's runs: {}", run_list(lesson)));
            }
        }
    }
    Ok(Prepared {
        configs,
        whens,
        checks,
    })
}

fn run_list(lesson: &Lesson) -> String {
    lesson
        .runs
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
