//! The dense reference a run records for the dense-vs-pruned comparisons: the network just before
//! the first pruning step (lottery: the trained round-0 network, not the rewound one), none for
//! SET / RigL, and the same snapshot however the run is stepped or replayed.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use prunelab::data::{bundled, Dataset};
use prunelab::nn::Network;
use prunelab::prune::Strategy;
use prunelab::run::{
    DenseReference, PruneSettings, PruningRun, RunConfig, ScheduleKind, StepOutcome,
};
use prunelab::train::{EvalSet, Trainer};

fn dataset() -> Arc<Dataset> {
    Arc::new(bundled().unwrap())
}

fn config(strategy: Strategy, schedule: ScheduleKind) -> RunConfig {
    let mut config = RunConfig {
        prune: PruneSettings {
            strategy,
            schedule,
            target_sparsity: 0.75,
            pretrain_epochs: 1,
            finetune_epochs: 1,
            prune_steps: 3,
            prune_rate: 0.5,
            regrow_interval: 40,
            ..PruneSettings::default()
        },
        evals_per_epoch: 1,
        ..RunConfig::default()
    };
    config.train.batch_size = 64;
    config
}

/// Every parameter's values and mask: two networks are the same when these are equal bit for bit.
type Parameters = Vec<(Vec<u32>, Option<Vec<bool>>)>;

fn parameters(network: &Network) -> Parameters {
    network
        .params()
        .map(|p| {
            let bits = p.value.iter().map(|v| v.to_bits()).collect();
            (bits, p.mask().map(<[bool]>::to_vec))
        })
        .collect()
}

fn dense(run: &PruningRun) -> Parameters {
    parameters(run.dense_network().expect("a recorded dense network"))
}

/// Steps `run` through its first pruning step; returns the network as it was just before it.
/// Nothing is recorded before the step that starts the pruning phase (lottery: the pruning step).
fn step_to_first_prune(run: &mut PruningRun) -> Parameters {
    let mut phase_started = false;
    loop {
        if !phase_started {
            assert!(
                matches!(run.dense_reference(), DenseReference::NotYetPruned),
                "recorded too early, at step {}",
                run.global_step()
            );
        }
        let before = parameters(run.network());
        match run.step().unwrap() {
            StepOutcome::Pruned => return before,
            StepOutcome::PhaseChanged => phase_started = true,
            StepOutcome::Finished => panic!("the run never pruned"),
            _ => {}
        }
    }
}

/// The history's dense accuracy is the recorded network's accuracy on the test images.
fn assert_accuracy_matches(run: &PruningRun) {
    let mut trainer = Trainer::with_network(
        run.dense_network().unwrap().clone_parameters(),
        run.config().effective_train(),
        dataset(),
        EvalSet::Test,
    )
    .unwrap();
    let test = trainer.split().test.clone();
    let accuracy = trainer.evaluate(&test).accuracy;
    assert_eq!(run.history().dense_test_accuracy, Some(accuracy));
}

/// One-shot and gradual: the reference is the pre-trained network just before the first pruning
/// step; it stays put while the run prunes and fine-tunes.
#[test]
fn one_shot_and_gradual_record_the_network_before_the_first_pruning_step() {
    for schedule in [ScheduleKind::OneShot, ScheduleKind::Gradual] {
        let mut run = PruningRun::new(config(Strategy::Magnitude, schedule), dataset()).unwrap();
        let initial = parameters(run.network());
        let pretrained = step_to_first_prune(&mut run);
        assert!(
            dense(&run) == pretrained,
            "{schedule:?}: not the pre-trained network"
        );
        assert!(
            dense(&run) != initial,
            "{schedule:?}: the untrained network"
        );
        assert!(run.no_dense_reason().is_none());
        run.run_to_end().unwrap();
        assert!(
            dense(&run) == pretrained,
            "{schedule:?}: the reference moved"
        );
        assert!(
            dense(&run) != parameters(run.network()),
            "{schedule:?}: pruned"
        );
        assert_accuracy_matches(&run);
    }
}

