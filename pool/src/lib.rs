//! The worker pool (crate `book-pool`): wasm-bindgen-rayon's Web Workers
//! sharing the WebAssembly memory, and whole jobs run inside it.
//!
//! - [`start`] starts the pool once per page, or says why it cannot.
//! - [`job`] runs a whole job inside the pool while the main thread only awaits it.
//! - [`hand_over`] passes work to the pool without a lock on the main thread.
//!
//! Only the widgets module depends on this crate (and the book's browser
//! tests). wasm-bindgen-rayon exports
//! its worker start to JavaScript, and an export is never dropped by the
//! linker, so the book's own module keeps the pool out by not depending on it.
//!
//! Browser-only: on the host the crate is empty.
#![cfg(target_arch = "wasm32")]
// The dispatcher sleeps on `memory.atomic.wait32` inside the pool.
#![feature(stdarch_wasm_atomic_wait)]

pub mod hand_over;
pub mod job;
pub mod start;

pub use start::{ready, PoolUnavailable};
