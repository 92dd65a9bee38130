//! One page of the book: its HTML (rendered at build time, fetched with the
//! page), its widgets mounted in place,
//! and the links to the pages around it.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::highlight;
use super::reader_state::{use_progress, use_progress_dispatch, ProgressAction};
use super::route::Route;
use super::self_check::SelfCheck;
use super::sources::Pages;
use super::take_over;
use super::widget_host::WidgetHost;
use crate::content::directive::WidgetDirective;
use crate::content::static_page::SitePage;
use crate::content::{book, Page};
use crate::prerendered::{html_for, HtmlRuns, Piece, PAGES};

#[derive(Properties, PartialEq)]
pub struct PageProps {
    /// The page's position in the book.
    pub number: usize,
}

/// A rendered page. Links inside the text are followed by the router, so the
/// widgets on the page keep running state only until the reader leaves it.
#[function_component(PageView)]
pub fn page_view(props: &PageProps) -> Html {
    let navigator = use_navigator();
    let basename = navigator
        .as_ref()
        .and_then(|n| n.basename().map(str::to_owned))
        .unwrap_or_default();
    let page = &book().pages()[props.number];
    let path = format!("{basename}{}", Route::of(page).to_path());
    let runs = use_state(|| None::<Result<Rc<HtmlRuns>, String>>);
    {
        let runs = runs.clone();
        use_effect_with(props.number, move |number| {
            let number = *number;
            runs.set(None);
            // A fetch still under way when the reader moves on must not land
            // on the next page: only the current page's may set the runs.
            let current = Rc::new(Cell::new(true));
            let still_current = Rc::clone(&current);
            spawn_local(async move {
                let fetched = html_runs(number).await;
                if still_current.get() {
                    runs.set(Some(fetched));
                }
            });
            move || current.set(false)
        });
    }
    let loaded = runs.as_ref().map(|r| r.as_ref().map(Rc::clone));
    let blocks = use_memo(
        (props.number, path, loaded.clone().and_then(Result::ok)),
        |(number, path, runs)| {
            let Some(runs) = runs else { return Vec::new() };
            PAGES[*number]
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Html(run) => Shown::Html(AttrValue::from(html_for(
                        runs.get(*run).map_or("", String::as_str),
                        path,
                    ))),
                    Piece::Widget(kind, params) => Shown::Widget(WidgetDirective {
                        kind: *kind,
                        params: params
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                            .collect(),
                    }),
                    Piece::BadWidget(why) => Shown::BadWidget(why),
                })
                .collect::<Vec<_>>()
        },
    );

    let ready = matches!(loaded, Some(Ok(_)));
    use_effect_with((props.number, ready), |(number, ready)| {
        let page = &book().pages()[*number];
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&SitePage::Section(page).title());
        }
        // Over the host's static page the reader is already reading: the
        // app takes over where they are, once its text is in.
        if take_over::pending() {
            if *ready {
                take_over::complete();
            }
            return;
        }
        if !(*ready && back_where_the_reader_was()) {
            scroll_to_fragment_or_top();
        }
    });

    // The words a search result was opened for, marked once the text is in;
    // the next navigation drops the query, and the marks with it.
    let highlight = use_location().and_then(|location| highlight::stems_in(location.query_str()));
    let article = use_node_ref();
    {
        let article = article.clone();
        use_effect_with(
            (props.number, ready, highlight),
            move |(_, ready, highlight)| {
                if let (true, Some(page)) = (*ready, article.cast::<web_sys::Element>()) {
                    spawn_local(highlight::show(page, highlight.clone()));
                }
            },
        );
    }

    // Reaching the end of a section (or a section that fits the window) marks it read.
    {
        let progress = use_progress_dispatch();
        use_effect_with((props.number, ready), move |(number, ready)| {
            let slug = book().pages()[*number].slug;
            let ready = *ready;
            // Once per visit: later scroll events at the bottom change nothing.
            let marked = std::cell::Cell::new(false);
            let check = move || {
                if !ready || marked.get() {
                    return;
                }
                if let Some(progress) = &progress {
                    if at_bottom() {
                        marked.set(true);
                        progress.dispatch(ProgressAction::MarkRead(slug.to_owned()));
                    }
                }
            };
            check();
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "scroll", move |_| check())
            });
            move || drop(listener)
        });
    }

    let onclick = {
        let navigator = navigator.clone();
        Callback::from(move |event: MouseEvent| follow_internal_link(&event, navigator.as_ref()))
    };

    let previous = book().previous(page);
    let next = book().next(page);
    html! {
        <>
            if page.number == 0 {
                <Resume />
            }
            <article class="page" ref={article} {onclick}>
                { match &loaded {
                    None => html! { <p class="loading" role="status">{ "Loading the page…" }</p> },
                    Some(Err(why)) => html! {
                        <p class="error" role="alert">{ format!("This page could not be loaded: {why}. Reload to try again.") }</p>
                    },
                    Some(Ok(_)) => html! {
                        <>
                            { for blocks.iter().map(render_block) }
                            <SelfCheck number={props.number} />
                        </>
                    },
                } }
            </article>
            <nav class="page-nav" aria-label="Previous and next pages">
                { previous.map(|p| html! {
                    <Link<Route> to={Route::of(p)} classes="previous">
                        <span aria-hidden="true">{ "← " }</span>{ p.title() }
                    </Link<Route>>
                }).unwrap_or_default() }
                { next.map(|p| html! {
                    <Link<Route> to={Route::of(p)} classes="next">
                        { p.title() }<span aria-hidden="true">{ " →" }</span>
                    </Link<Route>>
                }).unwrap_or_default() }
            </nav>
        </>
    }
}

