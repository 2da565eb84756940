use prunelab::nn::gemm::{gemm, Op};
use std::time::Instant;

fn main() {
    for (name, op_a, op_b, m, n, k) in [
        ("conv1 fwd", Op::Plain, Op::Plain, 8, 576, 25),
        ("conv2 fwd", Op::Plain, Op::Plain, 16, 64, 200),
        ("conv2 dW", Op::Plain, Op::Transposed, 16, 200, 64),
        ("conv2 dcols", Op::Transposed, Op::Plain, 200, 64, 16),
        ("conv1 dW", Op::Plain, Op::Transposed, 8, 25, 576),
        ("big", Op::Plain, Op::Plain, 256, 256, 256),
    ] {
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.73).cos()).collect();
        let mut c = vec![0.0; m * n];
        let reps = (200_000_000 / (m * n * k)).max(10);
        let t = Instant::now();
        for _ in 0..reps {
            gemm(op_a, op_b, m, n, k, &a, &b, 1.0, &mut c);
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name:12} {:6.2} GFLOP/s",
            2.0 * (m * n * k * reps) as f64 / secs / 1e9
        );
    }
}
