//! Copying text for the reader, and saying truthfully whether it worked.
//!
//! `navigator.clipboard` exists only in a secure context, and its promise
//! rejects when the browser or the reader refuses (a permission prompt
//! declined, a page without focus). The book says "Copied" only once the
//! promise resolves; on a refusal it selects the text so the reader can copy
//! it by hand.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Copies `text`; why not, in words, when the browser refuses.
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("this page has no window")?;
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("clipboard")).unwrap_or(false) {
        return Err("this browser offers no clipboard to this page".to_owned());
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|error| {
            format!(
                "the browser refused ({})",
                super::js_error::describe(&error)
            )
        })
}

/// Selects everything inside `element`, for the reader to copy by hand,
/// opening the `<details>` around it, if any, so the selection shows.
pub fn select_contents(element: &web_sys::Element) {
    if let Ok(Some(details)) = element.closest("details") {
        let _ = details.set_attribute("open", "");
    }
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = selection.select_all_children(element);
    }
}
