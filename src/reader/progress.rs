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
    /// Reads stored progress. Nothing stored, a damaged value or another
    /// version all start afresh: progress is a convenience, never a blocker.
    pub fn load(stored: Option<&str>) -> Self {
        stored
            .and_then(|json| serde_json::from_str::<Progress>(json).ok())
            .filter(|progress| progress.version == VERSION)
            .unwrap_or_default()
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
        let again = Progress::load(Some(&progress.to_json()));
        assert_eq!(again, progress);
        assert_eq!(again.answer_of("common-pitfalls", "deadlock-fix"), Some(2));
        assert_eq!(again.answered("common-pitfalls"), 1);
        assert_eq!(again.answered("tl-dr"), 0);
        assert_eq!(again.last_page.as_deref(), Some("common-pitfalls"));
    }

    #[test]
    fn damaged_or_other_versions_start_afresh() {
        assert_eq!(Progress::load(None), Progress::default());
        assert_eq!(Progress::load(Some("{not json")), Progress::default());
        let mut future = Progress {
            version: VERSION + 1,
            ..Progress::default()
        };
        future.mark_read("tl-dr");
        assert_eq!(Progress::load(Some(&future.to_json())), Progress::default());
    }

    #[test]
    fn the_front_page_is_neither_read_nor_resumed() {
        let mut progress = Progress::default();
        progress.visit("");
        progress.mark_read("");
        assert_eq!(progress, Progress::default());
    }
}
