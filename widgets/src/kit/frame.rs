//! The frame every widget sits in: the `data-widget` / `data-result` contract,
//! a title, and a "copy results" button once there is something to copy.
//! A finished run is announced to the book (a [`RUN_FINISHED_EVENT`] from
//! the root), which counts it in the reader's progress and keeps its figures
//! for the "Your machine" page.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::event_loop::{after_next_frame, yield_turn};
use book_content::directive::WidgetKind;
use book_runtime::clipboard;
use book_runtime::widgets_module::RUN_FINISHED_EVENT;

#[derive(Properties, PartialEq)]
pub struct FrameProps {
    /// Which widget this is: its id goes to `data-widget`, its title above it.
    pub kind: WidgetKind,
    /// The finished run's figures as JSON; `None` until a run finishes.
    #[prop_or_default]
    pub result: Option<AttrValue>,
    /// Whether a run is in progress, for assistive technology.
    #[prop_or_default]
    pub busy: bool,
    pub children: Html,
}

/// A finished run's figures as the JSON `data-result` carries: what every
/// widget hands the frame.
pub fn result_json<T: serde::Serialize>(report: &T) -> Option<AttrValue> {
    serde_json::to_string(report).ok().map(AttrValue::from)
}

/// Wraps a widget's body. The body's first button must be the one that starts it.
#[function_component(WidgetFrame)]
pub fn widget_frame(props: &FrameProps) -> Html {
    let root = use_node_ref();
    let json_shown = use_node_ref();
    // What became of the last copy: "Copied" only once the clipboard has the
    // text; a refusal says why, with the JSON selected to copy by hand. (Kept
    // here, not in a component of its own: the widgets module's size budget.)
    let copied = use_state(|| None::<Result<(), String>>);
    // The finished run's figures, shown (and written to `data-result`) only
    // after the browser has drawn the widget's own report: the report and the
    // JSON each take a turn of their own, and the book's bookkeeping a third,
    // so no turn of the finish grows into a long task.
    let shown = use_state_eq(|| None::<AttrValue>);
    let latest = use_mut_ref(|| None::<AttrValue>);
    {
        let (root, shown) = (root.clone(), shown.clone());
        use_effect_with(props.result.clone(), move |result| {
            latest.replace(result.clone());
            match result.clone() {
                None => shown.set(None),
                Some(json) => spawn_local(async move {
                    after_next_frame().await;
                    if latest.borrow().as_ref() != Some(&json) {
                        return;
                    }
                    shown.set(Some(json.clone()));
                    yield_turn().await;
                    if let Some(root) = root.cast::<web_sys::Element>() {
                        announce(&root, &json);
                    }
                }),
            }
        });
    }
    html! {
        <section ref={root} class="widget" data-widget={props.kind.id()} data-result={(*shown).clone()}
                 aria-busy={props.busy.to_string()} aria-label={props.kind.title()}>
            <h4 class="widget-title">{ props.kind.title() }</h4>
            { props.children.clone() }
            if let Some(json) = (*shown).clone() {
                <details class="widget-json">
                    <summary>{ "Results as JSON" }</summary>
                    <pre ref={json_shown.clone()}><code>{ json.clone() }</code></pre>
                    <button type="button" class="secondary copy" onclick={copy(json, json_shown, copied.clone())}>
                        { if matches!(*copied, Some(Ok(()))) { "Copied" } else { "Copy results" } }
                    </button>
                    if let Some(Err(why)) = &*copied {
                        <span class="note copy-refused" role="status">
                            { format!("Not copied: {why}. The text is selected: copy it with Ctrl+C (⌘C on a Mac).") }
                        </span>
                    }
                </details>
            }
        </section>
    }
}

/// Copies `json`, then says what happened; on a refusal selects it in `shown_in`.
fn copy(
    json: AttrValue,
    shown_in: NodeRef,
    copied: UseStateHandle<Option<Result<(), String>>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let (json, shown_in, copied) = (json.clone(), shown_in.clone(), copied.clone());
        spawn_local(async move {
            let outcome = clipboard::copy(&json).await;
            if let (Err(_), Some(element)) = (&outcome, shown_in.cast::<web_sys::Element>()) {
                clipboard::select_contents(&element);
            }
            copied.set(Some(outcome));
        });
    })
}

/// Sends [`RUN_FINISHED_EVENT`] up from the widget's root to the book.
fn announce(root: &EventTarget, json: &str) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&JsValue::from_str(json));
    if let Ok(event) = CustomEvent::new_with_event_init_dict(RUN_FINISHED_EVENT, &init) {
        // Nothing cancels this event: the outcome says nothing.
        let _ = root.dispatch_event(&event);
    }
}
