//! Permalinks: a test with the reader's orderings as a short string, read
//! back with a message that says what is wrong with a bad one.
//!
//! `mp.rl-ar` is the message-passing test with T0's ops Relaxed and
//! Release and T1's Acquire and Relaxed: the slug, a dot, then one letter
//! per op (`r` Relaxed, `l` Release, `a` Acquire, `q` AcqRel, `s` SeqCst),
//! threads separated by `-`. The slug names a classic test or a puzzle.
//! Two slugs hold a `+` (`2+2w`, `sb+fences`), which a query string reads
//! as a space: put a link in a URL with `encodeURIComponent`.

use std::fmt;

use super::classic::{classic, classic_test, op_kind, ordering_list};
use super::puzzles::{puzzle, puzzles};
use super::{orderings_for, Ordering, Test};

/// Why a permalink cannot be read; shown to the reader as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermalinkError {
    /// Not `slug.letters`.
    BadFormat(String),
    /// No classic test or puzzle has this slug.
    UnknownTest(String),
    /// The letters name `found` threads; the test has `expected`.
    WrongThreads { expected: usize, found: usize },
    /// Thread `thread` has `expected` ops, the letters give `found`.
    WrongOps {
        thread: usize,
        expected: usize,
        found: usize,
    },
    /// A letter that names no ordering.
    UnknownLetter {
        thread: usize,
        op: usize,
        letter: char,
    },
    /// An ordering Rust does not accept for that op.
    NotAllowed {
        thread: usize,
        op: usize,
        ordering: Ordering,
        kind: &'static str,
        allowed: &'static [Ordering],
    },
}

impl fmt::Display for PermalinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PermalinkError::BadFormat(link) => write!(
                f,
                "“{link}” is not a litmus permalink: one reads like mp.rl-ar (the test, a dot, \
                 then one letter per operation, r Relaxed, l Release, a Acquire, q AcqRel, \
                 s SeqCst, with a - between threads)"
            ),
            PermalinkError::UnknownTest(slug) => {
                let slugs: Vec<String> = classic()
                    .into_iter()
                    .map(|test| test.slug)
                    .chain(puzzles().into_iter().map(|p| p.test.slug))
                    .collect();
                write!(
                    f,
                    "there is no test “{slug}”; the tests are {}",
                    slugs.join(", ")
                )
            }
            PermalinkError::WrongThreads { expected, found } => write!(
                f,
                "the link gives orderings for {found} threads, but the test has {expected}"
            ),
            PermalinkError::WrongOps {
                thread,
                expected,
                found,
            } => write!(
                f,
                "the link gives {found} orderings for T{thread}, which has {expected} operations"
            ),
            PermalinkError::UnknownLetter { thread, op, letter } => write!(
                f,
                "“{letter}” (T{thread}, operation {}) names no ordering; the letters are \
                 r, l, a, q and s",
                op + 1
            ),
            PermalinkError::NotAllowed {
                thread,
                op,
                ordering,
                kind,
                allowed,
            } => write!(
                f,
                "T{thread}'s operation {} is {kind}, which cannot be {ordering}; it takes {}",
                op + 1,
                ordering_list(allowed)
            ),
        }
    }
}

impl std::error::Error for PermalinkError {}

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

/// An ordering's letter.
fn letter(ord: Ordering) -> char {
    match ord {
        Ordering::Relaxed => 'r',
        Ordering::Release => 'l',
        Ordering::Acquire => 'a',
        Ordering::AcqRel => 'q',
        Ordering::SeqCst => 's',
    }
}

/// The ordering a letter names.
fn ordering(letter: char) -> Option<Ordering> {
    match letter {
        'r' => Some(Ordering::Relaxed),
        'l' => Some(Ordering::Release),
        'a' => Some(Ordering::Acquire),
        'q' => Some(Ordering::AcqRel),
        's' => Some(Ordering::SeqCst),
        _ => None,
    }
}

/// `mp.rl-ar`: the test's slug and its ops' orderings. Only a classic test
/// or a puzzle reads back.
pub fn to_permalink(test: &Test) -> String {
    let threads: Vec<String> = test
        .threads
        .iter()
        .map(|ops| {
            ops.iter()
                .map(|op| letter(super::check::op_ordering(op)))
                .collect()
        })
        .collect();
    format!("{}.{}", test.slug, threads.join("-"))
}

/// The classic test or puzzle a permalink names, with its orderings.
pub fn parse_permalink(link: &str) -> Result<Test, PermalinkError> {
    let Some((slug, letters)) = link.split_once('.') else {
        return Err(PermalinkError::BadFormat(quote(link)));
    };
    if slug.is_empty() || letters.is_empty() || letters.contains('.') {
        return Err(PermalinkError::BadFormat(quote(link)));
    }
    let mut test = classic_test(slug)
        .or_else(|| puzzle(slug).map(|p| p.test))
        .ok_or_else(|| PermalinkError::UnknownTest(quote(slug)))?;
    let groups: Vec<&str> = letters.split('-').collect();
    if groups.len() != test.threads.len() {
        return Err(PermalinkError::WrongThreads {
            expected: test.threads.len(),
            found: groups.len(),
        });
    }
    for (thread, (group, ops)) in groups.iter().zip(test.threads.clone()).enumerate() {
        let found = group.chars().count();
        if found != ops.len() {
            return Err(PermalinkError::WrongOps {
                thread,
                expected: ops.len(),
                found,
            });
        }
        for (op, (letter, original)) in group.chars().zip(&ops).enumerate() {
            let ord =
                ordering(letter).ok_or(PermalinkError::UnknownLetter { thread, op, letter })?;
            let allowed = orderings_for(original);
            if !allowed.contains(&ord) {
                return Err(PermalinkError::NotAllowed {
                    thread,
                    op,
                    ordering: ord,
                    kind: op_kind(original),
                    allowed,
                });
            }
            test = test
                .with_ordering(thread, op, ord)
                .map_err(|_| PermalinkError::BadFormat(quote(link)))?;
        }
    }
    Ok(test)
}
