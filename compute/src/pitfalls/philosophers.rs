//! Dining philosophers: `N` seats, `N` forks, each philosopher needing both
//! neighbouring forks to eat, on the worker pool's real threads.
//!
//! With more seats than threads, each thread seats several philosophers and
//! switches between them, as an operating system time-slices threads on a
//! core: after a philosopher thinks, after it picks up a fork, and whenever it
//! must wait for one. A deadlock needs interleaving, not parallelism, so a
//! two-core machine still sets a table of five and still sees it deadlock.
//!
//! - [`Dining::Naive`]: left fork, then right. If all hold their left fork at
//!   once, each waits for a neighbour forever: a deadlock.
//! - [`Dining::Ordered`]: the lower-numbered fork first. The last philosopher
//!   reaches across, the cycle cannot close.
//! - [`Dining::Arbitrator`]: ask a waiter (one more lock) before picking up
//!   forks; no two pick up at once, so no cycle. Whether that costs meals
//!   or saves them (less fighting over forks) depends on the table: measure.

use serde::Serialize;

use super::locks::{pause, Deadlock, LockTable, Stopped};
use super::{busy, max_actors, together};
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

/// Seats at the table: two is the smallest cycle.
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
    /// Philosophers who sat down.
    pub seats: usize,
    /// The pool threads they shared.
    pub threads: usize,
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

/// Seats `seats` philosophers for `duration_ms`, on as many pool threads as
/// there are seats, or all of them.
pub fn dine(
    strategy: Dining,
    seats: usize,
    duration_ms: u32,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<Dinner, Cancelled> {
    let seats = seats.clamp(*SEATS.start(), *SEATS.end());
    let threads = seats.min(max_actors());
    let duration = f64::from(duration_ms.clamp(*DURATION_MS.start(), *DURATION_MS.end()));
    let waiter = seats;
    let names = (0..seats)
        .map(|fork| format!("fork {fork}"))
        .chain(std::iter::once("the waiter".to_owned()))
        .collect();
    let locks = LockTable::new(names, seats, PATIENCE_MS, control, clock);
    let started = clock();
    let per_thread = together(threads, control, |thread| {
        let mut table: Vec<Philosopher> = (thread..seats)
            .step_by(threads)
            .map(|me| Philosopher::new(me, seats, strategy))
            .collect();
        let my_start = clock();
        let mut spins = 0u32;
        while table.iter().any(|p| p.step != Step::Left) {
            let mut moved = false;
            for philosopher in &mut table {
                moved |= philosopher.turn(&locks, waiter, || clock() - my_start >= duration);
            }
            if moved {
                spins = 0;
            } else {
                // Everyone on this thread waits: wait as a blocked thread would.
                pause(&mut spins);
            }
        }
        table
            .into_iter()
            .map(|p| (p.me, p.eaten))
            .collect::<Vec<_>>()
    })?;
    let ms = clock() - started;
    control.check()?;
    let mut meals = vec![0; seats];
    for (me, eaten) in per_thread.into_iter().flatten() {
        meals[me] = eaten;
    }
    let deadlock = locks.deadlock();
    let total: u64 = meals.iter().sum();
    let seconds = (ms / 1000.0).max(f64::EPSILON);
    Ok(Dinner {
        strategy,
        seats,
        threads,
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

/// Where a philosopher is in its round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Think,
    /// Asking the waiter (the arbitrator only).
    Waiter,
    First,
    Second,
    /// Left the table: the dinner is over, or the run stopped.
    Left,
}

/// One philosopher, stepped by the thread that seats it.
struct Philosopher {
    me: usize,
    first: usize,
    second: usize,
    strategy: Dining,
    step: Step,
    /// When the current wait for a lock began.
    waiting_since: Option<f64>,
    eaten: u64,
}

impl Philosopher {
    fn new(me: usize, seats: usize, strategy: Dining) -> Self {
        let (left, right) = (me, (me + 1) % seats);
        let (first, second) = match strategy {
            Dining::Ordered => (left.min(right), left.max(right)),
            Dining::Naive | Dining::Arbitrator => (left, right),
        };
        Self {
            me,
            first,
            second,
            strategy,
            step: Step::Think,
            waiting_since: None,
            eaten: 0,
        }
    }

    /// One turn on the thread: think, or try for the next lock. Returns
    /// whether it got anywhere (a `false` from everyone means the thread waits).
    fn turn(&mut self, locks: &LockTable, waiter: usize, over: impl Fn() -> bool) -> bool {
        let arbitrated = self.strategy == Dining::Arbitrator;
        let wanted = match self.step {
            Step::Left => return false,
            Step::Think => {
                if over() || locks.stopped() {
                    self.step = Step::Left;
                } else {
                    busy(500);
                    self.step = if arbitrated {
                        Step::Waiter
                    } else {
                        Step::First
                    };
                }
                return true;
            }
            Step::Waiter => waiter,
            Step::First => self.first,
            Step::Second => self.second,
        };
        match self.take(locks, wanted) {
            Ok(false) => return false,
            Ok(true) => {}
            Err(Stopped) => {
                // Give back whatever is held, and leave.
                if arbitrated {
                    locks.release(self.me, waiter);
                }
                locks.release(self.me, self.first);
                self.step = Step::Left;
                return true;
            }
        }
        self.step = match self.step {
            Step::Waiter => Step::First,
            Step::First => {
                busy(100);
                Step::Second
            }
            _ => {
                if arbitrated {
                    locks.release(self.me, waiter);
                }
                busy(500);
                self.eaten += 1;
                locks.release(self.me, self.second);
                locks.release(self.me, self.first);
                Step::Think
            }
        };
        true
    }

    fn take(&mut self, locks: &LockTable, lock: usize) -> Result<bool, Stopped> {
        locks.try_acquire(self.me, lock, &mut self.waiting_since)
    }
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
    fn five_seats_on_one_thread_take_turns_and_the_naive_table_deadlocks() {
        // Interleaving is enough: one thread switching between five
        // philosophers deadlocks them as five threads would.
        let pool = crate::test_pool(1);
        let dinner = pool
            .install(|| dine(Dining::Naive, 5, 2_000, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!((dinner.seats, dinner.threads), (5, 1));
        let cycle = &dinner
            .deadlock
            .as_ref()
            .expect("a naive table of five deadlocks")
            .cycle;
        assert_eq!(cycle.len(), 5);
        for strategy in [Dining::Ordered, Dining::Arbitrator] {
            let dinner = pool
                .install(|| dine(strategy, 5, 300, &Control::new(), &clock))
                .expect("not cancelled");
            assert_eq!(dinner.deadlock, None, "{strategy:?}");
            assert_eq!(dinner.meals.len(), 5);
            assert!(
                dinner.meals.iter().all(|&m| m > 0),
                "{strategy:?}: everyone eats: {:?}",
                dinner.meals
            );
        }
    }

    #[test]
    fn seats_are_not_capped_by_the_pool() {
        let pool = crate::test_pool(2);
        let dinner = pool
            .install(|| dine(Dining::Ordered, 5, 100, &Control::new(), &clock))
            .expect("not cancelled");
        assert_eq!((dinner.seats, dinner.threads), (5, 2));
        assert_eq!(dinner.meals.len(), 5);
    }
}
