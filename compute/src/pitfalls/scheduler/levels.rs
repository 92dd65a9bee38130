//! The book's exercises: each level is a program, a goal for the reader and
//! the rule that judges how a run ended.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::program::{Line, Op, Program, Value};
use super::state::State;

/// How a finished run turned out. Deadlock is judged first; then the level's
/// own rule on the final values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Verdict {
    /// Every thread finished and the result is the one the program meant.
    Correct,
    /// A counter ended below the number of increments: a thread wrote over
    /// another's update.
    LostUpdate {
        variable: String,
        expected: i64,
        actual: i64,
    },
    /// Every thread finished, but a rule the program relies on does not hold.
    BrokenInvariant(String),
    /// Some thread can never finish; one sentence per stuck thread.
    Deadlock { waiting: Vec<String> },
}

impl Verdict {
    /// A short slug for JSON and CSS: `correct`, `lost-update`,
    /// `broken-invariant` or `deadlock`.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::LostUpdate { .. } => "lost-update",
            Verdict::BrokenInvariant(_) => "broken-invariant",
            Verdict::Deadlock { .. } => "deadlock",
        }
    }

    /// Whether the outcome is the one the programmer intended.
    pub fn is_correct(&self) -> bool {
        *self == Verdict::Correct
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Correct => f.write_str("Correct: every thread finished with the intended result."),
            Verdict::LostUpdate {
                variable,
                expected,
                actual,
            } => write!(
                f,
                "Lost update: {variable} ends at {actual}, not {expected}; a thread wrote over another thread's update."
            ),
            Verdict::BrokenInvariant(message) => write!(f, "Broken invariant: {message}."),
            Verdict::Deadlock { waiting } => write!(
                f,
                "Deadlock: {}; no thread can ever take another step.",
                waiting.join("; ")
            ),
        }
    }
}

/// A level's rule on the final values of a run that finished.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    /// A counter must end at `expected`; less means updates were lost.
    Total { var: usize, expected: i64 },
    /// `var` must end at `expected`; `rule` says why, in words.
    Invariant {
        var: usize,
        expected: i64,
        rule: &'static str,
    },
    /// `a` and `b` must not both end at 1; `rule` says why, in words.
    NotBoth {
        a: usize,
        b: usize,
        rule: &'static str,
    },
    /// Finishing is all that is asked (the bug to find is a deadlock).
    Finishes,
}

/// One exercise: a program, what the reader should try, and the rule that
/// judges where a schedule ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    id: &'static str,
    title: &'static str,
    goal: &'static str,
    program: Arc<Program>,
    check: Check,
}

impl Level {
    /// The short slug used in permalinks, e.g. `two-locks`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The level's name in the picker.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// One sentence telling the reader what to try.
    pub fn goal(&self) -> &'static str {
        self.goal
    }

    /// The program as written, or with its non-atomic statements expanded.
    pub fn program(&self, expanded: bool) -> Arc<Program> {
        if expanded && self.program.has_non_atomic() {
            Arc::new(self.program.expanded())
        } else {
            Arc::clone(&self.program)
        }
    }

    /// The same level with every store reaching memory at once: what the
    /// tests compare a store-buffer level with.
    #[cfg(test)]
    pub(super) fn without_store_buffers(&mut self) {
        Arc::make_mut(&mut self.program).store_buffers = false;
    }

    /// The first state of a run.
    pub fn start(&self, expanded: bool) -> State {
        State::new(self.program(expanded))
    }

    /// How a run ended; `None` while some thread can still step.
    pub fn verdict(&self, state: &State) -> Option<Verdict> {
        if !state.is_terminal() {
            return None;
        }
        if state.is_deadlocked() {
            return Some(Verdict::Deadlock {
                waiting: state.stuck_threads(),
            });
        }
        let value = |var: usize| state.values.get(var).copied().unwrap_or_default();
        Some(match self.check {
            Check::Total { var, expected } if value(var) != expected => Verdict::LostUpdate {
                variable: self.program.var(var).to_owned(),
                expected,
                actual: value(var),
            },
            Check::Invariant {
                var,
                expected,
                rule,
            } if value(var) != expected => Verdict::BrokenInvariant(format!(
                "{} == {}, but {rule} ({} == {expected})",
                self.program.var(var),
                value(var),
                self.program.var(var)
            )),
            Check::NotBoth { a, b, rule } if value(a) == 1 && value(b) == 1 => {
                Verdict::BrokenInvariant(format!(
                    "{} == 1 and {} == 1, but {rule}",
                    self.program.var(a),
                    self.program.var(b)
                ))
            }
            _ => Verdict::Correct,
        })
    }
}

