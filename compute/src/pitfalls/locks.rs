//! Locks a watchdog can see into: who holds each lock, who waits for which.
//!
//! A thread stuck in `Mutex::lock` waits forever and tells nobody; in a
//! browser that worker simply stops answering. These locks wait just as
//! really (a thread that cannot take one sleeps until it is free), but they
//! publish the wait-for graph in atomics. A waiter that has waited longer than
//! its patience looks for a cycle in that graph: a cycle means nobody in it can
//! ever proceed, which is a deadlock, not a slow lock. The watchdog then
//! records who waits for whom and stops every actor, so the pool's threads come
//! back and the book stays usable.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use crate::control::Control;

const FREE: usize = usize::MAX;

/// One edge of a deadlock's cycle: `actor` waits for `lock`, which `holder` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitEdge {
    /// The waiting actor.
    pub actor: usize,
    /// The name of the lock it waits for.
    pub lock: String,
    /// The actor holding that lock.
    pub holder: usize,
}

/// A deadlock the watchdog found: the cycle, and how long its finder had waited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadlock {
    /// Who waits for whom, once round the cycle.
    pub cycle: Vec<WaitEdge>,
    /// How long the actor that found the cycle had been waiting.
    pub detected_after_ms: f64,
}

impl Deadlock {
    /// "actor 0 holds B and waits for A (held by actor 1)", one line per edge.
    pub fn describe(&self, actor_name: &str) -> Vec<String> {
        self.cycle
            .iter()
            .map(|edge| {
                format!(
                    "{actor_name} {} waits for {}, held by {actor_name} {}",
                    edge.actor, edge.lock, edge.holder
                )
            })
            .collect()
    }
}

/// Why an `acquire` gave up: the run was stopped (a deadlock was found, or
/// the reader cancelled). The actor must release what it holds and return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// A set of named locks shared by a fixed number of actors.
pub struct LockTable<'a> {
    names: Vec<String>,
    holder: Vec<AtomicUsize>,
    waiting_for: Vec<AtomicUsize>,
    stop: AtomicBool,
    found: Mutex<Option<Deadlock>>,
    patience_ms: f64,
    control: &'a Control,
    clock: &'a (dyn Fn() -> f64 + Sync),
}

impl<'a> LockTable<'a> {
    /// `patience_ms` is how long a waiter waits before it suspects a deadlock.
    /// `clock` must be per-thread monotonic milliseconds (only differences
    /// taken on one thread are used).
    pub fn new(
        names: Vec<String>,
        actors: usize,
        patience_ms: f64,
        control: &'a Control,
        clock: &'a (dyn Fn() -> f64 + Sync),
    ) -> Self {
        Self {
            holder: names.iter().map(|_| AtomicUsize::new(FREE)).collect(),
            names,
            waiting_for: (0..actors).map(|_| AtomicUsize::new(FREE)).collect(),
            stop: AtomicBool::new(false),
            found: Mutex::new(None),
            patience_ms,
            control,
            clock,
        }
    }

