//! Permalinks: a schedule written as a short URL-safe string, read back
//! and checked by replaying it.

use std::fmt;

use serde::Serialize;

use super::levels::{level, levels, Level};
use super::play::Play;
use super::state::StepError;
use super::{DRAIN, MAX_STEPS};

/// A schedule to share: level, expansion and the threads picked, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// The level's id.
    pub level: String,
    /// Whether non-atomic statements are expanded.
    pub expanded: bool,
    /// Thread indices from 0, one per step.
    pub choices: Vec<usize>,
}

/// Why a permalink cannot be replayed; shown to the reader as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermalinkError {
    /// Not `level.e.digits` or `level.s.digits`.
    BadFormat(String),
    /// No level has this id.
    UnknownLevel(String),
    /// More than [`MAX_STEPS`] steps.
    TooLong { steps: usize },
    /// Step `step` (from 1) picks a thread that cannot run there.
    InvalidChoice { step: usize, error: StepError },
}

impl fmt::Display for PermalinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PermalinkError::BadFormat(link) => write!(
                f,
                "“{link}” is not a schedule: a permalink reads like counter.e.0110 \
                 (the level, e for expanded or s for as written, then one digit per step \
                 naming the thread, 0 for thread 1, or a letter for a thread's store \
                 leaving its buffer, a for thread 1)"
            ),
            PermalinkError::UnknownLevel(id) => write!(
                f,
                "there is no level “{id}”; the levels are {}",
                levels()
                    .iter()
                    .map(Level::id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PermalinkError::TooLong { steps } => write!(
                f,
                "the schedule has {steps} steps; a permalink replays at most {MAX_STEPS}"
            ),
            PermalinkError::InvalidChoice { step, error } => {
                write!(f, "step {step} of the schedule cannot be taken: {error}")
            }
        }
    }
}

impl std::error::Error for PermalinkError {}

/// A choice is one character: a digit for a thread's step, a letter (`a`
/// for thread 1) for its oldest buffered store leaving the buffer.
const CHOICE_RADIX: u32 = (DRAIN as u32) * 2;

/// The longest piece of a bad link quoted back in an error message.
const QUOTE_LIMIT: usize = 40;

/// A bad link shortened for quoting, so a pasted essay does not fill the page.
fn quote(text: &str) -> String {
    if text.chars().count() > QUOTE_LIMIT {
        format!("{}…", text.chars().take(QUOTE_LIMIT).collect::<String>())
    } else {
        text.to_owned()
    }
}

impl Replay {
    /// `counter.e.0110`: the level's id, `e` (expanded) or `s` (as written),
    /// and one digit per step; URL-safe, so it goes into `?play=` unescaped.
    /// With no steps the last part is left out: `counter.s`.
    pub fn to_permalink(&self) -> String {
        let mode = if self.expanded { "e" } else { "s" };
        let digits: String = self
            .choices
            .iter()
            .map(|&c| char::from_digit(c as u32, CHOICE_RADIX).unwrap_or('?'))
            .collect();
        if digits.is_empty() {
            format!("{}.{mode}", self.level)
        } else {
            format!("{}.{mode}.{digits}", self.level)
        }
    }

    /// Reads a permalink and checks it by replaying it: a link that parses
    /// always loads.
    pub fn parse(link: &str) -> Result<Replay, PermalinkError> {
        let bad = || PermalinkError::BadFormat(quote(link));
        let mut parts = link.split('.');
        let (Some(id), Some(mode)) = (parts.next(), parts.next()) else {
            return Err(bad());
        };
        let digits = parts.next().unwrap_or("");
        if parts.next().is_some() || id.is_empty() {
            return Err(bad());
        }
        let expanded = match mode {
            "e" => true,
            "s" => false,
            _ => return Err(bad()),
        };
        if level(id).is_none() {
            return Err(PermalinkError::UnknownLevel(quote(id)));
        }
        let steps = digits.chars().count();
        if steps > MAX_STEPS {
            return Err(PermalinkError::TooLong { steps });
        }
        let choices = digits
            .chars()
            .map(|c| c.to_digit(CHOICE_RADIX).map(|d| d as usize))
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(bad)?;
        let replay = Replay {
            level: id.to_owned(),
            expanded,
            choices,
        };
        replay.play()?;
        Ok(replay)
    }

    /// The run this schedule leads to, every step kept for undo.
    pub fn play(&self) -> Result<Play, PermalinkError> {
        let level =
            level(&self.level).ok_or_else(|| PermalinkError::UnknownLevel(quote(&self.level)))?;
        if self.choices.len() > MAX_STEPS {
            return Err(PermalinkError::TooLong {
                steps: self.choices.len(),
            });
        }
        let mut play = Play::new(level, self.expanded);
        for (i, &thread) in self.choices.iter().enumerate() {
            play.step(thread)
                .map_err(|error| PermalinkError::InvalidChoice { step: i + 1, error })?;
        }
        Ok(play)
    }
}
