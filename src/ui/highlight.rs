//! The search's words marked on the page a result opens, as mdBook's
//! `?highlight=` does: the result's link carries the stems the query matched,
//! and every word of the page's text filed under one of them is wrapped in
//! `<mark class="search-highlight">`. The next navigation drops the query
//! and the marks with it.

use std::collections::BTreeSet;

use web_sys::{Document, Element, Node};

use crate::content::search::SearchIndex;

/// The query parameter that carries the stems, space-separated.
const PARAM: &str = "highlight";

/// The stems a page's query string (`?highlight=…`) carries. Parsed by hand:
/// yew-router's serde-based query parsing would add kilobytes to the first
/// page's download for one parameter.
pub fn stems_in(query: &str) -> Option<String> {
    let value = query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(PARAM)?.strip_prefix('='))?;
    js_sys::decode_uri_component(&value.replace('+', " "))
        .ok()
        .map(String::from)
}

/// `?highlight=…` for `stems`, space-separated.
pub fn query_for(stems: &str) -> String {
    format!(
        "?{PARAM}={}",
        String::from(js_sys::encode_uri_component(stems))
    )
}

/// Marks on `page` (the `article.page` element) the words filed under one of
/// `stems`, or, with `None`, removes the marks an earlier result left.
pub async fn show(page: Element, stems: Option<String>) {
    clear(&page);
    let Some(stems) = stems.filter(|s| !s.trim().is_empty()) else {
        return;
    };
    // The search box loaded the index already; a shared link loads it here.
    let Ok(index) = super::search::load_index().await else {
        return;
    };
    // Filled by `extend`: collecting would sort, and ship a sort.
    let mut wanted = BTreeSet::new();
    wanted.extend(stems.split_whitespace());
    let stems = wanted;
    let Some(document) = page.owner_document() else {
        return;
    };
    let mut texts = Vec::new();
    let mut child = page.first_element_child();
    while let Some(element) = child {
        // Only the page's text: widgets and the self-check are yew's own
        // trees, whose nodes yew keeps and must find as it left them.
        if !is_app_owned(&element) {
            text_nodes(&element, &mut texts);
        }
        child = element.next_element_sibling();
    }
    for text in texts {
        mark_in(&document, &index, &stems, &text);
    }
}

/// The page's children that a yew component renders, rather than the page's
/// HTML.
fn is_app_owned(element: &Element) -> bool {
    element
        .matches(".widget-host, .widget-error, .self-check, .loading, .error")
        .unwrap_or(true)
}

/// Every text node under `node`, in document order.
fn text_nodes(node: &Node, found: &mut Vec<Node>) {
    let mut child = node.first_child();
    while let Some(current) = child {
        match current.node_type() {
            Node::TEXT_NODE => found.push(current.clone()),
            Node::ELEMENT_NODE => text_nodes(&current, found),
            _ => {}
        }
        child = current.next_sibling();
    }
}

/// Replaces `text` with its runs, the matching words wrapped in marks.
fn mark_in(document: &Document, index: &SearchIndex, stems: &BTreeSet<&str>, text: &Node) {
    let (Some(value), Some(parent)) = (text.node_value(), text.parent_node()) else {
        return;
    };
    let matches = index.matches_in(&value, stems);
    if matches.is_empty() {
        return;
    }
    let mut at = 0;
    let insert = |node: &Node| {
        let _ = parent.insert_before(node, Some(text));
    };
    for (from, to) in matches {
        if from > at {
            insert(&document.create_text_node(&value[at..from]));
        }
        if let Ok(mark) = document.create_element("mark") {
            mark.set_class_name("search-highlight");
            mark.set_text_content(Some(&value[from..to]));
            insert(&mark);
        }
        at = to;
    }
    if at < value.len() {
        insert(&document.create_text_node(&value[at..]));
    }
    let _ = parent.remove_child(text);
}

/// Puts back the text an earlier search's marks wrapped.
fn clear(page: &Element) {
    let Ok(marks) = page.query_selector_all("mark.search-highlight") else {
        return;
    };
    for number in 0..marks.length() {
        let Some(mark) = marks.item(number) else {
            continue;
        };
        let Some(parent) = mark.parent_node() else {
            continue;
        };
        if let Some(document) = mark.owner_document() {
            let text = document.create_text_node(&mark.text_content().unwrap_or_default());
            let _ = parent.replace_child(&text, &mark);
        }
        parent.normalize();
    }
}
