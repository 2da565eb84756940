//! A packed, register-blocked matrix multiply in portable Rust, written so LLVM vectorises its
//! inner tile: used for WebAssembly (built with `+simd128`, where the 8-wide rows become pairs of
//! `f32x4`), where ndarray's matrixmultiply has no SIMD kernels. Natively, `gemm` uses matrixmultiply.
//!
//! `C = op(A)·op(B) + beta·C`, `op(A)`: m×k, `op(B)`: k×n, `C`: m×n, row-major.
//! Both operands are first packed into panels (A: `MR` rows, column-major within the panel;
//! B: `NR` columns, row-major within the panel), padded with zeros, so the micro-kernel reads
//! both contiguously whatever the transposes, and computes one `MR × NR` tile in registers.

use std::cell::RefCell;

use super::gemm::Op;

const MR: usize = 4;
const NR: usize = 8;
/// Depth of one block of k, so a packed B panel block stays in L1 (NR × KC × 4 bytes = 8 KiB).
const KC: usize = 256;

thread_local! {
    static PACKED: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

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
    if beta == 0.0 {
        c[..m * n].fill(0.0);
    } else if beta != 1.0 {
        c[..m * n].iter_mut().for_each(|v| *v *= beta);
    }
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    PACKED.with(|packed| {
        let (packed_a, packed_b) = &mut *packed.borrow_mut();
        let (m_panels, n_panels) = (m.div_ceil(MR), n.div_ceil(NR));
        for k0 in (0..k).step_by(KC) {
            let kc = KC.min(k - k0);
            pack_a(op_a, m, k, a, k0, kc, m_panels, packed_a);
            pack_b(op_b, n, k, b, k0, kc, n_panels, packed_b);
            for jp in 0..n_panels {
                let b_panel = &packed_b[jp * kc * NR..(jp + 1) * kc * NR];
                for ip in 0..m_panels {
                    let a_panel = &packed_a[ip * kc * MR..(ip + 1) * kc * MR];
                    let tile = micro_kernel(a_panel, b_panel);
                    store(&tile, c, n, ip * MR, jp * NR, m, n);
                }
            }
        }
    });
}

/// One MR × NR tile: `Σ_p a[p][r] · b[p][c]` over the packed panels.
#[inline(always)]
fn micro_kernel(a_panel: &[f32], b_panel: &[f32]) -> [[f32; NR]; MR] {
    let mut acc = [[0.0f32; NR]; MR];
    for (a, b) in a_panel.chunks_exact(MR).zip(b_panel.chunks_exact(NR)) {
        let b: &[f32; NR] = b.try_into().expect("NR wide");
        for r in 0..MR {
            let a_r = a[r];
            for c in 0..NR {
                acc[r][c] += a_r * b[c];
            }
        }
    }
    acc
}

fn store(
    tile: &[[f32; NR]; MR],
    c: &mut [f32],
    ldc: usize,
    row: usize,
    col: usize,
    m: usize,
    n: usize,
) {
    let rows = MR.min(m - row);
    let cols = NR.min(n - col);
    for r in 0..rows {
        let out = &mut c[(row + r) * ldc + col..(row + r) * ldc + col + cols];
        for (o, &v) in out.iter_mut().zip(&tile[r][..cols]) {
            *o += v;
        }
    }
}

/// Packs rows of op(A) (m×k) for depths k0..k0+kc into MR-row panels, zero-padded.
fn pack_a(
    op: Op,
    m: usize,
    k: usize,
    a: &[f32],
    k0: usize,
    kc: usize,
    panels: usize,
    out: &mut Vec<f32>,
) {
    out.clear();
    out.resize(panels * kc * MR, 0.0);
    for ip in 0..panels {
        let panel = &mut out[ip * kc * MR..(ip + 1) * kc * MR];
        for r in 0..MR.min(m - ip * MR) {
            let i = ip * MR + r;
            for p in 0..kc {
                panel[p * MR + r] = match op {
                    Op::Plain => a[i * k + k0 + p],
                    Op::Transposed => a[(k0 + p) * m + i],
                };
            }
        }
    }
}

/// Packs columns of op(B) (k×n) for depths k0..k0+kc into NR-column panels, zero-padded.
fn pack_b(
    op: Op,
    n: usize,
    k: usize,
    b: &[f32],
    k0: usize,
    kc: usize,
    panels: usize,
    out: &mut Vec<f32>,
) {
    out.clear();
    out.resize(panels * kc * NR, 0.0);
    for jp in 0..panels {
        let panel = &mut out[jp * kc * NR..(jp + 1) * kc * NR];
        let cols = NR.min(n - jp * NR);
        for p in 0..kc {
            let row = &mut panel[p * NR..p * NR + cols];
            match op {
                Op::Plain => {
                    let start = (k0 + p) * n + jp * NR;
                    row.copy_from_slice(&b[start..start + cols]);
                }
                Op::Transposed => {
                    for (c, v) in row.iter_mut().enumerate() {
                        *v = b[(jp * NR + c) * k + k0 + p];
                    }
                }
            }
        }
    }
}
