//! The book's text and its model (crate `book-content`): the markdown pages
//! in `content/`, embedded at compile time.
//!
//! Pages are data, not code: a page is a markdown file whose first heading is
//! its title, and whose fenced `widget <id>` blocks mount live widgets
//! (see [`directive`]). [`markdown`] turns a page into blocks the UI renders;
//! [`static_page`] writes each page as the host serves it.
//!
//! Pure Rust with no web dependency, used by the book's build script, by
//! `cargo xtask` and by the browser (which gets the book's structure and
//! titles, not its markdown). The book re-exports it as
//! `concurrency_book::content`.

pub mod directive;
pub mod glossary;
pub mod markdown;
pub mod print;
pub mod questions;
pub mod search;
pub mod site;
pub mod static_page;

/// One page of the book: the front page or one of the seed's sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Position in reading order; 0 is the front page, 1..=14 the seed's sections.
    pub number: usize,
    /// The URL segment; empty for the front page, so links survive a static host.
    pub slug: &'static str,
    /// The markdown source, as written in `content/`; empty in the browser,
    /// which shows the pages as `build.rs` rendered them.
    pub source: &'static str,
    /// The self-check questions' JSON (`content/NN-slug.questions.json`);
    /// the front page has none, and in the browser they are fetched instead.
    pub questions: Option<&'static str>,
}

/// The pages' Rust examples as doctests (written by `build.rs`): each
/// compiles, and one marked `compile_fail` is refused, with the error code
/// it names, so the book never shows code that does not do what it says.
#[cfg(doctest)]
#[allow(non_camel_case_types)]
mod prose_examples {
    include!(concat!(env!("OUT_DIR"), "/prose_examples.rs"));
}

/// Every page's title, in reading order, as `build.rs` read them from the files.
const TITLES: [&str; 15] = include!(concat!(env!("OUT_DIR"), "/titles.rs"));

/// Every page's file name and source, in reading order. A host test checks
/// that this list and the `content/` folder agree.
/// A page's markdown on the host (tests, the build script, xtask); nothing in
/// the browser, which shows the pages the book's build script rendered
/// (`concurrency_book::prerendered`) and would only carry the markdown as
/// dead weight.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! markdown {
    ($file:literal) => {
        include_str!(concat!("../../content/", $file))
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! markdown {
    ($file:literal) => {
        ""
    };
}

/// A section's questions on the host; in the browser they are fetched with the
/// page (`questions/<slug>.json`, which `cargo xtask` writes next to it).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! questions {
    ($file:literal) => {
        Some(include_str!(concat!("../../content/", $file)))
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! questions {
    ($file:literal) => {
        None
    };
}

const PAGES: [(&str, &str, Option<&str>); 15] = [
    ("index.md", markdown!("index.md"), None),
    (
        "01-core-definitions.md",
        markdown!("01-core-definitions.md"),
        questions!("01-core-definitions.questions.json"),
    ),
    (
        "02-high-level-intuition.md",
        markdown!("02-high-level-intuition.md"),
        questions!("02-high-level-intuition.questions.json"),
    ),
    (
        "03-practical-example-web-server.md",
        markdown!("03-practical-example-web-server.md"),
        questions!("03-practical-example-web-server.questions.json"),
    ),
    (
        "04-visual-metaphor.md",
        markdown!("04-visual-metaphor.md"),
        questions!("04-visual-metaphor.questions.json"),
    ),
    (
        "05-system-design-impact.md",
        markdown!("05-system-design-impact.md"),
        questions!("05-system-design-impact.questions.json"),
    ),
    (
        "06-programming-language-and-runtime-support.md",
        markdown!("06-programming-language-and-runtime-support.md"),
        questions!("06-programming-language-and-runtime-support.questions.json"),
    ),
    (
        "07-detailed-comparison-table.md",
        markdown!("07-detailed-comparison-table.md"),
        questions!("07-detailed-comparison-table.questions.json"),
    ),
    (
        "08-hld-scenarios.md",
        markdown!("08-hld-scenarios.md"),
        questions!("08-hld-scenarios.questions.json"),
    ),
    (
        "09-related-concepts.md",
        markdown!("09-related-concepts.md"),
        questions!("09-related-concepts.questions.json"),
    ),
    (
        "10-concurrency-models.md",
        markdown!("10-concurrency-models.md"),
        questions!("10-concurrency-models.questions.json"),
    ),
    (
        "11-common-pitfalls.md",
        markdown!("11-common-pitfalls.md"),
        questions!("11-common-pitfalls.questions.json"),
    ),
    (
        "12-in-system-design.md",
        markdown!("12-in-system-design.md"),
        questions!("12-in-system-design.questions.json"),
    ),
    (
        "13-final-summary-table.md",
        markdown!("13-final-summary-table.md"),
        questions!("13-final-summary-table.questions.json"),
    ),
    (
        "14-tl-dr.md",
        markdown!("14-tl-dr.md"),
        questions!("14-tl-dr.questions.json"),
    ),
];

impl Page {
    /// The page's title: the text of its first heading, emoji included,
    /// read at build time (`build.rs`), so the browser has it without the
    /// markdown.
    pub fn title(&self) -> String {
        TITLES
            .get(self.number)
            .copied()
            .unwrap_or(self.slug)
            .to_owned()
    }

    /// The title without the leading emoji, for the browser tab and the sidebar's tooltip.
    /// The page's self-check questions; an empty list for the front page or
    /// a file the host tests would refuse.
    pub fn question_set(&self) -> Vec<questions::Question> {
        self.questions
            .and_then(|json| questions::parse(json).ok())
            .map(|set| set.questions)
            .unwrap_or_default()
    }

    pub fn plain_title(&self) -> String {
        let title = self.title();
        let start = title
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(0, |(i, _)| i);
        title[start..].to_owned()
    }
}

/// The whole book in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    pages: Vec<Page>,
}

/// The book, loaded once and shared by every component.
pub fn book() -> &'static Book {
    static BOOK: std::sync::OnceLock<Book> = std::sync::OnceLock::new();
    BOOK.get_or_init(Book::load)
}

