//! Forward time of the default network's 3×3 layer (10×12×12 → 20×10×10), direct kernel against
//! Winograd, by sparsity: where the direct kernel (cost ∝ kept taps) overtakes Winograd (fixed cost).
//! Runs natively and as wasm32-wasip1 under Node (see examples/train_probe.rs for the commands);
//! the checksum of the outputs' bits it ends with must be the same on both (the inputs are made
//! with integer arithmetic, not sin/cos, whose last bits differ between libms).
use prunelab::nn::conv2d::Conv2d;
use prunelab::nn::spec::Shape;
use std::time::Instant;

/// Best of 7 runs of `reps` calls, in µs per call.
fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::MAX;
    for _ in 0..7 {
        let started = Instant::now();
        for _ in 0..reps {
            f();
        }
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / reps as f64);
    }
    best
}

fn main() {
    let input = Shape::new(10, 12, 12);
    let mut checksum = 0xcbf2_9ce4_8422_2325u64;
    println!("sparsity  direct  winograd  (µs per batch of 32)");
    for sparsity in [0.0, 0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9] {
        let mut conv = Conv2d::new("conv2", input, 20, 3);
        for (i, w) in conv.weight.value.iter_mut().enumerate() {
            *w = ((i as u64 * 7919) % 401) as f32 / 1000.0 - 0.2;
        }
        let keep = (0..conv.weight.len())
            .map(|i| ((i * 7919) % 1000) as f64 / 1000.0 >= sparsity)
            .collect();
        conv.weight.set_mask(keep);
        let batch = 32;
        let x: Vec<f32> = (0..batch * input.len())
            .map(|i| ((i as u64 * 104_729) % 2003) as f32 / 1000.0 - 1.0)
            .collect();
        let mut y = vec![0.0; batch * conv.output.len()];
        if sparsity == 0.3 {
            conv.winograd_min_kept = 0.0;
            conv.forward(&x, &mut y, batch);
            checksum = y.iter().fold(checksum, |sum, v| {
                (sum ^ u64::from(v.to_bits())).wrapping_mul(0x100_0000_01b3)
            });
        }
        let mut row = Vec::new();
        for min_kept in [2.0, 0.0] {
            conv.winograd_min_kept = min_kept;
            row.push(time(200, || conv.forward(&x, &mut y, batch)));
        }
        println!(
            "{:>7.1}%  {:>6.1}  {:>8.1}",
            sparsity * 100.0,
            row[0],
            row[1]
        );
    }
    println!("Winograd output checksum (30% pruned): {checksum:016x}");
}
