//! The search box: `S` or `/` opens it, as in mdBook. It fetches the index
//! that `cargo xtask` built (`search-index.json`, kept offline by the service
//! worker) on first use, then answers every keystroke from memory. Enter opens
//! the first result, ↓ and ↑ move through them; the page a result opens marks
//! the words found (`highlight`).

use std::cell::RefCell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use super::focus;
use super::highlight;
use super::route::Route;
use crate::content::search::{SearchIndex, FILE};
use book_runtime::fetch;
use wasm_bindgen::JsCast;

/// Results shown at most.
const LIMIT: usize = 12;

thread_local! {
    /// The index, once fetched: every later search is in memory.
    static INDEX: RefCell<Option<Rc<SearchIndex>>> = const { RefCell::new(None) };
}

/// Fetches and parses the index, or says why it is not there.
pub(super) async fn load_index() -> Result<Rc<SearchIndex>, String> {
    if let Some(index) = INDEX.with(|cell| cell.borrow().clone()) {
        return Ok(index);
    }
    let text = fetch::text(FILE).await?;
    let index = Rc::new(SearchIndex::parse(&text)?);
    INDEX.with(|cell| *cell.borrow_mut() = Some(Rc::clone(&index)));
    Ok(index)
}

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// Closes the dialog (Escape, the close button, or following a result).
    pub on_close: Callback<()>,
}

/// The search dialog.
#[function_component(SearchDialog)]
pub fn search_dialog(props: &SearchProps) -> Html {
    let index = use_state(|| None::<Result<Rc<SearchIndex>, String>>);
    let query = use_state(String::new);
    let input = use_node_ref();
    let navigator = use_navigator();
    {
        let (index, input) = (index.clone(), input.clone());
        use_effect_with((), move |()| {
            if let Some(field) = input.cast::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
            spawn_local(async move { index.set(Some(load_index().await)) });
        });
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(field) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(field.value());
            }
        })
    };
    let results_list = use_node_ref();
    let onkeydown = {
        let on_close = props.on_close.clone();
        let (input, results_list) = (input.clone(), results_list.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            key @ ("ArrowDown" | "ArrowUp") => {
                event.prevent_default();
                move_focus(&input, &results_list, key == "ArrowDown");
            }
            "Enter" if in_field(&event) => {
                event.prevent_default();
                // The first result, as if the reader had clicked it.
                if let Some(first) = results_list
                    .cast::<web_sys::Element>()
                    .and_then(|list| list.query_selector("a").ok().flatten())
                    .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    first.click();
                }
            }
            _ => {}
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let results = match &*index {
        None => html! { <p class="search-status">{ "Loading the index…" }</p> },
        Some(Err(why)) => {
            html! { <p class="error" role="alert">{ format!("Search is not available: {why}.") }</p> }
        }
        Some(Ok(index)) if query.trim().chars().count() < 2 => html! {
            <p class="search-status">{ format!("Type two letters or more to search {} headings, their text, tables and widgets.", index.entries.len()) }</p>
        },
        Some(Ok(index)) => {
            let found = index.search(&query, LIMIT);
            let highlight = found.stems.join(" ");
            let query = highlight::query_for(&highlight);
            if found.hits.is_empty() {
                html! { <p class="search-status" role="status">{ format!("Nothing matches “{}”.", query.trim()) }</p> }
            } else {
                html! {
                    <ol class="search-results" aria-label="Search results" ref={results_list.clone()}>
                        { for found.hits.iter().map(|hit| {
                            let slug = hit.entry.page.clone();
                            let fragment = hit.entry.heading_id.clone();
                            let href = if slug.is_empty() { format!("{query}#{fragment}") } else { format!("{slug}/{query}#{fragment}") };
                            let onclick = {
                                let (navigator, on_close) = (navigator.clone(), props.on_close.clone());
                                let highlight = highlight.clone();
                                Callback::from(move |event: MouseEvent| {
                                    if event.ctrl_key() || event.meta_key() || event.shift_key() {
                                        return;
                                    }
                                    event.prevent_default();
                                    go_to(navigator.as_ref(), &slug, &fragment, &highlight);
                                    on_close.emit(());
                                })
                            };
                            html! {
                                <li>
                                    <a {href} {onclick}>
                                        <span class="search-where">{ format!("{} › {}", hit.entry.page_title, hit.entry.heading) }</span>
                                        <span class="search-snippet">
                                            { for hit.snippet.iter().map(|(text, matched)| if *matched {
                                                html! { <mark>{ text.clone() }</mark> }
                                            } else {
                                                html! { { text.clone() } }
                                            }) }
                                        </span>
                                    </a>
                                </li>
                            }
                        }) }
                    </ol>
                }
            }
        }
    };
    html! {
        <div class="search-backdrop">
            <div class="search-dialog" role="dialog" aria-modal="true" aria-label="Search the book" {onkeydown}>
                <div class="search-bar">
                    <label for="search-input" class="visually-hidden">{ "Search the book" }</label>
                    <input id="search-input" ref={input} type="search" placeholder="Search the book (Esc closes)"
                           autocomplete="off" value={(*query).clone()} {oninput} />
                    <button type="button" class="secondary" onclick={close}>{ "Close" }</button>
                </div>
                { results }
            </div>
        </div>
    }
}

/// Whether a key event comes from the search field itself.
fn in_field(event: &KeyboardEvent) -> bool {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .is_some()
}

/// ↓ and ↑: from the field to the first result, from a result to the next or
/// the one before, from the first back to the field.
fn move_focus(input: &NodeRef, results: &NodeRef, down: bool) {
    let Some(list) = results.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(links) = list.query_selector_all("a") else {
        return;
    };
    let target = match (focus::position_in(&links), down) {
        (None, true) => links.item(0),
        (None, false) => None,
        (Some(0), false) => input.get(),
        (Some(i), true) => links.item(i + 1),
        (Some(i), false) => links.item(i - 1),
    };
    focus::give_to(target);
}

/// Opens `slug` through the router, its words `highlight` marked, and shows
/// the heading `fragment`.
fn go_to(navigator: Option<&Navigator>, slug: &str, fragment: &str, highlight: &str) {
    let route = if slug.is_empty() {
        Route::Home
    } else {
        Route::Section {
            slug: slug.to_owned(),
        }
    };
    if let Some(navigator) = navigator {
        let query = highlight::query_for(highlight);
        // A raw query cannot fail to encode.
        let Ok(()) = navigator.push_with_query(&route, Raw(query.trim_start_matches('?')));
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(fragment);
        // On the same page no page change scrolls for us.
        if let Some(target) = window
            .document()
            .and_then(|d| d.get_element_by_id(fragment))
        {
            target.scroll_into_view();
        }
    }
}
