//! The sweep's shared dense checkpoint: a run forked from a shared pre-training is bit for bit
//! the run a fresh start of its configuration gives (history, masks, weights, compute), runs that
//! train differently before pruning get their own pre-training, and sparsity 0 is one run.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use prunelab::data::{bundled, Dataset};
use prunelab::prune::Strategy;
use prunelab::run::export::history_csv;
use prunelab::run::sweep::{assign, group, PretrainingGroup, SweepRunner};
use prunelab::run::{PruneSettings, PruningRun, RunConfig, ScheduleKind};

fn dataset() -> Arc<Dataset> {
    Arc::new(bundled().unwrap())
}

/// One epoch dense, one of fine-tuning, batch 128: a sweep point, short.
fn point(strategy: Strategy, sparsity: f64) -> RunConfig {
    let mut config = RunConfig {
        prune: PruneSettings {
            strategy,
            schedule: ScheduleKind::OneShot,
            target_sparsity: sparsity,
            pretrain_epochs: 1,
            finetune_epochs: 1,
            ..PruneSettings::default()
        },
        ..RunConfig::default()
    };
    config.train.batch_size = 128;
    config.train.seed = 3;
    config
}

/// A tensor's name, value bits and mask.
type Tensor = (String, Vec<u32>, Option<Vec<bool>>);

/// Everything a run leaves: history.csv, the record, weights and masks (as bits), compute.
type Fingerprint = (String, prunelab::run::History, Vec<Tensor>, u64, u64);

fn fingerprint(run: &PruningRun) -> Fingerprint {
    let params = run
        .network()
        .params()
        .map(|p| {
            (
                p.name.clone(),
                p.value.iter().map(|v| v.to_bits()).collect(),
                p.mask().map(<[bool]>::to_vec),
            )
        })
        .collect();
    let compute = run.compute();
    (
        history_csv(run.history()),
        run.history().clone(),
        params,
        compute.actual,
        compute.dense,
    )
}

fn fresh(config: &RunConfig, data: &Arc<Dataset>) -> PruningRun {
    let mut run = PruningRun::new(config.clone(), data.clone()).unwrap();
    run.run_to_end().unwrap();
    run
}

#[test]
fn a_forked_run_is_the_fresh_run_bit_for_bit() {
    let data = dataset();
    let mut checkpoint = PruningRun::new(point(Strategy::Magnitude, 0.5), data.clone()).unwrap();
    checkpoint.run_pretraining().unwrap();
    assert!(checkpoint.is_pretrained());
    let mut gradual = point(Strategy::Taylor, 0.7);
    gradual.prune.schedule = ScheduleKind::Gradual;
    gradual.prune.prune_steps = 3;
    let mut longer = point(Strategy::Cosine, 0.5);
    longer.prune.finetune_epochs = 2;
    for config in [
        point(Strategy::Magnitude, 0.5),
        point(Strategy::Random, 0.9),
        point(Strategy::Gradient, 0.8),
        point(Strategy::Synflow, 0.95),
        point(Strategy::FilterL1, 0.5),
        point(Strategy::LargestMagnitude, 0.7),
        gradual,
        longer,
    ] {
        let mut forked = checkpoint.fork(config.clone()).unwrap();
        forked.run_to_end().unwrap();
        let label = format!(
            "{} at {}",
            config.prune.strategy.name(),
            config.prune.target_sparsity
        );
        assert_eq!(forked.config(), &config, "{label}");
        let (csv, history, params, actual, dense) = fingerprint(&forked);
        let expected = fingerprint(&fresh(&config, &data));
        assert_eq!(csv, expected.0, "{label}: history.csv");
        assert!(history == expected.1, "{label}: history records");
        assert!(params == expected.2, "{label}: weights and masks");
        assert_eq!(
            (actual, dense),
            (expected.3, expected.4),
            "{label}: compute"
        );
    }
    // The checkpoint itself is untouched by its forks.
    assert!(checkpoint.is_pretrained());
}

#[test]
fn runs_that_train_differently_do_not_share_and_are_refused() {
    let data = dataset();
    let mut checkpoint = PruningRun::new(point(Strategy::Magnitude, 0.5), data.clone()).unwrap();
    checkpoint.run_pretraining().unwrap();
    for strategy in [
        Strategy::L1,
        Strategy::L2,
        Strategy::TargetedDropout,
        Strategy::Movement,
        Strategy::Set,
    ] {
        let error = checkpoint
            .fork(point(strategy, 0.5))
            .map(|_| ())
            .unwrap_err();
        assert!(
            error.to_string().contains("pre-training")
                || error.to_string().contains("sparse from step 0"),
            "{strategy:?}: {error}"
        );
    }
    let mut other_seed = point(Strategy::Random, 0.5);
    other_seed.train.seed = 4;
    assert!(checkpoint.fork(other_seed).is_err());
    let mut lottery = point(Strategy::Magnitude, 0.5);
    lottery.prune.schedule = ScheduleKind::Lottery;
    assert!(checkpoint.fork(lottery).is_err());
    // Movement carries its accumulated scores: movement runs share with each other.
    let mut movement = PruningRun::new(point(Strategy::Movement, 0.5), data.clone()).unwrap();
    movement.run_pretraining().unwrap();
    let mut forked = movement.fork(point(Strategy::Movement, 0.9)).unwrap();
    forked.run_to_end().unwrap();
    let expected = fresh(&point(Strategy::Movement, 0.9), &data);
    assert_eq!(
        history_csv(forked.history()),
        history_csv(expected.history())
    );
    assert!(forked.history() == expected.history());
}