impl Book {
    /// Loads the embedded pages. Cheap: the sources are static strings.
    pub fn load() -> Self {
        let pages = PAGES
            .iter()
            .enumerate()
            .map(|(number, (file, source, questions))| Page {
                number,
                slug: slug_of_file(file),
                source,
                questions: *questions,
            })
            .collect();
        Self { pages }
    }

    /// The file names the book embeds, for the test that compares them with `content/`.
    pub fn file_names() -> impl Iterator<Item = &'static str> {
        PAGES.iter().map(|(file, _, _)| *file)
    }

    /// Every page, the front page first.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// The front page.
    pub fn front(&self) -> &Page {
        &self.pages[0]
    }

    /// The seed's sections, in order.
    pub fn sections(&self) -> &[Page] {
        &self.pages[1..]
    }

    /// The page a URL segment names; `None` lets the UI show a "not found" page.
    pub fn by_slug(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|page| page.slug == slug)
    }

    /// The page before `page` in reading order.
    pub fn previous(&self, page: &Page) -> Option<&Page> {
        page.number.checked_sub(1).and_then(|n| self.pages.get(n))
    }

    /// The page after `page` in reading order.
    pub fn next(&self, page: &Page) -> Option<&Page> {
        self.pages.get(page.number + 1)
    }
}

/// `"01-core-definitions.md"` becomes `"core-definitions"`; `"index.md"` becomes `""`.
fn slug_of_file(file: &'static str) -> &'static str {
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem == "index" {
        return "";
    }
    match stem.split_once('-') {
        Some((number, rest)) if number.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_titles_read_at_build_time_are_the_first_headings() {
        for page in book().pages() {
            assert_eq!(
                Some(page.title()),
                markdown::first_heading(page.source),
                "{}",
                page.slug
            );
        }
    }

    #[test]
    fn slugs_drop_the_number_and_extension() {
        assert_eq!(slug_of_file("01-core-definitions.md"), "core-definitions");
        assert_eq!(slug_of_file("14-tl-dr.md"), "tl-dr");
        assert_eq!(slug_of_file("index.md"), "");
    }

    #[test]
    fn neighbours_follow_reading_order() {
        let book = Book::load();
        let first = &book.sections()[0];
        assert_eq!(book.previous(first).map(|p| p.slug), Some(""));
        assert_eq!(book.next(first).map(|p| p.number), Some(2));
        let last = book.pages().last().expect("the book has pages");
        assert!(book.next(last).is_none());
        assert!(book.previous(book.front()).is_none());
    }

    #[test]
    fn plain_titles_drop_the_emoji() {
        let book = Book::load();
        assert_eq!(book.sections()[0].plain_title(), "1. Core Definitions");
    }
}
