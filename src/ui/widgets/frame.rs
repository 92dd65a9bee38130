//! The frame every widget sits in: the `data-widget` / `data-result` contract,
//! a title, and a "copy results" button once there is something to copy.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FrameProps {
    /// The widget's id, written to `data-widget`.
    pub id: AttrValue,
    /// A short title shown above the widget.
    pub title: AttrValue,
    /// The finished run's figures as JSON; `None` until a run finishes.
    #[prop_or_default]
    pub result: Option<AttrValue>,
    /// Whether a run is in progress, for assistive technology.
    #[prop_or_default]
    pub busy: bool,
    pub children: Html,
}

/// Wraps a widget's body. The body's first button must be the one that starts it.
#[function_component(WidgetFrame)]
pub fn widget_frame(props: &FrameProps) -> Html {
    let copied = use_state(|| false);
    let copy = props.result.clone().map(|json| {
        let copied = copied.clone();
        Callback::from(move |_| {
            if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
                // The promise's outcome only matters to the label.
                let _ = clipboard.write_text(&json);
                copied.set(true);
            }
        })
    });
    html! {
        <section class="widget" data-widget={props.id.clone()} data-result={props.result.clone()}
                 aria-busy={props.busy.to_string()} aria-label={props.title.clone()}>
            <h4 class="widget-title">{ props.title.clone() }</h4>
            { props.children.clone() }
            if let (Some(json), Some(copy)) = (props.result.clone(), copy) {
                <details class="widget-json">
                    <summary>{ "Results as JSON" }</summary>
                    <pre><code>{ json }</code></pre>
                    <button type="button" class="secondary" onclick={copy}>
                        { if *copied { "Copied" } else { "Copy results" } }
                    </button>
                </details>
            }
        </section>
    }
}
