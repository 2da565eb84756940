//! Every scoring rule against hand-computed values on tiny hand-made networks and tensors.
//!
//! The data-driven rules use a two-pixel MLP, `x (2) → dense 2 → ReLU → dense 10`, whose loss
//! gradient is written out below by hand (textbook backprop in f64) — independent of the crate's
//! layers — and, for a conv network, central finite differences of the loss. Structured masks are
//! compared with reference tables worked out from torch.nn.utils.prune.ln_structured's documented
//! rules. Every rule must leave the network's weights and masks as they were.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::data::Dataset;
use prunelab::data::{fill_batch, pixel_to_input};
use prunelab::nn::{ArchSpec, LayerSpec, Network, Shape};
use prunelab::prune::units::{self, UnitLayout};
use prunelab::prune::{cosine, filter_norm, structured, taylor, Scope, ScoreContext, Strategy};
use prunelab::train::seeded_rng;

// ---------------------------------------------------------------------------------------------
// The two-pixel MLP and its hand-written gradient.

const W1: [f32; 4] = [0.5, -0.3, 0.2, 0.8]; // [2 hidden, 2 inputs]
const B1: [f32; 2] = [0.1, -0.2];
const B2: [f32; 10] = [0.0, 0.1, -0.1, 0.2, 0.0, 0.0, -0.2, 0.0, 0.1, 0.0];

/// `W2[k][j] = 0.1·(k+1)·(−1)^(k+j)`: distinct, both signs.
fn w2() -> Vec<f32> {
    (0..20)
        .map(|i| {
            let (k, j) = (i / 2, i % 2);
            let sign = if (k + j) % 2 == 0 { 1.0 } else { -1.0 };
            0.1 * (k + 1) as f32 * sign
        })
        .collect()
}

fn mlp() -> Network {
    let spec = ArchSpec {
        input: Shape::new(1, 1, 2),
        layers: vec![
            LayerSpec::Dense { units: 2 },
            LayerSpec::Relu,
            LayerSpec::Dense { units: 10 },
        ],
    };
    let mut network = Network::new(&spec).expect("valid spec");
    let values = [W1.to_vec(), B1.to_vec(), w2(), B2.to_vec()];
    for (param, value) in network.params_mut().zip(values) {
        param.value = value;
    }
    network
}

/// Four 1×2 images: pixels and labels.
fn pixel_dataset() -> Dataset {
    let pixels = vec![255, 0, 0, 255, 128, 64, 30, 200];
    Dataset::new(1, 2, vec![3, 7, 0, 9], pixels).expect("valid dataset")
}

fn context<'a>(dataset: &'a Dataset, indices: &'a [usize], batch_size: usize) -> ScoreContext<'a> {
    ScoreContext {
        dataset,
        training_indices: indices,
        batch_size,
        batches: 2,
        seed: 1,
        movement: None,
    }
}

/// Textbook backprop for one example, in f64: `a = W1 x + b1`, `h = max(a, 0)`, `z = W2 h + b2`,
/// `p = softmax(z)`, `L = −log p[y]`; `δz = p − onehot(y)`, `∂W2[k][j] = δz[k]·h[j]`,
/// `δa[j] = [a[j] > 0]·Σ_k W2[k][j]·δz[k]`, `∂W1[j][i] = δa[j]·x[i]`.
/// Returns (∂W1, ∂W2) flattened row-major.
fn mlp_gradient(image: [u8; 2], label: usize) -> (Vec<f64>, Vec<f64>) {
    let x = image.map(|p| pixel_to_input(p) as f64);
    let w1: Vec<f64> = W1.iter().map(|&v| v as f64).collect();
    let w2: Vec<f64> = w2().iter().map(|&v| v as f64).collect();
    let a: Vec<f64> = (0..2)
        .map(|j| w1[2 * j] * x[0] + w1[2 * j + 1] * x[1] + B1[j] as f64)
        .collect();
    let h: Vec<f64> = a.iter().map(|&v| v.max(0.0)).collect();
    let z: Vec<f64> = (0..10)
        .map(|k| w2[2 * k] * h[0] + w2[2 * k + 1] * h[1] + B2[k] as f64)
        .collect();
    let max = z.iter().copied().fold(f64::MIN, f64::max);
    let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
    let dz: Vec<f64> = (0..10)
        .map(|k| (z[k] - max).exp() / sum - if k == label { 1.0 } else { 0.0 })
        .collect();
    let dw2: Vec<f64> = (0..20).map(|i| dz[i / 2] * h[i % 2]).collect();
    let da: Vec<f64> = (0..2)
        .map(|j| {
            let back: f64 = (0..10).map(|k| w2[2 * k + j] * dz[k]).sum();
            if a[j] > 0.0 {
                back
            } else {
                0.0
            }
        })
        .collect();
    let dw1: Vec<f64> = (0..4).map(|i| da[i / 2] * x[i % 2]).collect();
    (dw1, dw2)
}