#[test]
fn points_are_grouped_by_what_their_pre_training_does() {
    let mut rollback = point(Strategy::Magnitude, 0.5);
    rollback.prune.schedule = ScheduleKind::Rollback;
    let configs = vec![
        point(Strategy::Magnitude, 0.0),       // 0
        point(Strategy::Magnitude, 0.5),       // 1
        point(Strategy::Random, 0.0),          // 2: same run as 0
        point(Strategy::Random, 0.5),          // 3
        point(Strategy::L1, 0.0),              // 4: its penalty trains differently
        point(Strategy::L1, 0.5),              // 5
        point(Strategy::TargetedDropout, 0.5), // 6
        point(Strategy::Movement, 0.5),        // 7
        point(Strategy::Set, 0.5),             // 8: sparse from step 0, its own run
        point(Strategy::Set, 0.9),             // 9
        rollback,                              // 10: validation images held out
        point(Strategy::Gradient, 0.0),        // 11: same run as 0
    ];
    let groups = group(&configs);
    let shape: Vec<(bool, Vec<Vec<usize>>)> =
        groups.iter().map(|g| (g.shared, g.runs.clone())).collect();
    assert_eq!(
        shape,
        vec![
            (true, vec![vec![0, 2, 11], vec![1], vec![3]]),
            (true, vec![vec![4], vec![5]]),
            (true, vec![vec![6]]),
            (true, vec![vec![7]]),
            (false, vec![vec![8]]),
            (false, vec![vec![9]]),
            (true, vec![vec![10]]),
        ]
    );
    // Two workers, one group of 4 strategies × 7 sparsities (1 epoch each way): 25 runs (24
    // pruned, one at sparsity 0 for all four) halved, each half with its own pre-training.
    let sparsities = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98];
    let grid = |strategies: &[Strategy]| -> Vec<RunConfig> {
        strategies
            .iter()
            .flat_map(|&s| sparsities.iter().map(move |&p| point(s, p)))
            .collect()
    };
    let shareable = grid(&[
        Strategy::Magnitude,
        Strategy::Random,
        Strategy::Gradient,
        Strategy::Taylor,
    ]);
    let plan = assign(&shareable, 2);
    let runs = |worker: &[PretrainingGroup]| -> Vec<usize> {
        worker.iter().map(|p| p.runs.len()).collect()
    };
    assert_eq!(
        plan.iter().map(|w| runs(w)).collect::<Vec<_>>(),
        vec![vec![12], vec![13]]
    );
    let mut all: Vec<usize> = plan.iter().flatten().flat_map(|p| p.points()).collect();
    all.sort();
    assert_eq!(all, (0..28).collect::<Vec<_>>(), "every point once");
    assert_eq!(assign(&shareable, 1).len(), 1);
    // Targeted dropout trains alone (7 runs); the other three share (19 runs): the big group is
    // split so both workers end about together (1 + 13 and 1 + 6 + 1 + 7 epochs).
    let mixed = grid(&[
        Strategy::Magnitude,
        Strategy::Random,
        Strategy::Gradient,
        Strategy::TargetedDropout,
    ]);
    let plan = assign(&mixed, 2);
    assert_eq!(
        plan.iter().map(|w| runs(w)).collect::<Vec<_>>(),
        vec![vec![13], vec![6, 7]]
    );
    // Four workers: four pieces of the shared group, every point once; never more workers
    // than runs.
    let plan = assign(&shareable, 4);
    assert_eq!(plan.len(), 4);
    assert_eq!(plan.iter().flatten().flat_map(|p| p.points()).count(), 28);
    assert!(assign(&mixed[..2], 4).len() <= 2);
}

#[test]
fn sparsity_zero_is_one_run_for_every_strategy_that_shares() {
    let data = dataset();
    let expected = fingerprint(&fresh(&point(Strategy::Magnitude, 0.0), &data));
    for strategy in [
        Strategy::Random,
        Strategy::Gradient,
        Strategy::Snip,
        Strategy::Synflow,
        Strategy::FilterL2,
        Strategy::Cosine,
    ] {
        let (csv, history, params, ..) = fingerprint(&fresh(&point(strategy, 0.0), &data));
        assert_eq!(csv, expected.0, "{strategy:?}");
        assert!(
            history == expected.1 && params == expected.2,
            "{strategy:?}"
        );
    }
}

#[test]
fn the_runner_gives_every_point_its_fresh_run() {
    let data = dataset();
    let configs = vec![
        point(Strategy::Magnitude, 0.0),
        point(Strategy::Magnitude, 0.9),
        point(Strategy::Random, 0.0),
        point(Strategy::L2, 0.9),
        point(Strategy::Rigl, 0.9),
    ];
    let start = |c: &RunConfig| PruningRun::new(c.clone(), data.clone());
    let mut runner = SweepRunner::new(configs.clone(), start);
    let mut seen = Vec::new();
    while let Some(result) = runner.next_run() {
        let (points, run) = result.unwrap();
        for &i in &points {
            let expected = fresh(&configs[i], &data);
            assert!(run.history() == expected.history(), "point {i}");
            seen.push(i);
        }
    }
    seen.sort();
    assert_eq!(seen, vec![0, 1, 2, 3, 4]);
}
