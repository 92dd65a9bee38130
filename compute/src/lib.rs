//! Pure compute: deterministic kernels with no web dependency.
//!
//! A crate of its own so that it is built for speed (opt-level 3) while the
//! rest of the book is built for a small download.
//!
//! Everything here runs the same natively and in WebAssembly, so the host test
//! suite proves it correct and the browser only adds threads and timers.
//! Parallel versions use whatever rayon pool they are called in: the browser
//! runtime runs them inside its worker pool, tests inside a local pool.

pub mod active_threads;
pub mod blur;
pub mod concurrency;
pub mod control;
pub mod gpu;
pub mod kernel;
pub mod lab;
pub mod litmus;
pub mod mandelbrot;
pub mod matmul;
pub mod measure;
pub mod pitfalls;
pub mod primes;
pub mod simd;
pub mod sort;
pub mod stats;
pub mod threads_probe;
pub mod xorshift;

/// A local rayon pool of `threads` threads, for the tests that compare a
/// parallel run with the sequential one on several pool sizes.
#[cfg(test)]
pub(crate) fn test_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a local thread pool")
}

/// Per-thread milliseconds, as the browser's `performance.now()` gives them
/// (each worker has its own origin): for the tests of code that waits.
#[cfg(test)]
pub(crate) fn test_clock() -> f64 {
    thread_local!(static START: std::time::Instant = std::time::Instant::now());
    START.with(|start| start.elapsed().as_secs_f64() * 1000.0)
}

/// Milliseconds on one clock for every thread, for the tests that compare
/// times taken on different threads (as the book does with the page's
/// `performance.timeOrigin`).
#[cfg(test)]
pub(crate) fn shared_test_clock() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}
