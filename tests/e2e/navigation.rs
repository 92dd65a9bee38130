//! Moving around the book: everything reachable and startable by keyboard,
//! `?` listing the shortcuts, the table of contents and the arrow keys through
//! every section, a heading's own link, and a slow page that never lands on
//! the next one.

use concurrency_book::content::book;

use super::server::Hosting;
use super::{Reader, Site};

#[tokio::test]
async fn everything_is_reachable_and_startable_by_keyboard() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    // The first Tab lands on the skip link, which moves focus past the table of contents.
    browser.press(TAB).await;
    assert_eq!(
        browser
            .eval("return document.activeElement.className")
            .await,
        "skip-link"
    );
    browser.press(ENTER).await;
    assert_eq!(
        browser.eval("return document.activeElement.id").await,
        "content"
    );
    assert_eq!(
        browser.client.current_url().await.expect("a URL").path(),
        "/core-definitions/"
    );
    // From the content, Tab reaches the widget's button; Enter starts it.
    let mut reached = false;
    for _ in 0..40 {
        browser.press(TAB).await;
        let focused = browser
            .eval("const e = document.activeElement; return e.closest('[data-widget]') && e.tagName === 'BUTTON' ? e.closest('[data-widget]').dataset.widget : null")
            .await;
        if focused == "threads-check" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the threads check's button");
    browser.press(ENTER).await;
    browser
        .wait_for("[data-widget=threads-check][data-result]", 60)
        .await;
    // Every entry of the table of contents is on the Tab path too.
    reader.open("").await;
    let mut focused_links = std::collections::BTreeSet::new();
    for _ in 0..30 {
        browser.press(TAB).await;
        let href = browser
            .eval("const e = document.activeElement; return e.closest('.sidebar') ? e.getAttribute('href') : null")
            .await;
        if let Some(href) = href.as_str() {
            focused_links.insert(href.to_owned());
        }
    }
    // Every page, the glossary, "Your machine" and the whole book to print.
    assert_eq!(
        focused_links.len(),
        book().pages().len() + 3,
        "every page's link takes focus: {focused_links:?}"
    );
    browser.assert_clean_console("keyboard").await;
    reader.finish().await;
}

const TAB: &str = "\u{E004}";
const ESCAPE: &str = "\u{E00C}";

/// `?` opens the list of shortcuts, every one the book has; focus stays in
/// it while it is open, the page's own keys wait, and Esc closes it. A `?`
/// typed into the search is just text.
#[tokio::test]
async fn question_mark_lists_the_shortcuts_and_escape_closes_them() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    browser.wait_for("article.page h2", 10).await;
    browser.press("?").await;
    let dialog = browser.wait_for("dialog.shortcuts-dialog[open]", 5).await;
    let listed = dialog.text().await.unwrap_or_default();
    for key in ["← →", "S or /", "↓ ↑", "Enter", "Esc", "?", "Tab"] {
        assert!(listed.contains(key), "{key} is listed: {listed}");
    }
    for _ in 0..3 {
        browser.press(TAB).await;
        assert_eq!(
            browser
                .eval("return document.activeElement.closest('dialog') !== null")
                .await,
            true,
            "focus stays in the dialog"
        );
    }
    // The page's keys wait while the list is open.
    browser.press("s").await;
    assert_eq!(
        browser
            .eval("return document.querySelector('.search-dialog') === null")
            .await,
        true,
        "S did not open the search behind the list"
    );
    browser.press(ESCAPE).await;
    browser
        .wait_until(
            "document.querySelector('dialog.shortcuts-dialog') === null",
            "Esc closes the list",
        )
        .await;

    browser.press("/").await;
    let input = browser.wait_for("#search-input", 5).await;
    input.send_keys("why?").await.expect("type into the search");
    assert_eq!(
        browser
            .eval("return [document.querySelector('dialog.shortcuts-dialog'), document.getElementById('search-input').value]")
            .await,
        serde_json::json!([null, "why?"]),
        "a ? typed into the search is text"
    );
    browser.assert_clean_console("shortcuts").await;
    reader.finish().await;
}
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn the_table_of_contents_and_arrow_keys_reach_every_section() {
    let reader = Reader::start(Site::SubPath, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("").await;
    for page in book().sections() {
        let link = browser
            .wait_for(&format!(".sidebar a[href='/book/{}/']", page.slug), 5)
            .await;
        link.click().await.expect("click a sidebar link");
        let active = browser
            .wait_for(".sidebar li.active [aria-current=page]", 5)
            .await;
        assert_eq!(active.text().await.unwrap_or_default(), page.title());
        let url = browser.client.current_url().await.expect("a URL");
        assert_eq!(url.path(), format!("/book/{}/", page.slug));
    }
    // From the last section, ← walks back to the front page one page at a time.
    for page in book().pages().iter().rev().skip(1) {
        browser
            .eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true})); return null")
            .await;
        let expected = if page.slug.is_empty() {
            "/book/".to_owned()
        } else {
            format!("/book/{}/", page.slug)
        };
        let mut path = String::new();
        for _ in 0..50 {
            path = browser
                .client
                .current_url()
                .await
                .expect("a URL")
                .path()
                .to_owned();
            if path == expected {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(path, expected, "ArrowLeft leads to the previous page");
    }
    // A heading's own link survives a reload and lands on that heading.
    let section = &book().sections()[7];
    reader.open(section.slug).await;
    browser.wait_for("article.page h3 a.anchor", 5).await;
    // The attribute as written (WebKit's driver answers with the resolved URL).
    let href = browser
        .eval("return document.querySelector('article.page h3 a.anchor').getAttribute('href')")
        .await
        .as_str()
        .map(str::to_owned)
        .expect("an href");
    assert!(
        href.starts_with(&format!("/book/{}/#", section.slug)),
        "{href}"
    );
    browser.open(&format!("{}{href}", host.origin)).await;
    let fragment = href.split('#').nth(1).unwrap_or_default();
    let top = browser
        .eval(&format!(
            "return document.getElementById('{fragment}').getBoundingClientRect().top"
        ))
        .await;
    assert!(
        top.as_f64().unwrap_or(f64::MAX) < 300.0,
        "the heading {fragment} is scrolled into view ({top})"
    );
    browser.assert_clean_console("navigation").await;
    reader.finish().await;
}

/// A page whose text is still on its way when the reader moves on never
/// lands on the next page: the next page shows its own text.
#[tokio::test]
async fn a_slow_page_never_lands_on_the_next_one() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("").await;
    host.slow_down("pages/tl-dr.json", std::time::Duration::from_millis(2_500));
    // To the slow page, then on, by the contents, before its text arrives.
    browser.click(".sidebar a[href$='tl-dr/']").await;
    browser.click(".sidebar a[href$='core-definitions/']").await;
    browser.wait_for("article.page h2", 10).await;
    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    let heading = browser
        .eval("return document.querySelector('article.page h2').textContent")
        .await;
    assert!(
        heading
            .as_str()
            .unwrap_or_default()
            .contains("Core Definitions"),
        "the page shown is the one asked for last: {heading}"
    );
    browser.assert_clean_console("a slow page").await;
    reader.finish().await;
}
