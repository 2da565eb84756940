//! The pruning run state machine and its record: determinism, rollback, replay, incremental transfer.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use prunelab::data::{bundled, Dataset};
use prunelab::run::{
    History, Phase, PruneSettings, PruningRun, RunConfig, ScheduleKind, StepOutcome,
};

fn dataset() -> Arc<Dataset> {
    Arc::new(bundled().unwrap())
}

fn config(schedule: ScheduleKind) -> RunConfig {
    let mut config = RunConfig {
        prune: PruneSettings {
            schedule,
            target_sparsity: 0.75,
            pretrain_epochs: 1,
            finetune_epochs: 1,
            prune_steps: 4,
            ..PruneSettings::default()
        },
        evals_per_epoch: 2,
        ..RunConfig::default()
    };
    config.train.batch_size = 32;
    config
}

fn masks(run: &PruningRun) -> Vec<Vec<bool>> {
    run.network()
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect()
}

fn weights(run: &PruningRun) -> Vec<Vec<f32>> {
    run.network()
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.value.clone())
        .collect()
}

#[test]
fn same_seed_gives_the_same_history_and_a_gradual_run_reaches_its_target() {
    let data = dataset();
    let mut a = PruningRun::new(config(ScheduleKind::Gradual), data.clone()).unwrap();
    let mut b = PruningRun::new(config(ScheduleKind::Gradual), data).unwrap();
    a.run_to_end().unwrap();
    b.run_to_end().unwrap();
    assert_eq!(a.history(), b.history());
    let history = a.history();
    assert_eq!(
        history.records.events.len(),
        5,
        "gradual with 4 steps prunes at t0..t0+4Δt"
    );
    let last = history.records.evals.last().unwrap();
    assert_eq!(a.phase(), Phase::Done);
    assert_eq!(last.step, a.global_step());
    assert!((last.sparsity - 0.75).abs() < 1e-3, "{}", last.sparsity);
    assert!(last.test_accuracy > 0.9, "{}", last.test_accuracy);
    assert!(history.dense_test_accuracy.unwrap() > 0.9);
    // Training compute: the pruned phase used fewer MACs than its dense equivalent.
    assert!(last.macs_actual < last.macs_dense);
    assert_eq!(a.global_step(), a.planned_steps());
}

#[test]
fn replay_rebuilds_masks_and_weights_at_every_recorded_step() {
    let mut run = PruningRun::new(config(ScheduleKind::Iterative), dataset()).unwrap();
    let mut seen = Vec::new();
    loop {
        let outcome = run.step().unwrap();
        if matches!(outcome, StepOutcome::Pruned) || run.global_step() % 97 == 0 {
            seen.push((run.global_step(), masks(&run)));
        }
        if outcome == StepOutcome::Finished {
            break;
        }
    }
    let history = run.history();
    for (step, expected) in &seen {
        assert_eq!(&history.masks_at(*step), expected, "masks at step {step}");
    }
    let end = run.global_step();
    assert_eq!(history.snapshot_at(end).unwrap().weights, weights(&run));
    // Every snapshot honours the mask of its step: a pruned weight is exactly zero.
    for snapshot in &history.records.snapshots {
        let masks = history.masks_at(snapshot.step);
        for (w, m) in snapshot.weights.iter().zip(&masks) {
            assert!(w.iter().zip(m).all(|(&w, &kept)| kept || w == 0.0));
        }
    }
    // The pruned-at map agrees with the masks and lists only recorded pruning steps.
    let pruned_at = history.pruned_at(end);
    let event_steps: Vec<u64> = history.records.events.iter().map(|e| e.step).collect();
    for (steps, mask) in pruned_at.step.iter().zip(history.masks_at(end)) {
        for (s, kept) in steps.iter().zip(mask) {
            assert_eq!(s.is_none(), kept);
            if let Some(s) = s {
                assert!(event_steps.contains(s));
            }
        }
    }
}

