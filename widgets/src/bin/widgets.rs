//! The widgets module's entry point: the second WebAssembly module, which the
//! book loads when a page first shows a widget (`book_runtime::widgets_module`).
//! It holds the widgets, the kernels and the worker pool.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;
    use web_sys::Element;

    use book_widgets::islands;

    /// Mounts widget `kind` (its `data-widget` id) inside `host`.
    #[wasm_bindgen]
    pub fn mount(host: &Element, kind: &str) -> Result<u32, JsError> {
        islands::mount(host, kind).map_err(|why| JsError::new(&why))
    }

    /// Removes the widget [`mount`] numbered `id`.
    #[wasm_bindgen]
    pub fn unmount(id: u32) {
        islands::unmount(id);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    book_runtime::panics::install_hook();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The widgets module runs in a browser: use `cargo xtask serve`.");
}
