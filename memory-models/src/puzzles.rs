//! "Make it correct": three broken programs the reader repairs by choosing
//! orderings, graded by the Rust model.
//!
//! The ops of a puzzle are fixed (no fence can be added); only orderings
//! change. A choice is graded in three steps: does the Rust model still
//! allow a bad outcome (then the witness shows how); if not, could some one
//! access be one step weaker and still forbid every bad outcome; if not,
//! the choice is a weakest correct one. There may be other weakest choices,
//! but none is below this one.

use serde::Serialize;

use super::check::{outcomes, CheckError};
use super::classic::{load, store, swap, test};
use super::explain::explain;
use super::graph::Graph;
use super::{orderings_for, Model, Op, Ordering, Outcome, Test, Witness};

/// A broken program, what goes wrong and the textbook repair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Puzzle {
    /// The program, every access `Relaxed`; its slug names the puzzle, and
    /// it asks about the (first) bad outcome.
    pub test: Test,
    /// What the program is for, in a sentence.
    pub goal: String,
    /// The outcomes a correct program never shows.
    pub bad: Vec<Outcome>,
    /// What a bad outcome means, in a sentence.
    pub bad_means: String,
    /// The textbook answer: the program with the orderings the book
    /// teaches (a weakest correct choice).
    pub answer: Test,
}

/// How a reader's choice of orderings fares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Grade {
    /// The Rust model allows a bad outcome: this execution reaches it.
    Broken {
        outcome: Outcome,
        witness: Graph,
        explanation: Vec<String>,
    },
    /// Correct, but op `op` (thread, op index) could be `could_be`, one step
    /// weaker, and every bad outcome would still be forbidden.
    StrongerThanNeeded {
        op: (usize, usize),
        could_be: Ordering,
    },
    /// Correct, and no single access can be weakened one step.
    Weakest,
}

/// The three puzzles: a spin-lock hand-off, Dekker's two flags and lazy
/// initialisation.
pub fn puzzles() -> Vec<Puzzle> {
    let bad = |registers: &[u8]| Outcome {
        registers: registers.to_vec(),
        memory: Vec::new(),
    };
    let (data, unlocked) = (0, 1);
    let spinlock = test(
        "spinlock",
        "Spin-lock hand-off",
        &["data", "unlocked"],
        vec![
            vec![store(data, 1), store(unlocked, 1)],
            vec![swap(unlocked, 0, 0), load(data, 1)],
        ],
        &[1, 0],
    );
    let (flag0, flag1) = (0, 1);
    let dekker = test(
        "dekker",
        "Dekker's two flags",
        &["flag0", "flag1"],
        vec![
            vec![store(flag0, 1), load(flag1, 0)],
            vec![store(flag1, 1), load(flag0, 1)],
        ],
        &[0, 0],
    );
    let (value, ready) = (0, 1);
    let lazy = test(
        "lazy-init",
        "Lazy initialisation",
        &["value", "ready"],
        vec![
            vec![store(value, 42), store(ready, 1)],
            vec![load(ready, 0), load(value, 1)],
        ],
        &[1, 0],
    );
    let answer = |test: &Test, changes: &[(usize, usize, Ordering)]| {
        changes.iter().fold(test.clone(), |test, &(t, i, ord)| {
            test.with_ordering(t, i, ord).unwrap_or(test)
        })
    };
    use Ordering::{Acquire, Release, SeqCst};
    vec![
        Puzzle {
            goal: "T0 holds the lock (unlocked = 0), writes data and unlocks; T1 takes the lock \
                   with a swap and reads data."
                .into(),
            bad: vec![bad(&[1, 0])],
            bad_means: "T1 got the lock (its swap read 1) yet did not see T0's write to data."
                .into(),
            answer: answer(&spinlock, &[(0, 1, Release), (1, 0, Acquire)]),
            test: spinlock,
        },
        Puzzle {
            goal: "Each thread raises its flag, then enters only if the other's flag is down."
                .into(),
            bad: vec![bad(&[0, 0])],
            bad_means: "Both threads saw the other's flag down, so both entered.".into(),
            answer: answer(
                &dekker,
                &[
                    (0, 0, SeqCst),
                    (0, 1, SeqCst),
                    (1, 0, SeqCst),
                    (1, 1, SeqCst),
                ],
            ),
            test: dekker,
        },
        Puzzle {
            goal: "T0 computes the value, then sets ready; T1 uses the value once it sees ready."
                .into(),
            bad: vec![bad(&[1, 0])],
            bad_means: "T1 saw ready but read the value before T0 had written it.".into(),
            answer: answer(&lazy, &[(0, 1, Release), (1, 0, Acquire)]),
            test: lazy,
        },
    ]
}

