//! The UI: everything that runs on the main thread's event loop.
//!
//! One thread, many tasks: the router, the pages and every widget are yew
//! components driven by events, timers and futures. Work that would block the
//! event loop goes to the worker pool through [`crate::runtime::job`].

mod app;
mod chart;
mod glossary_page;
mod image_view;
mod page;
mod reader_state;
mod route;
mod search;
mod self_check;
mod shell;
mod theme;
pub mod widgets;
mod your_machine;

pub use app::App;
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
