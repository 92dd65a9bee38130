//! The browser runtime: what the page can do in parallel, and the pool that does it.
//!
//! - [`environment`] asks the browser what it offers (isolation, shared memory, cores).
//! - [`pool`] starts the wasm-bindgen-rayon pool of Web Workers once, or says why not.
//! - [`job`] runs a whole job inside the pool while the main thread only awaits it.
//! - [`clock`] is the page's high-resolution timer.

pub mod clock;
pub mod environment;
pub mod job;
pub mod pool;
