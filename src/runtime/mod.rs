//! The browser runtime: what the page can do in parallel, and the pool that does it.
//!
//! - [`environment`] asks the browser what it offers (isolation, shared memory, cores).
//! - [`pool`] starts the wasm-bindgen-rayon pool of Web Workers once, or says why not.
//! - [`job`] runs a whole job inside the pool while the main thread only awaits it.
//! - [`hand_over`] passes work to the pool without a lock on the main thread.
//! - [`gpu`] runs the Mandelbrot as a WebGPU compute shader, awaited on the
//!   event loop like any other promise.
//! - [`panics`] turns a worker's panic into a message for the waiting widget.
//! - [`build`] names this page's build, whose files it fetches, so a tab
//!   open across a deploy never mixes two builds.
//! - [`fetch`] reads the book's generated files (search index, questions).
//! - [`json`] reads JSON with the browser's `JSON.parse`, for the reader's kept results.
//! - [`js_error`] puts a JavaScript exception into words.
//! - [`clipboard`] copies text and says truthfully whether it did.
//! - [`clock`] is the high-resolution timer, on the main thread and in workers.
//! - [`event_loop`] is the concurrency widgets' side: giving the main thread
//!   back, and the frames the browser draws meanwhile.
//! - [`heap`] counts the bytes Rust code holds: the allocator of every thread.
//! - [`storage`] is `localStorage`, which a browser may block, fill or lack:
//!   every access fallible, the refusal kept in words for the reader.
//! - [`service_worker`] registers the book's service worker: offline reading, and
//!   isolation (one reload) on hosts that cannot send the headers.
//! - [`widgets_module`] loads the second WebAssembly module, the widgets', on
//!   a page's first widget.

pub mod build;
pub mod clipboard;
pub mod clock;
pub mod environment;
pub mod event_loop;
pub mod fetch;
#[cfg(feature = "widgets")]
pub mod gpu;
#[cfg(feature = "widgets")]
pub mod hand_over;
pub mod heap;
#[cfg(feature = "widgets")]
pub mod job;
pub mod js_error;
pub mod json;
pub mod panics;
#[cfg(feature = "widgets")]
pub mod pool;
pub mod service_worker;
pub mod storage;
#[cfg(not(feature = "embedded-widgets"))]
pub mod widgets_module;
