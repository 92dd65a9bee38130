//! The book with `localStorage` blocked, full or holding what it cannot read.

use super::*;
use concurrency_book::prerendered::PAGES;

#[wasm_bindgen_test]
async fn with_storage_full_the_book_says_so_and_keeps_going() {
    local().clear().expect("clear");
    let full = Override::full();
    let (handle, host) = mount_at("/your-machine/");
    let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
        .await
        .unchecked_into();
    toggle.click();
    sleep(Duration::from_millis(50)).await;
    unmount(handle, host);
    let (handle, host) = mount_at("/your-machine/");
    let note = wait_for(&host, ".storage-refused", Duration::from_secs(5)).await;
    assert!(text(&note).contains("full"), "{}", text(&note));
    unmount(handle, host);
    drop(full);
    document()
        .document_element()
        .expect("<html>")
        .remove_attribute("data-theme")
        .expect("reset");
    local().clear().expect("clear");
}

/// What another tab's `setItem` (or `clear`) fires in this one.
fn stored_by_another_tab(key: Option<&str>, value: Option<&str>) {
    let init = web_sys::StorageEventInit::new();
    init.set_key(key);
    init.set_new_value(value);
    let event =
        web_sys::StorageEvent::new_with_event_init_dict("storage", &init).expect("a storage event");
    gloo::utils::window()
        .dispatch_event(&event)
        .expect("dispatch");
}

#[wasm_bindgen_test]
async fn a_second_tab_s_progress_is_adopted_not_overwritten() {
    let storage = local();
    storage.clear().expect("clear");
    let (question, _) = PAGES[1].questions[0];
    let slug = book().pages()[1].slug;
    let (handle, host) = mount_at(&format!("/{slug}/"));
    wait_for(&host, "article.page h2", Duration::from_secs(5)).await;
    assert!(host.query_selector(".toc-answers").ok().flatten().is_none());

    // The other tab answers a question: this tab's contents count it.
    let answered = format!(
        r#"{{"version":1,"read":[],"answers":{{"{slug}":{{"{question}":0}}}},"widgets_run":[],"last_page":null}}"#
    );
    storage
        .set_item("concurrency-book.progress", &answered)
        .expect("set");
    stored_by_another_tab(Some("concurrency-book.progress"), Some(&answered));
    wait_for(&host, ".toc-answers", Duration::from_secs(5)).await;

    // A change here keeps the other tab's answer in what is stored.
    let next = book().pages()[2].slug;
    let link: HtmlElement = host
        .query_selector(&format!(".sidebar a[href$='{next}/']"))
        .ok()
        .flatten()
        .expect("a link to the next section")
        .unchecked_into();
    link.click();
    sleep(Duration::from_millis(100)).await;
    let stored = storage
        .get_item("concurrency-book.progress")
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(
        stored.contains(question) && stored.contains(next),
        "both tabs' progress kept: {stored}"
    );

    // The other tab forgets everything: so does this one.
    storage.clear().expect("clear");
    stored_by_another_tab(None, None);
    sleep(Duration::from_millis(100)).await;
    assert!(host.query_selector(".toc-answers").ok().flatten().is_none());
    unmount(handle, host);
    storage.clear().expect("clear");
}

#[wasm_bindgen_test]
async fn a_damaged_value_is_set_aside_told_once_and_never_shown() {
    let storage = local();
    storage.clear().expect("clear");
    let (question, choices) = PAGES[1].questions[0];
    let slug = book().pages()[1].slug;
    let out_of_range = format!(
        r#"{{"version":1,"read":[],"answers":{{"{slug}":{{"{question}":{choices}}}}},"widgets_run":[],"last_page":null}}"#
    );
    storage
        .set_item("concurrency-book.progress", &out_of_range)
        .expect("set");
    storage
        .set_item("concurrency-book.results", "{not json")
        .expect("set");

    let (handle, host) = mount_at(&format!("/{slug}/"));
    let notice = wait_for(&host, ".storage-notice", Duration::from_secs(5)).await;
    let told = text(&notice);
    assert!(
        told.contains("your progress") && told.contains("your results"),
        "{told}"
    );
    assert!(
        host.query_selector(".toc-answers").ok().flatten().is_none(),
        "an answer that does not fit counts for nothing in the contents"
    );
    assert_eq!(
        storage
            .get_item("concurrency-book.progress.set-aside")
            .ok()
            .flatten(),
        Some(out_of_range),
        "kept aside as it was"
    );
    assert_eq!(
        storage
            .get_item("concurrency-book.results.set-aside")
            .ok()
            .flatten()
            .as_deref(),
        Some("{not json")
    );
    unmount(handle, host);

    // The next visit is not told again, and "Your machine" offers both.
    let (handle, host) = mount_at("/your-machine/");
    wait_for(&host, ".set-aside", Duration::from_secs(5)).await;
    assert!(host
        .query_selector(".storage-notice")
        .ok()
        .flatten()
        .is_none());
    let offered = host
        .query_selector_all(".set-aside")
        .expect("query")
        .length();
    assert_eq!(offered, 2);
    let discard: HtmlElement = host
        .query_selector(".set-aside button")
        .ok()
        .flatten()
        .expect("a discard button")
        .unchecked_into();
    discard.click();
    sleep(Duration::from_millis(50)).await;
    assert_eq!(
        host.query_selector_all(".set-aside")
            .expect("query")
            .length(),
        1
    );
    unmount(handle, host);
    storage.clear().expect("clear");
}
