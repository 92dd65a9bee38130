//! The DOM harness the browser test binaries share: mount the book at a
//! URL, wait for what it draws, and override a browser API until dropped.
//! Each binary uses part of it.
#![allow(dead_code)]

use std::time::Duration;

use concurrency_book::prerendered::{GLOSSARY_HTML, HTML_RUNS};
use concurrency_book::ui::sources::{self, Pages, Sources, Widgets};
use concurrency_book::ui::App;
use gloo::timers::future::sleep;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

pub fn document() -> Document {
    gloo::utils::document()
}

/// Puts `path` in the address bar, as a link to it would.
pub fn go_to(path: &str) {
    gloo::utils::window()
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("pushState");
}

/// A fresh element at the end of the page's body, to mount into.
pub fn fresh_host() -> Element {
    let host = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    host
}

/// Gives the app the pages and the widgets built in: the test runner
/// serves no site to fetch or load them from.
pub fn build_in_the_site() {
    sources::provide(Sources {
        pages: Pages::BuiltIn {
            runs: &HTML_RUNS,
            glossary: GLOSSARY_HTML,
        },
        widgets: Widgets::BuiltIn {
            mount: book_widgets::islands::mount,
            unmount: book_widgets::islands::unmount,
        },
    });
}

/// Mounts the app at `path` into a fresh element, with the site built in.
pub fn mount_at(path: &str) -> (yew::AppHandle<App>, Element) {
    build_in_the_site();
    go_to(path);
    let host = fresh_host();
    let handle = yew::Renderer::<App>::with_root(host.clone()).render();
    (handle, host)
}

/// Waits until `selector` matches inside `host`, for at most `limit`.
pub async fn wait_for(host: &Element, selector: &str, limit: Duration) -> Element {
    let step = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    loop {
        if let Ok(Some(found)) = host.query_selector(selector) {
            return found;
        }
        assert!(waited < limit, "{selector} did not appear within {limit:?}");
        sleep(step).await;
        waited += step;
    }
}

/// A property descriptor (`Object.defineProperty`'s third argument) with
/// `fields`, configurable so the test can put the property back.
pub fn descriptor(fields: &[(&str, &wasm_bindgen::JsValue)]) -> js_sys::Object {
    let descriptor = js_sys::Object::new();
    for (name, value) in fields
        .iter()
        .chain(&[("configurable", &wasm_bindgen::JsValue::TRUE)])
    {
        js_sys::Reflect::set(&descriptor, &(*name).into(), value).expect("a descriptor field");
    }
    descriptor
}

pub fn unmount(handle: yew::AppHandle<App>, host: Element) {
    handle.destroy();
    host.remove();
}

/// Replaces `target[property]` with `descriptor` until dropped, so a
/// failing test cannot leave the page's storage broken for the next.
pub struct Override {
    target: js_sys::Object,
    property: &'static str,
    own: JsValue,
}

impl Override {
    fn new(target: js_sys::Object, property: &'static str, descriptor: &js_sys::Object) -> Self {
        let own = js_sys::Object::get_own_property_descriptor(&target, &property.into());
        js_sys::Object::define_property(&target, &property.into(), descriptor);
        Self {
            target,
            property,
            own,
        }
    }

    /// `window.localStorage` throws as a browser blocking site data makes it.
    pub fn blocked() -> Self {
        let getter = js_sys::Function::new_no_args(
            "throw new DOMException('The operation is insecure.', 'SecurityError');",
        );
        let descriptor = descriptor(&[("get", &getter)]);
        Self::new(gloo::utils::window().into(), "localStorage", &descriptor)
    }

    /// Every `setItem` throws as a full store does.
    pub fn full() -> Self {
        let prototype = js_sys::Reflect::get(&gloo::utils::window(), &"Storage".into())
            .and_then(|storage| js_sys::Reflect::get(&storage, &"prototype".into()))
            .expect("Storage.prototype");
        let setter = js_sys::Function::new_no_args(
            "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');",
        );
        let descriptor = descriptor(&[("value", &setter), ("writable", &JsValue::TRUE)]);
        Self::new(prototype.unchecked_into(), "setItem", &descriptor)
    }
}

impl Drop for Override {
    fn drop(&mut self) {
        if self.own.is_undefined() {
            let _ = js_sys::Reflect::delete_property(&self.target, &self.property.into());
        } else {
            js_sys::Object::define_property(
                &self.target,
                &self.property.into(),
                self.own.unchecked_ref(),
            );
        }
    }
}

pub fn local() -> web_sys::Storage {
    gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage")
}

pub fn text(host: &Element) -> String {
    host.text_content().unwrap_or_default()
}
