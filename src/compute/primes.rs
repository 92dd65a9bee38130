//! A reduction with very uneven work: counting primes below `limit` by trial
//! division. Large numbers cost more than small ones and primes cost the most,
//! so equal-sized static chunks finish at very different times, while work
//! stealing keeps every thread busy to the end.

use rayon::prelude::*;

use super::control::{Cancelled, Control};

/// Numbers per unit of work (progress, cancellation, stealing granularity).
const GRAIN: u64 = 2048;

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
    pub limit: u64,
}

impl Primes {
    pub fn new(limit: u64) -> Self {
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

    /// The count with the numbers split as `split` says, over the current rayon pool.
    pub fn parallel(&self, split: Split, control: &Control) -> Result<u64, Cancelled> {
        match split {
            Split::WorkStealing => (0..self.units())
                .into_par_iter()
                .with_max_len(1)
                .map(|grain| grain as u64)
                .map(|grain| {
                    count_range(
                        grain * GRAIN,
                        ((grain + 1) * GRAIN).min(self.limit),
                        control,
                    )
                })
                .try_reduce(|| 0, |a, b| Ok(a + b)),
            Split::Static { chunks } => {
                let chunks = chunks.max(1);
                let per_chunk = self.limit.div_ceil(chunks as u64);
                (0..chunks)
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|c| c as u64)
                    .map(|c| {
                        count_range(
                            c * per_chunk,
                            ((c + 1) * per_chunk).min(self.limit),
                            control,
                        )
                    })
                    .try_reduce(|| 0, |a, b| Ok(a + b))
            }
        }
    }
}

/// Primes in `start..end`, recording one unit of work per grain.
fn count_range(start: u64, end: u64, control: &Control) -> Result<u64, Cancelled> {
    let mut count = 0;
    let mut grain_start = start;
    while grain_start < end {
        control.check()?;
        let grain_end = (grain_start + GRAIN).min(end);
        count += (grain_start..grain_end).filter(|&n| is_prime(n)).count() as u64;
        control.record(1);
        grain_start = grain_end;
    }
    Ok(count)
}

/// Trial division by 2 and odd numbers up to the square root.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
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
    fn known_prime_counts() {
        let control = Control::new();
        assert_eq!(Primes::new(10).sequential(&control), Ok(4));
        assert_eq!(Primes::new(100).sequential(&control), Ok(25));
        assert_eq!(Primes::new(100_000).sequential(&control), Ok(9592));
        assert_eq!(Primes::new(0).sequential(&control), Ok(0));
        assert!(!is_prime(1) && is_prime(2) && is_prime(97) && !is_prime(91));
    }

    #[test]
    fn every_split_counts_the_same() {
        for limit in [0, 3, 5000, 100_000] {
            let primes = Primes::new(limit);
            let expected = primes.sequential(&Control::new()).expect("not cancelled");
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("pool");
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