/// Mean of [`mlp_gradient`] over the first `count` images of [`pixel_dataset`].
fn mlp_mean_gradient(count: usize) -> Vec<Vec<f64>> {
    let dataset = pixel_dataset();
    let mut sum = vec![vec![0.0; 4], vec![0.0; 20]];
    for index in 0..count {
        let image = dataset.image(index);
        let (dw1, dw2) = mlp_gradient([image[0], image[1]], dataset.label(index) as usize);
        for (s, g) in sum[0].iter_mut().zip(dw1) {
            *s += g / count as f64;
        }
        for (s, g) in sum[1].iter_mut().zip(dw2) {
            *s += g / count as f64;
        }
    }
    sum
}

fn prunable_values(network: &Network) -> Vec<Vec<f32>> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.value.clone())
        .collect()
}

/// Weights, biases and masks: what scoring must not change.
fn snapshot(network: &Network) -> Vec<(Vec<f32>, Option<Vec<bool>>)> {
    network
        .params()
        .map(|p| (p.value.clone(), p.mask().map(<[bool]>::to_vec)))
        .collect()
}

fn assert_close(what: &str, actual: &[Vec<f32>], expected: &[Vec<f64>], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "{what}: tensor count");
    for (t, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a.len(), e.len(), "{what}: length of tensor {t}");
        for (i, (&a, &e)) in a.iter().zip(e).enumerate() {
            let error = (a as f64 - e).abs() / e.abs().max(1e-3);
            assert!(
                error < tolerance,
                "{what}: tensor {t} entry {i}: got {a}, expected {e}"
            );
        }
    }
}

