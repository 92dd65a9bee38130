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

/// §6's Rust examples are highlighted, show no hidden line, and each one
/// that must not compile is followed by rustc's own error.
#[tokio::test]
async fn the_texts_rust_examples_come_with_rustcs_own_errors() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader
        .open("programming-language-and-runtime-support")
        .await;
    browser.wait_for("pre.rust-example", 20).await;
    let seen = browser
        .eval(
            "const examples = [...document.querySelectorAll('pre.rust-example')];
             const errors = [...document.querySelectorAll('figure.compiler-error')];
             return {
               examples: examples.length,
               highlighted: examples.every((e) => e.querySelector('[class*=hl-]') !== null),
               shown: examples.map((e) => e.textContent).join('\\n'),
               errors: errors.map((e) => e.textContent),
             };",
        )
        .await;
    assert!(seen["examples"].as_u64() >= Some(3), "{seen}");
    assert_eq!(seen["highlighted"], true, "{seen}");
    let shown = seen["shown"].as_str().unwrap_or_default();
    assert!(!shown.contains("# use"), "a hidden line is shown: {shown}");
    assert!(shown.contains("tokio::spawn(async move"), "{shown}");
    let errors: Vec<&str> = seen["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str())
        .collect();
    assert!(errors.len() >= 3, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("error[E0277]: `Rc<i32>` cannot be sent between threads safely")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("future cannot be sent between threads safely")),
        "{errors:?}"
    );
    browser
        .assert_accessible(&reader.url("programming-language-and-runtime-support"))
        .await;
    reader.finish().await;
}
