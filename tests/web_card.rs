//! The card's and the timing's wasm exports in headless Chromium: `measure-time` leaves the run
//! exactly as it was (the same history afterwards as an unmeasured twin), the viewer's card reads
//! the measured times, and bad arguments are errors with a message.
#![cfg(target_arch = "wasm32")]

use prunelab::web::{Comparison, Session, Viewer};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

fn small_config() -> String {
    let mut config = prunelab::run::RunConfig::default();
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    config.evals_per_epoch = 1;
    serde_json::to_string(&config).unwrap()
}

fn message(error: wasm_bindgen::JsError) -> String {
    let value: wasm_bindgen::JsValue = error.into();
    js_sys::Error::from(value).message().as_string().unwrap()
}

#[wasm_bindgen_test]
fn measuring_time_leaves_the_run_as_it_was() {
    let mut measured = Session::new(&small_config(), DIGITS).unwrap();
    let mut twin = Session::new(&small_config(), DIGITS).unwrap();
    measured.run_steps(30, 60_000.0).unwrap();
    twin.run_steps(30, 60_000.0).unwrap();
    let timing: serde_json::Value =
        serde_json::from_str(&measured.measure_time_json().unwrap()).unwrap();
    for field in [
        "epoch_ms_dense",
        "epoch_ms_pruned",
        "inference_1000_ms_dense",
        "inference_1000_ms_pruned",
    ] {
        assert!(timing[field].as_f64().unwrap() > 0.0, "{field}: {timing}");
    }
    assert_eq!(timing["images_per_epoch"], 8000);
    // The same weights, optimiser state, data order and random streams: the next steps agree.
    measured.take_chunk_json().unwrap();
    twin.take_chunk_json().unwrap();
    measured.run_steps(20, 60_000.0).unwrap();
    twin.run_steps(20, 60_000.0).unwrap();
    assert_eq!(
        measured.take_chunk_json().unwrap(),
        twin.take_chunk_json().unwrap()
    );
}

#[wasm_bindgen_test]
fn the_viewer_card_reads_the_measured_times() {
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    session.run_steps(10, 60_000.0).unwrap();
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    let card: serde_json::Value =
        serde_json::from_str(&viewer.card_json(None, None).unwrap()).unwrap();
    assert_eq!(card["dense"]["params"], 7090);
    assert!(card["time"].is_null());
    let timing = session.measure_time_json().unwrap();
    let card: serde_json::Value =
        serde_json::from_str(&viewer.card_json(Some(timing.clone()), None).unwrap()).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&timing).unwrap();
    assert_eq!(card["time"], expected);
    assert_eq!(card["rows"].as_array().unwrap().len(), 11);
    let chinese: serde_json::Value =
        serde_json::from_str(&viewer.card_json(Some(timing), Some("zh".into())).unwrap()).unwrap();
    assert_eq!(chinese["rows"][0]["label"], "测试准确率");
    assert_eq!(chinese["rows"][0]["dense"], card["rows"][0]["dense"]);
    assert!(
        message(viewer.card_json(Some("{".into()), None).unwrap_err()).contains("measured times")
    );
}

#[wasm_bindgen_test]
fn a_comparison_card_names_a_missing_run() {
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    let mut comparison = Comparison::new();
    let run = comparison
        .add_run("magnitude", &session.meta_json().unwrap())
        .unwrap();
    comparison.set_dense_accuracy(run, Some(0.9)).unwrap();
    let card: serde_json::Value =
        serde_json::from_str(&comparison.card_json(run, None, None).unwrap()).unwrap();
    assert_eq!(card["title"], "magnitude");
    assert_eq!(card["dense"]["test_accuracy"].as_f64().unwrap() as f32, 0.9);
    assert!(message(comparison.card_json(7, None, None).unwrap_err()).contains("no run 7"));
    assert!(message(comparison.set_dense_accuracy(7, None).unwrap_err()).contains("no run 7"));
}
