//! Session files: a round trip, and every kind of damaged, foreign or hostile file refused with a
//! message (fuzzed with random and mutated inputs), never a panic.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use prunelab::data::bundled;
use prunelab::run::session_file::{decode, encode};
use prunelab::run::url::arch_from_text;
use prunelab::run::{PruningRun, RunConfig, ScheduleKind};

/// A small finished run (a tiny network, so fuzzing thousands of copies stays fast).
fn saved() -> &'static String {
    static SAVED: OnceLock<String> = OnceLock::new();
    SAVED.get_or_init(|| {
        let mut config = RunConfig {
            architecture: arch_from_text("c2k5-r-p4-d10").unwrap(),
            evals_per_epoch: 1,
            ..RunConfig::default()
        };
        config.train.batch_size = 256;
        config.prune.schedule = ScheduleKind::OneShot;
        config.prune.pretrain_epochs = 1;
        config.prune.finetune_epochs = 1;
        let mut run = PruningRun::new(config.clone(), Arc::new(bundled().unwrap())).unwrap();
        run.run_to_end().unwrap();
        encode(&config, run.history()).unwrap()
    })
}

fn error(bytes: &[u8]) -> String {
    decode(bytes).unwrap_err().to_string()
}

#[test]
fn a_saved_session_reads_back_identically() {
    let file = decode(saved().as_bytes()).unwrap();
    assert_eq!(encode(&file.config, &file.history).unwrap(), *saved());
    assert!(file.history.records.evals.len() >= 3);
}

#[test]
fn foreign_damaged_and_hostile_files_are_refused_with_a_reason() {
    let text = saved().clone();
    assert!(error(b"\xff\xfe").contains("not UTF-8"));
    assert!(error(b"hello").contains("not valid JSON"));
    assert!(error(&text.as_bytes()[..text.len() / 2]).contains("not valid JSON"));
    assert!(error(br#"{"format":"zip","version":1}"#).contains("format"));
    let v2 = text.replacen("\"version\":1", "\"version\":2", 1);
    assert!(error(v2.as_bytes()).contains("version 2"));
    // Deep nesting is stopped by the parser's recursion limit, not by the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(error(deep.as_bytes()).contains("not valid JSON"));
    let huge = vec![b' '; (64 << 20) + 1];
    assert!(error(&huge).contains("at most"));
    // A shape that does not fit the architecture, named.
    let wrong_shape = text.replacen("\"shape\":[2,1,5,5]", "\"shape\":[3,1,5,5]", 1);
    assert!(
        error(wrong_shape.as_bytes()).contains("conv1.weight"),
        "{}",
        error(wrong_shape.as_bytes())
    );
    // NaN cannot be written in JSON; null where a weight belongs is a damaged file.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["history"]["records"]["snapshots"][0]["weights"][0][0] = serde_json::Value::Null;
    assert!(error(value.to_string().as_bytes()).contains("damaged"));
    // An index outside its tensor.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["history"]["records"]["mask_deltas"][0]["removed"][0] = 1_000_000.into();
    assert!(error(value.to_string().as_bytes()).contains("outside its tensor"));
    // Settings out of range are refused by the shared validation.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["config"]["prune"]["target_sparsity"] = 1.0.into();
    assert!(error(value.to_string().as_bytes()).contains("target_sparsity"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(decode(&bytes).is_err());
    }

    #[test]
    fn mutated_sessions_never_panic(at in any::<usize>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut bytes = saved().as_bytes().to_vec();
        let at = at % bytes.len();
        if cut {
            bytes.truncate(at);
        } else {
            bytes[at] = byte;
        }
        // Either refused with a message or (a harmless change such as one digit) read and checked.
        if let Ok(file) = decode(&bytes) {
            prop_assert!(file.config.validate().is_ok());
        }
    }
}

/// Session files saved before the names were unified spell the one-shot schedule `one_shot`.
#[test]
fn older_files_with_the_one_shot_spelling_still_load() {
    assert!(saved().contains("\"schedule\":\"one-shot\""));
    let old = saved().replace("\"schedule\":\"one-shot\"", "\"schedule\":\"one_shot\"");
    let file = decode(old.as_bytes()).unwrap();
    assert_eq!(file.config.prune.schedule, ScheduleKind::OneShot);
}