/// With no pre-training the reference is the starting network (not trained, so no accuracy).
#[test]
fn without_pretraining_the_reference_is_the_starting_network() {
    let mut config = config(Strategy::Magnitude, ScheduleKind::OneShot);
    config.prune.pretrain_epochs = 0;
    let mut run = PruningRun::new(config, dataset()).unwrap();
    let initial = parameters(run.network());
    assert_eq!(run.step().unwrap(), StepOutcome::PhaseChanged);
    assert!(dense(&run) == initial, "not the starting network");
    assert_eq!(run.history().dense_test_accuracy, None);
}

/// Lottery: the trained network at the end of round 0 — not the rewound initial weights the next
/// round starts from (what the first `Pruned` outcome leaves in the run).
#[test]
fn lottery_records_the_trained_round_0_network_not_the_rewound_one() {
    let mut run = PruningRun::new(
        config(Strategy::Magnitude, ScheduleKind::Lottery),
        dataset(),
    )
    .unwrap();
    let initial = parameters(run.network());
    let end_of_round_0 = step_to_first_prune(&mut run);
    assert!(
        dense(&run) == end_of_round_0,
        "not the trained round-0 network"
    );
    assert!(dense(&run) != initial, "the initial network");
    // The run itself now holds the rewound weights: the kept ones are the initial values.
    let rewound = parameters(run.network());
    assert!(dense(&run) != rewound, "the rewound network");
    for ((now, mask), (init, _)) in rewound.iter().zip(&initial) {
        for (i, (w, w0)) in now.iter().zip(init).enumerate() {
            let kept = mask.as_ref().is_none_or(|m| m[i]);
            assert_eq!(*w, if kept { *w0 } else { 0 });
        }
    }
    run.run_to_end().unwrap();
    assert!(dense(&run) == end_of_round_0, "later rounds moved it");
    assert_accuracy_matches(&run);
}

/// SET / RigL: sparse from step 0, so no dense network at any step, and a reason to show.
#[test]
fn rigl_has_no_dense_network_and_says_why() {
    let mut run =
        PruningRun::new(config(Strategy::Rigl, ScheduleKind::Gradual), dataset()).unwrap();
    loop {
        assert!(matches!(
            run.dense_reference(),
            DenseReference::SparseFromStepZero
        ));
        assert!(run.dense_network().is_none());
        let reason = run.no_dense_reason().expect("a reason");
        assert!(reason.contains("sparse from step 0"), "{reason}");
        if run.step().unwrap() == StepOutcome::Finished {
            break;
        }
    }
    assert_eq!(run.history().dense_test_accuracy, None);
}

/// The reference is recorded by the run, so a replay (the page after a reload) gets it bit for
/// bit, whatever slices the steps come in.
#[test]
fn a_replayed_run_records_the_same_reference_in_any_slicing() {
    for schedule in [ScheduleKind::Gradual, ScheduleKind::Lottery] {
        let config = config(Strategy::Magnitude, schedule);
        let mut whole = PruningRun::new(config.clone(), dataset()).unwrap();
        whole.run_to_end().unwrap();
        let expected = dense(&whole);

        // One step at a time, up to the step after the first pruning step (what `run_until` does).
        let mut one_by_one = PruningRun::new(config.clone(), dataset()).unwrap();
        step_to_first_prune(&mut one_by_one);
        let until = one_by_one.global_step() + 1;
        let mut replay = PruningRun::new(config.clone(), dataset()).unwrap();
        while replay.global_step() < until {
            replay.step().unwrap();
        }
        assert!(
            dense(&one_by_one) == expected,
            "{schedule:?}: one at a time"
        );
        assert!(
            dense(&replay) == expected,
            "{schedule:?}: replayed to step {until}"
        );

        // Slices of 37 steps with pauses in between, as the worker runs them.
        let mut sliced = PruningRun::new(config, dataset()).unwrap();
        while !sliced.is_finished() {
            for _ in 0..37 {
                if sliced.step().unwrap() == StepOutcome::Finished {
                    break;
                }
            }
        }
        assert!(dense(&sliced) == expected, "{schedule:?}: in slices");
        assert!(
            sliced.history() == whole.history(),
            "{schedule:?}: another history"
        );
    }
}
