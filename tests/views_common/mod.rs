//! A small history written by hand, so the views' answers can be checked by hand.
//!
//! Two prunable tensors, all weights kept at step 0:
//! - `conv1.weight` `[2, 1, 2, 2]` reading 1×4×4 maps: two 2×2 tiles ("filter 1" = indices 0..4,
//!   "filter 2" = 4..8);
//! - `fc1.weight` `[2, 3]` reading a flat vector of 3: one 2×3 tile ("2×3").
//!
//! Steps 1–4 are trained; evaluations at step 2 (dense, 14 of 14 kept) and step 4 (10 kept:
//! 6 of conv1, 4 of fc1). At step 3 a pruning step removes conv1 indices 1 and 4 and fc1 indices
//! 0 and 5; at step 4 a second pruning step is rolled back. Weights are snapshotted at steps 0
//! and 4 (`CONV1_AT_0`, `CONV1_AT_4`).
#![allow(dead_code)]

use prunelab::nn::Shape;
use prunelab::run::history::{
    EvalRecord, History, MaskDelta, Phase, PruneEvent, Snapshot, StepRecord, TensorInfo,
};

pub const CONV1_AT_0: [f32; 8] = [0.5, -0.1, 0.3, -0.2, 0.05, 0.4, -0.6, 0.7];
/// After the pruning at step 3 (indices 1 and 4 are 0) and a step of training.
pub const CONV1_AT_4: [f32; 8] = [0.55, 0.0, 0.25, -0.2, 0.0, 0.45, -0.6, -0.75];
pub const FC1_AT_0: [f32; 6] = [0.01, 0.2, -0.3, 0.4, -0.5, 0.02];
pub const FC1_AT_4: [f32; 6] = [0.0, 0.25, -0.3, 0.4, -0.5, 0.0];

/// Cumulative MACs after step `s` (dense: 1,000 per step; with masks: fewer after pruning).
pub fn macs_at(step: u64) -> (u64, u64) {
    let actual = [0, 1_000, 2_000, 3_000, 3_700][step as usize];
    (actual, 1_000 * step)
}

pub fn history() -> History {
    let tensors = vec![
        TensorInfo {
            name: "conv1.weight".into(),
            shape: vec![2, 1, 2, 2],
            input: Shape::new(1, 4, 4),
        },
        TensorInfo {
            name: "fc1.weight".into(),
            shape: vec![2, 3],
            input: Shape::new(3, 1, 1),
        },
    ];
    let mut history = History::new(tensors, vec![vec![true; 8], vec![true; 6]]);
    history.dense_test_accuracy = Some(0.5);
    let records = &mut history.records;
    for step in 1..=4 {
        let (macs_actual, macs_dense) = macs_at(step);
        records.steps.push(StepRecord {
            step,
            epoch: step as f64 / 4.0,
            phase: if step < 3 {
                Phase::Train
            } else {
                Phase::FineTune
            },
            loss: 1.0,
            accuracy: 0.5,
            learning_rate: 0.1,
            kept: if step < 3 { 14 } else { 10 },
            macs_actual,
            macs_dense,
        });
    }
    records.evals.push(eval(2, Phase::Train, 0.5, [8, 6]));
    records.evals.push(eval(4, Phase::FineTune, 0.8, [6, 4]));
    records.events.push(event(3, true));
    records.events.push(event(4, false));
    records.mask_deltas.push(MaskDelta {
        step: 3,
        tensor: 0,
        removed: vec![1, 4],
        regrown: vec![],
    });
    records.mask_deltas.push(MaskDelta {
        step: 3,
        tensor: 1,
        removed: vec![0, 5],
        regrown: vec![],
    });
    records.snapshots.push(Snapshot {
        step: 0,
        weights: vec![CONV1_AT_0.to_vec(), FC1_AT_0.to_vec()],
        biases: Vec::new(),
    });
    records.snapshots.push(Snapshot {
        step: 4,
        weights: vec![CONV1_AT_4.to_vec(), FC1_AT_4.to_vec()],
        biases: Vec::new(),
    });
    history
}

fn eval(step: u64, phase: Phase, test_accuracy: f32, kept_per_tensor: [u32; 2]) -> EvalRecord {
    let kept: u32 = kept_per_tensor.iter().sum();
    let (macs_actual, macs_dense) = macs_at(step);
    EvalRecord {
        step,
        epoch: step as f64 / 4.0,
        phase,
        test_loss: 1.0 - test_accuracy,
        test_accuracy,
        train_loss: None,
        train_accuracy: None,
        kept,
        kept_per_tensor: kept_per_tensor.to_vec(),
        sparsity: 1.0 - f64::from(kept) / 14.0,
        macs_actual,
        macs_dense,
    }
}

fn event(step: u64, accepted: bool) -> PruneEvent {
    PruneEvent {
        step,
        accepted,
        target: 0.3,
        sparsity_before: 0.0,
        sparsity_after: 4.0 / 14.0,
        check_loss_before: None,
        check_loss_after: None,
        removed: 4,
    }
}

/// A valid one-run lesson as JSON, to break one field at a time: it prunes to 50% and asks
/// whether that target is reached (this history's step 4 keeps 10 of 14 weights).
pub fn tiny_lesson() -> serde_json::Value {
    serde_json::json!({
        "id": "tiny",
        "title": "Tiny",
        "summary": "A lesson for tests.",
        "runs": [{"id": "pruned", "label": "Pruned", "hash": "strategy=magnitude&schedule=rollback&target=0.5&tolerance=0.05"}],
        "question": {"text": "Does it reach 50%?", "choices": [
            {"label": "Yes", "when": "pruned.target_reached"},
            {"label": "No", "when": "not pruned.target_reached"}
        ]},
        "steps": ["Press Play."],
        "what_happened": ["{pruned.label}: {pruned.dense_accuracy} → {pruned.accuracy} ({pruned.change}); {pruned.kept} of {pruned.total} kept."],
        "claims": [{"text": "It gains at least 20 points.", "check": "pruned.accuracy >= pruned.dense_accuracy + 20pt"}]
    })
}
