//! Sequential consistency: the threads' ops interleaved in every possible
//! order, each op reading and writing the one shared memory at once.
//!
//! Orderings do not matter here: SC is what the scheduler game assumes, and
//! what every ordering would give if hardware and compilers never
//! reordered anything. It is the baseline the other two models weaken.

use super::check::{project, Allowed, Step, TooBig, Witness};
use super::explore::{allowed, every_thread_done, Machine};
use super::{Op, Outcome, Test, Value};

/// Where each thread is, what memory holds and what each register holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct State {
    pcs: Vec<usize>,
    memory: Vec<Value>,
    registers: Vec<Value>,
}

/// The SC machine of one test.
struct Sc<'a> {
    test: &'a Test,
}

impl Sc<'_> {
    /// Runs thread `thread`'s next op, if it has one.
    fn run(&self, state: &State, thread: usize) -> Option<State> {
        let op = self
            .test
            .threads
            .get(thread)?
            .get(*state.pcs.get(thread)?)?;
        let mut next = state.clone();
        next.pcs[thread] += 1;
        match *op {
            Op::Store { loc, value, .. } => *next.memory.get_mut(loc)? = value,
            Op::Load { loc, reg, .. } => *next.registers.get_mut(reg)? = *state.memory.get(loc)?,
            Op::Swap {
                loc, reg, value, ..
            } => {
                *next.registers.get_mut(reg)? = *state.memory.get(loc)?;
                next.memory[loc] = value;
            }
            Op::Fence { .. } => {}
        }
        Some(next)
    }
}

impl Machine for Sc<'_> {
    type State = State;
    type Step = Step;

    fn start(&self) -> State {
        State {
            pcs: vec![0; self.test.threads.len()],
            memory: vec![0; self.test.locations.len()],
            registers: vec![0; self.test.registers.len()],
        }
    }

    fn steps(&self, state: &State) -> Vec<(Step, State)> {
        (0..self.test.threads.len())
            .filter_map(|thread| {
                let step = Step {
                    thread,
                    op: state.pcs[thread],
                };
                self.run(state, thread).map(|next| (step, next))
            })
            .collect()
    }

    fn outcome(&self, state: &State) -> Option<Outcome> {
        every_thread_done(self.test, &state.pcs)
            .then(|| project(self.test, state.registers.clone(), &state.memory))
    }
}

/// Every outcome of `test` under SC, each with an interleaving reaching it.
/// The test must be valid and within the shape bounds.
pub(crate) fn outcomes(test: &Test) -> Result<Vec<Allowed>, TooBig> {
    allowed(&Sc { test }, Witness::Sc)
}

/// The outcome an interleaving ends in, checked step by step: each step
/// must name the thread's next op, and every thread must finish. Lets the
/// widget (and the tests) replay a witness.
pub fn replay(test: &Test, steps: &[Step]) -> Result<Outcome, String> {
    let machine = Sc { test };
    let mut state = machine.start();
    for (i, step) in steps.iter().enumerate() {
        if state.pcs.get(step.thread) != Some(&step.op) {
            return Err(format!(
                "step {} runs T{}'s operation {}, which is not that thread's next",
                i + 1,
                step.thread,
                step.op + 1
            ));
        }
        state = machine
            .run(&state, step.thread)
            .ok_or_else(|| format!("step {} names an operation the test lacks", i + 1))?;
    }
    machine
        .outcome(&state)
        .ok_or_else(|| "the interleaving stops before every thread is done".to_owned())
}
