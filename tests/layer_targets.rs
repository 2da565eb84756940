//! Per-layer sparsity overrides: selection on hand-made tensors (masks worked out in the comments
//! from torch's amount rule, `round(amount × kept)` lowest scores, halves to even), structured
//! overrides on a network, schedule scaling in a run, and the validation messages.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use prunelab::data::bundled;
use prunelab::nn::{ArchSpec, Network};
use prunelab::prune::apply::{prune_to_targets, Granularity, PruneRequest};
use prunelab::prune::layer_targets::{resolve, scaled, LayerTarget, TensorTarget};
use prunelab::prune::override_select::{select_with_overrides, OverrideSelection};
use prunelab::prune::select::{amount_for_target, prune_by_amount};
use prunelab::prune::{Scope, ScoreContext, Strategy};
use prunelab::run::history::Phase;
use prunelab::run::{PruneSettings, PruningRun, RunConfig, ScheduleKind};
use prunelab::train::seeded_rng;

const T: bool = true;
const F: bool = false;

/// t0: 4 entries, t1: 6, t2: 10 (20 in all).
fn scores() -> Vec<Vec<f32>> {
    vec![
        vec![0.4, 0.1, 0.3, 0.2],
        vec![0.6, 0.1, 0.5, 0.2, 0.4, 0.3],
        vec![0.05, 0.95, 0.15, 0.85, 0.25, 0.75, 0.35, 0.65, 0.45, 0.55],
    ]
}

fn all_kept() -> Vec<Vec<bool>> {
    scores().iter().map(|s| vec![true; s.len()]).collect()
}

fn overrides(pairs: &[(usize, f64)]) -> Vec<TensorTarget> {
    pairs
        .iter()
        .map(|&(tensor, sparsity)| TensorTarget { tensor, sparsity })
        .collect()
}

/// Unstructured selection (minimum one kept entry per tensor, as runs use).
fn select(target: f64, pairs: &[(usize, f64)], scope: Scope, skip: &[bool]) -> OverrideSelection {
    let scores = scores();
    let mut selector = |masks: &[Vec<bool>], amount: f64, scope: Scope, skip: &[bool]| {
        let selection = prune_by_amount(masks, &scores, amount, scope, skip, 1);
        Ok((selection.masks, selection.guarded))
    };
    select_with_overrides(
        &all_kept(),
        target,
        &overrides(pairs),
        scope,
        skip,
        &mut selector,
    )
    .unwrap()
}

fn pruned(masks: &[Vec<bool>]) -> usize {
    masks.iter().flatten().filter(|&&k| !k).count()
}

#[test]
fn layer_scope_prunes_overridden_layers_to_their_own_sparsity() {
    // t0 → 0.25: round(0.25·4) = 1, its lowest score 0.1 (index 1).
    // The rest (t1, t2: 16 entries) → 0.5: amount 8/16; t1 loses round(3) = 3 (0.1, 0.2, 0.3 at
    // 1, 3, 5), t2 loses round(5) = 5 (0.05 … 0.45 at the even indices).
    let selection = select(0.5, &[(0, 0.25)], Scope::Layer, &[]);
    assert_eq!(
        selection.masks,
        vec![
            vec![T, F, T, T],
            vec![T, F, T, F, T, F],
            vec![F, T, F, T, F, T, F, T, F, T],
        ]
    );
    assert!(selection.guarded.is_empty());
}

#[test]
fn global_scope_meets_the_total_target_over_the_other_layers() {
    // t0 → 0.75: round(3) go (0.1, 0.2, 0.3 at 1, 3, 2). The total needs round(0.5·20) = 10, so
    // 7 more from the 16 pooled entries of t1 and t2, lowest first: t2[0] 0.05, t1[1] 0.1,
    // t2[2] 0.15, t1[3] 0.2, t2[4] 0.25, t1[5] 0.3, t2[6] 0.35.
    let selection = select(0.5, &[(0, 0.75)], Scope::Global, &[]);
    assert_eq!(
        selection.masks,
        vec![
            vec![T, F, F, F],
            vec![T, F, T, F, T, F],
            vec![F, T, F, T, F, T, F, T, T, T],
        ]
    );
    assert_eq!(pruned(&selection.masks), 10);
}

