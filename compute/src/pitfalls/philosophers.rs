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
    /// Left fork, then right.
    Naive,
    /// The lower-numbered fork first.
    Ordered,
    /// Ask the waiter (one more lock) before picking up.
    Arbitrator,
}

impl Dining {
    /// In the order the widget runs them: the bug, then two fixes.
    pub const ALL: [Dining; 3] = [Dining::Naive, Dining::Ordered, Dining::Arbitrator];

    /// The strategy in words, for tables.
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
    /// How the philosophers picked up forks.
    pub strategy: Dining,
    /// Philosophers who sat down (one per pool thread at most).
    pub seats: usize,
    /// Meals each philosopher ate.
    pub meals: Vec<u64>,
    /// All meals over the dinner's length in seconds (until a deadlock, if one came).
    pub meals_per_second: f64,
    /// The cycle the watchdog found, if the table deadlocked.
    pub deadlock: Option<Deadlock>,
    /// Lines for the reader: who waits for whom.
    pub waits: Vec<String>,
    /// From the start to the last philosopher leaving.
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
    // Never fewer than two forks: on a one-thread pool philosopher 0 then eats
    // alone with forks 0 and 1, rather than reaching for his own fork twice.
    let seats = seats
        .clamp(*SEATS.start(), *SEATS.end())
        .min(super::max_actors())
        .max(*SEATS.start());
    let duration = f64::from(duration_ms.clamp(*DURATION_MS.start(), *DURATION_MS.end()));
    let waiter = seats;
    let names = (0..seats)
        .map(|fork| format!("fork {fork}"))
        .chain(std::iter::once("the waiter".to_owned()))
        .collect();
    let locks = LockTable::new(names, seats, PATIENCE_MS, control, clock);
    let started = clock();
    let meals = together(seats, control, |me| {
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
    })?;
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

    use crate::test_clock as clock;

    #[test]
    fn the_fixes_never_deadlock_and_everyone_eats() {
        let pool = crate::test_pool(3);
        for strategy in [Dining::Ordered, Dining::Arbitrator] {
            let dinner = pool
                .install(|| dine(strategy, 3, 300, &Control::new(), &clock))
                .expect("not cancelled");
            assert_eq!(dinner.deadlock, None, "{strategy:?}");
            assert_eq!(dinner.seats, 3);
            assert!(dinner.meals.iter().sum::<u64>() > 0, "{strategy:?}");
            assert!(dinner.meals_per_second > 0.0);
        }
    }

    #[test]
    fn a_naive_table_deadlocks_and_is_reported_with_its_cycle() {
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return;
        }
        let pool = crate::test_pool(2);
        // When both hold their left fork at once is up to the scheduler: dine
        // again until they do, for up to 10 seconds.
        let budget = std::time::Instant::now();
        let deadlocked = loop {
            let dinner = pool
                .install(|| dine(Dining::Naive, 2, 1_000, &Control::new(), &clock))
                .expect("not cancelled");
            if dinner.deadlock.is_some() {
                break dinner;
            }
            assert!(budget.elapsed().as_secs() < 10, "no naive deadlock in 10 s");
        };
        let cycle = &deadlocked.deadlock.as_ref().expect("found").cycle;
        assert_eq!(cycle.len(), 2);
        assert_eq!(deadlocked.waits.len(), 2);
        assert!(
            deadlocked.waits[0].contains("waits for fork"),
            "{:?}",
            deadlocked.waits
        );
    }

    #[test]
    fn one_thread_eats_alone_and_never_deadlocks() {
        let pool = crate::test_pool(1);
        let dinner = pool
            .install(|| dine(Dining::Naive, 5, 100, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!(dinner.seats, 1);
        assert_eq!(dinner.deadlock, None);
        assert!(dinner.meals[0] > 0);
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
