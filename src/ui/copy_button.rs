//! A "copy" button that tells the truth: "Copied" once the clipboard has the
//! text, and on a refusal, why, with the text selected for the reader to copy.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::runtime::clipboard;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// What to copy.
    pub text: AttrValue,
    /// The label before anything is copied.
    pub label: AttrValue,
    /// The element that shows `text`: selected when the clipboard refuses.
    pub shown_in: NodeRef,
}

/// Where a copy stands.
#[derive(Clone, PartialEq)]
enum Copy {
    Idle,
    Copying,
    Copied,
    Refused(String),
}

/// The button, and beside it what became of the last copy.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let state = use_state(|| Copy::Idle);
    let onclick = {
        let (state, text, shown_in) = (state.clone(), props.text.clone(), props.shown_in.clone());
        Callback::from(move |_| {
            state.set(Copy::Copying);
            let (state, text, shown_in) = (state.clone(), text.clone(), shown_in.clone());
            spawn_local(async move {
                match clipboard::copy(&text).await {
                    Ok(()) => state.set(Copy::Copied),
                    Err(why) => {
                        if let Some(element) = shown_in.cast::<web_sys::Element>() {
                            clipboard::select_contents(&element);
                        }
                        state.set(Copy::Refused(why));
                    }
                }
            });
        })
    };
    html! {
        <>
            <button type="button" class="secondary copy" {onclick} disabled={*state == Copy::Copying}>
                { match &*state {
                    Copy::Copied => "Copied".into(),
                    _ => props.label.clone(),
                } }
            </button>
            if let Copy::Refused(why) = &*state {
                <span class="note copy-refused" role="status">
                    { format!("Not copied: {why}. The text is selected: copy it with Ctrl+C (⌘C on a Mac).") }
                </span>
            }
        </>
    }
}
