//! The book's service worker (`www/sw.js`): offline reading everywhere, and
//! cross-origin isolation on hosts that cannot send the headers.
//!
//! A service worker only controls pages loaded after it is installed, so a
//! page that is not isolated and not yet controlled reloads once. A flag in
//! `sessionStorage` makes sure it reloads at most once per tab, so a browser
//! where the worker cannot help (no service workers in private mode, an old
//! Safari) never loops: the widgets then explain why they run on one thread.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::environment::Environment;

const RELOADED: &str = "concurrency-book.isolation-reload";

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

/// Registers the worker and, if that is what isolation takes, reloads once.
pub async fn start() -> WorkerState {
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
    }
    let _ = window.location().reload();
    WorkerState::Reloading
}

/// Calls `notify` when a new build's worker takes over this page, so the
/// reader can be told a reload shows the new version. `None` where the page has
/// no worker yet (its first install is not an update).
pub fn on_update(notify: impl Fn() + 'static) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return None;
    }
    let container = navigator.service_worker();
    container.controller()?;
    Some(gloo::events::EventListener::new(
        &container,
        "controllerchange",
        move |_| notify(),
    ))
}
