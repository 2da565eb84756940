//! The lesson file's checks, the condition language, the number texts and the outcome, on small
//! hand-written lessons and histories (no training): fast.

mod views_common;

use prunelab::run::lessons::expr::{parse, Atom, Clause};
use prunelab::run::lessons::text::{count, joules, macs, percent, percent_setting, points};
use prunelab::run::lessons::{self, load, outcome};
use prunelab::run::ScheduleKind;
use serde_json::{json, Value};

/// The shared one-run lesson (tests/views_common), to break one field at a time.
fn lesson() -> Value {
    views_common::tiny_lesson()
}

fn load_error(lesson: Value) -> String {
    load(&json!([lesson]).to_string()).unwrap_err().to_string()
}

#[test]
fn the_embedded_lessons_load_and_each_has_a_checked_claim_and_a_question() {
    let lessons = lessons::all().unwrap();
    assert!(lessons.len() >= 6, "{}", lessons.len());
    for lesson in &lessons {
        assert!(!lesson.claims.is_empty(), "{}", lesson.id);
        assert!(lesson.question.choices.len() >= 2, "{}", lesson.id);
        assert_eq!(lesson.prepared.configs.len(), lesson.runs.len());
    }
}

#[test]
fn lessons_json_gives_the_page_texts_but_not_the_conditions() {
    let lessons = lessons::all().unwrap();
    let public: Value = serde_json::from_str(&lessons::public_json(&lessons).unwrap()).unwrap();
    let first = &public[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "claims",
            "id",
            "measure_time",
            "question",
            "runs",
            "steps",
            "summary",
            "title"
        ]
    );
    assert_eq!(first["id"], lessons[0].id);
    assert_eq!(first["runs"][0]["hash"], lessons[0].runs[0].hash);
    assert!(first["question"]["choices"][0].get("when").is_none());
    assert!(first["question"]["choices"][0]["label"].is_string());
    assert!(first["claims"][0].get("check").is_none());
    assert!(first["claims"][0]["text"].is_string());
}

#[test]
fn conditions_parse_with_units_factors_and_flags() {
    for ok in [
        "a.accuracy > b.accuracy + 2pt",
        "a.accuracy > b.accuracy - 2 pt",
        "a.train_macs < 0.3 × b.train_macs",
        "a.train_macs < b.train_macs * 0.3",
        "a.sparsity >= 89.5%",
        "a.target_reached",
        "not a.target_reached and a.rolled_back > 0.5",
        "a.change ≥ −1pt",
    ] {
        assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
    }
    // `pt` and `%` are hundredths: the number is the fraction, the text keeps the unit.
    let condition = parse("a.accuracy > 2pt").unwrap();
    let Clause::Compare { right, .. } = &condition.clauses[0] else {
        panic!("{condition:?}")
    };
    assert_eq!(
        right.terms[0].1.factors,
        [Atom::Number(0.02, "2 pt".into())]
    );
}

#[test]
fn condition_errors_say_what_was_expected() {
    for (bad, message) in [
        (
            "a.acuracy > b.accuracy",
            "unknown metric `acuracy`; known: accuracy, dense_accuracy",
        ),
        (
            "a.accuracy b.accuracy",
            "expected a comparison (<, <=, >, >=) but found `b`",
        ),
        (
            "a.accuracy >",
            "expected `run.metric` or a number but found the end",
        ),
        ("a > b.accuracy", "expected `.` and a metric after `a`"),
        (
            "a.accuracy > 2 pt extra",
            "unexpected `extra` after a complete condition",
        ),
        ("a.accuracy = b.accuracy", "unexpected character `=`"),
        ("a.accuracy", "`a.accuracy` is a number: compare it"),
        ("a.target_reached > 0", "`a.target_reached` is yes/no"),
        ("not 2", "expected a run id but found `2`"),
    ] {
        let error = parse(bad).unwrap_err();
        assert!(error.starts_with(message), "{bad}: {error}");
    }
}

