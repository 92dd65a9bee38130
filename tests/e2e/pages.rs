//! Reading the book: every page from its own URL, at an origin's root,
//! under a sub-path and without cross-origin isolation, with its title, its
//! tables, a clean console and no serious accessibility violation; and the
//! dark theme, as accessible as the light one.

use super::server::Hosting;
use super::{read_every_page, Reader, Site};

#[tokio::test]
async fn every_page_reads_at_the_site_root() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    read_every_page(&reader, true).await;
    reader.finish().await;
}

#[tokio::test]
async fn every_page_reads_under_a_sub_path() {
    let reader = Reader::start(Site::SubPath, Hosting::ISOLATED).await;
    read_every_page(&reader, true).await;
    reader.finish().await;
}

#[tokio::test]
async fn every_page_reads_without_isolation() {
    let reader = Reader::start(Site::Root, Hosting::UNISOLATED).await;
    read_every_page(&reader, false).await;
    reader.finish().await;
}

#[tokio::test]
async fn the_dark_theme_is_accessible_too() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("").await;
    browser
        .eval("localStorage.setItem('concurrency-book.theme', JSON.stringify('dark')); return null")
        .await;
    for slug in ["", "hld-scenarios", "in-system-design"] {
        reader.open(slug).await;
        assert_eq!(
            browser
                .eval("return document.documentElement.dataset.theme")
                .await,
            "dark"
        );
        if slug == "in-system-design" {
            browser.run_widget("primes", 240).await;
        }
        browser.assert_accessible(&format!("{slug} (dark)")).await;
    }
    browser.assert_clean_console("the dark theme").await;
    reader.finish().await;
}
