//! The model checker: every schedule of a level tried, and its endings
//! counted.

use std::collections::BTreeMap;

use serde::Serialize;

use super::levels::{Level, Verdict};
use super::state::State;
use super::{MAX_INTERLEAVINGS, MAX_STEPS};

/// One distinct way the program can end, and how many schedules end there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeCount {
    /// The final shared values by name.
    pub values: BTreeMap<String, i64>,
    /// Whether the run ended with some thread stuck.
    pub deadlock: bool,
    /// The level's judgement of this ending.
    pub verdict: Verdict,
    /// How many interleavings end here.
    pub count: usize,
    /// One schedule (thread indices from 0, and [`DRAIN`](super::DRAIN)
    /// plus a thread's index for a store leaving its buffer) that
    /// reproduces it, the first in the search order: the page's "replay"
    /// button loads it.
    pub example: Vec<usize>,
}

/// Every ending of a level, found by trying every schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exploration {
    /// Complete schedules explored.
    pub interleavings: usize,
    /// Whether the search stopped at [`MAX_INTERLEAVINGS`] or [`MAX_STEPS`],
    /// so the counts are a lower bound.
    pub capped: bool,
    /// Distinct endings, ordered by final values, then verdict.
    pub outcomes: Vec<OutcomeCount>,
}

/// The book's own model checker: a depth-first search through every choice
/// of thread (and of store buffer to write to memory, where the program
/// has them) at every step, down to every terminal state. It counts paths
/// (schedules), not states, because "how many of the possible interleavings
/// lose an update" is the figure the reader should see.
pub fn explore(level: &Level, expanded: bool) -> Exploration {
    let mut search = Search {
        level,
        found: BTreeMap::new(),
        interleavings: 0,
        capped: false,
        path: Vec::new(),
    };
    search.visit(&level.start(expanded));
    let outcomes = search
        .found
        .into_iter()
        .map(|((values, verdict), (count, example))| OutcomeCount {
            // Inserted one by one: collecting into a map would sort, and
            // ship a sort for this type in the book.
            values: values
                .into_iter()
                .fold(BTreeMap::new(), |mut map, (name, value)| {
                    map.insert(name, value);
                    map
                }),
            deadlock: matches!(verdict, Verdict::Deadlock { .. }),
            verdict,
            count,
            example,
        })
        .collect();
    Exploration {
        interleavings: search.interleavings,
        capped: search.capped,
        outcomes,
    }
}

/// Final values in program order with the verdict: what makes two endings
/// the same outcome.
type OutcomeKey = (Vec<(String, i64)>, Verdict);

struct Search<'a> {
    level: &'a Level,
    /// Each ending's count and first example schedule.
    found: BTreeMap<OutcomeKey, (usize, Vec<usize>)>,
    interleavings: usize,
    capped: bool,
    path: Vec<usize>,
}

impl Search<'_> {
    fn visit(&mut self, state: &State) {
        if self.interleavings >= MAX_INTERLEAVINGS {
            self.capped = true;
            return;
        }
        if let Some(verdict) = self.level.verdict(state) {
            self.interleavings += 1;
            let values = state
                .values()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
            let entry = self
                .found
                .entry((values, verdict))
                .or_insert_with(|| (0, self.path.clone()));
            entry.0 += 1;
            return;
        }
        if self.path.len() >= MAX_STEPS {
            self.capped = true;
            return;
        }
        for choice in state.choices() {
            let mut next = state.clone();
            // Only a malformed program refuses an enabled step; the tests
            // prove every level well formed.
            if next.step(choice).is_ok() {
                self.path.push(choice);
                self.visit(&next);
                self.path.pop();
            }
        }
    }
}
