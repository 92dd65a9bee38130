//! Litmus tests of memory ordering, and every outcome each memory model allows.
//!
//! A litmus test is a few straight-line threads of loads, stores, swaps and
//! fences on shared locations, each access with a Rust `Ordering`. The
//! question it asks is which final register values are possible. Three
//! models answer it side by side:
//!
//! - [`Model::Sc`]: sequential consistency, every interleaving of the
//!   threads' steps (what the scheduler game assumes);
//! - [`Model::X86Tso`]: the program as compiled for x86 and run on x86-TSO,
//!   each thread with a FIFO store buffer (a `SeqCst` store is an `xchg`, a
//!   `SeqCst` fence an `mfence`, a swap is `lock`ed; every other load or
//!   store is a plain `mov`, and every other fence compiles to nothing);
//! - [`Model::Rust`]: the Rust (C++20) model as the RC11 axioms state it:
//!   happens-before from program order and synchronises-with, coherence per
//!   location, atomic swaps, and the partial SC order, with C++20's release
//!   sequences; without RC11's no-thin-air axiom, which would forbid load
//!   buffering, which C++20 allows (every store here writes a constant, so
//!   no value can appear out of thin air).
//!
//! Everything here is deterministic, bounded and host-tested against the
//! published results of the classic tests; the widget only draws it. What a
//! real machine does with the same tests is `book_compute::litmus`.
//!
//! A crate of its own, apart from the kernels: nothing here is timed, so it
//! is built for a small download (the release profile's size level), while
//! `book-compute` is built for speed.

mod check;
mod classic;
mod explain;
mod explore;
mod graph;
mod permalink;
mod puzzles;
mod relation;
mod rust;
mod sc;
#[cfg(test)]
mod tests;
mod tso;

pub use check::{
    allows_asked, outcomes, validate, Allowed, CheckError, Step, TooBig, TsoStep, Witness,
    MAX_EXECUTIONS, MAX_LOCATIONS, MAX_OPS_PER_THREAD, MAX_STATES, MAX_THREADS,
};
pub use classic::{classic, classic_test, op_kind, ordering_list, orderings_for};
pub use explain::explain;
pub use graph::{short_ordering, Edge, EdgeKind, Graph, GraphEvent};
pub use permalink::{parse_permalink, to_permalink, PermalinkError};
pub use puzzles::{grade, is_weaker, one_step_weaker, puzzle, puzzles, Grade, Puzzle};
pub use rust::candidate_count;

/// Checks a Rust-model witness: whether the graph is a consistent execution
/// of the test ending in the outcome.
pub use rust::witnesses as rust_witnesses;
/// Replays an SC witness: the outcome an interleaving ends in.
pub use sc::replay as replay_sc;
/// Replays an x86-TSO witness: the outcome a run of ops and drains ends in.
pub use tso::replay as replay_tso;

use serde::{Deserialize, Serialize};

/// A shared location: an index into the test's location names.
pub type Loc = usize;

/// A register: an index into the test's register names.
pub type Reg = usize;

/// A value a location or a register holds. Every location starts at 0.
pub type Value = u8;

/// A Rust `std::sync::atomic::Ordering`, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ordering {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

impl Ordering {
    /// Every ordering, weakest first.
    pub const ALL: [Ordering; 5] = [
        Ordering::Relaxed,
        Ordering::Release,
        Ordering::Acquire,
        Ordering::AcqRel,
        Ordering::SeqCst,
    ];

    /// The name Rust gives it. Written out, not derived: the browser build
    /// compiles `Debug` formatting to nothing (`-Z fmt-debug=none`).
    pub fn name(self) -> &'static str {
        match self {
            Ordering::Relaxed => "Relaxed",
            Ordering::Release => "Release",
            Ordering::Acquire => "Acquire",
            Ordering::AcqRel => "AcqRel",
            Ordering::SeqCst => "SeqCst",
        }
    }

    /// The ordering whose [`name`](Self::name) is `name`.
    pub fn named(name: &str) -> Option<Ordering> {
        Ordering::ALL.into_iter().find(|ord| ord.name() == name)
    }
}

impl std::fmt::Display for Ordering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One step of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// `loc.store(value, ord)`.
    Store {
        loc: Loc,
        value: Value,
        ord: Ordering,
    },
    /// `let reg = loc.load(ord)`.
    Load { loc: Loc, reg: Reg, ord: Ordering },
    /// `let reg = loc.swap(value, ord)`: reads and writes in one indivisible step.
    Swap {
        loc: Loc,
        reg: Reg,
        value: Value,
        ord: Ordering,
    },
    /// `fence(ord)`.
    Fence { ord: Ordering },
}

/// A litmus test: its threads, the names of its locations and registers, and
/// the outcome it asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Test {
    /// A short slug, used in permalinks (`mp`, `sb`, …).
    pub slug: String,
    /// The test's usual name ("message passing").
    pub name: String,
    /// Location names, indexed by [`Loc`] (`x`, `y`, `data`, `flag`).
    pub locations: Vec<String>,
    /// Register names, indexed by [`Reg`] (`r0`, `r1`, …). Each register is
    /// written by exactly one op.
    pub registers: Vec<String>,
    /// Each thread's ops, in program order.
    pub threads: Vec<Vec<Op>>,
    /// The surprising outcome the test is named for, as register values.
    pub asks: Outcome,
}

/// A final result: every register's value (a register no op wrote is 0) and,
/// for the tests that ask about it, every location's final value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Outcome {
    pub registers: Vec<Value>,
    pub memory: Vec<Value>,
}

/// A memory model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Model {
    Sc,
    X86Tso,
    Rust,
}