#[test]
fn an_unreachable_global_target_is_clamped_and_the_guard_reported() {
    // t0, t1 held at 0: the total 0.9 needs round(18) from t2's 10 entries. The amount clamps to
    // 1 and the one-entry guard keeps t2's best (0.95 at 1): 9 of 20 pruned, t2 listed as guarded.
    let short = select(0.9, &[(0, 0.0), (1, 0.0)], Scope::Global, &[]);
    assert_eq!(short.masks[0], vec![T; 4]);
    assert_eq!(short.masks[1], vec![T; 6]);
    assert_eq!(short.masks[2], vec![F, T, F, F, F, F, F, F, F, F]);
    assert_eq!(short.guarded, vec![2]);
    // t2 → 0.9 alone prunes 9 > round(0.2·20) = 4: the others need nothing (amount clamps to 0)
    // and the total overshoots to 9/20.
    let over = select(0.2, &[(2, 0.9)], Scope::Global, &[]);
    assert_eq!(over.masks[0], vec![T; 4]);
    assert_eq!(over.masks[1], vec![T; 6]);
    assert_eq!(pruned(&over.masks), 9);
    // With t2 skipped (an output layer left alone), t0 → 0.5 prunes 2 and t1 alone cannot supply
    // the other 8: it keeps its best entry (0.6 at 0) and is guarded.
    let skipped = select(0.5, &[(0, 0.5)], Scope::Global, &[F, F, T]);
    assert_eq!(skipped.masks[0], vec![T, F, T, F]);
    assert_eq!(skipped.masks[1], vec![T, F, F, F, F, F]);
    assert_eq!(skipped.masks[2], vec![T; 10]);
    assert_eq!(skipped.guarded, vec![1]);
}

#[test]
fn no_overrides_select_exactly_as_before() {
    for scope in [Scope::Layer, Scope::Global] {
        let masks = all_kept();
        let amount = amount_for_target(&masks, 0.6);
        let before = prune_by_amount(&masks, &scores(), amount, scope, &[], 1);
        assert_eq!(select(0.6, &[], scope, &[]).masks, before.masks);
    }
}

#[test]
fn schedules_scale_every_override_by_their_progress() {
    let targets = overrides(&[(0, 0.3), (2, 0.9)]);
    let half = scaled(&targets, 0.25, 0.5);
    assert_eq!(half, overrides(&[(0, 0.15), (2, 0.45)]));
    assert_eq!(scaled(&targets, 0.5, 0.5), targets);
    // A final target of 0 (one-shot or gradual to 0): the overrides apply as given.
    assert_eq!(scaled(&targets, 0.0, 0.0), targets);
}

#[test]
fn structured_overrides_remove_their_share_of_units() {
    let dataset = bundled().unwrap();
    let mut network = Network::seeded(&ArchSpec::default_cnn(), &mut seeded_rng(2, 1)).unwrap();
    let context = ScoreContext {
        dataset: &dataset,
        training_indices: &[],
        batch_size: 1,
        batches: 1,
        seed: 1,
        movement: None,
    };
    let request = PruneRequest {
        strategy: Strategy::FilterL1,
        scope: Scope::Layer,
        granularity: Granularity::Filter,
        keep_output_layer: false,
        target: 0.5,
    };
    // conv1 → 0.2: round(0.2·10) = 2 filters. conv2 follows the target over the non-overridden
    // tensors (conv2 and fc1, all kept: amount 0.5): round(0.5·20) = 10 filters. fc1 is the
    // output layer (never loses units); it loses the inputs of conv2's removed filters.
    let guarded =
        prune_to_targets(&mut network, &request, &overrides(&[(0, 0.2)]), &context).unwrap();
    assert!(guarded.is_empty());
    let removed_units = |tensor: usize| {
        let weight = network
            .params()
            .filter(|p| p.is_prunable())
            .nth(tensor)
            .unwrap();
        let unit_len = weight.len() / weight.shape[0];
        let mask = weight.mask().unwrap();
        (0..weight.shape[0])
            .filter(|&o| mask[o * unit_len..(o + 1) * unit_len].iter().all(|&k| !k))
            .count()
    };
    assert_eq!(removed_units(0), 2);
    assert_eq!(removed_units(1), 10);
    assert_eq!(removed_units(2), 0);
    let fc1 = network.params().filter(|p| p.is_prunable()).nth(2).unwrap();
    // 10 of conv2's 20 channels × 5·5 positions × 10 rows masked.
    assert_eq!(fc1.len() - fc1.kept(), 10 * 25 * 10);
}

