//! The page's dense-vs-pruned comparison in headless Chromium: it uses the run's own dense
//! reference, so a session replayed after a reload predicts exactly as the live one did, a lottery
//! session compares with the trained round-0 network, and SET / RigL say there is none.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use prunelab::data::Dataset;
use prunelab::nn::loss::softmax;
use prunelab::prune::Strategy;
use prunelab::run::{PruningRun, RunConfig, ScheduleKind};
use prunelab::web::{draw_predictions, Session};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

fn config(strategy: Strategy, schedule: ScheduleKind) -> RunConfig {
    let mut config = RunConfig::default();
    config.prune.strategy = strategy;
    config.prune.schedule = schedule;
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    config.prune.prune_rate = 0.5;
    config.prune.target_sparsity = 0.75;
    config.evals_per_epoch = 0;
    config.train.batch_size = 128;
    config
}

/// A made-up input that is not blank, so the networks' answers differ.
fn input() -> Vec<f32> {
    (0..784).map(|i| ((i * 37) % 11) as f32 / 11.0).collect()
}

fn progress_step(progress: &str) -> u64 {
    let progress: serde_json::Value = serde_json::from_str(progress).unwrap();
    progress["step"].as_u64().unwrap()
}

#[wasm_bindgen_test]
fn a_reloaded_lottery_session_compares_with_the_same_trained_round_0_network() {
    let config = config(Strategy::Magnitude, ScheduleKind::Lottery);
    let json = serde_json::to_string(&config).unwrap();
    // Round 0 is one epoch (63 mini-batches of 128); step 70 is past its pruning and rewind.
    let until = 70;
    // The live page runs slices of 7 units of work; after a reload the page replays to the step
    // the live run had reached.
    let mut live = Session::new(&json, DIGITS).unwrap();
    let mut reached = 0;
    while reached < until {
        reached = progress_step(&live.run_steps(7, 60_000.0).unwrap());
    }
    let mut reloaded = Session::new(&json, DIGITS).unwrap();
    while progress_step(&reloaded.run_until(reached as f64, 60_000.0).unwrap()) < reached {}

    let live_probabilities = live.predict(&input()).unwrap();
    assert_eq!(live_probabilities.len(), 20);
    assert_eq!(live_probabilities, reloaded.predict(&input()).unwrap());
    assert_eq!(live.no_dense_reason(None), None);

    // The dense half is the run's recorded round-0 network, not the rewound or initial one.
    let dataset = Arc::new(Dataset::from_bytes(DIGITS).unwrap());
    let mut run = PruningRun::new(config, dataset).unwrap();
    let mut initial = run.network().clone_parameters();
    while run.global_step() < reached {
        run.step().unwrap();
    }
    let mut dense = run.dense_network().unwrap().clone_parameters();
    assert_eq!(
        &live_probabilities[..10],
        &softmax(dense.infer(&input(), 1))[..]
    );
    assert_ne!(
        &live_probabilities[..10],
        &softmax(initial.infer(&input(), 1))[..]
    );
    assert_ne!(&live_probabilities[..10], &live_probabilities[10..]);
}

#[wasm_bindgen_test]
fn a_rigl_session_says_it_has_no_dense_network() {
    let json = serde_json::to_string(&config(Strategy::Rigl, ScheduleKind::Gradual)).unwrap();
    let mut session = Session::new(&json, DIGITS).unwrap();
    session.run_steps(5, 60_000.0).unwrap();
    let reason = session.no_dense_reason(None).unwrap();
    assert!(reason.contains("sparse from step 0"), "{reason}");
    let probabilities = session.predict(&input()).unwrap();
    assert_eq!(probabilities.len(), 10, "only the current network's ten");
    assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert_eq!(session.changed_predictions_json(5).unwrap(), "[]");
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(480);
    canvas.set_height(300);
    draw_predictions(canvas.clone(), &probabilities, None).unwrap();
    assert!(draw_predictions(canvas, &probabilities[..7], None).is_err());
}
