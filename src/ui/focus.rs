//! Moving keyboard focus within a list of controls: the search results
//! (↓ and ↑) and the shortcuts dialog (Tab kept inside it).

use wasm_bindgen::JsCast;
use web_sys::{Node, NodeList};

/// Where the focused element stands in `list`, if it is one of them.
pub fn position_in(list: &NodeList) -> Option<u32> {
    let focused = web_sys::window()?.document()?.active_element()?;
    (0..list.length()).find(|&i| {
        list.item(i)
            .is_some_and(|node| node.is_same_node(Some(&focused)))
    })
}

/// Focuses `node`, if it is an element that can take focus.
pub fn give_to(node: Option<Node>) {
    if let Some(element) = node.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
