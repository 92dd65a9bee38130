//! Components and browser APIs in headless Chromium (`wasm-bindgen-test`).
//!
//! Each test mounts the real app at a real URL of the test page's origin and
//! reads the DOM it produces. This file holds the harness and the tests of
//! the book's pages; each module beside it holds one browser API or widget
//! engine's tests.
#![cfg(target_arch = "wasm32")]

#[path = "../support/dom.rs"]
mod dom;
#[path = "../support/seed.rs"]
mod seed;

mod actors;
mod copy;
mod hand_over;
mod lab;
mod memory_model;
mod run;
mod simd;
mod storage;
mod take_over;
mod timeline;
mod timer_queue;

use std::time::Duration;

use concurrency_book::content::book;
use concurrency_book::ui::Route;
use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use yew_router::Routable;

use dom::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_router_resolves_every_page() {
    for page in book().pages() {
        let route = Route::of(page);
        let path = route.to_path();
        assert_eq!(Route::recognize(&path), Some(route.clone()), "{path}");
        assert_eq!(route.page().map(|p| p.number), Some(page.number));
        // A reload without the trailing slash lands on the same page.
        assert_eq!(
            Route::recognize(path.trim_end_matches('/')).and_then(|r| r.page().map(|p| p.number)),
            Some(page.number)
        );
    }
    assert_eq!(
        Route::recognize("/no-such-section/"),
        Some(Route::Section {
            slug: "no-such-section".into()
        })
    );
    assert!(Route::Section {
        slug: "no-such-section".into()
    }
    .page()
    .is_none());
    for (path, route) in [
        ("", Route::Home),
        ("/glossary", Route::Glossary),
        ("/your-machine/", Route::YourMachine),
        ("/print", Route::Print),
        ("/404/", Route::NotFound),
        ("/a/b/", Route::NotFound),
        ("//", Route::NotFound),
        ("no-leading-slash", Route::NotFound),
    ] {
        assert_eq!(Route::recognize(path), Some(route.clone()), "{path:?}");
        if route != Route::Home && route != Route::NotFound {
            assert_eq!(Route::recognize(&route.to_path()), Some(route));
        }
    }
}

#[wasm_bindgen_test]
async fn every_page_renders_its_title_and_tables() {
    for page in book().pages() {
        let (handle, host) = mount_at(&Route::of(page).to_path());
        let heading = wait_for(
            &host,
            "article.page h1, article.page h2",
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            heading
                .text_content()
                .unwrap_or_default()
                .trim_end_matches('#'),
            page.title()
        );
        let seed_has_table =
            page.number > 0 && !seed::table_cells(seed::sections()[page.number - 1]).is_empty();
        let has_table = host
            .query_selector("article.page > table")
            .ok()
            .flatten()
            .is_some();
        assert_eq!(
            has_table, seed_has_table,
            "{} shows the seed's tables",
            page.slug
        );
        let active = wait_for(
            &host,
            ".sidebar li.active [aria-current=page]",
            Duration::from_secs(1),
        )
        .await;
        assert_eq!(active.text_content().unwrap_or_default(), page.title());
        let expected_title = if page.number == 0 {
            "interactive book".to_owned()
        } else {
            page.plain_title()
        };
        assert!(
            document().title().contains(&expected_title),
            "document title of {}",
            page.slug
        );
        assert!(
            host.query_selector(".widget-error")
                .ok()
                .flatten()
                .is_none(),
            "no widget error on {}",
            page.slug
        );
        unmount(handle, host);
    }
}

#[wasm_bindgen_test]
async fn an_unknown_address_shows_not_found() {
    let (handle, host) = mount_at("/no-such-section/");
    let heading = wait_for(&host, ".not-found h1", Duration::from_secs(5)).await;
    assert!(heading
        .text_content()
        .unwrap_or_default()
        .contains("not in the book"));
    unmount(handle, host);
}