/// The puzzle with this slug.
pub fn puzzle(slug: &str) -> Option<Puzzle> {
    puzzles().into_iter().find(|p| p.test.slug == slug)
}

/// Whether `a` is strictly weaker than `b` in the lattice
/// `Relaxed < Release, Acquire < AcqRel < SeqCst`.
pub fn is_weaker(a: Ordering, b: Ordering) -> bool {
    use Ordering::*;
    let rank = |o: Ordering| match o {
        Relaxed => 0,
        Release | Acquire => 1,
        AcqRel => 2,
        SeqCst => 3,
    };
    rank(a) < rank(b) && !matches!((a, b), (Release, Acquire) | (Acquire, Release))
}

/// The orderings one step weaker than `op`'s own among those Rust accepts
/// for it: the strongest ones still below it.
pub fn one_step_weaker(op: &Op) -> Vec<Ordering> {
    let ord = super::check::op_ordering(op);
    let allowed = orderings_for(op);
    let below: Vec<Ordering> = allowed
        .iter()
        .copied()
        .filter(|&o| is_weaker(o, ord))
        .collect();
    below
        .iter()
        .copied()
        .filter(|&o| !below.iter().any(|&p| is_weaker(o, p)))
        .collect()
}

/// The first bad outcome the Rust model allows for `test`, with its witness.
fn first_bad(puzzle: &Puzzle, test: &Test) -> Result<Option<(Outcome, Graph)>, CheckError> {
    Ok(outcomes(test, Model::Rust)?
        .into_iter()
        .find(|a| puzzle.bad.contains(&a.outcome))
        .and_then(|a| match a.witness {
            Witness::Rust(graph) => Some((a.outcome, graph)),
            _ => None,
        }))
}

/// Grades the reader's program: `chosen` must be the puzzle's program with
/// only orderings changed.
pub fn grade(puzzle: &Puzzle, chosen: &Test) -> Result<Grade, CheckError> {
    same_program(&puzzle.test, chosen).map_err(CheckError::Invalid)?;
    if let Some((outcome, witness)) = first_bad(puzzle, chosen)? {
        let explanation = explain(chosen, &witness);
        return Ok(Grade::Broken {
            outcome,
            witness,
            explanation,
        });
    }
    for (t, ops) in chosen.threads.iter().enumerate() {
        for (i, op) in ops.iter().enumerate() {
            for could_be in one_step_weaker(op) {
                let weaker = chosen
                    .with_ordering(t, i, could_be)
                    .map_err(CheckError::Invalid)?;
                if first_bad(puzzle, &weaker)?.is_none() {
                    return Ok(Grade::StrongerThanNeeded {
                        op: (t, i),
                        could_be,
                    });
                }
            }
        }
    }
    Ok(Grade::Weakest)
}

/// Whether `chosen` is `original` with only orderings changed.
fn same_program(original: &Test, chosen: &Test) -> Result<(), String> {
    let strip = |op: &Op| match *op {
        Op::Store { loc, value, .. } => Op::Store {
            loc,
            value,
            ord: Ordering::Relaxed,
        },
        Op::Load { loc, reg, .. } => Op::Load {
            loc,
            reg,
            ord: Ordering::Relaxed,
        },
        Op::Swap {
            loc, reg, value, ..
        } => Op::Swap {
            loc,
            reg,
            value,
            ord: Ordering::Relaxed,
        },
        Op::Fence { .. } => Op::Fence {
            ord: Ordering::SeqCst,
        },
    };
    let shape = |test: &Test| -> Vec<Vec<Op>> {
        test.threads
            .iter()
            .map(|ops| ops.iter().map(strip).collect())
            .collect()
    };
    if shape(original) != shape(chosen)
        || original.locations != chosen.locations
        || original.registers != chosen.registers
    {
        return Err(format!(
            "this is not the “{}” puzzle's program: only orderings may change",
            original.name
        ));
    }
    Ok(())
}
