//! The reader's progress and measured results, kept in `localStorage`.
//!
//! Progress is shared through a yew context, so the table of contents updates
//! the moment a question is answered on the page. Results are written by the
//! widget frame when a run finishes and read by the "Your machine" page.

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

use crate::reader::progress::{self, Progress};
use crate::reader::results::{self, browser_name, Machine, ResultSet};
use crate::runtime::environment::Environment;
use crate::runtime::json::BrowserJson;

/// A change to the reader's progress.
pub enum ProgressAction {
    Visit(String),
    MarkRead(String),
    Answer {
        slug: String,
        question: String,
        choice: usize,
    },
    Ran(String),
    Reset,
}

/// The progress as the components see it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressState(pub Progress);

impl Reducible for ProgressState {
    type Action = ProgressAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut progress = self.0.clone();
        match action {
            ProgressAction::Visit(slug) => progress.visit(&slug),
            ProgressAction::MarkRead(slug) => progress.mark_read(&slug),
            ProgressAction::Answer {
                slug,
                question,
                choice,
            } => progress.answer(&slug, &question, choice),
            ProgressAction::Ran(widget) => progress.ran(&widget),
            ProgressAction::Reset => progress = Progress::default(),
        }
        if progress == self.0 {
            return self;
        }
        // Storage may be full or switched off (private browsing): progress
        // then lasts as long as the page, which is all it can do.
        let _ = LocalStorage::raw().set_item(progress::STORAGE_KEY, &progress.to_json());
        Rc::new(ProgressState(progress))
    }
}

/// The progress and its dispatcher, for components that show it.
pub type ProgressHandle = UseReducerHandle<ProgressState>;

/// Only the dispatcher, for components that change progress without showing
/// it (a widget's frame, a page): it never changes, so they do not re-render
/// when progress does, and a finished run costs the page no redraw.
pub type ProgressDispatch = UseReducerDispatcher<ProgressState>;

/// What the provider wraps.
#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    pub children: Html,
}

/// Loads the stored progress once and shares it with everything below.
#[function_component(ProgressProvider)]
pub fn progress_provider(props: &ProviderProps) -> Html {
    let progress = use_reducer(|| {
        let stored = LocalStorage::raw()
            .get_item(progress::STORAGE_KEY)
            .ok()
            .flatten();
        ProgressState(Progress::load(stored.as_deref()))
    });
    let dispatch = progress.dispatcher();
    html! {
        <ContextProvider<ProgressHandle> context={progress}>
            <ContextProvider<ProgressDispatch> context={dispatch}>
                { props.children.clone() }
            </ContextProvider<ProgressDispatch>>
        </ContextProvider<ProgressHandle>>
    }
}

/// The reader's progress, inside a [`ProgressProvider`].
#[hook]
pub fn use_progress() -> Option<ProgressHandle> {
    use_context::<ProgressHandle>()
}

/// Where to send progress changes, inside a [`ProgressProvider`].
#[hook]
pub fn use_progress_dispatch() -> Option<ProgressDispatch> {
    use_context::<ProgressDispatch>()
}

/// This browser, as a result set records it.
pub fn this_machine() -> Machine {
    let environment = Environment::detect();
    Machine {
        browser: browser_name(&environment.user_agent),
        hardware_concurrency: u32::try_from(environment.hardware_concurrency).unwrap_or(u32::MAX),
        isolated: environment.isolated,
    }
}

/// The results measured in this browser so far.
pub fn stored_results() -> ResultSet {
    let stored = LocalStorage::raw()
        .get_item(results::STORAGE_KEY)
        .ok()
        .flatten();
    ResultSet::load::<BrowserJson>(stored.as_deref(), this_machine())
}

/// Keeps a finished run's `data-result` as that widget's latest result.
pub fn record_result(widget: &str, json: &str) {
    let mut set = stored_results();
    let at = String::from(js_sys::Date::new_0().to_iso_string());
    set.record::<BrowserJson>(widget, &at, json);
    // As with progress: without storage the result is only not remembered.
    let _ = LocalStorage::raw().set_item(results::STORAGE_KEY, &set.to_json());
}

/// Forgets every stored result.
pub fn clear_results() {
    LocalStorage::delete(results::STORAGE_KEY);
}
