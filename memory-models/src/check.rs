//! The checker's front door: which outcomes a model allows for a test, each
//! with a witness, after the test is checked for sense and for size.
//!
//! The lab lets a reader change orderings, never the shape of a test, but
//! the bounds are still checked here, before anything is enumerated, so that
//! no test handed to the checker can freeze the page.

use std::fmt;

use serde::Serialize;

use super::graph::Graph;
use super::{classic, rust, sc, tso, Model, Op, Outcome, Test, Value};

/// The most threads a test may have.
pub const MAX_THREADS: usize = 4;
/// The most ops one thread may have.
pub const MAX_OPS_PER_THREAD: usize = 4;
/// The most locations a test may use.
pub const MAX_LOCATIONS: usize = 3;
/// The most states the SC and x86-TSO searches visit before giving up.
pub const MAX_STATES: usize = 200_000;
/// The most candidate executions the Rust model examines.
pub const MAX_EXECUTIONS: u64 = 200_000;

/// One step of an interleaving: thread `thread` runs its op number `op`
/// (both from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Step {
    pub thread: usize,
    pub op: usize,
}

/// One step of an x86-TSO run: a thread runs an op, or the oldest store in a
/// thread's store buffer reaches memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TsoStep {
    /// Thread `thread` runs its op number `op`.
    Run { thread: usize, op: usize },
    /// The oldest entry of `thread`'s store buffer, `loc = value`, is written
    /// to memory.
    Drain {
        thread: usize,
        loc: usize,
        value: Value,
    },
}

/// Why an outcome is allowed, in the model's own terms: what the widget
/// replays or draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Witness {
    /// An interleaving of the threads' ops.
    Sc(Vec<Step>),
    /// An interleaving of ops and store-buffer drains.
    X86Tso(Vec<TsoStep>),
    /// A consistent execution graph.
    Rust(Graph),
}

/// An outcome a model allows, with one way to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    pub outcome: Outcome,
    pub witness: Witness,
}

/// A test the lab refuses to check because the search could take too long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TooBig {
    /// More than [`MAX_THREADS`] threads.
    Threads { threads: usize },
    /// A thread with more than [`MAX_OPS_PER_THREAD`] ops.
    Ops { thread: usize, ops: usize },
    /// More than [`MAX_LOCATIONS`] locations.
    Locations { locations: usize },
    /// The SC or x86-TSO search reached [`MAX_STATES`] states.
    States,
    /// More than [`MAX_EXECUTIONS`] candidate executions (the count
    /// saturates at `u64::MAX`).
    Executions { executions: u64 },
}

impl fmt::Display for TooBig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TooBig::Threads { threads } => write!(
                f,
                "this test has {threads} threads; the lab checks at most {MAX_THREADS}"
            ),
            TooBig::Ops { thread, ops } => write!(
                f,
                "thread T{thread} has {ops} operations; the lab checks at most \
                 {MAX_OPS_PER_THREAD} per thread"
            ),
            TooBig::Locations { locations } => write!(
                f,
                "this test uses {locations} locations; the lab checks at most {MAX_LOCATIONS}"
            ),
            TooBig::States => write!(
                f,
                "this test has too many states to explore: the lab stops after {MAX_STATES}"
            ),
            TooBig::Executions { executions } => write!(
                f,
                "this test has {executions} candidate executions; the lab checks at most \
                 {MAX_EXECUTIONS}"
            ),
        }
    }
}

impl std::error::Error for TooBig {}

/// Why [`outcomes`] gave no answer: the test makes no sense, or is too big.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CheckError {
    /// What [`validate`] found wrong.
    Invalid(String),
    /// The bound the test goes over.
    TooBig(TooBig),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Invalid(message) => f.write_str(message),
            CheckError::TooBig(too_big) => too_big.fmt(f),
        }
    }
}

impl std::error::Error for CheckError {}

impl From<TooBig> for CheckError {
    fn from(too_big: TooBig) -> CheckError {
        CheckError::TooBig(too_big)
    }
}

/// Every outcome `model` allows for `test`, sorted, each once with a
/// witness. Outcomes carry final memory only when the test asks about it
/// (`asks.memory` not empty). Refuses a malformed test, and one over the
/// bounds, before exploring anything.
pub fn outcomes(test: &Test, model: Model) -> Result<Vec<Allowed>, CheckError> {
    validate(test).map_err(CheckError::Invalid)?;
    check_shape(test)?;
    let mut allowed = match model {
        Model::Sc => sc::outcomes(test)?,
        Model::X86Tso => tso::outcomes(test)?,
        Model::Rust => rust::outcomes(test)?,
    };
    allowed.sort_by(|a, b| a.outcome.cmp(&b.outcome));
    Ok(allowed)
}

