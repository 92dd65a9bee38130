//! Search across the book: an index built once, at build time, from every
//! section's text, table cells and widget names; queried on each keystroke.
//!
//! `cargo xtask` writes the index as `search-index.json` next to the page; the
//! search box fetches it on first use (the service worker keeps it offline).
//! Each heading's stretch of text is one entry; words point to the entries
//! they occur in, weighted so that a heading outranks a passing mention.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::directive;
use super::Book;

/// The index's format; the search box refuses an index of another version.
pub const VERSION: u32 = 1;

/// The file name next to the page.
pub const FILE: &str = "search-index.json";

/// What a word is worth where it occurs.
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

/// `(entry, weight)` pairs of one word, entries in book order.
pub type Postings = Vec<(u32, u32)>;

/// The whole index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIndex {
    pub version: u32,
    pub entries: Vec<Entry>,
    /// Word to (entry, weight) pairs, entries in book order.
    pub words: BTreeMap<String, Postings>,
}

/// A result: the entry, its score and a snippet cut into plain and matching runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub score: u32,
    /// `(text, is_match)` runs of the snippet, for `<mark>`.
    pub snippet: Vec<(String, bool)>,
}

/// Lower-case words of two letters or more.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
}

impl SearchIndex {
    /// Builds the index of every page of `book`.
    pub fn build(book: &Book) -> Self {
        let mut entries = Vec::new();
        for page in book.pages() {
            entries.extend(page_entries(page.slug, &page.plain_title(), page.source));
        }
        let mut words: BTreeMap<String, BTreeMap<u32, u32>> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let mut add = |text: &str, weight: u32| {
                for word in self::words(text) {
                    *words.entry(word).or_default().entry(index).or_default() += weight;
                }
            };
            add(&entry.heading, IN_HEADING);
            add(&entry.text, IN_TEXT);
            for widget in &entry.widgets {
                add(widget, IN_WIDGET);
            }
        }
        Self {
            version: VERSION,
            entries,
            words: words
                .into_iter()
                .map(|(word, postings)| (word, postings.into_iter().collect()))
                .collect(),
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

    /// Entries holding every word of `query` (the last one as a prefix, since
    /// the reader is still typing it), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit<'_>> {
        let terms: Vec<String> = words(query).collect();
        let Some((last, whole)) = terms.split_last() else {
            return Vec::new();
        };
        let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
        let mut first = true;
        for (term, prefix) in whole
            .iter()
            .map(|t| (t, false))
            .chain(std::iter::once((last, true)))
        {
            let mut found: BTreeMap<u32, u32> = BTreeMap::new();
            let matching: Vec<&Postings> = if prefix {
                self.words
                    .range(term.clone()..)
                    .take_while(|(word, _)| word.starts_with(term.as_str()))
                    .map(|(_, postings)| postings)
                    .collect()
            } else {
                self.words.get(term).into_iter().collect()
            };
            for postings in matching {
                for &(entry, weight) in postings {
                    *found.entry(entry).or_default() += weight;
                }
            }
            scores = if first {
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
            first = false;
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
        ranked
            .into_iter()
            .filter_map(|(entry, score)| {
                let entry = self.entries.get(entry as usize)?;
                Some(Hit {
                    entry,
                    score,
                    snippet: snippet(entry, &terms),
                })
            })
            .collect()
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

/// About 160 characters of the entry around the first match, cut into runs.
fn snippet(entry: &Entry, terms: &[String]) -> Vec<(String, bool)> {
    const WIDTH: usize = 160;
    let text: Vec<char> = entry.text.chars().collect();
    let lower: Vec<char> = entry.text.to_lowercase().chars().collect();
    // Lower-casing can change the length of rare characters: then do not cut by index.
    if lower.len() != text.len() {
        return vec![(text.iter().take(WIDTH).collect(), false)];
    }
    let found = |from: usize| -> Option<(usize, usize)> {
        terms
            .iter()
            .filter_map(|term| {
                let term: Vec<char> = term.chars().collect();
                (from..lower.len().saturating_sub(term.len() - 1))
                    .find(|&i| {
                        lower[i..i + term.len()] == term[..]
                            && (i == 0 || !lower[i - 1].is_alphanumeric())
                    })
                    .map(|i| (i, term.len()))
            })
            .min()
    };
    let start = found(0).map_or(0, |(i, _)| i.saturating_sub(WIDTH / 3));
    let end = (start + WIDTH).min(text.len());
    let mut runs = Vec::new();
    let mut at = start;
    while at < end {
        match found(at).filter(|(i, _)| *i < end) {
            Some((i, len)) => {
                if i > at {
                    runs.push((text[at..i].iter().collect(), false));
                }
                let stop = (i + len).min(end);
                runs.push((text[i..stop].iter().collect(), true));
                at = stop;
            }
            None => {
                runs.push((text[at..end].iter().collect(), false));
                at = end;
            }
        }
    }
    if start > 0 {
        runs.insert(0, ("… ".to_owned(), false));
    }
    if end < text.len() {
        runs.push((" …".to_owned(), false));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::book;

    fn index() -> SearchIndex {
        SearchIndex::build(book())
    }

    #[test]
    fn deadlock_finds_the_pitfalls_section_first() {
        let index = index();
        let hits = index.search("deadlock", 10);
        assert!(!hits.is_empty());
        assert_eq!(
            hits[0].entry.page, "common-pitfalls",
            "{:?}",
            hits[0].entry.heading
        );
        assert!(
            hits[0]
                .snippet
                .iter()
                .any(|(text, hit)| *hit && text.eq_ignore_ascii_case("deadlock")),
            "{:?}",
            hits[0].snippet
        );
    }

    #[test]
    fn table_cells_and_widget_names_are_searchable() {
        let index = index();
        // A cell of the seed's §11 table.
        let cell = index.search("debugging difficulty", 5);
        assert!(cell.iter().any(|h| h.entry.page == "common-pitfalls"));
        // A widget title, not in the text.
        let widget = index.search("dining philosophers", 5);
        assert!(widget
            .iter()
            .any(|h| h.entry.widgets.iter().any(|w| w.contains("philosophers"))));
    }

    #[test]
    fn the_last_word_is_a_prefix_and_all_words_must_match() {
        let index = index();
        assert!(!index.search("mandelb", 3).is_empty());
        assert!(index.search("mandelbrot zzqxj", 3).is_empty());
        assert!(index.search("  ", 3).is_empty());
    }

    #[test]
    fn the_index_round_trips_and_refuses_another_version() {
        let index = index();
        let json = serde_json::to_string(&index).expect("serialises");
        assert_eq!(SearchIndex::parse(&json), Ok(index.clone()));
        let old = json.replacen("\"version\":1", "\"version\":0", 1);
        assert!(SearchIndex::parse(&old)
            .expect_err("refused")
            .contains("version 0"));
        assert!(SearchIndex::parse("{").is_err());
    }

    #[test]
    fn every_heading_of_every_page_is_an_entry() {
        let index = index();
        for page in book().pages() {
            let headings = crate::content::markdown::headings(page.source);
            let entries = index.entries.iter().filter(|e| e.page == page.slug).count();
            assert_eq!(entries, headings.len(), "{}", page.slug);
        }
    }
}