fn map2(values: &[Vec<f64>], f: impl Fn(usize, usize, f64) -> f64) -> Vec<Vec<f64>> {
    values
        .iter()
        .enumerate()
        .map(|(t, v)| v.iter().enumerate().map(|(i, &x)| f(t, i, x)).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Gradient

#[test]
fn gradient_is_the_mean_absolute_gradient_over_k_batches() {
    let dataset = pixel_dataset();
    let indices = [0, 1, 2, 3];
    let mut network = mlp();
    let before = snapshot(&network);
    // k = 2 batches of 2 = the mean gradient over all four images.
    let scores = Strategy::Gradient
        .scores(&mut network, &context(&dataset, &indices, 2))
        .expect("scores");
    let expected = map2(&mlp_mean_gradient(4), |_, _, g| g.abs());
    assert_close("gradient", &scores, &expected, 1e-4);
    assert_eq!(snapshot(&network), before, "weights and masks unchanged");
    // Sanity of the hand-made example: every score differs from 0 except where ReLU is off.
    assert!(scores[1].iter().all(|&s| s > 0.0));
}

#[test]
fn gradient_batches_are_taken_in_order() {
    let dataset = pixel_dataset();
    // Indices reordered: the two batches are images {2, 0} and {1, 3}, so the 4-image mean again;
    // with batches = 1 and batch 2 only images 2 and 0 count.
    let indices = [2, 0, 1, 3];
    let mut network = mlp();
    let mut one = context(&dataset, &indices, 2);
    one.batches = 1;
    let scores = Strategy::Gradient
        .scores(&mut network, &one)
        .expect("scores");
    let image_0 = mlp_mean_gradient(1);
    let images_0_2 = mlp_mean_gradient(3); // mean over images 0, 1, 2
    let image_1 = {
        let image = dataset.image(1);
        let (a, b) = mlp_gradient([image[0], image[1]], 7);
        vec![a, b]
    };
    // mean(0, 2) = (3·mean(0,1,2) − g1) / 2
    let expected = map2(&images_0_2, |t, i, g| {
        ((3.0 * g - image_1[t][i]) / 2.0).abs()
    });
    assert_close("one batch of images 2, 0", &scores, &expected, 1e-4);
    assert_ne!(scores, map2f32(&image_0), "not just the first image");
}

fn map2f32(values: &[Vec<f64>]) -> Vec<Vec<f32>> {
    values
        .iter()
        .map(|v| v.iter().map(|&x| x.abs() as f32).collect())
        .collect()
}

/// The rules that run forward/backward passes on the network.
const DATA_DRIVEN: [Strategy; 4] = [
    Strategy::Gradient,
    Strategy::Taylor,
    Strategy::Snip,
    Strategy::Synflow,
];

#[test]
fn pruned_weights_score_zero_and_stay_pruned() {
    let dataset = pixel_dataset();
    let indices = [0, 1, 2, 3];
    let mut network = mlp();
    network
        .params_mut()
        .next()
        .expect("fc1.weight")
        .set_mask(vec![true, false, true, true]);
    let before = snapshot(&network);
    for strategy in DATA_DRIVEN {
        let scores = strategy
            .scores(&mut network, &context(&dataset, &indices, 2))
            .expect("scores");
        assert_eq!(scores[0][1], 0.0, "{}", strategy.name());
        assert_eq!(snapshot(&network), before, "{}", strategy.name());
    }
}

#[test]
fn data_driven_rules_refuse_impossible_contexts() {
    let dataset = pixel_dataset();
    let indices = [0, 1, 2];
    let mut network = mlp();
    // 2 batches of 2 need 4 images; only 3 indices.
    let error = Strategy::Gradient
        .scores(&mut network, &context(&dataset, &indices, 2))
        .expect_err("too few images");
    assert!(error.to_string().contains("batches"), "{error}");
    let bad = [0, 1, 2, 9];
    let error = Strategy::Gradient
        .scores(&mut network, &context(&dataset, &bad, 2))
        .expect_err("index out of range");
    assert!(error.to_string().contains("9"), "{error}");
    let wrong_size = Dataset::new(2, 2, vec![0], vec![0; 4]).expect("dataset");
    let error = Strategy::Gradient
        .scores(&mut network, &context(&wrong_size, &[0, 0, 0, 0], 2))
        .expect_err("image size");
    assert!(error.to_string().contains("1×2×2"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Taylor

#[test]
fn taylor_is_weight_times_mean_gradient() {
    let dataset = pixel_dataset();
    let indices = [0, 1, 2, 3];
    let mut network = mlp();
    let before = snapshot(&network);
    let weights = prunable_values(&network);
    let scores = Strategy::Taylor
        .scores(&mut network, &context(&dataset, &indices, 2))
        .expect("scores");
    // |w · ḡ| with ḡ the hand-written mean gradient over the 2 batches of 2.
    let expected = map2(&mlp_mean_gradient(4), |t, i, g| {
        (weights[t][i] as f64 * g).abs()
    });
    assert_close("taylor", &scores, &expected, 1e-4);
    assert_eq!(snapshot(&network), before, "weights and masks unchanged");
}

#[test]
fn taylor_unit_sums_add_each_row() {
    let network = mlp();
    // fc1 is [2, 2] (rows of 2), fc2 is [10, 2].
    let scores = vec![
        vec![1.0, 2.0, 3.0, 4.0],
        (0..20).map(|i| i as f32).collect(),
    ];
    let sums = taylor::unit_sums(&network, &scores);
    assert_eq!(sums[0], [3.0, 7.0]);
    let expected: Vec<f32> = (0..10).map(|k| (4 * k + 1) as f32).collect(); // 2k + (2k+1)
    assert_eq!(sums[1], expected);
}

// ---------------------------------------------------------------------------------------------
// L1 / L2: the penalty is a training-time matter; the pruning score is |w|.

#[test]
fn l1_and_l2_score_like_magnitude() {
    let dataset = pixel_dataset();
    let mut network = mlp();
    let magnitude: Vec<Vec<f32>> = prunable_values(&network)
        .iter()
        .map(|t| t.iter().map(|w| w.abs()).collect())
        .collect();
    assert_eq!(magnitude[0], [0.5, 0.3, 0.2, 0.8]);
    for strategy in [Strategy::L1, Strategy::L2] {
        let scores = strategy
            .scores(&mut network, &context(&dataset, &[], 2))
            .expect("data-free");
        assert_eq!(scores, magnitude, "{}", strategy.name());
    }
}

// ---------------------------------------------------------------------------------------------
// SNIP

#[test]
fn snip_is_normalised_connection_sensitivity_on_one_batch() {
    let dataset = pixel_dataset();
    let indices = [0, 1, 2, 3];
    let mut network = mlp();
    let before = snapshot(&network);
    let weights = prunable_values(&network);
    // k = 2 in the context, but SNIP uses one batch: images 0 and 1.
    let scores = Strategy::Snip
        .scores(&mut network, &context(&dataset, &indices, 2))
        .expect("scores");
    let sensitivity = map2(&mlp_mean_gradient(2), |t, i, g| {
        (weights[t][i] as f64 * g).abs()
    });
    let total: f64 = sensitivity.iter().flatten().sum();
    let expected = map2(&sensitivity, |_, _, s| s / total);
    assert_close("snip", &scores, &expected, 1e-4);
    let sum: f32 = scores.iter().flatten().sum();
    assert!((sum - 1.0).abs() < 1e-5, "scores sum to {sum}");
    assert_eq!(snapshot(&network), before, "weights and masks unchanged");
}

// ---------------------------------------------------------------------------------------------
// SynFlow

#[test]
fn synflow_matches_the_hand_computed_flow() {
    // |W1| = [[0.5, 0.3], [0.2, 0.8]], |b1| = [0.1, 0.2], input 𝟙:
    //   h = |W1|·𝟙 + |b1| = [0.9, 1.2] (ReLU passes both).
    // |W2[k][j]| = 0.1·(k+1), so ∂R/∂h_j = Σ_k |W2[k][j]| = 0.1·55 = 5.5 for both j.
    // score(W1[j][i]) = |W1[j][i]| · 5.5 · 1 = [2.75, 1.65, 1.1, 4.4];
    // score(W2[k][j]) = |W2[k][j]| · h_j = [0.09·(k+1), 0.12·(k+1)].
    let network = mlp();
    let before = snapshot(&network);
    let scores = prunelab::prune::synflow::scores(&network);
    let fc2: Vec<f64> = (0..20)
        .map(|i| [0.09, 0.12][i % 2] * (i / 2 + 1) as f64)
        .collect();
    let expected = vec![vec![2.75, 1.65, 1.1, 4.4], fc2];
    assert_close("synflow", &scores, &expected, 1e-5);
    assert_eq!(snapshot(&network), before, "weights and masks unchanged");
    // The same through the strategy, which ignores the data.
    let dataset = pixel_dataset();
    let mut network = mlp();
    let via_strategy = Strategy::Synflow
        .scores(&mut network, &context(&dataset, &[], 2))
        .expect("data-free");
    assert_eq!(via_strategy, scores);
}

#[test]
fn synflow_on_a_conv_network_matches_finite_differences() {
    // R(θ) = Σ logits of the |θ| network on an all-ones input; score = |θ·∂R/∂θ|.
    let network = conv_network();
    let scores = prunelab::prune::synflow::scores(&network);
    let mut linear = network.clone();
    for param in linear.params_mut() {
        param.value.iter_mut().for_each(|v| *v = v.abs());
    }
    let ones = vec![1.0; 16];
    let flow = |net: &mut Network| net.infer(&ones, 1).iter().map(|&z| z as f64).sum::<f64>();
    // R is linear in each weight while the max-pool winners stay put; a small step keeps them.
    const EPS: f32 = 1e-2;
    for (t, tensor) in scores.iter().enumerate() {
        for (i, &score) in tensor.iter().enumerate() {
            let nudge = |delta: f32, net: &mut Network| {
                let param = net.params_mut().filter(|p| p.is_prunable()).nth(t);
                param.expect("tensor").value[i] += delta;
            };
            nudge(EPS, &mut linear);
            let plus = flow(&mut linear);
            nudge(-2.0 * EPS, &mut linear);
            let minus = flow(&mut linear);
            nudge(EPS, &mut linear);
            let weight = prunable_values(&linear)[t][i] as f64;
            let expected = (weight * (plus - minus) / (2.0 * EPS as f64)).abs();
            let error = (score as f64 - expected).abs() / expected.max(1.0);
            assert!(error < 1e-3, "tensor {t} entry {i}: {score} vs {expected}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A conv network: the gradient against central finite differences of the loss.

fn conv_network() -> Network {
    let spec = ArchSpec {
        input: Shape::new(1, 4, 4),
        layers: vec![
            LayerSpec::Conv {
                filters: 2,
                kernel: 3,
            },
            LayerSpec::Relu,
            LayerSpec::MaxPool { size: 2 },
            LayerSpec::Dense { units: 10 },
        ],
    };
    let mut rng = seeded_rng(5, 0);
    let mut network = Network::seeded(&spec, &mut rng).expect("valid spec");
    for param in network.params_mut() {
        if !param.is_weight {
            param.value.iter_mut().enumerate().for_each(|(i, b)| {
                *b = 0.05 * i as f32;
            });
        }
    }
    network
}

fn image_dataset() -> Dataset {
    let pixels: Vec<u8> = (0..4 * 16).map(|i| ((i * 37) % 256) as u8).collect();
    Dataset::new(4, 4, vec![1, 4, 4, 8], pixels).expect("valid dataset")
}

/// Mean loss over the first `count` images, in f64 from the network's logits.
fn mean_loss(network: &mut Network, dataset: &Dataset, count: usize) -> f64 {
    let mut input = vec![0.0; count * 16];
    let mut labels = vec![0; count];
    let indices: Vec<usize> = (0..count).collect();
    fill_batch(dataset, &indices, &mut input, &mut labels);
    let logits = network.infer(&input, count);
    // Cross-entropy in f64: f32 rounding of the loss (~1e-7 × 2.3) divided by 2ε would swamp
    // the small gradients.
    let mut total = 0.0;
    for (row, &label) in logits.chunks(10).zip(&labels) {
        let max = row.iter().copied().fold(f32::MIN, f32::max) as f64;
        let sum: f64 = row.iter().map(|&z| (z as f64 - max).exp()).sum();
        total += sum.ln() + max - row[label as usize] as f64;
    }
    total / count as f64
}

/// `(L(w + ε) − L(w − ε)) / 2ε` for every prunable weight.
fn numeric_gradient(network: &Network, dataset: &Dataset, count: usize) -> Vec<Vec<f64>> {
    const EPS: f32 = 2e-2;
    let mut probe = network.clone();
    let shapes: Vec<usize> = prunable_values(network).iter().map(Vec::len).collect();
    let mut result = Vec::new();
    for (t, &len) in shapes.iter().enumerate() {
        let mut tensor = Vec::with_capacity(len);
        for i in 0..len {
            let at = |delta: f32, probe: &mut Network| {
                let param = probe
                    .params_mut()
                    .filter(|p| p.is_prunable())
                    .nth(t)
                    .expect("tensor");
                param.value[i] += delta;
            };
            at(EPS, &mut probe);
            let plus = mean_loss(&mut probe, dataset, count);
            at(-2.0 * EPS, &mut probe);
            let minus = mean_loss(&mut probe, dataset, count);
            at(EPS, &mut probe);
            tensor.push((plus - minus) / (2.0 * EPS as f64));
        }
        result.push(tensor);
    }
    result
}

#[test]
fn conv_gradient_matches_finite_differences() {
    let dataset = image_dataset();
    let indices = [0, 1, 2, 3];
    let mut network = conv_network();
    let numeric = numeric_gradient(&network, &dataset, 4);
    let scores = Strategy::Gradient
        .scores(&mut network, &context(&dataset, &indices, 2))
        .expect("scores");
    let expected = map2(&numeric, |_, _, g| g.abs());
    // The check means something only if the conv kernel gets real gradient.
    let live = scores[0].iter().filter(|&&s| s > 1e-3).count();
    assert!(live >= 9, "only {live} of 18 conv weights have gradient");
    for (a, e) in scores.iter().flatten().zip(expected.iter().flatten()) {
        // Relative error above 1e-2, absolute below (as tests/gradient_check.rs).
        let error = (*a as f64 - e).abs() / e.abs().max(1e-2);
        assert!(error < 1e-3, "analytic {a}, numeric {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Structured: filter norms, unit selection, next-layer inputs

/// input 1×5×5 → conv 3 filters 2×2 → [3,4,4] → ReLU → pool 2 → [3,2,2] → dense 10 (12 inputs).
fn filter_network() -> Network {
    let spec = ArchSpec {
        input: Shape::new(1, 5, 5),
        layers: vec![
            LayerSpec::Conv {
                filters: 3,
                kernel: 2,
            },
            LayerSpec::Relu,
            LayerSpec::MaxPool { size: 2 },
            LayerSpec::Dense { units: 10 },
        ],
    };
    let mut network = Network::new(&spec).expect("valid spec");
    let conv = [
        [1.0, -1.0, 0.0, 0.0], // L1 2, L2 √2
        [0.5, 0.5, 0.5, 0.5],  // L1 2, L2 1
        [3.0, 0.0, 0.0, -4.0], // L1 7, L2 5
    ]
    .concat();
    // Dense row k: every weight is −0.01·(k+1) → L1 0.12·(k+1), L2 0.01·(k+1)·√12.
    let dense: Vec<f32> = (0..120).map(|i| -0.01 * (i / 12 + 1) as f32).collect();
    let mut params = network.params_mut().filter(|p| p.is_weight);
    params.next().expect("conv1.weight").value = conv;
    params.next().expect("fc1.weight").value = dense;
    drop(params);
    network
}

#[test]
fn unit_layouts_know_who_reads_each_unit() {
    let layouts = units::layouts(&filter_network());
    assert_eq!(layouts.len(), 2);
    assert_eq!((layouts[0].units, layouts[0].unit_len), (3, 4));
    // The dense layer reads channel c at in-features 4c .. 4c+4 (2×2 after pooling).
    let consumer = layouts[0].consumer.expect("fc1 reads conv1");
    assert_eq!(
        (
            consumer.tensor,
            consumer.rows,
            consumer.channels,
            consumer.span
        ),
        (1, 10, 3, 4)
    );
    let entries: Vec<usize> = consumer.entries_of(1).collect();
    assert_eq!(&entries[..8], [4, 5, 6, 7, 16, 17, 18, 19]);
    assert_eq!(entries.len(), 40);
    assert_eq!((layouts[1].units, layouts[1].unit_len), (10, 12));
    assert_eq!(layouts[1].consumer, None);
}

#[test]
fn filter_norms_are_per_unit_l1_and_l2() {
    let network = filter_network();
    let l1 = filter_norm::unit_norms(&network, filter_norm::Norm::L1);
    let l2 = filter_norm::unit_norms(&network, filter_norm::Norm::L2);
    assert_eq!(l1[0], [2.0, 2.0, 7.0]);
    assert!((l2[0][0] - 2f32.sqrt()).abs() < 1e-6);
    assert_eq!(&l2[0][1..], [1.0, 5.0]);
    for k in 0..10 {
        let units = (k + 1) as f32;
        assert!((l1[1][k] - 0.12 * units).abs() < 1e-5);
        assert!((l2[1][k] - 0.01 * units * 12f32.sqrt()).abs() < 1e-5);
    }
    // The strategies spread the unit norm over every entry of the unit.
    let dataset = pixel_dataset();
    let mut network = network;
    let before = snapshot(&network);
    let scores = Strategy::FilterL2
        .scores(&mut network, &context(&dataset, &[], 1))
        .expect("data-free");
    assert!(Strategy::FilterL2.is_structured() && !Strategy::Magnitude.is_structured());
    assert_eq!(&scores[0][4..], [1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 5.0]);
    assert_eq!(scores[1].len(), 120);
    assert_eq!(snapshot(&network), before);
}

/// A hand-made layout: `units` units of `unit_len` entries, no consumer.
fn layout(tensor: usize, units: usize, unit_len: usize) -> UnitLayout {
    UnitLayout {
        tensor,
        units,
        unit_len,
        consumer: None,
    }
}

/// Unit-level view of a mask.
fn kept_units(layout: &UnitLayout, mask: &[bool]) -> Vec<bool> {
    layout.kept_units(mask)
}

#[test]
fn layer_scope_matches_ln_structured_reference_table() {
    // ln_structured(dim=0) prunes round(amount × n_kept_units) units with the lowest norm
    // (Python rounding: halves to even). Unit norms [0.3, 0.1, 0.5, 0.1, 0.2], 2 entries each.
    let layouts = [layout(0, 5, 2)];
    let norms = vec![vec![0.3, 0.1, 0.5, 0.1, 0.2]];
    let all = vec![vec![true; 10]];
    // amount → units pruned (ascending), kept pattern
    let table: [(f64, &[usize]); 5] = [
        (0.1, &[]),           // round(0.5) = 0
        (0.3, &[1, 3]),       // round(1.5) = 2: the two 0.1s (tie: lower index first, both go)
        (0.5, &[1, 3]),       // round(2.5) = 2
        (0.7, &[0, 1, 3, 4]), // round(3.5) = 4: 0.1, 0.1, 0.2, 0.3
        (1.0, &[0, 1, 3, 4]), // round(5) = 5, but the last unit (0.5) is never pruned
    ];
    for (amount, expected) in table {
        let selection =
            structured::prune_units_by_amount(&layouts, &all, &norms, amount, Scope::Layer, &[])
                .expect("valid");
        assert_eq!(selection.removed_units[0], expected, "amount {amount}");
        let kept: Vec<bool> = (0..5).map(|o| !expected.contains(&o)).collect();
        assert_eq!(kept_units(&layouts[0], &selection.masks[0]), kept);
        // Whole units: both entries of a pruned unit are masked.
        for &o in expected {
            assert_eq!(selection.masks[0][2 * o..2 * o + 2], [false, false]);
        }
        assert_eq!(
            selection.guarded.is_empty(),
            amount < 1.0,
            "amount {amount}"
        );
    }
    // Ties by index: norms [0.2, 0.2, 0.2, 0.9], amount 0.5 → units 0 and 1.
    let tie = structured::prune_units_by_amount(
        &[layout(0, 4, 1)],
        &[vec![true; 4]],
        &[vec![0.2, 0.2, 0.2, 0.9]],
        0.5,
        Scope::Layer,
        &[],
    )
    .expect("valid");
    assert_eq!(tie.masks[0], [false, false, true, true]);
}

#[test]
fn iterated_structured_pruning_counts_only_kept_units() {
    let layouts = [layout(0, 5, 2)];
    let norms = vec![vec![0.3, 0.1, 0.5, 0.1, 0.2]];
    // Units 1 and 3 pruned; unit 0 only half pruned (still a kept unit, as torch counts it).
    let mut mask = vec![true; 10];
    mask[1] = false;
    mask[2..4].fill(false);
    mask[6..8].fill(false);
    // 3 kept units, amount 0.5: round(1.5) = 2 → 0.2 (unit 4) and 0.3 (unit 0).
    let selection =
        structured::prune_units_by_amount(&layouts, &[mask], &norms, 0.5, Scope::Layer, &[])
            .expect("valid");
    assert_eq!(selection.removed_units[0], [0, 4]);
    assert_eq!(
        kept_units(&layouts[0], &selection.masks[0]),
        [false, false, true, false, false]
    );
}

#[test]
fn global_unit_scope_pools_layers_and_guards_the_last_unit() {
    let layouts = [layout(0, 3, 1), layout(1, 2, 3)];
    let masks = vec![vec![true; 3], vec![true; 6]];
    let norms = vec![vec![0.3, 0.1, 0.5], vec![0.05, 0.9]];
    // amount 0.4 of 5 units = 2: t1 unit 0 (0.05), t0 unit 1 (0.1).
    let two = structured::prune_units_by_amount(&layouts, &masks, &norms, 0.4, Scope::Global, &[])
        .expect("valid");
    assert_eq!(two.removed_units, vec![vec![1], vec![0]]);
    assert_eq!(two.masks[1], [false, false, false, true, true, true]);
    // amount 0.8 = 4: 0.05, 0.1, 0.3 go; 0.5 and 0.9 are each the last unit of their layer.
    let four = structured::prune_units_by_amount(&layouts, &masks, &norms, 0.8, Scope::Global, &[])
        .expect("valid");
    assert_eq!(four.removed_units, vec![vec![0, 1], vec![0]]);
    assert_eq!(four.guarded, vec![0, 1]);
    // Skipping tensor 1 (say, the output layer): the amount applies to t0's 3 units alone.
    let skip = structured::prune_units_by_amount(
        &layouts,
        &masks,
        &norms,
        0.4,
        Scope::Global,
        &[false, true],
    )
    .expect("valid");
    assert_eq!(skip.removed_units, vec![vec![1], vec![]]); // round(1.2) = 1
                                                           // Bad amounts are refused with the field named.
    let error = structured::prune_units_by_amount(&layouts, &masks, &norms, 1.5, Scope::Layer, &[])
        .expect_err("amount > 1");
    assert!(error.to_string().contains("amount"), "{error}");
}

#[test]
fn removed_units_mask_the_next_layers_inputs() {
    // conv → conv → pool → dense: input 1×5×5, conv 3×2×2 → [3,4,4], conv 2×2×2 → [2,3,3],
    // pool 3 → [2,1,1], dense 10. And dense → dense in the MLP.
    let spec = ArchSpec {
        input: Shape::new(1, 5, 5),
        layers: vec![
            LayerSpec::Conv {
                filters: 3,
                kernel: 2,
            },
            LayerSpec::Conv {
                filters: 2,
                kernel: 2,
            },
            LayerSpec::MaxPool { size: 3 },
            LayerSpec::Dense { units: 10 },
        ],
    };
    let network = Network::new(&spec).expect("valid spec");
    let layouts = units::layouts(&network);
    let mut masks: Vec<Vec<bool>> = network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    masks[0][4..8].fill(false); // conv1 filter 1
    masks[1][12..24].fill(false); // conv2 filter 1 (of [2, 3, 2, 2]: 12 entries per filter)
    let propagated = structured::mask_consumer_inputs(&layouts, &masks);
    // conv2 reads conv1's channel 1 at W2[f, 1, :, :] = entries f·12 + 4 .. f·12 + 8.
    let mut conv2 = vec![true; 24];
    conv2[4..8].fill(false);
    conv2[12..24].fill(false);
    assert_eq!(propagated[1], conv2);
    // The dense layer reads conv2's channel 1 (1×1 after pooling) at in-feature 1 of each row.
    let dense: Vec<bool> = (0..20).map(|i| i % 2 == 0).collect();
    assert_eq!(propagated[2], dense);
    assert_eq!(propagated[0], masks[0], "the producer itself is unchanged");

    // dense → dense: pruning fc1 row 0 masks fc2 column 0.
    let mlp = mlp();
    let mlp_layouts = units::layouts(&mlp);
    let masks = vec![vec![false, false, true, true], vec![true; 20]];
    let propagated = structured::mask_consumer_inputs(&mlp_layouts, &masks);
    let column_0: Vec<bool> = (0..20).map(|i| i % 2 == 1).collect();
    assert_eq!(propagated[1], column_0);
}

// ---------------------------------------------------------------------------------------------
// Cosine redundancy

/// input 1×1×3 → dense 4 → ReLU → dense 10, with hand-made fc1 rows and fc2 = k + 0.1·j.
fn cosine_network(fc1: [[f32; 3]; 4]) -> Network {
    let spec = ArchSpec {
        input: Shape::new(1, 1, 3),
        layers: vec![
            LayerSpec::Dense { units: 4 },
            LayerSpec::Relu,
            LayerSpec::Dense { units: 10 },
        ],
    };
    let mut network = Network::new(&spec).expect("valid spec");
    let fc2: Vec<f32> = (0..40)
        .map(|i| (i / 4) as f32 + 0.1 * (i % 4) as f32)
        .collect();
    let mut weights = network.params_mut().filter(|p| p.is_weight);
    weights.next().expect("fc1.weight").value = fc1.concat();
    weights.next().expect("fc2.weight").value = fc2;
    drop(weights);
    network
}

/// Rows u0 = [1, 0, 0] (‖·‖ 1), u1 = [2, 0.1, 0] (‖·‖ √4.01 ≈ 2.0025), u2 = [0, 1, 1] (√2),
/// u3 = [0, 0.5, 0.6] (√0.61 ≈ 0.7810). Cosines: (0,1) = 2/2.0025 = 0.99875,
/// (2,3) = 1.1/(√2·0.7810) = 0.99589, (1,2) = 0.1/(2.0025·√2) = 0.0353,
/// (1,3) = 0.05/(2.0025·0.7810) = 0.0320, (0,2) = (0,3) = 0.
const REDUNDANT_ROWS: [[f32; 3]; 4] = [
    [1.0, 0.0, 0.0],
    [2.0, 0.1, 0.0],
    [0.0, 1.0, 1.0],
    [0.0, 0.5, 0.6],
];

#[test]
fn cosine_greedy_removes_the_smaller_of_the_most_similar_pair() {
    let network = cosine_network(REDUNDANT_ROWS);
    let before = snapshot(&network);
    let layouts = units::layouts(&network);
    let weights = prunable_values(&network);
    let steps = cosine::greedy_removals(&weights[0], &layouts[0], &[true; 4], 3);
    // Step 1: pair (0,1), u0 is smaller → removed, twin u1, scale 1/2.0025.
    // Step 2: pair (2,3), u3 is smaller → removed, twin u2, scale 0.7810/√2 = 0.5523.
    // Step 3: only (1,2) left (0.0353): u2 (√2 < 2.0025) goes; u1 survives.
    let order: Vec<(usize, usize)> = steps.iter().map(|s| (s.removed, s.twin)).collect();
    assert_eq!(order, [(0, 1), (3, 2), (2, 1)]);
    let expected = [(0.99875, 0.49938), (0.99589, 0.55227), (0.03531, 0.70622)];
    for (step, (similarity, scale)) in steps.iter().zip(expected) {
        assert!((step.similarity - similarity).abs() < 1e-4, "{step:?}");
        assert!((step.scale - scale).abs() < 1e-4, "{step:?}");
    }
    // As scores: removal step r of 4 scores (r+1)/4, the survivor 1, spread over the row.
    let mut network = network;
    let scores = Strategy::Cosine
        .scores(&mut network, &context(&pixel_dataset(), &[], 1))
        .expect("data-free");
    let row_scores: Vec<f32> = scores[0].chunks(3).map(|row| row[0]).collect();
    assert_eq!(row_scores, [0.25, 1.0, 0.75, 0.5]);
    assert!(scores[0]
        .chunks(3)
        .all(|row| row.iter().all(|&s| s == row[0])));
    assert!(Strategy::Cosine.is_structured());
    assert_eq!(snapshot(&network), before, "scoring changes nothing");
}

#[test]
fn cosine_removal_masks_rows_and_outgoing_columns_without_folding() {
    let mut network = cosine_network(REDUNDANT_ROWS);
    let fc2_before = prunable_values(&network)[1].clone();
    // Two removals in fc1 (u0 then u3); fc2 (the output layer) skipped.
    let steps = cosine::remove_redundant_units(&mut network, 2, &[false, true], false);
    assert_eq!(steps.len(), 2);
    let masks: Vec<Vec<bool>> = network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    let rows: Vec<bool> = (0..12).map(|i| ![0, 3].contains(&(i / 3))).collect();
    assert_eq!(masks[0], rows);
    let columns: Vec<bool> = (0..40).map(|i| ![0, 3].contains(&(i % 4))).collect();
    assert_eq!(masks[1], columns);
    // Kept fc2 weights untouched, pruned ones exactly 0.
    let fc2 = &prunable_values(&network)[1];
    for i in 0..40 {
        let expected = if columns[i] { fc2_before[i] } else { 0.0 };
        assert_eq!(fc2[i], expected, "fc2 entry {i}");
    }
}

#[test]
fn cosine_folding_keeps_the_output_of_an_exact_duplicate() {
    // u1 = 2·u0 exactly and all biases 0: relu(u0·x) = ½·relu(u1·x), so folding u0 into u1 with
    // scale ‖u0‖/‖u1‖ = 0.5 leaves every logit unchanged.
    let rows = [
        [1.0, -2.0, 0.5],
        [2.0, -4.0, 1.0],
        [0.0, 1.0, 1.0],
        [1.0, 1.0, -3.0],
    ];
    let mut network = cosine_network(rows);
    let inputs = [0.3, -0.2, 0.9, -1.0, 0.5, 0.1, 0.7, 0.7, -0.4];
    let before = network.infer(&inputs, 3).to_vec();
    let steps = cosine::remove_redundant_units(&mut network, 1, &[false, true], true);
    assert_eq!((steps[0].removed, steps[0].twin), (0, 1));
    assert!((steps[0].similarity - 1.0).abs() < 1e-6 && (steps[0].scale - 0.5).abs() < 1e-6);
    // fc2 column 1 took over column 0: W2[k][1] = (k + 0.1) + 0.5·k.
    let fc2 = &prunable_values(&network)[1];
    for k in 0..10 {
        let expected = k as f32 + 0.1 + 0.5 * k as f32;
        assert!((fc2[4 * k + 1] - expected).abs() < 1e-5, "row {k}");
        assert_eq!(fc2[4 * k], 0.0);
    }
    let after = network.infer(&inputs, 3).to_vec();
    for (a, b) in after.iter().zip(&before) {
        assert!((a - b).abs() < 1e-4, "logit {a} vs {b}");
    }
    // Without folding the output changes: the check above is not vacuous.
    let mut unfolded = cosine_network(rows);
    cosine::remove_redundant_units(&mut unfolded, 1, &[false, true], false);
    let changed = unfolded.infer(&inputs, 3).to_vec();
    assert!(changed
        .iter()
        .zip(&before)
        .any(|(a, b)| (a - b).abs() > 1e-2));
}
