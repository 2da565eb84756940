//! A 4-lane f32 vector for the convolution kernels: wasm SIMD128 `f32x4` in the browser (built
//! with `+simd128`), SSE `__m128` natively on x86-64 (always present there), plain arrays elsewhere.
//!
//! Loads and stores are unaligned. They take raw pointers: the kernels check once per call that
//! every index they touch is inside their buffers (see `conv.rs`), not once per lane.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f32x4_add, f32x4_mul, f32x4_splat, f32x4_sub, i32x4_shuffle, u64x2_extract_lane, v128,
        v128_load, v128_store,
    };

    #[derive(Clone, Copy)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(value: f32) -> Self {
            F4(f32x4_splat(value))
        }

        /// # Safety
        /// `at .. at + 4` must be readable.
        #[inline(always)]
        pub unsafe fn load(at: *const f32) -> Self {
            // SAFETY: the caller guarantees 16 readable bytes; v128.load has no alignment requirement.
            F4(unsafe { v128_load(at.cast::<v128>()) })
        }

        /// # Safety
        /// `at .. at + 4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, at: *mut f32) {
            // SAFETY: as for `load`.
            unsafe { v128_store(at.cast::<v128>(), self.0) }
        }

        /// `self + a · b` (two instructions: wasm SIMD has no fused multiply-add).
        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> Self {
            F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }

        #[inline(always)]
        pub fn add(self, other: F4) -> Self {
            F4(f32x4_add(self.0, other.0))
        }

        #[inline(always)]
        pub fn sub(self, other: F4) -> Self {
            F4(f32x4_sub(self.0, other.0))
        }

        /// Rows of a 4×4 matrix to its columns.
        #[inline(always)]
        pub fn transpose(rows: [F4; 4]) -> [F4; 4] {
            let [a, b, c, d] = rows.map(|row| row.0);
            let ab_low = i32x4_shuffle::<0, 4, 1, 5>(a, b);
            let ab_high = i32x4_shuffle::<2, 6, 3, 7>(a, b);
            let cd_low = i32x4_shuffle::<0, 4, 1, 5>(c, d);
            let cd_high = i32x4_shuffle::<2, 6, 3, 7>(c, d);
            [
                F4(i32x4_shuffle::<0, 1, 4, 5>(ab_low, cd_low)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(ab_low, cd_low)),
                F4(i32x4_shuffle::<0, 1, 4, 5>(ab_high, cd_high)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(ab_high, cd_high)),
            ]
        }

        /// # Safety
        /// `low .. low + 2` and `high .. high + 2` must be writable.
        #[inline(always)]
        pub unsafe fn store_halves(self, low: *mut f32, high: *mut f32) {
            // SAFETY: the caller guarantees 8 writable bytes at each; the writes are unaligned.
            unsafe {
                low.cast::<u64>()
                    .write_unaligned(u64x2_extract_lane::<0>(self.0));
                high.cast::<u64>()
                    .write_unaligned(u64x2_extract_lane::<1>(self.0));
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use core::arch::x86_64::{
        __m128, _mm_add_ps, _mm_castps_si128, _mm_cvtsi128_si64, _mm_loadu_ps, _mm_movehl_ps,
        _mm_movelh_ps, _mm_mul_ps, _mm_set1_ps, _mm_storeu_ps, _mm_sub_ps, _mm_unpackhi_ps,
        _mm_unpacklo_ps,
    };

    #[derive(Clone, Copy)]
    pub struct F4(__m128);

    impl F4 {
        #[inline(always)]
        pub fn splat(value: f32) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            F4(unsafe { _mm_set1_ps(value) })
        }

        /// # Safety
        /// `at .. at + 4` must be readable.
        #[inline(always)]
        pub unsafe fn load(at: *const f32) -> Self {
            // SAFETY: the caller guarantees 16 readable bytes; loadu has no alignment requirement.
            F4(unsafe { _mm_loadu_ps(at) })
        }

        /// # Safety
        /// `at .. at + 4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, at: *mut f32) {
            // SAFETY: as for `load`.
            unsafe { _mm_storeu_ps(at, self.0) }
        }

        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            F4(unsafe { _mm_add_ps(self.0, _mm_mul_ps(a.0, b.0)) })
        }

        #[inline(always)]
        pub fn add(self, other: F4) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            F4(unsafe { _mm_add_ps(self.0, other.0) })
        }

        #[inline(always)]
        pub fn sub(self, other: F4) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            F4(unsafe { _mm_sub_ps(self.0, other.0) })
        }

        /// Rows of a 4×4 matrix to its columns (as `_MM_TRANSPOSE4_PS`).
        #[inline(always)]
        pub fn transpose(rows: [F4; 4]) -> [F4; 4] {
            let [a, b, c, d] = rows.map(|row| row.0);
            // SAFETY: SSE is part of the x86-64 baseline.
            unsafe {
                let ab_low = _mm_unpacklo_ps(a, b);
                let ab_high = _mm_unpackhi_ps(a, b);
                let cd_low = _mm_unpacklo_ps(c, d);
                let cd_high = _mm_unpackhi_ps(c, d);
                [
                    F4(_mm_movelh_ps(ab_low, cd_low)),
                    F4(_mm_movehl_ps(cd_low, ab_low)),
                    F4(_mm_movelh_ps(ab_high, cd_high)),
                    F4(_mm_movehl_ps(cd_high, ab_high)),
                ]
            }
        }

        /// # Safety
        /// `low .. low + 2` and `high .. high + 2` must be writable.
        #[inline(always)]
        pub unsafe fn store_halves(self, low: *mut f32, high: *mut f32) {
            // SAFETY: SSE2 is part of the x86-64 baseline; the caller guarantees 8 writable bytes
            // at each pointer, and the writes are unaligned.
            unsafe {
                let high_half = _mm_movehl_ps(self.0, self.0);
                low.cast::<i64>()
                    .write_unaligned(_mm_cvtsi128_si64(_mm_castps_si128(self.0)));
                high.cast::<i64>()
                    .write_unaligned(_mm_cvtsi128_si64(_mm_castps_si128(high_half)));
            }
        }
    }
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(value: f32) -> Self {
            F4([value; 4])
        }

        /// # Safety
        /// `at .. at + 4` must be readable.
        #[inline(always)]
        pub unsafe fn load(at: *const f32) -> Self {
            // SAFETY: the caller guarantees 4 readable values.
            F4(unsafe { at.cast::<[f32; 4]>().read_unaligned() })
        }

        /// # Safety
        /// `at .. at + 4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, at: *mut f32) {
            // SAFETY: the caller guarantees 4 writable values.
            unsafe { at.cast::<[f32; 4]>().write_unaligned(self.0) }
        }

        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> Self {
            F4(std::array::from_fn(|i| self.0[i] + a.0[i] * b.0[i]))
        }

        #[inline(always)]
        pub fn add(self, other: F4) -> Self {
            F4(std::array::from_fn(|i| self.0[i] + other.0[i]))
        }

        #[inline(always)]
        pub fn sub(self, other: F4) -> Self {
            F4(std::array::from_fn(|i| self.0[i] - other.0[i]))
        }

        /// Rows of a 4×4 matrix to its columns.
        #[inline(always)]
        pub fn transpose(rows: [F4; 4]) -> [F4; 4] {
            std::array::from_fn(|j| F4(std::array::from_fn(|i| rows[i].0[j])))
        }

        /// # Safety
        /// `low .. low + 2` and `high .. high + 2` must be writable.
        #[inline(always)]
        pub unsafe fn store_halves(self, low: *mut f32, high: *mut f32) {
            let [a, b, c, d] = self.0;
            // SAFETY: the caller guarantees 2 writable values at each pointer.
            unsafe {
                low.cast::<[f32; 2]>().write_unaligned([a, b]);
                high.cast::<[f32; 2]>().write_unaligned([c, d]);
            }
        }
    }
}

