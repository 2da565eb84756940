//! Lessons that are experiments: each lesson in `lessons/lessons.json` is one or more run
//! configurations, a question answered before running, lines written from the runs' numbers and
//! claims whose conditions `cargo test` checks on native runs (tests/lessons.rs). The page reads
//! the same file through the wasm export `lessons_json()`. How to write one: docs/lessons.md.
//!
//! - [`model`]: the authored shape and the page's view of it.
//! - [`load`]: parsing and checking (hashes, conditions, placeholders).
//! - [`expr`]: the condition language of `check` and `when`.
//! - [`metrics`]: the numbers a lesson may name, from a run's history.
//! - [`text`]: numbers as people write them, and the `{run.metric}` placeholders.
//! - [`target`]: whether a run reached its target sparsity, and why not.
//! - [`outcome`]: what happened, the prediction judged, the claims checked.
//! - [`overlay`]: the lessons' texts in another language (`lessons/lessons.zh.json`).

use crate::i18n::Lang;

pub mod expr;
pub mod load;
pub mod metrics;
pub mod model;
pub mod outcome;
pub mod overlay;
pub mod target;
pub mod text;

pub use load::{load, LessonError};
pub use metrics::{run_metrics, Metric, MetricKind, RunMetrics};
pub use model::Lesson;
pub use outcome::{
    outcome, outcome_in, outcome_with_configs, outcome_with_configs_in, ClaimOutcome, Outcome,
};
pub use overlay::localise;
pub use target::{target_status, target_status_in, TargetStatus};

/// The lesson file, embedded so the native tests and every build of the page read the same data.
pub const LESSONS_JSON: &str = include_str!("../../../lessons/lessons.json");

/// The embedded lessons, loaded and checked (in English, the language of `lessons/lessons.json`).
pub fn all() -> Result<Vec<Lesson>, LessonError> {
    load(LESSONS_JSON)
}

/// The embedded lessons with their texts in `lang`: English is [`all`]; another language is the
/// same lessons with every text from its overlay (see [`overlay`]), which must cover them all.
pub fn all_in(lang: Lang) -> Result<Vec<Lesson>, LessonError> {
    let lessons = all()?;
    match overlay::overlay_json(lang) {
        None => Ok(lessons),
        Some(json) => overlay::localise(lessons, &json, &overlay::overlay_path(lang)),
    }
}

/// The page's view of every lesson, as JSON (see [`Lesson::public`]).
pub fn public_json(lessons: &[Lesson]) -> serde_json::Result<String> {
    let public: Vec<_> = lessons.iter().map(Lesson::public).collect();
    serde_json::to_string(&public)
}
