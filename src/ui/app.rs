//! The root component: a router around the book's shell.

use yew::prelude::*;
use yew_router::BrowserRouter;

use super::reader_state::ProgressProvider;
use super::shell::Shell;

/// The whole book. The router reads `<base href>`, so the same build of a given
/// public URL serves under that sub-path.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
            <ProgressProvider>
                <Shell />
            </ProgressProvider>
        </BrowserRouter>
    }
}
