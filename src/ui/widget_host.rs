//! Where a page shows a widget: an element the widget's island is mounted
//! into, once the widgets module has loaded (`book_runtime::widgets_module`). The
//! host keeps the book's side of the widget contract: a finished run
//! ([`RUN_FINISHED_EVENT`]) counts in the reader's progress and is kept for
//! "Your machine".

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, Element};
use yew::platform::spawn_local;
use yew::prelude::*;

use super::reader_state::{record_result, use_progress_dispatch, ProgressAction};
use super::scroll_anchor;
use crate::content::directive::WidgetKind;
use book_runtime::widgets_module::RUN_FINISHED_EVENT;

#[derive(Properties, PartialEq)]
pub struct WidgetHostProps {
    pub kind: WidgetKind,
}

/// A widget on the page: "loading" until its island is mounted, or why not.
#[function_component(WidgetHost)]
pub fn widget_host(props: &WidgetHostProps) -> Html {
    let outer = use_node_ref();
    let host = use_node_ref();
    let state = use_state(|| Loading::Pending);
    let progress = use_progress_dispatch();
    // The host's height as the widget is placed, for keeping the reader's
    // text still once it is (`scroll_anchor`).
    let before = use_mut_ref(|| None::<scroll_anchor::Before>);
    {
        let (outer, before) = (outer.clone(), before.clone());
        use_effect_with(matches!(*state, Loading::Done), move |&done| {
            let measured = before.borrow_mut().take();
            if let (true, Some(measured), Some(outer)) = (done, measured, outer.cast::<Element>()) {
                scroll_anchor::settle(&outer, measured);
            }
        });
    }
    {
        let (host, outer, before) = (host.clone(), outer.clone(), before.clone());
        let state = state.clone();
        use_effect_with(props.kind, move |&kind| {
            let element = host.cast::<Element>();
            let listener = element.as_ref().map(|element| {
                EventListener::new(element, RUN_FINISHED_EVENT, move |event| {
                    let Some(json) = event
                        .dyn_ref::<CustomEvent>()
                        .and_then(|event| event.detail().as_string())
                    else {
                        return;
                    };
                    record_result(kind.id(), &json);
                    if let Some(progress) = &progress {
                        progress.dispatch(ProgressAction::Ran(kind.id().to_owned()));
                    }
                })
            });
            let slot = Rc::new(RefCell::new(Slot::Waiting));
            if let Some(element) = element {
                let slot = Rc::clone(&slot);
                let measure = move || {
                    *before.borrow_mut() = outer
                        .cast::<Element>()
                        .and_then(|outer| scroll_anchor::measure(&outer));
                };
                spawn_local(async move {
                    let placed = island::place(&element, kind, measure).await;
                    let mut slot = slot.borrow_mut();
                    if matches!(*slot, Slot::Left) {
                        // The reader left the page while the module loaded;
                        // dropping the island unmounts it.
                        return;
                    }
                    match placed {
                        Ok(placed) => {
                            *slot = Slot::Placed { _island: placed };
                            state.set(Loading::Done);
                        }
                        Err(why) => state.set(Loading::Failed(why)),
                    }
                });
            }
            move || {
                drop(listener);
                *slot.borrow_mut() = Slot::Left;
            }
        });
    }
    html! {
        <div class="widget-host" ref={outer}>
            <div ref={host}></div>
            { match &*state {
                Loading::Pending => html! {
                    <p class="widget-loading">
                        { format!("Loading the widget “{}”…", props.kind.title()) }
                    </p>
                },
                Loading::Done => Html::default(),
                Loading::Failed(why) => html! {
                    <div class="widget-error" role="alert">
                        <strong>{ "This widget cannot be shown: " }</strong>{ why.clone() }
                    </div>
                },
            } }
        </div>
    }
}

/// What the reader sees of the load.
#[derive(PartialEq)]
enum Loading {
    Pending,
    Done,
    Failed(String),
}

/// The island, once placed; `Left` once the page no longer shows it.
enum Slot {
    Waiting,
    /// Kept for its `Drop`, which unmounts the island.
    Placed {
        _island: island::Placed,
    },
    Left,
}

/// The two ways to reach the widgets (`sources::Widgets`): the module the
/// site serves, or the same code linked in.
mod island {
    use web_sys::Element;

    use crate::content::directive::WidgetKind;
    use crate::ui::sources::{self, Widgets};
    use book_runtime::widgets_module::{self, WidgetsModule};

    /// A mounted island; dropping it unmounts the widget.
    pub struct Placed {
        id: u32,
        through: Through,
    }

    enum Through {
        Module(WidgetsModule),
        BuiltIn(fn(u32)),
    }

    /// Places the widget `kind` in `host`, calling `ready` just before: once
    /// the widgets have loaded, the page is as the reader sees it.
    pub async fn place(
        host: &Element,
        kind: WidgetKind,
        ready: impl FnOnce(),
    ) -> Result<Placed, String> {
        match sources::current().widgets {
            Widgets::Module => {
                let module = widgets_module::load().await?;
                ready();
                let id = module.place(host, kind.id())?;
                Ok(Placed {
                    id,
                    through: Through::Module(module),
                })
            }
            Widgets::BuiltIn { mount, unmount } => {
                ready();
                let id = mount(host, kind.id())?;
                Ok(Placed {
                    id,
                    through: Through::BuiltIn(unmount),
                })
            }
        }
    }

    impl Drop for Placed {
        fn drop(&mut self) {
            match &self.through {
                Through::Module(module) => module.remove(self.id),
                Through::BuiltIn(unmount) => unmount(self.id),
            }
        }
    }
}
