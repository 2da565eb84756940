//! The `prunelab prune` contract: summary fields, history rows, bad values refused with exit code 2,
//! and `--finetune-epochs 0` only applying the mask to the starting weights.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use common::{prunelab, scratch, summary, text};

use prunelab::io::read_npz;

#[test]
fn bad_prune_settings_exit_2_and_write_nothing() {
    let dir = scratch("prune-invalid");
    let out = dir.join("run");
    let out = out.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["prune", "--target-sparsity", "1.0", "--out", out],
            "--target-sparsity",
        ),
        (
            vec!["prune", "--target-sparsity", "-0.5", "--out", out],
            "--target-sparsity",
        ),
        (
            vec![
                "prune",
                "--strategy",
                "bogus",
                "--target-sparsity",
                "0.5",
                "--out",
                out,
            ],
            "bogus",
        ),
        (
            vec![
                "prune",
                "--strategy",
                "magnitude",
                "--schedule",
                "dynamic",
                "--target-sparsity",
                "0.5",
                "--out",
                out,
            ],
            "set or rigl",
        ),
        (
            vec![
                "prune",
                "--schedule",
                "lottery",
                "--pretrain-epochs",
                "0",
                "--target-sparsity",
                "0.5",
                "--out",
                out,
            ],
            "--pretrain-epochs",
        ),
        (
            vec![
                "prune",
                "--schedule",
                "gradual",
                "--finetune-epochs",
                "0",
                "--target-sparsity",
                "0.5",
                "--out",
                out,
            ],
            "finetune-epochs",
        ),
        (vec!["prune", "--out", out], "target-sparsity"),
        (
            vec![
                "prune",
                "--target-sparsity",
                "0.5",
                "--layer-sparsity",
                "conv1=0.3,fc1",
                "--out",
                out,
            ],
            "--layer-sparsity: cannot read `fc1`",
        ),
        (
            vec![
                "prune",
                "--target-sparsity",
                "0.5",
                "--layer-sparsity",
                "conv9=0.3",
                "--out",
                out,
            ],
            "--layer-sparsity: unknown layer `conv9`; this network's layers: conv1, conv2, fc1",
        ),
        (
            vec![
                "prune",
                "--target-sparsity",
                "0.5",
                "--layer-sparsity",
                "conv1=1.2",
                "--out",
                out,
            ],
            "--layer-sparsity: `conv1` sparsity 1.2 is out of range",
        ),
        (
            vec![
                "prune",
                "--strategy",
                "targeted-dropout",
                "--td-gamma",
                "1.5",
                "--target-sparsity",
                "0.9",
                "--out",
                out,
            ],
            "invalid value for --td-gamma: 1.5 is out of range; allowed: 0 to 1",
        ),
        (
            vec![
                "prune",
                "--strategy",
                "targeted-dropout",
                "--td-gamma",
                "-0.1",
                "--target-sparsity",
                "0.9",
                "--out",
                out,
            ],
            "--td-gamma",
        ),
        (
            vec![
                "prune",
                "--strategy",
                "targeted-dropout",
                "--td-alpha",
                "NaN",
                "--target-sparsity",
                "0.9",
                "--out",
                out,
            ],
            "invalid value for --td-alpha: NaN is out of range",
        ),
        (
            vec![
                "compare",
                "--strategies",
                "magnitude,targeted-dropout",
                "--td-alpha",
                "1.01",
                "--target-sparsity",
                "0.9",
                "--out",
                out,
            ],
            "--td-alpha",
        ),
        (
            vec![
                "compare",
                "--strategies",
                "magnitude,random",
                "--target-sparsity",
                "0.5",
                "--layer-sparsity",
                "conv1:0.3",
                "--out",
                out,
            ],
            "--layer-sparsity",
        ),
    ] {
        let result = prunelab(&args);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&result.stderr)
        );
        assert!(
            text(&result.stderr).contains(expected),
            "{args:?}: {}",
            text(&result.stderr)
        );
        assert!(!Path::new(out).exists());
    }
}

