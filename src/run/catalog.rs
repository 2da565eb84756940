//! What the page lists in its controls, and the defaults its texts quote, taken from the
//! engine's own definitions (names from [`crate::names`], values from the config defaults), so
//! the page holds no copy of either.
//!
//! Labels and the page's explanations may quote a default as `{key}`, a key of [`Defaults`]
//! (e.g. `weights after {rewind_step} steps`); the page fills it in.
//!
//! The labels the page shows come from the language catalogs (`option.<kind>.<name>`, see
//! [`label_key`]); the English catalog's text is the engine's own `label()` (a test holds them
//! equal), so the CLI and the English page say the same.

use serde::Serialize;

use super::config::{PruneSettings, Rewind, ScheduleKind, DEFAULT_L1_PENALTY, DEFAULT_L2_PENALTY};
use crate::i18n::{tr, Lang};
use crate::names::Named;
use crate::nn::OptimizerKind;
use crate::prune::apply::Granularity;
use crate::prune::regrow::REGROW_END_PERCENT;
use crate::prune::{Scope, Strategy};
use crate::train::LrSchedule;

/// Every named choice of a run, in the order the controls list them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Catalog {
    pub strategies: Vec<StrategyEntry>,
    pub schedules: Vec<Choice>,
    pub scopes: Vec<Choice>,
    pub granularities: Vec<Choice>,
    pub rewinds: Vec<Choice>,
    pub optimizers: Vec<Choice>,
    pub lr_schedules: Vec<Choice>,
    pub defaults: Defaults,
}

/// One value of a choice: the name configs, links and the CLI use, and what the page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub name: &'static str,
    pub label: String,
}

/// A strategy, with what decides how the page treats it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrategyEntry {
    pub name: &'static str,
    pub label: String,
    /// Scores whole filters / units.
    pub structured: bool,
    /// Sparse from step 0 (SET, RigL): the schedule does not apply.
    pub dynamic: bool,
}

/// Defaults the page's texts quote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Defaults {
    /// λ₁ the `l1` strategy trains with when none is set.
    pub l1_penalty: f32,
    /// λ₂ the `l2` strategy trains with when none is set.
    pub l2_penalty: f32,
    /// Lottery with early rewinding: the step whose weights are kept.
    pub rewind_step: u64,
    /// SET / RigL: steps between drop-and-regrow updates.
    pub regrow_interval: u64,
    /// SET / RigL: the mask stops changing at this percent of training.
    pub regrow_end_percent: u64,
    /// Targeted dropout: fraction γ of each layer's smallest weights targeted at every step.
    pub td_gamma: f64,
    /// Targeted dropout: probability α that a targeted weight is dropped in a step.
    pub td_alpha: f64,
}

/// The kinds of named choice, as their catalog keys name them (`option.<kind>.<name>`).
pub const KINDS: [&str; 7] = [
    "strategy",
    "schedule",
    "scope",
    "granularity",
    "rewind",
    "optimizer",
    "lr_schedule",
];

/// The catalog key of a choice's label: `option.strategy.magnitude`.
pub fn label_key(kind: &str, name: &str) -> String {
    format!("option.{kind}.{name}")
}

/// The catalog of this build, labelled in English.
pub fn catalog() -> Catalog {
    catalog_in(Lang::En)
}

/// The catalog of this build, labelled in `lang`.
pub fn catalog_in(lang: Lang) -> Catalog {
    let prune = PruneSettings::default();
    Catalog {
        strategies: Strategy::all()
            .iter()
            .map(|&strategy| StrategyEntry {
                name: strategy.name(),
                label: tr(lang, &label_key(KINDS[0], strategy.name()), &[]),
                structured: strategy.is_structured(),
                dynamic: strategy.is_dynamic(),
            })
            .collect(),
        schedules: choices::<ScheduleKind>(lang, KINDS[1]),
        scopes: choices::<Scope>(lang, KINDS[2]),
        granularities: choices::<Granularity>(lang, KINDS[3]),
        rewinds: choices::<Rewind>(lang, KINDS[4]),
        optimizers: choices::<OptimizerKind>(lang, KINDS[5]),
        lr_schedules: choices::<LrSchedule>(lang, KINDS[6]),
        defaults: Defaults {
            l1_penalty: DEFAULT_L1_PENALTY,
            l2_penalty: DEFAULT_L2_PENALTY,
            rewind_step: prune.rewind_step,
            regrow_interval: prune.regrow_interval,
            regrow_end_percent: REGROW_END_PERCENT,
            td_gamma: prune.td_gamma,
            td_alpha: prune.td_alpha,
        },
    }
}

fn choices<T: Named>(lang: Lang, kind: &str) -> Vec<Choice> {
    T::all()
        .iter()
        .map(|&value| Choice {
            name: value.name(),
            label: tr(lang, &label_key(kind, value.name()), &[]),
        })
        .collect()
}

/// Every choice's catalog key with the engine's English label: what the English catalog must say.
pub fn english_labels() -> Vec<(String, &'static str)> {
    fn of<T: Named>(kind: &str) -> Vec<(String, &'static str)> {
        T::all()
            .iter()
            .map(|&value| (label_key(kind, value.name()), value.label()))
            .collect()
    }
    let strategies = Strategy::all()
        .iter()
        .map(|&strategy| (label_key(KINDS[0], strategy.name()), strategy.label()));
    strategies
        .chain(of::<ScheduleKind>(KINDS[1]))
        .chain(of::<Scope>(KINDS[2]))
        .chain(of::<Granularity>(KINDS[3]))
        .chain(of::<Rewind>(KINDS[4]))
        .chain(of::<OptimizerKind>(KINDS[5]))
        .chain(of::<LrSchedule>(KINDS[6]))
        .collect()
}
