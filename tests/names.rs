//! Every name once: the names users type (CLI flags, links, files) are the contract below, each
//! spelled by its enum alone, read back the same way everywhere; the page's catalog and
//! explanations cover exactly the engine's strategies and schedules.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use clap::ValueEnum;
use prunelab::names::Named;
use prunelab::nn::OptimizerKind;
use prunelab::prune::apply::Granularity;
use prunelab::prune::{Scope, Strategy};
use prunelab::run::catalog::catalog;
use prunelab::run::config::Rewind;
use prunelab::run::url::{decode, encode};
use prunelab::run::{RunConfig, ScheduleKind};
use prunelab::train::LrSchedule;

/// The names scripts, links and saved files use: extend, don't rename.
#[test]
fn the_names_are_the_contract() {
    assert_eq!(
        Strategy::names(),
        [
            "magnitude",
            "gradient",
            "l1",
            "l2",
            "random",
            "cosine",
            "taylor",
            "snip",
            "synflow",
            "movement",
            "filter-l1",
            "filter-l2",
            "set",
            "rigl",
            "targeted-dropout",
            "largest-magnitude"
        ]
    );
    assert_eq!(
        ScheduleKind::names(),
        ["one-shot", "iterative", "gradual", "lottery", "rollback"]
    );
    assert_eq!(Scope::names(), ["layer", "global"]);
    assert_eq!(Granularity::names(), ["weight", "filter"]);
    assert_eq!(Rewind::names(), ["init", "early", "random"]);
    assert_eq!(OptimizerKind::names(), ["sgd", "adam"]);
    assert_eq!(LrSchedule::names(), ["constant", "cosine"]);
}

/// The name reads back, serde writes and reads it, clap offers it, Display prints it.
fn spelled_once<T>()
where
    T: Named + std::fmt::Debug + std::fmt::Display + serde::Serialize + ValueEnum,
    T: serde::de::DeserializeOwned,
{
    assert_eq!(T::value_variants(), T::all(), "{}", T::SETTING);
    for &value in T::all() {
        let name = value.name();
        assert_eq!(T::from_name(name), Ok(value));
        assert_eq!(value.to_string(), name);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            format!("\"{name}\"")
        );
        assert_eq!(
            serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(),
            value
        );
        let possible = value.to_possible_value().unwrap();
        assert_eq!(possible.get_name(), name);
        assert_eq!(
            <T as ValueEnum>::from_str(name, false),
            Ok(value),
            "clap reads {name}"
        );
        assert!(!value.label().is_empty());
    }
}

#[test]
fn each_name_is_spelled_by_its_enum_alone() {
    spelled_once::<Strategy>();
    spelled_once::<ScheduleKind>();
    spelled_once::<Scope>();
    spelled_once::<Granularity>();
    spelled_once::<Rewind>();
    spelled_once::<OptimizerKind>();
    spelled_once::<LrSchedule>();
}

#[test]
fn unknown_names_are_refused_with_the_allowed_ones() {
    let message = Strategy::from_name("nonsense").unwrap_err().to_string();
    assert!(
        message.contains("strategy")
            && message.contains("`nonsense`")
            && message.contains("magnitude, gradient")
            && message.contains("rigl"),
        "{message}"
    );
    let message = serde_json::from_str::<ScheduleKind>("\"sometimes\"")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("sometimes") && message.contains("one-shot, iterative"),
        "{message}"
    );
    let decoded = decode("scope=everywhere&optimizer=rmsprop");
    assert_eq!(decoded.notices.len(), 2, "{:?}", decoded.notices);
    assert!(decoded.notices[0].contains("allowed: layer, global"));
    assert!(decoded.notices[1].contains("allowed: sgd, adam"));
}

/// `one_shot` was the config's (and the page's links') spelling: older files and links still load.
#[test]
fn the_old_one_shot_spelling_still_reads_and_new_output_uses_one_shot_with_a_dash() {
    assert_eq!(
        ScheduleKind::from_name("one_shot"),
        Ok(ScheduleKind::OneShot)
    );
    let mut config = RunConfig::default();
    config.prune.schedule = ScheduleKind::OneShot;
    let json = serde_json::to_string(&config).unwrap();
    assert!(json.contains("\"schedule\":\"one-shot\""), "{json}");
    let old = json.replace("\"one-shot\"", "\"one_shot\"");
    assert_ne!(old, json);
    assert_eq!(serde_json::from_str::<RunConfig>(&old).unwrap(), config);

    let hash = encode(&config, &[]);
    assert!(hash.contains("schedule=one-shot"), "{hash}");
    for link in ["schedule=one_shot", "schedule=one-shot"] {
        let decoded = decode(link);
        assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
        assert_eq!(decoded.config.prune.schedule, ScheduleKind::OneShot);
    }
}