#[test]
fn one_shot_magnitude_pruning_reports_accuracy_sparsity_and_compute() {
    let dir = scratch("prune-one-shot");
    let out = dir.join("run");
    let npz = dir.join("pruned.npz");
    let result = prunelab(&[
        "prune",
        "--strategy",
        "magnitude",
        "--scope",
        "global",
        "--target-sparsity",
        "0.75",
        "--pretrain-epochs",
        "1",
        "--finetune-epochs",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--export-npz",
        npz.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let s = summary(&out);
    assert!((s["sparsity"].as_f64().unwrap() - 0.75).abs() < 1e-3, "{s}");
    assert!(s["test_accuracy"].as_f64().unwrap() > 0.9, "{s}");
    assert!(s["dense_test_accuracy"].as_f64().unwrap() > 0.9, "{s}");
    let (actual, dense) = (
        s["train_macs_actual"].as_u64().unwrap(),
        s["train_macs_dense"].as_u64().unwrap(),
    );
    // One dense epoch plus one epoch at 25% of the weights: clearly less than two dense epochs.
    assert!(actual < dense && actual > dense / 2, "{actual} vs {dense}");
    assert!(s["energy_joules_estimate"].as_f64().unwrap() > 0.0);
    let kept = s["kept_params"].as_u64().unwrap();
    // 7,050 prunable weights and 40 biases (never pruned); round(0.75 · 7,050) = 5,288 (half to even).
    assert_eq!(kept, 7_050 - 5_288 + 40);
    // Charts drawn from the recorded run, as SVG and PNG.
    let svg = std::fs::read_to_string(out.join("accuracy.svg")).unwrap();
    assert!(
        svg.contains("Accuracy") && svg.contains("pruning"),
        "accuracy.svg lacks its title or marker"
    );
    let compute = std::fs::read_to_string(out.join("compute.svg")).unwrap();
    assert!(
        compute.contains("pJ per multiply-accumulate"),
        "the energy model is not stated"
    );
    for name in ["accuracy.png", "kept.png", "compute.png"] {
        assert!(
            std::fs::read(out.join(name))
                .unwrap()
                .starts_with(b"\x89PNG"),
            "{name}"
        );
    }
    let history = std::fs::read_to_string(out.join("history.csv")).unwrap();
    let phases: Vec<&str> = history
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    // Evaluations at step 0, within and at the end of each epoch, and right after the pruning step.
    let first_prune = phases.iter().position(|&p| p == "prune").unwrap();
    assert!(
        phases[..first_prune].iter().all(|&p| p == "train"),
        "{phases:?}"
    );
    assert!(
        phases[first_prune + 1..].iter().all(|&p| p == "fine_tune"),
        "{phases:?}"
    );
    assert_eq!(phases.iter().filter(|&&p| p == "prune").count(), 1);
    // The exported masks have exactly the reported sparsity, and pruned weights are exactly zero.
    let tensors = read_npz(&std::fs::read(&npz).unwrap()).unwrap();
    let masks: Vec<_> = tensors
        .iter()
        .filter(|t| t.name.ends_with("_mask"))
        .collect();
    let pruned: usize = masks
        .iter()
        .map(|m| m.data.iter().filter(|&&v| v == 0.0).count())
        .sum();
    assert_eq!(pruned, 5_288);
    for mask in masks {
        let weight = tensors
            .iter()
            .find(|t| t.name == mask.name.trim_end_matches("_mask"))
            .unwrap();
        assert!(weight
            .data
            .iter()
            .zip(&mask.data)
            .all(|(&w, &m)| m == 1.0 || w == 0.0));
    }
}

#[test]
fn targeted_dropout_prunes_to_the_target_and_records_gamma_and_alpha() {
    let dir = scratch("prune-targeted-dropout");
    let run = |strategy: &str, extra: &[&str]| {
        let out = dir.join(strategy);
        let mut args = vec![
            "prune",
            "--strategy",
            strategy,
            "--target-sparsity",
            "0.9",
            "--pretrain-epochs",
            "1",
            "--finetune-epochs",
            "1",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let result = prunelab(&args);
        assert!(result.status.success(), "{}", text(&result.stderr));
        summary(&out)
    };
    let targeted = run(
        "targeted-dropout",
        &["--td-gamma", "0.75", "--td-alpha", "0.66"],
    );
    assert!((targeted["sparsity"].as_f64().unwrap() - 0.9).abs() < 1e-3);
    assert_eq!(targeted["strategy"], "targeted-dropout");
    assert_eq!(targeted["config"]["prune"]["td_gamma"], 0.75);
    assert_eq!(targeted["config"]["prune"]["td_alpha"], 0.66);
    assert!(targeted["dense_test_accuracy"].as_f64().unwrap() > 0.8);
    // Same seed and data order: only the dropping during training differs from magnitude.
    let magnitude = run("magnitude", &[]);
    assert_ne!(
        targeted["dense_test_accuracy"], magnitude["dense_test_accuracy"],
        "targeted dropout changed nothing in training"
    );
    let largest = run("largest-magnitude", &[]);
    assert!((largest["sparsity"].as_f64().unwrap() - 0.9).abs() < 1e-3);
    assert_eq!(
        largest["dense_test_accuracy"], magnitude["dense_test_accuracy"],
        "largest-magnitude trains like magnitude; only the pruning step differs"
    );
}

#[test]
fn finetune_zero_only_applies_the_mask_to_the_starting_weights() {
    let dir = scratch("prune-finetune-zero");
    let start = dir.join("start.npz");
    let result = prunelab(&[
        "train",
        "--epochs",
        "1",
        "--quiet",
        "--export-npz",
        start.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let pruned = dir.join("pruned.npz");
    let result = prunelab(&[
        "prune",
        "--target-sparsity",
        "0.5",
        "--pretrain-epochs",
        "0",
        "--finetune-epochs",
        "0",
        "--quiet",
        "--init-npz",
        start.to_str().unwrap(),
        "--export-npz",
        pruned.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let before = read_npz(&std::fs::read(&start).unwrap()).unwrap();
    let after = read_npz(&std::fs::read(&pruned).unwrap()).unwrap();
    for tensor in before.iter().filter(|t| !t.name.ends_with("_mask")) {
        let changed = after.iter().find(|t| t.name == tensor.name).unwrap();
        let mask = after
            .iter()
            .find(|t| t.name == format!("{}_mask", tensor.name));
        for (i, (&b, &a)) in tensor.data.iter().zip(&changed.data).enumerate() {
            let kept = mask.is_none_or(|m| m.data[i] == 1.0);
            assert_eq!(a, if kept { b } else { 0.0 }, "{}[{i}]", tensor.name);
        }
    }
}

#[test]
fn gradual_pruning_records_every_step_and_ends_at_the_target() {
    let dir = scratch("prune-gradual");
    let out = dir.join("run");
    let result = prunelab(&[
        "prune",
        "--schedule",
        "gradual",
        "--prune-steps",
        "4",
        "--target-sparsity",
        "0.8",
        "--pretrain-epochs",
        "1",
        "--finetune-epochs",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let history = std::fs::read_to_string(out.join("history.csv")).unwrap();
    let sparsities: Vec<f64> = history
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) == Some("prune"))
        .map(|l| l.split(',').nth(5).unwrap().parse().unwrap())
        .collect();
    // Pruning steps at t = 0, Δt, …, 4Δt following s_t = 0.8·(1 − (1 − t/4Δt)³).
    assert_eq!(sparsities.len(), 5, "{history}");
    let expected = [
        0.0,
        0.8 * (1.0 - 0.75f64.powi(3)),
        0.8 * (1.0 - 0.5f64.powi(3)),
        0.8 * (1.0 - 0.25f64.powi(3)),
        0.8,
    ];
    for (got, want) in sparsities.iter().zip(expected) {
        assert!((got - want).abs() < 1e-3, "{sparsities:?}");
    }
    assert!((summary(&out)["sparsity"].as_f64().unwrap() - 0.8).abs() < 1e-3);
}

#[test]
fn layer_sparsity_overrides_reach_their_layers_and_compaction_is_reported() {
    let dir = scratch("prune-layer-sparsity");
    let out = dir.join("run");
    let npz = dir.join("pruned.npz");
    let result = prunelab(&[
        "prune",
        "--target-sparsity",
        "0.5",
        "--layer-sparsity",
        "conv1=0.3, fc1=0.9",
        "--pretrain-epochs",
        "0",
        "--finetune-epochs",
        "0",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--export-npz",
        npz.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    // conv1: round(0.3·250) = 75 pruned; fc1: round(0.9·5,000) = 4,500; conv2 (not overridden)
    // follows the 0.5 target alone: 900 of 1,800.
    let tensors = read_npz(&std::fs::read(&npz).unwrap()).unwrap();
    let pruned = |name: &str| {
        let mask = tensors.iter().find(|t| t.name == name).unwrap();
        mask.data.iter().filter(|&&v| v == 0.0).count()
    };
    assert_eq!(pruned("conv1.weight_mask"), 75);
    assert_eq!(pruned("conv2.weight_mask"), 900);
    assert_eq!(pruned("fc1.weight_mask"), 4_500);
    // 5,475 of 7,050 pruned: the final lines say why the total is off the target.
    let stdout = text(&result.stdout);
    assert!(
        stdout.contains("with --layer-sparsity the sparsity is 77.7% (target 50.0%)"),
        "{stdout}"
    );
    let s = summary(&out);
    assert_eq!(
        s["config"]["prune"]["layer_targets"],
        serde_json::json!([
            {"layer": "conv1", "sparsity": 0.3},
            {"layer": "fc1", "sparsity": 0.9}
        ])
    );
    // Unstructured: no unit emptied, so the compacted network is the whole one.
    assert_eq!(s["compact_params"], s["total_params"]);
    assert_eq!(
        s["compact_forward_macs"].as_u64(),
        Some(250 * 576 + 1_800 * 100 + 5_000)
    );
}

#[test]
fn filter_pruning_reports_the_compacted_network() {
    let dir = scratch("prune-compact");
    let out = dir.join("run");
    let result = prunelab(&[
        "prune",
        "--strategy",
        "filter-l1",
        "--target-sparsity",
        "0.5",
        "--pretrain-epochs",
        "0",
        "--finetune-epochs",
        "0",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    // Layer scope, amount 0.5 of the 7,050 weights: conv1 keeps 5 of 10 filters, conv2 10 of 20.
    // Compacted: conv1 5·(25 + 1) = 130, conv2 10·(5·9 + 1) = 460, fc1 10·(10·25 + 1) = 2,510.
    let s = summary(&out);
    assert_eq!(s["compact_params"].as_u64(), Some(130 + 460 + 2_510));
    // MACs per sample: conv1 5·25·24², conv2 10·45·10², fc1 2,500.
    assert_eq!(
        s["compact_forward_macs"].as_u64(),
        Some(5 * 25 * 576 + 10 * 45 * 100 + 2_500)
    );
    assert_eq!(s["total_params"].as_u64(), Some(7_090));
}
