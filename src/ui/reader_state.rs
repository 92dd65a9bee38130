//! The reader's progress and measured results, kept in `localStorage`.
//!
//! Progress is shared through a yew context, so the table of contents updates
//! the moment a question is answered on the page. Results are written by the
//! widget frame when a run finishes and read by the "Your machine" page.
//!
//! Storage is optional ([`book_runtime::storage`]): without it everything
//! lasts as long as the page. A stored value the book cannot read (damaged,
//! of another version, an answer to a question the book no longer asks) is
//! never overwritten: it is set aside under its key plus [`SET_ASIDE_SUFFIX`],
//! the reader is told once ([`take_damage`]), and "Your machine" offers it for
//! download until the reader discards it.
//!
//! Two tabs of the book share the one stored progress: each adopts what the
//! other stores (the `storage` event), so neither overwrites the other's
//! answers with its own older copy.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;

use yew::prelude::*;

use super::browser_json::BrowserJson;
use crate::prerendered::PAGES;
use crate::reader::progress::{self, Progress};
use crate::reader::results::{self, browser_name, Machine, ResultSet};
use book_runtime::environment::Environment;
use book_runtime::storage;

/// What a key holding a value the book could not read is renamed with.
pub const SET_ASIDE_SUFFIX: &str = ".set-aside";

/// A stored value the book could not use, in words for the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Damage {
    /// What it held: "your progress", "your results", "your theme".
    pub what: &'static str,
    /// Why it could not be used.
    pub why: String,
}

thread_local! {
    /// Damage found since the page loaded and not yet shown to the reader.
    static DAMAGE: RefCell<Vec<Damage>> = const { RefCell::new(Vec::new()) };
    /// Keys whose unreadable value could not be set aside: never written over.
    static PINNED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// The damage found so far, once: the shell shows it and it is not told again.
pub fn take_damage() -> Vec<Damage> {
    DAMAGE.with(|damage| std::mem::take(&mut *damage.borrow_mut()))
}

/// Reads `key` with `parse`. A value `parse` refuses is set aside (or, where
/// even that fails, left where it is and never written over) and reported.
pub fn load_kept<T>(
    key: &'static str,
    what: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    let raw = storage::read(key)?;
    match parse(&raw) {
        Ok(value) => Some(value),
        Err(why) => {
            set_aside(key, what, &raw, why);
            None
        }
    }
}

/// Keeps `raw` under `key` + [`SET_ASIDE_SUFFIX`] and frees `key`; an
/// earlier value set aside there is not replaced (the key stays pinned).
fn set_aside(key: &'static str, what: &'static str, raw: &str, why: String) {
    let aside = format!("{key}{SET_ASIDE_SUFFIX}");
    let moved = storage::read(&aside).is_none() && storage::write(&aside, raw);
    if moved {
        storage::remove(key);
    } else {
        PINNED.with(|pinned| pinned.borrow_mut().push(key));
    }
    DAMAGE.with(|damage| damage.borrow_mut().push(Damage { what, why }));
}

/// Whether `key` holds an unreadable value that could not be set aside.
fn pinned(key: &str) -> bool {
    PINNED.with(|pinned| pinned.borrow().contains(&key))
}

/// Stores `value` under `key`, unless an unreadable value there is waiting
/// for the reader's decision. Storage refused means kept for the page only.
pub fn store_kept(key: &'static str, value: &str) {
    if !pinned(key) {
        storage::write(key, value);
    }
}

/// The values set aside, as (key, value), for "Your machine" to offer.
pub fn set_aside_values() -> Vec<(String, String)> {
    storage::keys()
        .into_iter()
        .filter(|key| key.starts_with("concurrency-book.") && key.ends_with(SET_ASIDE_SUFFIX))
        .filter_map(|key| storage::read(&key).map(|value| (key, value)))
        .collect()
}

/// The reader chose to discard a value set aside.
pub fn discard_set_aside(key: &str) {
    storage::remove(key);
}

/// How many choices question `question` of `slug` has, if the book asks it.
fn choices_of(slug: &str, question: &str) -> Option<usize> {
    let page = crate::content::book().by_slug(slug)?;
    PAGES[page.number]
        .questions
        .iter()
        .find(|(id, _)| *id == question)
        .map(|(_, choices)| *choices)
}

/// The stored progress, with anything that does not fit the book set aside.
fn stored_progress() -> Progress {
    let Some(mut progress) = load_kept(progress::STORAGE_KEY, "your progress", Progress::parse)
    else {
        return Progress::default();
    };
    let dropped = progress.keep_only_valid(choices_of);
    if !dropped.is_empty() {
        if let Some(raw) = storage::read(progress::STORAGE_KEY) {
            let why = format!("it holds {}", dropped.join("; "));
            set_aside(progress::STORAGE_KEY, "your progress", &raw, why);
        }
    }
    progress
}

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
    /// Another tab of the book stored its progress: this tab takes it as it
    /// is (it includes this tab's earlier changes, which it read the same
    /// way), so the next change here overwrites nothing of the other's.
    Adopt(Progress),
}

/// The progress as the components see it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressState(pub Progress);

impl Reducible for ProgressState {
    type Action = ProgressAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        if let ProgressAction::Adopt(stored) = action {
            // Already stored, by the other tab.
            return if stored == self.0 {
                self
            } else {
                Rc::new(ProgressState(stored))
            };
        }
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
            ProgressAction::Reset | ProgressAction::Adopt(_) => progress = Progress::default(),
        }
        if progress == self.0 {
            return self;
        }
        store_kept(progress::STORAGE_KEY, &progress.to_json());
        Rc::new(ProgressState(progress))
    }
}

/// The progress another tab of the book just stored, if `event` is about it
/// and it reads; a value that does not read is that tab's to set aside.
fn progress_from_another_tab(event: &web_sys::StorageEvent) -> Option<Progress> {
    if event.key().as_deref() != Some(progress::STORAGE_KEY) {
        // `None` is a `clear()` of the whole storage: nothing kept any more.
        return event.key().is_none().then(Progress::default);
    }
    let mut stored = match event.new_value() {
        Some(raw) => Progress::parse(&raw).ok()?,
        None => Progress::default(),
    };
    stored.keep_only_valid(choices_of);
    Some(stored)
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
        // The results too, so damage to them is told with the rest at once.
        stored_results();
        ProgressState(stored_progress())
    });
    let dispatch = progress.dispatcher();
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "storage", move |event| {
                    if let Some(stored) = event
                        .dyn_ref::<web_sys::StorageEvent>()
                        .and_then(progress_from_another_tab)
                    {
                        dispatch.dispatch(ProgressAction::Adopt(stored));
                    }
                })
            });
            move || drop(listener)
        });
    }
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
    let machine = this_machine();
    load_kept(results::STORAGE_KEY, "your results", |raw| {
        ResultSet::parse::<BrowserJson>(raw, machine.clone())
    })
    .unwrap_or_else(|| ResultSet::new(machine))
}

/// Keeps a finished run's `data-result` as that widget's latest result.
pub fn record_result(widget: &str, json: &str) {
    let mut set = stored_results();
    let at = String::from(js_sys::Date::new_0().to_iso_string());
    set.record::<BrowserJson>(widget, &at, json);
    store_kept(results::STORAGE_KEY, &set.to_json());
}

/// Forgets every stored result.
pub fn clear_results() {
    if !pinned(results::STORAGE_KEY) {
        storage::remove(results::STORAGE_KEY);
    }
}
