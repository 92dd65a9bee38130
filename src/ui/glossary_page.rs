//! The glossary page: every term, its definition, and the section that
//! explains it (rendered at build time and fetched like a page). Pages link
//! the first mention of each term here.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::page::{follow_internal_link, scroll_to_fragment_or_top};
use super::sources::Pages;
use crate::content::static_page::{SitePage, GLOSSARY_INTRO};

/// The entries, fetched, or as handed in (`sources`).
async fn entries() -> Result<String, String> {
    match super::sources::current().pages {
        Pages::BuiltIn { glossary, .. } => Ok(glossary.to_owned()),
        Pages::Fetched => book_runtime::fetch::text(book_content::site::GLOSSARY_PATH).await,
    }
}

/// All terms, in the file's order.
#[function_component(GlossaryPage)]
pub fn glossary_page() -> Html {
    let navigator = use_navigator();
    let loaded = use_state(|| None::<Result<AttrValue, String>>);
    {
        let loaded = loaded.clone();
        use_effect_with((), move |()| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&SitePage::Glossary.title());
            }
            spawn_local(async move {
                loaded.set(Some(entries().await.map(AttrValue::from)));
            });
        });
    }
    // The fragment (`#deadlock`) names an entry that exists once the entries do.
    use_effect_with(loaded.is_some(), |shown| {
        // Over the host's static page the reader is where they want to be.
        if *shown && !super::take_over::complete() {
            scroll_to_fragment_or_top();
        }
    });
    let onclick =
        Callback::from(move |event: MouseEvent| follow_internal_link(&event, navigator.as_ref()));
    html! {
        <article class="page glossary" {onclick}>
            <h1>{ "📚 Glossary" }</h1>
            <p>{ GLOSSARY_INTRO }</p>
            { match &*loaded {
                None => html! { <p>{ "Loading the glossary…" }</p> },
                Some(Ok(entries)) => Html::from_html_unchecked(entries.clone()),
                Some(Err(why)) => html! { <p class="error" role="alert">{ format!("The glossary could not be loaded: {why}.") }</p> },
            } }
        </article>
    }
}
