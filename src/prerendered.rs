//! The pages as `build.rs` rendered them: HTML runs and the widgets to mount
//! between them, with each page's title. The browser uses these; the host
//! tests check they equal what `content::markdown::render` gives.

use crate::content::directive::WidgetKind;
use crate::content::markdown::PAGE_PATH_MARK;

/// One page, rendered.
pub struct Prerendered {
    /// The text of its first heading.
    pub title: &'static str,
    pub pieces: &'static [Piece],
}

/// A run of HTML, or a widget to mount there.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// HTML whose heading self-links carry [`PAGE_PATH_MARK`] for the page's path.
    Html(&'static str),
    /// A widget and the parameters its author gave it.
    Widget(WidgetKind, &'static [(&'static str, &'static str)]),
    /// A `widget` block that names no known widget: why, for the error box.
    BadWidget(&'static str),
}

/// Every page, in reading order.
pub static PAGES: [Prerendered; 15] = include!(concat!(env!("OUT_DIR"), "/prerendered.rs"));

/// Heading self-links need the page's absolute path, which depends on where
/// the book is hosted: filled in when the page is shown.
pub fn html_for(html: &str, page_path: &str) -> String {
    html.replace(PAGE_PATH_MARK, page_path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::book;
    use crate::content::markdown::{render, Block};

    #[test]
    fn the_pre_rendered_pages_are_what_the_renderer_gives() {
        assert_eq!(PAGES.len(), book().pages().len());
        for (page, pre) in book().pages().iter().zip(&PAGES) {
            assert_eq!(pre.title, page.title(), "{}", page.slug);
            let rendered = render(page.source, "/book/x/");
            assert_eq!(rendered.len(), pre.pieces.len(), "{}", page.slug);
            for (block, piece) in rendered.iter().zip(pre.pieces) {
                match (block, piece) {
                    (Block::Html(html), Piece::Html(pre)) => {
                        assert_eq!(html, &html_for(pre, "/book/x/"))
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
