//! The whole book on one page: every section and every seed table cell in
//! reading order, links between pages turned into links within the
//! document, and each widget shown with the reader's own latest figures.

use concurrency_book::content::book;
use concurrency_book::prerendered::{Piece, PAGES};

use super::server::Hosting;
use super::{seed, Reader, Site};

/// Under a sub-path, so that the links' rewriting meets the book's base.
#[tokio::test]
async fn the_print_page_holds_every_section_with_the_reader_s_figures() {
    let reader = Reader::start(Site::SubPath, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["checksum_matches"], true, "{result}");

    // From the table of contents, as a reader finds it.
    browser.click(".sidebar .toc-extra a[href$='print/']").await;
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('article.print-book section.print-section').length === {}",
                book().pages().len()
            ),
            "every section is on the print page",
        )
        .await;
    browser.watch_csp().await;
    let text = browser.page_text().await;
    let sections = seed::sections();
    for page in book().pages().iter().skip(1) {
        assert!(text.contains(&page.title()), "{} is there", page.title());
        for cell in seed::table_cells(sections[page.number - 1]) {
            let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&cell),
                "the print page lacks the cell {cell:?}"
            );
        }
    }
    // In reading order.
    let order = browser
        .eval("return [...document.querySelectorAll('section.print-section')].map((s) => s.id)")
        .await;
    let expected: Vec<String> = book()
        .pages()
        .iter()
        .map(|page| {
            if page.slug.is_empty() {
                "front".to_owned()
            } else {
                page.slug.to_owned()
            }
        })
        .collect();
    assert_eq!(order, serde_json::json!(expected));

    let links = browser
        .eval(
            "const article = document.querySelector('article.print-book');
             const ids = [...article.querySelectorAll('[id]')].map((e) => e.id);
             const inside = [...article.querySelectorAll('a[href]')]
                 .map((a) => new URL(a.href))
                 .filter((url) => url.pathname === location.pathname && url.hash !== '')
                 .map((url) => decodeURIComponent(url.hash.slice(1)));
             // A widget's own links lead to its live page, where it runs.
             const toPages = [...article.querySelectorAll('a[href]')]
                 .filter((a) => a.closest('.print-widget') === null)
                 .map((a) => new URL(a.href))
                 .filter((url) => url.origin === location.origin && url.pathname !== location.pathname
                     && !/\\/(glossary|your-machine)\\/$/.test(url.pathname));
             return {
               duplicated: ids.filter((id, i) => ids.indexOf(id) !== i),
               dangling: inside.filter((id) => document.getElementById(id) === null),
               inside: inside.length,
               to_pages: toPages.map((url) => url.pathname),
             };",
        )
        .await;
    assert_eq!(links["duplicated"], serde_json::json!([]), "{links}");
    assert_eq!(links["dangling"], serde_json::json!([]), "{links}");
    assert_eq!(
        links["to_pages"],
        serde_json::json!([]),
        "links between pages stay in the document: {links}"
    );
    assert!(links["inside"].as_u64().unwrap_or(0) > 20, "{links}");

    // Following one stays on the print page, at its target.
    let target = browser
        .eval(
            "const link = [...document.querySelectorAll('article.print-book a[href]')]
                 .find((a) => new URL(a.href).pathname === location.pathname && a.hash.includes('--')
                     && !a.classList.contains('anchor'));
             link.click();
             return decodeURIComponent(link.hash.slice(1));",
        )
        .await;
    let target = target.as_str().unwrap_or_default().to_owned();
    browser
        .wait_until(
            &format!(
                "location.pathname.endsWith('/print/') && Math.abs(document.getElementById({}).getBoundingClientRect().top) < 300",
                serde_json::json!(target)
            ),
            "a link within the document scrolls to its target",
        )
        .await;

    let widgets: usize = PAGES
        .iter()
        .map(|page| {
            page.pieces
                .iter()
                .filter(|p| matches!(p, Piece::Widget(..)))
                .count()
        })
        .sum();
    let shown = browser
        .eval("return document.querySelectorAll('.print-widget').length")
        .await;
    assert_eq!(shown, widgets, "every widget is described");
    browser
        .wait_for("[data-print-widget=threads-check] .saved-result td", 5)
        .await;
    // Printed, every section starts a page of its own (`break-before: page`),
    // so the PDF has at least a page a section; the sidebar and the widgets'
    // buttons are not printed (CSS `@media print`).
    if let Some(pdf) = browser.print_pdf().await {
        let pages = pdf_pages(&pdf);
        assert!(
            pages >= book().pages().len(),
            "{pages} printed pages for {} sections",
            book().pages().len()
        );
    }
    let url = reader.url("print");
    browser.assert_accessible(&url).await;
    browser.assert_no_csp_violation(&url).await;
    browser.assert_clean_console("print page").await;
    reader.finish().await;
}

/// The pages of a PDF: its `/Type /Page` objects (not the `/Type /Pages`
/// tree nodes), with or without the space, in the file's text or inside its
/// compressed streams (Firefox keeps them in object streams).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut text = String::from_utf8_lossy(pdf).into_owned();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream") {
        let body = &rest[start + b"stream".len()..];
        let body = body.strip_prefix(b"\r").unwrap_or(body);
        let body = body.strip_prefix(b"\n").unwrap_or(body);
        let Some(end) = find(body, b"endstream") else {
            break;
        };
        let mut inflated = String::new();
        let mut decoder = flate2::read::ZlibDecoder::new(&body[..end]);
        if std::io::Read::read_to_string(&mut decoder, &mut inflated).is_ok() {
            text.push_str(&inflated);
        }
        rest = &body[end + b"endstream".len()..];
    }
    text.match_indices("/Type")
        .filter(|(at, found)| {
            let after = text[at + found.len()..].trim_start();
            after.starts_with("/Page") && !after["/Page".len()..].starts_with('s')
        })
        .count()
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
