//! The index against the book: what readers type finds the page they want,
//! and the page's word-to-stem lookup agrees with the Snowball stemmer the
//! index was built with.

use rust_stemmers::{Algorithm, Stemmer};

use super::*;
use crate::book;

fn snowball(word: &str) -> String {
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

fn index() -> SearchIndex {
    SearchIndex::build(book(), &snowball)
}

/// Thirty queries a reader might type, from the glossary's terms (in other
/// inflections), the headings and the ideas the book teaches, each with the
/// page that should be among the first three results.
const READER_QUERIES: [(&str, &str); 30] = [
    ("actors", "concurrency-models"),
    ("amdahl", "system-design-impact"),
    ("asynchronous", "related-concepts"),
    ("backpressure", "concurrency-models"),
    ("context switches", "system-design-impact"),
    (
        "cross-origin isolated",
        "programming-language-and-runtime-support",
    ),
    ("data races", "detailed-comparison-table"),
    ("deadlocked", "common-pitfalls"),
    ("event loops", "concurrency-models"),
    ("false sharing", "common-pitfalls"),
    ("gil", "programming-language-and-runtime-support"),
    ("livelocks", "common-pitfalls"),
    ("microtasks", "concurrency-models"),
    ("multithreaded", "related-concepts"),
    ("preempted", "high-level-intuition"),
    ("priority inversions", "common-pitfalls"),
    ("race conditions", "common-pitfalls"),
    ("reactive streams", "concurrency-models"),
    ("simd", "related-concepts"),
    ("starved", "common-pitfalls"),
    ("contended threads", "common-pitfalls"),
    ("thread pools", "practical-example-web-server"),
    ("time slices", "high-level-intuition"),
    ("web workers", "related-concepts"),
    ("stealing work", "in-system-design"),
    ("mutexes", "common-pitfalls"),
    ("physical cores", "high-level-intuition"),
    ("web servers", "practical-example-web-server"),
    ("visual metaphors", "visual-metaphor"),
    ("runtimes", "programming-language-and-runtime-support"),
];

#[test]
fn reader_queries_find_their_page_in_the_first_three() {
    let index = index();
    let mut missed = Vec::new();
    for (query, page) in READER_QUERIES {
        let found = index.search(query, 3);
        if !found.hits.iter().any(|hit| hit.entry.page == page) {
            let pages: Vec<&str> = found.hits.iter().map(|h| h.entry.page.as_str()).collect();
            missed.push(format!("{query:?} wants {page}, found {pages:?}"));
        }
    }
    let found = READER_QUERIES.len() - missed.len();
    println!("recall: {found}/{} reader queries", READER_QUERIES.len());
    assert!(missed.len() <= MISSES_ALLOWED, "{missed:#?}");
}

/// What stemming cannot reach: Snowball files "starved" under "starv" but
/// "starvation" under "starvat", "contended" under "contend" but "contention"
/// under "content", "preempted" under "preempt" but "preemption" as it
/// stands; and the front page's notes on cross-origin isolation outrank §6's.
const MISSES_ALLOWED: usize = 4;

#[test]
fn deadlocked_and_mutexes_find_the_pitfalls() {
    let index = index();
    for query in ["deadlocked", "mutexes", "deadlocks", "livelocks"] {
        let found = index.search(query, 10);
        assert!(
            found.hits.iter().any(|h| h.entry.page == "common-pitfalls"),
            "{query}"
        );
    }
}

#[test]
fn deadlock_finds_the_pitfalls_section_first_and_marks_every_form() {
    let index = index();
    let found = index.search("deadlock", 10);
    let first = found.hits.first().expect("a hit");
    assert_eq!(
        first.entry.page, "common-pitfalls",
        "{:?}",
        first.entry.heading
    );
    let marked: Vec<String> = first
        .snippet
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(text, _)| text.to_lowercase())
        .collect();
    assert!(!marked.is_empty(), "{:?}", first.snippet);
    assert!(
        marked.iter().all(|word| word.starts_with("deadlock")),
        "{marked:?}"
    );
    assert_eq!(found.stems, ["deadlock"]);
}

#[test]
fn a_page_title_outranks_a_heading_and_a_heading_the_text() {
    let index = index();
    let found = index.search("visual metaphor", 3);
    let first = found.hits.first().expect("a hit");
    assert_eq!(first.entry.heading, "🔍 4. Visual Metaphor");
    assert!(found.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn the_page_resolves_typed_words_as_the_stemmer_does() {
    let index = index();
    // Every word of the book, as it stands in the text.
    for (word, stem) in &index.forms {
        assert_eq!(index.stem_of(word), Some(stem.as_str()), "{word}");
    }
    // Forms the book does not use, of words it does.
    let typed = READER_QUERIES
        .iter()
        .flat_map(|(query, _)| words(query))
        .chain(
            [
                "deadlocking",
                "mutexes",
                "livelocks",
                "schedulers",
                "scheduled",
                "races",
                "threaded",
                "pools",
                "preempting",
                "workers",
                "stealing",
                "locks",
                "benchmarks",
                "timers",
                "actors",
                "messages",
                "queues",
                "cores",
            ]
            .map(str::to_owned),
        );
    for word in typed {
        let stem = snowball(&word);
        if index.stems.contains_key(&stem) {
            assert_eq!(index.stem_of(&word), Some(stem.as_str()), "{word}");
        }
    }
}

#[test]
fn table_cells_and_widget_names_are_searchable() {
    let index = index();
    // A cell of the seed's §11 table.
    let cell = index.search("debugging difficulty", 5);
    assert!(cell.hits.iter().any(|h| h.entry.page == "common-pitfalls"));
    // A widget title, not in the text.
    let widget = index.search("dining philosophers", 5);
    assert!(widget
        .hits
        .iter()
        .any(|h| h.entry.widgets.iter().any(|w| w.contains("philosophers"))));
}

#[test]
fn the_last_word_is_a_prefix_and_all_words_must_match() {
    let index = index();
    assert!(!index.search("mandelb", 3).hits.is_empty());
    // Longer than the stem ("parallel"), still being typed.
    assert!(!index.search("parallelis", 3).hits.is_empty());
    assert!(index.search("mandelbrot zzqxj", 3).hits.is_empty());
    assert!(index.search("zzqxj mandelbrot", 3).hits.is_empty());
    assert!(index.search("  ", 3).hits.is_empty());
}

#[test]
fn the_index_round_trips_and_refuses_another_version() {
    let index = index();
    let json = serde_json::to_string(&index).expect("serialises");
    assert_eq!(SearchIndex::parse(&json), Ok(index.clone()));
    let old = json.replacen(&format!("\"version\":{VERSION}"), "\"version\":1", 1);
    assert!(SearchIndex::parse(&old)
        .expect_err("refused")
        .contains("version 1"));
    assert!(SearchIndex::parse("{").is_err());
}

#[test]
fn every_heading_of_every_page_is_an_entry() {
    let index = index();
    for page in book().pages() {
        let headings = crate::markdown::headings(page.source);
        let entries = index.entries.iter().filter(|e| e.page == page.slug).count();
        assert_eq!(entries, headings.len(), "{}", page.slug);
    }
}
