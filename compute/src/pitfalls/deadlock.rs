//! The classic deadlock: two workers, two locks, taken in opposite orders.
//!
//! Each worker repeatedly takes its first lock, holds it a moment, takes its
//! second, counts a round and lets both go. With opposite orders, sooner or
//! later each holds the lock the other wants and neither can ever go on: no
//! staging, just timing. The [`locks`](super::locks) watchdog notices the
//! cycle and stops both. Taking the locks in one global order is the fix: the
//! same work then always finishes.

use serde::Serialize;

use super::locks::{Deadlock, LockTable, Stopped};
use super::{busy, together};
use crate::control::{Cancelled, Control};

/// The order in which the two workers take locks A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LockOrder {
    /// Worker 0 takes A then B, worker 1 takes B then A: can deadlock.
    Opposite,
    /// Both take A then B: cannot deadlock.
    Same,
}

/// Rounds each worker attempts; a deadlock usually comes within a few.
pub const ROUNDS: std::ops::RangeInclusive<u32> = 1..=1_000_000;

/// How long a waiter waits before the watchdog looks for a cycle.
pub const PATIENCE_MS: f64 = 250.0;

/// What a two-lock run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoLocksOutcome {
    /// The lock order both workers followed.
    pub order: LockOrder,
    /// Workers that took part: 2, or 1 on a one-thread pool.
    pub workers: usize,
    /// Rounds each worker set out to do.
    pub rounds_per_worker: u32,
    /// Rounds all workers completed before the end (or the deadlock).
    pub rounds_done: u64,
    /// The cycle the watchdog found, if the workers deadlocked.
    pub deadlock: Option<Deadlock>,
    /// Lines for the reader: who waits for whom.
    pub waits: Vec<String>,
    /// From the start to the last worker's return.
    pub ms: f64,
}

/// Runs two workers for `rounds` rounds each. Needs a pool of two threads or
/// more; on fewer, one worker runs alone and cannot deadlock.
pub fn two_locks(
    order: LockOrder,
    rounds: u32,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<TwoLocksOutcome, Cancelled> {
    let rounds = rounds.clamp(*ROUNDS.start(), *ROUNDS.end());
    let locks = LockTable::new(vec!["A".into(), "B".into()], 2, PATIENCE_MS, control, clock);
    control.expect_work(2 * rounds as usize);
    let started = clock();
    let done = together(2, control, |worker| {
        let (first, second) = match (order, worker) {
            (LockOrder::Opposite, 1) => (1, 0),
            _ => (0, 1),
        };
        let mut completed = 0u64;
        for _ in 0..rounds {
            if locks.stopped() || locks.acquire(worker, first).is_err() {
                break;
            }
            busy(200);
            let got_both = locks.acquire(worker, second);
            if got_both.is_ok() {
                busy(50);
                completed += 1;
                locks.release(worker, second);
            }
            locks.release(worker, first);
            if got_both == Err(Stopped) {
                break;
            }
            control.record(1);
        }
        completed
    })?;
    let ms = clock() - started;
    control.check()?;
    let deadlock = locks.deadlock();
    Ok(TwoLocksOutcome {
        order,
        workers: done.len(),
        rounds_per_worker: rounds,
        rounds_done: done.iter().sum(),
        waits: deadlock
            .as_ref()
            .map(|d| d.describe("worker"))
            .unwrap_or_default(),
        deadlock,
        ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_clock as clock;

    #[test]
    fn one_lock_order_always_finishes() {
        let pool = crate::test_pool(2);
        let outcome = pool
            .install(|| two_locks(LockOrder::Same, 20_000, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!(outcome.deadlock, None);
        assert_eq!(outcome.rounds_done, 40_000);
    }

    #[test]
    fn opposite_orders_deadlock_and_the_watchdog_recovers() {
        let pool = crate::test_pool(2);
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return;
        }
        // Timing decides when; a million rounds each leaves no realistic way out.
        let outcome = pool
            .install(|| two_locks(LockOrder::Opposite, 1_000_000, &Control::new(), &clock))
            .expect("not cancelled");
        let deadlock = outcome
            .deadlock
            .expect("a deadlock within a million rounds");
        assert_eq!(deadlock.cycle.len(), 2);
        assert_eq!(outcome.waits.len(), 2);
        // Both stop at the deadlock: nobody runs on alone to its last round.
        assert!(outcome.rounds_done < 1_000_000, "{}", outcome.rounds_done);
        // Recovered: the same pool runs the fixed order to the end.
        let fixed = pool
            .install(|| two_locks(LockOrder::Same, 1_000, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!(fixed.rounds_done, 2_000);
    }
}
