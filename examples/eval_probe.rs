//! Inference time per image for the presets by chunk size (2,000 images, best of 15). Runs natively
//! and as wasm32-wasip1 under Node (see examples/train_probe.rs for the commands).
use prunelab::nn::{ArchSpec, Network};
use prunelab::train::seeded_rng;
use rand::Rng;
use std::time::Instant;

fn main() {
    for (name, spec) in [
        ("default", ArchSpec::default_cnn()),
        ("reference", ArchSpec::reference()),
    ] {
        let mut rng = seeded_rng(1, 1);
        let mut network = Network::seeded(&spec, &mut rng).expect("preset");
        for chunk in [32usize, 128] {
            let input: Vec<f32> = (0..chunk * 784).map(|_| rng.gen_range(-0.4..2.8)).collect();
            let mut best = f64::MAX;
            for _ in 0..15 {
                let started = Instant::now();
                let mut done = 0;
                while done < 2000 {
                    let count = chunk.min(2000 - done);
                    network.infer(&input, count);
                    done += count;
                }
                best = best.min(started.elapsed().as_secs_f64() * 1e3);
            }
            println!("{name:<10} chunk {chunk:>4}: 2,000 images in {best:.1} ms (best of 15)");
        }
    }
}
