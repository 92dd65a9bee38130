//! A race condition on real threads: `T` workers each add one to a shared
//! counter `k` times, three ways.
//!
//! - [`Increment::LoadThenStore`] reads the counter, then writes the value plus
//!   one: two atomic steps, so safe Rust, no data race, and still a race
//!   condition. Another thread's increment between the two steps is lost.
//! - [`Increment::FetchAdd`] does the read-modify-write as one atomic instruction.
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
    /// In the order the widget runs and shows them: the bug, then two fixes.
    pub const ALL: [Increment; 3] = [
        Increment::LoadThenStore,
        Increment::FetchAdd,
        Increment::Mutex,
    ];

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
    let started = clock();
    let finished = together(threads, |_| {
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
        Ok(())
    });
    let ms = clock() - started;
    finished
        .into_iter()
        .collect::<Result<Vec<()>, Cancelled>>()?;
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
        let pool = crate::test_pool(2);
        // Overlap depends on the OS scheduler; a few longer tries make a
        // lossless run vanishingly unlikely on two or more cores.
        let lost = (0..5).map(|_| {
            pool.install(|| {
                run(
                    Increment::LoadThenStore,
                    2,
                    2_000_000,
                    &Control::new(),
                    &clock,
                )
            })
            .expect("not cancelled")
        });
        let outcomes: Vec<_> = lost.take_while(|o| o.lost == 0).collect();
        if std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2 {
            assert!(
                outcomes.len() < 5,
                "no update lost in 5 runs of 2 x 2,000,000"
            );
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
