//! The glossary page: every term, its definition, and the section that
//! explains it (rendered at build time). Pages link the first mention of each
//! term here.

use yew::prelude::*;
use yew_router::prelude::*;

use super::page::{follow_internal_link, scroll_to_fragment_or_top};
use crate::prerendered::GLOSSARY_HTML;

/// All terms, in the file's order.
#[function_component(GlossaryPage)]
pub fn glossary_page() -> Html {
    let navigator = use_navigator();
    use_effect_with((), |()| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title("Glossary — Concurrency vs Parallelism");
        }
        scroll_to_fragment_or_top();
    });
    let onclick =
        Callback::from(move |event: MouseEvent| follow_internal_link(&event, navigator.as_ref()));
    html! {
        <article class="page glossary" {onclick}>
            <h1>{ "📚 Glossary" }</h1>
            <p>{ "The concepts of §9 Related Concepts and §10 Concurrency Models, and the book's own central terms. In the text, the first mention of each term on a page links here and shows its definition on hover or focus." }</p>
            { Html::from_html_unchecked(AttrValue::Static(GLOSSARY_HTML)) }
        </article>
    }
}
