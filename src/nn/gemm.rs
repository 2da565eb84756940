//! Matrix multiply on row-major slices: `C = op(A)·op(B) + beta·C`.
//!
//! `op(X)` is `X` or its transpose. Shapes: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n.
//! Natively this is ndarray's `general_mat_mul` (the matrixmultiply crate's cache-blocked kernels,
//! with AVX/FMA chosen at run time). The layers call only this function, so a faster kernel
//! (e.g. wasm SIMD128) can be swapped in without touching them.

#[cfg(not(target_arch = "wasm32"))]
use ndarray::{linalg::general_mat_mul, ArrayView2, ArrayViewMut2};

/// Whether an operand is used as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Plain,
    Transposed,
}

/// `c = op(a)·op(b) + beta·c` with `op(a)`: m×k, `op(b)`: k×n, `c`: m×n, all row-major.
pub fn gemm(
    op_a: Op,
    op_b: Op,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    debug_assert_eq!(a.len(), m * k);
    debug_assert_eq!(b.len(), k * n);
    debug_assert_eq!(c.len(), m * n);
    // WebAssembly: matrixmultiply has no SIMD kernels there; the packed kernel vectorises with simd128.
    #[cfg(target_arch = "wasm32")]
    {
        super::gemm_blocked::gemm(op_a, op_b, m, n, k, a, b, beta, c)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        native_gemm(op_a, op_b, m, n, k, a, b, beta, c)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn native_gemm(
    op_a: Op,
    op_b: Op,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    let a = view(op_a, m, k, a);
    let b = view(op_b, k, n, b);
    let mut c = ArrayViewMut2::from_shape((m, n), c).expect("c has m×n elements");
    general_mat_mul(1.0, &a, &b, beta, &mut c);
}

/// A rows×cols view of `data`, which stores the matrix as given by `op`.
#[cfg(not(target_arch = "wasm32"))]
fn view(op: Op, rows: usize, cols: usize, data: &[f32]) -> ArrayView2<'_, f32> {
    match op {
        Op::Plain => {
            ArrayView2::from_shape((rows, cols), data).expect("matrix has rows×cols elements")
        }
        Op::Transposed => ArrayView2::from_shape((cols, rows), data)
            .expect("matrix has rows×cols elements")
            .reversed_axes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(op_a: Op, op_b: Op, m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
        let at = |i: usize, p: usize| match op_a {
            Op::Plain => a[i * k + p],
            Op::Transposed => a[p * m + i],
        };
        let bt = |p: usize, j: usize| match op_b {
            Op::Plain => b[p * n + j],
            Op::Transposed => b[j * k + p],
        };
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| at(i, p) * bt(p, j)).sum();
            }
        }
        c
    }

    #[test]
    fn blocked_kernel_matches_naive_product_on_ragged_sizes() {
        for (m, n, k) in [
            (1, 1, 1),
            (3, 5, 4),
            (4, 8, 300),
            (9, 17, 25),
            (20, 64, 250),
            (10, 7, 513),
        ] {
            let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.73).cos()).collect();
            for op_a in [Op::Plain, Op::Transposed] {
                for op_b in [Op::Plain, Op::Transposed] {
                    let expected = naive(op_a, op_b, m, n, k, &a, &b);
                    for beta in [0.0, 1.0] {
                        let mut c = vec![1.0; m * n];
                        super::super::gemm_blocked::gemm(op_a, op_b, m, n, k, &a, &b, beta, &mut c);
                        for (got, want) in c.iter().zip(&expected) {
                            let want = want + beta;
                            assert!(
                                (got - want).abs() < 1e-3 * (1.0 + want.abs()),
                                "{m}x{n}x{k} {op_a:?} {op_b:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn matches_naive_product_for_every_transpose_combination() {
        let (m, n, k) = (3, 5, 4);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.73).cos()).collect();
        for op_a in [Op::Plain, Op::Transposed] {
            for op_b in [Op::Plain, Op::Transposed] {
                let expected = naive(op_a, op_b, m, n, k, &a, &b);
                let mut c = vec![1.0; m * n];
                gemm(op_a, op_b, m, n, k, &a, &b, 1.0, &mut c);
                for (got, want) in c.iter().zip(&expected) {
                    assert!((got - (want + 1.0)).abs() < 1e-5, "{op_a:?} {op_b:?}");
                }
            }
        }
    }
}
