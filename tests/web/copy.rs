//! "Copy results" says "Copied" only once the clipboard has the text.

use super::*;

/// `navigator.clipboard.writeText` replaced by `body` until dropped.
struct Clipboard;

impl Clipboard {
    fn answering(body: &str) -> Self {
        let navigator = gloo::utils::window().navigator();
        let clipboard = js_sys::Object::new();
        let write = js_sys::Function::new_with_args("text", body);
        js_sys::Reflect::set(&clipboard, &"writeText".into(), &write).expect("writeText");
        js_sys::Object::define_property(
            &navigator,
            &"clipboard".into(),
            &descriptor(&[("value", &clipboard)]),
        );
        Self
    }
}

impl Drop for Clipboard {
    fn drop(&mut self) {
        let navigator = gloo::utils::window().navigator();
        let _ = js_sys::Reflect::delete_property(&navigator, &"clipboard".into());
    }
}

/// The environment widget's "Copy results" button, once it has a result.
async fn copy_button(host: &Element) -> HtmlElement {
    wait_for(
        host,
        "[data-widget=environment][data-result]",
        Duration::from_secs(5),
    )
    .await;
    host.query_selector("[data-widget=environment] button.copy")
        .ok()
        .flatten()
        .expect("a copy button")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn copied_is_said_only_after_the_clipboard_answers() {
    let _slow = Clipboard::answering("return new Promise((done) => setTimeout(done, 300));");
    let (handle, host) = mount_at("/");
    let button = copy_button(&host).await;
    button.click();
    sleep(Duration::from_millis(50)).await;
    assert_ne!(
        button.text_content().as_deref(),
        Some("Copied"),
        "not before the promise"
    );
    sleep(Duration::from_millis(500)).await;
    assert_eq!(button.text_content().as_deref(), Some("Copied"));
    unmount(handle, host);
}

#[wasm_bindgen_test]
async fn a_refused_copy_says_so_and_selects_the_text() {
    let _refusing = Clipboard::answering(
        "return Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));",
    );
    let (handle, host) = mount_at("/");
    let button = copy_button(&host).await;
    button.click();
    let refused = wait_for(&host, ".copy-refused", Duration::from_secs(2)).await;
    assert!(
        refused
            .text_content()
            .unwrap_or_default()
            .contains("Write permission denied"),
        "{:?}",
        refused.text_content()
    );
    assert_ne!(button.text_content().as_deref(), Some("Copied"));
    let selected = gloo::utils::window()
        .get_selection()
        .ok()
        .flatten()
        .and_then(|s| s.to_string().as_string())
        .unwrap_or_default();
    assert!(
        selected.contains("hardware_concurrency"),
        "the JSON is selected: {selected}"
    );
    unmount(handle, host);
}
