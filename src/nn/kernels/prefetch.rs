//! A cache hint: ask for bytes before they are read, without waiting for them.

use crate::data::CACHE_LINE;

/// Asks the cache for every line of `bytes`. The trainer calls it with the next batch's images
/// while this one trains, so their cache misses are gone by the time the batch is filled. A hint
/// only, on x86-64; WebAssembly has no prefetch, and there `fill_batch` overlaps the misses itself.
pub fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        for offset in (0..bytes.len()).step_by(CACHE_LINE) {
            // SAFETY: the address is inside `bytes`; a prefetch never faults or writes.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(bytes.as_ptr().add(offset).cast()) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (bytes, CACHE_LINE);
}
