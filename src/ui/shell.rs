//! The book's frame: top bar, search, table of contents with the reader's
//! progress, the current page, and the ←/→ keys. Everything here reacts to events on the main thread.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use super::glossary_page::GlossaryPage;
use super::page::PageView;
use super::print_view::PrintView;
use super::reader_state::{take_damage, use_progress, ProgressAction};
use super::route::Route;
use super::search::SearchDialog;
use super::shortcuts;
use super::theme::ThemeToggle;
use super::your_machine::YourMachine;
use crate::content::book;
use crate::prerendered::PAGES;
use crate::reader::progress::Progress;
use book_runtime::build::OUTDATED_EVENT;
use book_runtime::panics::POOL_BROKEN_EVENT;

/// The frame around every page.
#[function_component(Shell)]
pub fn shell() -> Html {
    let route = use_route::<Route>().unwrap_or(Route::NotFound);
    let navigator = use_navigator();
    let menu_open = use_state(|| false);
    let search_open = use_state(|| false);
    let shortcuts_open = use_state(|| false);
    // A newer build is there: installed by the service worker, or found when
    // this page's own build turned out to be gone from the host.
    let updated = use_state(|| None::<&'static str>);
    // Told once: what was unreadable has been set aside by the time the
    // provider above has loaded, and a later load finds nothing to tell.
    let damage = use_state(take_damage);
    // A worker crashed: the parallel widgets cannot run until a reload.
    let pool_broken = use_state(|| None::<String>);
    let progress = use_progress();
    let location = use_location();
    // `<page>/index.html` is the file a static host serves for `<page>/`:
    // the same page, shown at its folder's URL. Any other address is not in
    // the book, and has nothing to wait for before the app takes over.
    {
        let navigator = navigator.clone();
        use_effect_with(route.clone(), move |route| {
            if *route != Route::NotFound {
                return;
            }
            let (Some(navigator), Some(location)) = (navigator, location) else {
                return;
            };
            let Some(folder) = location.path().strip_suffix("index.html") else {
                super::take_over::complete();
                return;
            };
            let inside = navigator
                .basename()
                .and_then(|base| folder.strip_prefix(base))
                .unwrap_or(folder);
            let inside = if inside.starts_with('/') {
                inside.to_owned()
            } else {
                format!("/{inside}")
            };
            match Route::recognize(&inside).filter(|r| *r != Route::NotFound) {
                Some(page) => navigator.replace(&page),
                None => {
                    super::take_over::complete();
                }
            }
        });
    }
    {
        let progress = progress.clone();
        use_effect_with(route.clone(), move |route| {
            if let (Some(progress), Some(page)) = (progress, route.page()) {
                progress.dispatch(ProgressAction::Visit(page.slug.to_owned()));
            }
        });
    }
    {
        let updated = updated.clone();
        use_effect_with((), move |_| {
            let installed = {
                let updated = updated.clone();
                book_runtime::service_worker::on_update(move || {
                    updated.set(Some("A new version of the book is installed. "));
                })
            };
            let gone = web_sys::window().map(|window| {
                EventListener::new(&window, OUTDATED_EVENT, move |_| {
                    updated.set(Some(
                        "The book was updated after this page was opened, and the host no longer has this version's files. ",
                    ));
                })
            });
            move || drop((installed, gone))
        });
    }
    {
        let pool_broken = pool_broken.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, POOL_BROKEN_EVENT, move |event| {
                    let message = event
                        .dyn_ref::<web_sys::CustomEvent>()
                        .and_then(|event| event.detail().as_string())
                        .unwrap_or_default();
                    pool_broken.set(Some(message));
                })
            });
            move || drop(listener)
        });
    }

    // ←/→ move through the book, S or / opens the search and ? the list of
    // shortcuts, as in mdBook; keys typed into a field, or pressed while a
    // dialog is open, are left alone.
    {
        let route = route.clone();
        let navigator = navigator.clone();
        let open_search = search_open.setter();
        let open_shortcuts = shortcuts_open.setter();
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
                            || typing(event)
                            || a_dialog_is_open()
                        {
                            return;
                        }
                        if event.key() == "?" {
                            event.prevent_default();
                            open_shortcuts.set(true);
                            return;
                        }
                        if matches!(event.key().as_str(), "s" | "S" | "/") {
                            event.prevent_default();
                            open_search.set(true);
                            return;
                        }
                        if event.shift_key() {
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
    let open_search_click = {
        let search_open = search_open.clone();
        Callback::from(move |_| search_open.set(true))
    };
    let close_search = {
        let search_open = search_open.clone();
        Callback::from(move |()| search_open.set(false))
    };
    let shortcuts_dialog = use_node_ref();
    {
        let (dialog, shortcuts_open) = (shortcuts_dialog.clone(), shortcuts_open.clone());
        use_effect_with(*shortcuts_open, move |open| {
            let close = Callback::from(move |()| shortcuts_open.set(false));
            let listener = open.then(|| shortcuts::show(&dialog, close)).flatten();
            move || drop(listener)
        });
    }
    let nothing_yet = Progress::default();
    let state = progress.as_ref().map_or(&nothing_yet, |p| &p.0);
    let reset_progress = {
        let progress = progress.clone();
        Callback::from(move |event: MouseEvent| {
            // The click must not also close the menu or follow a link.
            event.stop_propagation();
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message("Forget which sections you read and your answers?")
                        .ok()
                })
                .unwrap_or(false);
            if let (true, Some(progress)) = (sure, &progress) {
                progress.dispatch(ProgressAction::Reset);
            }
        })
    };
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
                <button class="search-toggle" type="button" onclick={open_search_click}
                        aria-keyshortcuts="S /" title="Search (S or /)">
                    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
                        <circle cx="6.5" cy="6.5" r="5" fill="none" stroke="currentColor" stroke-width="2" />
                        <path d="M10.5 10.5l4.5 4.5" stroke="currentColor" stroke-width="2" />
                    </svg>
                    <span class="search-label">{ "Search" }</span>
                </button>
                <ThemeToggle />
            </header>
            if *search_open {
                <SearchDialog on_close={close_search} />
            }
            if *shortcuts_open {
                { shortcuts::dialog(&shortcuts_dialog) }
            }
            if let Some(why) = *updated {
                <div class="update-notice" role="status">
                    { why }
                    <button type="button" onclick={Callback::from(|_| reload())}>{ "Reload to read it" }</button>
                </div>
            }
            if let Some(message) = &*pool_broken {
                <div class="update-notice pool-broken" role="alert">
                    { format!("A worker thread crashed ({message}), so the parallel widgets cannot run again on this page. The text and the widgets on the main thread still work. ") }
                    <button type="button" onclick={Callback::from(|_| reload())}>{ "Reload the page" }</button>
                </div>
            }
            if !damage.is_empty() {
                <div class="update-notice storage-notice" role="status">
                    { "Some of what this book kept in your browser could not be read: " }
                    { damage.iter().map(|d| format!("{} ({})", d.what, d.why)).collect::<Vec<_>>().join("; ") }
                    { ". It is set aside, not deleted: " }
                    <Link<Route> to={Route::YourMachine}>{ "Your machine" }</Link<Route>>
                    { " lets you download or discard it. " }
                    <button type="button" onclick={let damage = damage.clone(); Callback::from(move |_| damage.set(Vec::new()))}>{ "Dismiss" }</button>
                </div>
            }
            <nav id="toc" class="sidebar" aria-label="Table of contents" onclick={close_menu}>
                <ol>
                    { for book().pages().iter().map(|page| {
                        let active = Some(page.number) == current;
                        let read = state.read.contains(page.slug);
                        let questions = PAGES[page.number].questions.len();
                        let answered = state.answered(page.slug);
                        html! {
                            <li class={classes!(active.then_some("active"), read.then_some("read"))}>
                                <Link<Route> to={Route::of(page)}>
                                    <span aria-current={active.then_some("page")}>{ page.title() }</span>
                                    if read {
                                        <span class="toc-mark" title="Read">{ " ✓" }<span class="visually-hidden">{ " (read)" }</span></span>
                                    }
                                    if answered > 0 {
                                        <span class="toc-answers" title="Questions answered">
                                            { format!(" {answered}/{questions}") }
                                            <span class="visually-hidden">{ " questions answered" }</span>
                                        </span>
                                    }
                                </Link<Route>>
                            </li>
                        }
                    }) }
                </ol>
                <ol class="toc-extra">
                    <li class={classes!((route == Route::Glossary).then_some("active"))}>
                        <Link<Route> to={Route::Glossary}>{ "📚 Glossary" }</Link<Route>>
                    </li>
                    <li class={classes!((route == Route::YourMachine).then_some("active"))}>
                        <Link<Route> to={Route::YourMachine}>{ "💻 Your machine" }</Link<Route>>
                    </li>
                    <li class={classes!((route == Route::Print).then_some("active"))}>
                        <Link<Route> to={Route::Print}>{ "📖 The whole book, to print" }</Link<Route>>
                    </li>
                </ol>
                if !state.read.is_empty() || !state.answers.is_empty() {
                    <button type="button" class="toc-reset" onclick={reset_progress}>{ "Reset my progress" }</button>
                }
            </nav>
            <main id="content" class="content" tabindex="-1">
                { match (route.page(), &route) {
                    (Some(page), _) => html! { <PageView number={page.number} /> },
                    (None, Route::Glossary) => html! { <GlossaryPage /> },
                    (None, Route::YourMachine) => html! { <YourMachine /> },
                    (None, Route::Print) => html! { <PrintView /> },
                    (None, _) => not_found(),
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

/// Whether a modal dialog (the shortcuts) is open: the page's own keys wait.
fn a_dialog_is_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("dialog[open]").ok().flatten())
        .is_some()
}

/// The same words as the host's `404.html` (`content::static_page`).
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
