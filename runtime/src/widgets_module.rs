//! The widgets module: the book's second WebAssembly module, with every
//! widget, the kernels and the worker pool. A page that shows no widget does
//! not need it, so the book loads it the first time a page shows one, and
//! each page of the book's first download stays small.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use crate::js_error;

/// The event a widget's root sends when a run finishes, its `detail` the
/// run's JSON: the book listens for it to keep the figures and count the
/// progress. Here, below both modules, because neither can reach the other.
pub const RUN_FINISHED_EVENT: &str = "book-widget-finished";

/// The module's JavaScript glue, in the page's build folder; Trunk builds it
/// from the `concurrency-widgets` binary of `widgets/` (`index.html`).
pub const PATH: &str = "concurrency-widgets.js";

#[wasm_bindgen(inline_js = r#"
// WebAssembly cannot import a module itself: this imports the widgets
// module's glue, then starts its WebAssembly (which fetches itself).
export function importWidgets(url) {
  return import(url).then(async (widgets) => {
    await widgets.default();
    return widgets;
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = importWidgets)]
    fn import_widgets(url: &str) -> Promise;

    /// The loaded module: the two functions `widgets/src/bin/widgets.rs` exports.
    #[derive(Clone)]
    pub type WidgetsModule;

    #[wasm_bindgen(method, catch)]
    fn mount(this: &WidgetsModule, host: &Element, kind: &str) -> Result<u32, JsValue>;

    #[wasm_bindgen(method)]
    fn unmount(this: &WidgetsModule, id: u32);
}

thread_local! {
    /// The one load of the module, shared by every widget that waits for it.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// The widgets module, loaded once per page view, or why it could not load.
pub async fn load() -> Result<WidgetsModule, String> {
    if !crate::environment::wasm_simd() {
        return Err("this browser's WebAssembly has no SIMD (simd128: Chrome and Edge 91, Firefox 89 and Safari 16.4 have it), which the widgets' module is built with. The text of the book reads as usual; a newer browser runs the widgets".to_owned());
    }
    let promise = LOADING.with(|loading| {
        loading
            .borrow_mut()
            .get_or_insert_with(|| import_widgets(&url()))
            .clone()
    });
    match JsFuture::from(promise).await {
        Ok(module) => Ok(module.unchecked_into()),
        Err(error) => {
            // Let the next widget try again (the reader may be back online).
            LOADING.with(|loading| loading.borrow_mut().take());
            Err(format!(
                "the widgets could not be loaded ({}); reload the page to try again",
                js_error::describe(&error)
            ))
        }
    }
}

/// The glue's address: import() resolves a relative one against the
/// importing script, not against the page's `<base>`.
fn url() -> String {
    let base = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.base_uri().ok().flatten())
        .unwrap_or_default();
    let path = crate::build::file(PATH);
    web_sys::Url::new_with_base(&path, &base)
        .map(|url| url.href())
        .unwrap_or(path)
}

impl WidgetsModule {
    /// Mounts widget `kind` in `host`; the number is for [`Self::remove`].
    pub fn place(&self, host: &Element, kind: &str) -> Result<u32, String> {
        self.mount(host, kind)
            .map_err(|error| js_error::describe(&error))
    }

    /// Removes the widget [`Self::place`] numbered `id`.
    pub fn remove(&self, id: u32) {
        self.unmount(id);
    }
}
