//! The UI: everything that runs on the main thread's event loop.
//!
//! One thread, many tasks: the router, the pages and every widget are yew
//! components driven by events, timers and futures. Work that would block the
//! event loop goes to the worker pool through [`crate::runtime::job`].
//!
//! The book's shell (pages, search, progress) is one WebAssembly module; the
//! `widgets` are another (feature `widgets`), loaded when a page first shows
//! one (`widget_host`, `src/bin/widgets.rs`).

mod app;
mod focus;
mod glossary_page;
mod highlight;
mod page;
mod print_view;
mod reader_state;
mod route;
mod scroll_anchor;
mod search;
mod self_check;
mod shell;
mod shortcuts;
mod theme;
mod widget_host;
#[cfg(feature = "widgets")]
pub mod widgets;
mod your_machine;

pub use app::App;

/// The event a widget's root sends when a run finishes, its `detail` the
/// run's JSON: the book listens for it to keep the figures and the progress.
pub const RUN_FINISHED_EVENT: &str = "book-widget-finished";

pub use route::Route;
pub use theme::Theme;

/// Mounts the book into the page's `<body>`, with the reader's remembered theme
/// applied first so the page does not flash in the wrong colours.
pub fn start() {
    crate::runtime::panics::install_hook();
    theme::apply(theme::remembered());
    yew::platform::spawn_local(async {
        crate::runtime::service_worker::start().await;
    });
    yew::Renderer::<App>::new().render();
}
