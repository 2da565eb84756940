//! Compaction: a structurally pruned network cut down to its kept units computes the same logits
//! on real test digits, has exactly the kept parameters, and trains the same; unstructured masks
//! shrink nothing; units emptied without masking their consumer are folded into its bias.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use rand::Rng;

use prunelab::data::{bundled, fill_batch, Dataset, Split};
use prunelab::nn::{compact, ArchSpec, Compacted, Network};
use prunelab::prune::apply::{prune_to_target, Granularity, PruneRequest};
use prunelab::prune::{Scope, ScoreContext, Strategy};
use prunelab::train::{seeded_rng, EvalSet, TrainConfig, Trainer};

const IMAGES: usize = 64;

fn dataset() -> Arc<Dataset> {
    Arc::new(bundled().unwrap())
}

/// The first `IMAGES` test digits as network input.
fn test_images(dataset: &Dataset) -> Vec<f32> {
    let split = Split::standard(dataset.len());
    let indices = &split.test[..IMAGES];
    let mut input = vec![0.0; IMAGES * dataset.pixels_per_image()];
    let mut labels = vec![0; IMAGES];
    fill_batch(dataset, indices, &mut input, &mut labels);
    input
}

/// Seeded He-uniform weights and biases in ±0.3 (mixed signs, so some removed units emit
/// relu(b) > 0 and some 0).
fn random_network(spec: &ArchSpec, seed: u64) -> Network {
    let mut rng = seeded_rng(seed, 7);
    let mut network = Network::seeded(spec, &mut rng).unwrap();
    for bias in network.params_mut().filter(|p| !p.is_weight) {
        for b in &mut bias.value {
            *b = rng.gen_range(-0.3..0.3);
        }
    }
    network
}

/// `steps` Adam steps from `random_network`: trained-ish weights, biases moved by the data.
fn trained_network(spec: &ArchSpec, seed: u64, steps: usize, dataset: &Arc<Dataset>) -> Network {
    let config = TrainConfig {
        seed,
        ..TrainConfig::default()
    };
    let network = random_network(spec, seed);
    let mut trainer =
        Trainer::with_network(network, config, dataset.clone(), EvalSet::Test).unwrap();
    for _ in 0..steps {
        trainer.train_batch().unwrap();
    }
    trainer.network
}

fn prune(network: &mut Network, strategy: Strategy, scope: Scope, target: f64, data: &Dataset) {
    let indices: Vec<usize> = (0..64).collect();
    let context = ScoreContext {
        dataset: data,
        training_indices: &indices,
        batch_size: 16,
        batches: 1,
        seed: 3,
        movement: None,
    };
    let request = PruneRequest {
        strategy,
        scope,
        // Magnitude is unstructured unless asked for filters; the others are structured anyway.
        granularity: Granularity::Filter,
        keep_output_layer: false,
        target,
    };
    prune_to_target(network, &request, &context).unwrap();
}

fn assert_same_logits(what: &str, masked: &mut Network, compacted: &mut Network, input: &[f32]) {
    let expected = masked.infer(input, IMAGES).to_vec();
    let actual = compacted.infer(input, IMAGES).to_vec();
    assert_eq!(expected.len(), actual.len(), "{what}");
    for (i, (&e, &a)) in expected.iter().zip(&actual).enumerate() {
        // Absolute 1e-5, relative for logits above 1 (float summation order differs).
        assert!(
            (e - a).abs() <= 1e-5 * e.abs().max(1.0),
            "{what}: logit {i}: masked {e}, compacted {a}"
        );
    }
}

/// Parameters of a network with `kept[l]` units per conv/dense layer, counted from the original
/// shapes (independently of the compacted spec).
fn expected_params(original: &Network, result: &Compacted) -> usize {
    let weights: Vec<_> = original
        .params()
        .filter(|p| p.is_weight)
        .map(|p| p.shape.clone())
        .collect();
    let mut total = 0;
    for (l, shape) in weights.iter().enumerate() {
        let rows = result.kept_units[l].kept.len();
        let (in_channels, kept_in) = match l {
            0 => (shape[1], shape[1]),
            _ => (weights[l - 1][0], result.kept_units[l - 1].kept.len()),
        };
        let span = shape.iter().skip(1).product::<usize>() / in_channels;
        total += rows * (kept_in * span + 1);
    }
    total
}

