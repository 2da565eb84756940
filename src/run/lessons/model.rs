//! A lesson as authored in `lessons/lessons.json`, and the part of it the page receives.

use serde::{Deserialize, Serialize};

use super::expr::Condition;
use crate::run::RunConfig;

/// One lesson: an experiment with a question asked before it runs, claims checked after it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Lower-case words joined by `-`; the page's `lesson=` link names it.
    pub id: String,
    pub title: String,
    /// One line for the README's list of lessons.
    pub summary: String,
    /// One run (the page's main run) or several (a comparison: same seed, same initial weights).
    pub runs: Vec<LessonRun>,
    pub question: Question,
    /// What to press and what to watch: descriptions, never results.
    pub steps: Vec<String>,
    /// Lines written from the runs' numbers (`{run.metric}`, `{run.label}`).
    pub what_happened: Vec<String>,
    /// Statements about the results, each with the condition that a test checks.
    pub claims: Vec<Claim>,
    /// The page measures time per epoch and per 1,000 images, dense vs pruned (shown, never claimed).
    #[serde(default)]
    pub measure_time: bool,
    /// An extra figure under "What happened" (an unknown name fails loading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<Show>,
    /// Filled in by loading: each run's configuration and every parsed condition.
    #[serde(skip)]
    pub prepared: Prepared,
}

/// Figures a lesson can add under "What happened".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    /// The first run's two most similar conv filters before pruning, side by side.
    SimilarFilters,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonRun {
    /// Letters, digits and `_`: expressions name it (`magnitude.accuracy`).
    pub id: String,
    pub label: String,
    /// A URL-hash configuration applied on top of the defaults (see `run::url`).
    pub hash: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub text: String,
    pub choices: Vec<Choice>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub label: String,
    /// The condition under which this answer is right, evaluated on the finished runs.
    pub when: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub text: String,
    pub check: String,
}

/// What loading adds to an authored lesson.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    /// One per run, in order.
    pub configs: Vec<RunConfig>,
    /// One per question choice, in order.
    pub whens: Vec<Condition>,
    /// One per claim, in order.
    pub checks: Vec<Condition>,
}

impl Lesson {
    /// The configuration of run `id`.
    pub fn config(&self, id: &str) -> Option<&RunConfig> {
        let index = self.runs.iter().position(|r| r.id == id)?;
        self.prepared.configs.get(index)
    }

    /// The page's view: everything but the conditions and templates, which stay in Rust.
    pub fn public(&self) -> PublicLesson<'_> {
        PublicLesson {
            id: &self.id,
            title: &self.title,
            summary: &self.summary,
            runs: &self.runs,
            question: PublicQuestion {
                text: &self.question.text,
                choices: self
                    .question
                    .choices
                    .iter()
                    .map(|c| PublicText { label: &c.label })
                    .collect(),
            },
            steps: &self.steps,
            claims: self
                .claims
                .iter()
                .map(|c| ClaimText { text: &c.text })
                .collect(),
            measure_time: self.measure_time,
            show: self.show,
        }
    }
}

/// One lesson as `lessons_json()` hands it to the page.
#[derive(Serialize)]
pub struct PublicLesson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub runs: &'a [LessonRun],
    pub question: PublicQuestion<'a>,
    pub steps: &'a [String],
    pub claims: Vec<ClaimText<'a>>,
    pub measure_time: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show: Option<Show>,
}

#[derive(Serialize)]
pub struct PublicQuestion<'a> {
    pub text: &'a str,
    pub choices: Vec<PublicText<'a>>,
}

#[derive(Serialize)]
pub struct PublicText<'a> {
    pub label: &'a str,
}

#[derive(Serialize)]
pub struct ClaimText<'a> {
    pub text: &'a str,
}
