//! The exported wasm API in headless Chromium: a session from a config, stepped; metrics read back;
//! a chart drawn into a canvas whose pixels change; bad input returned as an error, not a panic.
#![cfg(target_arch = "wasm32")]

use prunelab::web::{check_config_json, decode_hash_json, Session, Viewer};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

fn small_config() -> String {
    let mut config = prunelab::run::RunConfig::default();
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    config.evals_per_epoch = 1;
    serde_json::to_string(&config).unwrap()
}

fn canvas() -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(480);
    canvas.set_height(300);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

fn pixel_sum(canvas: &HtmlCanvasElement) -> u64 {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(0.0, 0.0, 480.0, 300.0)
        .unwrap()
        .data();
    data.iter().map(|&v| v as u64).sum()
}

#[wasm_bindgen_test]
fn a_session_steps_reports_metrics_and_its_history_draws() {
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    let progress: serde_json::Value =
        serde_json::from_str(&session.run_steps(40, 10_000.0).unwrap()).unwrap();
    assert_eq!(progress["step"], 40);
    assert_eq!(progress["phase"], "train");
    assert!(progress["macs_actual"].as_u64().unwrap() > 0);
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    assert_eq!(viewer.last_step(), 40.0);

    let canvas = canvas();
    let blank = pixel_sum(&canvas);
    viewer.draw_chart(canvas.clone(), "accuracy", 40.0).unwrap();
    let drawn = pixel_sum(&canvas);
    assert_ne!(blank, drawn, "drawing changed no pixel");
    viewer.draw_heatmap(canvas.clone(), 0, 40.0).unwrap();
    assert_ne!(
        pixel_sum(&canvas),
        drawn,
        "the heatmap looks like the line chart"
    );
    assert!(viewer.draw_chart(canvas, "no-such-chart", 40.0).is_err());
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_with_a_message_and_the_instance_survives() {
    assert!(Session::new("{not json", DIGITS).is_err());
    assert!(Session::new(&small_config(), b"not a dataset").is_err());
    let mut bad: serde_json::Value = serde_json::from_str(&small_config()).unwrap();
    bad["prune"]["target_sparsity"] = 2.0.into();
    assert!(Session::new(&bad.to_string(), DIGITS).is_err());
    let checked: serde_json::Value =
        serde_json::from_str(&check_config_json(&bad.to_string()).unwrap()).unwrap();
    assert_eq!(checked["ok"], false);
    assert!(checked["message"]
        .as_str()
        .unwrap()
        .contains("target_sparsity"));
    let decoded: serde_json::Value =
        serde_json::from_str(&decode_hash_json("#target=abc&x=1").unwrap()).unwrap();
    assert_eq!(decoded["notices"].as_array().unwrap().len(), 2);
    // The instance still works after all those errors.
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    assert!(session.predict(&[0.0; 10]).is_err());
    let probabilities = session.predict(&[0.0; 784]).unwrap();
    assert_eq!(probabilities.len(), 20);
    assert!((probabilities[..10].iter().sum::<f32>() - 1.0).abs() < 1e-4);
}