#[test]
fn history_chunks_sent_in_slices_rebuild_the_same_history() {
    let mut run = PruningRun::new(config(ScheduleKind::OneShot), dataset()).unwrap();
    let mut mirror = History::new(
        run.history().tensors.clone(),
        run.history().initial_masks.clone(),
    );
    let mut cursor = prunelab::run::Cursor::default();
    loop {
        let mut finished = false;
        for _ in 0..37 {
            if run.step().unwrap() == StepOutcome::Finished {
                finished = true;
                break;
            }
        }
        let chunk = run.history().chunk_since(cursor);
        cursor = run.history().cursor();
        // What crosses to the page is JSON-like; it must survive serialisation unchanged.
        let text = serde_json::to_string(&chunk).unwrap();
        mirror.append(serde_json::from_str(&text).unwrap());
        if finished {
            break;
        }
    }
    mirror.dense_test_accuracy = run.history().dense_test_accuracy;
    mirror.planned_steps = run.history().planned_steps;
    assert_eq!(&mirror, run.history());
}

#[test]
fn rollback_restores_weights_optimiser_state_and_masks_bit_for_bit() {
    let mut config = config(ScheduleKind::Rollback);
    // Zero tolerance: any rise of the held-out loss undoes the step, so rollbacks surely happen.
    config.prune.tolerance = 0.0;
    config.prune.prune_rate = 0.6;
    let mut run = PruningRun::new(config, dataset()).unwrap();
    let mut rollbacks = 0;
    loop {
        let before = (
            weights(&run),
            masks(&run),
            run.trainer().optimizer.clone(),
            run.trainer().step(),
        );
        let macs_before = run.compute().actual;
        match run.step().unwrap() {
            StepOutcome::RolledBack => {
                rollbacks += 1;
                assert_eq!(weights(&run), before.0);
                assert_eq!(masks(&run), before.1);
                assert_eq!(run.trainer().optimizer, before.2);
                assert_eq!(run.trainer().step(), before.3);
                assert_eq!(run.phase(), Phase::Rollback);
                // The attempt's held-out checks still count as compute.
                assert!(run.compute().actual > macs_before);
            }
            StepOutcome::Finished => break,
            _ => {}
        }
    }
    assert!(rollbacks > 0, "no step was rolled back");
    let events = &run.history().records.events;
    assert_eq!(events.iter().filter(|e| !e.accepted).count(), rollbacks);
    for event in events.iter().filter(|e| !e.accepted) {
        assert!(event.check_loss_after.unwrap() > event.check_loss_before.unwrap());
        // A rolled-back step leaves no mask change behind.
        assert!(run
            .history()
            .records
            .mask_deltas
            .iter()
            .all(|d| d.step != event.step));
    }
}

#[test]
fn invalid_settings_are_refused_with_the_field_named() {
    let mut bad = RunConfig::default();
    bad.prune.target_sparsity = 1.5;
    let error = PruningRun::new(bad, dataset()).err().unwrap().to_string();
    assert!(error.contains("target_sparsity"), "{error}");
    let mut bad = RunConfig::default();
    bad.prune.schedule = ScheduleKind::Iterative;
    bad.prune.finetune_epochs = 0;
    let error = PruningRun::new(bad, dataset()).err().unwrap().to_string();
    assert!(error.contains("finetune_epochs"), "{error}");
    let mut bad = RunConfig::default();
    bad.train.learning_rate = f32::NAN;
    assert!(PruningRun::new(bad, dataset()).is_err());
}

