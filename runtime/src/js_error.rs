//! What a JavaScript exception says, in words for the reader.
//!
//! The browser build prints nothing for `{:?}` (`-Z fmt-debug=none` keeps the
//! download small), so every message the book shows about a browser error
//! goes through here.

use wasm_bindgen::{JsCast, JsValue};

/// The error's message, or the value as a string or as JSON.
pub fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .or_else(|| js_sys::JSON::stringify(value).ok().map(String::from))
        .unwrap_or_else(|| "an error the browser did not describe".to_owned())
}
