//! Time as the page measures it, on the main thread and in workers alike.

use wasm_bindgen::JsCast;

thread_local! {
    static PERFORMANCE: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into().ok());
    /// `performance.timeOrigin`, read once: WebKit returns values up to
    /// 0.06 ms apart from one read to the next, which would make the sum run
    /// backwards and two steps on one thread look simultaneous.
    static TIME_ORIGIN: f64 = PERFORMANCE.with(|p| p.as_ref().map_or(0.0, web_sys::Performance::time_origin));
}

/// Milliseconds from this thread's `performance.now()`: monotonic, and finer
/// on cross-origin isolated pages. Each worker has its own origin of time, so
/// only differences taken on one thread mean anything.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, web_sys::Performance::now))
}

/// Milliseconds on one clock for the page and every worker:
/// `performance.timeOrigin + performance.now()`. Spans timed on different
/// threads can be drawn on one time axis (to within the timer's resolution).
pub fn shared_ms() -> f64 {
    TIME_ORIGIN.with(|origin| origin + now_ms())
}