/// A program from its parts; shorthand for the level definitions below.
pub(super) fn program(
    vars: &[(&'static str, i64)],
    locks: &[&'static str],
    cvs: &[&'static str],
    threads: Vec<Vec<Line>>,
) -> Arc<Program> {
    Arc::new(Program {
        vars: vars.to_vec(),
        locks: locks.to_vec(),
        cvs: cvs.to_vec(),
        threads,
        store_buffers: false,
    })
}

/// The same listing for `n` threads.
fn copies(n: usize, lines: Vec<Line>) -> Vec<Vec<Line>> {
    vec![lines; n]
}

/// Every level, easy to hard; each bug is followed by its fix.
pub fn levels() -> Vec<Level> {
    use Op::*;
    const X: usize = 0;
    let step = Line::step;
    let counter = |threads: usize, op: Op, locked: bool| {
        let lines = if locked {
            vec![step(0, Lock(0)), step(0, op), step(0, Unlock(0))]
        } else {
            vec![step(0, op)]
        };
        program(
            &[("x", 0)],
            if locked { &["m"] } else { &[] },
            &[],
            copies(threads, lines),
        )
    };
    let increment = Increment { var: X, by: 1 };

    // check-then-act: x is the "already done" flag, entered counts the
    // threads that acted (atomically, so only the check/act gap can break it).
    const ENTERED: usize = 1;
    let check_then_act = |locked: bool| {
        // The lock, when there is one, comes first and moves the `}` down.
        let first = usize::from(locked);
        let mut lines = vec![
            step(
                0,
                Branch {
                    var: X,
                    equals: 0,
                    looping: false,
                    otherwise: first + 3,
                },
            ),
            step(
                1,
                Store {
                    var: X,
                    value: Value::Const(1),
                },
            ),
            step(
                1,
                FetchAdd {
                    var: ENTERED,
                    by: 1,
                },
            ),
            Line::close(0),
        ];
        if locked {
            lines.insert(0, step(0, Lock(0)));
            lines.push(step(0, Unlock(0)));
        }
        program(
            &[("x", 0), ("entered", 0)],
            if locked { &["m"] } else { &[] },
            &[],
            copies(2, lines),
        )
    };
    let entered_once = Check::Invariant {
        var: ENTERED,
        expected: 1,
        rule: "only the first thread to see x == 0 may act",
    };

    // Two locks a (0) and b (1) around an increment.
    let two_locks = |second_first: bool| {
        let take = |first: usize, second: usize| {
            vec![
                step(0, Lock(first)),
                step(0, Lock(second)),
                step(0, increment),
                step(0, Unlock(second)),
                step(0, Unlock(first)),
            ]
        };
        let other = if second_first { take(1, 0) } else { take(0, 1) };
        program(&[("x", 0)], &["a", "b"], &[], vec![take(0, 1), other])
    };

    // A waiter and a notifier sharing `ready` (0), lock m and condvar cv.
    const READY: usize = 0;
    let wait = Wait { cv: 0, lock: 0 };
    let notifier = vec![
        step(0, Lock(0)),
        step(
            0,
            Store {
                var: READY,
                value: Value::Const(1),
            },
        ),
        step(0, Notify(0)),
        step(0, Unlock(0)),
    ];
    let careless_waiter = vec![
        step(
            0,
            Branch {
                var: READY,
                equals: 0,
                looping: false,
                otherwise: 4,
            },
        ),
        step(1, Lock(0)),
        step(1, wait),
        step(1, Unlock(0)),
        Line::close(0),
    ];
    let careful_waiter = vec![
        step(0, Lock(0)),
        step(
            0,
            Branch {
                var: READY,
                equals: 0,
                looping: true,
                otherwise: 4,
            },
        ),
        step(1, wait),
        step(0, Jump(1)),
        step(0, Unlock(0)),
    ];
    let wake = |waiter: Vec<Line>| {
        program(
            &[("ready", 0)],
            &["m"],
            &["cv"],
            vec![waiter, notifier.clone()],
        )
    };

    // Dekker's entry: raise my flag, then enter only if the other's is
    // down. flag1 (0), flag2 (1), in1 (2), in2 (3).
    let flags = |store_buffers: bool, fenced: bool| -> Arc<Program> {
        let entry = |mine: usize, theirs: usize, inside: usize| {
            let mut lines = vec![step(
                0,
                Store {
                    var: mine,
                    value: Value::Const(1),
                },
            )];
            if fenced {
                lines.push(step(0, Fence));
            }
            let close = lines.len() + 2;
            lines.push(step(
                0,
                Branch {
                    var: theirs,
                    equals: 0,
                    looping: false,
                    otherwise: close,
                },
            ));
            lines.push(step(
                1,
                Store {
                    var: inside,
                    value: Value::Const(1),
                },
            ));
            lines.push(Line::close(0));
            lines
        };
        let mut flags = program(
            &[("flag1", 0), ("flag2", 0), ("in1", 0), ("in2", 0)],
            &[],
            &[],
            vec![entry(0, 1, 2), entry(1, 0, 3)],
        );
        Arc::make_mut(&mut flags).store_buffers = store_buffers;
        flags
    };
    let one_inside = Check::NotBoth {
        a: 2,
        b: 3,
        rule: "at most one thread may be inside at a time",
    };

    let counts_to = |expected| Check::Total { var: X, expected };
    vec![
        Level {
            id: "counter",
            title: "Unsynchronized counter",
            goal: "Both threads add one to x. Expand the statements and find a schedule that ends with x == 1.",
            program: counter(2, increment, false),
            check: counts_to(2),
        },
        Level {
            id: "counter-locked",
            title: "Counter behind a lock",
            goal: "The same increments, each inside the lock: try to lose an update now, expanded or not.",
            program: counter(2, increment, true),
            check: counts_to(2),
        },
        Level {
            id: "counter-three",
            title: "Three threads, one counter",
            goal: "Three threads add one each: find a schedule where two of the three updates are lost.",
            program: counter(3, increment, false),
            check: counts_to(3),
        },
        Level {
            id: "counter-atomic",
            title: "Atomic counter",
            goal: "fetch_add reads and writes in one indivisible step: try to lose an update without any lock.",
            program: counter(3, FetchAdd { var: X, by: 1 }, false),
            check: counts_to(3),
        },
        Level {
            id: "check-then-act",
            title: "Check-then-act",
            goal: "Only the first thread to see x == 0 should act: make both threads act.",
            program: check_then_act(false),
            check: entered_once.clone(),
        },
        Level {
            id: "check-then-act-locked",
            title: "Check and act under one lock",
            goal: "The check and the act now sit inside one lock: try to make both threads act.",
            program: check_then_act(true),
            check: entered_once,
        },
        Level {
            id: "two-locks",
            title: "Two locks in opposite orders",
            goal: "Thread 1 takes a then b, thread 2 takes b then a: bring both to a halt.",
            program: two_locks(true),
            check: counts_to(2),
        },
        Level {
            id: "two-locks-ordered",
            title: "Two locks in one order",
            goal: "Both threads take a before b: try to make them wait for each other now.",
            program: two_locks(false),
            check: counts_to(2),
        },
        Level {
            id: "missed-wakeup",
            title: "Missed wake-up",
            goal: "The waiter checks ready without the lock, then sleeps: make it sleep forever.",
            program: wake(careless_waiter),
            check: Check::Finishes,
        },
        Level {
            id: "missed-wakeup-fixed",
            title: "Wait in a loop, under the lock",
            goal: "The waiter now checks ready while holding the lock, in a loop: try to lose the wake-up.",
            program: wake(careful_waiter),
            check: Check::Finishes,
        },
        Level {
            id: "flags-x86",
            title: "Two flags on x86",
            goal: "Each thread raises its flag, then goes in only if the other's is down: no interleaving gets both in. \
                   On x86 a store waits in its thread's store buffer until you flush it: get both threads in.",
            program: flags(true, false),
            check: one_inside.clone(),
        },
        Level {
            id: "flags-x86-fenced",
            title: "Two flags and a fence",
            goal: "fence(SeqCst), an mfence, empties the thread's store buffer before its load: try to get both in now.",
            program: flags(true, true),
            check: one_inside,
        },
    ]
}

impl Default for Level {
    /// The first level, where a reader without a permalink starts.
    fn default() -> Level {
        // `levels()` is a literal list of levels, never empty.
        levels().swap_remove(0)
    }
}

/// The level with this id, if there is one.
pub fn level(id: &str) -> Option<Level> {
    levels().into_iter().find(|level| level.id == id)
}
