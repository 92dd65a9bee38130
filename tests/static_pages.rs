//! The pages as the host serves them, before and without the WebAssembly
//! (`content::static_page`): every section's whole text, the table of
//! contents, the links around it, and a placeholder that explains each widget.

#[path = "support/html_text.rs"]
mod html_text;
#[path = "support/seed.rs"]
mod seed;

use concurrency_book::content::directive::WidgetKind;
use concurrency_book::content::markdown::{self, Block};
use concurrency_book::content::static_page::{self, SitePage, RUN_END, RUN_START};
use concurrency_book::content::{book, glossary};
use html_text::visible_text;

/// `page`'s body under `base`, its text rendered as the build renders it.
fn body(page: SitePage, base: &str, extra: &str) -> String {
    let blocks = match page {
        SitePage::Section(section) => {
            markdown::render(section.source, &static_page::page_path(section, base))
        }
        _ => Vec::new(),
    };
    static_page::body(page, base, &blocks, extra)
}

#[test]
fn every_section_s_page_holds_its_seed_tables_and_headings() {
    let sections = seed::sections();
    for page in book().sections() {
        let html = body(SitePage::Section(page), "/", "");
        let text = visible_text(&html);
        let cells = seed::table_cells(sections[page.number - 1]);
        for cell in &cells {
            assert!(text.contains(cell.as_str()), "{} lost {cell:?}", page.slug);
        }
        for heading in markdown::headings(page.source) {
            assert!(
                html.contains(&format!("id=\"{}\"", heading.id)),
                "{} lost the heading {:?}",
                page.slug,
                heading.text
            );
        }
    }
    // Guards the loop: the seed's tables were found.
    let total: usize = sections.iter().map(|s| seed::table_cells(s).len()).sum();
    assert!(total > 150, "only {total} seed cells found");
}

#[test]
fn the_text_runs_are_the_ones_the_app_fetches_in_order() {
    for page in book().pages() {
        let path = format!(
            "/book/{}",
            SitePage::Section(page)
                .path()
                .expect("a section has a path")
        );
        let html = body(SitePage::Section(page), "/book/", "");
        let start = format!("<!--{RUN_START}-->");
        let end = format!("<!--{RUN_END}-->");
        let on_page: Vec<&str> = html
            .split(&start)
            .skip(1)
            .map(|part| part.split(&end).next().unwrap_or_default())
            .collect();
        // What `pages/<slug>.json` holds, with the page's path filled in as
        // the app fills it in.
        let rendered: Vec<String> = markdown::render(page.source, markdown::PAGE_PATH_MARK)
            .into_iter()
            .filter_map(|block| match block {
                Block::Html(html) => Some(html.replace(markdown::PAGE_PATH_MARK, &path)),
                _ => None,
            })
            .collect();
        assert!(!rendered.is_empty(), "{} has no text", page.slug);
        assert_eq!(on_page, rendered, "{}", page.slug);
    }
}

#[test]
fn the_table_of_contents_links_every_page_and_marks_the_current_one() {
    for base in ["/", "/book/"] {
        let root = base.trim_end_matches('/');
        for page in SitePage::all() {
            let html = body(page, base, "");
            for section in book().pages() {
                let href = format!(
                    "href=\"{root}/{}\"",
                    SitePage::Section(section).path().unwrap_or_default()
                );
                assert!(html.contains(&href), "{page:?} under {base} lacks {href}");
            }
            for extra in ["glossary/", "your-machine/", "print/"] {
                assert!(html.contains(&format!("href=\"{root}/{extra}\"")));
            }
            let active = html.matches("<li class=\"active\">").count();
            assert_eq!(active, 1, "{page:?} marks {active} entries as current");
            let toc_end = html.find("</nav>").expect("the table of contents");
            let current = html
                .find("<li class=\"active\">")
                .expect("the current entry");
            assert!(current < toc_end);
        }
        let not_found = body(SitePage::NotFound, base, "");
        assert!(!not_found.contains("class=\"active\""));
        assert!(not_found.contains(&format!("<a href=\"{root}/\">Go to the front page</a>")));
    }
}

#[test]
fn a_section_links_the_pages_around_it() {
    let pages = book().pages();
    let html = body(SitePage::Section(&pages[3]), "/book/", "");
    let nav = &html[html.find("class=\"page-nav\"").expect("the page links")..];
    assert!(nav.contains(&format!(
        "class=\"previous\" href=\"/book/{}/\"",
        pages[2].slug
    )));
    assert!(nav.contains(&format!("class=\"next\" href=\"/book/{}/\"", pages[4].slug)));
    let last = body(SitePage::Section(&pages[pages.len() - 1]), "/", "");
    let nav = &last[last.find("class=\"page-nav\"").expect("the page links")..];
    assert!(nav.contains("class=\"previous\"") && !nav.contains("class=\"next\""));
}

#[test]
fn every_widget_s_place_says_what_it_measures_and_what_it_needs() {
    let mut seen = Vec::new();
    for page in book().pages() {
        let html = body(SitePage::Section(page), "/", "");
        for block in markdown::render(page.source, "/") {
            if let Block::Widget(widget) = block {
                let kind = widget.kind;
                let title = markdown::escape(kind.title());
                assert!(
                    html.contains(&format!("Loading the widget “{title}”…")),
                    "{} lacks the loading line of {}",
                    page.slug,
                    kind.id()
                );
                assert!(
                    html.contains(&markdown::escape(kind.summary())),
                    "{} lacks what {} measures",
                    page.slug,
                    kind.id()
                );
                seen.push(kind);
            }
        }
        let places = html.matches("class=\"widget-host\"").count();
        let notes = html
            .matches(&markdown::escape(static_page::WIDGETS_NOT_RUNNING))
            .count();
        assert_eq!(notes, usize::from(places > 0), "{}: said once", page.slug);
        if places > 0 {
            let note = html
                .find("class=\"when-static widget-note\"")
                .unwrap_or(usize::MAX);
            let first = html.find("class=\"widget-host\"").unwrap_or(0);
            assert!(note < first, "{}: said before the first widget", page.slug);
        }
    }
    for kind in WidgetKind::ALL {
        assert!(seen.contains(&kind), "no page shows {}", kind.id());
        assert!(kind.summary().ends_with('.'), "{}", kind.id());
    }
}

#[test]
fn the_glossary_and_print_pages_hold_what_they_are_given() {
    let entries = "<dl><dt id=\"x\">X</dt><dd>the entries</dd></dl>";
    let html = body(SitePage::Glossary, "/", entries);
    assert!(html.contains(entries) && html.contains("📚 Glossary</h1>"));
    let html = body(SitePage::Print, "/", "<section>all</section>");
    assert!(html.contains("<section>all</section>"));
    assert_eq!(
        SitePage::Glossary.path().as_deref(),
        Some(&*format!("{}/", glossary::PAGE_SLUG))
    );
}

#[test]
fn every_page_has_its_own_title_and_a_short_plain_description() {
    let mut titles = Vec::new();
    for page in SitePage::all() {
        let title = page.title();
        assert!(title.contains("Concurrency vs Parallelism"), "{title}");
        assert!(!titles.contains(&title), "two pages are titled {title}");
        titles.push(title);
        let description = page.description();
        assert!(
            description.chars().count() >= 40,
            "{page:?}: {description:?}"
        );
        assert!(
            description.chars().count() <= 161,
            "{page:?}: {description:?}"
        );
        assert!(
            !description.contains("**") && !description.contains('|'),
            "{page:?}: {description:?}"
        );
    }
    let second = SitePage::Section(&book().pages()[2]).title();
    assert!(second.starts_with("2. "), "{second}");
}