#[test]
fn compacted_networks_compute_the_masked_logits_with_exactly_the_kept_parameters() {
    let data = dataset();
    let input = test_images(&data);
    let strategies = [
        (Strategy::FilterL1, Scope::Layer),
        (Strategy::FilterL2, Scope::Layer),
        (Strategy::Cosine, Scope::Layer),
        (Strategy::Magnitude, Scope::Layer),
        (Strategy::FilterL2, Scope::Global),
    ];
    let mut shrunk_cases = 0;
    for (arch, spec) in [
        ("default", ArchSpec::default_cnn()),
        ("reference", ArchSpec::reference()),
    ] {
        for seed in 1..=3u64 {
            // Seed 1 trained for 30 steps, the others random: both have non-zero biases.
            let start = if seed == 1 {
                trained_network(&spec, seed, 30, &data)
            } else {
                random_network(&spec, seed)
            };
            for &(strategy, scope) in &strategies {
                for target in [0.25, 0.5, 0.75] {
                    let what = format!("{arch} seed {seed} {strategy:?} {scope:?} {target}");
                    let mut masked = start.clone_parameters();
                    prune(&mut masked, strategy, scope, target, &data);
                    let result = compact(&masked).unwrap();
                    let mut compacted = result.network.clone_parameters();
                    assert_same_logits(&what, &mut masked, &mut compacted, &input);
                    // Structured pruning masks the consumers' inputs: nothing live is dropped,
                    // and only the removed units' biases leave the count.
                    assert_eq!(result.dropped_live_inputs, 0, "{what}");
                    assert_eq!(
                        compacted.kept_param_count(),
                        masked.kept_param_count() - result.removed_biases,
                        "{what}"
                    );
                    assert_eq!(result.params_after, compacted.param_count(), "{what}");
                    assert_eq!(
                        result.params_after,
                        expected_params(&masked, &result),
                        "{what}"
                    );
                    let removed_units: usize = result
                        .kept_units
                        .iter()
                        .map(|k| k.units - k.kept.len())
                        .sum();
                    assert_eq!(removed_units, result.removed_biases, "{what}");
                    // The output layer keeps its ten classes.
                    assert_eq!(
                        result.kept_units.last().unwrap().kept,
                        (0..10).collect::<Vec<_>>()
                    );
                    // Compacting again changes nothing: every removable unit went the first time.
                    assert_eq!(
                        compact(&compacted).unwrap().params_after,
                        result.params_after
                    );
                    if result.params_after < result.params_before {
                        shrunk_cases += 1;
                    }
                }
            }
        }
    }
    // 2 architectures × 3 seeds × 5 strategies × 3 targets; every one of them removes a unit.
    assert_eq!(shrunk_cases, 90);
}

#[test]
fn one_training_step_keeps_the_two_networks_equal() {
    let data = dataset();
    let input = test_images(&data);
    let mut masked = random_network(&ArchSpec::default_cnn(), 4);
    prune(&mut masked, Strategy::FilterL1, Scope::Layer, 0.5, &data);
    let compacted = compact(&masked).unwrap().network;
    // Same seed → same batch order. The removed units' biases get no gradient in the masked
    // network (their outgoing weights are masked), so both take the same Adam step.
    let config = TrainConfig::default();
    let mut trainers = [masked, compacted].map(|network| {
        Trainer::with_network(network, config.clone(), data.clone(), EvalSet::Test).unwrap()
    });
    for trainer in &mut trainers {
        trainer.train_batch().unwrap();
    }
    let [mut masked, mut compacted] = trainers.map(|t| t.network);
    assert_same_logits("after one step", &mut masked, &mut compacted, &input);
}

