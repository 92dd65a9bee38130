//! What a running kernel shares with whoever started it: a cancel flag, a
//! progress counter and a tally of the threads that did its work.
//!
//! All three are atomics in memory that the pool's workers and the main thread
//! share, so the page reads progress and raises the cancel flag without any
//! message passing and without ever waiting on the pool.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// A run was cancelled before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

/// Threads above this index are tallied together; no browser reports more cores.
pub const MAX_TALLIED_THREADS: usize = 256;

/// Shared state of one run. Cheap to clone: clones share the same atomics.
#[derive(Debug, Clone)]
pub struct Control {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    cancelled: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    /// Units of work done by each rayon thread index; the last slot counts work
    /// done outside any pool.
    per_thread: Vec<AtomicUsize>,
}

impl Default for Control {
    fn default() -> Self {
        Self::new()
    }
}

impl Control {
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Inner {
                cancelled: AtomicBool::new(false),
                done: AtomicUsize::new(0),
                total: AtomicUsize::new(0),
                per_thread: (0..=MAX_TALLIED_THREADS)
                    .map(|_| AtomicUsize::new(0))
                    .collect(),
            }),
        }
    }

    /// Asks the run to stop; kernels notice at their next unit of work.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once cancelled: kernels call this between units of work.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Adds `units` to the amount of work the whole run will do.
    pub fn expect_work(&self, units: usize) {
        self.inner.total.fetch_add(units, Ordering::Relaxed);
    }

    /// Records `units` of work done by the calling thread.
    pub fn record(&self, units: usize) {
        self.inner.done.fetch_add(units, Ordering::Relaxed);
        let slot = rayon::current_thread_index()
            .map_or(MAX_TALLIED_THREADS, |i| i.min(MAX_TALLIED_THREADS - 1));
        self.inner.per_thread[slot].fetch_add(units, Ordering::Relaxed);
    }

    /// Fraction of the expected work done so far, from 0 to 1.
    pub fn progress(&self) -> f64 {
        let total = self.inner.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.inner.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0)
    }

    /// Forgets which threads did work, before a new timed repetition.
    pub fn reset_tally(&self) {
        for slot in &self.inner.per_thread {
            slot.store(0, Ordering::Relaxed);
        }
    }

    /// Work done by each thread since the last reset (pool threads by index).
    pub fn work_per_thread(&self) -> Vec<usize> {
        let counts: Vec<usize> = self
            .inner
            .per_thread
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect();
        let last = counts.iter().rposition(|&c| c > 0).map_or(0, |i| i + 1);
        counts[..last].to_vec()
    }

    /// Distinct threads that did work since the last reset.
    pub fn threads_seen(&self) -> usize {
        self.inner
            .per_thread
            .iter()
            .filter(|c| c.load(Ordering::Relaxed) > 0)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_recorded_work() {
        let control = Control::new();
        assert_eq!(control.progress(), 0.0);
        control.expect_work(4);
        control.record(1);
        assert_eq!(control.progress(), 0.25);
        control.record(10);
        assert_eq!(control.progress(), 1.0);
    }

    #[test]
    fn cancelling_is_seen_by_clones() {
        let control = Control::new();
        let clone = control.clone();
        assert!(clone.check().is_ok());
        control.cancel();
        assert_eq!(clone.check(), Err(Cancelled));
    }

    #[test]
    fn the_tally_counts_pool_threads() {
        let pool = crate::test_pool(2);
        let control = Control::new();
        pool.broadcast(|_| control.record(1));
        assert_eq!(control.threads_seen(), 2);
        assert_eq!(control.work_per_thread(), vec![1, 1]);
        control.reset_tally();
        assert_eq!(control.threads_seen(), 0);
    }
}
