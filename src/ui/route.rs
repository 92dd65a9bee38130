//! URLs of the book. Every page is a folder (`/core-definitions/`), so a static
//! host serves its own `index.html` copy on reload, at the root or under a sub-path.

use std::collections::HashMap;

use yew_router::Routable;

use crate::content::{book, glossary, print, static_page, Page};

/// A place in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`
    Home,
    /// `/glossary/`: every term of the glossary.
    Glossary,
    /// `/your-machine/`: the results measured in this browser, or a set a
    /// permalink carries.
    YourMachine,
    /// `/print/`: every section on one page, to print or save as PDF.
    Print,
    /// `/<slug>/`
    Section { slug: String },
    /// `/404/`, and every path that is none of the above.
    NotFound,
}

/// Written out rather than derived: the derive matches paths with a general
/// route recogniser whose code weighs about 6 kB (gzip) of the first page's
/// budget, for five fixed shapes of path. The router only calls `recognize`
/// and `to_path`; the other two methods exist for the derive's own matcher.
/// As the derive does, a path matches with or without its trailing slash.
impl Routable for Route {
    fn from_path(path: &str, _params: &HashMap<&str, &str>) -> Option<Self> {
        Self::recognize(path)
    }

    fn to_path(&self) -> String {
        match self {
            Route::Home => "/".to_owned(),
            Route::Glossary => format!("/{}/", glossary::PAGE_SLUG),
            Route::YourMachine => format!("/{}/", static_page::YOUR_MACHINE_SLUG),
            Route::Print => format!("/{}/", print::PAGE_SLUG),
            Route::Section { slug } => format!("/{slug}/"),
            Route::NotFound => "/404/".to_owned(),
        }
    }

    fn routes() -> Vec<&'static str> {
        vec![
            "/",
            "/glossary/",
            "/your-machine/",
            "/print/",
            "/:slug/",
            "/404/",
        ]
    }

    fn not_found_route() -> Option<Self> {
        Some(Route::NotFound)
    }

    fn recognize(pathname: &str) -> Option<Self> {
        let path = pathname.strip_suffix('/').unwrap_or(pathname);
        let Some(segment) = path.strip_prefix('/') else {
            return Some(if path.is_empty() {
                Route::Home
            } else {
                Route::NotFound
            });
        };
        Some(match segment {
            glossary::PAGE_SLUG => Route::Glossary,
            static_page::YOUR_MACHINE_SLUG => Route::YourMachine,
            print::PAGE_SLUG => Route::Print,
            "404" | "" => Route::NotFound,
            slug if slug.contains('/') => Route::NotFound,
            slug => Route::Section {
                slug: js_sys::decode_uri_component(slug)
                    .map_or_else(|_| slug.to_owned(), String::from),
            },
        })
    }
}

impl Route {
    /// The route that shows `page`.
    pub fn of(page: &Page) -> Self {
        if page.slug.is_empty() {
            Route::Home
        } else {
            Route::Section {
                slug: page.slug.to_owned(),
            }
        }
    }

    /// The page this route shows, if it names one.
    pub fn page(&self) -> Option<&'static Page> {
        match self {
            Route::Home => Some(book().front()),
            Route::Section { slug } => book().by_slug(slug),
            Route::Glossary | Route::YourMachine | Route::Print | Route::NotFound => None,
        }
    }
}
