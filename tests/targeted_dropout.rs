//! Targeted dropout (Gomez et al. 2019) against its definition: at every step each prunable layer's
//! `⌊γ·n⌋` smallest |w| are targeted and each targeted weight is dropped with probability α — zero
//! in that step's forward pass, no gradient, unchanged by that step's update — while the pruning
//! mask stays as it was. Plus the settings' way through config, links and saved files, and the
//! largest-magnitude rule, which prunes the largest |w| first.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use prunelab::data::Dataset;
use prunelab::nn::{ArchSpec, Network};
use prunelab::prune::{prune_by_amount, Scope, ScoreContext, Strategy};
use prunelab::run::catalog::catalog;
use prunelab::run::url::{decode, encode};
use prunelab::run::RunConfig;
use prunelab::train::targeted_dropout::{targeted_set, DEFAULT_ALPHA, DEFAULT_GAMMA};
use prunelab::train::{
    seeded_rng, EvalSet, TargetedDropout, TargetedDropoutSettings, TrainConfig, Trainer,
};
use rand::Rng;

/// 200 random 28×28 "images" with random labels: enough to train a few steps.
fn synthetic_dataset() -> Arc<Dataset> {
    let mut rng = seeded_rng(5, 9);
    let count = 200;
    let labels = (0..count).map(|_| rng.gen_range(0..10u8)).collect();
    let pixels = (0..count * 784).map(|_| rng.gen::<u8>()).collect();
    Arc::new(Dataset::new(28, 28, labels, pixels).unwrap())
}

fn settings(gamma: f64, alpha: f64) -> TargetedDropoutSettings {
    TargetedDropoutSettings { gamma, alpha }
}

