//! Search across the book: an index built once, at build time, from every
//! section's text, table cells and widget names; queried on each keystroke.
//!
//! `cargo xtask` writes the index as `search-index.json` next to the page; the
//! search box fetches it on first use (the service worker keeps it offline).
//! Each heading's stretch of text is one entry; words are filed under their
//! stems, so "deadlocked" finds "deadlock", and point to the entries they occur
//! in, weighted so that a page's title outranks a heading, and a heading a
//! passing mention.

mod inflection;

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::directive;
use super::Book;

/// The index's format; the search box refuses an index of another version.
pub const VERSION: u32 = 2;

/// The file name next to the page.
pub const FILE: &str = "search-index.json";

/// What a word is worth where it occurs.
const IN_TITLE: u32 = 16;
const IN_HEADING: u32 = 8;
const IN_WIDGET: u32 = 4;
const IN_TEXT: u32 = 1;

/// One heading of one page and the text under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The page's slug (`""` for the front page).
    pub page: String,
    /// The page's title, for the result's first line.
    pub page_title: String,
    /// The heading's id on its page, for the link.
    pub heading_id: String,
    pub heading: String,
    /// Plain text under the heading, table cells included, for snippets.
    pub text: String,
    /// Titles of the widgets under the heading.
    pub widgets: Vec<String>,
}

/// `(entry, weight)` pairs of one stem, entries in book order.
pub type Postings = Vec<(u32, u32)>;

/// The whole index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIndex {
    pub version: u32,
    pub entries: Vec<Entry>,
    /// Stem to (entry, weight) pairs, entries in book order.
    pub stems: BTreeMap<String, Postings>,
    /// Each word of the book whose stem is not the word itself, to its stem:
    /// the page has no stemmer of its own (see `inflection`).
    pub forms: BTreeMap<String, String>,
}

/// A result: the entry, its score and a snippet cut into plain and matching runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub score: u32,
    /// `(text, is_match)` runs of the snippet, for `<mark>`.
    pub snippet: Vec<(String, bool)>,
}

/// What a query found: the best entries, and the stems its words matched, for
/// marking them on the page a result opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    pub hits: Vec<Hit<'a>>,
    pub stems: Vec<String>,
}

/// Lower-case words of two letters or more.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
}

