//! Which build of the book this page belongs to, so it never mixes builds.
//!
//! `cargo xtask dist` keeps the files a page fetches after it starts (its
//! text, the questions, the search index, the widgets module) in a folder of
//! their build, `build/<id>/`, and names the build in every page's
//! `<meta name="book-build">`. A tab left open across a deploy keeps asking
//! for its own build's files: the service worker still holds them, or the host
//! answers 404 and the reader is asked to reload. Without the tag (`trunk
//! serve`) the files sit next to the page.

use std::cell::OnceCell;

use book_content::site::{BUILD_FOLDER, BUILD_META};

/// The event the window receives when a file of this page's build is gone
/// from the host: a newer build replaced it, and only a reload shows it.
pub const OUTDATED_EVENT: &str = "concurrency-book:outdated";

thread_local! {
    static ID: OnceCell<Option<String>> = const { OnceCell::new() };
}

/// Where this page's build keeps `path`, relative to the book's base.
pub fn file(path: &str) -> String {
    ID.with(|id| match id.get_or_init(read_id) {
        Some(id) => format!("{BUILD_FOLDER}/{id}/{path}"),
        None => path.to_owned(),
    })
}

/// Whether the page names its build, so its fetched files are that build's.
pub fn is_named() -> bool {
    ID.with(|id| id.get_or_init(read_id).is_some())
}

/// The build the page's `<meta>` names; an id that is not plain lowercase hex
/// is ignored rather than put into a URL.
fn read_id() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(&format!("meta[name=\"{BUILD_META}\"]"))
        .ok()??;
    let id = meta.get_attribute("content")?;
    let plain = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    plain.then_some(id)
}

/// Tells the book that this page's build is gone from the host.
pub fn announce_outdated() {
    if let Some(window) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new(OUTDATED_EVENT) {
            let _ = window.dispatch_event(&event);
        }
    }
}
