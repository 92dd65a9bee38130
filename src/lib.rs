//! An interactive textbook on concurrency and parallelism.
//!
//! The crate is laid out the way the book argues:
//!
//! - [`content`] and [`compute`] are pure Rust with no web dependency, tested on
//!   the host: the book's text model, and the kernels whose speed the reader
//!   measures; and [`reader`], what the book keeps for its reader (progress,
//!   measured results, permalinks).
//! - `runtime` (browser only) is what runs *in parallel*: the wasm-bindgen-rayon
//!   pool of Web Workers sharing the WebAssembly memory, feature detection and
//!   timing. Whole jobs run inside the pool; the main thread only awaits them.
//! - `ui` (browser only) is what runs *concurrently* on the main thread's event
//!   loop: the yew app, the book shell and the widgets.

// The browser build is always on the pinned nightly (WebAssembly threads need
// it); this lets a worker report an allocation failure before it aborts.
#![cfg_attr(target_arch = "wasm32", feature(alloc_error_hook))]
#![cfg_attr(
    all(target_arch = "wasm32", feature = "widgets"),
    feature(stdarch_wasm_atomic_wait)
)]

/// The kernels and the measuring harness (the `book-compute` crate in `compute/`).
pub use book_compute as compute;
/// The text and its model (the `book-content` crate in `content-model/`).
pub use book_content as content;
/// Litmus tests under three memory models (the `book-memory-models` crate
/// in `memory-models/`).
pub use book_memory_models as memory_models;
pub mod prerendered;
pub mod reader;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Counts live heap bytes, so the memory widget can weigh an async task.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: runtime::heap::CountingAllocator = runtime::heap::CountingAllocator;