#[test]
fn filter_granularity_removes_whole_filters_and_their_outgoing_weights() {
    let mut config = config(ScheduleKind::OneShot);
    config.prune.strategy = prunelab::prune::Strategy::FilterL1;
    config.prune.target_sparsity = 0.5;
    config.prune.pretrain_epochs = 0;
    config.prune.finetune_epochs = 0;
    let mut run = PruningRun::new(config, dataset()).unwrap();
    run.run_to_end().unwrap();
    let network = run.network();
    let all_or_nothing = |slice: &[bool]| slice.iter().all(|&k| k) || slice.iter().all(|&k| !k);
    let conv1 = network.params().find(|p| p.name == "conv1.weight").unwrap();
    let conv1_removed: Vec<bool> = conv1.mask().unwrap().chunks(25).map(|f| !f[0]).collect();
    for filter in conv1.mask().unwrap().chunks(25) {
        assert!(all_or_nothing(filter), "a conv1 filter is partly pruned");
    }
    // conv2 [20, 10, 3, 3]: whole filters go, and in the filters that stay, the 3×3 slices reading
    // a removed conv1 channel are masked — and only those.
    let conv2 = network.params().find(|p| p.name == "conv2.weight").unwrap();
    let mask = conv2.mask().unwrap();
    let mut removed = Vec::new();
    for (f, filter) in mask.chunks(90).enumerate() {
        let slices: Vec<&[bool]> = filter.chunks(9).collect();
        assert!(
            slices.iter().all(|s| all_or_nothing(s)),
            "filter {f} has a partly pruned slice"
        );
        if filter.iter().all(|&k| !k) {
            removed.push(f);
        } else {
            for (c, slice) in slices.iter().enumerate() {
                assert_eq!(!slice[0], conv1_removed[c], "filter {f}, input channel {c}");
            }
        }
    }
    assert!(!removed.is_empty() && conv1_removed.iter().any(|&r| r));
    // The dense layer's inputs from a removed channel (5×5 positions each) are masked too.
    let fc = network.params().find(|p| p.name == "fc1.weight").unwrap();
    let fc_mask = fc.mask().unwrap();
    for &channel in &removed {
        for row in 0..fc.shape[0] {
            let start = row * fc.shape[1] + channel * 25;
            assert!(fc_mask[start..start + 25].iter().all(|&k| !k));
        }
    }
    // The output layer's units are the classes: never removed.
    for row in 0..fc.shape[0] {
        assert!(fc_mask[row * fc.shape[1]..(row + 1) * fc.shape[1]]
            .iter()
            .any(|&k| k));
    }
}

#[test]
fn the_l1_and_l2_strategies_train_with_their_penalty() {
    let mut config = RunConfig::default();
    config.prune.strategy = prunelab::prune::Strategy::L1;
    assert_eq!(
        config.effective_train().l1,
        prunelab::run::config::DEFAULT_L1_PENALTY
    );
    config.train.l1 = 0.01;
    assert_eq!(config.effective_train().l1, 0.01, "a set penalty is kept");
    config.prune.strategy = prunelab::prune::Strategy::L2;
    assert_eq!(
        config.effective_train().l2,
        prunelab::run::config::DEFAULT_L2_PENALTY
    );
    config.prune.strategy = prunelab::prune::Strategy::Magnitude;
    assert_eq!(config.effective_train(), config.train);
}

#[test]
fn set_and_rigl_train_sparse_from_step_0_and_regrowth_keeps_the_sparsity() {
    for strategy in [
        prunelab::prune::Strategy::Set,
        prunelab::prune::Strategy::Rigl,
    ] {
        let mut config = config(ScheduleKind::OneShot);
        config.prune.strategy = strategy;
        config.prune.target_sparsity = 0.8;
        config.prune.regrow_interval = 40;
        let mut run = PruningRun::new(config, dataset()).unwrap();
        let mut regrow_steps = 0;
        loop {
            let before = (masks(&run), weights(&run), run.global_step());
            let outcome = run.step().unwrap();
            if outcome == StepOutcome::Finished {
                break;
            }
            if run.phase() == Phase::Regrow {
                regrow_steps += 1;
                let after = masks(&run);
                for (t, (old, new)) in before.0.iter().zip(&after).enumerate() {
                    let kept = |m: &Vec<bool>| m.iter().filter(|&&k| k).count();
                    assert_eq!(
                        kept(old),
                        kept(new),
                        "{strategy:?}: tensor {t} changed its sparsity"
                    );
                    // Regrown weights start at exactly 0.
                    for (i, (&was, &is)) in old.iter().zip(new).enumerate() {
                        if !was && is {
                            assert_eq!(weights(&run)[t][i], 0.0);
                        }
                    }
                }
                assert_ne!(before.0, after, "{strategy:?}: the update changed nothing");
                assert_eq!(
                    run.global_step(),
                    before.2,
                    "an update is not a training step"
                );
            }
        }
        assert!(regrow_steps >= 5, "{strategy:?}: {regrow_steps} updates");
        let history = run.history();
        assert!(history.dense_test_accuracy.is_none(), "no dense phase");
        // Sparse from the start: every trained step used fewer MACs than its dense equivalent.
        let first = &history.records.steps[0];
        assert!(first.macs_actual < first.macs_dense);
        let last = history.records.evals.last().unwrap();
        assert!((last.sparsity - 0.8).abs() < 1e-3);
        assert!(
            last.test_accuracy > 0.85,
            "{strategy:?}: {}",
            last.test_accuracy
        );
        // The replayed masks agree with the network after all those changes.
        assert_eq!(history.masks_at(run.global_step()), masks(&run));
        assert!(history
            .pruned_at(run.global_step())
            .regrown
            .iter()
            .flatten()
            .any(|&r| r));
    }
}

