//! `prunelab sweep`: a direct sweep equals its plan run line by line and then collected; bad
//! grids and incomplete output folders exit with code 2 and write nothing.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{prunelab, scratch, summary, text};

/// A one-layer network keeps every run short; the grid flags follow.
fn tiny_arch(dir: &Path) -> PathBuf {
    let path = dir.join("tiny.json");
    std::fs::write(
        &path,
        r#"{"input":{"channels":1,"height":28,"width":28},"layers":[{"kind":"dense","units":10}]}"#,
    )
    .unwrap();
    path
}

fn grid<'a>(arch: &'a str, strategies: &'a str, seeds: &'a str) -> Vec<&'a str> {
    vec![
        "sweep",
        "--strategies",
        strategies,
        "--sparsities",
        "0.5,0.9",
        "--seeds",
        seeds,
        "--pretrain-epochs",
        "1",
        "--finetune-epochs",
        "1",
        "--batch-size",
        "64",
        "--arch-json",
        arch,
        "--quiet",
    ]
}

/// Runs each printed line through a shell, as GNU parallel or a Slurm array would.
fn run_plan(lines: &str) {
    let binary = env!("CARGO_BIN_EXE_prunelab");
    for line in lines.lines() {
        let command = line.strip_prefix("prunelab ").expect("a prunelab line");
        let result = Command::new("sh")
            .arg("-c")
            .arg(format!("'{binary}' {command}"))
            .output()
            .unwrap();
        assert!(result.status.success(), "{line}: {}", text(&result.stderr));
    }
}

#[test]
fn plan_run_collect_equals_a_direct_sweep() {
    let dir = scratch("sweep-equal");
    let arch = tiny_arch(&dir);
    let arch = arch.to_str().unwrap();
    let direct = dir.join("direct");
    let planned = dir.join("planned");

    let mut args = grid(arch, "magnitude,random", "1,2");
    args.extend(["--out", direct.to_str().unwrap()]);
    let result = prunelab(&args);
    assert!(result.status.success(), "{}", text(&result.stderr));

    let mut args = grid(arch, "magnitude,random", "1,2");
    args.extend(["--out", planned.to_str().unwrap(), "--plan"]);
    let result = prunelab(&args);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let lines = text(&result.stdout);
    assert_eq!(lines.lines().count(), 8, "{lines}");
    assert!(!planned.exists(), "--plan only prints");
    run_plan(&lines);
    let result = prunelab(&["sweep", "--collect", planned.to_str().unwrap()]);
    assert!(result.status.success(), "{}", text(&result.stderr));

    let read = |dir: &Path, file: &str| std::fs::read(dir.join(file)).unwrap();
    let csv = String::from_utf8(read(&direct, "sweep.csv")).unwrap();
    assert_eq!(csv, String::from_utf8(read(&planned, "sweep.csv")).unwrap());
    assert_eq!(read(&direct, "sweep.svg"), read(&planned, "sweep.svg"));
    assert_eq!(read(&direct, "sweep.png"), read(&planned, "sweep.png"));
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "strategy,target_sparsity,seed,test_accuracy,sparsity,kept_params,train_macs_actual,energy_joules_estimate"
    );
    assert_eq!(rows.len(), 9);
    assert!(rows[1].starts_with("magnitude,0.5,1,"), "{csv}");
    assert!(rows[8].starts_with("random,0.9,2,"), "{csv}");
    // The runs themselves agree, not just the table.
    let run = "magnitude-sp0.9-seed2";
    assert_eq!(
        summary(&direct.join("runs").join(run)),
        summary(&planned.join("runs").join(run))
    );
    // Seeds differ: each is its own dense training.
    let accuracy = |row: &str| row.split(',').nth(3).unwrap().to_string();
    assert_ne!(accuracy(rows[1]), accuracy(rows[2]), "{csv}");
    let svg = String::from_utf8(read(&direct, "sweep.svg")).unwrap();
    assert!(
        svg.contains("magnitude") && svg.contains("random") && svg.contains("mean over 2 seeds")
    );
}

/// Exit code 2, the message names the problem, and `out` holds no sweep.csv.
fn refused(args: &[&str], expected: &str, out: &Path) {
    let result = prunelab(args);
    let stderr = text(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
    assert!(!out.join("sweep.csv").exists(), "{args:?}");
    assert!(!out.join("sweep.png").exists(), "{args:?}");
}

#[test]
fn bad_grids_exit_2_and_write_nothing() {
    let dir = scratch("sweep-invalid");
    let out = dir.join("run");
    let out_text = out.to_str().unwrap();
    for (flag, value, expected) in [
        ("--strategies", "", "--strategies"),
        ("--strategies", "magnitude,bogus", "bogus"),
        ("--strategies", "magnitude,magnitude", "twice"),
        ("--sparsities", "", "--sparsities"),
        ("--sparsities", "0.5,1", "outside 0 to below 1"),
        ("--sparsities", "-0.1", "outside 0 to below 1"),
        ("--seeds", "", "--seeds"),
    ] {
        let mut args = vec!["sweep", "--strategies", "magnitude", "--out", out_text];
        match flag {
            "--strategies" => args[2] = value,
            _ => args.extend([flag, value]),
        }
        refused(&args, expected, &out);
        assert!(!out.exists(), "{args:?} created {out_text}");
    }
    refused(&["sweep", "--strategies", "magnitude"], "--out", &out);
}

#[test]
fn collecting_a_folder_with_missing_or_unfinished_runs_exits_2() {
    let dir = scratch("sweep-missing");
    let arch = tiny_arch(&dir);
    let arch = arch.to_str().unwrap();
    let out = dir.join("partial");
    let out_text = out.to_str().unwrap();
    let mut args = grid(arch, "magnitude", "1");
    args.extend(["--out", out_text, "--plan"]);
    let lines = text(&prunelab(&args).stdout);
    // Only the first of the two runs is done.
    run_plan(lines.lines().next().unwrap());

    // The grid on the command line names the run that is missing.
    let mut args = grid(arch, "magnitude", "1");
    args.extend(["--collect", out_text]);
    refused(&args, "magnitude-sp0.9-seed1", &out);
    run_plan(lines.lines().nth(1).unwrap());
    std::fs::create_dir_all(out.join("runs").join("magnitude-sp0.5-seed2")).unwrap();
    refused(&["sweep", "--collect", out_text], "no summary.json", &out);
    std::fs::remove_dir(out.join("runs").join("magnitude-sp0.5-seed2")).unwrap();
    // Without the grid flags, a seed that ran at one sparsity but not the other is still missing.
    let other = out.join("runs").join("other");
    std::fs::create_dir_all(&other).unwrap();
    let mut seed2 = summary(&out.join("runs").join("magnitude-sp0.5-seed1"));
    seed2["seed"] = 2.into();
    std::fs::write(other.join("summary.json"), seed2.to_string()).unwrap();
    refused(
        &["sweep", "--collect", out_text],
        "magnitude-sp0.9-seed2",
        &out,
    );
    refused(
        &["sweep", "--collect", dir.join("nothing").to_str().unwrap()],
        "cannot read",
        &dir.join("nothing"),
    );
}