#[test]
fn unstructured_masks_shrink_nothing() {
    let data = dataset();
    for spec in [ArchSpec::default_cnn(), ArchSpec::reference()] {
        let mut network = random_network(&spec, 5);
        let request = PruneRequest {
            strategy: Strategy::Magnitude,
            scope: Scope::Layer,
            granularity: Granularity::Weight,
            keep_output_layer: false,
            target: 0.5,
        };
        let indices: Vec<usize> = (0..16).collect();
        let context = ScoreContext {
            dataset: &data,
            training_indices: &indices,
            batch_size: 16,
            batches: 1,
            seed: 1,
            movement: None,
        };
        prune_to_target(&mut network, &request, &context).unwrap();
        let result = compact(&network).unwrap();
        assert_eq!(result.network.spec(), network.spec());
        assert_eq!(result.params_after, result.params_before);
        assert_eq!(result.removed_biases, 0);
        assert_eq!(
            result.network.kept_param_count(),
            network.kept_param_count()
        );
        for (before, after) in network.params().zip(result.network.params()) {
            assert_eq!(before.value, after.value, "{}", before.name);
            assert_eq!(before.mask(), after.mask(), "{}", before.name);
        }
    }
}

/// Empties `units` of prunable tensor `tensor` (mask and values) without touching its consumer.
fn empty_units(network: &mut Network, tensor: usize, units: &[usize], bias: f32) {
    let mut params: Vec<_> = network.params_mut().collect();
    let weight = &mut params[2 * tensor];
    let unit_len = weight.len() / weight.shape[0];
    let mut mask = weight.mask().unwrap().to_vec();
    for &o in units {
        mask[o * unit_len..(o + 1) * unit_len].fill(false);
    }
    weight.set_mask(mask);
    for &o in units {
        params[2 * tensor + 1].value[o] = bias;
    }
}

#[test]
fn units_emptied_without_masking_their_consumer_are_folded_into_its_bias() {
    let data = dataset();
    let input = test_images(&data);
    // conv1 → conv2 (conv consumer), conv2 → fc1 (dense over C·H·W), lenet5's fc1 → fc2 (dense).
    for (spec, emptied) in [
        (
            ArchSpec::default_cnn(),
            vec![(0, vec![1, 4]), (1, vec![0, 7, 19])],
        ),
        (
            ArchSpec::lenet5(),
            vec![(1, vec![3]), (2, vec![0, 50, 119])],
        ),
    ] {
        let mut masked = random_network(&spec, 6);
        let mut dropped = masked.clone_parameters();
        for (tensor, units) in &emptied {
            // A positive bias: each removed unit emits relu(0.5) = 0.5 into live weights.
            empty_units(&mut masked, *tensor, units, 0.5);
            empty_units(&mut dropped, *tensor, units, 0.0);
        }
        // The constants matter: zeroing those biases instead changes the logits.
        let with = masked.infer(&input, IMAGES).to_vec();
        let without = dropped.infer(&input, IMAGES).to_vec();
        assert!(with.iter().zip(&without).any(|(a, b)| (a - b).abs() > 1e-2));

        let result = compact(&masked).unwrap();
        let removed: usize = emptied.iter().map(|(_, u)| u.len()).sum();
        assert_eq!(result.removed_biases, removed);
        assert!(result.dropped_live_inputs > 0);
        assert_eq!(
            result.network.kept_param_count(),
            masked.kept_param_count() - removed - result.dropped_live_inputs
        );
        let mut compacted = result.network.clone_parameters();
        assert_same_logits("folded", &mut masked, &mut compacted, &input);
    }
}

#[test]
fn a_layer_with_every_unit_emptied_keeps_its_first_unit() {
    let data = dataset();
    let input = test_images(&data);
    let mut masked = random_network(&ArchSpec::default_cnn(), 8);
    empty_units(&mut masked, 1, &(0..20).collect::<Vec<_>>(), 0.25);
    let result = compact(&masked).unwrap();
    assert_eq!(result.kept_units[1].kept, vec![0]);
    assert_eq!(result.kept_units[1].units, 20);
    assert_eq!(result.removed_biases, 19);
    let mut compacted = result.network.clone_parameters();
    assert_same_logits("all emptied", &mut masked, &mut compacted, &input);
}