impl SearchIndex {
    /// Builds the index of every page of `book`, filing each word under
    /// `stem(word)`: `cargo xtask` passes the Snowball English stemmer, which
    /// the book's module does not ship.
    pub fn build(book: &Book, stem: &dyn Fn(&str) -> String) -> Self {
        let mut entries = Vec::new();
        let mut titles = BTreeSet::new();
        for page in book.pages() {
            titles.insert(entries.len());
            entries.extend(page_entries(page.slug, &page.plain_title(), page.source));
        }
        let mut stems: BTreeMap<String, BTreeMap<u32, u32>> = BTreeMap::new();
        let mut forms = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let title = titles.contains(&index);
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let mut add = |text: &str, weight: u32| {
                for word in self::words(text) {
                    let stemmed = stem(&word);
                    *stems
                        .entry(stemmed.clone())
                        .or_default()
                        .entry(index)
                        .or_default() += weight;
                    if stemmed != word {
                        forms.insert(word, stemmed);
                    }
                }
            };
            add(&entry.heading, if title { IN_TITLE } else { IN_HEADING });
            add(&entry.text, IN_TEXT);
            for widget in &entry.widgets {
                add(widget, IN_WIDGET);
            }
        }
        Self {
            version: VERSION,
            entries,
            stems: stems
                .into_iter()
                .map(|(stem, postings)| (stem, postings.into_iter().collect()))
                .collect(),
            forms,
        }
    }

    /// Parses an index fetched by the page, refusing another version.
    pub fn parse(json: &str) -> Result<Self, String> {
        let index: Self =
            serde_json::from_str(json).map_err(|e| format!("the search index is damaged ({e})"))?;
        if index.version != VERSION {
            return Err(format!("the search index is version {}, this page reads version {VERSION}; reload the page", index.version));
        }
        Ok(index)
    }

    /// The stem a typed word is filed under, if the book has the word in any
    /// of its forms.
    pub fn stem_of(&self, typed: &str) -> Option<&str> {
        inflection::undone(typed).into_iter().find_map(|word| {
            if let Some(stem) = self.forms.get(&word) {
                Some(stem.as_str())
            } else {
                self.stems
                    .get_key_value(&word)
                    .map(|(stem, _)| stem.as_str())
            }
        })
    }

    /// The stem a word of the book's text is filed under.
    pub fn filed_under<'a>(&'a self, word: &'a str) -> &'a str {
        self.forms.get(word).map_or(word, String::as_str)
    }

    /// The stems the last word may still become as the reader types on: its
    /// own, and those of every word and stem it begins.
    fn stems_begun_by(&self, typed: &str) -> BTreeSet<&str> {
        // Sets here are filled by `insert` and `extend`: collecting into one
        // would sort, and ship a sort in the book's module.
        let mut found = BTreeSet::new();
        found.extend(self.stem_of(typed));
        found.extend(
            self.stems
                .range(typed.to_owned()..)
                .take_while(|(stem, _)| stem.starts_with(typed))
                .map(|(stem, _)| stem.as_str()),
        );
        found.extend(
            self.forms
                .range(typed.to_owned()..)
                .take_while(|(word, _)| word.starts_with(typed))
                .map(|(_, stem)| stem.as_str()),
        );
        found
    }

    /// Entries holding every word of `query` in some form (the last word also
    /// as the start of a word, since the reader is still typing it), best first.
    pub fn search(&self, query: &str, limit: usize) -> Found<'_> {
        let terms: Vec<String> = words(query).collect();
        let Some((last, whole)) = terms.split_last() else {
            return Found {
                hits: Vec::new(),
                stems: Vec::new(),
            };
        };
        let mut matched: Vec<BTreeSet<&str>> = whole
            .iter()
            .map(|term| {
                let mut stems = BTreeSet::new();
                stems.extend(self.stem_of(term));
                stems
            })
            .collect();
        matched.push(self.stems_begun_by(last));
        let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
        for (number, stems) in matched.iter().enumerate() {
            let mut found: BTreeMap<u32, u32> = BTreeMap::new();
            for postings in stems.iter().filter_map(|stem| self.stems.get(*stem)) {
                for &(entry, weight) in postings {
                    *found.entry(entry).or_default() += weight;
                }
            }
            scores = if number == 0 {
                found
            } else {
                // Inserted one by one: collecting into a map would sort, and
                // ship a sort for this type in the book.
                let mut kept = BTreeMap::new();
                for (entry, score) in scores {
                    if let Some(more) = found.get(&entry) {
                        kept.insert(entry, score + more);
                    }
                }
                kept
            };
        }
        // Words of the query that stand side by side in an entry too ("thread
        // pool") count as much as a heading.
        if matched.len() > 1 {
            for (entry, score) in &mut scores {
                if let Some(entry) = self.entries.get(*entry as usize) {
                    *score += IN_HEADING * self.side_by_side(entry, &matched);
                }
            }
        }
        // The best `limit` (highest score, then earliest entry), picked one at
        // a time: a few picks among a few dozen entries, and no sort to ship.
        let mut candidates: Vec<(u32, u32)> = scores.into_iter().collect();
        let mut ranked = Vec::new();
        while ranked.len() < limit {
            let best = (0..candidates.len()).max_by(|&a, &b| {
                let (a, b) = (candidates[a], candidates[b]);
                a.1.cmp(&b.1).then(b.0.cmp(&a.0))
            });
            match best {
                Some(index) => ranked.push(candidates.swap_remove(index)),
                None => break,
            }
        }
        let mut all = BTreeSet::new();
        for stems in &matched {
            all.extend(stems.iter().copied());
        }
        let hits = ranked
            .into_iter()
            .filter_map(|(entry, score)| {
                let entry = self.entries.get(entry as usize)?;
                Some(Hit {
                    entry,
                    score,
                    snippet: self.snippet(entry, &all),
                })
            })
            .collect();
        Found {
            hits,
            stems: all.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// The entries of one page: one per heading, with the text up to the next heading.
fn page_entries(slug: &str, title: &str, source: &str) -> Vec<Entry> {
    let headings = super::markdown::headings(source);
    let mut entries: Vec<Entry> = Vec::new();
    let mut next_heading = headings.iter();
    let mut in_heading = false;
    let mut skip_code = false;
    for event in Parser::new_ext(source, super::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                if let Some(heading) = next_heading.next() {
                    entries.push(Entry {
                        page: slug.to_owned(),
                        page_title: title.to_owned(),
                        heading_id: heading.id.clone(),
                        heading: heading.text.clone(),
                        text: String::new(),
                        widgets: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
                if let Some(Ok(widget)) = directive::parse_info(&info) {
                    if let Some(entry) = entries.last_mut() {
                        entry.widgets.push(format!(
                            "{} ({})",
                            widget.kind.title(),
                            widget.kind.id()
                        ));
                    }
                    skip_code = true;
                }
            }
            Event::End(TagEnd::CodeBlock) => skip_code = false,
            Event::Text(text) | Event::Code(text) if !in_heading && !skip_code => {
                if let Some(entry) = entries.last_mut() {
                    if !entry.text.is_empty() && !entry.text.ends_with(' ') {
                        entry.text.push(' ');
                    }
                    entry.text.push_str(text.trim());
                }
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::TableCell | TagEnd::Paragraph | TagEnd::Item) => {
                if let Some(entry) = entries.last_mut() {
                    if !entry.text.ends_with(' ') {
                        entry.text.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    entries
}

impl SearchIndex {
    /// Byte ranges of the words of `text` that are filed under one of `stems`:
    /// what the results and the page a result opens mark.
    pub fn matches_in(&self, text: &str, stems: &BTreeSet<&str>) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut start = None;
        for (at, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(at),
                (false, Some(from)) => {
                    let word = text[from..at].to_lowercase();
                    if stems.contains(self.filed_under(&word)) {
                        found.push((from, at));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        found
    }

    /// How often the query's words follow one another, in the query's order,
    /// in the entry's heading or text.
    fn side_by_side(&self, entry: &Entry, matched: &[BTreeSet<&str>]) -> u32 {
        let mut count = 0;
        for text in [&entry.heading, &entry.text] {
            let stems: Vec<String> = words(text)
                .map(|word| self.filed_under(&word).to_owned())
                .collect();
            for run in stems.windows(matched.len()) {
                if run
                    .iter()
                    .zip(matched)
                    .all(|(stem, wanted)| wanted.contains(stem.as_str()))
                {
                    count += 1;
                }
            }
        }
        count
    }

    /// About 160 characters of the entry around the first match, cut into runs.
    fn snippet(&self, entry: &Entry, stems: &BTreeSet<&str>) -> Vec<(String, bool)> {
        const WIDTH: usize = 160;
        let text = entry.text.as_str();
        let marks = self.matches_in(text, stems);
        let first = marks.first().map_or(0, |&(from, _)| from);
        let start = text[..first]
            .char_indices()
            .rev()
            .nth(WIDTH / 3 - 1)
            .map_or(0, |(at, _)| at);
        let end = text[start..]
            .char_indices()
            .nth(WIDTH)
            .map_or(text.len(), |(at, _)| start + at);
        let mut runs = Vec::new();
        if start > 0 {
            runs.push(("… ".to_owned(), false));
        }
        let mut at = start;
        for (from, to) in marks {
            if from < at || from >= end {
                continue;
            }
            if from > at {
                runs.push((text[at..from].to_owned(), false));
            }
            let to = to.min(end);
            runs.push((text[from..to].to_owned(), true));
            at = to;
        }
        if at < end {
            runs.push((text[at..end].to_owned(), false));
        }
        if end < text.len() {
            runs.push((" …".to_owned(), false));
        }
        runs
    }
}

// Host tests: they build the index with the Snowball stemmer, as xtask does.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
