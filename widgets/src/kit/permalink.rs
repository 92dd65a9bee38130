//! Permalinks into a widget: this page's URL with a query parameter that
//! holds the widget's state, and a fragment that scrolls back to it.
//!
//! A static host serves the page whatever its query, so a link works on any
//! host and under any sub-path; the widget reads its parameter when it mounts.

use wasm_bindgen::JsValue;
use yew::Event;

/// This page with `?<parameter>=<value>`, and `#<anchor>` to bring the reader
/// back to the widget.
pub fn href(parameter: &str, value: &str, anchor: &str) -> String {
    let path = gloo::utils::window()
        .location()
        .pathname()
        .unwrap_or_default();
    let value = String::from(js_sys::encode_uri_component(value));
    format!("{path}?{parameter}={value}#{anchor}")
}

/// The value of `parameter` in this page's URL, percent-decoded, if any.
pub fn in_url(parameter: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    let query = search.strip_prefix('?').unwrap_or(&search);
    let prefix = format!("{parameter}=");
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(prefix.as_str()))?;
    Some(
        js_sys::decode_uri_component(raw)
            .map(String::from)
            .unwrap_or_else(|_| raw.to_owned()),
    )
}

/// The `value` of the element an event came from (a `<select>` here), read
/// by name, so one function serves every kind of form control.
pub fn target_value(event: &Event) -> String {
    event
        .target()
        .and_then(|target| js_sys::Reflect::get(target.as_ref(), &JsValue::from_str("value")).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}