#[test]
fn the_catalog_lists_every_name_of_the_engine_in_order() {
    let catalog = catalog();
    let strategies: Vec<_> = catalog.strategies.iter().map(|s| s.name).collect();
    assert_eq!(strategies, Strategy::names());
    for (entry, strategy) in catalog.strategies.iter().zip(Strategy::all()) {
        assert_eq!(entry.structured, strategy.is_structured());
        assert_eq!(entry.dynamic, strategy.is_dynamic());
    }
    let names = |choices: &[prunelab::run::catalog::Choice]| -> Vec<&str> {
        choices.iter().map(|c| c.name).collect()
    };
    assert_eq!(names(&catalog.schedules), ScheduleKind::names());
    assert_eq!(names(&catalog.scopes), Scope::names());
    assert_eq!(names(&catalog.granularities), Granularity::names());
    assert_eq!(names(&catalog.rewinds), Rewind::names());
    assert_eq!(names(&catalog.optimizers), OptimizerKind::names());
    assert_eq!(names(&catalog.lr_schedules), LrSchedule::names());
    // As the page reads them: f32 written as its shortest decimal.
    let defaults = serde_json::to_string(&catalog.defaults).unwrap();
    assert!(defaults.contains("\"l1_penalty\":0.002,"), "{defaults}");
    assert!(defaults.contains("\"rewind_step\":200,"), "{defaults}");
}

// ---------------------------------------------------------------------------------------------
// The page's explanations (www/explain.js: their catalog keys) against the engine

/// The text of `export const NAME = { … };` in explain.js.
fn explain_table<'a>(source: &'a str, table: &str) -> &'a str {
    let start = source
        .find(&format!("export const {table} = {{"))
        .unwrap_or_else(|| panic!("explain.js has no {table}"));
    let body = &source[start..];
    let end = body.find("\n};").expect("the table ends with `};`");
    &body[..end]
}

/// The keys of a table of explain.js: entries are the lines indented by exactly two spaces,
/// `key: {` or `'key': {`.
fn explain_keys(source: &str, table: &str) -> BTreeSet<String> {
    explain_table(source, table)
        .lines()
        .skip(1)
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .map(|line| {
            let key = line.trim().split(": {").next().unwrap_or_default();
            key.trim_matches('\'').to_string()
        })
        .collect()
}

/// The `{key}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(key, _)| key))
        .filter(|key| !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn explain_js() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/explain.js");
    std::fs::read_to_string(path).expect("www/explain.js")
}

#[test]
fn explain_js_explains_exactly_the_engine_s_strategies_and_schedules() {
    let source = explain_js();
    let engine = |names: Vec<&str>| names.into_iter().map(String::from).collect::<BTreeSet<_>>();
    let strategies = explain_keys(&source, "STRATEGIES");
    assert_eq!(
        strategies,
        engine(Strategy::names()),
        "www/explain.js STRATEGIES: missing {:?}, extra {:?}",
        engine(Strategy::names())
            .difference(&strategies)
            .collect::<Vec<_>>(),
        strategies
            .difference(&engine(Strategy::names()))
            .collect::<Vec<_>>()
    );
    let schedules = explain_keys(&source, "SCHEDULES");
    assert_eq!(
        schedules,
        engine(ScheduleKind::names()),
        "www/explain.js SCHEDULES: missing {:?}, extra {:?}",
        engine(ScheduleKind::names())
            .difference(&schedules)
            .collect::<Vec<_>>(),
        schedules
            .difference(&engine(ScheduleKind::names()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn quoted_defaults_name_values_the_catalog_has() {
    let defaults = serde_json::to_value(catalog().defaults).unwrap();
    let known: BTreeSet<String> = defaults.as_object().unwrap().keys().cloned().collect();
    // The explanations' texts are in the page's catalogs (explain.js names their keys), in both languages.
    let mut quoted = BTreeSet::new();
    for lang in ["en", "zh"] {
        let path = format!("{}/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        let texts: BTreeMap<String, String> =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("a catalog"))
                .expect("flat JSON");
        for (key, text) in texts {
            if key.starts_with("explain.") {
                quoted.extend(placeholders(&text));
            }
        }
    }
    for key in ["l1_penalty", "regrow_interval", "regrow_end_percent"] {
        assert!(
            quoted.contains(key),
            "the explanations no longer quote {{{key}}}"
        );
    }
    let catalog = serde_json::to_value(catalog()).unwrap().to_string();
    quoted.extend(placeholders(&catalog));
    assert!(quoted.contains("rewind_step"));
    let unknown: Vec<_> = quoted.difference(&known).collect();
    assert!(unknown.is_empty(), "no such default: {unknown:?}");
}
