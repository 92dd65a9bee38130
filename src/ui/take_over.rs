//! The app takes over the page the host served. Every page's `index.html`
//! holds its text already (`content::static_page`), so the reader reads while
//! the WebAssembly loads. The app renders beside it, hidden, with the same
//! markup; once its page is complete it replaces the static page in one step,
//! so nothing on screen moves, and keeps what the reader was doing: the scroll
//! position, a text selection, the focused link.
//!
//! Where the host served no static page (`trunk serve`, the browser tests),
//! the app renders into the body as it is.

use std::cell::Cell;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::content::static_page::{RUN_END, RUN_START, STATIC_ROOT_ID};

/// The id of the element the app renders into beside the static page.
const APP_ROOT_ID: &str = "app";

/// The performance mark set at the take-over, for `cargo xtask bench`.
pub const TAKE_OVER_MARK: &str = "book-take-over";

thread_local! {
    /// Whether the static page is still on screen, waiting for the app.
    static PENDING: Cell<bool> = const { Cell::new(false) };
}

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

fn static_root(document: &Document) -> Option<Element> {
    document.get_element_by_id(STATIC_ROOT_ID)
}

/// Where the app renders: a hidden element after the static page, or the
/// body where the host served none.
pub fn app_root() -> Option<Element> {
    let document = document()?;
    // The app runs: where `www/boot.js` judged the browser too old to start
    // it, the stylesheet must still show the app's controls from now on.
    if let Some(root) = document.document_element() {
        let classes = root.get_attribute("class").unwrap_or_default();
        if !classes.split_whitespace().any(|class| class == "app") {
            let _ = root.set_attribute("class", format!("{classes} app").trim());
        }
    }
    let body = document.body()?;
    if static_root(&document).is_none() {
        return Some(body.into());
    }
    let root = document.create_element("div").ok()?;
    root.set_id(APP_ROOT_ID);
    root.set_attribute("hidden", "").ok()?;
    body.append_child(&root).ok()?;
    PENDING.with(|pending| pending.set(true));
    Some(root)
}

/// Whether the static page is still on screen: the app must not scroll the
/// window the reader is reading until it has taken over.
pub fn pending() -> bool {
    PENDING.with(Cell::get)
}

/// Section `slug`'s runs of HTML, read from the static page when that is the
/// page it shows: the first page's text is not fetched a second time.
pub fn runs_on_screen(slug: &str) -> Option<Vec<String>> {
    if !pending() {
        return None;
    }
    let root = static_root(&document()?)?;
    if root.get_attribute("data-page").as_deref() != Some(slug) {
        return None;
    }
    let article = root.query_selector("article.page").ok()??;
    let html = article.inner_html();
    let start = format!("<!--{RUN_START}-->");
    let end = format!("<!--{RUN_END}-->");
    Some(
        html.split(&start)
            .skip(1)
            .map(|part| part.split(&end).next().unwrap_or_default().to_owned())
            .collect(),
    )
}

/// Replaces the static page with the app, whose page is now complete. Says
/// whether it did: only the first call, and only over a static page, does.
pub fn complete() -> bool {
    if !pending() {
        return false;
    }
    PENDING.with(|pending| pending.set(false));
    let (Some(window), Some(document)) = (web_sys::window(), document()) else {
        return false;
    };
    let (Some(old), Some(new)) = (
        static_root(&document),
        document.get_element_by_id(APP_ROOT_ID),
    ) else {
        return false;
    };
    // After the one reload that isolates the page, where the reader was
    // before it; otherwise where the reader is now.
    let y = book_runtime::service_worker::take_scroll_before_reload()
        .unwrap_or_else(|| window.scroll_y().unwrap_or(0.0));
    let selection = Selected::read(&window, &document, &old);
    let focus = focused_index(&document, &old);
    old.remove();
    let _ = new.remove_attribute("hidden");
    window.scroll_to_with_x_and_y(0.0, y);
    if let Some(selection) = selection {
        selection.restore(&window, &document, &new);
    }
    if let Some(index) = focus {
        focus_nth(&new, index);
    }
    if let Some(performance) = window.performance() {
        let _ = performance.mark(TAKE_OVER_MARK);
    }
    true
}

/// What can take focus, in document order: the same list in both pages.
const FOCUSABLE: &str = "a[href], button, [tabindex]";

fn focused_index(document: &Document, root: &Element) -> Option<u32> {
    let active = document.active_element()?;
    if !root.contains(Some(&active)) {
        return None;
    }
    let all = root.query_selector_all(FOCUSABLE).ok()?;
    (0..all.length()).find(|&n| all.item(n).is_some_and(|node| node == *active.as_ref()))
}

fn focus_nth(root: &Element, index: u32) {
    let element = root
        .query_selector_all(FOCUSABLE)
        .ok()
        .and_then(|all| all.item(index))
        .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// A text selection inside the page's text, as character offsets into the
/// text of `main`: the two pages' text is the same, their nodes are not.
struct Selected {
    anchor: u32,
    focus: u32,
}

impl Selected {
    /// Reads the selection in `root`, whose `when-static` lines it drops first
    /// (the app does not say them): the page is about to go anyway.
    fn read(window: &web_sys::Window, document: &Document, root: &Element) -> Option<Self> {
        let selection = window.get_selection().ok()??;
        if selection.is_collapsed() {
            return None;
        }
        if let Ok(lines) = root.query_selector_all(".when-static") {
            for n in 0..lines.length() {
                if let Some(line) = lines.item(n).and_then(|l| l.dyn_into::<Element>().ok()) {
                    line.remove();
                }
            }
        }
        let main = root.query_selector("main").ok()??;
        let offset = |node: Node, offset: u32| {
            let range = document.create_range().ok()?;
            range.set_start(&main, 0).ok()?;
            range.set_end(&node, offset).ok()?;
            Some(range.to_string().length())
        };
        Some(Self {
            anchor: offset(selection.anchor_node()?, selection.anchor_offset())?,
            focus: offset(selection.focus_node()?, selection.focus_offset())?,
        })
    }

    fn restore(&self, window: &web_sys::Window, document: &Document, root: &Element) {
        let Some(main) = root.query_selector("main").ok().flatten() else {
            return;
        };
        let (Some((anchor, anchor_at)), Some((focus, focus_at))) = (
            node_at(document, &main, self.anchor),
            node_at(document, &main, self.focus),
        ) else {
            return;
        };
        if let Ok(Some(selection)) = window.get_selection() {
            let _ = selection.set_base_and_extent(&anchor, anchor_at, &focus, focus_at);
        }
    }
}

/// The text node and the offset in it at `offset` in `main`'s text.
fn node_at(document: &Document, main: &Element, offset: u32) -> Option<(Node, u32)> {
    // `NodeFilter.SHOW_TEXT`
    let walker = document
        .create_tree_walker_with_what_to_show(main, 4)
        .ok()?;
    let mut left = offset;
    while let Ok(Some(text)) = walker.next_node() {
        let length = text
            .node_value()
            .map_or(0, |t| t.encode_utf16().count() as u32);
        if left <= length {
            return Some((text, left));
        }
        left -= length;
    }
    None
}
