//! `prunelab compare`: same initial weights and data order for every strategy, the overlaid charts
//! and the table; bad strategy lists exit with code 2 and write nothing.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use common::{prunelab, scratch, summary, text};

#[test]
fn strategies_start_from_the_same_weights_and_are_compared_in_one_table() {
    let dir = scratch("compare");
    let out = dir.join("run");
    let result = prunelab(&[
        "compare",
        "--strategies",
        "magnitude,random",
        "--target-sparsity",
        "0.9",
        "--pretrain-epochs",
        "1",
        "--finetune-epochs",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    for file in [
        "compare.csv",
        "compare_accuracy.svg",
        "compare_kept.png",
        "compare_compute.svg",
        "accuracy_vs_sparsity.png",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
    // Identical starting point: the step-0 evaluation and the dense accuracy agree.
    let first_row = |name: &str| {
        let csv = std::fs::read_to_string(out.join(name).join("history.csv")).unwrap();
        csv.lines().nth(1).unwrap().to_string()
    };
    assert_eq!(first_row("magnitude"), first_row("random"));
    let (m, r) = (
        summary(&out.join("magnitude")),
        summary(&out.join("random")),
    );
    assert_eq!(m["dense_test_accuracy"], r["dense_test_accuracy"]);
    assert!(
        m["test_accuracy"].as_f64().unwrap() > r["test_accuracy"].as_f64().unwrap(),
        "{m} {r}"
    );
    let table = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    assert_eq!(table.lines().count(), 3);
    assert!(table.lines().nth(1).unwrap().starts_with("magnitude,"));
    let svg = std::fs::read_to_string(out.join("compare_accuracy.svg")).unwrap();
    assert!(svg.contains("magnitude") && svg.contains("random"));
}

#[test]
fn bad_strategy_lists_exit_2_and_write_nothing() {
    let dir = scratch("compare-invalid");
    let out = dir.join("run");
    let out = out.to_str().unwrap();
    for (list, expected) in [
        ("magnitude", "2 to 4"),
        ("magnitude,random,taylor,snip,rigl", "2 to 4"),
        ("magnitude,magnitude", "twice"),
        ("magnitude,bogus", "bogus"),
    ] {
        let result = prunelab(&[
            "compare",
            "--strategies",
            list,
            "--target-sparsity",
            "0.5",
            "--out",
            out,
        ]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{list}: {}",
            text(&result.stderr)
        );
        assert!(
            text(&result.stderr).contains(expected),
            "{list}: {}",
            text(&result.stderr)
        );
        assert!(!Path::new(out).exists());
    }
}

#[test]
fn sensitivity_scans_each_layer_alone_and_records_the_drop() {
    let dir = scratch("sensitivity");
    let out = dir.join("scan");
    let result = prunelab(&[
        "sensitivity",
        "--pretrain-epochs",
        "1",
        "--sparsities",
        "0.1,0.9",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let s = summary(&out);
    let dense = s["dense_test_accuracy"].as_f64().unwrap();
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // Three prunable layers × two sparsities.
    assert_eq!(rows.len(), 6, "{csv}");
    for row in &rows {
        let (accuracy, drop): (f64, f64) = (row[2].parse().unwrap(), row[3].parse().unwrap());
        assert!((dense - accuracy - drop).abs() < 1e-6, "{row:?}");
    }
    let accuracy = |layer: &str, sparsity: &str| -> f64 {
        rows.iter()
            .find(|r| r[0] == layer && r[1] == sparsity)
            .unwrap()[2]
            .parse()
            .unwrap()
    };
    // The first layer has 250 weights: removing 90% of them hurts far more than 10%.
    assert!(accuracy("conv1.weight", "0.9") + 0.05 < accuracy("conv1.weight", "0.1"));
    assert!(out.join("sensitivity.png").exists() && out.join("sensitivity.svg").exists());
    assert!(s["train_macs_actual"].as_u64().unwrap() > 0);

    let bad = prunelab(&[
        "sensitivity",
        "--strategy",
        "rigl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("per-weight rule"));
}
