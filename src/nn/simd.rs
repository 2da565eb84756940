//! A 4-lane f32 vector for the convolution kernels: wasm SIMD128 `f32x4` in the browser (built
//! with `+simd128`), SSE `__m128` natively on x86-64 (always present there), plain arrays elsewhere.
//!
//! Loads and stores are unaligned. They take raw pointers: the kernels check once per call that
//! every index they touch is inside their buffers (see `conv_kernels.rs`), not once per lane.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};

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
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use core::arch::x86_64::{
        __m128, _mm_add_ps, _mm_loadu_ps, _mm_mul_ps, _mm_set1_ps, _mm_storeu_ps,
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
}
