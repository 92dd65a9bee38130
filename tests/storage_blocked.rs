//! The book with `localStorage` blocked, in a page of its own: the test
//! replaces `window.localStorage` with a getter that throws, which a page
//! whose scripts have already read storage many times may not honour
//! (WebKit kept returning the real storage after the other browser tests).
#![cfg(target_arch = "wasm32")]

#[path = "support/dom.rs"]
mod dom;

use std::time::Duration;

use dom::*;
use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn with_storage_blocked_every_page_reads_and_the_theme_still_switches() {
    let blocked = Override::blocked();
    assert!(
        gloo::utils::window().local_storage().is_err(),
        "the override blocks storage as a browser does"
    );
    let root = document().document_element().expect("<html>");
    let (handle, host) = mount_at("/core-definitions/");
    wait_for(&host, "article.page h2", Duration::from_secs(5)).await;
    let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
        .await
        .unchecked_into();
    let before = root.get_attribute("data-theme");
    toggle.click();
    sleep(Duration::from_millis(50)).await;
    assert_ne!(
        root.get_attribute("data-theme"),
        before,
        "the theme switches for the visit"
    );
    unmount(handle, host);

    let (handle, host) = mount_at("/your-machine/");
    let note = wait_for(&host, ".storage-refused", Duration::from_secs(5)).await;
    assert!(
        text(&note).contains("the browser blocks this site's storage"),
        "{}",
        text(&note)
    );
    unmount(handle, host);
    drop(blocked);
    root.remove_attribute("data-theme").expect("reset");
}
