//! The fused conv → ReLU → max-pool stage (one pass forward, maxima recorded on the convolution's
//! input grid, backward in rounds straight from the pooled gradient) against the same function
//! built so that nothing fuses: conv → max-pool → ReLU (`relu(max(x)) = max(relu(x))`), which runs
//! each layer's own forward and backward. Odd sizes on purpose: 3×3 pooling, pooling that drops a
//! row and a column, a batch of 5 (rounds of 4 and 1), sparse and dense masks.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::nn::loss::softmax_cross_entropy;
use prunelab::nn::{ArchSpec, LayerSpec, Network, Shape};
use prunelab::train::seeded_rng;
use rand::Rng;

/// Input 13×13 → conv 3×2×2 [3,12,12] → pool 3 [3,4,4] → conv 4×2×2 [4,3,3] → pool 2 [4,1,1]
/// (the last row and column dropped) → dense 10. `fused`: ReLU before each pooling, else after.
fn spec(fused: bool) -> ArchSpec {
    let stage = |filters, kernel, size| {
        let (conv, pool) = (
            LayerSpec::Conv { filters, kernel },
            LayerSpec::MaxPool { size },
        );
        if fused {
            vec![conv, LayerSpec::Relu, pool]
        } else {
            vec![conv, pool, LayerSpec::Relu]
        }
    };
    ArchSpec {
        input: Shape::new(1, 13, 13),
        layers: [
            stage(3, 2, 3),
            stage(4, 2, 2),
            vec![LayerSpec::Dense { units: 10 }],
        ]
        .concat(),
    }
}

/// Logits and every parameter gradient after one forward and backward pass.
fn run(network: &mut Network, input: &[f32], labels: &[u8]) -> (Vec<f32>, Vec<Vec<f32>>) {
    let logits = network.forward(input, labels.len(), None).to_vec();
    let mut grad = vec![0.0; logits.len()];
    softmax_cross_entropy(&logits, labels, 10, Some(&mut grad));
    network.zero_grad();
    network.backward(&grad, labels.len());
    (logits, network.params().map(|p| p.grad.clone()).collect())
}

#[test]
fn fused_stage_matches_the_unfused_layers() {
    for sparsity in [0.0, 0.6, 0.9] {
        let mut rng = seeded_rng(11, 3);
        let mut fused = Network::seeded(&spec(true), &mut rng).unwrap();
        for param in fused.params_mut().filter(|p| p.is_prunable()) {
            let keep = (0..param.len())
                .map(|_| rng.gen::<f64>() >= sparsity)
                .collect();
            param.set_mask(keep);
        }
        let mut layered = Network::new(&spec(false)).unwrap();
        for (to, from) in layered.params_mut().zip(fused.params()) {
            to.value.copy_from_slice(&from.value);
            if let Some(mask) = from.mask() {
                to.set_mask(mask.to_vec());
            }
        }
        let labels = [3u8, 1, 4, 1, 5];
        let input: Vec<f32> = (0..labels.len() * 169)
            .map(|_| rng.gen_range(-1.0..1.0))
            .collect();
        let (fused_logits, fused_grads) = run(&mut fused, &input, &labels);
        let (layered_logits, layered_grads) = run(&mut layered, &input, &labels);
        assert_eq!(
            fused_logits, layered_logits,
            "the same arithmetic forward ({sparsity})"
        );
        let names: Vec<String> = fused.params().map(|p| p.name.clone()).collect();
        for ((name, got), want) in names.iter().zip(&fused_grads).zip(&layered_grads) {
            // At 90% pruned, a layer can be cut off from the loss (its few kept weights lead only
            // to pruned ones): a zero gradient is then right, and both sides must agree on it.
            if sparsity < 0.9 {
                assert!(
                    got.iter().any(|&g| g != 0.0),
                    "{name} has some gradient ({sparsity})"
                );
            }
            for (i, (g, w)) in got.iter().zip(want).enumerate() {
                // The same products; only the order of the sums differs.
                assert!(
                    (g - w).abs() <= 1e-5 * (1.0 + w.abs()),
                    "{name}[{i}] at sparsity {sparsity}: fused {g}, layered {w}"
                );
            }
        }
    }
}
