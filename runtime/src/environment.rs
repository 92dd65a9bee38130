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
    /// Whether WebAssembly has `simd128` (four `f32` lanes per instruction).
    pub wasm_simd: bool,
    /// Whether `navigator.gpu` exists (an adapter may still be missing).
    pub webgpu: bool,
}

/// The smallest module that uses a SIMD instruction: `() -> v128`, whose body
/// is `i32.const 0; i8x16.splat`. It validates only where WebAssembly has SIMD.
const SIMD_PROBE: [u8; 29] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // one type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of that type
    0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // its body
];

/// Whether this browser's WebAssembly has SIMD (`simd128`), which the
/// widgets module uses: asked by validating [`SIMD_PROBE`].
pub fn wasm_simd() -> bool {
    let bytes = js_sys::Uint8Array::new_with_length(SIMD_PROBE.len() as u32);
    bytes.copy_from(&SIMD_PROBE);
    js_sys::WebAssembly::validate(&bytes).unwrap_or(false)
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
                .as_ref()
                .and_then(|n| n.user_agent().ok())
                .unwrap_or_default(),
            wasm_simd: wasm_simd(),
            webgpu: navigator.is_some_and(|n| {
                js_sys::Reflect::get(&n, &JsValue::from_str("gpu"))
                    .is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
            }),
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
                 SharedArrayBuffer (some WebKit builds do not), so WebAssembly threads are off. \
                 Safari 15.2 or later, Chrome, Edge and Firefox offer it on isolated pages; \
                 WebKitGTK on Linux only behind a developer switch.",
            ),
        }
    }
}
