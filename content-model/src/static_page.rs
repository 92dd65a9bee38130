//! Every page of the book as plain HTML, written into its `index.html` at
//! build time (`cargo xtask dist`), as mdBook writes its pages: the text is on
//! screen before the WebAssembly has loaded, and reads in full where it never
//! starts (JavaScript off, an old browser, a blocked or failed download).
//!
//! The markup is the app's own (`ui::shell`, `ui::page`, `ui::widget_host`):
//! the same elements and classes, the same text, so that when the app starts
//! it takes over in place (`ui::take_over`) and nothing on screen moves. A
//! browser test renders both and compares them (`tests/web/take_over.rs`).
//!
//! What needs the app is marked for the stylesheet: `needs-app` (controls that
//! do nothing without it) and, in pairs, `when-app` and `when-static` (what to
//! say while the app loads, and what to say when it will not start). The
//! `app` class on `<html>`, set by `www/boot.js` where the app can start,
//! picks one.

use std::fmt::Write;

use super::directive::WidgetKind;
use super::markdown::{escape, Block};
use super::{book, glossary, print, Page};

/// The id of the static page's root, which the app replaces.
pub const STATIC_ROOT_ID: &str = "static-book";

/// The comments around each run of a section's text (`<!--run-->…<!--/run-->`).
pub const RUN_START: &str = "run";
pub const RUN_END: &str = "/run";

/// The glossary page's lead paragraph.
pub const GLOSSARY_INTRO: &str = "The concepts of §9 Related Concepts and §10 Concurrency Models, and the book's own central terms. In the text, the first mention of each term on a page links here and shows its definition on hover or focus.";

/// The print page's note above the book.
pub const PRINT_NOTE: &str = "The whole book on one page, to print or to save as PDF with your browser's Print command. Each widget shows your latest figures from “Your machine”, where you have run it.";

/// The "Your machine" page's lead paragraph.
pub const YOUR_MACHINE_INTRO: &str = "Every widget you ran in this browser keeps its latest figures here, with the machine they were measured on. Compare them with a colleague's, or show a class one machine's results with the permalink: the results travel inside the link, not to a server.";

/// The slug of the "Your machine" page, where the reader's results are kept.
pub const YOUR_MACHINE_SLUG: &str = "your-machine";

/// The book's name, in the top bar and in every page's title.
pub const BOOK_NAME: &str = "Concurrency vs Parallelism";

/// A page of the site, as a static host serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitePage<'a> {
    /// The front page or a section.
    Section(&'a Page),
    Glossary,
    YourMachine,
    Print,
    /// `404.html`: what a host serves for a path that is not in the book.
    NotFound,
}

impl SitePage<'static> {
    /// Every page with a URL of its own, in the sidebar's order.
    pub fn all() -> Vec<SitePage<'static>> {
        book()
            .pages()
            .iter()
            .map(SitePage::Section)
            .chain([SitePage::Glossary, SitePage::YourMachine, SitePage::Print])
            .collect()
    }
}

impl SitePage<'_> {
    /// Its path under the book's base, `""` for the front page, else a folder
    /// (`core-definitions/`); `None` for the page that has no URL of its own.
    pub fn path(&self) -> Option<String> {
        let folder = |slug: &str| format!("{slug}/");
        match self {
            SitePage::Section(page) if page.slug.is_empty() => Some(String::new()),
            SitePage::Section(page) => Some(folder(page.slug)),
            SitePage::Glossary => Some(folder(glossary::PAGE_SLUG)),
            SitePage::YourMachine => Some(folder(YOUR_MACHINE_SLUG)),
            SitePage::Print => Some(folder(print::PAGE_SLUG)),
            SitePage::NotFound => None,
        }
    }

    /// The browser tab's title (the app sets the same one).
    pub fn title(&self) -> String {
        let named = |name: &str| format!("{name} — {BOOK_NAME}");
        match self {
            SitePage::Section(page) if page.number == 0 => {
                format!("{BOOK_NAME} — an interactive book")
            }
            SitePage::Section(page) => named(&page.plain_title()),
            SitePage::Glossary => named("Glossary"),
            SitePage::YourMachine => named("Your machine"),
            SitePage::Print => named("The whole book"),
            SitePage::NotFound => named("Not found"),
        }
    }

    /// What a search engine or a shared link's preview says of the page: the
    /// first paragraph of its text, cut at a word near 160 characters.
    pub fn description(&self) -> String {
        let text = match self {
            SitePage::Section(page) => super::markdown::first_paragraph(page.source)
                .unwrap_or_else(|| page.plain_title()),
            SitePage::Glossary => GLOSSARY_INTRO.to_owned(),
            SitePage::YourMachine => YOUR_MACHINE_INTRO.to_owned(),
            SitePage::Print | SitePage::NotFound => {
                "An interactive textbook on concurrency and parallelism: every claim runs and is measured in your browser.".to_owned()
            }
        };
        shorten(&text, 160)
    }
}