#[test]
fn a_broken_lesson_is_refused_with_its_id_and_the_reason() {
    let mut unknown_run = lesson();
    unknown_run["claims"][0]["check"] = json!("other.accuracy > 0.5");
    let mut bad_placeholder = lesson();
    bad_placeholder["what_happened"][0] = json!("{pruned.acuracy}");
    let mut placeholder_run = lesson();
    placeholder_run["what_happened"][0] = json!("{other.accuracy}");
    let mut unclosed = lesson();
    unclosed["what_happened"][0] = json!("{pruned.accuracy");
    let mut bad_hash = lesson();
    bad_hash["runs"][0]["hash"] = json!("strategy=biggest&target=0.5");
    let mut page_option = lesson();
    page_option["runs"][0]["hash"] = json!("target=0.5&view=weights");
    let mut no_claims = lesson();
    no_claims["claims"] = json!([]);
    let mut one_choice = lesson();
    one_choice["question"]["choices"] = json!([{"label": "Yes", "when": "pruned.target_reached"}]);
    let mut seeds = lesson();
    seeds["runs"] = json!([
        {"id": "a", "label": "A", "hash": "seed=1"},
        {"id": "b", "label": "B", "hash": "seed=2"}
    ]);
    let mut bad_when = lesson();
    bad_when["question"]["choices"][1]["when"] = json!("not pruned.accuracy");
    let mut unknown_field = lesson();
    unknown_field["claim"] = json!("typo");
    for (broken, message) in [
        (unknown_run, "lesson `tiny`: claim 1: check `other.accuracy > 0.5` names run `other`; this lesson's runs: pruned"),
        (bad_placeholder, "lesson `tiny`: what_happened: placeholder `{pruned.acuracy}`: unknown metric `acuracy`"),
        (placeholder_run, "lesson `tiny`: what_happened: placeholder `{other.accuracy}` names run `other`"),
        (unclosed, "lesson `tiny`: what_happened: `{` without `}`"),
        (bad_hash, "lesson `tiny`: run `pruned`: `strategy=biggest` is not valid"),
        (page_option, "lesson `tiny`: run `pruned`: `view` is a page option"),
        (no_claims, "lesson `tiny`: `claims` is empty"),
        (one_choice, "lesson `tiny`: the question needs at least two choices"),
        (seeds, "lesson `tiny`: the runs of a comparison must share one seed"),
        (bad_when, "lesson `tiny`: choice 2 “No”: when `not pruned.accuracy`: `pruned.accuracy` is a number"),
        (unknown_field, "lesson `(file)`: not a valid lesson file: unknown field `claim`"),
    ] {
        let error = load_error(broken);
        assert!(error.starts_with(message), "expected `{message}`, got `{error}`");
    }
    let twice = load(&json!([lesson(), lesson()]).to_string()).unwrap_err();
    assert_eq!(
        twice.to_string(),
        "lesson `tiny`: the id is used by another lesson"
    );
}

#[test]
fn numbers_are_written_as_people_write_them() {
    assert_eq!(percent(0.9791), "97.9%");
    assert_eq!(percent_setting(0.9), "90%");
    assert_eq!(percent_setting(0.333), "33.3%");
    assert_eq!(points(-0.047), "−4.7 pt");
    assert_eq!(points(0.003), "+0.3 pt");
    assert_eq!(points(0.0001), "±0.0 pt");
    assert_eq!(count(1802.0), "1,802");
    assert_eq!(count(7090.0), "7,090");
    assert_eq!(count(1_234_567.0), "1,234,567");
    assert_eq!(count(12.0), "12");
    assert_eq!(macs(8.31e9), "8.3 G MACs");
    assert_eq!(macs(512.0), "512 MACs");
    assert_eq!(joules(0.0801), "80.1 mJ");
    assert_eq!(joules(2.5), "2.50 J");
}

/// The hand-written history (tests/views_common): dense 50%, then 80% with 10 of 14 weights kept
/// (28.6% sparsity), one of two pruning steps rolled back; finished at step 4.
fn finished_history() -> prunelab::run::History {
    let mut history = views_common::history();
    history.planned_steps = 4;
    history
}

