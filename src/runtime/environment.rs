//! Feature detection: what this browser offers the parallel half of the book.

use serde::Serialize;
use wasm_bindgen::JsValue;

/// What the browser says about itself, read once per widget run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Environment {
    /// `crossOriginIsolated`: the page was served with COOP/COEP (or re-served by a worker).
    pub isolated: bool,
    /// Whether `SharedArrayBuffer` exists: WebAssembly threads need it.
    pub shared_array_buffer: bool,
    /// `navigator.hardwareConcurrency`; browsers may clamp or round it.
    pub hardware_concurrency: usize,
    /// The browser's user agent string, to say on what a figure was measured.
    pub user_agent: String,
}

impl Environment {
    /// Reads the environment from the window.
    pub fn detect() -> Self {
        let global = js_sys::global();
        let flag = |name: &str| {
            js_sys::Reflect::get(&global, &JsValue::from_str(name))
                .map(|value| value.as_bool().unwrap_or(!value.is_undefined()))
                .unwrap_or(false)
        };
        let navigator = web_sys::window().map(|window| window.navigator());
        Self {
            isolated: flag("crossOriginIsolated"),
            shared_array_buffer: flag("SharedArrayBuffer"),
            hardware_concurrency: navigator
                .as_ref()
                .map_or(1, |n| n.hardware_concurrency() as usize)
                .max(1),
            user_agent: navigator
                .and_then(|n| n.user_agent().ok())
                .unwrap_or_default(),
        }
    }

    /// Whether Web Workers can share this module's memory, which the pool needs.
    pub fn can_share_memory(&self) -> bool {
        self.isolated && self.shared_array_buffer
    }

    /// Why the pool cannot start here, in words for the reader; `None` if it can.
    pub fn obstacle(&self) -> Option<&'static str> {
        match (self.isolated, self.shared_array_buffer) {
            (true, true) => None,
            (false, _) => Some(
                "this page is not cross-origin isolated, so the browser withholds \
                 SharedArrayBuffer and Web Workers cannot share the WebAssembly memory. \
                 The host should send Cross-Origin-Opener-Policy: same-origin and \
                 Cross-Origin-Embedder-Policy: require-corp (cargo xtask serve does); where it \
                 cannot, the book's service worker adds them after one reload, unless the \
                 browser keeps service workers off (some private modes do).",
            ),
            (true, false) => Some(
                "the page is cross-origin isolated, but this browser does not offer \
                 SharedArrayBuffer (some WebKit builds do not), so WebAssembly threads are off.",
            ),
        }
    }
}
