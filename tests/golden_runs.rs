//! Golden runs: the same seed gives the same history.csv, pruning events, final test accuracy
//! and masks as the recorded files in `tests/golden/`, for every strategy and every schedule.
//!
//! The files were written before the run state machine was restructured, so a refactor that
//! changes any number fails here. To record them again after an intended change of behaviour:
//! `UPDATE_GOLDEN=1 cargo test --test golden_runs`, and say why in the commit.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use prunelab::data::{bundled, Dataset};
use prunelab::names::Named;
use prunelab::prune::apply::Granularity;
use prunelab::prune::{Scope, Strategy};
use prunelab::run::config::Rewind;
use prunelab::run::export::history_csv;
use prunelab::run::{PruneSettings, PruningRun, RunConfig, ScheduleKind};

/// A short run: one epoch of dense training and one of fine-tuning, batch 64.
fn short(strategy: Strategy, schedule: ScheduleKind) -> RunConfig {
    let mut config = RunConfig {
        prune: PruneSettings {
            strategy,
            schedule,
            target_sparsity: 0.8,
            pretrain_epochs: 1,
            finetune_epochs: 1,
            prune_steps: 4,
            prune_rate: 0.4,
            regrow_interval: 40,
            ..PruneSettings::default()
        },
        evals_per_epoch: 2,
        ..RunConfig::default()
    };
    config.train.batch_size = 64;
    config.train.seed = 7;
    config
}

/// Every configuration with a golden file: each strategy on the gradual schedule (dynamic ones
/// on their own), each schedule with magnitude, and the scope / granularity / rewind variants.
fn configurations() -> Vec<(String, RunConfig)> {
    let mut all = Vec::new();
    for &strategy in Strategy::all() {
        all.push((
            format!("strategy-{}", strategy.name()),
            short(strategy, ScheduleKind::Gradual),
        ));
    }
    for schedule in [
        ScheduleKind::OneShot,
        ScheduleKind::Iterative,
        ScheduleKind::Rollback,
        ScheduleKind::Lottery,
    ] {
        all.push((
            format!("schedule-{}", schedule.name()),
            short(Strategy::Magnitude, schedule),
        ));
    }
    for rewind in [Rewind::Early, Rewind::Random] {
        let mut config = short(Strategy::Magnitude, ScheduleKind::Lottery);
        config.prune.rewind = rewind;
        config.prune.rewind_step = 50;
        all.push((format!("lottery-rewind-{rewind:?}").to_lowercase(), config));
    }
    let mut global = short(Strategy::Magnitude, ScheduleKind::OneShot);
    global.prune.scope = Scope::Global;
    global.prune.finetune_epochs = 0;
    all.push(("one-shot-global-no-finetune".into(), global));
    let mut filters = short(Strategy::Magnitude, ScheduleKind::Iterative);
    filters.prune.granularity = Granularity::Filter;
    filters.prune.target_sparsity = 0.5;
    all.push(("iterative-filter-granularity".into(), filters));
    let mut rollback = short(Strategy::Taylor, ScheduleKind::Rollback);
    rollback.prune.tolerance = 0.01;
    rollback.prune.target_sparsity = 0.95;
    all.push(("rollback-tight-tolerance".into(), rollback));
    all
}

/// The recorded facts of a finished run, as text (diffs read line by line).
fn record(run: &PruningRun) -> String {
    let history = run.history();
    let mut text = String::new();
    let last = history
        .records
        .evals
        .last()
        .expect("a run records evaluations");
    writeln!(text, "final test accuracy: {}", last.test_accuracy).unwrap();
    writeln!(
        text,
        "dense test accuracy: {:?}",
        history.dense_test_accuracy
    )
    .unwrap();
    writeln!(text, "global steps: {}", run.global_step()).unwrap();
    for param in run.network().params() {
        if let Some(mask) = param.mask() {
            let bits: String = mask.iter().map(|&m| if m { '1' } else { '0' }).collect();
            writeln!(
                text,
                "mask {}: kept {} of {}, fnv {:016x}",
                param.name,
                param.kept(),
                mask.len(),
                fnv1a(bits.as_bytes())
            )
            .unwrap();
        }
    }
    for event in &history.records.events {
        writeln!(
            text,
            "event step {} accepted {} target {} sparsity {} -> {} removed {} check {:?} -> {:?}",
            event.step,
            event.accepted,
            event.target,
            event.sparsity_before,
            event.sparsity_after,
            event.removed,
            event.check_loss_before,
            event.check_loss_after
        )
        .unwrap();
    }
    text.push_str("history.csv:\n");
    text.push_str(&history_csv(history));
    text
}

/// FNV-1a, 64 bits: a stable digest of a mask's bits, the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"))
}

#[test]
fn every_strategy_and_schedule_matches_its_recorded_run() {
    let dataset: Arc<Dataset> = Arc::new(bundled().unwrap());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for (name, config) in configurations() {
        let mut run = PruningRun::new(config, dataset.clone()).unwrap();
        run.run_to_end().unwrap();
        let actual = record(&run);
        let path = golden_path(&name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (record with UPDATE_GOLDEN=1)", path.display()));
        if expected != actual {
            let first = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            mismatches.push(format!(
                "{name}: first difference at line {}:\n  expected {:?}\n  actual   {:?}",
                first + 1,
                expected.lines().nth(first),
                actual.lines().nth(first)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
