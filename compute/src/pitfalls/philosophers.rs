//! Dining philosophers: `N` seats, `N` forks, each philosopher a real thread
//! that needs both neighbouring forks to eat.
//!
//! - [`Dining::Naive`]: left fork, then right. If all hold their left fork at
//!   once, each waits for a neighbour forever: a deadlock.
//! - [`Dining::Ordered`]: the lower-numbered fork first. The last philosopher
//!   reaches across, the cycle cannot close.
//! - [`Dining::Arbitrator`]: ask a waiter (one more lock) before picking up
//!   forks; no two pick up at once, so no cycle. Whether that costs meals
//!   or saves them (less fighting over forks) depends on the table: measure.

use serde::Serialize;

use super::locks::{Deadlock, LockTable};
use super::{busy, together};
use crate::control::{Cancelled, Control};

/// How a philosopher picks up forks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dining {
    Naive,
    Ordered,
    Arbitrator,
}

impl Dining {
    /// In the order the widget runs them: the bug, then two fixes.
    pub const ALL: [Dining; 3] = [Dining::Naive, Dining::Ordered, Dining::Arbitrator];

    pub fn label(self) -> &'static str {
        match self {
            Dining::Naive => "naive (left, then right)",
            Dining::Ordered => "ordered forks (lower number first)",
            Dining::Arbitrator => "arbitrator (ask the waiter first)",
        }
    }
}

/// Seats at the table: two is the smallest cycle; more need more pool threads.
pub const SEATS: std::ops::RangeInclusive<usize> = 2..=64;

/// How long each dinner lasts, in milliseconds.
pub const DURATION_MS: std::ops::RangeInclusive<u32> = 100..=10_000;

/// How long a hungry philosopher waits before the watchdog looks for a cycle.
pub const PATIENCE_MS: f64 = 250.0;

/// One dinner's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dinner {
    pub strategy: Dining,
    pub seats: usize,
    /// Meals each philosopher ate.
    pub meals: Vec<u64>,
    /// All meals over the dinner's length in seconds (until a deadlock, if one came).
    pub meals_per_second: f64,
    pub deadlock: Option<Deadlock>,
    pub waits: Vec<String>,
    pub ms: f64,
}

/// Seats `seats` philosophers (capped at the pool's size) for `duration_ms`.
pub fn dine(
    strategy: Dining,
    seats: usize,
    duration_ms: u32,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<Dinner, Cancelled> {
    let seats = seats
        .clamp(*SEATS.start(), *SEATS.end())
        .min(super::max_actors());
    let duration = f64::from(duration_ms.clamp(*DURATION_MS.start(), *DURATION_MS.end()));
    let waiter = seats;
    let names = (0..seats)
        .map(|fork| format!("fork {fork}"))
        .chain(std::iter::once("the waiter".to_owned()))
        .collect();
    let locks = LockTable::new(names, seats, PATIENCE_MS, control, clock);
    let started = clock();
    let meals = together(seats, |me| {
        let (left, right) = (me, (me + 1) % seats);
        let (first, second) = match strategy {
            Dining::Ordered => (left.min(right), left.max(right)),
            Dining::Naive | Dining::Arbitrator => (left, right),
        };
        let my_start = clock();
        let mut eaten = 0u64;
        while clock() - my_start < duration && !locks.stopped() {
            busy(500);
            if strategy == Dining::Arbitrator && locks.acquire(me, waiter).is_err() {
                break;
            }
            let Ok(()) = locks.acquire(me, first) else {
                locks.release(me, waiter);
                break;
            };
            busy(100);
            let second_fork = locks.acquire(me, second);
            if strategy == Dining::Arbitrator {
                locks.release(me, waiter);
            }
            if second_fork.is_ok() {
                busy(500);
                eaten += 1;
                locks.release(me, second);
            }
            locks.release(me, first);
            if second_fork.is_err() {
                break;
            }
        }
        eaten
    });
    let ms = clock() - started;
    control.check()?;
    let deadlock = locks.deadlock();
    let total: u64 = meals.iter().sum();
    let seconds = (ms / 1000.0).max(f64::EPSILON);
    Ok(Dinner {
        strategy,
        seats: meals.len(),
        meals_per_second: total as f64 / seconds,
        waits: deadlock
            .as_ref()
            .map(|d| d.describe("philosopher"))
            .unwrap_or_default(),
        deadlock,
        meals,
        ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn clock() -> f64 {
        thread_local!(static START: Instant = Instant::now());
        START.with(|start| start.elapsed().as_secs_f64() * 1000.0)
    }

    #[test]
    fn the_fixes_never_deadlock_and_everyone_eats() {
        let pool = crate::test_pool(3);
        for strategy in [Dining::Ordered, Dining::Arbitrator] {
            let dinner = pool
                .install(|| dine(strategy, 3, 300, &Control::new(), &clock))
                .expect("not cancelled");
            assert_eq!(dinner.deadlock, None, "{strategy:?}");
            assert_eq!(dinner.seats, 3);
            assert!(
                dinner.meals.iter().all(|&m| m > 0),
                "{strategy:?}: {:?}",
                dinner.meals
            );
            assert!(dinner.meals_per_second > 0.0);
        }
    }

    #[test]
    fn a_naive_dinner_that_deadlocks_is_reported_with_its_cycle() {
        let pool = crate::test_pool(3);
        let dinner = pool
            .install(|| dine(Dining::Naive, 3, 3_000, &Control::new(), &clock))
            .expect("not cancelled");
        // Whether it deadlocks in time is up to the scheduler; when it does,
        // the cycle goes once round the table.
        if let Some(deadlock) = &dinner.deadlock {
            assert_eq!(deadlock.cycle.len(), 3);
            assert_eq!(dinner.waits.len(), 3);
        } else {
            assert!(dinner.ms >= 3_000.0);
        }
    }

    #[test]
    fn seats_are_capped_by_the_pool() {
        let pool = crate::test_pool(2);
        let dinner = pool
            .install(|| dine(Dining::Ordered, 5, 100, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!(dinner.seats, 2);
    }
}
