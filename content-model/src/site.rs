//! Where the served site keeps the files a page fetches after it starts.
//!
//! `cargo xtask dist` writes these files and the browser runtime asks for
//! them, so the names live here, below both (xtask reaches them through
//! `concurrency_book::content`): a renamed folder cannot leave the writer
//! and the reader disagreeing.

/// The folder, under the book's base, where `cargo xtask dist` keeps each
/// build's fetched files (`build/<id>/`): the page files, questions, search
/// index and widgets module, so two builds never share a file name.
pub const BUILD_FOLDER: &str = "build";

/// The `<meta name>` through which every page names its build.
pub const BUILD_META: &str = "book-build";

/// Where the site keeps the glossary's entries.
pub const GLOSSARY_PATH: &str = "pages/glossary.html";

/// Where the site keeps the print page's HTML (`print`).
pub const PRINT_PATH: &str = "pages/print.html";

/// Where the browser fetches a page's runs of HTML, relative to the book's base.
pub fn html_path(slug: &str) -> String {
    format!(
        "pages/{}.json",
        if slug.is_empty() { "index" } else { slug }
    )
}

/// Where the browser fetches a section's questions, relative to the book's base.
pub fn questions_path(slug: &str) -> String {
    format!("questions/{slug}.json")
}
