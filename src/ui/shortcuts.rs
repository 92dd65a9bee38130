//! `?`: the book's keyboard shortcuts in a dialog, as mdBook, GitHub and
//! most documentation sites have. The platform's `<dialog>`, opened with
//! `showModal()`, makes the page behind it inert and closes on Esc; its
//! `close` event tells the shell. Tab and Shift+Tab cycle through the
//! dialog's own controls: the platform would let them leave for the
//! browser's, and a reader would lose their place.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::focus;

/// Every shortcut the book has, as the dialog lists it.
pub const SHORTCUTS: [(&str, &str); 7] = [
    ("← →", "The previous or the next section"),
    ("S or /", "Search the book"),
    ("↓ ↑", "In the search: move through the results"),
    (
        "Enter",
        "In the search: open the first result, or the one in focus",
    ),
    ("Esc", "Close the search or this list"),
    ("?", "Show this list"),
    (
        "Tab",
        "Move through links, buttons and fields; the first stop skips to the text",
    ),
];

/// The dialog, closed: the shell renders it while it is open and calls
/// [`show`] once it is on the page. Its rows are one string of HTML, not a
/// tree of nodes to build: the first page's size budget.
pub fn dialog(dialog: &NodeRef) -> Html {
    let onkeydown = {
        let dialog = dialog.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Tab" {
                event.prevent_default();
                if let Some(dialog) = dialog.cast::<web_sys::Element>() {
                    cycle_focus(&dialog, event.shift_key());
                }
            }
        })
    };
    let rows: String = SHORTCUTS
        .iter()
        .map(|(key, what)| format!("<tr><td><kbd>{key}</kbd></td><td>{what}</td></tr>"))
        .collect();
    html! {
        <dialog ref={dialog.clone()} class="shortcuts-dialog" aria-labelledby="shortcuts-title" {onkeydown}>
            <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
            { Html::from_html_unchecked(AttrValue::from(format!(
                "<table><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">What it does</th></tr></thead><tbody>{rows}</tbody></table>"
            ))) }
            <p class="note">{ "None of them acts while you type in a field." }</p>
            <form method="dialog">
                <button type="submit" autofocus=true>{ "Close" }</button>
            </form>
        </dialog>
    }
}

/// Opens the dialog modally; `on_close` runs when it closes (Esc or Close).
/// The listener lasts as long as the returned value.
pub fn show(dialog: &NodeRef, on_close: Callback<()>) -> Option<EventListener> {
    let element = dialog.cast::<web_sys::Element>()?;
    let listener = EventListener::new(&element, "close", move |_| on_close.emit(()));
    let modal = element
        .dyn_ref::<web_sys::HtmlDialogElement>()
        .is_some_and(|dialog| dialog.show_modal().is_ok());
    if !modal {
        // A browser without `<dialog>`: shown in place, not modal.
        let _ = element.set_attribute("open", "");
    }
    Some(listener)
}

/// Moves focus to the next control of `dialog` (the one before, `back`),
/// from the last round to the first.
fn cycle_focus(dialog: &web_sys::Element, back: bool) {
    let Ok(controls) = dialog.query_selector_all("a[href], button, input, select, textarea") else {
        return;
    };
    let count = controls.length();
    if count == 0 {
        return;
    }
    let next = match (focus::position_in(&controls), back) {
        (Some(i), false) => (i + 1) % count,
        (Some(i), true) => (i + count - 1) % count,
        (None, false) => 0,
        (None, true) => count - 1,
    };
    focus::give_to(controls.item(next));
}
