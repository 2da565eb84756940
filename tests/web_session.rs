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
    viewer
        .draw_chart(canvas.clone(), "accuracy", 40.0, None)
        .unwrap();
    let drawn = pixel_sum(&canvas);
    assert_ne!(blank, drawn, "drawing changed no pixel");
    let chinese = crate::canvas();
    viewer
        .draw_chart(chinese.clone(), "accuracy", 40.0, Some("zh".into()))
        .unwrap();
    assert_ne!(
        pixel_sum(&chinese),
        drawn,
        "the Chinese chart has the English text"
    );
    viewer.draw_heatmap(canvas.clone(), 0, 40.0, None).unwrap();
    assert_ne!(
        pixel_sum(&canvas),
        drawn,
        "the heatmap looks like the line chart"
    );
    assert!(viewer
        .draw_chart(canvas, "no-such-chart", 40.0, None)
        .is_err());

    // Hovering the centre of filter 1's first cell names that weight, with the value recorded.
    let meta: serde_json::Value = serde_json::from_str(&session.meta_json().unwrap()).unwrap();
    let history: prunelab::run::History = serde_json::from_value(meta["history"].clone()).unwrap();
    let grid = prunelab::run::views::heatmap(&history, 0, 40).unwrap();
    let cell = &prunelab::charts::heatmap_layout(&grid, 480, 300)[0];
    let (x, y) = (
        cell.x + (cell.cell_width / 2.0) as i32,
        cell.y + (cell.cell_height / 2.0) as i32,
    );
    let hover: serde_json::Value = serde_json::from_str(
        &viewer
            .hover_json("heatmap", 0, 40.0, x, y, 480, 300, None)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(hover["tile"], "filter 1", "{hover}");
    assert_eq!(
        (hover["index"].as_u64(), hover["kept"].as_bool()),
        (Some(0), Some(true))
    );
    let value = hover["value"].as_f64().unwrap();
    assert_eq!(value as f32, grid.tiles[0].values[0]);
    assert_eq!(
        hover["score"].as_f64(),
        Some(value.abs()),
        "magnitude scores |w|"
    );
    assert_eq!(hover["criterion"], "magnitude");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_with_a_message_and_the_instance_survives() {
    assert!(Session::new("{not json", DIGITS).is_err());
    assert!(Session::new(&small_config(), b"not a dataset").is_err());
    let mut bad: serde_json::Value = serde_json::from_str(&small_config()).unwrap();
    bad["prune"]["target_sparsity"] = 2.0.into();
    assert!(Session::new(&bad.to_string(), DIGITS).is_err());
    let checked: serde_json::Value =
        serde_json::from_str(&check_config_json(&bad.to_string(), None).unwrap()).unwrap();
    assert_eq!(checked["ok"], false);
    assert!(checked["message"]
        .as_str()
        .unwrap()
        .contains("target_sparsity"));
    let decoded: serde_json::Value =
        serde_json::from_str(&decode_hash_json("#target=abc&x=1", None).unwrap()).unwrap();
    assert_eq!(decoded["notices"].as_array().unwrap().len(), 2);
    let in_chinese: serde_json::Value =
        serde_json::from_str(&decode_hash_json("#x=1", Some("zh-CN".into())).unwrap()).unwrap();
    assert_eq!(in_chinese["notices"][0], "已忽略未知选项 `x`");
    // The instance still works after all those errors.
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    assert!(session.predict(&[0.0; 10]).is_err());
    let probabilities = session.predict(&[0.0; 784]).unwrap();
    assert_eq!(probabilities.len(), 20);
    assert!((probabilities[..10].iter().sum::<f32>() - 1.0).abs() < 1e-4);
}

/// Every export that takes input is called with bad arguments: each returns an error with a
/// message (no trap), and the instance keeps working afterwards.
#[wasm_bindgen_test]
fn every_export_refuses_bad_arguments_with_a_message() {
    use prunelab::web::*;
    let message = |e: wasm_bindgen::JsError| {
        let value: wasm_bindgen::JsValue = e.into();
        js_sys::Error::from(value).message().as_string().unwrap()
    };
    assert!(message(preset_json("huge").unwrap_err()).contains("unknown preset"));
    assert!(message(encode_hash("{", "[]").unwrap_err()).len() > 5);
    assert!(message(encode_hash(&small_config(), "{").unwrap_err()).len() > 5);
    assert_eq!(preset_name("not json"), None);
    assert!(architecture_text("[]").is_err());
    assert!(message(architecture_from_text("c10-x", None).unwrap_err()).contains("c10k5"));
    assert!(message(layer_names_json("c10-x").unwrap_err()).contains("c10k5"));
    assert!(message(digit_input(&[0; 16], 2, 2, None).unwrap_err()).contains("nothing drawn"));
    let in_chinese = digit_input(&[0; 16], 2, 2, Some("zh".into())).unwrap_err();
    assert_eq!(message(in_chinese), "设置 `drawing` 无效：还没有画任何东西");
    assert!(
        message(architecture_from_text("c10-x", Some("zh".into())).unwrap_err())
            .starts_with("设置 `architecture` 无效：无法读取层")
    );
    assert!(digit_input(&[0; 3], 2, 2, None).is_err());
    assert!(message(draw_predictions(canvas(), &[0.5; 3], None).unwrap_err()).contains("20"));
    assert!(message(parse_session_file(b"{}").unwrap_err()).contains("session"));
    assert!(Viewer::new("{}").is_err());
    let mut session = Session::new(&small_config(), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    assert!(viewer.append_json("[1,2").is_err());
    assert!(viewer.draw_heatmap(canvas(), 99, 0.0, None).is_err());
    assert!(viewer.draw_pruned_at(canvas(), 99, 0.0, None).is_err());
    assert!(viewer
        .hover_json("bogus", 0, 0.0, 1, 1, 100, 100, None)
        .is_err());
    assert_eq!(
        viewer
            .hover_json("heatmap", 99, 0.0, 1, 1, 100, 100, None)
            .unwrap(),
        "null"
    );
    let mut comparison = Comparison::new();
    assert!(comparison.add_run("a", "nope").is_err());
    assert!(comparison.append_json(3, "{}").is_err());
    assert!(comparison.draw_heatmap(canvas(), 3, 0, None).is_err());
    assert!(comparison.draw_chart(canvas(), "pie", None).is_err());
    // Still working: a step, a chunk, a drawing.
    session.run_steps(3, 1000.0).unwrap();
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    viewer.draw_chart(canvas(), "loss", 3.0, None).unwrap();
    let file = viewer.session_file_json().unwrap();
    assert!(parse_session_file(file.as_bytes()).is_ok());
}

/// The per-layer override rows' names, and a run with conv1 overridden to 0.3 reporting it in the
/// viewer's per-layer summary.
#[wasm_bindgen_test]
fn layer_names_and_a_layer_override_in_the_summary() {
    use prunelab::web::layer_names_json;
    let names = |text: &str| -> Vec<String> {
        serde_json::from_str(&layer_names_json(text).unwrap()).unwrap()
    };
    assert_eq!(names("default"), ["conv1", "conv2", "fc1"]);
    assert_eq!(names("c8k3-r-p2-d32-r-d10"), ["conv1", "fc1", "fc2"]);

    let mut config: serde_json::Value = serde_json::from_str(&small_config()).unwrap();
    config["prune"]["schedule"] = "one_shot".into();
    config["prune"]["pretrain_epochs"] = 0.into();
    config["prune"]["layer_targets"] = serde_json::json!([{"layer": "conv1", "sparsity": 0.3}]);
    let mut session = Session::new(&config.to_string(), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    session.run_steps(5, 10_000.0).unwrap();
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&viewer.summary_json(viewer.last_step(), None).unwrap()).unwrap();
    let layers = summary["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3, "{summary}");
    assert_eq!(layers[0]["layer"], "conv1");
    let conv1 = layers[0]["sparsity"].as_f64().unwrap();
    assert!((conv1 - 0.3).abs() < 0.01, "conv1 sparsity {conv1}");
    let conv2 = layers[1]["sparsity"].as_f64().unwrap();
    assert!(
        (conv2 - 0.75).abs() < 0.01,
        "conv2 follows the target: {conv2}"
    );
}

/// Text is measured with the canvas's `measureText`: a chart draws on a canvas that is not in the
/// page, and drawing adds nothing to the page (plotters' own measurement inserted a `<span>`).
#[wasm_bindgen_test]
fn charts_measure_text_without_touching_the_page() {
    let document = web_sys::window().unwrap().document().unwrap();
    let detached: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    detached.set_width(480);
    detached.set_height(300);
    let body = document.body().unwrap();
    let observer = web_sys::MutationObserver::new(&js_sys::Function::new_no_args("")).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(&body, &options).unwrap();
    prunelab::web::draw_predictions(detached.clone(), &[0.05; 20], None).unwrap();
    let changes = observer.take_records().length();
    observer.disconnect();
    assert_eq!(changes, 0, "drawing added or removed elements in the page");
    assert_ne!(pixel_sum(&detached), 0, "nothing drawn");
}
