//! An interactive textbook on concurrency and parallelism: the book's shell.
//!
//! This crate is the book's own WebAssembly module (pages, search, progress,
//! "Your machine") and what the build needs to write the site. It is laid out
//! the way the book argues:
//!
//! - [`content`] (the `book-content` crate) and [`reader`], what the book
//!   keeps for its reader (progress, measured results, permalinks), are pure
//!   Rust with no web dependency, tested on the host; [`prerendered`] is the
//!   pages as `build.rs` rendered them.
//! - `ui` (browser only) is what runs *concurrently* on the main thread's
//!   event loop: the yew app and the book's shell, on `book-runtime`.
//!
//! What runs *in parallel* is elsewhere, and this crate cannot reach it: the
//! widgets (`book-widgets`) and the pool of Web Workers (`book-pool`) are the
//! second WebAssembly module, which a page loads through
//! `book_runtime::widgets_module` when it first shows a widget.

/// The text and its model (the `book-content` crate in `content-model/`).
pub use book_content as content;

pub mod prerendered;
pub mod reader;
#[cfg(target_arch = "wasm32")]
pub mod ui;
