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
    /// One atomic per thread, each alone in 128 bytes.
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

    /// The way of counting in words, for tables.
    pub fn label(self) -> &'static str {
        match self {
            Counting::Mutex => "one mutex",
            Counting::Atomic => "one atomic",
            Counting::Packed => "per thread, packed (false sharing)",
            Counting::Padded => "per thread, padded to 128 bytes",
            Counting::Local => "per thread, local, summed at the end",
        }
    }
}

/// Increments per thread the widget accepts: enough that a run lasts far
/// longer than the microseconds it takes to start the threads.
pub const PER_THREAD: std::ops::RangeInclusive<u64> = 100_000..=50_000_000;

/// Timed repetitions after one warm-up.
pub const REPETITIONS: usize = 3;

const CHUNK: u64 = 1 << 14;

/// The padding: 128 bytes, not 64, because some CPUs (Apple's M series) have
/// 128-byte lines and many Intel cores prefetch lines in adjacent pairs (crossbeam's
/// `CachePadded` pads the same way).
pub const PADDING: usize = 128;

/// A counter alone in its 128 bytes.
#[repr(align(128))]
#[derive(Default)]
struct Padded(AtomicU64);

/// Eight counters in one 64-byte line, the line itself aligned, so that
/// threads 0 to 7 always share it (a `Vec<AtomicU64>` would only be 8-aligned
/// and sometimes straddle two lines).
#[repr(align(128))]
#[derive(Default)]
struct Packed([AtomicU64; 8]);

impl Packed {
    fn counters(threads: usize) -> Vec<Packed> {
        (0..threads.div_ceil(8))
            .map(|_| Packed::default())
            .collect()
    }

    fn slot(lines: &[Packed], thread: usize) -> &AtomicU64 {
        &lines[thread / 8].0[thread % 8]
    }
}

/// One way of counting, measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentionPoint {
    /// Where the counts went.
    pub counting: Counting,
    /// Threads that counted.
    pub threads: usize,
    /// Increments each thread made.
    pub per_thread: u64,
    /// The slowest thread's time, over the timed runs.
    pub time: Summary,
    /// All threads' increments per second, at the median time.
    pub ops_per_second: f64,
    /// Every run counted exactly `threads * per_thread` (checked, not assumed).
    pub exact: bool,
}

/// Measures every [`Counting`] on `threads` threads (capped at the pool's
/// size), each run checked to count exactly `threads * per_thread`. A way
/// that ever counts wrong gets no speed: a wrong result is never timed.
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
                let (total, ms) = count(counting, threads, per_thread, control, clock)?;
                exact &= total == threads as u64 * per_thread;
                if run > 0 {
                    samples.push(ms);
                }
            }
            let time = Summary::of(&samples).filter(|_| exact);
            let ops_per_second = time.map_or(0.0, |time| {
                (threads as u64 * per_thread) as f64 / (time.median_ms / 1000.0).max(f64::EPSILON)
            });
            Ok(ContentionPoint {
                counting,
                threads,
                per_thread,
                time: time.unwrap_or(Summary {
                    median_ms: f64::NAN,
                    min_ms: f64::NAN,
                    max_ms: f64::NAN,
                    repetitions: 0,
                }),
                ops_per_second,
                exact,
            })
        })
        .collect()
}

/// One run: every thread counts `per_thread` events. Returns the total and
/// the slowest thread's time, each thread timing itself from the barrier's
/// release (waking the threads is not contention).
fn count(
    counting: Counting,
    threads: usize,
    per_thread: u64,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<(u64, f64), Cancelled> {
    let locked = Mutex::new(0u64);
    let shared = AtomicU64::new(0);
    let packed = Packed::counters(threads);
    let padded: Vec<Padded> = (0..threads).map(|_| Padded::default()).collect();
    let finished = together(threads, control, |me| {
        let started = clock();
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
                        Packed::slot(&packed, me).fetch_add(1, Ordering::Relaxed);
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
        Ok((local, clock() - started))
    })?
    .into_iter()
    .collect::<Result<Vec<(u64, f64)>, Cancelled>>()?;
    let ms = finished.iter().map(|&(_, ms)| ms).fold(0.0, f64::max);
    let total = match counting {
        Counting::Mutex => *locked.lock().unwrap_or_else(PoisonError::into_inner),
        Counting::Atomic => shared.load(Ordering::Relaxed),
        Counting::Packed => (0..threads)
            .map(|t| Packed::slot(&packed, t).load(Ordering::Relaxed))
            .sum(),
        Counting::Padded => padded.iter().map(|c| c.0.load(Ordering::Relaxed)).sum(),
        Counting::Local => finished.iter().map(|&(local, _)| local).sum(),
    };
    Ok((total, ms))
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
                .install(|| count(counting, 3, 40_000, &Control::new(), &clock))
                .expect("not cancelled")
                .0;
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
    fn padded_counters_are_128_bytes_apart_and_packed_ones_share_a_line() {
        assert_eq!(std::mem::align_of::<Padded>(), PADDING);
        let padded: Vec<Padded> = (0..2).map(|_| Padded::default()).collect();
        let gap = std::ptr::from_ref(&padded[1]) as usize - std::ptr::from_ref(&padded[0]) as usize;
        assert_eq!(gap, PADDING);
        let packed = Packed::counters(9);
        assert_eq!(packed.len(), 2);
        let first = std::ptr::from_ref(Packed::slot(&packed, 0)) as usize;
        let eighth = std::ptr::from_ref(Packed::slot(&packed, 7)) as usize;
        assert_eq!(first % 64, 0);
        assert_eq!(
            first / 64,
            eighth / 64,
            "threads 0 to 7 share one 64-byte line"
        );
    }
}
