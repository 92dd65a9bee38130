//! The page the host serves (`content::static_page`) and the app's render of
//! the same page have the same markup, so that the app can take over in place
//! (`ui::take_over`): the same elements, classes, links and text, in order.

use std::time::Duration;

use concurrency_book::content::directive::WidgetDirective;
use concurrency_book::content::markdown::{Block, PAGE_PATH_MARK};
use concurrency_book::content::static_page::{self, SitePage};
use concurrency_book::content::{book, Page};
use concurrency_book::prerendered::{Piece, GLOSSARY_HTML, HTML_RUNS, PAGES};
use concurrency_book::ui::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Node};
use yew_router::Routable;

use super::dom::*;

/// A section's text as the build renders it, from the pieces built in.
fn blocks(page: &Page) -> Vec<Block> {
    let path = static_page::page_path(page, "/");
    PAGES[page.number]
        .pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Html(run) => Some(Block::Html(
                HTML_RUNS[page.number][*run].replace(PAGE_PATH_MARK, &path),
            )),
            Piece::Widget(kind, _) => Some(Block::Widget(WidgetDirective {
                kind: *kind,
                params: Vec::new(),
            })),
            Piece::BadWidget(_) => None,
        })
        .collect()
}

/// The markup that must agree, as lines: each element's tag, classes and
/// link, and each run of text. Left out: what the two renders say
/// differently on purpose (the static page's words for a reader without the
/// app, its `needs-app` marks, the theme button's icon), what the app adds
/// from the reader's own state (progress marks, notices), and what loads on
/// its own after the take-over (widgets, the self-check).
fn shape(node: &Node, out: &mut Vec<String>) {
    match node.node_type() {
        Node::TEXT_NODE => {
            let text = node.text_content().unwrap_or_default();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                out.push(text);
            }
        }
        Node::ELEMENT_NODE => {
            let Some(element) = node.dyn_ref::<Element>() else {
                return;
            };
            let skipped = ".when-static, .toc-mark, .toc-answers, .toc-reset, .update-notice, \
                           .self-check, .self-check-score";
            if element.matches(skipped).unwrap_or(false) {
                return;
            }
            // An SVG element's `className` is not a string: read the attribute.
            let mut classes: Vec<String> = element
                .get_attribute("class")
                .unwrap_or_default()
                .split_whitespace()
                .filter(|c| *c != "needs-app" && *c != "when-app")
                .map(str::to_owned)
                .collect();
            classes.sort();
            let tag = element.tag_name().to_lowercase();
            if tag != "span" || !classes.is_empty() || element.has_attribute("aria-current") {
                out.push(format!(
                    "<{tag} class=[{}] href=[{}] id=[{}]>",
                    classes.join(" "),
                    element.get_attribute("href").unwrap_or_default(),
                    // The static page's root names itself for the app to find.
                    Some(element.id())
                        .filter(|id| id != static_page::STATIC_ROOT_ID)
                        .unwrap_or_default()
                ));
            }
            if element
                .matches(".widget-host, .theme-toggle")
                .unwrap_or(false)
            {
                return;
            }
            let children = node.child_nodes();
            for n in 0..children.length() {
                if let Some(child) = children.item(n) {
                    shape(&child, out);
                }
            }
        }
        _ => {}
    }
}

fn shape_of(root: &Element) -> Vec<String> {
    let mut out = Vec::new();
    shape(root, &mut out);
    out
}

/// `html` parsed, in an element that is not in the document.
fn parsed(html: &str) -> Element {
    let holder = document().create_element("div").expect("a div");
    holder.set_inner_html(html);
    holder
}

async fn compare(route: Route, page: SitePage<'_>, blocks: &[Block], extra: &str, ready: &str) {
    clear_storage();
    let served = parsed(&static_page::body(page, "/", blocks, extra));
    let served = served
        .query_selector("#static-book")
        .ok()
        .flatten()
        .expect("the static page's root");
    let (handle, host) = mount_at(&route.to_path());
    wait_for(&host, ready, Duration::from_secs(5)).await;
    let app = host
        .query_selector(".book")
        .ok()
        .flatten()
        .expect("the app's root");
    let (served, app) = (shape_of(&served), shape_of(&app));
    // Guards the comparison: both renders were read, the whole frame.
    assert!(
        served.len() > 60 && served.iter().any(|line| line.contains("[book-title]")),
        "{route:?}: the static page reads as {} lines",
        served.len()
    );
    let first_difference = served
        .iter()
        .zip(&app)
        .position(|(a, b)| a != b)
        .unwrap_or(served.len().min(app.len()));
    // (Lines without quotes: the test runner's output drops quoted text.)
    let around = |lines: &[String]| {
        lines
            .iter()
            .skip(first_difference)
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(
        served == app,
        "{route:?}: the static page and the app differ at line {first_difference}: static {} /// app {}",
        around(&served),
        around(&app)
    );
    unmount(handle, host);
}

fn clear_storage() {
    if let Ok(Some(storage)) = gloo::utils::window().local_storage() {
        let _ = storage.clear();
    }
}

#[wasm_bindgen_test]
async fn every_section_s_static_page_is_the_app_s_render() {
    for page in book().pages() {
        compare(
            Route::of(page),
            SitePage::Section(page),
            &blocks(page),
            "",
            "article.page h1, article.page h2",
        )
        .await;
    }
}

#[wasm_bindgen_test]
async fn the_glossary_and_not_found_pages_are_the_app_s_render() {
    compare(
        Route::Glossary,
        SitePage::Glossary,
        &[],
        GLOSSARY_HTML,
        "article.glossary dl",
    )
    .await;
    compare(
        Route::NotFound,
        SitePage::NotFound,
        &[],
        "",
        ".not-found h1",
    )
    .await;
}
