//! The CLI contract: flags, exit codes and output files that other tools script against.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use common::{prunelab, scratch, summary, text};

#[test]
fn invalid_values_exit_with_code_2_and_write_nothing() {
    let dir = scratch("cli-invalid");
    let out = dir.join("run");
    let out = out.to_str().unwrap();
    for (args, expected) in [
        (vec!["train", "--epochs", "0", "--out", out], "epochs"),
        (
            vec!["train", "--learning-rate", "-1", "--out", out],
            "learning_rate",
        ),
        (
            vec!["train", "--batch-size", "5000", "--out", out],
            "batch_size",
        ),
        (
            vec!["train", "--optimizer", "rmsprop", "--out", out],
            "rmsprop",
        ),
        (vec!["train", "--arch", "huge", "--out", out], "huge"),
        (vec!["train", "--epochs", "many", "--out", out], "many"),
        (vec!["train", "--no-such-flag"], "no-such-flag"),
        (
            vec!["train", "--init-npz", "/nonexistent/w.npz", "--out", out],
            "init-npz",
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
        assert!(!Path::new(out).exists(), "{args:?} wrote output");
    }
}

#[test]
fn train_writes_history_summary_and_an_npz_that_init_npz_loads() {
    let dir = scratch("cli-train");
    let out = dir.join("run");
    let npz = dir.join("weights.npz");
    let result = prunelab(&[
        "train",
        "--epochs",
        "1",
        "--seed",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--export-npz",
        npz.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert!(
        stdout.contains("epoch   1") && stdout.contains("test accuracy"),
        "{stdout}"
    );

    let report = summary(&out);
    let accuracy = report["test_accuracy"].as_f64().unwrap();
    assert!((0.9..=1.0).contains(&accuracy), "{report}");
    assert_eq!(report["total_params"], 7090);
    assert_eq!(report["kept_params"], 7090);
    assert_eq!(report["epochs"], 1);
    assert_eq!(report["seed"], 3);
    let history = std::fs::read_to_string(out.join("history.csv")).unwrap();
    assert_eq!(history.lines().count(), 2, "{history}");
    assert!(history.starts_with("epoch,step,train_loss"));

    // The exported file is a valid starting point: training continues from it.
    let again = dir.join("again");
    let result = prunelab(&[
        "train",
        "--epochs",
        "1",
        "--quiet",
        "--init-npz",
        npz.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let again_report = summary(&again);
    assert!(again_report["test_accuracy"].as_f64().unwrap() > 0.9);
}

#[test]
fn an_npz_that_does_not_fit_is_refused_naming_the_tensor() {
    let dir = scratch("cli-npz-mismatch");
    let npz = dir.join("lenet.npz");
    let result = prunelab(&[
        "train",
        "--epochs",
        "1",
        "--arch",
        "reference",
        "--quiet",
        "--export-npz",
        npz.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let out = dir.join("run");
    let result = prunelab(&[
        "train",
        "--init-npz",
        npz.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = text(&result.stderr);
    assert!(
        stderr.contains("conv1.weight") && stderr.contains("[10, 1, 5, 5]"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn bench_json_reports_throughput_and_macs() {
    let result = prunelab(&["bench", "--json", "--seconds", "0.1", "--sparsities", "0.9"]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let report: serde_json::Value = serde_json::from_str(text(&result.stdout).trim()).unwrap();
    assert!(report["train_samples_per_sec"].as_f64().unwrap() > 100.0);
    assert_eq!(report["forward_macs_per_sample"], 329_000);
    let networks = report["networks"].as_array().unwrap();
    let find = |name: &str, sparsity: f64| {
        networks
            .iter()
            .find(|n| n["name"] == name && n["sparsity"].as_f64() == Some(sparsity))
            .unwrap()
    };
    let reference = find("reference", 0.0);
    assert_eq!(reference["forward_macs_per_sample"], 322_560);
    assert_eq!(reference["params"], 5_994);
    // Random 90% masks: about a tenth of the weights and of the MACs remain.
    let sparse = find("reference", 0.9);
    let macs = sparse["forward_macs_per_sample"].as_f64().unwrap();
    assert!((20_000.0..45_000.0).contains(&macs), "{macs}");
}
