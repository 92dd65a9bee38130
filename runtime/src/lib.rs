//! The browser runtime (crate `book-runtime`): what both WebAssembly
//! modules, the book's and the widgets', need from the browser.
//!
//! - [`environment`] asks the browser what it offers (isolation, shared memory, cores).
//! - [`panics`] turns a panic, in a worker or on the main thread, into a
//!   message for whoever waits.
//! - [`build`] names this page's build, whose files it fetches, so a tab
//!   open across a deploy never mixes two builds.
//! - [`fetch`] reads the book's generated files (search index, questions).
//! - [`js_error`] puts a JavaScript exception into words.
//! - [`clipboard`] copies text and says truthfully whether it did.
//! - [`clock`] is the high-resolution timer, on the main thread and in workers.
//! - [`storage`] is `localStorage`, which a browser may block, fill or lack:
//!   every access fallible, the refusal kept in words for the reader.
//! - [`service_worker`] registers the book's service worker: offline reading, and
//!   isolation (one reload) on hosts that cannot send the headers.
//! - [`widgets_module`] loads the second WebAssembly module, the widgets', on
//!   a page's first widget, and names what the two modules say to each other.
//!
//! It knows nothing of yew, the pages or the widgets, and holds no worker
//! pool: the book's own module must not carry one (`book-pool` does).
//!
//! Browser-only: on the host the crate is empty.
#![cfg(target_arch = "wasm32")]
// The browser build is always on the pinned nightly (WebAssembly threads need
// it); this lets a worker report an allocation failure before it aborts.
#![feature(alloc_error_hook)]

pub mod build;
pub mod clipboard;
pub mod clock;
pub mod environment;
pub mod fetch;
pub mod js_error;
pub mod panics;
pub mod service_worker;
pub mod storage;
pub mod widgets_module;
