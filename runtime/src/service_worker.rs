//! The book's service worker (`www/sw.js`): offline reading everywhere, and
//! cross-origin isolation on hosts that cannot send the headers.
//!
//! A service worker only controls pages loaded after it is installed, so a
//! page that is not isolated and not yet controlled reloads once. A flag in
//! `sessionStorage` makes sure it reloads at most once per tab, so a browser
//! where the worker cannot help (no service workers in private mode, an old
//! Safari) never loops: the widgets then explain why they run on one thread.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::environment::Environment;

const RELOADED: &str = "concurrency-book.isolation-reload";

/// Where the reader was when the isolation reload came: they go on reading
/// there, not at the top of the page.
const SCROLLED_TO: &str = "concurrency-book.isolation-reload-scroll";

/// What the service worker could do for this page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerState {
    /// The browser has no service workers here (some private modes, `file:`).
    Unsupported,
    /// Registration failed (the host does not serve `sw.js`, say).
    NotRegistered(String),
    /// The worker runs: offline reading, and isolation if the page has it.
    Active,
    /// The page is reloading to come under the worker's control.
    Reloading,
}

thread_local! {
    /// What [`start`] found, for the "Your machine" page.
    static STATE: RefCell<Option<WorkerState>> = const { RefCell::new(None) };
}

/// What the service worker could do for this page, once [`start`] knows.
pub fn state() -> Option<WorkerState> {
    STATE.with(|state| state.borrow().clone())
}

/// Registers the worker and, if that is what isolation takes, reloads once;
/// what it found is kept for [`state`].
pub async fn start() -> WorkerState {
    let found = register().await;
    STATE.with(|state| *state.borrow_mut() = Some(found.clone()));
    found
}

async fn register() -> WorkerState {
    let Some(window) = web_sys::window() else {
        return WorkerState::Unsupported;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return WorkerState::Unsupported;
    }
    let container = navigator.service_worker();
    // Whether the worker served this very document; it may claim the page
    // later (on its first install), but only a reload puts its headers on it.
    let controlled_at_load = container.controller().is_some();
    // Relative to `<base href>`, so its scope is the book's own folder.
    if let Err(error) = JsFuture::from(container.register("sw.js")).await {
        return WorkerState::NotRegistered(super::js_error::describe(&error));
    }
    let storage = window.session_storage().ok().flatten();
    if Environment::detect().isolated {
        if let Some(storage) = &storage {
            let _ = storage.remove_item(RELOADED);
        }
        return WorkerState::Active;
    }
    let already_reloaded = storage
        .as_ref()
        .and_then(|s| s.get_item(RELOADED).ok().flatten())
        .is_some();
    if controlled_at_load || already_reloaded {
        // Served by the worker (or tried once) and still not isolated: the
        // browser does not let the worker isolate this page; nothing more to do.
        return WorkerState::Active;
    }
    if let Ok(ready) = container.ready() {
        let _ = JsFuture::from(ready).await;
    }
    if let Some(storage) = &storage {
        let _ = storage.set_item(RELOADED, "1");
        if let Ok(y) = window.scroll_y() {
            let _ = storage.set_item(SCROLLED_TO, &y.to_string());
        }
    }
    let _ = window.location().reload();
    WorkerState::Reloading
}

/// Where the reader had scrolled when the isolation reload came, once: the
/// page shown after the reload scrolls back there instead of to its top.
pub fn take_scroll_before_reload() -> Option<f64> {
    let storage = web_sys::window()?.session_storage().ok().flatten()?;
    let y = storage.get_item(SCROLLED_TO).ok().flatten()?;
    let _ = storage.remove_item(SCROLLED_TO);
    y.parse().ok().filter(|y: &f64| y.is_finite() && *y > 0.0)
}

/// Calls `notify` when a new build's worker takes over this page, so the
/// reader can be told a reload shows the new version. A page that had no
/// worker yet is first claimed by its first install, which is no update: only
/// a later change of worker is. `None` where the browser has no service workers.
pub fn on_update(notify: impl Fn() + 'static) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return None;
    }
    let container = navigator.service_worker();
    let controlled = std::cell::Cell::new(container.controller().is_some());
    Some(gloo::events::EventListener::new(
        &container,
        "controllerchange",
        move |_| {
            if controlled.replace(true) {
                notify();
            }
        },
    ))
}
