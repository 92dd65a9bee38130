//! x86-TSO: the test compiled for x86 and run on the model of Owens, Sarkar
//! and Sewell, every thread with a FIFO store buffer in front of memory.
//!
//! The compilation is the one Rust uses: a load is a plain `mov`, whatever
//! its ordering; a store is a `mov` into the store buffer, except a
//! `SeqCst` store, which is an `xchg`; a swap is a `lock xchg`; a `SeqCst`
//! fence is an `mfence` and every other fence compiles to nothing. `xchg`,
//! `lock xchg` and `mfence` wait for the thread's own buffer to empty, and
//! the two exchanges then act on memory directly. The only reordering the
//! buffers allow is a store passing a later load: store buffering.

use super::check::{project, Allowed, TooBig, TsoStep, Witness};
use super::explore::{allowed, every_thread_done, Machine};
use super::{Loc, Op, Ordering, Outcome, Test, Value};

/// Where each thread is, memory, registers and each thread's store buffer
/// (oldest entry first).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct State {
    pcs: Vec<usize>,
    memory: Vec<Value>,
    registers: Vec<Value>,
    buffers: Vec<Vec<(Loc, Value)>>,
}

/// The x86-TSO machine of one test.
struct Tso<'a> {
    test: &'a Test,
}

impl Tso<'_> {
    /// Runs thread `thread`'s next op, if it has one and may run it now
    /// (`xchg`, `lock xchg` and `mfence` need an empty store buffer).
    fn run(&self, state: &State, thread: usize) -> Option<State> {
        let op = self
            .test
            .threads
            .get(thread)?
            .get(*state.pcs.get(thread)?)?;
        let buffer_empty = state.buffers.get(thread)?.is_empty();
        let mut next = state.clone();
        next.pcs[thread] += 1;
        match *op {
            Op::Store {
                loc,
                value,
                ord: Ordering::SeqCst,
            } => {
                if !buffer_empty {
                    return None;
                }
                *next.memory.get_mut(loc)? = value;
            }
            Op::Store { loc, value, .. } => next.buffers[thread].push((loc, value)),
            Op::Load { loc, reg, .. } => {
                // The thread's own newest buffered store, else memory.
                let buffered = state.buffers[thread]
                    .iter()
                    .rev()
                    .find(|&&(at, _)| at == loc)
                    .map(|&(_, value)| value);
                let value = match buffered {
                    Some(value) => value,
                    None => *state.memory.get(loc)?,
                };
                *next.registers.get_mut(reg)? = value;
            }
            Op::Swap {
                loc, reg, value, ..
            } => {
                if !buffer_empty {
                    return None;
                }
                *next.registers.get_mut(reg)? = *state.memory.get(loc)?;
                next.memory[loc] = value;
            }
            Op::Fence {
                ord: Ordering::SeqCst,
            } => {
                if !buffer_empty {
                    return None;
                }
            }
            Op::Fence { .. } => {}
        }
        Some(next)
    }

    /// Writes the oldest entry of `thread`'s store buffer to memory, if any.
    fn drain(&self, state: &State, thread: usize) -> Option<(TsoStep, State)> {
        let &(loc, value) = state.buffers.get(thread)?.first()?;
        let mut next = state.clone();
        next.buffers[thread].remove(0);
        *next.memory.get_mut(loc)? = value;
        Some((TsoStep::Drain { thread, loc, value }, next))
    }
}

impl Machine for Tso<'_> {
    type State = State;
    type Step = TsoStep;

    fn start(&self) -> State {
        let threads = self.test.threads.len();
        State {
            pcs: vec![0; threads],
            memory: vec![0; self.test.locations.len()],
            registers: vec![0; self.test.registers.len()],
            buffers: vec![Vec::new(); threads],
        }
    }

    fn steps(&self, state: &State) -> Vec<(TsoStep, State)> {
        let mut steps = Vec::new();
        for thread in 0..self.test.threads.len() {
            if let Some(next) = self.run(state, thread) {
                let op = state.pcs[thread];
                steps.push((TsoStep::Run { thread, op }, next));
            }
        }
        for thread in 0..self.test.threads.len() {
            steps.extend(self.drain(state, thread));
        }
        steps
    }

    fn outcome(&self, state: &State) -> Option<Outcome> {
        let done =
            every_thread_done(self.test, &state.pcs) && state.buffers.iter().all(Vec::is_empty);
        done.then(|| project(self.test, state.registers.clone(), &state.memory))
    }
}

/// Every outcome of `test` on x86-TSO, each with a run reaching it. The test
/// must be valid and within the shape bounds.
pub(crate) fn outcomes(test: &Test) -> Result<Vec<Allowed>, TooBig> {
    allowed(&Tso { test }, Witness::X86Tso)
}

/// The outcome a run of ops and drains ends in, checked step by step: each
/// op must be its thread's next and allowed to run, each drain must write
/// what the buffer's oldest entry holds, and at the end every thread must be
/// done and every buffer empty.
pub fn replay(test: &Test, steps: &[TsoStep]) -> Result<Outcome, String> {
    let machine = Tso { test };
    let mut state = machine.start();
    for (i, step) in steps.iter().enumerate() {
        let next = match *step {
            TsoStep::Run { thread, op } if state.pcs.get(thread) == Some(&op) => {
                machine.run(&state, thread)
            }
            TsoStep::Run { .. } => None,
            TsoStep::Drain { thread, .. } => machine
                .drain(&state, thread)
                .filter(|(drained, _)| drained == step)
                .map(|(_, next)| next),
        };
        state = next.ok_or_else(|| format!("step {} cannot be taken: {step:?}", i + 1))?;
    }
    machine
        .outcome(&state)
        .ok_or_else(|| "the run stops before every thread is done and every buffer empty".into())
}
