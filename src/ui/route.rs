//! URLs of the book. Every page is a folder (`/core-definitions/`), so a static
//! host serves its own `index.html` copy on reload, at the root or under a sub-path.

use yew_router::Routable;

use crate::content::{book, Page};

/// A place in the book.
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    /// Every term of the glossary.
    #[at("/glossary/")]
    Glossary,
    /// The results measured in this browser, or a set a permalink carries.
    #[at("/your-machine/")]
    YourMachine,
    /// Every section on one page, to print or save as PDF.
    #[at("/print/")]
    Print,
    #[at("/:slug/")]
    Section { slug: String },
    #[not_found]
    #[at("/404/")]
    NotFound,
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
