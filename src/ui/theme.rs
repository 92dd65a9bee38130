//! Light and dark themes. Without a choice the page follows the system's
//! `prefers-color-scheme` (in CSS); the toggle's choice is remembered.

use yew::prelude::*;

use super::reader_state::{load_kept, store_kept};

const STORAGE_KEY: &str = "concurrency-book.theme";

/// A colour theme, written to `<html data-theme>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The name written to `<html data-theme>` and to storage.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn other(self) -> Self {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// The theme on screen now: the reader's choice, else the system's.
    pub fn current() -> Self {
        remembered().unwrap_or_else(system)
    }
}

/// The reader's remembered choice, if any: storage may be blocked, and an
/// unreadable value is set aside like any other (see `reader_state`).
pub fn remembered() -> Option<Theme> {
    load_kept(STORAGE_KEY, "your theme", |raw| {
        // Stored as a JSON string, as it always has been.
        match serde_json::from_str::<String>(raw).as_deref() {
            Ok("light") => Ok(Theme::Light),
            Ok("dark") => Ok(Theme::Dark),
            _ => Err("it names no theme this book has".to_owned()),
        }
    })
}

fn system() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// Shows `theme` (or the system's, for `None`) by setting `<html data-theme>`.
pub fn apply(theme: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme.name()),
        None => root.remove_attribute("data-theme"),
    };
}

/// The button in the top bar that switches themes and remembers the choice.
#[function_component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let theme = use_state(Theme::current);
    {
        // Without a choice of the reader's the page follows the system's
        // theme live (CSS); the button must offer the other one of *that*.
        let theme = theme.setter();
        use_effect_with((), move |()| {
            let listener = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|query| {
                    gloo::events::EventListener::new(&query, "change", move |_| {
                        theme.set(Theme::current())
                    })
                });
            move || drop(listener)
        });
    }
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_| {
            let next = theme.other();
            // Storage can be full or blocked; the theme still changes for this visit.
            store_kept(STORAGE_KEY, &format!("\"{}\"", next.name()));
            apply(Some(next));
            theme.set(next);
        })
    };
    let label = format!("Switch to the {} theme", theme.other().name());
    html! {
        <button class="theme-toggle" type="button" {onclick} aria-label={label.clone()} title={label}>
            <span aria-hidden="true">{ if *theme == Theme::Dark { "☀️" } else { "🌙" } }</span>
        </button>
    }
}