/// `text` cut at the last word that ends within `limit` characters, with an
/// ellipsis when anything was cut.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', ';', ':', '.']))
}

/// A section's absolute path under `base`, which its heading self-links carry.
pub fn page_path(page: &Page, base: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        SitePage::Section(page).path().unwrap_or_default()
    )
}

/// The `<body>` content of `page`'s `index.html`. `base` is the book's public
/// URL (`/` or `/book/`); `blocks` a section's text as
/// `markdown::render(source, page_path(page, base))` gives it; `extra` the
/// glossary's entries or the print page's sections for those pages (both
/// fetched files of the site).
pub fn body(page: SitePage, base: &str, blocks: &[Block], extra: &str) -> String {
    let base = base.trim_end_matches('/');
    // A section names itself, for the app to take its text from here.
    let mut html = match page {
        SitePage::Section(section) => format!(
            "<div class=\"book\" id=\"{STATIC_ROOT_ID}\" data-page=\"{}\">",
            section.slug
        ),
        _ => format!("<div class=\"book\" id=\"{STATIC_ROOT_ID}\">"),
    };
    html.push_str(
        "<a class=\"skip-link\" href=\"#content\">Skip to content</a>\
         <header class=\"top-bar\">\
         <button class=\"menu-toggle needs-app\" type=\"button\" aria-controls=\"toc\" aria-expanded=\"false\">\
         <svg aria-hidden=\"true\" width=\"18\" height=\"14\" viewBox=\"0 0 18 14\">\
         <path d=\"M0 1h18M0 7h18M0 13h18\" stroke=\"currentColor\" stroke-width=\"2\"></path></svg>\
         <span class=\"visually-hidden\">Table of contents</span></button>",
    );
    let _ = write!(
        html,
        "<a class=\"book-title\" href=\"{base}/\">{BOOK_NAME}</a>"
    );
    html.push_str(
        "<button class=\"search-toggle needs-app\" type=\"button\" aria-keyshortcuts=\"S /\" title=\"Search (S or /)\">\
         <svg aria-hidden=\"true\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\">\
         <circle cx=\"6.5\" cy=\"6.5\" r=\"5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"></circle>\
         <path d=\"M10.5 10.5l4.5 4.5\" stroke=\"currentColor\" stroke-width=\"2\"></path></svg>\
         <span class=\"search-label\">Search</span></button>\
         <button class=\"theme-toggle needs-app\" type=\"button\" aria-label=\"Switch theme\" title=\"Switch theme\">\
         <span aria-hidden=\"true\">🌙</span></button></header>",
    );
    sidebar(&mut html, page, base);
    html.push_str("<main id=\"content\" class=\"content\" tabindex=\"-1\">");
    match page {
        SitePage::Section(section) => section_page(&mut html, section, base, blocks),
        SitePage::Glossary => {
            let _ = write!(
                html,
                "<article class=\"page glossary\"><h1>📚 Glossary</h1><p>{}</p>{extra}</article>",
                escape(GLOSSARY_INTRO)
            );
        }
        SitePage::Print => {
            let _ = write!(
                html,
                "<article class=\"page print-book\"><div class=\"print-note\"><p>{}</p>\
                 <button class=\"needs-app\" type=\"button\">Print…</button></div>{extra}</article>",
                escape(PRINT_NOTE)
            );
        }
        SitePage::YourMachine => {
            let _ = write!(
                html,
                "<article class=\"page your-machine\"><h1>💻 Your machine</h1><p>{}</p>\
                 <p class=\"loading when-app\" role=\"status\">Loading your results…</p>\
                 <p class=\"note when-static\">Your results are kept by the book's WebAssembly, \
                 which has not started in this browser: with JavaScript and WebAssembly on, this \
                 page lists them.</p></article>",
                escape(YOUR_MACHINE_INTRO)
            );
        }
        SitePage::NotFound => {
            let _ = write!(
                html,
                "<article class=\"page not-found\"><h1>This page is not in the book</h1>\
                 <p>The address names no section. <a href=\"{base}/\">Go to the front page</a> or \
                 pick a section from the table of contents.</p></article>"
            );
        }
    }
    html.push_str("</main></div>");
    html
}

