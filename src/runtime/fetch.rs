//! Fetching the book's own generated files (the search index, each section's
//! questions) next to the page: kept out of the WebAssembly so the first page
//! stays small, and cached offline by the service worker like every file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `path`, relative to the book's base URL, or why not.
pub async fn text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| format!("{path} could not be fetched; you may be offline on a first visit"))?
        .dyn_into()
        .map_err(|_| format!("{path}: the answer was not a response"))?;
    if !response.ok() {
        return Err(format!(
            "{path} is missing (HTTP {}); `cargo xtask serve` and `cargo xtask dist` write it",
            response.status()
        ));
    }
    let body = response
        .text()
        .map_err(|_| format!("{path} could not be read"))?;
    JsFuture::from(body)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{path} could not be read"))
}