/// A static host serves `<page>/index.html` for `<page>/`: a reader who
/// opens the file's own address reads the page, at the folder's address.
#[wasm_bindgen_test]
async fn a_page_s_index_html_address_shows_the_page() {
    let page = &book().pages()[2];
    let (handle, host) = mount_at(&format!("/{}/index.html", page.slug));
    let heading = wait_for(&host, "article.page h2", Duration::from_secs(5)).await;
    assert!(
        heading
            .text_content()
            .unwrap_or_default()
            .contains(page.title().as_str()),
        "the page itself"
    );
    assert_eq!(
        gloo::utils::window().location().pathname().ok(),
        Some(format!("/{}/", page.slug)),
        "shown at its folder's address"
    );
    unmount(handle, host);
}

/// The test server has no `sw.js`, as a host that does not serve it: "Your
/// machine" says offline reading is off, and why.
#[wasm_bindgen_test]
async fn your_machine_says_why_offline_reading_is_off() {
    use book_runtime::service_worker::{start, WorkerState};
    // A browser without service workers here says so instead.
    let why = match start().await {
        WorkerState::NotRegistered(_) => "could not be registered",
        WorkerState::Unsupported => "gives the page no service worker",
        other => panic!("a service worker without its script: {other:?}"),
    };
    let (handle, host) = mount_at("/your-machine/");
    let said = wait_for(&host, ".offline-reading", Duration::from_secs(5)).await;
    let said = said.text_content().unwrap_or_default();
    assert!(
        said.contains("Offline reading is off") && said.contains(why),
        "{said}"
    );
    unmount(handle, host);
}

#[wasm_bindgen_test]
async fn the_theme_toggle_switches_and_remembers() {
    let storage = gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage");
    storage.clear().expect("clear");
    let root = document().document_element().expect("<html>");
    let (handle, host) = mount_at("/");
    let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
        .await
        .unchecked_into();

    toggle.click();
    sleep(Duration::from_millis(50)).await;
    let first = root.get_attribute("data-theme").expect("a theme is set");
    assert!(first == "light" || first == "dark");
    let stored = storage
        .get_item("concurrency-book.theme")
        .ok()
        .flatten()
        .expect("the choice is stored");
    assert_eq!(stored, format!("\"{first}\""));

    toggle.click();
    sleep(Duration::from_millis(50)).await;
    let second = root.get_attribute("data-theme").expect("a theme is set");
    assert_ne!(first, second, "the toggle switches");
    unmount(handle, host);

    // A new visit starts with the remembered theme.
    root.remove_attribute("data-theme").expect("reset");
    assert_eq!(concurrency_book::ui::Theme::current().name(), second);
    storage.clear().expect("clear");
}

#[wasm_bindgen_test]
async fn widgets_keep_the_contract_and_the_pool_uses_several_threads() {
    let (handle, host) = mount_at("/");
    let environment = wait_for(
        &host,
        "[data-widget=environment][data-result]",
        Duration::from_secs(5),
    )
    .await;
    let report: serde_json::Value =
        serde_json::from_str(&environment.get_attribute("data-result").unwrap_or_default())
            .expect("JSON");
    assert_eq!(report["isolated"], true, "the test runner serves COOP/COEP");
    unmount(handle, host);

    let (handle, host) = mount_at("/core-definitions/");
    let widget = wait_for(&host, "[data-widget=threads-check]", Duration::from_secs(5)).await;
    assert!(
        widget.get_attribute("data-result").is_none(),
        "no result before a run"
    );
    let button: HtmlElement = widget
        .query_selector("button")
        .ok()
        .flatten()
        .expect("a button")
        .unchecked_into();
    button.click();
    let done = wait_for(
        &host,
        "[data-widget=threads-check][data-result]",
        Duration::from_secs(60),
    )
    .await;
    let result: serde_json::Value =
        serde_json::from_str(&done.get_attribute("data-result").unwrap_or_default()).expect("JSON");
    assert_eq!(result["checksum_matches"], true, "{result}");
    assert!(result["fallback"].is_null(), "{result}");
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    unmount(handle, host);
}