    /// Whether actors should stop: a deadlock was found or the reader cancelled.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire) || self.control.is_cancelled()
    }

    /// Takes `lock` for `actor`, waiting as long as it takes, unless the run
    /// is stopped or this wait turns out to be part of a deadlock.
    pub fn acquire(&self, actor: usize, lock: usize) -> Result<(), Stopped> {
        let mut since = None;
        let mut spins = 0u32;
        while !self.try_acquire(actor, lock, &mut since)? {
            pause(&mut spins);
        }
        Ok(())
    }

    /// One attempt at `lock` for `actor`, for actors that share a thread and
    /// take turns on it: `Ok(false)` means "wait: try again on your next
    /// turn". The wait is published in the graph as a blocked thread's is,
    /// and timed from `since` (the first failed attempt), so a wait that
    /// outlasts the patience is checked for a cycle just the same.
    pub fn try_acquire(
        &self,
        actor: usize,
        lock: usize,
        since: &mut Option<f64>,
    ) -> Result<bool, Stopped> {
        // A stopped run hands out no lock, even a free one: every actor
        // must notice the stop at its next acquire, not only the waiters.
        if self.stopped() {
            self.waiting_for[actor].store(FREE, Ordering::Release);
            return Err(Stopped);
        }
        if self.holder[lock]
            .compare_exchange(FREE, actor, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            self.waiting_for[actor].store(FREE, Ordering::Release);
            *since = None;
            return Ok(true);
        }
        self.waiting_for[actor].store(lock, Ordering::Release);
        let started = *since.get_or_insert_with(|| (self.clock)());
        let waited = (self.clock)() - started;
        if waited > self.patience_ms {
            if let Some(cycle) = self.confirmed_cycle(actor) {
                self.report(Deadlock {
                    cycle,
                    detected_after_ms: waited,
                });
                self.waiting_for[actor].store(FREE, Ordering::Release);
                return Err(Stopped);
            }
        }
        Ok(false)
    }

    /// Gives `lock` back; only its holder may.
    pub fn release(&self, actor: usize, lock: usize) {
        // A failed exchange means `actor` did not hold it: nothing to give back.
        let _ =
            self.holder[lock].compare_exchange(actor, FREE, Ordering::Release, Ordering::Relaxed);
    }

    /// The deadlock the watchdog found, if any (the first one; all stop after it).
    pub fn deadlock(&self) -> Option<Deadlock> {
        self.found
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn report(&self, deadlock: Deadlock) {
        let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        found.get_or_insert(deadlock);
        self.stop.store(true, Ordering::Release);
    }

    /// A cycle through `actor` seen twice, a moment apart: the graph is read
    /// one atomic at a time, so a single reading could mix two moments.
    fn confirmed_cycle(&self, actor: usize) -> Option<Vec<WaitEdge>> {
        let first = self.cycle_through(actor)?;
        std::thread::sleep(Duration::from_millis(1));
        let second = self.cycle_through(actor)?;
        (first == second).then_some(first)
    }

    /// Follows "waits for a lock held by" from `actor`; a path back to it is a cycle.
    fn cycle_through(&self, actor: usize) -> Option<Vec<WaitEdge>> {
        let mut edges = Vec::new();
        let mut current = actor;
        for _ in 0..self.waiting_for.len() {
            let lock = self.waiting_for[current].load(Ordering::Acquire);
            if lock == FREE {
                return None;
            }
            let holder = self.holder[lock].load(Ordering::Acquire);
            if holder == FREE {
                return None;
            }
            edges.push(WaitEdge {
                actor: current,
                lock: self.names[lock].clone(),
                holder,
            });
            if holder == actor {
                return Some(edges);
            }
            current = holder;
        }
        None
    }
}

/// Waits a little before trying again: spin briefly (locks are usually held
/// for microseconds), then sleep, so a deadlocked worker burns no core.
pub fn pause(spins: &mut u32) {
    if *spins < 200 {
        *spins += 1;
        std::hint::spin_loop();
    } else {
        std::thread::sleep(Duration::from_micros(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_clock as clock;

    fn table(control: &Control) -> LockTable<'_> {
        LockTable::new(vec!["A".into(), "B".into()], 2, 20.0, control, &clock)
    }

    #[test]
    fn an_uncontended_lock_is_taken_and_given_back() {
        let control = Control::new();
        let locks = table(&control);
        assert_eq!(locks.acquire(0, 0), Ok(()));
        locks.release(1, 0);
        assert_eq!(
            locks.holder[0].load(Ordering::Relaxed),
            0,
            "only the holder releases"
        );
        locks.release(0, 0);
        assert_eq!(locks.acquire(1, 0), Ok(()));
        assert_eq!(locks.deadlock(), None);
    }

    #[test]
    fn two_actors_holding_what_the_other_wants_are_found_out() {
        let control = Control::new();
        let locks = table(&control);
        let pool = crate::test_pool(2);
        let outcomes = pool
            .install(|| {
                super::super::together(2, &control, |actor| {
                    let (first, second) = if actor == 0 { (0, 1) } else { (1, 0) };
                    locks.acquire(actor, first)?;
                    while locks.holder[second].load(Ordering::Acquire) == FREE {
                        std::hint::spin_loop();
                    }
                    let result = locks.acquire(actor, second);
                    locks.release(actor, first);
                    result
                })
            })
            .expect("not cancelled");
        assert!(outcomes.contains(&Err(Stopped)));
        let deadlock = locks.deadlock().expect("the cycle was found");
        assert_eq!(deadlock.cycle.len(), 2);
        assert!(deadlock.detected_after_ms >= 20.0);
        let lines = deadlock.describe("worker");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("waits for A, held by worker 0")),
            "{lines:?}"
        );
    }

    #[test]
    fn cancelling_frees_a_waiter() {
        let control = Control::new();
        let locks = table(&control);
        locks.acquire(0, 0).expect("free");
        control.cancel();
        assert_eq!(locks.acquire(1, 0), Err(Stopped));
        assert_eq!(locks.deadlock(), None, "a cancelled wait is not a deadlock");
    }
}
