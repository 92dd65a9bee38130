//! Be the scheduler: tiny thread programs the reader interleaves by hand, and a
//! small model checker that tries every interleaving.
//!
//! A race is a property of *some* schedules, not of the code alone, so the
//! book lets the reader play the scheduler: pick which thread takes the next
//! step and watch an update get lost, an invariant break or two threads wait
//! for each other forever. "Explore all" then enumerates every schedule, which
//! shows how rare (or common) each outcome is, and why testing by running the
//! program a few times proves little.
//!
//! Programs are written in a few statements of Rust-like pseudo code. Every
//! statement is one indivisible step, except the source-level `x = x + 1`:
//! read as written it is one step (the way a naive programmer imagines it);
//! *expanded* it becomes the load and the store a machine really does.
//!
//! Everything here is deterministic and host-tested; the widget only draws it.

mod explore;
mod levels;
mod permalink;
mod play;
mod program;
mod state;
#[cfg(test)]
mod tests;

pub use explore::{explore, Exploration, OutcomeCount};
pub use levels::{level, levels, Level, Verdict};
pub use permalink::{PermalinkError, Replay};
pub use play::Play;
pub use program::{Line, Program};
pub use state::{State, StepError, ThreadStatus};

/// The longest schedule a permalink replays, and the deepest one `explore`
/// follows: every level finishes far sooner, so this only guards the page.
pub const MAX_STEPS: usize = 256;

/// Where a program has store buffers, the scheduler's choices from this
/// number on write a thread's oldest buffered store to memory: choice
/// `DRAIN + t` for thread `t` (a permalink writes it as a letter, `a` for
/// thread 1). Below it, a choice is a thread's next step.
pub const DRAIN: usize = 10;

/// `explore` stops after this many complete interleavings, so that a larger
/// program can never freeze the page; the levels stay far below it.
pub const MAX_INTERLEAVINGS: usize = 1_000_000;
