//! The reader's run: the scheduler played by hand, one chosen step at a
//! time, with undo and reset.

use super::levels::{Level, Verdict};
use super::permalink::Replay;
use super::state::{State, StepError};

/// A run in progress as the reader plays it: the level, whether it is
/// expanded, and every state so far, so undo is a pop and never a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    level: Level,
    expanded: bool,
    history: Vec<State>,
    choices: Vec<usize>,
}

impl Play {
    /// A fresh run of `level`.
    pub fn new(level: Level, expanded: bool) -> Play {
        let start = level.start(expanded);
        Play {
            level,
            expanded,
            history: vec![start],
            choices: Vec::new(),
        }
    }

    /// The level being played.
    pub fn level(&self) -> &Level {
        &self.level
    }

    /// Whether non-atomic statements are split into load and store.
    pub fn expanded(&self) -> bool {
        self.expanded
    }

    /// The current state.
    pub fn state(&self) -> &State {
        // `history` starts with the initial state and undo never pops it.
        &self.history[self.history.len() - 1]
    }

    /// The choices taken so far (see `State::step`): the permalink's
    /// characters.
    pub fn choices(&self) -> &[usize] {
        &self.choices
    }

    /// Takes the scheduler's choice (see `State::step`): a thread's next
    /// step or a store leaving a buffer; or says why it cannot.
    pub fn step(&mut self, choice: usize) -> Result<(), StepError> {
        let mut next = self.state().clone();
        next.step(choice)?;
        self.history.push(next);
        self.choices.push(choice);
        Ok(())
    }

    /// Takes back the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        if self.choices.pop().is_some() {
            self.history.pop();
            true
        } else {
            false
        }
    }

    /// Back to the first state, keeping level and expansion.
    pub fn reset(&mut self) {
        self.history.truncate(1);
        self.choices.clear();
    }

    /// How the run ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.level.verdict(self.state())
    }

    /// What a permalink to this moment holds.
    pub fn replay(&self) -> Replay {
        Replay {
            level: self.level.id().to_owned(),
            expanded: self.expanded,
            choices: self.choices.clone(),
        }
    }
}