fn config(prune: PruneSettings) -> RunConfig {
    RunConfig {
        prune,
        ..RunConfig::default()
    }
}

#[test]
fn a_gradual_run_takes_the_overridden_layer_along_its_ramp() {
    // Gradual to 0.6 in 2 steps: s = 0, 0.6·(1 − 0.5³) = 0.525, 0.6. conv1 (250 weights, override
    // 0.3) is pruned to 0.3·s/0.6: 0, round(65.625) = 66, round(75) = 75 weights.
    let settings = PruneSettings {
        schedule: ScheduleKind::Gradual,
        target_sparsity: 0.6,
        prune_steps: 2,
        pretrain_epochs: 0,
        finetune_epochs: 1,
        layer_targets: vec![LayerTarget {
            layer: "conv1".into(),
            sparsity: 0.3,
        }],
        ..PruneSettings::default()
    };
    let mut run = PruningRun::new(config(settings), Arc::new(bundled().unwrap())).unwrap();
    run.run_to_end().unwrap();
    let conv1_kept: Vec<u32> = run
        .history()
        .records
        .evals
        .iter()
        .filter(|e| e.phase == Phase::Prune)
        .map(|e| e.kept_per_tensor[0])
        .collect();
    assert_eq!(conv1_kept, vec![250, 250 - 66, 250 - 75]);
}

fn message(settings: PruneSettings) -> String {
    config(settings).validate().unwrap_err().to_string()
}

fn targets(pairs: &[(&str, f64)]) -> Vec<LayerTarget> {
    pairs
        .iter()
        .map(|&(layer, sparsity)| LayerTarget {
            layer: layer.into(),
            sparsity,
        })
        .collect()
}

#[test]
fn bad_overrides_are_refused_with_the_valid_names_and_ranges() {
    let with = |pairs: &[(&str, f64)]| PruneSettings {
        layer_targets: targets(pairs),
        ..PruneSettings::default()
    };
    let unknown = message(with(&[("conv9", 0.5)]));
    assert!(
        unknown.contains("layer_targets")
            && unknown.contains("conv9")
            && unknown.contains("conv1, conv2, fc1"),
        "{unknown}"
    );
    let range = message(with(&[("conv1", 1.0)]));
    assert!(range.contains("0 to below 1"), "{range}");
    assert!(message(with(&[("conv1", -0.1)])).contains("out of range"));
    let twice = message(with(&[("conv1", 0.5), ("conv1.weight", 0.2)]));
    assert!(twice.contains("twice"), "{twice}");
    let output = message(PruneSettings {
        keep_output_layer: true,
        ..with(&[("fc1", 0.5)])
    });
    assert!(output.contains("output layer"), "{output}");
    let structured = message(PruneSettings {
        strategy: Strategy::FilterL1,
        ..with(&[("fc1", 0.5)])
    });
    assert!(structured.contains("structured"), "{structured}");
    let zero = message(PruneSettings {
        schedule: ScheduleKind::Iterative,
        target_sparsity: 0.0,
        ..with(&[("conv1", 0.5)])
    });
    assert!(zero.contains("above 0"), "{zero}");
    // Tensor names work as well as layer names; old configs without the field still load.
    assert!(config(with(&[("conv2.weight", 0.5), ("fc1", 0.9)]))
        .validate()
        .is_ok());
    let names = ["conv1".to_string(), "fc1".to_string()];
    assert_eq!(
        resolve(&names, &targets(&[("fc1.weight", 0.9)])).unwrap(),
        overrides(&[(1, 0.9)])
    );
    let old: PruneSettings = serde_json::from_str(r#"{"target_sparsity": 0.5}"#).unwrap();
    assert!(old.layer_targets.is_empty());
}
