//! The whole book on one page, to print or to save as PDF, as mdBook's
//! `print.html`. `cargo xtask` puts the pages together at build time
//! (`content::print`); the browser fetches that file like a page and adds,
//! under each widget, the reader's own latest figures from "Your machine".

use yew::platform::spawn_local;
use yew::prelude::*;

use super::reader_state::stored_results;
use super::your_machine::write_result;
use crate::content::static_page::{SitePage, PRINT_NOTE};

/// The pages put together, fetched once.
async fn whole_book() -> Result<String, String> {
    book_runtime::fetch::text(book_content::site::PRINT_PATH).await
}

/// The print page.
#[function_component(PrintView)]
pub fn print_view() -> Html {
    let loaded = use_state(|| None::<Result<AttrValue, String>>);
    let article = use_node_ref();
    {
        let loaded = loaded.clone();
        use_effect_with((), move |()| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&SitePage::Print.title());
            }
            spawn_local(async move { loaded.set(Some(whole_book().await.map(AttrValue::from))) });
        });
    }
    {
        let article = article.clone();
        use_effect_with(matches!(*loaded, Some(Ok(_))), move |ready| {
            if let (true, Some(article)) = (*ready, article.cast::<web_sys::Element>()) {
                add_the_reader_s_figures(&article);
            }
        });
    }
    // The host's static page holds the same book: the app takes over once
    // its own is in, or has said why not.
    use_effect_with(loaded.is_some(), |&shown| {
        if shown {
            super::take_over::complete();
        }
    });
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            // A browser that offers no printing refuses; its menu's Print remains.
            let _ = window.print();
        }
    });
    html! {
        <article class="page print-book" ref={article}>
            <div class="print-note">
                <p>{ PRINT_NOTE }</p>
                <button type="button" onclick={print}>{ "Print…" }</button>
            </div>
            { match &*loaded {
                None => html! { <p class="loading" role="status">{ "Loading the whole book…" }</p> },
                Some(Ok(html)) => Html::from_html_unchecked(html.clone()),
                Some(Err(why)) => html! {
                    <p class="error" role="alert">{ format!("The whole book could not be loaded: {why}. Reload to try again.") }</p>
                },
            } }
        </article>
    }
}

/// Under each widget the reader has run, its latest figures and the machine
/// they were measured on.
fn add_the_reader_s_figures(article: &web_sys::Element) {
    let results = stored_results();
    let machine = &results.machine;
    for result in &results.results {
        let Ok(Some(widget)) =
            article.query_selector(&format!("[data-print-widget=\"{}\"]", result.widget))
        else {
            continue;
        };
        let mut figures = format!(
            "<p class=\"note\">Your latest run, in {} with {} cores reported:</p>",
            crate::content::markdown::escape(&machine.browser),
            machine.hardware_concurrency
        );
        write_result(&mut figures, result);
        let _ = widget.insert_adjacent_html("beforeend", &figures);
    }
}
