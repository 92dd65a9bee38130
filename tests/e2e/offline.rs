//! The service worker: it isolates the book on a plain host, keeps it
//! readable and its widgets running offline, and at an origin's root leaves
//! other paths alone; and the test host's own offline switch.

use super::server::{Hosting, StaticHost};
use super::{read_every_page, Reader, Site};

#[tokio::test]
async fn a_plain_host_under_a_sub_path_is_isolated_by_the_service_worker() {
    let reader = Reader::start(Site::SubPath, Hosting::PLAIN).await;
    let browser = &reader.browser;
    reader.open("").await;
    browser.wait_until_isolated().await;
    // One reload: the page says so, except in WebKit, which calls a scripted
    // reload a "navigate"; there the test's hook counts the tab's documents.
    let kind = browser
        .eval("return performance.getEntriesByType('navigation')[0].type")
        .await;
    let documents = browser.documents_loaded().await;
    assert!(
        kind == "reload" || documents == Some(2),
        "isolation took exactly the one reload: {kind}, {documents:?} documents"
    );
    reader.open("core-definitions").await;
    browser.wait_until_isolated().await;
    let result = browser.run_widget("threads-check", 60).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    read_every_page(&reader, true).await;
    reader.finish().await;
}

#[tokio::test]
async fn the_book_and_its_widgets_work_offline() {
    let reader = Reader::start(Site::SubPath, Hosting::PLAIN).await;
    let (browser, host) = (&reader.browser, &reader.host);
    let origin = host.origin.clone();
    reader.open("").await;
    browser.wait_until_isolated().await;
    browser.wait_for_offline_cache().await;
    // Files opened in the address bar are navigations too, but not pages:
    // neither may become the shell every page is served from offline.
    for file in ["manifest.webmanifest", "favicon.svg"] {
        browser
            .client
            .goto(&format!("{origin}/book/{file}"))
            .await
            .unwrap_or_else(|e| panic!("cannot open {file}: {e}"));
    }
    host.go_offline();

    reader.open("hld-scenarios").await;
    let heading = browser.wait_for("article.page h2", 10).await;
    assert!(heading
        .text()
        .await
        .unwrap_or_default()
        .contains("HLD Scenarios"));
    assert_eq!(
        browser.eval("return self.crossOriginIsolated").await,
        true,
        "isolated offline too"
    );
    reader.open("high-level-intuition").await;
    let result = browser.run_widget("mandelbrot", 240).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    // The search index is in the offline cache too.
    browser.press("/").await;
    let input = browser.wait_for("#search-input", 5).await;
    input.send_keys("amdahl").await.expect("type a query");
    browser.wait_for(".search-results li a", 10).await;
    reader.finish().await;
}

/// A book at an origin's root shares the origin: its service worker serves
/// and rewrites only the book's own pages and files.
#[tokio::test]
async fn at_an_origins_root_the_service_worker_leaves_other_paths_alone() {
    let reader = Reader::start(Site::Root, Hosting::PLAIN).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("").await;
    browser.wait_until_isolated().await;
    browser.wait_for_offline_cache().await;
    browser
        .client
        .goto(&format!("{}/another-app/", host.origin))
        .await
        .expect("open another app's path");
    let text = browser
        .eval("return document.body ? document.body.textContent : ''")
        .await;
    assert!(
        text.as_str().unwrap_or_default().contains("not found"),
        "the host's own answer, not the book: {text}"
    );
    assert_eq!(
        browser.eval("return self.crossOriginIsolated").await,
        false,
        "no isolation headers added outside the book"
    );
    reader.finish().await;
}

#[test]
fn an_offline_host_fails_every_request() {
    use std::io::{Read, Write};
    // A folder with no site in it, so no `_headers` to send: a plain host.
    let host = StaticHost::start(&std::env::temp_dir(), "/", Hosting::PLAIN);
    let address = host.origin.trim_start_matches("http://").to_owned();
    let ask = || {
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    assert!(ask().starts_with("HTTP/1.1 "), "online, the host answers");
    host.go_offline();
    assert!(ask().starts_with("HTTP/1.1 503"), "offline, it fails");
}

/// The one reload that isolates the book on a plain host comes once the
/// service worker has cached the book, while the reader may be reading: the
/// reloaded page goes on where they were, not at its top.
#[tokio::test]
async fn the_isolation_reload_keeps_the_reader_s_place() {
    let reader = Reader::start(Site::Root, Hosting::PLAIN).await;
    let (browser, host) = (&reader.browser, &reader.host);
    // A slow file in the worker's cache list holds the reload back while
    // the reader scrolls down.
    host.slow_down("book-emoji.woff2", std::time::Duration::from_millis(3_000));
    reader.open("common-pitfalls").await;
    browser.wait_for("article.page h2", 10).await;
    let scrolled = browser
        .eval("window.scrollTo(0, 1500); return window.scrollY")
        .await;
    let scrolled = scrolled.as_f64().expect("a scroll position");
    assert!(scrolled > 1000.0, "the page is long enough: {scrolled}");
    browser.wait_until_isolated().await;
    let mut after = 0.0;
    for _ in 0..50 {
        after = browser
            .eval("return window.scrollY")
            .await
            .as_f64()
            .unwrap_or_default();
        if after > 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        (after - scrolled).abs() < 300.0,
        "after the reload the page is at {after}, the reader was at {scrolled}"
    );
    reader.finish().await;
}
