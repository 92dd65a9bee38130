//! The frame every widget sits in: the `data-widget` / `data-result` contract,
//! a title, and a "copy results" button once there is something to copy.
//! A finished run also counts in the reader's progress, and its figures are
//! kept for the "Your machine" page.

use gloo::timers::future::TimeoutFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::content::directive::WidgetKind;
use crate::ui::reader_state::{record_result, use_progress_dispatch, ProgressAction};

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
    let copied = use_state(|| false);
    let progress = use_progress_dispatch();
    // Every finished run is kept for "Your machine" and counts in progress.
    use_effect_with((props.kind, props.result.clone()), move |(kind, result)| {
        if let Some(json) = result.clone() {
            let id = kind.id();
            // In a turn of its own: the run's last redraw has just taken
            // one, and the two together could make a long task.
            spawn_local(async move {
                TimeoutFuture::new(0).await;
                record_result(id, &json);
                if let Some(progress) = progress {
                    progress.dispatch(ProgressAction::Ran(id.to_owned()));
                }
            });
        }
    });
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
        <section class="widget" data-widget={props.kind.id()} data-result={props.result.clone()}
                 aria-busy={props.busy.to_string()} aria-label={props.kind.title()}>
            <h4 class="widget-title">{ props.kind.title() }</h4>
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
