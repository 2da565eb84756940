//! Training-step throughput on random inputs, dense and at fixed sparsities, without the dataset or
//! the CLI, so it also runs as WebAssembly under Node (wasm32-wasip1) to measure the wasm kernels:
//!
//! ```sh
//! RUSTFLAGS="-C target-feature=+simd128" cargo build --release --example train_probe --target wasm32-wasip1
//! node --no-liftoff scripts/run-wasi.mjs target/wasm32-wasip1/release/examples/train_probe.wasm
//! ```
//! (`--no-liftoff`: a long-running `main` never leaves V8's baseline tier; the browser's worker calls
//! short exports repeatedly and gets the optimised code.) `SPARSITY=0.9` measures one level only,
//! `NETWORK=default` one network.

use std::time::Instant;

use prunelab::nn::loss::softmax_cross_entropy;
use prunelab::nn::optimizer::{OptimizerKind, OptimizerSettings};
use prunelab::nn::{ArchSpec, Network, Optimizer};
use prunelab::train::seeded_rng;
use rand::Rng;

fn main() {
    let only: Option<f64> = std::env::var("SPARSITY").ok().and_then(|s| s.parse().ok());
    let levels = [0.0, 0.5, 0.75, 0.9, 0.95];
    let network_filter = std::env::var("NETWORK").ok();
    for (name, spec) in [
        ("default", ArchSpec::default_cnn()),
        ("reference", ArchSpec::reference()),
    ] {
        if network_filter.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        for &sparsity in levels.iter().filter(|&&s| only.is_none_or(|o| o == s)) {
            let mut rng = seeded_rng(1, 1);
            let mut network = Network::seeded(&spec, &mut rng).expect("preset is valid");
            for param in network.params_mut().filter(|p| p.is_prunable()) {
                let keep = (0..param.len())
                    .map(|_| rng.gen::<f64>() >= sparsity)
                    .collect();
                param.set_mask(keep);
            }
            let mut optimizer =
                Optimizer::new(OptimizerSettings::new(OptimizerKind::Sgd), &network);
            let batch = 32;
            let input: Vec<f32> = (0..batch * 784).map(|_| rng.gen_range(-0.4..2.8)).collect();
            let labels: Vec<u8> = (0..batch).map(|i| (i % 10) as u8).collect();
            let mut grad = vec![0.0; batch * 10];
            let mut run = |steps: usize| {
                let started = Instant::now();
                for _ in 0..steps {
                    let logits = network.forward(&input, batch, None);
                    softmax_cross_entropy(logits, &labels, 10, Some(&mut grad));
                    network.zero_grad();
                    network.backward(&grad, batch);
                    optimizer.step(&mut network, 0.01);
                }
                (steps * batch) as f64 / started.elapsed().as_secs_f64()
            };
            run(20);
            let mut rates = [run(100), run(100), run(100)];
            rates.sort_by(f64::total_cmp);
            // Inference as the test-set evaluation runs it: 2,000 images in chunks of 128.
            let eval_input: Vec<f32> = (0..128 * 784).map(|_| rng.gen_range(-0.4..2.8)).collect();
            let mut evaluate = || {
                let started = Instant::now();
                for chunk in 0..16 {
                    let count = if chunk == 15 { 2000 - 15 * 128 } else { 128 };
                    network.infer(&eval_input, count);
                }
                started.elapsed().as_secs_f64() * 1e3
            };
            evaluate(); // the first pass grows the buffers to 128 images
            let eval_ms = evaluate();
            println!(
                "{name:<10} sparsity {:>3.0}%: {:>6.0} training samples/s, 2,000 test images in {eval_ms:.1} ms",
                sparsity * 100.0,
                rates[1]
            );
        }
    }
}
