//! The pages as `build.rs` rendered them: HTML runs and the widgets to mount
//! between them, with each page's questions. The browser uses these; the host
//! tests check they equal what `content::markdown::render` gives.

use crate::content::directive::WidgetKind;
use crate::content::markdown::PAGE_PATH_MARK;

/// One page, rendered.
pub struct Prerendered {
    /// Its self-check questions' ids and how many choices each has (the
    /// questions themselves are fetched with the page): enough to count
    /// answers and to refuse a stored answer that does not fit.
    pub questions: &'static [(&'static str, usize)],
    pub pieces: &'static [Piece],
}

/// A run of HTML, or a widget to mount there.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// The page's `n`th run of HTML (fetched with the page, see [`HtmlRuns`]),
    /// whose heading self-links carry [`PAGE_PATH_MARK`] for the page's path.
    Html(usize),
    /// A widget and the parameters its author gave it.
    Widget(WidgetKind, &'static [(&'static str, &'static str)]),
    /// A `widget` block that names no known widget: why, for the error box.
    BadWidget(&'static str),
}

/// The glossary page's entries: written next to the pages by `cargo xtask`
/// and fetched by the book. Built into a module only where something reads
/// it: the host (tests, xtask) and `wasm-bindgen-test`, whose runner serves
/// no site; the linker leaves it out of the book's module.
pub static GLOSSARY_HTML: &str = include_str!(concat!(env!("OUT_DIR"), "/glossary.html"));

/// Every page, in reading order.
pub static PAGES: [Prerendered; 15] = include!(concat!(env!("OUT_DIR"), "/prerendered.rs"));

/// Each page's runs of HTML, in order: what `pages/<slug>.json` holds. Like
/// [`GLOSSARY_HTML`], in a module only where something reads it.
pub static HTML_RUNS: [&[&str]; 15] = include!(concat!(env!("OUT_DIR"), "/chunks.rs"));

/// A page's runs of HTML, as fetched.
pub type HtmlRuns = Vec<String>;

/// Heading self-links need the page's absolute path, which depends on where
/// the book is hosted: filled in when the page is shown.
pub fn html_for(html: &str, page_path: &str) -> String {
    html.replace(PAGE_PATH_MARK, page_path)
}

// Host tests: they compare with the renderer, which runs on the host.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn the_glossary_page_lists_every_term_with_its_section() {
        for term in crate::content::glossary::terms() {
            assert!(
                super::GLOSSARY_HTML.contains(&format!("<dt id=\"{}\">", term.slug())),
                "{}",
                term.term
            );
            assert!(
                super::GLOSSARY_HTML.contains(&format!("href=\"{}/\"", term.section)),
                "{}",
                term.term
            );
        }
    }

    use super::*;
    use crate::content::book;
    use crate::content::markdown::{render, Block};

    #[test]
    fn the_pre_rendered_pages_are_what_the_renderer_gives() {
        assert_eq!(PAGES.len(), book().pages().len());
        for (page, pre) in book().pages().iter().zip(&PAGES) {
            let questions: Vec<(String, usize)> = page
                .question_set()
                .into_iter()
                .map(|q| (q.id, q.choices.len()))
                .collect();
            let shapes: Vec<(String, usize)> = pre
                .questions
                .iter()
                .map(|&(id, choices)| (id.to_owned(), choices))
                .collect();
            assert_eq!(shapes, questions, "{}", page.slug);
            let rendered = render(page.source, "/book/x/");
            assert_eq!(rendered.len(), pre.pieces.len(), "{}", page.slug);
            let runs = rendered
                .iter()
                .filter(|b| matches!(b, Block::Html(_)))
                .count();
            assert_eq!(HTML_RUNS[page.number].len(), runs, "{}", page.slug);
            for (block, piece) in rendered.iter().zip(pre.pieces) {
                match (block, piece) {
                    (Block::Html(html), Piece::Html(run)) => {
                        assert_eq!(html, &html_for(HTML_RUNS[page.number][*run], "/book/x/"))
                    }
                    (Block::Widget(widget), Piece::Widget(kind, params)) => {
                        assert_eq!(widget.kind, *kind);
                        let params: Vec<(String, String)> = params
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                            .collect();
                        assert_eq!(widget.params, params);
                    }
                    (Block::BadWidget(error), Piece::BadWidget(message)) => {
                        assert_eq!(&error.to_string(), message)
                    }
                    (block, piece) => panic!("{}: {block:?} against {piece:?}", page.slug),
                }
            }
        }
    }
}
