//! JSON read with the browser's own `JSON.parse`: the results the reader keeps
//! ("Your machine") are read without a second JSON tree in the WebAssembly.

use js_sys::{Array, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};

use crate::reader::results::JsonTree;

/// A value `JSON.parse` made.
pub struct BrowserJson(JsValue);

impl JsonTree for BrowserJson {
    fn parse(text: &str) -> Option<Self> {
        JSON::parse(text).ok().map(BrowserJson)
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn flag(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn fields(&self) -> Option<Vec<(String, Self)>> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return None;
        }
        let object: &Object = self.0.unchecked_ref();
        Some(
            Object::entries(object)
                .iter()
                .filter_map(|entry| {
                    let entry: Array = entry.dyn_into().ok()?;
                    Some((entry.get(0).as_string()?, BrowserJson(entry.get(1))))
                })
                .collect(),
        )
    }

    fn items(&self) -> Option<Vec<Self>> {
        Array::is_array(&self.0).then(|| {
            self.0
                .unchecked_ref::<Array>()
                .iter()
                .map(BrowserJson)
                .collect()
        })
    }
}