#[test]
fn movement_pruning_uses_the_scores_accumulated_in_training() {
    let mut config = config(ScheduleKind::Gradual);
    config.prune.strategy = prunelab::prune::Strategy::Movement;
    let mut run = PruningRun::new(config, dataset()).unwrap();
    run.run_to_end().unwrap();
    let last = run.history().records.evals.last().unwrap();
    assert!((last.sparsity - 0.75).abs() < 1e-3);
    assert!(last.test_accuracy > 0.85, "{}", last.test_accuracy);
    // Without training first there are no movement scores: a clear error, not a panic.
    let mut untrained = self::config(ScheduleKind::OneShot);
    untrained.prune.strategy = prunelab::prune::Strategy::Movement;
    untrained.prune.pretrain_epochs = 0;
    let mut run = PruningRun::new(untrained, dataset()).unwrap();
    let error = run.run_to_end().unwrap_err().to_string();
    assert!(error.contains("movement"), "{error}");
}

#[test]
fn lottery_rounds_rewind_the_kept_weights_to_their_initial_values() {
    let mut config = config(ScheduleKind::Lottery);
    config.prune.prune_rate = 0.5;
    config.prune.target_sparsity = 0.75;
    assert_eq!(config.lottery_rounds(), 2);
    let initial = PruningRun::new(config.clone(), dataset()).unwrap();
    let initial = weights(&initial);
    let mut run = PruningRun::new(config.clone(), dataset()).unwrap();
    let mut rewinds = 0;
    loop {
        match run.step().unwrap() {
            StepOutcome::Pruned => {
                rewinds += 1;
                for ((now, init), mask) in weights(&run).iter().zip(&initial).zip(masks(&run)) {
                    for ((&w, &w0), kept) in now.iter().zip(init).zip(mask) {
                        assert_eq!(w, if kept { w0 } else { 0.0 });
                    }
                }
            }
            StepOutcome::Finished => break,
            _ => {}
        }
    }
    assert_eq!(rewinds, 2);
    assert_eq!(run.global_step(), run.planned_steps());
    let sparsities: Vec<f64> = run
        .history()
        .records
        .events
        .iter()
        .map(|e| e.sparsity_after)
        .collect();
    assert!(
        (sparsities[0] - 0.5).abs() < 1e-3 && (sparsities[1] - 0.75).abs() < 1e-3,
        "{sparsities:?}"
    );

    // The control: the same procedure, rewound to fresh random weights instead.
    config.prune.rewind = prunelab::run::config::Rewind::Random;
    let mut control = PruningRun::new(config, dataset()).unwrap();
    while control.step().unwrap() != StepOutcome::Pruned {}
    let kept_differ = weights(&control)
        .iter()
        .zip(&initial)
        .zip(masks(&control))
        .any(|((now, init), mask)| {
            now.iter()
                .zip(init)
                .zip(mask)
                .any(|((a, b), k)| k && a != b)
        });
    assert!(
        kept_differ,
        "the control must not reuse the initial weights"
    );
}

#[test]
fn set_and_rigl_follow_their_own_schedule_whatever_the_schedule_setting() {
    // SET / RigL are dynamic sparse training: sparse from step 0 with drop-and-regrow updates.
    // The rollback and lottery settings used to leak in (a never-sparse rollback run, a lottery
    // step count); now every schedule setting gives the same run.
    let mut config = config(ScheduleKind::Gradual);
    config.prune.strategy = prunelab::prune::Strategy::Set;
    config.prune.target_sparsity = 0.8;
    config.prune.regrow_interval = 60;
    let mut reference = PruningRun::new(config.clone(), dataset()).unwrap();
    reference.run_to_end().unwrap();
    assert_eq!(reference.global_step(), reference.planned_steps());
    for schedule in [ScheduleKind::Rollback, ScheduleKind::Lottery] {
        config.prune.schedule = schedule;
        let mut run = PruningRun::new(config.clone(), dataset()).unwrap();
        assert_eq!(
            run.planned_steps(),
            reference.planned_steps(),
            "{schedule:?}"
        );
        run.run_to_end().unwrap();
        assert_eq!(run.history(), reference.history(), "{schedule:?}");
    }
}