pub use imp::F4;

impl F4 {
    #[inline(always)]
    pub fn zero() -> Self {
        F4::splat(0.0)
    }

    #[inline(always)]
    pub fn to_array(self) -> [f32; 4] {
        let mut out = [0.0; 4];
        // SAFETY: `out` holds 4 values.
        unsafe { self.store(out.as_mut_ptr()) };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::F4;

    #[test]
    fn mul_add_loads_and_stores_unaligned_lanes() {
        let data = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        // SAFETY: indices 1..5 are inside `data`.
        let x = unsafe { F4::load(data.as_ptr().add(1)) };
        let y = F4::splat(10.0).mul_add(x, F4::splat(2.0));
        assert_eq!(y.to_array(), [14.0, 16.0, 18.0, 20.0]);
        let mut out = [0.0f32; 6];
        // SAFETY: indices 2..6 are inside `out`.
        unsafe { y.store(out.as_mut_ptr().add(2)) };
        assert_eq!(out, [0.0, 0.0, 14.0, 16.0, 18.0, 20.0]);
    }

    #[test]
    fn add_sub_transpose_and_half_stores_work_lane_by_lane() {
        let a = [0.5f32, -1.0, 2.0, 3.0];
        let b = [0.25f32, 4.0, -2.0, 1.0e-8];
        // SAFETY: `a` and `b` hold 4 values each.
        let (x, y) = unsafe { (F4::load(a.as_ptr()), F4::load(b.as_ptr())) };
        assert_eq!(x.add(y).to_array(), [0.75, 3.0, 0.0, 3.0]);
        assert_eq!(x.sub(y).to_array(), [0.25, -5.0, 4.0, 3.0]);
        let rows: [F4; 4] = std::array::from_fn(|i| {
            let row: [f32; 4] = std::array::from_fn(|j| (4 * i + j) as f32);
            // SAFETY: `row` holds 4 values.
            unsafe { F4::load(row.as_ptr()) }
        });
        let columns = F4::transpose(rows);
        for (j, column) in columns.iter().enumerate() {
            assert_eq!(
                column.to_array(),
                std::array::from_fn(|i| (4 * i + j) as f32)
            );
        }
        let mut halves = [0.0f32; 7];
        // SAFETY: indices 1..3 and 5..7 are inside `halves`.
        unsafe { columns[1].store_halves(halves.as_mut_ptr().add(1), halves.as_mut_ptr().add(5)) };
        assert_eq!(halves, [0.0, 1.0, 5.0, 0.0, 0.0, 9.0, 13.0]);
    }
}