/// A trainer with targeted dropout on the default network, with a quarter of conv2 pruned.
fn trainer(seed: u64, gamma: f64, alpha: f64) -> Trainer {
    let config = TrainConfig {
        seed,
        batch_size: 16,
        targeted_dropout: Some(settings(gamma, alpha)),
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(
        &ArchSpec::default_cnn(),
        config,
        synthetic_dataset(),
        EvalSet::Test,
    )
    .unwrap();
    let conv2 = trainer.network.params_mut().nth(2).unwrap();
    assert_eq!(conv2.name, "conv2.weight");
    let mask = (0..conv2.len()).map(|i| i % 4 != 0).collect();
    conv2.set_mask(mask);
    trainer
}

/// The prunable tensors' values, in `Network::params` order (biases as empty vectors).
fn weights(network: &Network) -> Vec<Vec<f32>> {
    network
        .params()
        .map(|p| {
            if p.is_prunable() {
                p.value.clone()
            } else {
                Vec::new()
            }
        })
        .collect()
}

#[test]
fn the_targeted_set_is_the_gamma_fraction_with_the_smallest_magnitude() {
    // |w| ranks: 0.0 (5), 0.05 (3), 0.1 (1), 0.2 (4), 0.3 (2), 0.5 (0), 0.7 (7), 0.9 (6).
    let values = [0.5, -0.1, 0.3, -0.05, 0.2, 0.0, 0.9, -0.7];
    assert_eq!(targeted_set(&values, 0.5), [1, 3, 4, 5]);
    assert_eq!(targeted_set(&values, 0.25), [3, 5]);
    // ⌊γ·n⌋: 0.3 · 8 = 2.4 → 2; 0.99 · 8 = 7.92 → 7.
    assert_eq!(targeted_set(&values, 0.3), [3, 5]);
    assert_eq!(targeted_set(&values, 0.99), [0, 1, 2, 3, 4, 5, 7]);
    assert!(targeted_set(&values, 0.0).is_empty());
    assert_eq!(targeted_set(&values, 1.0), (0..8).collect::<Vec<_>>());
    // Equal |w|: the lower index is targeted first, whatever the sign.
    assert_eq!(targeted_set(&[0.2, -0.2, 0.2, 0.1], 0.5), [0, 3]);
    assert_eq!(targeted_set(&[-0.2, 0.2, 0.2, 0.1], 0.75), [0, 1, 3]);
}

#[test]
fn with_alpha_one_exactly_the_targeted_kept_weights_of_each_layer_are_dropped() {
    // conv2 has a quarter of its weights pruned: they are targeted first but never listed.
    let mut network = trainer(3, 0.4, 1.0).network.clone_parameters();
    let before = weights(&network);
    let masks: Vec<Option<Vec<bool>>> = network
        .params()
        .map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    let mut dropout = TargetedDropout::new(settings(0.4, 1.0), seeded_rng(1, 7));
    dropout.drop_weights(&mut network);
    for (param_index, param) in network.params().enumerate() {
        let Some(mask) = &masks[param_index] else {
            assert!(dropout.dropped().iter().all(|d| d.param != param_index));
            continue;
        };
        // Per layer: the ⌊0.4·n⌋ smallest |w| of the whole layer, minus pruned entries (already 0).
        let expected: Vec<usize> = targeted_set(&before[param_index], 0.4)
            .into_iter()
            .filter(|&i| mask[i])
            .collect();
        let dropped: Vec<usize> = dropout
            .dropped()
            .iter()
            .filter(|d| d.param == param_index)
            .map(|d| d.index)
            .collect();
        assert_eq!(dropped, expected, "{}", param.name);
        for (i, &value) in param.value.iter().enumerate() {
            let expected = if expected.contains(&i) {
                0.0
            } else {
                before[param_index][i]
            };
            assert_eq!(value, expected, "{}[{i}] during the step", param.name);
        }
        assert_eq!(param.mask(), Some(&mask[..]), "the mask is not touched");
    }
    dropout.restore(&mut network);
    assert_eq!(weights(&network), before, "all back after the step");
}

#[test]
fn targeted_weights_are_dropped_about_alpha_of_the_steps_and_others_never() {
    let alpha = 0.3;
    let network = trainer(1, 0.5, alpha).network;
    let mut network = network.clone_parameters();
    let values = weights(&network);
    let targeted: Vec<Vec<usize>> = values.iter().map(|v| targeted_set(v, 0.5)).collect();
    let mut dropout = TargetedDropout::new(settings(0.5, alpha), seeded_rng(11, 3));
    let (mut drops, mut chances) = (0usize, 0usize);
    let steps = 200;
    for _ in 0..steps {
        dropout.drop_weights(&mut network);
        for dropped in dropout.dropped() {
            assert!(
                targeted[dropped.param].contains(&dropped.index),
                "a weight outside the targeted set was dropped"
            );
        }
        drops += dropout.dropped().len();
        dropout.restore(&mut network);
        for (param, targeted) in network.params().zip(&targeted) {
            if let Some(mask) = param.mask() {
                chances += targeted.iter().filter(|&&i| mask[i]).count();
            }
        }
    }
    let frequency = drops as f64 / chances as f64;
    // About 700,000 Bernoulli(0.3) draws: the standard error is 0.0005, the bound 20 times that.
    assert!(chances > 500_000, "{chances}");
    assert!((frequency - alpha).abs() < 0.01, "dropped {frequency}");
    assert_eq!(weights(&network), values);
}

#[test]
fn dropped_weights_get_no_gradient_and_keep_their_value_through_the_update() {
    let mut trainer = trainer(2, 0.5, 0.5);
    for step in 0..5 {
        let before = weights(&trainer.network);
        trainer.train_batch().unwrap();
        let dropout = trainer.targeted_dropout().unwrap();
        assert!(!dropout.dropped().is_empty(), "step {step}");
        let params: Vec<_> = trainer.network.params().collect();
        for dropped in dropout.dropped() {
            let param = params[dropped.param];
            assert_eq!(dropped.value, before[dropped.param][dropped.index]);
            assert_eq!(
                param.value[dropped.index], dropped.value,
                "{}[{}] moved in step {step}",
                param.name, dropped.index
            );
            assert_eq!(param.grad[dropped.index], 0.0, "no gradient");
        }
        // The other kept weights were updated (Adam moves every weight with a gradient).
        let moved: usize = params
            .iter()
            .zip(&before)
            .map(|(p, b)| b.iter().zip(&p.value).filter(|(x, y)| x != y).count())
            .sum();
        assert!(moved > 1000, "only {moved} weights moved in step {step}");
        // Pruned weights stay exactly zero with the mask unchanged.
        let conv2 = params[2];
        let mask = conv2.mask().unwrap();
        assert_eq!(
            mask.iter().filter(|&&k| !k).count(),
            conv2.len().div_ceil(4)
        );
        assert!(mask
            .iter()
            .zip(&conv2.value)
            .all(|(&kept, &value)| kept || value == 0.0));
    }
}

#[test]
fn the_same_seed_drops_the_same_weights_and_another_seed_others() {
    let run = |seed| {
        let mut trainer = trainer(seed, 0.5, 0.5);
        let mut dropped = Vec::new();
        for _ in 0..3 {
            trainer.train_batch().unwrap();
            dropped.push(trainer.targeted_dropout().unwrap().dropped().to_vec());
        }
        (dropped, weights(&trainer.network))
    };
    let (first, weights_first) = run(4);
    let (again, weights_again) = run(4);
    assert_eq!(first, again);
    assert_eq!(weights_first, weights_again);
    let (other, _) = run(5);
    assert_ne!(first, other);
}

#[test]
fn a_run_trains_with_targeted_dropout_only_under_its_strategy() {
    let mut config = RunConfig::default();
    config.prune.td_gamma = 0.75;
    config.prune.td_alpha = 0.66;
    assert_eq!(config.effective_train().targeted_dropout, None);
    config.prune.strategy = Strategy::TargetedDropout;
    assert_eq!(
        config.effective_train().targeted_dropout,
        Some(settings(0.75, 0.66))
    );
    // The paper's defaults, quoted by the page through the catalog.
    let defaults = RunConfig::default().prune;
    assert_eq!((defaults.td_gamma, defaults.td_alpha), (0.5, 0.5));
    assert_eq!((DEFAULT_GAMMA, DEFAULT_ALPHA), (0.5, 0.5));
    let quoted = catalog().defaults;
    assert_eq!((quoted.td_gamma, quoted.td_alpha), (0.5, 0.5));
}

#[test]
fn gamma_and_alpha_outside_zero_to_one_are_refused_naming_the_setting() {
    for (gamma, alpha, field) in [
        (1.5, 0.5, "td_gamma"),
        (-0.1, 0.5, "td_gamma"),
        (f64::NAN, 0.5, "td_gamma"),
        (0.5, 1.01, "td_alpha"),
        (0.5, f64::NAN, "td_alpha"),
        (0.5, f64::INFINITY, "td_alpha"),
    ] {
        let mut config = RunConfig::default();
        config.prune.td_gamma = gamma;
        config.prune.td_alpha = alpha;
        let message = config.validate().unwrap_err().to_string();
        assert!(
            message.contains(field) && message.contains("0 to 1"),
            "{message}"
        );
        let train = TrainConfig {
            targeted_dropout: Some(settings(gamma, alpha)),
            ..TrainConfig::default()
        };
        assert!(train.validate().unwrap_err().to_string().contains(field));
    }
    for (gamma, alpha) in [(0.0, 0.0), (1.0, 1.0)] {
        let mut config = RunConfig::default();
        config.prune.td_gamma = gamma;
        config.prune.td_alpha = alpha;
        assert!(config.validate().is_ok(), "the ends are allowed");
    }
}

#[test]
fn links_carry_gamma_and_alpha_only_when_changed() {
    let mut config = RunConfig::default();
    config.prune.strategy = Strategy::TargetedDropout;
    let hash = encode(&config, &[]);
    assert!(hash.contains("strategy=targeted-dropout"), "{hash}");
    assert!(!hash.contains("td_"), "defaults are not written: {hash}");
    config.prune.td_gamma = 0.75;
    config.prune.td_alpha = 0.33;
    let hash = encode(&config, &[]);
    assert!(hash.contains("td_gamma=0.75") && hash.contains("td_alpha=0.33"));
    let decoded = decode(&hash);
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
    assert_eq!(decoded.config, config);

    let decoded = decode("strategy=targeted-dropout&td_gamma=1.5&td_alpha=x");
    assert_eq!(decoded.notices.len(), 2, "{:?}", decoded.notices);
    assert!(decoded.notices[0].contains("td_gamma") && decoded.notices[0].contains("0 to 1"));
    assert!(decoded.notices[1].contains("td_alpha=x"));
    assert_eq!(decoded.config.prune.td_gamma, DEFAULT_GAMMA);
    assert_eq!(decoded.config.prune.td_alpha, DEFAULT_ALPHA);
}

#[test]
fn older_saved_configs_without_gamma_and_alpha_load_with_the_defaults() {
    let mut json: serde_json::Value = serde_json::to_value(RunConfig::default()).unwrap();
    let prune = json["prune"].as_object_mut().unwrap();
    assert!(prune.remove("td_gamma").is_some() && prune.remove("td_alpha").is_some());
    let config: RunConfig = serde_json::from_value(json).unwrap();
    assert_eq!(config, RunConfig::default());
}

#[test]
fn largest_magnitude_prunes_the_largest_weights_first() {
    // Two dense layers, 2 → 2 → 10, with hand-set weights.
    let spec = ArchSpec {
        input: prunelab::nn::Shape::new(1, 1, 2),
        layers: vec![
            prunelab::nn::LayerSpec::Dense { units: 2 },
            prunelab::nn::LayerSpec::Dense { units: 10 },
        ],
    };
    let mut network = Network::new(&spec).unwrap();
    let first = vec![0.5, -0.9, 0.1, -0.3];
    let second: Vec<f32> = (0..20).map(|i| (i as f32 - 9.5) * 0.1).collect();
    for (param, values) in network
        .params_mut()
        .filter(|p| p.is_prunable())
        .zip([first.clone(), second.clone()])
    {
        param.value = values;
    }
    let dataset = Dataset::new(1, 2, vec![0], vec![0, 0]).unwrap();
    let context = ScoreContext {
        dataset: &dataset,
        training_indices: &[0],
        batch_size: 1,
        batches: 1,
        seed: 1,
        movement: None,
    };
    let scores = Strategy::LargestMagnitude
        .scores(&mut network, &context)
        .unwrap();
    // score = −|w|
    assert_eq!(scores[0], [-0.5, -0.9, -0.1, -0.3]);
    let masks = vec![vec![true; 4], vec![true; 20]];
    let selection = prune_by_amount(&masks, &scores, 0.5, Scope::Layer, &[false, false], 1);
    // Layer scope, half of each layer: the two largest |w| of the first (−0.9, 0.5) …
    assert_eq!(selection.masks[0], [false, false, true, true]);
    // … and the ten largest |w| of the second: the five at each end of −0.95 … 0.95.
    let pruned: Vec<usize> = (0..20).filter(|&i| !selection.masks[1][i]).collect();
    assert_eq!(pruned, [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]);
    // Magnitude prunes the complement: the smallest.
    let magnitude = Strategy::Magnitude.scores(&mut network, &context).unwrap();
    let opposite = prune_by_amount(&masks, &magnitude, 0.5, Scope::Layer, &[false, false], 1);
    assert_eq!(opposite.masks[0], [true, true, false, false]);
}
