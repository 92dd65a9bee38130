//! Pure compute: deterministic kernels with no web dependency.
//!
//! Everything here runs the same natively and in WebAssembly, so the host test
//! suite proves it correct and the browser only adds threads and timers.
//! Parallel versions use whatever rayon pool they are called in: the UI's runtime
//! installs them in the browser's worker pool, tests in a local pool.

pub mod threads_probe;