#[test]
fn the_outcome_writes_lines_judges_the_prediction_and_checks_claims() {
    let lessons = load(&json!([lesson()]).to_string()).unwrap();
    let tiny = &lessons[0];
    assert_eq!(
        tiny.prepared.configs[0].prune.schedule,
        ScheduleKind::Rollback
    );
    let history = finished_history();
    let result = outcome(tiny, &[("pruned", &history)], Some(0));
    assert!(result.complete);
    assert_eq!(
        result.lines,
        ["Pruned: 50.0% → 80.0% (+30.0 pt); 10 of 14 kept."]
    );
    let prediction = result.prediction.unwrap();
    assert_eq!((prediction.chosen, prediction.right), (0, Some(false)));
    assert_eq!(
        prediction.text,
        "You predicted “Yes”: not this time (pruned.target_reached: no) — it was “No” (pruned.target_reached: no)."
    );
    assert_eq!(result.claims.len(), 1);
    assert!(result.claims[0].holds);
    assert_eq!(result.claims[0].detail, "80.0% ≥ 50.0% + 20 pt");
    assert_eq!(result.targets.len(), 1);
    assert!(!result.targets[0].reached);
    assert_eq!(
        result.targets[0].reason.as_deref(),
        Some("1 of 2 pruning steps were rolled back: it raised the held-out loss more than 5%, and every rollback halves the next step; the run ended at 28.6% sparsity, below its 50% target")
    );
    let right = outcome(tiny, &[("pruned", &history)], Some(1))
        .prediction
        .unwrap();
    assert_eq!(right.right, Some(true));
    assert!(
        right.text.starts_with("You predicted “No”: right — "),
        "{}",
        right.text
    );
    assert_eq!(
        outcome(tiny, &[("pruned", &history)], None).prediction,
        None
    );
}

#[test]
fn an_unfinished_run_is_reported_as_running_and_nothing_is_judged() {
    let lessons = load(&json!([lesson()]).to_string()).unwrap();
    let mut history = finished_history();
    history.planned_steps = 10;
    let result = outcome(&lessons[0], &[("pruned", &history)], Some(1));
    assert!(!result.complete);
    assert_eq!(result.lines, ["Pruned is running (step 4 of 10)"]);
    assert!(result.claims.is_empty() && result.targets.is_empty());
    assert_eq!(result.prediction.unwrap().right, None);
    let not_started = outcome(&lessons[0], &[], None);
    assert_eq!(not_started.lines, ["Pruned has not started"]);
}

/// The README lists every lesson, in order, as "- **Title** — summary" between two markers.
#[test]
fn the_readme_lists_every_lesson_with_its_title_and_summary() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- lessons:start -->")
        .expect("README has <!-- lessons:start -->");
    let end = readme
        .find("<!-- lessons:end -->")
        .expect("README has <!-- lessons:end -->");
    let listed: Vec<&str> = readme[start..end]
        .lines()
        .filter(|l| l.starts_with("- "))
        .collect();
    let expected: Vec<String> = lessons::all()
        .unwrap()
        .iter()
        .map(|l| format!("- **{}** (`lesson={}`) — {}", l.title, l.id, l.summary))
        .collect();
    assert_eq!(
        listed, expected,
        "update the README's lesson list from lessons/lessons.json"
    );
}

/// docs/lessons.md's metric table names every metric with its meaning, so it cannot drift.
#[test]
fn the_lesson_docs_list_every_metric() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lessons.md")).unwrap();
    for metric in lessons::Metric::ALL {
        let row = format!("| `{}` |", metric.name());
        let line = docs.lines().find(|l| l.starts_with(&row));
        let line =
            line.unwrap_or_else(|| panic!("docs/lessons.md lacks a row for `{}`", metric.name()));
        assert!(
            line.ends_with(&format!("| {} |", metric.meaning())),
            "{line}"
        );
    }
}
