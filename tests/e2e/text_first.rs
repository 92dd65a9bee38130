//! Text first: every page's `index.html` holds its text (`content::static_page`),
//! which reads in full with no script at all, is on screen while the
//! WebAssembly loads, stays when it never starts, and is taken over by the
//! app in place (`ui::take_over`).

use std::time::Duration;

use concurrency_book::content::book;
use concurrency_book::content::static_page::SitePage;
use fantoccini::Locator;

use super::server::Hosting;
use super::{assert_shows_its_seed, Reader, Site};

/// The page whose take-over the tests watch: §11, long, with widgets.
const PITFALLS: &str = "common-pitfalls";

/// Whether `selector` is on the page and shown.
async fn shown(reader: &Reader, selector: &str) -> bool {
    match reader.browser.client.find(Locator::Css(selector)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// The `<html>` element's classes.
async fn root_classes(reader: &Reader) -> String {
    let root = reader.browser.wait_for("html", 5).await;
    root.attr("class").await.ok().flatten().unwrap_or_default()
}

/// With every script refused, as with JavaScript off: every page reads in
/// full (every seed table cell), names itself in its head, links to every
/// other page with plain links, and says what each widget would have done.
#[tokio::test]
async fn every_page_reads_with_javascript_off() {
    let reader = Reader::start(Site::SubPath, Hosting::UNISOLATED).await;
    reader.host.refuse_scripts();
    let browser = &reader.browser;
    for page in SitePage::all() {
        let path = page.path().unwrap_or_default();
        let url = format!("{}/book/{path}", reader.host.origin);
        browser.open_as_served(&url).await;
        let article = browser.wait_for("article.page", 5).await;
        let text = article.text().await.unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let SitePage::Section(section) = page {
            assert_shows_its_seed(browser, section, &text, &url).await;
        }
        let title = browser.client.title().await.unwrap_or_default();
        assert_eq!(title, page.title(), "{url}");
        let canonical = browser.wait_for("link[rel=canonical]", 5).await;
        // WebKit's driver answers with the resolved address, the others
        // with the attribute as written.
        let canonical = canonical
            .attr("href")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(
            canonical.trim_start_matches(&reader.host.origin),
            format!("/book/{path}"),
            "{url}"
        );
        let links = browser
            .client
            .find_all(Locator::Css("nav#toc a"))
            .await
            .unwrap_or_default();
        assert_eq!(links.len(), book().pages().len() + 3, "{url}");
        assert!(!root_classes(&reader).await.contains("app"), "{url}");
        if shown(&reader, ".widget-host").await {
            assert!(shown(&reader, ".widget-host .when-static").await, "{url}");
            assert!(!shown(&reader, ".widget-host .when-app").await, "{url}");
        }
        assert!(
            !shown(&reader, ".menu-toggle, .search-toggle").await,
            "{url}"
        );
    }
    // Plain links lead from page to page.
    let second = &book().pages()[2];
    browser
        .click(&format!("nav#toc a[href=\"/book/{}/\"]", second.slug))
        .await;
    browser
        .wait_until_within(
            &format!("location.pathname === '/book/{}/'", second.slug),
            "the sidebar's link was followed",
            10,
        )
        .await;
    let heading = browser.wait_for("article.page h2", 5).await;
    assert_eq!(
        heading
            .text()
            .await
            .unwrap_or_default()
            .trim_end_matches('#')
            .trim(),
        second.title()
    );
    browser.click("nav.page-nav a.next").await;
    let third = &book().pages()[3];
    browser
        .wait_until_within(
            &format!("location.pathname === '/book/{}/'", third.slug),
            "the next page's link was followed",
            10,
        )
        .await;
    reader.finish().await;
}

/// The text is on screen while the WebAssembly is on its way, with a
/// "loading" line where each widget goes; then the app takes over and the
/// widgets run.
#[tokio::test]
async fn the_text_is_there_while_the_webassembly_loads() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    reader.host.slow_down("_bg.wasm", Duration::from_secs(4));
    let browser = &reader.browser;
    let url = reader.url(PITFALLS);
    browser.open_as_served(&url).await;
    assert!(
        browser
            .eval("return !!document.getElementById('static-book')")
            .await
            == true
    );
    assert!(root_classes(&reader).await.contains("app"));
    let article = browser.wait_for("#static-book article.page", 5).await;
    let text = article.text().await.unwrap_or_default();
    assert!(text.contains("Race Conditions"), "{text}");
    assert!(shown(&reader, ".widget-host .when-app").await);
    assert!(!shown(&reader, ".widget-host .when-static").await);
    browser
        .wait_until_within(
            "!document.getElementById('static-book')",
            "the app took over",
            40,
        )
        .await;
    browser.wait_for("[data-widget]", 30).await;
    browser
        .assert_console_clean_but(&url, reader.host.expected_errors())
        .await;
    reader.finish().await;
}

/// Where the WebAssembly never arrives, the page stays as it is, says why
/// nothing interactive started, and explains each widget; nothing but the
/// refused download is an error.
#[tokio::test]
async fn the_text_stays_when_the_webassembly_cannot_start() {
    let reader = Reader::start(Site::Root, Hosting::HEADERS_ONLY).await;
    reader.host.refuse(Some(("_bg.wasm", 0)));
    let browser = &reader.browser;
    let url = reader.url(PITFALLS);
    browser.open_as_served(&url).await;
    browser
        .wait_until_within(
            "document.documentElement.classList.contains('app-failed')",
            "the page said the app could not start",
            20,
        )
        .await;
    let notice = browser.wait_for(".start-failed", 5).await;
    let notice = notice.text().await.unwrap_or_default();
    assert!(notice.contains("could not start"), "{notice}");
    assert!(shown(&reader, ".widget-host .when-static").await);
    assert!(!shown(&reader, ".widget-host .when-app").await);
    let text = browser.wait_for("article.page", 5).await;
    let text = text.text().await.unwrap_or_default();
    assert!(text.contains("they need JavaScript and a browser that runs WebAssembly"));
    browser
        .assert_console_clean_but(&url, &["404", "Not Found", "_bg.wasm"])
        .await;
    reader.finish().await;
}

/// The app takes over where the reader is: the same scroll position, the
/// same words selected, and (where the engine measures it) no layout shift.
#[tokio::test]
async fn the_app_takes_over_where_the_reader_is() {
    let reader = Reader::start(Site::Root, Hosting::HEADERS_ONLY).await;
    reader.host.slow_down("_bg.wasm", Duration::from_secs(5));
    let browser = &reader.browser;
    browser.open_as_served(&reader.url(PITFALLS)).await;
    let before = browser
        .eval(
            "const heading = document.querySelectorAll('#static-book article h2, #static-book article h3')[3];
             heading.scrollIntoView();
             let paragraph = heading.nextElementSibling;
             while (paragraph && paragraph.tagName !== 'P') paragraph = paragraph.nextElementSibling;
             getSelection().selectAllChildren(paragraph);
             return [heading.id, scrollY, heading.getBoundingClientRect().top,
                     getSelection().toString(), !!document.getElementById('static-book')];",
        )
        .await;
    assert_eq!(
        before[4], true,
        "the app took over before the test could scroll"
    );
    browser
        .wait_until_within(
            "!document.getElementById('static-book')",
            "the app took over",
            40,
        )
        .await;
    let id = before[0].as_str().unwrap_or_default();
    let after = browser
        .eval(&format!(
            "const heading = document.getElementById('{id}');
             return [scrollY, heading.getBoundingClientRect().top, getSelection().toString()];"
        ))
        .await;
    let top = before[2].as_f64().unwrap_or(f64::NAN);
    let scrolled = after[0].as_f64().unwrap_or(f64::NAN);
    assert!(
        (scrolled - before[1].as_f64().unwrap_or(f64::NAN)).abs() <= 1.0,
        "scrolled from {} to {scrolled}",
        before[1]
    );
    let moved = after[1].as_f64().unwrap_or(f64::NAN) - top;
    assert!(moved.abs() <= 1.0, "the heading {id} moved by {moved} px");
    let selected = before[3].as_str().unwrap_or_default().trim().to_owned();
    assert!(selected.len() > 20, "nothing was selected: {selected:?}");
    assert_eq!(after[2].as_str().unwrap_or_default().trim(), selected);
    let has_api = browser
        .eval("return PerformanceObserver.supportedEntryTypes.includes('layout-shift')")
        .await
        == true;
    if has_api {
        let shift = browser
            .eval(
                "return new Promise(done => {
                     let sum = 0;
                     const add = entries => { for (const e of entries) if (!e.hadRecentInput) sum += e.value; };
                     const observer = new PerformanceObserver(list => add(list.getEntries()));
                     observer.observe({type: 'layout-shift', buffered: true});
                     setTimeout(() => { add(observer.takeRecords()); observer.disconnect(); done(sum); }, 500);
                 })",
            )
            .await;
        let shift = shift.as_f64().unwrap_or(0.0);
        println!("cumulative layout shift up to the take-over: {shift:.4}");
        assert!(shift <= 0.05, "the layout shifted by {shift}");
    }
    reader.finish().await;
}
