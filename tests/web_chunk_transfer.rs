//! The history chunk crossing worker → page, three ways, with the structured clone `postMessage`
//! makes in between: a JSON string (serde_json both ends: what the site does), a plain object
//! (serde-wasm-bindgen both ends), and JSON without the weight snapshots plus one Float32Array of
//! them. All arrive equal; the timings are printed (`cargo test --target wasm32-unknown-unknown
//! --test web_chunk_transfer -- --nocapture`). Measured in Chromium: the JSON string is the
//! fastest of the first two, so the site keeps it (see `Session::take_chunk_json`).
#![cfg(target_arch = "wasm32")]

use prunelab::run::history::Snapshot;
use prunelab::run::{Records, RunConfig};
use prunelab::web::{Session, Viewer};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");
const REPEATS: u32 = 50;

/// `postMessage`'s copy of a value: the structured clone algorithm.
fn structured_clone(value: &JsValue) -> JsValue {
    let clone: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"structuredClone".into())
            .unwrap()
            .dyn_into()
            .unwrap();
    clone.call1(&JsValue::NULL, value).unwrap()
}

/// Milliseconds per call of `work`, over `REPEATS` calls.
fn time_ms(mut work: impl FnMut()) -> f64 {
    let start = js_sys::Date::now();
    for _ in 0..REPEATS {
        work();
    }
    (js_sys::Date::now() - start) / f64::from(REPEATS)
}

fn measure(label: &str, chunk: &Records) {
    let json = serde_json::to_string(chunk).unwrap();
    let object = serde_wasm_bindgen::to_value(chunk).unwrap();
    let json_ms = (
        time_ms(|| drop(serde_json::to_string(chunk).unwrap())),
        time_ms(|| drop(structured_clone(&JsValue::from_str(&json)))),
        time_ms(|| drop(serde_json::from_str::<Records>(&json).unwrap())),
    );
    let object_ms = (
        time_ms(|| drop(serde_wasm_bindgen::to_value(chunk).unwrap())),
        time_ms(|| drop(structured_clone(&object))),
        time_ms(|| drop(serde_wasm_bindgen::from_value::<Records>(object.clone()).unwrap())),
    );
    let (json_part, weights) = split(chunk);
    let split_ms = (
        time_ms(|| drop(split(chunk))),
        time_ms(|| {
            let (json, weights) = split(chunk);
            drop(structured_clone(&JsValue::from_str(&json)));
            drop(structured_clone(&weights));
        }),
        time_ms(|| drop(join(&json_part, &weights, chunk))),
    );
    let total = |(a, b, c): (f64, f64, f64)| a + b + c;
    console_log!(
        "{label}: {} steps, {} snapshots, JSON {} bytes (without weights {} + Float32Array {}). ms per chunk (serialise + clone + append): \
         JSON string {:.2} + {:.2} + {:.2} = {:.2}; JS object {:.2} + {:.2} + {:.2} = {:.2}; \
         JSON + Float32Array {:.2} + {:.2} + {:.2} = {:.2}",
        chunk.steps.len(),
        chunk.snapshots.len(),
        json.len(),
        json_without_weights(chunk).len(),
        split(chunk).1.byte_length(),
        json_ms.0,
        json_ms.1,
        json_ms.2,
        total(json_ms),
        object_ms.0,
        object_ms.1,
        object_ms.2,
        total(object_ms),
        split_ms.0,
        split_ms.1,
        split_ms.2,
        total(split_ms)
    );
    // Both paths deliver the same records.
    let via_object: Records = serde_wasm_bindgen::from_value(structured_clone(&object)).unwrap();
    let via_json: Records = serde_json::from_str(&json).unwrap();
    assert_eq!(via_object, via_json);
    assert_eq!(&via_object, chunk);
    assert_eq!(&join(&json_part, &weights, chunk), chunk);
}

fn json_without_weights(chunk: &Records) -> String {
    let mut records = chunk.clone();
    for snapshot in &mut records.snapshots {
        snapshot.weights.clear();
    }
    serde_json::to_string(&records).unwrap()
}

/// The chunk as JSON without the snapshots' weights, and the weights as one Float32Array.
fn split(chunk: &Records) -> (String, js_sys::Float32Array) {
    let flat: Vec<f32> = chunk
        .snapshots
        .iter()
        .flat_map(|s| s.weights.iter().flatten().copied())
        .collect();
    (
        json_without_weights(chunk),
        js_sys::Float32Array::from(&flat[..]),
    )
}

/// The page's side of [`split`]: the records with each snapshot's weights cut back out of the
/// array (tensor lengths taken from `shape_of`, which in the site would be the viewer's history).
fn join(json: &str, weights: &js_sys::Float32Array, shape_of: &Records) -> Records {
    let mut records: Records = serde_json::from_str(json).unwrap();
    let flat = weights.to_vec();
    let mut offset = 0;
    for (snapshot, shaped) in records.snapshots.iter_mut().zip(&shape_of.snapshots) {
        *snapshot = Snapshot {
            step: snapshot.step,
            weights: shaped
                .weights
                .iter()
                .map(|tensor| {
                    let part = flat[offset..offset + tensor.len()].to_vec();
                    offset += tensor.len();
                    part
                })
                .collect(),
            biases: std::mem::take(&mut snapshot.biases),
        };
    }
    records
}

#[wasm_bindgen_test]
fn a_chunk_crosses_as_an_object_and_arrives_equal() {
    let mut config = RunConfig::default();
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    let json = serde_json::to_string(&config).unwrap();
    let mut session = Session::new(&json, DIGITS).unwrap();
    let mut viewer = Viewer::new(&session.meta_json().unwrap()).unwrap();

    // One slice as the page receives it while playing (50 steps), through the real exports.
    session.run_steps(50, 60_000.0).unwrap();
    let slice = session.take_chunk_json().unwrap();
    let slice_records: Records = serde_json::from_str(&slice).unwrap();
    assert_eq!(slice_records.steps.len(), 50);
    let posted = structured_clone(&JsValue::from_str(&slice))
        .as_string()
        .unwrap();
    viewer.append_json(&posted).unwrap();
    assert_eq!(viewer.last_step(), 50.0);
    measure("50-step slice", &slice_records);

    // The rest of the first epoch in one chunk (evaluations and weight snapshots included).
    let epoch_steps = 500;
    session.run_steps(epoch_steps - 50, 600_000.0).unwrap();
    let epoch: Records = serde_json::from_str(&session.take_chunk_json().unwrap()).unwrap();
    assert!(
        !epoch.snapshots.is_empty(),
        "the epoch ends with an evaluation"
    );
    measure("1-epoch chunk", &epoch);
    viewer
        .append_json(&serde_json::to_string(&epoch).unwrap())
        .unwrap();
    assert_eq!(viewer.last_step(), f64::from(epoch_steps));
}
