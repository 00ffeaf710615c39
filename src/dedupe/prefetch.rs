//! Asking the CPU to start loading memory that is needed soon. Lookups in an
//! index of a million articles touch a few dozen random cache lines each
//! (posting slots, entries, their sketches); issued one after the other,
//! every one is a full trip to memory. Announcing them together first lets
//! the trips overlap.

/// Starts loading the cache line holding `value`; no effect on the result.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of the x86_64 baseline, and a prefetch never
        // faults nor changes memory, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Starts loading every cache line of `values`.
#[inline(always)]
pub fn prefetch_all<T>(values: &[T]) {
    // Cache lines are 64 bytes on the machines this runs on.
    let step = (64 / std::mem::size_of::<T>().max(1)).max(1);
    values.iter().step_by(step).for_each(prefetch);
}