thread_local! {
    /// Pages fetched so far: going back to one shows it at once.
    static FETCHED: RefCell<BTreeMap<usize, Rc<HtmlRuns>>> = const { RefCell::new(BTreeMap::new()) };
}

/// Page `number`'s runs of HTML: fetched once per visit of the book (the
/// service worker keeps them offline), or as handed in (`sources`).
pub(super) async fn html_runs(number: usize) -> Result<Rc<HtmlRuns>, String> {
    if let Some(runs) = FETCHED.with(|pages| pages.borrow().get(&number).cloned()) {
        return Ok(runs);
    }
    let page = &book().pages()[number];
    // The first page's text is on screen already, in the page the host served.
    let runs: HtmlRuns = match take_over::runs_on_screen(page.slug) {
        Some(runs) => runs,
        None => loaded_runs(page).await?,
    };
    // Another build's file (a tab open across a deploy) may hold other runs
    // than this build's pages expect: refuse it rather than show a page with
    // text missing or misplaced.
    let expected = PAGES[number]
        .pieces
        .iter()
        .filter(|piece| matches!(piece, Piece::Html(_)))
        .count();
    if runs.len() != expected {
        return Err(format!(
            "its file belongs to another version of the book ({} parts, this page has {expected})",
            runs.len()
        ));
    }
    let runs = Rc::new(runs);
    FETCHED.with(|pages| pages.borrow_mut().insert(number, Rc::clone(&runs)));
    Ok(runs)
}

/// `page`'s runs of HTML from its file, or as handed in (`sources`).
async fn loaded_runs(page: &Page) -> Result<HtmlRuns, String> {
    if let Pages::BuiltIn { runs, .. } = super::sources::current().pages {
        return Ok(runs
            .get(page.number)
            .map(|runs| runs.iter().map(|run| (*run).to_owned()).collect())
            .unwrap_or_default());
    }
    let json = book_runtime::fetch::text(&book_content::site::html_path(page.slug)).await?;
    serde_json::from_str(&json).map_err(|e| format!("the page's file is damaged ({e})"))
}

/// "Continue where you left off", on the front page of a returning reader.
#[function_component(Resume)]
fn resume() -> Html {
    let last = use_progress().and_then(|p| p.0.last_page.clone());
    match last.as_deref().and_then(|slug| book().by_slug(slug)) {
        Some(page) => html! {
            <p class="resume">
                { "Welcome back. " }
                <Link<Route> to={Route::of(page)}>{ format!("Continue where you left off: {}", page.plain_title()) }</Link<Route>>
            </p>
        },
        None => Html::default(),
    }
}

/// Whether the window shows the end of the page.
fn at_bottom() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let scrolled = window.scroll_y().unwrap_or(0.0);
    let total = window
        .document()
        .and_then(|d| d.document_element())
        .map_or(0.0, |e| f64::from(e.scroll_height()));
    height + scrolled >= total - 200.0
}

/// A piece of the page, ready to show.
enum Shown {
    /// Pre-rendered HTML (raw HTML in the markdown was escaped at build time).
    Html(AttrValue),
    Widget(WidgetDirective),
    BadWidget(&'static str),
}

fn render_block(block: &Shown) -> Html {
    match block {
        Shown::Html(html) => Html::from_html_unchecked(html.clone()),
        Shown::Widget(directive) => html! { <WidgetHost kind={directive.kind} /> },
        Shown::BadWidget(why) => html! {
            <div class="widget-error" role="alert">
                <strong>{ "This widget cannot be shown: " }</strong>{ *why }
            </div>
        },
    }
}

/// After the one reload that isolates the page, once its text is in: scrolls
/// back to where the reader was, and says whether it did.
fn back_where_the_reader_was() -> bool {
    let (Some(window), Some(y)) = (
        web_sys::window(),
        book_runtime::service_worker::take_scroll_before_reload(),
    ) else {
        return false;
    };
    window.scroll_to_with_x_and_y(0.0, y);
    true
}

/// After a page change, show the heading the URL names, or the top of the page.
pub fn scroll_to_fragment_or_top() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let target = hash
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| window.document().and_then(|d| d.get_element_by_id(id)));
    match target {
        Some(element) => element.scroll_into_view(),
        None => window.scroll_to_with_x_and_y(0.0, 0.0),
    }
}

/// Links in the markdown are plain `<a>`s; those that lead to another page of
/// the book go through the router instead of reloading the app.
pub fn follow_internal_link(event: &MouseEvent, navigator: Option<&Navigator>) {
    if event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let (Some(navigator), Some(window)) = (navigator, web_sys::window()) else {
        return;
    };
    let anchor = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let Some(anchor) = anchor else { return };
    let location = window.location();
    if anchor.origin() != location.origin().unwrap_or_default() {
        return;
    }
    let path = anchor.pathname();
    if path == location.pathname().unwrap_or_default() {
        return; // Same page: the browser scrolls to the fragment itself.
    }
    let relative = navigator
        .basename()
        .and_then(|base| path.strip_prefix(base))
        .map_or(path.clone(), str::to_owned);
    match Route::recognize(&relative) {
        Some(route) if route != Route::NotFound => {
            event.prevent_default();
            navigator.push(&route);
            let hash = anchor.hash();
            if !hash.is_empty() {
                let _ = location.set_hash(&hash);
            }
        }
        _ => {}
    }
}
