//! The wasm API behind keyboard inspection, the held pruning step, the compared runs' labels and
//! the chart zip, in headless Chromium, on a real (small) run.
#![cfg(target_arch = "wasm32")]

use prunelab::web::{Comparison, Session, Viewer, ZipFiles};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

/// One dense epoch, then a one-shot prune to 50% (layer-wise) after step 500.
fn config(strategy: &str) -> String {
    let decoded = prunelab::run::url::decode(&format!(
        "strategy={strategy}&schedule=one-shot&target=0.5&pretrain=1&finetune=1"
    ));
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
    serde_json::to_string(&decoded.config).unwrap()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[wasm_bindgen_test]
fn a_weight_is_read_by_cell_as_by_pixel_and_a_pruning_step_names_what_it_removed() {
    let mut session = Session::new(&config("magnitude"), DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();
    session.run_steps(510, 60_000.0).unwrap();
    viewer
        .append_json(&session.take_chunk_json().unwrap())
        .unwrap();
    let step = viewer.last_step();

    // The layout the page moves its cursor on is the one the heatmap is drawn with.
    let layout = json(
        &viewer
            .weight_layout_json("heatmap", 0, step, 480, 300)
            .unwrap(),
    );
    let tile = &layout[2];
    assert_eq!(
        (
            tile["tile"].as_u64(),
            tile["rows"].as_u64(),
            tile["cols"].as_u64()
        ),
        (Some(2), Some(5), Some(5))
    );
    let (x, y) = (
        tile["x"].as_f64().unwrap() + 1.5 * tile["cell_width"].as_f64().unwrap(),
        tile["y"].as_f64().unwrap() + 3.5 * tile["cell_height"].as_f64().unwrap(),
    );
    let by_pixel = viewer
        .hover_json("heatmap", 0, step, x as i32, y as i32, 480, 300, None)
        .unwrap();
    let by_cell = viewer.weight_json(0, step, 2, 3, 1, None).unwrap();
    assert_eq!(by_cell, by_pixel);
    assert_eq!(json(&by_cell)["index"], 2 * 25 + 3 * 5 + 1);
    assert_eq!(viewer.weight_json(0, step, 99, 0, 0, None).unwrap(), "null");
    assert_eq!(
        viewer
            .weight_layout_json("heatmap", 99, step, 480, 300)
            .unwrap(),
        "[]"
    );
    assert!(viewer
        .weight_layout_json("bogus", 0, step, 480, 300)
        .is_err());

    // The pruning step removed half of conv1's 250 weights; none were removed before it.
    let removed = json(&viewer.removed_json(0, 500.0, step).unwrap());
    assert_eq!(removed.as_array().unwrap().len(), 125);
    let [tile, row, col] = [0, 1, 2].map(|i| removed[0][i].as_u64().unwrap() as usize);
    assert_eq!(
        json(&viewer.weight_json(0, step, tile, row, col, None).unwrap())["kept"],
        false
    );
    assert_eq!(viewer.removed_json(0, 0.0, 499.0).unwrap(), "[]");
}

#[wasm_bindgen_test]
fn compared_runs_keep_their_ids_and_show_their_labels() {
    let mut comparison = Comparison::new();
    for (id, label) in [
        ("magnitude", "Weight magnitude"),
        ("random", "Random (baseline)"),
    ] {
        let mut session = Session::new(&config(id), DIGITS).unwrap();
        let index = comparison
            .add_run(id, &session.meta_json().unwrap())
            .unwrap();
        comparison.set_label(index, label).unwrap();
    }
    assert!(comparison.set_label(2, "x").is_err());
    let rows = json(&comparison.table_json().unwrap());
    assert_eq!(rows[0]["label"], "Weight magnitude");
    assert_eq!(rows[1]["label"], "Random (baseline)");
    assert_eq!(
        json(&comparison.tensors_json().unwrap()),
        json(r#"["conv1.weight","conv2.weight","fc1.weight"]"#)
    );
}

#[wasm_bindgen_test]
fn charts_zip_holds_the_files_added() {
    let mut zip = ZipFiles::new();
    zip.add("a.png", vec![137, 80, 78, 71]);
    zip.add("b.png", vec![1]);
    let bytes = zip.finish().unwrap();
    assert_eq!(&bytes[..2], b"PK");
    zip.add("a.png", vec![]);
    assert!(zip.finish().is_err(), "a repeated name is refused");
}
