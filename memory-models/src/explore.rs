//! The search both operational models share: every reachable state visited
//! once, depth first, and each final outcome kept with the steps that first
//! reached it.
//!
//! The SC and x86-TSO models differ only in what a state is and which steps
//! it allows; [`Machine`] is that difference, [`explore`] the rest.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use super::check::{Allowed, TooBig, Witness, MAX_STATES};
use super::{Outcome, Test};

/// An operational model of one test: its states and the steps between them.
pub trait Machine {
    /// Everything that decides what can happen next.
    type State: Clone + Eq + Hash;
    /// One transition, as the witness records it.
    type Step: Clone;

    /// The state before any thread has run.
    fn start(&self) -> Self::State;

    /// Every step `state` allows, each with the state it leads to, in a
    /// fixed order (so the witnesses are deterministic).
    fn steps(&self, state: &Self::State) -> Vec<(Self::Step, Self::State)>;

    /// The outcome of `state` if the run is over there.
    fn outcome(&self, state: &Self::State) -> Option<Outcome>;
}

/// Every outcome reachable from the start, with the first path found to it.
/// Each state is expanded once; after [`MAX_STATES`] states the search stops
/// with [`TooBig::States`], so no test can run for long.
pub fn explore<M: Machine>(machine: &M) -> Result<BTreeMap<Outcome, Vec<M::Step>>, TooBig> {
    // Each state's parent and the step from it, to rebuild witnesses.
    let mut parent: Vec<Option<(usize, M::Step)>> = vec![None];
    let mut seen: HashMap<M::State, usize> = HashMap::new();
    let start = machine.start();
    seen.insert(start.clone(), 0);
    let mut stack = vec![(start, 0)];
    let mut found = BTreeMap::new();
    while let Some((state, id)) = stack.pop() {
        if let Some(outcome) = machine.outcome(&state) {
            found.entry(outcome).or_insert_with(|| path_to(&parent, id));
            continue;
        }
        // Pushed in reverse, so the first step is explored first.
        for (step, next) in machine.steps(&state).into_iter().rev() {
            if seen.contains_key(&next) {
                continue;
            }
            if seen.len() >= MAX_STATES {
                return Err(TooBig::States);
            }
            let next_id = parent.len();
            parent.push(Some((id, step)));
            seen.insert(next.clone(), next_id);
            stack.push((next, next_id));
        }
    }
    Ok(found)
}

/// Every outcome `machine` allows, each with the steps to it wrapped as its
/// model's witness: what each operational model's `outcomes` returns.
pub fn allowed<M: Machine>(
    machine: &M,
    witness: fn(Vec<M::Step>) -> Witness,
) -> Result<Vec<Allowed>, TooBig> {
    Ok(explore(machine)?
        .into_iter()
        .map(|(outcome, steps)| Allowed {
            outcome,
            witness: witness(steps),
        })
        .collect())
}

/// Whether every thread of `test` has run its last op, each at `pcs`.
pub fn every_thread_done(test: &Test, pcs: &[usize]) -> bool {
    pcs.iter()
        .zip(&test.threads)
        .all(|(&pc, ops)| pc == ops.len())
}

/// The steps from the start to state `id`.
fn path_to<S: Clone>(parent: &[Option<(usize, S)>], mut id: usize) -> Vec<S> {
    let mut path = Vec::new();
    while let Some(Some((from, step))) = parent.get(id) {
        path.push(step.clone());
        id = *from;
    }
    path.reverse();
    path
}
