//! Where the shell gets what it does not build in: each page's runs of
//! HTML, the glossary's entries and the widgets.
//!
//! A served site fetches the pages from its build's folder and loads the
//! widgets module (`book_runtime::widgets_module`). `wasm-bindgen-test`'s
//! runner serves no site, so the tests hand in the same things built in
//! before they mount the app. Whoever starts the app chooses, at run time,
//! rather than a Cargo feature at build time: the shell stays one build, and
//! it cannot name the widgets crate, which does not depend on it either.

use std::cell::Cell;

use web_sys::Element;

/// Where the pages' HTML and the widgets come from.
#[derive(Clone, Copy)]
pub struct Sources {
    /// Each page's runs of HTML and the glossary's entries.
    pub pages: Pages,
    /// What places a widget's island.
    pub widgets: Widgets,
}

/// Where each page's runs of HTML and the glossary's entries come from.
#[derive(Clone, Copy)]
pub enum Pages {
    /// From the site: `pages/<slug>.json` and `pages/glossary.html` in the
    /// page's build folder.
    Fetched,
    /// Handed in (`prerendered::HTML_RUNS` and `prerendered::GLOSSARY_HTML`):
    /// only code that hands them in carries them in its module.
    BuiltIn {
        /// Each page's runs, indexed by `Page::number`.
        runs: &'static [&'static [&'static str]],
        /// The glossary page's entries.
        glossary: &'static str,
    },
}

/// How a page places a widget's island.
#[derive(Clone, Copy)]
pub enum Widgets {
    /// Through the widgets module, loaded on the page's first widget.
    Module,
    /// Through the widgets' own functions, linked into the same module.
    BuiltIn {
        /// Mounts a widget (its `data-widget` id) in an element; the number
        /// is for `unmount`.
        mount: fn(&Element, &str) -> Result<u32, String>,
        /// Removes the widget `mount` numbered.
        unmount: fn(u32),
    },
}

impl Sources {
    /// What a served site uses.
    pub const SITE: Sources = Sources {
        pages: Pages::Fetched,
        widgets: Widgets::Module,
    };
}

thread_local! {
    static CURRENT: Cell<Sources> = const { Cell::new(Sources::SITE) };
}

/// Makes the app take its pages and widgets from `sources` from now on (a
/// page it already holds stays as it was). `ui::start` leaves
/// [`Sources::SITE`]; tests call this before they mount the app.
pub fn provide(sources: Sources) {
    CURRENT.with(|current| current.set(sources));
}

/// The sources the app was given.
pub(super) fn current() -> Sources {
    CURRENT.with(Cell::get)
}
