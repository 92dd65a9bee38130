//! One page of the book: its HTML (rendered at build time), its widgets mounted in place,
//! and the links to the pages around it.

use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use super::route::Route;
use super::widgets;
use crate::content::book;
use crate::content::directive::WidgetDirective;
use crate::prerendered::{html_for, Piece, PAGES};

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
    let blocks = use_memo((props.number, path), |(number, path)| {
        PAGES[*number]
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Html(html) => Shown::Html(AttrValue::from(html_for(html, path))),
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
    });

    use_effect_with(props.number, |number| {
        let page = &book().pages()[*number];
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&if page.number == 0 {
                "Concurrency vs Parallelism — an interactive book".to_owned()
            } else {
                format!("{} — Concurrency vs Parallelism", page.plain_title())
            });
        }
        scroll_to_fragment_or_top();
    });

    let onclick = {
        let navigator = navigator.clone();
        Callback::from(move |event: MouseEvent| follow_internal_link(&event, navigator.as_ref()))
    };

    let previous = book().previous(page);
    let next = book().next(page);
    html! {
        <>
            <article class="page" {onclick}>
                { for blocks.iter().map(render_block) }
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
        Shown::Widget(directive) => widgets::mount(directive),
        Shown::BadWidget(why) => html! {
            <div class="widget-error" role="alert">
                <strong>{ "This widget cannot be shown: " }</strong>{ *why }
            </div>
        },
    }
}

/// After a page change, show the heading the URL names, or the top of the page.
fn scroll_to_fragment_or_top() {
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
fn follow_internal_link(event: &MouseEvent, navigator: Option<&Navigator>) {
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
