//! Fetching the book's own generated files (each page's text, the search
//! index, each section's questions) from this page's build: kept out of the
//! WebAssembly so the first page stays small, and cached offline by the
//! service worker like every file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::build;

/// The text of the build's file `path` (relative to the build's folder), or why not.
pub async fn text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let url = build::file(path);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|_| format!("{path} could not be fetched; you may be offline on a first visit"))?
        .dyn_into()
        .map_err(|_| format!("{path}: the answer was not a response"))?;
    if response.status() == 404 && build::is_named() {
        // The host no longer has this page's build: a newer one replaced it.
        build::announce_outdated();
        return Err(format!(
            "{path} is gone from the host: the book was updated after this page was opened. Reload to read the new version"
        ));
    }
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
