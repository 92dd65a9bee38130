//! Contention: `T` threads counting events, five ways, from one shared lock to
//! no sharing at all.
//!
//! Only the data layout changes between [`Counting::Packed`] and
//! [`Counting::Padded`]: each thread owns its counter in both, but packed
//! counters share a 64-byte cache line, which the cores then pass back and
//! forth (false sharing).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::together;
use crate::control::{Cancelled, Control};
use crate::stats::Summary;

/// Where the counts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// One counter behind one mutex.
    Mutex,
    /// One atomic counter, `fetch_add`.
    Atomic,
    /// One atomic per thread, side by side in one cache line.
    Packed,
    /// One atomic per thread, each on its own 64-byte line.
    Padded,
    /// A local variable per thread, added up at the end.
    Local,
}

impl Counting {
    /// From the most shared to the least, as the chart shows them.
    pub const ALL: [Counting; 5] = [
        Counting::Mutex,
        Counting::Atomic,
        Counting::Packed,
        Counting::Padded,
        Counting::Local,
    ];

    /// A word for the chart's bars.
    pub fn short(self) -> &'static str {
        match self {
            Counting::Mutex => "mutex",
            Counting::Atomic => "atomic",
            Counting::Packed => "packed",
            Counting::Padded => "padded",
            Counting::Local => "local",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Counting::Mutex => "one mutex",
            Counting::Atomic => "one atomic",
            Counting::Packed => "per thread, packed (false sharing)",
            Counting::Padded => "per thread, padded to 64 bytes",
            Counting::Local => "per thread, local, summed at the end",
        }
    }
}

/// Increments per thread the widget accepts.
pub const PER_THREAD: std::ops::RangeInclusive<u64> = 1_000..=50_000_000;

/// Timed repetitions after one warm-up.
pub const REPETITIONS: usize = 3;

const CHUNK: u64 = 1 << 14;

/// A counter alone on its cache line.
#[repr(align(64))]
#[derive(Default)]
struct Line(AtomicU64);

/// One way of counting, measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentionPoint {
    pub counting: Counting,
    pub threads: usize,
    pub per_thread: u64,
    pub time: Summary,
    /// All threads' increments per second, at the median time.
    pub ops_per_second: f64,
    /// Every run counted exactly `threads * per_thread` (checked, not assumed).
    pub exact: bool,
}

/// Measures every [`Counting`] on `threads` threads (capped at the pool's
/// size), each run checked to count exactly `threads * per_thread`.
pub fn measure(
    threads: usize,
    per_thread: u64,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<Vec<ContentionPoint>, Cancelled> {
    let threads = threads.clamp(1, super::max_actors());
    let per_thread = per_thread.clamp(*PER_THREAD.start(), *PER_THREAD.end());
    let runs = 1 + REPETITIONS;
    control.expect_work(Counting::ALL.len() * runs * threads * per_thread.div_ceil(CHUNK) as usize);
    Counting::ALL
        .into_iter()
        .map(|counting| {
            let mut samples = Vec::with_capacity(REPETITIONS);
            let mut exact = true;
            for run in 0..runs {
                let started = clock();
                let total = count(counting, threads, per_thread, control)?;
                let ms = clock() - started;
                exact &= total == threads as u64 * per_thread;
                if run > 0 {
                    samples.push(ms);
                }
            }
            let time = Summary::of(&samples).unwrap_or(Summary {
                median_ms: 0.0,
                min_ms: 0.0,
                max_ms: 0.0,
                repetitions: 0,
            });
            let seconds = (time.median_ms / 1000.0).max(f64::EPSILON);
            Ok(ContentionPoint {
                counting,
                threads,
                per_thread,
                ops_per_second: (threads as u64 * per_thread) as f64 / seconds,
                time,
                exact,
            })
        })
        .collect()
}

/// One run: every thread counts `per_thread` events; returns the total.
fn count(
    counting: Counting,
    threads: usize,
    per_thread: u64,
    control: &Control,
) -> Result<u64, Cancelled> {
    let locked = Mutex::new(0u64);
    let shared = AtomicU64::new(0);
    let packed: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
    let padded: Vec<Line> = (0..threads).map(|_| Line::default()).collect();
    let locals = together(threads, |me| {
        let mut local = 0u64;
        let mut left = per_thread;
        while left > 0 {
            control.check()?;
            let chunk = left.min(CHUNK);
            for _ in 0..chunk {
                match counting {
                    Counting::Mutex => {
                        *locked.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                    }
                    Counting::Atomic => {
                        shared.fetch_add(1, Ordering::Relaxed);
                    }
                    Counting::Packed => {
                        packed[me].fetch_add(1, Ordering::Relaxed);
                    }
                    Counting::Padded => {
                        padded[me].0.fetch_add(1, Ordering::Relaxed);
                    }
                    Counting::Local => local = std::hint::black_box(local + 1),
                }
            }
            control.record(1);
            left -= chunk;
        }
        Ok(local)
    })
    .into_iter()
    .collect::<Result<Vec<u64>, Cancelled>>()?;
    Ok(match counting {
        Counting::Mutex => *locked.lock().unwrap_or_else(PoisonError::into_inner),
        Counting::Atomic => shared.load(Ordering::Relaxed),
        Counting::Packed => packed.iter().map(|c| c.load(Ordering::Relaxed)).sum(),
        Counting::Padded => padded.iter().map(|c| c.0.load(Ordering::Relaxed)).sum(),
        Counting::Local => locals.iter().sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn every_way_counts_exactly() {
        let pool = crate::test_pool(3);
        for counting in Counting::ALL {
            let total = pool
                .install(|| count(counting, 3, 40_000, &Control::new()))
                .expect("not cancelled");
            assert_eq!(total, 120_000, "{counting:?}");
        }
    }

    #[test]
    fn measuring_reports_every_way_once() {
        let pool = crate::test_pool(2);
        let points = pool
            .install(|| measure(2, 1_000, &Control::new(), &clock))
            .expect("not cancelled");
        let ways: Vec<Counting> = points.iter().map(|p| p.counting).collect();
        assert_eq!(ways, Counting::ALL);
        assert!(points
            .iter()
            .all(|p| p.time.repetitions == REPETITIONS && p.threads == 2 && p.exact));
    }

    #[test]
    fn padding_puts_each_counter_on_its_own_line() {
        assert_eq!(std::mem::align_of::<Line>(), 64);
        let lines: Vec<Line> = (0..2).map(|_| Line::default()).collect();
        let gap = std::ptr::from_ref(&lines[1]) as usize - std::ptr::from_ref(&lines[0]) as usize;
        assert_eq!(gap, 64);
    }
}
