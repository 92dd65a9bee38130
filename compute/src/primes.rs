//! A reduction with very uneven work: counting primes below `limit` by trial
//! division. Large numbers cost more than small ones and primes cost the most,
//! so equal-sized static chunks finish at very different times, while work
//! stealing keeps every thread busy to the end.
//!
//! Numbers are `u32`: a 32-bit division is several times cheaper than a 64-bit
//! one, and WebAssembly, unlike native x86 code, does not narrow it by itself.

use rayon::prelude::*;

use super::control::{Cancelled, Control};

/// Numbers per unit of work (progress, cancellation, stealing granularity).
const GRAIN: u32 = 2048;

/// How the numbers are split between threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Small ranges handed out by rayon's work stealing.
    WorkStealing,
    /// One contiguous range per thread, fixed up front.
    Static { chunks: usize },
}

/// Count the primes in `2..limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Primes {
    pub limit: u32,
}

impl Primes {
    pub fn new(limit: u32) -> Self {
        Self { limit }
    }

    /// Grains of numbers: the units of work.
    pub fn units(&self) -> usize {
        self.limit.div_ceil(GRAIN) as usize
    }

    /// The count on the calling thread.
    pub fn sequential(&self, control: &Control) -> Result<u64, Cancelled> {
        count_range(0, self.limit, control)
    }

    /// The count in `start..end` (clipped to the limit) on the calling thread,
    /// for a caller that slices the work itself between turns of an event loop.
    pub fn count_between(&self, start: u32, end: u32, control: &Control) -> Result<u64, Cancelled> {
        count_range(start, end.min(self.limit), control)
    }

    /// The count with the numbers split as `split` says, over the current rayon pool.
    pub fn parallel(&self, split: Split, control: &Control) -> Result<u64, Cancelled> {
        match split {
            Split::WorkStealing => (0..self.units())
                .into_par_iter()
                .with_max_len(1)
                .map(|grain| grain as u32)
                .map(|grain| {
                    count_range(
                        grain * GRAIN,
                        (grain + 1).saturating_mul(GRAIN).min(self.limit),
                        control,
                    )
                })
                .try_reduce(|| 0, |a, b| Ok(a + b)),
            Split::Static { chunks } => {
                let chunks = chunks.max(1);
                let per_chunk = self.limit.div_ceil(chunks as u32);
                (0..chunks)
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|c| c as u32)
                    .map(|c| {
                        count_range(
                            c.saturating_mul(per_chunk),
                            (c + 1).saturating_mul(per_chunk).min(self.limit),
                            control,
                        )
                    })
                    .try_reduce(|| 0, |a, b| Ok(a + b))
            }
        }
    }
}

/// Primes in `start..end`, recording one unit of work per grain.
fn count_range(start: u32, end: u32, control: &Control) -> Result<u64, Cancelled> {
    let mut count = 0;
    let mut grain_start = start;
    while grain_start < end {
        control.check()?;
        let grain_end = grain_start.saturating_add(GRAIN).min(end);
        count += (grain_start..grain_end).filter(|&n| is_prime(n)).count() as u64;
        control.record(1);
        grain_start = grain_end;
    }
    Ok(count)
}

/// Trial division by 2 and odd numbers up to the square root.
// `%` rather than `is_multiple_of`: this is the kernel's hot loop, and the
// divisor is never zero, so the extra zero check would only cost time.
#[allow(clippy::manual_is_multiple_of)]
pub fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let root = (n as f64).sqrt() as u32;
    let mut d = 3;
    while d <= root {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_in_slices_gives_the_whole_count() {
        let primes = Primes::new(100_000);
        let control = Control::new();
        let whole = primes.sequential(&control).expect("not cancelled");
        let mut sliced = 0;
        let mut start = 0;
        while start < primes.limit {
            sliced += primes
                .count_between(start, start + 3_000, &control)
                .expect("not cancelled");
            start += 3_000;
        }
        assert_eq!((whole, sliced), (9_592, 9_592));
    }

    #[test]
    fn known_prime_counts() {
        let control = Control::new();
        assert_eq!(Primes::new(10).sequential(&control), Ok(4));
        assert_eq!(Primes::new(100).sequential(&control), Ok(25));
        assert_eq!(Primes::new(100_000).sequential(&control), Ok(9592));
        assert_eq!(Primes::new(0).sequential(&control), Ok(0));
        assert!(!is_prime(1) && is_prime(2) && is_prime(97) && !is_prime(91));
        assert!(
            is_prime(4_294_967_291) && !is_prime(4_294_967_295),
            "the largest u32 prime, and 3 x 5 x 17 x 257 x 65537"
        );
        assert!(
            !is_prime(25) && !is_prime(49) && is_prime(65_521),
            "squares of primes are caught at the root"
        );
    }

    #[test]
    fn every_split_counts_the_same() {
        for limit in [0, 3, 5000, 100_000] {
            let primes = Primes::new(limit);
            let expected = primes.sequential(&Control::new()).expect("not cancelled");
            for threads in [1, 2, 3] {
                let pool = crate::test_pool(threads);
                for split in [
                    Split::WorkStealing,
                    Split::Static { chunks: threads },
                    Split::Static { chunks: 7 },
                ] {
                    let got = pool.install(|| primes.parallel(split, &Control::new()));
                    assert_eq!(
                        got,
                        Ok(expected),
                        "limit {limit}, {threads} threads, {split:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn cancellation_stops_the_count() {
        let control = Control::new();
        control.cancel();
        assert_eq!(
            Primes::new(1_000_000).parallel(Split::WorkStealing, &control),
            Err(Cancelled)
        );
    }
}
