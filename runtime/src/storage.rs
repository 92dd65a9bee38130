//! The browser's `localStorage`, which the reader's browser may refuse.
//!
//! Blocking site data (a common privacy setting) makes reading
//! `window.localStorage` throw a `SecurityError`; some browsers offer none; a
//! full store throws `QuotaExceededError` on write. The book must read on
//! regardless: every access here is fallible, [`refusal`] says in words why
//! nothing is kept, and nothing is kept longer than the page then.
//! (gloo's `LocalStorage` throws a JavaScript exception in those cases, which
//! stops the WebAssembly before the book has drawn anything.)

use wasm_bindgen::JsValue;

/// The key [`refusal`] writes and removes to learn whether writing works.
const PROBE: &str = "concurrency-book.probe";

/// The stored value under `key`, or `None` when there is none or storage is refused.
pub fn read(key: &str) -> Option<String> {
    local().ok()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; `false` when the browser refused (see [`refusal`]).
pub fn write(key: &str, value: &str) -> bool {
    local().is_ok_and(|storage| storage.set_item(key, value).is_ok())
}

/// Forgets `key`, if the browser lets the book.
pub fn remove(key: &str) {
    if let Ok(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// Every key the book's origin has stored, for the "Your machine" page.
pub fn keys() -> Vec<String> {
    let Ok(storage) = local() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
}

/// Why the browser will not keep what the book stores, if it will not, asked
/// now (a setting can change while the page is open): the end of a sentence
/// "Nothing is kept between visits: …".
pub fn refusal() -> Option<String> {
    local()
        .and_then(|storage| {
            storage.set_item(PROBE, "1").map_err(|e| reason(&e))?;
            storage.remove_item(PROBE).map_err(|e| reason(&e))
        })
        .err()
}

fn local() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or_else(|| "this page has no window".to_owned())?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser offers the page no storage".to_owned()),
        Err(error) => Err(reason(&error)),
    }
}

/// A refusal in the reader's words, by the exception's name.
fn reason(error: &JsValue) -> String {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "SecurityError" => "the browser blocks this site's storage (a privacy setting, such as blocking site data or cookies)".to_owned(),
        "QuotaExceededError" => "the browser's storage for this site is full".to_owned(),
        _ => format!("the browser refused its storage ({})", super::js_error::describe(error)),
    }
}
