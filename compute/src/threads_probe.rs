//! The threads check: a CPU-bound job that records which pool threads did its work.
//!
//! rayon falls back to one thread silently when WebAssembly threads are not
//! available, so "it ran in parallel" must be observed, not assumed: each work
//! item notes the index of the rayon thread that computed it.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::control::Control;

/// Largest job the widget accepts; more would keep a phone busy for seconds.
pub const MAX_ITEMS: usize = 4096;

/// What one run of the probe computed and who computed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeOutcome {
    /// Sum of every item's result: equal for the sequential and parallel runs.
    pub checksum: u64,
    /// Distinct rayon thread indices that computed at least one item.
    pub threads_seen: usize,
    /// Number of items computed.
    pub items: usize,
}

/// A probe size the reader or a page asked for, checked before any work starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeSize {
    items: usize,
    rounds: u32,
}

impl ProbeSize {
    /// Refuses sizes that would do nothing or take too long, with the reason.
    pub fn new(items: usize, rounds: u32) -> Result<Self, String> {
        if items == 0 || items > MAX_ITEMS {
            return Err(format!(
                "items must be between 1 and {MAX_ITEMS}, not {items}"
            ));
        }
        if rounds == 0 || rounds > 1_000_000 {
            return Err(format!(
                "rounds must be between 1 and 1000000, not {rounds}"
            ));
        }
        Ok(Self { items, rounds })
    }

    /// Number of work items.
    pub fn items(self) -> usize {
        self.items
    }

    /// The widget's default: about 100 ms of work on one core of a laptop.
    pub fn standard() -> Self {
        Self {
            items: 256,
            rounds: 200_000,
        }
    }
}

/// A deterministic, CPU-bound item: `rounds` steps of xorshift64*.
fn work(item: usize, rounds: u32) -> u64 {
    let mut x = (item as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..rounds {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    x
}

/// The reference result, on the calling thread.
pub fn run_sequential(size: ProbeSize) -> ProbeOutcome {
    let checksum = run_range(size, 0..size.items);
    ProbeOutcome {
        checksum,
        threads_seen: 1,
        items: size.items,
    }
}

/// The checksum of items `range` alone, so a caller can run the job in slices.
pub fn run_range(size: ProbeSize, range: std::ops::Range<usize>) -> u64 {
    range.fold(0u64, |sum, i| sum.wrapping_add(work(i, size.rounds)))
}

/// The same work split item by item over the current rayon pool; the
/// [`Control`] tally every kernel uses counts the threads that took part.
pub fn run_parallel(size: ProbeSize) -> ProbeOutcome {
    let tally = Control::new();
    let checksum = (0..size.items)
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            tally.record(1);
            work(i, size.rounds)
        })
        .reduce(|| 0, u64::wrapping_add);
    ProbeOutcome {
        checksum,
        threads_seen: tally.threads_seen(),
        items: size.items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_equals_sequential() {
        let size = ProbeSize::new(64, 2_000).expect("valid size");
        let expected = run_sequential(size);
        for threads in [1, 2, 3] {
            let got = crate::test_pool(threads).install(|| run_parallel(size));
            assert_eq!(got.checksum, expected.checksum, "{threads} threads");
            assert!(
                got.threads_seen >= 1 && got.threads_seen <= threads,
                "{got:?}"
            );
        }
    }

    #[test]
    fn a_one_thread_pool_is_seen_as_one_thread() {
        let size = ProbeSize::new(32, 1_000).expect("valid size");
        assert_eq!(
            crate::test_pool(1)
                .install(|| run_parallel(size))
                .threads_seen,
            1
        );
    }

    #[test]
    fn slices_add_up_to_the_whole() {
        let size = ProbeSize::new(40, 500).expect("valid size");
        let whole = run_sequential(size).checksum;
        let sliced = run_range(size, 0..13).wrapping_add(run_range(size, 13..40));
        assert_eq!(sliced, whole);
    }

    #[test]
    fn bad_sizes_are_refused_with_a_reason() {
        assert!(ProbeSize::new(0, 10).unwrap_err().contains("between 1 and"));
        assert!(ProbeSize::new(MAX_ITEMS + 1, 10).is_err());
        assert!(ProbeSize::new(10, 0).is_err());
    }
}
