//! Time as the page measures it.

/// Milliseconds from `performance.now()`: monotonic, sub-millisecond where the
/// browser allows (cross-origin isolated pages get the finer resolution).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