/// The table of contents, the current page marked as the app marks it.
fn sidebar(html: &mut String, current: SitePage, base: &str) {
    html.push_str("<nav id=\"toc\" class=\"sidebar\" aria-label=\"Table of contents\"><ol>");
    for page in book().pages() {
        let active = current == SitePage::Section(page);
        let _ = write!(
            html,
            "<li{}><a href=\"{base}/{}\"><span{}>{}</span></a></li>",
            if active { " class=\"active\"" } else { "" },
            SitePage::Section(page).path().unwrap_or_default(),
            if active { " aria-current=\"page\"" } else { "" },
            escape(&page.title())
        );
    }
    html.push_str("</ol><ol class=\"toc-extra\">");
    for (page, label) in [
        (SitePage::Glossary, "📚 Glossary"),
        (SitePage::YourMachine, "💻 Your machine"),
        (SitePage::Print, "📖 The whole book, to print"),
    ] {
        let _ = write!(
            html,
            "<li{}><a href=\"{base}/{}\">{label}</a></li>",
            if current == page {
                " class=\"active\""
            } else {
                ""
            },
            page.path().unwrap_or_default(),
        );
    }
    html.push_str("</ol></nav>");
}

/// A section: its text, a placeholder where each widget goes, the self-check's
/// place, and the links to the pages around it.
fn section_page(html: &mut String, page: &Page, base: &str, blocks: &[Block]) {
    html.push_str("<article class=\"page\">");
    let mut widgets_explained = false;
    for block in blocks {
        match block {
            // Marked, so that the app takes the page's text from here rather
            // than fetch it again (`ui::take_over`).
            Block::Html(run) => {
                let _ = write!(html, "<!--{RUN_START}-->{run}<!--{RUN_END}-->");
            }
            Block::Widget(widget) => {
                if !widgets_explained {
                    widgets_explained = true;
                    let _ = write!(
                        html,
                        "<p class=\"when-static widget-note\">{}</p>",
                        escape(WIDGETS_NOT_RUNNING)
                    );
                }
                widget_placeholder(html, widget.kind);
            }
            Block::BadWidget(why) => {
                let _ = write!(
                    html,
                    "<div class=\"widget-error\" role=\"alert\"><strong>This widget cannot be shown: </strong>{}</div>",
                    escape(&why.to_string())
                );
            }
        }
    }
    if page.questions.is_some() {
        html.push_str(
            "<p class=\"self-check-score\"><span class=\"when-app\">Loading this section's questions…</span>\
             <span class=\"when-static\">This section's self-check questions need JavaScript and \
             WebAssembly, which have not started here.</span></p>",
        );
    }
    html.push_str("</article><nav class=\"page-nav\" aria-label=\"Previous and next pages\">");
    if let Some(previous) = book().previous(page) {
        let _ = write!(
            html,
            "<a class=\"previous\" href=\"{base}/{}\"><span aria-hidden=\"true\">← </span>{}</a>",
            SitePage::Section(previous).path().unwrap_or_default(),
            escape(&previous.title())
        );
    }
    if let Some(next) = book().next(page) {
        let _ = write!(
            html,
            "<a class=\"next\" href=\"{base}/{}\">{}<span aria-hidden=\"true\"> →</span></a>",
            SitePage::Section(next).path().unwrap_or_default(),
            escape(&next.title())
        );
    }
    html.push_str("</nav>");
}

/// Where a widget goes: the app's "loading" line while it starts, and without
/// it, what the widget would have measured and why it is not here.
fn widget_placeholder(html: &mut String, kind: WidgetKind) {
    let _ = write!(
        html,
        "<div class=\"widget-host\"><div></div><p class=\"widget-loading\">\
         <span class=\"when-app\">Loading the widget “{title}”…</span>\
         <span class=\"when-static\"><strong>Widget: {title}.</strong> {what}</span></p></div>",
        title = escape(kind.title()),
        what = escape(kind.summary()),
    );
}

/// Said once, before a page's first widget, where the widgets cannot run.
pub const WIDGETS_NOT_RUNNING: &str = "The widgets on this page run on your machine, in WebAssembly: they need JavaScript and a browser that runs WebAssembly, and have not started here. Each is described where it would appear.";
