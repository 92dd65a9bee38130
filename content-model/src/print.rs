//! The print page (`/print/`, as mdBook's `print.html`): every section on one
//! page, put together at build time. Each page's ids live in the section that
//! holds it (`<section>--<id>`: every page has its own "What this means"),
//! links between pages become links within the print page, and each widget
//! becomes its title and a note, where the browser adds the reader's latest
//! figures (`ui::print_view`).

use std::fmt::Write;

use super::markdown::{self, escape, Block, PAGE_PATH_MARK};
use super::{book, Book};

/// The slug of the print page.
pub const PAGE_SLUG: &str = "print";

/// The id of a page's `<section>` on the print page: its slug, or `front`.
pub fn section_id(slug: &str) -> String {
    if slug.is_empty() {
        "front".to_owned()
    } else {
        slug.to_owned()
    }
}

/// The print page's HTML: every page of `book` in reading order.
pub fn html(book: &Book) -> String {
    let mut out = String::new();
    for page in book.pages() {
        let section = section_id(page.slug);
        let _ = write!(out, "<section class=\"print-section\" id=\"{section}\">");
        for block in markdown::render(page.source, PAGE_PATH_MARK) {
            match block {
                Block::Html(html) => out.push_str(&within_print(&html, &section)),
                Block::Widget(widget) => {
                    let _ = write!(
                        out,
                        "<div class=\"widget print-widget\" data-print-widget=\"{}\">\
                         <h4 class=\"widget-title\">{}</h4><p class=\"note\">An interactive \
                         widget: it runs on your machine in <a href=\"{}/\">the book's page</a>.\
                         </p></div>",
                        widget.kind.id(),
                        escape(widget.kind.title()),
                        if page.slug.is_empty() { "." } else { page.slug }
                    );
                }
                Block::BadWidget(why) => {
                    let _ = write!(
                        out,
                        "<p class=\"widget-error\">{}</p>",
                        escape(&why.to_string())
                    );
                }
            }
        }
        out.push_str("</section>");
    }
    out
}

/// A page's HTML with its ids moved into `section` and its links to pages of
/// the book pointed within the print page. The renderer writes every
/// attribute as ` name="value"`.
fn within_print(html: &str, section: &str) -> String {
    const ID: &str = " id=\"";
    const HREF: &str = " href=\"";
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next = [(rest.find(ID), ID), (rest.find(HREF), HREF)]
            .into_iter()
            .filter_map(|(at, name)| Some((at?, name)))
            .min();
        let Some((at, name)) = next else {
            out.push_str(rest);
            return out;
        };
        let start = at + name.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        if name == ID {
            let _ = write!(out, "{section}--{value}");
        } else {
            out.push_str(&within_document(value, section).unwrap_or_else(|| value.to_owned()));
        }
        rest = &rest[end..];
    }
}

/// Where a page's link (relative to the book's root, or to the page itself)
/// lands on the print page; `None` for a link anywhere else.
pub fn within_document(href: &str, section: &str) -> Option<String> {
    let here = href
        .strip_prefix(PAGE_PATH_MARK)
        .or_else(|| href.starts_with('#').then_some(href));
    if let Some(fragment) = here {
        let fragment = fragment.trim_start_matches('#');
        return Some(if fragment.is_empty() {
            format!("{PAGE_SLUG}/#{section}")
        } else {
            format!("{PAGE_SLUG}/#{section}--{fragment}")
        });
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let slug = match path {
        "" | "./" => "",
        _ => path.strip_suffix('/')?,
    };
    if slug.contains(['/', ':', '?', '.']) || (!slug.is_empty() && book().by_slug(slug).is_none()) {
        return None;
    }
    let target = section_id(slug);
    Some(if fragment.is_empty() {
        format!("{PAGE_SLUG}/#{target}")
    } else {
        format!("{PAGE_SLUG}/#{target}--{fragment}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_pages_and_headings_stay_in_the_document() {
        let to = |href: &str| within_document(href, "tl-dr");
        assert_eq!(
            to("common-pitfalls/").as_deref(),
            Some("print/#common-pitfalls")
        );
        assert_eq!(
            to("common-pitfalls/#deadlocks").as_deref(),
            Some("print/#common-pitfalls--deadlocks")
        );
        assert_eq!(to("./").as_deref(), Some("print/#front"));
        assert_eq!(
            to("%%PAGE_PATH%%#what-this-means").as_deref(),
            Some("print/#tl-dr--what-this-means")
        );
        assert_eq!(
            to("#what-this-means").as_deref(),
            Some("print/#tl-dr--what-this-means")
        );
    }

    #[test]
    fn other_links_are_left_alone() {
        let to = |href: &str| within_document(href, "tl-dr");
        assert_eq!(to("glossary/#term-deadlock"), None);
        assert_eq!(to("your-machine/"), None);
        assert_eq!(to("https://rust-lang.org/"), None);
        assert_eq!(to("no-such-page/"), None);
        assert_eq!(to("fonts/book-emoji.woff2"), None);
    }

    #[test]
    fn every_page_is_a_section_and_no_id_repeats() {
        let html = html(book());
        assert_eq!(
            html.matches("<section class=\"print-section\"").count(),
            book().pages().len()
        );
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for id in &ids {
            assert!(seen.insert(*id), "{id} repeats");
        }
        // Every link within the print page has its target.
        for target in html
            .split("href=\"print/#")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            assert!(seen.contains(target), "nothing has the id {target}");
        }
        assert!(!html.contains(PAGE_PATH_MARK));
    }
}
