//! The UI: everything that runs on the main thread's event loop.
//!
//! One thread, many tasks: the router, the pages and every widget are yew
//! components driven by events, timers and futures. Work that would block the
//! event loop is the widgets', in the widgets module.
//!
//! The book's shell (pages, search, progress) is one WebAssembly module; the
//! widgets are another (crate `book-widgets`), loaded when a page first
//! shows one (`widget_host`, through `book_runtime::widgets_module`).

mod app;
mod browser_json;
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
pub mod sources;
mod take_over;
mod theme;
mod widget_host;
mod your_machine;

pub use app::App;

pub use route::Route;
pub use theme::Theme;

/// Mounts the book beside the page's static text, which it takes over once
/// its own page is complete (`take_over`), with the reader's remembered theme
/// applied (`www/boot.js` applied it before the first paint; this reports a
/// value it could not read).
pub fn start() {
    book_runtime::panics::install_hook();
    theme::apply(theme::remembered());
    yew::platform::spawn_local(async {
        book_runtime::service_worker::start().await;
    });
    match take_over::app_root() {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}
