//! Time per layer operation of one training step (batch 32), dense, to see where the time goes.
//! Runs natively and as wasm32-wasip1 under Node (see examples/train_probe.rs for the commands).
use prunelab::nn::conv2d::Conv2d;
use prunelab::nn::spec::Shape;
use std::time::Instant;

fn time(name: &str, reps: usize, mut f: impl FnMut()) {
    f();
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / reps as f64;
    println!("{name:28} {us:8.1} µs per batch of 32");
}

fn main() {
    let batch = 32;
    let sparsity: f64 = std::env::var("SPARSITY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    for (name, input, filters, kernel) in [
        ("ref conv1", Shape::new(1, 28, 28), 8, 5),
        ("ref conv2", Shape::new(8, 12, 12), 16, 5),
        ("default conv2", Shape::new(10, 12, 12), 20, 3),
    ] {
        let mut conv = Conv2d::new("c", input, filters, kernel);
        for (i, w) in conv.weight.value.iter_mut().enumerate() {
            *w = ((i as f32) * 0.37).sin() * 0.2;
        }
        let keep = (0..conv.weight.len())
            .map(|i| ((i * 7919) % 1000) as f64 / 1000.0 >= sparsity)
            .collect();
        conv.weight.set_mask(keep);
        let x: Vec<f32> = (0..batch * input.len() + 8)
            .map(|i| ((i as f32) * 0.11).cos())
            .collect();
        let mut y = vec![0.0; batch * conv.output.len()];
        // A gradient as ReLU + 2×2 max-pool leave it: one nonzero per 2×2 window, about half of them zero.
        let dy: Vec<f32> = (0..y.len())
            .map(|i| {
                let (r, c) = (
                    (i / conv.output.width) % conv.output.height,
                    i % conv.output.width,
                );
                if r % 2 == 0 && c % 2 == 1 && (i / 7) % 2 == 0 {
                    0.01
                } else {
                    0.0
                }
            })
            .collect();
        let mut dx = vec![0.0; batch * input.len()];
        time(&format!("{name} forward"), 200, || {
            conv.forward(&x, &mut y, batch)
        });
        time(&format!("{name} backward dW"), 200, || {
            conv.backward(&x, &dy, None, batch)
        });
        time(&format!("{name} backward dW+dx"), 200, || {
            conv.backward(&x, &dy, Some(&mut dx), batch)
        });
    }
}
