//! The book's frame: top bar, table of contents, the current page, and the
//! ←/→ keys. Everything here reacts to events on the main thread.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use super::page::PageView;
use super::route::Route;
use super::theme::ThemeToggle;
use crate::content::book;

/// The frame around every page.
#[function_component(Shell)]
pub fn shell() -> Html {
    let route = use_route::<Route>().unwrap_or(Route::NotFound);
    let navigator = use_navigator();
    let menu_open = use_state(|| false);
    let updated = use_state(|| false);
    {
        let updated = updated.clone();
        use_effect_with((), move |_| {
            let listener = crate::runtime::service_worker::on_update(move || updated.set(true));
            move || drop(listener)
        });
    }

    // ←/→ move through the book, as in mdBook; keys typed into a field are left alone.
    {
        let route = route.clone();
        let navigator = navigator.clone();
        use_effect_with(route, move |route| {
            let route = route.clone();
            let listener = web_sys::window()
                .and_then(|window| window.document())
                .map(|document| {
                    let options = EventListenerOptions::enable_prevent_default();
                    EventListener::new_with_options(&document, "keydown", options, move |event| {
                        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        if event.alt_key()
                            || event.ctrl_key()
                            || event.meta_key()
                            || event.shift_key()
                            || typing(event)
                        {
                            return;
                        }
                        let Some(page) = route.page() else { return };
                        let target = match event.key().as_str() {
                            "ArrowLeft" => book().previous(page),
                            "ArrowRight" => book().next(page),
                            _ => None,
                        };
                        if let (Some(target), Some(navigator)) = (target, navigator.as_ref()) {
                            event.prevent_default();
                            navigator.push(&Route::of(target));
                        }
                    })
                });
            move || drop(listener)
        });
    }

    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_| menu_open.set(!*menu_open))
    };
    let close_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_| menu_open.set(false))
    };
    let current = route.page().map(|page| page.number);
    // `<base href>` would send "#content" to the front page: move focus instead.
    let skip_to_content = Callback::from(|event: MouseEvent| {
        event.prevent_default();
        let content = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("content"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(content) = content {
            let _ = content.focus();
        }
    });

    html! {
        <div class={classes!("book", (*menu_open).then_some("menu-open"))}>
            <a class="skip-link" href="#content" onclick={skip_to_content}>{ "Skip to content" }</a>
            <header class="top-bar">
                <button class="menu-toggle" type="button" aria-controls="toc"
                        aria-expanded={menu_open.to_string()} onclick={toggle_menu}>
                    <svg aria-hidden="true" width="18" height="14" viewBox="0 0 18 14">
                        <path d="M0 1h18M0 7h18M0 13h18" stroke="currentColor" stroke-width="2" />
                    </svg>
                    <span class="visually-hidden">{ "Table of contents" }</span>
                </button>
                <Link<Route> to={Route::Home} classes="book-title">
                    { "Concurrency vs Parallelism" }
                </Link<Route>>
                <ThemeToggle />
            </header>
            if *updated {
                <div class="update-notice" role="status">
                    { "A new version of the book is installed. " }
                    <button type="button" onclick={Callback::from(|_| reload())}>{ "Reload to read it" }</button>
                </div>
            }
            <nav id="toc" class="sidebar" aria-label="Table of contents" onclick={close_menu}>
                <ol>
                    { for book().pages().iter().map(|page| {
                        let active = Some(page.number) == current;
                        html! {
                            <li class={classes!(active.then_some("active"))}>
                                <Link<Route> to={Route::of(page)}>
                                    <span aria-current={active.then_some("page")}>{ page.title() }</span>
                                </Link<Route>>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
            <main id="content" class="content" tabindex="-1">
                { match route.page() {
                    Some(page) => html! { <PageView number={page.number} /> },
                    None => not_found(),
                } }
            </main>
        </div>
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// True when the key was typed into something that takes text.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}

fn not_found() -> Html {
    html! {
        <article class="page not-found">
            <h1>{ "This page is not in the book" }</h1>
            <p>
                { "The address names no section. " }
                <Link<Route> to={Route::Home}>{ "Go to the front page" }</Link<Route>>
                { " or pick a section from the table of contents." }
            </p>
        </article>
    }
}
