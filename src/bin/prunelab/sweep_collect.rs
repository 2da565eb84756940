//! `prunelab sweep --collect DIR`: reads every run folder under DIR/runs/ (each a `prune --out`),
//! checks that they form a whole strategy × sparsity × seed grid, and writes DIR/sweep.csv and the
//! chart. Everything is read and checked before anything is written; files appear by rename.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use prunelab::run::views::SweepRow;
use serde_json::Value;

use crate::output::{self, CliError, CliResult};
use crate::sweep_chart;
use crate::sweep_plan::runs_dir;

pub const CSV_HEADER: &str =
    "strategy,target_sparsity,seed,test_accuracy,sparsity,kept_params,train_macs_actual,energy_joules_estimate";

/// Reads, checks and writes; `expected` (the run names of a grid) makes a missing one an error
/// by name even when a whole strategy or seed is absent.
pub fn collect(dir: &Path, expected: Option<&[String]>) -> CliResult<Vec<SweepRow>> {
    let runs = runs_dir(dir);
    let entries = fs::read_dir(&runs).map_err(|e| {
        CliError::usage(format!(
            "--collect {}: cannot read {} ({e}); it should hold one folder per run, as `sweep --plan` lays out",
            dir.display(),
            runs.display()
        ))
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if let Some(expected) = expected {
        let missing: Vec<&String> = expected.iter().filter(|n| !names.contains(n)).collect();
        if !missing.is_empty() {
            return Err(missing_runs(&runs, &missing));
        }
    }
    if names.is_empty() {
        return Err(CliError::usage(format!(
            "--collect {}: no run folders in {}",
            dir.display(),
            runs.display()
        )));
    }
    let unfinished: Vec<&String> = names
        .iter()
        .filter(|n| !runs.join(n).join("summary.json").is_file())
        .collect();
    if !unfinished.is_empty() {
        return Err(CliError::usage(format!(
            "{} run(s) in {} have no summary.json (not finished): {}",
            unfinished.len(),
            runs.display(),
            join(&unfinished)
        )));
    }
    let mut rows = names
        .iter()
        .map(|n| read_row(&runs.join(n)))
        .collect::<CliResult<Vec<_>>>()?;
    rows.sort_by(|a, b| {
        (a.strategy.as_str(), a.target_sparsity, a.seed)
            .partial_cmp(&(b.strategy.as_str(), b.target_sparsity, b.seed))
            .expect("sparsities are finite")
    });
    check_grid(&runs, &rows)?;
    write(dir, &rows)?;
    Ok(rows)
}

fn missing_runs(runs: &Path, missing: &[&String]) -> CliError {
    CliError::usage(format!(
        "{} run(s) missing from {}: {}",
        missing.len(),
        runs.display(),
        join(missing)
    ))
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One finished run, as its summary.json reports it.
fn read_row(run: &Path) -> CliResult<SweepRow> {
    let path = run.join("summary.json");
    let bad = |what: &str| CliError::usage(format!("{}: {what}", path.display()));
    let text = fs::read_to_string(&path).map_err(|e| bad(&e.to_string()))?;
    let summary: Value = serde_json::from_str(&text).map_err(|e| bad(&e.to_string()))?;
    let number = |key: &str| {
        summary[key]
            .as_f64()
            .ok_or_else(|| bad(&format!("no number `{key}`")))
    };
    let count = |key: &str| {
        summary[key]
            .as_u64()
            .ok_or_else(|| bad(&format!("no count `{key}`")))
    };
    Ok(SweepRow {
        strategy: summary["strategy"]
            .as_str()
            .ok_or_else(|| bad("no `strategy`"))?
            .to_string(),
        target_sparsity: number("target_sparsity")?,
        seed: count("seed")?,
        test_accuracy: number("test_accuracy")?,
        sparsity: number("sparsity")?,
        kept_params: count("kept_params")?,
        train_macs: count("train_macs_actual")?,
        energy_joules: number("energy_joules_estimate")?,
    })
}

/// Every strategy must have every sparsity at every seed, once.
fn check_grid(runs: &Path, rows: &[SweepRow]) -> CliResult<()> {
    let strategies: BTreeSet<&str> = rows.iter().map(|r| r.strategy.as_str()).collect();
    let sparsities: BTreeSet<u64> = rows.iter().map(|r| r.target_sparsity.to_bits()).collect();
    let seeds: BTreeSet<u64> = rows.iter().map(|r| r.seed).collect();
    let mut missing = Vec::new();
    for s in &strategies {
        for p in &sparsities {
            for seed in &seeds {
                let found = rows
                    .iter()
                    .filter(|r| {
                        r.strategy == *s && r.target_sparsity.to_bits() == *p && r.seed == *seed
                    })
                    .count();
                match found {
                    1 => {}
                    0 => missing.push(format!("{s}-sp{}-seed{seed}", f64::from_bits(*p))),
                    n => {
                        return Err(CliError::usage(format!(
                            "{}: {n} runs of {s} at sparsity {} with seed {seed}",
                            runs.display(),
                            f64::from_bits(*p)
                        )))
                    }
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing_runs(runs, &missing.iter().collect::<Vec<_>>()))
    }
}

pub fn csv(rows: &[SweepRow]) -> String {
    let mut text = format!("{CSV_HEADER}\n");
    for r in rows {
        let _ = writeln!(
            text,
            "{},{},{},{},{},{},{},{}",
            r.strategy,
            r.target_sparsity,
            r.seed,
            r.test_accuracy,
            r.sparsity,
            r.kept_params,
            r.train_macs,
            r.energy_joules
        );
    }
    text
}

/// sweep.csv, sweep.svg and sweep.png, each written under a temporary name and renamed.
fn write(dir: &Path, rows: &[SweepRow]) -> CliResult<()> {
    let (svg, png) = sweep_chart::render(rows)?;
    let text = csv(rows);
    for (name, bytes) in [
        ("sweep.csv", text.as_bytes()),
        ("sweep.svg", svg.as_bytes()),
        ("sweep.png", png.as_slice()),
    ] {
        let partial = dir.join(format!(".{name}.partial"));
        output::write_file(&partial, bytes)?;
        fs::rename(&partial, dir.join(name))
            .map_err(|e| CliError::failure(format!("cannot rename {}: {e}", partial.display())))?;
    }
    Ok(())
}
