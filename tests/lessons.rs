//! Every lesson's claims hold on three seeds other than its own, run natively with the same core
//! as the CLI and judged by the function the page calls; a deliberately false claim is reported
//! with its lesson, claim and seed.
//!
//! Probing settings while writing a lesson (prints every metric of every run):
//! `LESSONS_FILE=my.json LESSON=id1,id2 LESSON_SEEDS=1,2,3 cargo test --test lessons probe -- --ignored --nocapture`

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod lessons_common;

use std::time::Instant;

use lessons_common::{check_lessons, check_seeds};
use prunelab::run::lessons::{self, load, Lesson};

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[test]
fn every_lesson_claim_holds_on_three_other_seeds() {
    let lessons = lessons::all().unwrap();
    let start = Instant::now();
    let checked = check_lessons(&lessons, check_seeds, threads());
    let failures: Vec<String> = checked.iter().flat_map(|c| c.failures()).collect();
    let claims: usize = lessons.iter().map(|l| l.claims.len()).sum();
    eprintln!(
        "{} lessons, {claims} claims, each checked on 3 seeds, in {:.0} s",
        lessons.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_false_claim_fails_and_names_its_lesson_claim_and_seed() {
    let lessons = load(include_str!("fixtures/lessons-false-claim.json")).unwrap();
    let checked = check_lessons(&lessons, |_| vec![7], threads());
    let failures: Vec<String> = checked.iter().flat_map(|c| c.failures()).collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    let message = &failures[0];
    for part in [
        "lesson `false-claim`",
        "claim “Pruning 90% of the weights costs nothing at all.”",
        "seed 7",
        "does not hold",
    ] {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
    // The true claim beside it holds.
    let outcome = checked[0].outcome.as_ref().unwrap();
    assert!(outcome.claims[0].holds, "{:?}", outcome.claims[0]);
    assert!(!outcome.claims[1].holds);
}

/// Prints every metric of the lessons in `LESSONS_FILE` (default: the embedded ones), filtered by
/// `LESSON`, at `LESSON_SEEDS` (default: the checked seeds).
#[test]
#[ignore = "a tool for writing lessons: run with --ignored --nocapture"]
fn probe() {
    let json = std::env::var("LESSONS_FILE").map_or_else(
        |_| lessons::LESSONS_JSON.to_string(),
        |path| std::fs::read_to_string(path).unwrap(),
    );
    let wanted: Vec<String> = std::env::var("LESSON")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let lessons: Vec<Lesson> = load(&json)
        .unwrap()
        .into_iter()
        .filter(|l| wanted.is_empty() || wanted.contains(&l.id))
        .collect();
    let seeds: Option<Vec<u64>> = std::env::var("LESSON_SEEDS")
        .ok()
        .map(|s| s.split(',').map(|n| n.trim().parse().unwrap()).collect());
    let start = Instant::now();
    let checked = check_lessons(
        &lessons,
        |lesson| seeds.clone().unwrap_or_else(|| check_seeds(lesson)),
        threads(),
    );
    for c in &checked {
        println!("== {} seed {}", c.lesson, c.seed);
        for (run, metrics) in &c.metrics {
            println!("  {run}: {metrics}");
        }
        match &c.outcome {
            Ok(outcome) => {
                for line in outcome.lines.iter() {
                    println!("  | {line}");
                }
                for claim in &outcome.claims {
                    println!(
                        "  {} {} [{}]",
                        if claim.holds { "OK  " } else { "FAIL" },
                        claim.text,
                        claim.detail
                    );
                }
                for target in outcome.targets.iter().filter(|t| !t.reached) {
                    println!("  target missed: {}: {:?}", target.label, target.reason);
                }
            }
            Err(why) => println!("  run failed: {why}"),
        }
    }
    println!("probe took {:.0} s", start.elapsed().as_secs_f64());
}
