//! Each widget as an island: its own yew app, mounted into an element the
//! book's page reserves for it. The widgets module exports [`mount`] and
//! [`unmount`] to the book (`src/bin/widgets.rs`), which calls them when a
//! page shows or leaves a widget.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use web_sys::Element;
use yew::prelude::*;

use book_content::directive::WidgetKind;

#[derive(Properties, PartialEq)]
struct IslandProps {
    kind: WidgetKind,
}

#[function_component(Island)]
fn island(props: &IslandProps) -> Html {
    super::view(props.kind)
}

#[function_component(Empty)]
fn empty() -> Html {
    Html::default()
}

thread_local! {
    static MOUNTED: RefCell<BTreeMap<u32, yew::AppHandle<Island>>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// Renders widget `kind_id` inside `host` and returns the number that
/// [`unmount`] takes; an unknown id is refused with the reason.
pub fn mount(host: &Element, kind_id: &str) -> Result<u32, String> {
    let kind =
        WidgetKind::from_id(kind_id).ok_or_else(|| format!("no widget has the id “{kind_id}”"))?;
    step_past_the_book_trees(host);
    let app =
        yew::Renderer::<Island>::with_root_and_props(host.clone(), IslandProps { kind }).render();
    let id = NEXT_ID.with(|next| next.replace(next.get() + 1));
    MOUNTED.with(|mounted| mounted.borrow_mut().insert(id, app));
    Ok(id)
}

/// Removes the island [`mount`] numbered `id`: its widget stops, as any yew
/// component does when it leaves the page. An unknown id does nothing.
pub fn unmount(id: u32) {
    if let Some(app) = MOUNTED.with(|mounted| mounted.borrow_mut().remove(&id)) {
        app.destroy();
    }
}

/// Yew marks the elements that listen to events with the id of their app's
/// tree, and each WebAssembly module counts those ids from 1. Were an island's
/// id the same as the book's, the book's event delegation would run its own
/// handlers for clicks inside the island. So before mounting, empty apps on a
/// detached element use up this module's ids until they pass every id marked
/// on the host's ancestors.
fn step_past_the_book_trees(host: &Element) {
    let mut highest = 0.0_f64;
    let mut ancestor = host.parent_element();
    while let Some(element) = ancestor {
        highest = highest.max(tree_id(&element).unwrap_or(0.0));
        ancestor = element.parent_element();
    }
    let Some(document) = host.owner_document() else {
        return;
    };
    while let Ok(probe) = document.create_element("div") {
        let app = yew::Renderer::<Empty>::with_root(probe.clone()).render();
        let id = tree_id(&probe);
        app.destroy();
        if id.is_none_or(|id| id > highest) {
            return;
        }
    }
}

/// The tree id yew marked on `element`, if any.
fn tree_id(element: &Element) -> Option<f64> {
    js_sys::Reflect::get(element, &"__yew_subtree_id".into())
        .ok()?
        .as_f64()
}
