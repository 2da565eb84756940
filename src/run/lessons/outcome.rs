//! What a lesson's runs showed: the "what happened" lines, the student's prediction judged, every
//! claim checked, and each run's target reached or missed (with the reason). The page and
//! `cargo test` call the same [`outcome`]; the page passes its language ([`outcome_in`]) and the
//! lesson with its texts in that language (`lessons::all_in`).

use serde::Serialize;

use super::expr::{Lookup, Ref};
use super::metrics::{is_finished, run_metrics, RunMetrics};
use super::model::Lesson;
use super::target::target_status_in;
use super::text::{count, display_in, render, Field};
use crate::i18n::{tr, Lang};
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
    outcome_in(lesson, runs, prediction, Lang::En)
}

/// [`outcome`] with its own sentences (runs still going, the prediction judged, a missed
/// target's reason) in `lang`; the lesson's texts are those of `lesson`.
pub fn outcome_in(
    lesson: &Lesson,
    runs: &[(&str, &History)],
    prediction: Option<usize>,
    lang: Lang,
) -> Outcome {
    let with_configs: Vec<(&str, &RunConfig, &History)> = runs
        .iter()
        .filter_map(|&(id, history)| Some((id, lesson.config(id)?, history)))
        .collect();
    outcome_with_configs_in(lesson, &with_configs, prediction, lang)
}

/// [`outcome`] with each run's own configuration (the page's main run may have been edited).
pub fn outcome_with_configs(
    lesson: &Lesson,
    runs: &[(&str, &RunConfig, &History)],
    prediction: Option<usize>,
) -> Outcome {
    outcome_with_configs_in(lesson, runs, prediction, Lang::En)
}

/// [`outcome_with_configs`] with its own sentences in `lang` (see [`outcome_in`]).
pub fn outcome_with_configs_in(
    lesson: &Lesson,
    runs: &[(&str, &RunConfig, &History)],
    prediction: Option<usize>,
    lang: Lang,
) -> Outcome {
    let unfinished: Vec<String> = lesson
        .runs
        .iter()
        .filter_map(|run| match runs.iter().find(|(id, _, _)| *id == run.id) {
            Some((_, _, history)) if is_finished(history) => None,
            Some((_, _, history)) => Some(tr(
                lang,
                "lesson.outcome.running",
                &[
                    ("label", &run.label),
                    ("step", &count(history.last_step() as f64)),
                    ("steps", &count(history.planned_steps as f64)),
                ],
            )),
            None => Some(tr(
                lang,
                "lesson.outcome.not_started",
                &[("label", &run.label)],
            )),
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
                    text: tr(
                        lang,
                        "lesson.outcome.predicted_pending",
                        &[("choice", &chosen_label(i)?)],
                    ),
                })
            }),
            claims: Vec::new(),
            targets: Vec::new(),
        };
    }
    let measured = Measured::new(lesson, runs, lang);
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
            // The metrics' reason is English (conditions and tests read it); the page's is in `lang`.
            reason: runs
                .iter()
                .find(|(run, _, _)| run == id)
                .and_then(|(_, config, history)| {
                    target_status_in(&config.prune, history, lang).reason
                })
                .or_else(|| metrics.target.reason.clone()),
        })
        .collect();
    Outcome {
        complete: true,
        lines,
        prediction: prediction.and_then(|i| judge(lesson, &measured, i, lang)),
        claims,
        targets,
    }
}

/// The chosen answer, right when its `when` holds on the runs.
fn judge(
    lesson: &Lesson,
    measured: &Measured,
    chosen: usize,
    lang: Lang,
) -> Option<PredictionOutcome> {
    let choices = &lesson.question.choices;
    let label = &choices.get(chosen)?.label;
    let evaluated = lesson.prepared.whens.get(chosen)?.evaluate(measured);
    let text = if evaluated.holds {
        tr(
            lang,
            "lesson.outcome.predicted_right",
            &[("choice", label), ("detail", &evaluated.detail)],
        )
    } else {
        let held: Vec<String> = choices
            .iter()
            .zip(&lesson.prepared.whens)
            .filter_map(|(choice, when)| {
                let e = when.evaluate(measured);
                e.holds.then(|| {
                    tr(
                        lang,
                        "lesson.outcome.held_choice",
                        &[("choice", &choice.label), ("detail", &e.detail)],
                    )
                })
            })
            .collect();
        let answer = if held.is_empty() {
            tr(lang, "lesson.outcome.none_held", &[])
        } else {
            let answers = held.join(&tr(lang, "lesson.outcome.and", &[]));
            tr(lang, "lesson.outcome.it_was", &[("answers", &answers)])
        };
        tr(
            lang,
            "lesson.outcome.predicted_wrong",
            &[
                ("choice", label),
                ("detail", &evaluated.detail),
                ("answer", &answer),
            ],
        )
    };
    Some(PredictionOutcome {
        chosen,
        right: Some(evaluated.holds),
        text,
    })
}

/// The finished runs' metrics, by run id, shown in `lang`.
struct Measured<'a> {
    lesson: &'a Lesson,
    runs: Vec<(String, RunMetrics)>,
    lang: Lang,
}

impl<'a> Measured<'a> {
    fn new(lesson: &'a Lesson, runs: &[(&str, &RunConfig, &History)], lang: Lang) -> Self {
        let runs = lesson
            .runs
            .iter()
            .filter_map(|run| {
                let (_, config, history) = runs.iter().find(|(id, _, _)| *id == run.id)?;
                Some((run.id.clone(), run_metrics(config, history)))
            })
            .collect();
        Measured { lesson, runs, lang }
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
            Ok(value) => display_in(reference.metric, value, self.lang),
            Err(_) => "—".into(),
        }
    }
}
