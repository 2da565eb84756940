//! Page charts in headless Chromium: drawn at device resolution (layout in CSS pixels, the
//! context scaled by the ratio www/canvas.js records), and each chart's data as a table.
#![cfg(target_arch = "wasm32")]

use prunelab::web::{Session, Viewer};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

fn viewer_after(steps: u32) -> Viewer {
    let mut config = prunelab::run::RunConfig::default();
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    config.evals_per_epoch = 2;
    let mut session = Session::new(&serde_json::to_string(&config).unwrap(), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    session.run_steps(steps, 10_000.0).unwrap();
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    viewer
}

/// A canvas of `width`×`height` CSS pixels at device pixel ratio `ratio`, as fitCanvas makes it.
fn canvas(width: u32, height: u32, ratio: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width * ratio);
    canvas.set_height(height * ratio);
    canvas
        .set_attribute("data-pixel-ratio", &ratio.to_string())
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// The image of `canvas` as RGBA bytes.
fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).unwrap();
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    context
        .get_image_data(0.0, 0.0, w, h)
        .unwrap()
        .data()
        .to_vec()
}

#[wasm_bindgen_test]
fn a_chart_at_ratio_two_is_the_same_chart_at_twice_the_pixels() {
    let viewer = viewer_after(60);
    let single = canvas(480, 300, 1);
    let double = canvas(480, 300, 2);
    viewer
        .draw_chart(single.clone(), "accuracy", 60.0, None)
        .unwrap();
    viewer
        .draw_chart(double.clone(), "accuracy", 60.0, None)
        .unwrap();
    let (one, two) = (pixels(&single), pixels(&double));
    // The same layout: where the ratio-1 chart is white, the 2×2 block of the ratio-2 chart is
    // mostly white too (antialiasing differs at edges), and the non-white ink scales by about 4.
    let ink = |data: &[u8]| data.chunks(4).filter(|p| p[..3] != [255, 255, 255]).count();
    let (ink_one, ink_two) = (ink(&one), ink(&two));
    assert!(ink_one > 1_000, "the chart drew ({ink_one} inked pixels)");
    let ratio = ink_two as f64 / ink_one as f64;
    assert!(
        (2.5..6.0).contains(&ratio),
        "ink at ratio 2 is {ratio:.2}× the ink at ratio 1; text and lines must scale with it"
    );
}

#[wasm_bindgen_test]
fn every_chart_has_a_data_table() {
    let viewer = viewer_after(60);
    for kind in [
        "accuracy",
        "loss",
        "kept",
        "layer_sparsity",
        "tradeoff",
        "compute",
    ] {
        let table: serde_json::Value =
            serde_json::from_str(&viewer.chart_data_json(kind, 60.0, None).unwrap()).unwrap();
        assert!(table["caption"].as_str().unwrap().starts_with("Data of"));
        assert!(!table["columns"].as_array().unwrap().is_empty(), "{kind}");
    }
    let heat: serde_json::Value =
        serde_json::from_str(&viewer.heatmap_data_json(0, 60.0, None).unwrap()).unwrap();
    assert_eq!(
        heat["rows"].as_array().unwrap().len(),
        10,
        "one row per conv1 filter"
    );
    assert!(viewer.pruned_at_data_json(0, 60.0, None).is_ok());
    assert!(viewer.chart_data_json("pie", 60.0, None).is_err());
    assert!(viewer
        .compute_paragraph(60.0, None)
        .contains("multiply-accumulates"));
}