/// Whether `model` allows the outcome the test asks about: the question the
/// classic tests are named for.
pub fn allows_asked(test: &Test, model: Model) -> Result<bool, CheckError> {
    Ok(outcomes(test, model)?
        .iter()
        .any(|allowed| allowed.outcome == test.asks))
}

/// The structural bounds: cheap, and enough to bound every search.
fn check_shape(test: &Test) -> Result<(), TooBig> {
    if test.threads.len() > MAX_THREADS {
        return Err(TooBig::Threads {
            threads: test.threads.len(),
        });
    }
    if let Some((thread, ops)) = test
        .threads
        .iter()
        .enumerate()
        .find(|(_, ops)| ops.len() > MAX_OPS_PER_THREAD)
    {
        return Err(TooBig::Ops {
            thread,
            ops: ops.len(),
        });
    }
    if test.locations.len() > MAX_LOCATIONS {
        return Err(TooBig::Locations {
            locations: test.locations.len(),
        });
    }
    Ok(())
}

/// Checks that a test makes sense: every location and register it names
/// exists, every register is written by exactly one op, every ordering is
/// one Rust accepts for its op (a `store` with `Acquire`, a `load` with
/// `Release` and a `fence(Relaxed)` panic in Rust, so they are refused here
/// rather than given a meaning), and the asked outcome has the right shape.
pub fn validate(test: &Test) -> Result<(), String> {
    if test.threads.is_empty() {
        return Err("the test has no threads".into());
    }
    let mut writer: Vec<Option<(usize, usize)>> = vec![None; test.registers.len()];
    for (t, ops) in test.threads.iter().enumerate() {
        for (i, op) in ops.iter().enumerate() {
            let at = || format!("T{t}'s operation {}", i + 1);
            if let Some(loc) = op_loc(op) {
                if loc >= test.locations.len() {
                    return Err(format!(
                        "{} uses location {loc}, but the test has only {} locations",
                        at(),
                        test.locations.len()
                    ));
                }
            }
            if let Some(reg) = op_reg(op) {
                let Some(slot) = writer.get_mut(reg) else {
                    return Err(format!(
                        "{} writes register {reg}, but the test has only {} registers",
                        at(),
                        test.registers.len()
                    ));
                };
                if let Some((other_t, other_i)) = *slot {
                    return Err(format!(
                        "register {} is written twice: by T{other_t}'s operation {} and by {}",
                        test.registers[reg],
                        other_i + 1,
                        at()
                    ));
                }
                *slot = Some((t, i));
            }
            let allowed = classic::orderings_for(op);
            let ord = op_ordering(op);
            if !allowed.contains(&ord) {
                return Err(format!(
                    "{} is {} with {ord}, which Rust does not accept (it panics); {} takes {}",
                    at(),
                    classic::op_kind(op),
                    classic::op_kind(op),
                    classic::ordering_list(allowed)
                ));
            }
        }
    }
    if let Some(reg) = writer.iter().position(Option::is_none) {
        return Err(format!("register {} is never written", test.registers[reg]));
    }
    if test.asks.registers.len() != test.registers.len() {
        return Err(format!(
            "the asked outcome gives {} register values for {} registers",
            test.asks.registers.len(),
            test.registers.len()
        ));
    }
    if !test.asks.memory.is_empty() && test.asks.memory.len() != test.locations.len() {
        return Err(format!(
            "the asked outcome gives {} final values for {} locations",
            test.asks.memory.len(),
            test.locations.len()
        ));
    }
    Ok(())
}

/// The location an op accesses; a fence accesses none.
pub(crate) fn op_loc(op: &Op) -> Option<usize> {
    match *op {
        Op::Store { loc, .. } | Op::Load { loc, .. } | Op::Swap { loc, .. } => Some(loc),
        Op::Fence { .. } => None,
    }
}

/// The register an op writes, if it reads memory.
pub(crate) fn op_reg(op: &Op) -> Option<usize> {
    match *op {
        Op::Load { reg, .. } | Op::Swap { reg, .. } => Some(reg),
        Op::Store { .. } | Op::Fence { .. } => None,
    }
}

/// The ordering an op is written with.
pub(crate) fn op_ordering(op: &Op) -> super::Ordering {
    match *op {
        Op::Store { ord, .. } | Op::Load { ord, .. } | Op::Swap { ord, .. } | Op::Fence { ord } => {
            ord
        }
    }
}

/// The outcome a run ends in, with memory kept only if the test asks
/// about it.
pub(crate) fn project(test: &Test, registers: Vec<Value>, memory: &[Value]) -> Outcome {
    Outcome {
        registers,
        memory: if test.asks.memory.is_empty() {
            Vec::new()
        } else {
            memory.to_vec()
        },
    }
}
