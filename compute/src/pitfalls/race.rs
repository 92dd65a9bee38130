//! A race condition on real threads: `T` workers each add one to a shared
//! counter `k` times, three ways.
//!
//! - [`Increment::LoadThenStore`] reads the counter, then writes the value plus
//!   one: two atomic steps, so safe Rust, no data race, and still a race
//!   condition. Another thread's increment between the two steps is lost.
//! - [`Increment::FetchAdd`] does the read-modify-write as one atomic operation
//!   (one instruction on x86, a load-linked/store-conditional loop on some ARM cores).
//! - [`Increment::Mutex`] makes the two steps a critical section.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::together;
use crate::control::{Cancelled, Control};

/// How each worker adds one to the shared counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Increment {
    LoadThenStore,
    FetchAdd,
    Mutex,
}

impl Increment {
    /// The line of code each iteration runs, as the reader would write it.
    pub fn code(self) -> &'static str {
        match self {
            Increment::LoadThenStore => "let v = n.load(); n.store(v + 1);",
            Increment::FetchAdd => "n.fetch_add(1);",
            Increment::Mutex => "*n.lock() += 1;",
        }
    }
}

/// Increments per worker the widget accepts: enough to race, few enough that
/// the mutex version ends in seconds.
pub const PER_THREAD: std::ops::RangeInclusive<u64> = 1..=20_000_000;

/// Increments between two looks at the cancel flag.
const CHUNK: u64 = 1 << 14;

/// What one way of incrementing did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaceOutcome {
    pub method: Increment,
    pub threads: usize,
    pub per_thread: u64,
    /// `threads * per_thread`: what the counter must read at the end.
    pub expected: u64,
    pub actual: u64,
    /// Increments overwritten by another thread.
    pub lost: u64,
    pub ms: f64,
}

/// Runs `threads` workers (capped at the pool's size), each adding one
/// `per_thread` times to a counter that starts at zero.
pub fn run(
    method: Increment,
    threads: usize,
    per_thread: u64,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<RaceOutcome, Cancelled> {
    let threads = threads.clamp(1, super::max_actors());
    let per_thread = per_thread.clamp(*PER_THREAD.start(), *PER_THREAD.end());
    control.expect_work(threads * per_thread.div_ceil(CHUNK) as usize);
    let atomic = AtomicU64::new(0);
    let locked = Mutex::new(0u64);
    // Each worker times itself from the barrier's release: waking the threads
    // is not part of the race. The run takes as long as the slowest.
    let finished = together(threads, control, |_| {
        let started = clock();
        let mut left = per_thread;
        while left > 0 {
            control.check()?;
            let chunk = left.min(CHUNK);
            match method {
                Increment::LoadThenStore => {
                    for _ in 0..chunk {
                        let value = atomic.load(Ordering::Relaxed);
                        atomic.store(value + 1, Ordering::Relaxed);
                    }
                }
                Increment::FetchAdd => {
                    for _ in 0..chunk {
                        atomic.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Increment::Mutex => {
                    for _ in 0..chunk {
                        *locked.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                    }
                }
            }
            control.record(1);
            left -= chunk;
        }
        Ok(clock() - started)
    })?;
    let times = finished
        .into_iter()
        .collect::<Result<Vec<f64>, Cancelled>>()?;
    let ms = times.into_iter().fold(0.0, f64::max);
    let actual = match method {
        Increment::Mutex => *locked.lock().unwrap_or_else(PoisonError::into_inner),
        _ => atomic.load(Ordering::Relaxed),
    };
    let expected = threads as u64 * per_thread;
    Ok(RaceOutcome {
        method,
        threads,
        per_thread,
        expected,
        actual,
        lost: expected.saturating_sub(actual),
        ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn the_atomic_and_the_mutex_lose_nothing() {
        let pool = crate::test_pool(3);
        for method in [Increment::FetchAdd, Increment::Mutex] {
            let outcome = pool
                .install(|| run(method, 3, 50_000, &Control::new(), &clock))
                .expect("not cancelled");
            assert_eq!(outcome.actual, 150_000, "{method:?}");
            assert_eq!(outcome.lost, 0);
        }
    }

    #[test]
    fn load_then_store_loses_updates_when_threads_overlap() {
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return;
        }
        let pool = crate::test_pool(2);
        // Overlap depends on the OS scheduler, which on a loaded machine may
        // run the two threads one after the other: try for up to 10 seconds.
        let budget = std::time::Instant::now();
        let mut k = 1_000_000;
        loop {
            let outcome = pool
                .install(|| run(Increment::LoadThenStore, 2, k, &Control::new(), &clock))
                .expect("not cancelled");
            assert_eq!(outcome.actual + outcome.lost, outcome.expected);
            if outcome.lost > 0 {
                break;
            }
            assert!(
                budget.elapsed().as_secs() < 10,
                "no update lost in 10 s of racing"
            );
            k = (k * 2).min(*PER_THREAD.end());
        }
    }

    #[test]
    fn one_thread_cannot_race_with_itself() {
        let pool = crate::test_pool(1);
        let outcome = pool
            .install(|| run(Increment::LoadThenStore, 4, 10_000, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!(outcome.threads, 1, "capped at the pool's size");
        assert_eq!(outcome.lost, 0);
    }

    #[test]
    fn cancelling_stops_every_worker() {
        let pool = crate::test_pool(2);
        let control = Control::new();
        control.cancel();
        let outcome = pool.install(|| run(Increment::Mutex, 2, 1_000_000, &control, &clock));
        assert_eq!(outcome, Err(Cancelled));
    }
}
