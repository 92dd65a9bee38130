//! The widgets module: the book paints without it, loads it from the
//! build's folder on the first page with a widget, and runs each widget as
//! its own yew app, apart from the book's event delegation.

use serde_json::Value;

use super::server::Hosting;
use super::{Reader, Site};

/// The book paints without the widgets module, and loads it on the first
/// page that shows a widget. Each widget is its own yew app there, whose
/// tree id is above every id the book's yew marked on its ancestors:
/// were they equal, the book's event delegation would run its own handlers
/// for a click inside the widget.
#[tokio::test]
async fn widgets_are_islands_loaded_when_a_page_first_shows_one() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    let widget_files = "performance.getEntriesByType('resource')\
        .map((entry) => new URL(entry.name).pathname)\
        .filter((path) => path.includes('/concurrency-widgets'))";
    reader.open("glossary").await;
    browser.wait_for("article.page h1", 10).await;
    browser.wait_for("dl", 10).await;
    let loaded = browser.eval(&format!("return {widget_files};")).await;
    assert_eq!(
        loaded,
        serde_json::json!([]),
        "a page without widgets loaded the widgets module"
    );

    reader.open("core-definitions").await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["checksum_matches"], true, "{result}");
    let loaded = browser.eval(&format!("return {widget_files};")).await;
    // From the build's own folder, so a tab open across a deploy keeps them.
    for file in ["/concurrency-widgets.js", "/concurrency-widgets_bg.wasm"] {
        assert!(
            loaded.as_array().is_some_and(|files| files
                .iter()
                .filter_map(Value::as_str)
                .any(|path| path.starts_with("/build/") && path.ends_with(file))),
            "{file} was not loaded from the build's folder: {loaded}"
        );
    }
    let ids = browser
        .eval(
            "const island = document.querySelector('[data-widget=threads-check]').parentElement;
             const above = [];
             for (let e = island.parentElement; e; e = e.parentElement) {
               if (typeof e.__yew_subtree_id === 'number') above.push(e.__yew_subtree_id);
             }
             return { island: island.__yew_subtree_id, above };",
        )
        .await;
    let island = ids["island"]
        .as_u64()
        .expect("the island's root carries its tree id");
    let above: Vec<u64> = ids["above"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    assert!(!above.is_empty(), "the book's own tree is marked: {ids}");
    assert!(above.iter().all(|&id| id < island), "{ids}");
    browser.assert_clean_console("widgets as islands").await;
    reader.finish().await;
}

/// A widget that finishes loading above the text the reader is looking at
/// leaves that text where it was: the self-check answer under their finger
/// stays under it. Chrome and Firefox anchor the scroll themselves; WebKit
/// has none, and the book's `scroll_anchor` does it there.
#[tokio::test]
async fn a_widget_loading_above_the_reader_leaves_their_text_in_place() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.host.slow_down(
        "concurrency-widgets_bg.wasm",
        std::time::Duration::from_secs(4),
    );
    reader.open("visual-metaphor").await;
    browser.wait_for(".self-check fieldset label", 10).await;
    let before = browser
        .eval(
            "const label = document.querySelector('.self-check fieldset label');
             label.scrollIntoView({block: 'start'});
             scrollBy(0, -60);
             const host = document.querySelector('.widget-host');
             return {
               loading: document.querySelector('.widget-loading') !== null,
               host_bottom: host.getBoundingClientRect().bottom,
               host_height: host.getBoundingClientRect().height,
               label_top: label.getBoundingClientRect().top,
             };",
        )
        .await;
    assert_eq!(
        before["loading"], true,
        "the widget loaded too soon: {before}"
    );
    assert!(
        before["host_bottom"]
            .as_f64()
            .is_some_and(|bottom| bottom <= 0.0),
        "the widget is above the window: {before}"
    );
    browser
        .wait_for("[data-widget=interleaving-timeline]", 30)
        .await;
    browser
        .wait_until(
            "document.querySelector('.widget-loading') === null",
            "the loading line goes",
        )
        .await;
    // Two frames, for a browser that adjusts the scroll when it next draws.
    let after = browser
        .eval(
            "return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done({
               host_height: document.querySelector('.widget-host').getBoundingClientRect().height,
               label_top: document.querySelector('.self-check fieldset label').getBoundingClientRect().top,
             }))));",
        )
        .await;
    let grew = after["host_height"].as_f64().unwrap_or(0.0)
        - before["host_height"].as_f64().unwrap_or(0.0);
    assert!(
        grew > 50.0,
        "the widget is taller than its loading line: {before} {after}"
    );
    let moved = after["label_top"].as_f64().unwrap_or(f64::NAN)
        - before["label_top"].as_f64().unwrap_or(f64::NAN);
    assert!(
        moved.abs() < 1.0,
        "the answer moved {moved} px under the reader: {before} {after}"
    );
    browser.assert_clean_console("a widget loading above").await;
    reader.finish().await;
}
