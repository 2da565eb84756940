//! Sparsity schedules: the cubic schedule hits its ends exactly, iterative pruning compounds.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::prune::schedule::SparsitySchedule;

#[test]
fn the_cubic_schedule_hits_its_ends_exactly() {
    let schedule = SparsitySchedule::Gradual {
        initial: 0.0,
        target: 0.75,
        start: 100,
        interval: 50,
        steps: 10,
    };
    assert_eq!(schedule.target_at(99), None);
    assert_eq!(schedule.target_at(100), Some(0.0));
    assert_eq!(schedule.target_at(125), None);
    assert_eq!(schedule.target_at(600), Some(0.75));
    assert_eq!(schedule.target_at(650), None);
    // Halfway: s_f + (s_i − s_f)(1 − 0.5)³ = 0.75 − 0.75/8.
    assert!((schedule.target_at(350).unwrap() - (0.75 - 0.75 / 8.0)).abs() < 1e-12);
    // Monotone, front-loaded: the first step removes more than the last.
    let points: Vec<f64> = (0..=10)
        .map(|k| schedule.target_at(100 + 50 * k).unwrap())
        .collect();
    assert!(points.windows(2).all(|w| w[1] >= w[0]));
    assert!(points[1] - points[0] > points[10] - points[9]);
}

#[test]
fn iterative_pruning_compounds_and_stops_at_the_target() {
    let schedule = SparsitySchedule::Iterative {
        target: 0.75,
        rate: 0.5,
        interval: 10,
    };
    assert_eq!(schedule.target_at(0), Some(0.5));
    assert_eq!(schedule.target_at(5), None);
    assert_eq!(schedule.target_at(10), Some(0.75)); // 1 − 0.5² = 0.75
    assert_eq!(schedule.target_at(20), None); // reached
    let capped = SparsitySchedule::Iterative {
        target: 0.6,
        rate: 0.5,
        interval: 10,
    };
    assert_eq!(capped.target_at(10), Some(0.6));
}

#[test]
fn one_shot_prunes_once_and_bad_settings_are_refused() {
    let schedule = SparsitySchedule::OneShot { target: 0.9 };
    assert_eq!(schedule.target_at(0), Some(0.9));
    assert_eq!(schedule.target_at(1), None);
    let bad = SparsitySchedule::Gradual {
        initial: 0.8,
        target: 0.5,
        start: 0,
        interval: 10,
        steps: 5,
    };
    assert!(bad
        .validate()
        .unwrap_err()
        .to_string()
        .contains("initial_sparsity"));
    assert!(SparsitySchedule::OneShot { target: 1.0 }
        .validate()
        .is_err());
    let zero = SparsitySchedule::Iterative {
        target: 0.5,
        rate: 0.2,
        interval: 0,
    };
    assert!(zero
        .validate()
        .unwrap_err()
        .to_string()
        .contains("prune_interval"));
}
