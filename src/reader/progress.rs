//! Progress: sections read, questions answered, widgets run, and where the
//! reader was, so the table of contents can show it and the book can resume.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The stored format; a stored value of another version is set aside.
pub const VERSION: u32 = 1;

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "concurrency-book.progress";

/// Everything remembered about one reader's way through the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// Slugs of the sections read to their end.
    pub read: BTreeSet<String>,
    /// For each section, each answered question's chosen answer.
    pub answers: BTreeMap<String, BTreeMap<String, usize>>,
    /// Ids of the widgets that finished a run.
    pub widgets_run: BTreeSet<String>,
    /// The last section opened, to resume there.
    pub last_page: Option<String>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            version: VERSION,
            read: BTreeSet::new(),
            answers: BTreeMap::new(),
            widgets_run: BTreeSet::new(),
            last_page: None,
        }
    }
}

impl Progress {
    /// Reads a stored value: why it cannot be used when it is not JSON, of
    /// another version or of another shape, so the caller can set it aside
    /// and say so rather than overwrite it.
    pub fn parse(stored: &str) -> Result<Self, String> {
        let version = serde_json::from_str::<serde_json::Value>(stored)
            .map_err(|_| "it is not JSON".to_owned())?
            .get("version")
            .and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(VERSION)) {
            return Err(match version {
                Some(other) => format!("it was written by another version of the book (format {other}, this book reads {VERSION})"),
                None => "it has no version".to_owned(),
            });
        }
        serde_json::from_str(stored)
            .map_err(|_| "it is not in the shape the book writes".to_owned())
    }

    /// Drops every answer that does not fit the book as it is: a question
    /// `choices_of` does not know, or a choice past its last. Returns what
    /// was dropped, in words, so a caller never shows an answer that was not
    /// given (an index past the end would mark every choice "answered").
    pub fn keep_only_valid(
        &mut self,
        choices_of: impl Fn(&str, &str) -> Option<usize>,
    ) -> Vec<String> {
        let mut dropped = Vec::new();
        for (slug, answers) in &mut self.answers {
            answers.retain(|question, choice| match choices_of(slug, question) {
                Some(choices) if *choice < choices => true,
                Some(choices) => {
                    dropped.push(format!(
                        "answer {} to {slug}/{question}, which has {choices} choices",
                        *choice + 1
                    ));
                    false
                }
                None => {
                    dropped.push(format!(
                        "an answer to {slug}/{question}, a question this book does not ask"
                    ));
                    false
                }
            });
        }
        self.answers.retain(|_, answers| !answers.is_empty());
        dropped
    }

    /// The value to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The reader opened `slug`.
    pub fn visit(&mut self, slug: &str) {
        if !slug.is_empty() {
            self.last_page = Some(slug.to_owned());
        }
    }

    /// The reader reached the end of `slug`.
    pub fn mark_read(&mut self, slug: &str) {
        if !slug.is_empty() {
            self.read.insert(slug.to_owned());
        }
    }

    /// The reader chose `choice` for question `question` of `slug`.
    pub fn answer(&mut self, slug: &str, question: &str, choice: usize) {
        self.answers
            .entry(slug.to_owned())
            .or_default()
            .insert(question.to_owned(), choice);
    }

    /// The reader's answer to a question, if any.
    pub fn answer_of(&self, slug: &str, question: &str) -> Option<usize> {
        self.answers.get(slug)?.get(question).copied()
    }

    /// Questions of `slug` the reader answered.
    pub fn answered(&self, slug: &str) -> usize {
        self.answers.get(slug).map_or(0, BTreeMap::len)
    }

    /// A widget finished a run.
    pub fn ran(&mut self, widget: &str) {
        self.widgets_run.insert(widget.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_through_storage() {
        let mut progress = Progress::default();
        progress.visit("common-pitfalls");
        progress.mark_read("core-definitions");
        progress.answer("common-pitfalls", "deadlock-fix", 2);
        progress.ran("race");
        let again = Progress::parse(&progress.to_json()).expect("its own JSON");
        assert_eq!(again, progress);
        assert_eq!(again.answer_of("common-pitfalls", "deadlock-fix"), Some(2));
        assert_eq!(again.answered("common-pitfalls"), 1);
        assert_eq!(again.answered("tl-dr"), 0);
        assert_eq!(again.last_page.as_deref(), Some("common-pitfalls"));
    }

    #[test]
    fn damaged_or_other_versions_say_why_they_cannot_be_read() {
        let why = |stored: &str| Progress::parse(stored).err().unwrap_or_default();
        assert_eq!(why("{not json"), "it is not JSON");
        assert_eq!(why("{}"), "it has no version");
        assert_eq!(
            why("{\"version\":1,\"read\":5}"),
            "it is not in the shape the book writes"
        );
        let mut future = Progress {
            version: VERSION + 1,
            ..Progress::default()
        };
        future.mark_read("tl-dr");
        assert!(why(&future.to_json()).contains("another version of the book (format 2"));
        assert_eq!(
            Progress::parse(&Progress::default().to_json()),
            Ok(Progress::default())
        );
    }

    #[test]
    fn answers_that_do_not_fit_the_book_are_dropped_and_named() {
        let mut progress = Progress::default();
        progress.answer("tl-dr", "known", 1);
        progress.answer("tl-dr", "out-of-range", 4);
        progress.answer("tl-dr", "removed", 0);
        progress.answer("gone", "any", 0);
        let choices_of = |slug: &str, question: &str| match (slug, question) {
            ("tl-dr", "known" | "out-of-range") => Some(4),
            _ => None,
        };
        let dropped = progress.keep_only_valid(choices_of);
        assert_eq!(dropped.len(), 3, "{dropped:?}");
        assert!(dropped
            .iter()
            .any(|d| d == "answer 5 to tl-dr/out-of-range, which has 4 choices"));
        assert_eq!(progress.answer_of("tl-dr", "known"), Some(1));
        assert_eq!(progress.answered("tl-dr"), 1, "never 3 of a page's 2");
        assert!(!progress.answers.contains_key("gone"));
        assert!(
            progress.keep_only_valid(choices_of).is_empty(),
            "a clean set drops nothing"
        );
    }

    #[test]
    fn the_front_page_is_neither_read_nor_resumed() {
        let mut progress = Progress::default();
        progress.visit("");
        progress.mark_read("");
        assert_eq!(progress, Progress::default());
    }
}
