//! What a lesson's runs showed: the "what happened" lines, the student's prediction judged, every
//! claim checked, and each run's target reached or missed (with the reason). The page and
//! `cargo test` call the same [`outcome`].

use serde::Serialize;

use super::expr::{Lookup, Ref};
use super::metrics::{is_finished, run_metrics, RunMetrics};
use super::model::Lesson;
use super::text::{count, display, render, Field};
use crate::run::history::History;
use crate::run::RunConfig;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// Every run has finished; until then `lines` say what is still running and nothing is judged.
    pub complete: bool,
    pub lines: Vec<String>,
    /// `None` when no prediction was given.
    pub prediction: Option<PredictionOutcome>,
    pub claims: Vec<ClaimOutcome>,
    pub targets: Vec<TargetLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PredictionOutcome {
    /// Index of the chosen answer.
    pub chosen: usize,
    /// `None` until every run has finished.
    pub right: Option<bool>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimOutcome {
    pub text: String,
    pub holds: bool,
    /// The numbers compared, e.g. `93.2% > 88.1% + 2 pt`.
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetLine {
    pub run: String,
    pub label: String,
    pub reached: bool,
    pub reason: Option<String>,
}

/// The outcome of `lesson` with its runs' histories (by run id), each run configured as the
/// lesson says. A run id missing from `runs` counts as not started.
pub fn outcome(lesson: &Lesson, runs: &[(&str, &History)], prediction: Option<usize>) -> Outcome {
    let with_configs: Vec<(&str, &RunConfig, &History)> = runs
        .iter()
        .filter_map(|&(id, history)| Some((id, lesson.config(id)?, history)))
        .collect();
    outcome_with_configs(lesson, &with_configs, prediction)
}

/// [`outcome`] with each run's own configuration (the page's main run may have been edited).
pub fn outcome_with_configs(
    lesson: &Lesson,
    runs: &[(&str, &RunConfig, &History)],
    prediction: Option<usize>,
) -> Outcome {
    let unfinished: Vec<String> = lesson
        .runs
        .iter()
        .filter_map(|run| match runs.iter().find(|(id, _, _)| *id == run.id) {
            Some((_, _, history)) if is_finished(history) => None,
            Some((_, _, history)) => Some(format!(
                "{} is running (step {} of {})",
                run.label,
                count(history.last_step() as f64),
                count(history.planned_steps as f64)
            )),
            None => Some(format!("{} has not started", run.label)),
        })
        .collect();
    let chosen_label = |i: usize| lesson.question.choices.get(i).map(|c| c.label.as_str());
    if !unfinished.is_empty() {
        return Outcome {
            complete: false,
            lines: unfinished,
            prediction: prediction.and_then(|i| {
                Some(PredictionOutcome {
                    chosen: i,
                    right: None,
                    text: format!("You predicted “{}”: the runs will tell.", chosen_label(i)?),
                })
            }),
            claims: Vec::new(),
            targets: Vec::new(),
        };
    }
    let measured = Measured::new(lesson, runs);
    let lines = lesson
        .what_happened
        .iter()
        .map(|line| {
            render(line, |run, field| match field {
                Field::Label => measured.label(run),
                Field::Metric(metric) => {
                    let reference = Ref {
                        run: run.to_string(),
                        metric: *metric,
                    };
                    measured.display(&reference)
                }
            })
        })
        .collect();
    let claims = lesson
        .claims
        .iter()
        .zip(&lesson.prepared.checks)
        .map(|(claim, check)| {
            let evaluated = check.evaluate(&measured);
            ClaimOutcome {
                text: claim.text.clone(),
                holds: evaluated.holds,
                detail: evaluated.detail,
            }
        })
        .collect();
    let targets = measured
        .runs
        .iter()
        .map(|(id, metrics)| TargetLine {
            run: id.clone(),
            label: measured.label(id),
            reached: metrics.target.reached == Some(true),
            reason: metrics.target.reason.clone(),
        })
        .collect();
    Outcome {
        complete: true,
        lines,
        prediction: prediction.and_then(|i| judge(lesson, &measured, i)),
        claims,
        targets,
    }
}

/// The chosen answer, right when its `when` holds on the runs.
fn judge(lesson: &Lesson, measured: &Measured, chosen: usize) -> Option<PredictionOutcome> {
    let choices = &lesson.question.choices;
    let label = &choices.get(chosen)?.label;
    let evaluated = lesson.prepared.whens.get(chosen)?.evaluate(measured);
    let text = if evaluated.holds {
        format!("You predicted “{label}”: right — {}.", evaluated.detail)
    } else {
        let held: Vec<String> = choices
            .iter()
            .zip(&lesson.prepared.whens)
            .filter_map(|(choice, when)| {
                let e = when.evaluate(measured);
                e.holds
                    .then(|| format!("“{}” ({})", choice.label, e.detail))
            })
            .collect();
        let answer = if held.is_empty() {
            "none of the answers held this time".to_string()
        } else {
            format!("it was {}", held.join(" and "))
        };
        format!(
            "You predicted “{label}”: not this time ({}) — {answer}.",
            evaluated.detail
        )
    };
    Some(PredictionOutcome {
        chosen,
        right: Some(evaluated.holds),
        text,
    })
}

/// The finished runs' metrics, by run id.
struct Measured<'a> {
    lesson: &'a Lesson,
    runs: Vec<(String, RunMetrics)>,
}

impl<'a> Measured<'a> {
    fn new(lesson: &'a Lesson, runs: &[(&str, &RunConfig, &History)]) -> Self {
        let runs = lesson
            .runs
            .iter()
            .filter_map(|run| {
                let (_, config, history) = runs.iter().find(|(id, _, _)| *id == run.id)?;
                Some((run.id.clone(), run_metrics(config, history)))
            })
            .collect();
        Measured { lesson, runs }
    }

    fn label(&self, run: &str) -> String {
        self.lesson
            .runs
            .iter()
            .find(|r| r.id == run)
            .map_or_else(|| run.to_string(), |r| r.label.clone())
    }

    fn metrics(&self, run: &str) -> Option<&RunMetrics> {
        self.runs.iter().find(|(id, _)| id == run).map(|(_, m)| m)
    }
}

impl Lookup for Measured<'_> {
    fn value(&self, reference: &Ref) -> Result<f64, String> {
        let metrics = self
            .metrics(&reference.run)
            .ok_or_else(|| format!("no run `{}`", reference.run))?;
        metrics
            .get(reference.metric)
            .map_err(|why| format!("{}: {why}", self.label(&reference.run)))
    }

    fn display(&self, reference: &Ref) -> String {
        match self.value(reference) {
            Ok(value) => display(reference.metric, value),
            Err(_) => "—".into(),
        }
    }
}
