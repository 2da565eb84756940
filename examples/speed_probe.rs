use prunelab::nn::loss::softmax_cross_entropy;
use prunelab::nn::optimizer::{OptimizerKind, OptimizerSettings};
use prunelab::nn::{ArchSpec, Network, Optimizer};
use prunelab::train::seeded_rng;
use rand::Rng;
use std::time::Instant;

fn main() {
    for (name, spec) in [
        ("reference", ArchSpec::reference()),
        ("default", ArchSpec::default_cnn()),
    ] {
        let only: Option<f64> = std::env::var("SPARSITY").ok().and_then(|s| s.parse().ok());
        for sparsity in [0.0, 0.5, 0.75, 0.9, 0.95]
            .into_iter()
            .filter(|s| only.is_none_or(|o| o == *s))
        {
            let mut rng = seeded_rng(1, 1);
            let mut net = Network::seeded(&spec, &mut rng).unwrap();
            for p in net.params_mut() {
                if p.is_prunable() {
                    let m: Vec<bool> = (0..p.len()).map(|_| rng.gen::<f64>() >= sparsity).collect();
                    p.set_mask(m);
                }
            }
            let mut opt = Optimizer::new(OptimizerSettings::new(OptimizerKind::Sgd), &net);
            let batch = 32;
            let input: Vec<f32> = (0..batch * 784).map(|_| rng.gen_range(-0.4..2.8)).collect();
            let labels: Vec<u8> = (0..batch).map(|i| (i % 10) as u8).collect();
            let mut grad = vec![0.0; batch * 10];
            let mut run = |n: usize| {
                let t = Instant::now();
                for _ in 0..n {
                    let logits = net.forward(&input, batch, None);
                    softmax_cross_entropy(logits, &labels, 10, Some(&mut grad));
                    net.zero_grad();
                    net.backward(&grad, batch);
                    opt.step(&mut net, 0.01);
                }
                (n * batch) as f64 / t.elapsed().as_secs_f64()
            };
            run(20);
            println!("{name} {sparsity}: {:.0} samples/s", run(200));
        }
    }
}
