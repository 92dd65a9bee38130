//! "Your machine": every result the reader's browser measured, as tables and
//! charts, to export (JSON, markdown) or share with a permalink that carries
//! the whole set in the URL fragment, with no server involved.
//!
//! The tables are written as one HTML string, as the pages are: a result set
//! is data to show, not an interface, and yew nodes for every cell would
//! weigh on the first page of every reader.

use std::fmt::Write;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::browser_json::BrowserJson;
use super::page::follow_internal_link;
use super::reader_state::{
    clear_results, discard_set_aside, set_aside_values, stored_results, use_progress,
    ProgressAction,
};
use crate::content::directive::WidgetKind;
use crate::content::markdown::escape;
use crate::content::static_page::{SitePage, YOUR_MACHINE_INTRO};
use crate::content::{book, Page};
use crate::prerendered::{Piece, PAGES};
use crate::reader::results::{Figure, ResultSet, SavedResult, LINK_KEY};
use book_runtime::clipboard;

/// What the page shows: the reader's own set, or one a link carried.
enum Shown {
    Own(Rc<ResultSet>),
    Shared(Rc<ResultSet>),
    BadLink(String),
}

/// The set the address names: a shared one after `#results=`, else the reader's own.
fn from_location() -> Shown {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    match hash
        .strip_prefix('#')
        .and_then(|h| h.strip_prefix(LINK_KEY))
    {
        Some(link) => match ResultSet::from_link::<BrowserJson>(link) {
            Ok(set) => Shown::Shared(Rc::new(set)),
            Err(why) => Shown::BadLink(why.to_string()),
        },
        None => Shown::Own(Rc::new(stored_results())),
    }
}

/// The page.
#[function_component(YourMachine)]
pub fn your_machine() -> Html {
    let shown = use_state(from_location);
    let markdown_shown = use_state(|| false);
    // The last copy: which text, and whether the clipboard took it.
    let copied = use_state(|| None::<(&'static str, Result<(), String>)>);
    let refused_text = use_node_ref();
    {
        let refused_text = refused_text.clone();
        use_effect_with(copied.clone(), move |copied| {
            if let (Some((_, Err(_))), Some(element)) =
                (&**copied, refused_text.cast::<web_sys::Element>())
            {
                clipboard::select_contents(&element);
            }
        });
    }
    let progress = use_progress();
    let navigator = use_navigator();
    {
        // Another link pasted into the same tab changes only the fragment.
        let shown = shown.clone();
        use_effect_with((), move |()| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&SitePage::YourMachine.title());
            }
            // Shown at once: nothing to wait for before taking over.
            super::take_over::complete();
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    shown.set(from_location())
                })
            });
            move || drop(listener)
        });
    }
    let show_own = {
        let shown = shown.clone();
        Callback::from(move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash("");
            }
            shown.set(Shown::Own(Rc::new(stored_results())));
        })
    };
    let clear = {
        let shown = shown.clone();
        Callback::from(move |_| {
            clear_results();
            shown.set(Shown::Own(Rc::new(stored_results())));
        })
    };
    let reset_progress = Callback::from(move |_| {
        if let Some(progress) = &progress {
            progress.dispatch(ProgressAction::Reset);
        }
    });
    let follow = Callback::from(move |event: MouseEvent| {
        follow_internal_link(&event, navigator.as_ref());
    });
    let body = match &*shown {
        Shown::BadLink(why) => html! {
            <>
                <p class="error" role="alert">{ format!("This link cannot be shown: {why}.") }</p>
                <button type="button" onclick={show_own}>{ "Show my own results" }</button>
            </>
        },
        Shown::Shared(set) => html! {
            <>
                <p class="note">{ "These results came with the link: they were measured on someone else's machine. Nothing was sent anywhere; the link itself carries them." }</p>
                { tables(set) }
                <button type="button" onclick={show_own}>{ "Show my own results" }</button>
            </>
        },
        Shown::Own(set) if set.results.is_empty() => html! {
            <p>{ "Nothing measured yet. Run any widget in the book (the " }
               <a href="core-definitions/#try-it-in-this-book">{ "threads check in §1" }</a>
               { " is a quick one), then come back: every finished run is kept here, in this browser only." }</p>
        },
        Shown::Own(set) => {
            let link = set.to_link();
            let permalink = link.as_ref().ok().map(|link| {
                let here = web_sys::window()
                    .and_then(|w| {
                        Some(format!(
                            "{}{}",
                            w.location().origin().ok()?,
                            w.location().pathname().ok()?
                        ))
                    })
                    .unwrap_or_default();
                format!("{here}#{LINK_KEY}{link}")
            });
            let download = format!(
                "data:application/json;charset=utf-8,{}",
                String::from(js_sys::encode_uri_component(&export(set)))
            );
            let toggle_markdown = {
                let markdown_shown = markdown_shown.clone();
                Callback::from(move |_| markdown_shown.set(!*markdown_shown))
            };
            html! {
                <>
                    { tables(set) }
                    <div class="your-machine-actions">
                        <a class="button" href={download} download="concurrency-book-results.json">{ "Export JSON" }</a>
                        <button type="button" class="secondary" onclick={toggle_markdown}>{ "Markdown table" }</button>
                        { match (&permalink, &link) {
                            (Some(permalink), _) => html! {
                                <>
                                    <a class="permalink" href={permalink.clone()}>{ "Permalink to these results" }</a>
                                    { copy_button("the permalink", permalink, &copied) }
                                </>
                            },
                            (None, Err(why)) => html! { <span class="note">{ format!("No permalink: {why}.") }</span> },
                            (None, Ok(_)) => Html::default(),
                        } }
                        <button type="button" class="secondary" onclick={clear}>{ "Forget these results" }</button>
                    </div>
                    if let Some((what, Err(why))) = &*copied {
                        <p class="note copy-refused" role="status">
                            { format!("Not copied: {why}. The text is selected: copy it with Ctrl+C (⌘C on a Mac). ") }
                            <code ref={refused_text.clone()}>{ copied_text(what, permalink.as_deref(), set) }</code>
                        </p>
                    }
                    if *markdown_shown {
                        <pre class="markdown-export"><code>{ set.markdown() }</code></pre>
                        { copy_button("the markdown", &set.markdown(), &copied) }
                    }
                </>
            }
        }
    };
    html! {
        <article class="page your-machine" onclick={follow}>
            <h1>{ "💻 Your machine" }</h1>
            <p>{ YOUR_MACHINE_INTRO }</p>
            { body }
            <h2>{ "Your progress" }</h2>
            <p>{ "Sections read, answers and widgets run are kept in this browser too; the table of contents shows them." }</p>
            <button type="button" class="secondary" onclick={reset_progress}>{ "Reset my progress" }</button>
            <KeptInThisBrowser />
        </article>
    }
}

/// What this browser keeps: why nothing, when storage is refused, and the
/// values the book could not read, set aside until the reader decides.
#[function_component(KeptInThisBrowser)]
fn kept_in_this_browser() -> Html {
    let set_aside = use_state(set_aside_values);
    let refusal = book_runtime::storage::refusal();
    html! {
        <section class="kept" aria-labelledby="kept-title">
            <h2 id="kept-title">{ "What this browser keeps" }</h2>
            if let Some(why) = refusal {
                <p class="note storage-refused">
                    { format!("Nothing is kept between visits: {why}. Your theme, progress and results last as long as this page is open; every widget still runs.") }
                </p>
            } else {
                <p>{ "Your theme, progress and results are kept in this browser's storage for this site, and nowhere else." }</p>
            }
            { offline_reading() }
            { for set_aside.iter().map(|(key, value)| {
                let download = format!(
                    "data:application/json;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(value))
                );
                let discard = {
                    let (set_aside, key) = (set_aside.clone(), key.clone());
                    Callback::from(move |_| {
                        discard_set_aside(&key);
                        set_aside.set(set_aside_values());
                    })
                };
                html! {
                    <div class="set-aside" data-key={key.clone()}>
                        <p>{ format!("Set aside because the book could not read it: {key} ({} characters).", value.chars().count()) }</p>
                        <a class="button" href={download} download={format!("{key}.json")}>{ "Download it" }</a>
                        <button type="button" class="secondary" onclick={discard}>{ "Discard it" }</button>
                    </div>
                }
            }) }
        </section>
    }
}

/// Whether the book can be read offline here, and if not, why.
fn offline_reading() -> Html {
    use book_runtime::service_worker::{state, WorkerState};
    let said = match state() {
        Some(WorkerState::Active | WorkerState::Reloading) => {
            "Offline reading is on: the service worker keeps this version of the book, its text and its widgets, for reading without a network.".to_owned()
        }
        Some(WorkerState::Unsupported) => {
            "Offline reading is off: this browser gives the page no service worker (a private window, an old browser, or a page opened from a file). The book reads as usual while online.".to_owned()
        }
        Some(WorkerState::NotRegistered(why)) => format!(
            "Offline reading is off: the book's service worker could not be registered ({why}). The book reads as usual while online; on a host that does not send the isolation headers, the parallel widgets then run on one thread."
        ),
        None => "Offline reading is being set up.".to_owned(),
    };
    html! { <p class="note offline-reading">{ said }</p> }
}

/// The same tables for the reader's own set and for a shared one, so a
/// permalink shows exactly what its sender saw.
fn tables(set: &ResultSet) -> Html {
    let machine = &set.machine;
    let mut html = format!(
        "<div class=\"results-set\"><p class=\"machine\">Measured in {}, {} cores reported, {}.</p>",
        escape(&machine.browser),
        machine.hardware_concurrency,
        if machine.isolated {
            "cross-origin isolated (worker threads available)"
        } else {
            "not isolated (one thread)"
        }
    );
    for result in &set.results {
        write_result(&mut html, result);
    }
    html.push_str("</div>");
    Html::from_html_unchecked(html.into())
}

/// Figures worth a bar: rates and speedups, where longer is better.
const CHARTED: [&str; 3] = ["speedup", "ops_per_second", "meals_per_second"];

/// One widget's result: its title, where it lives, a chart of its rates when
/// it has several, and every figure.
pub(super) fn write_result(html: &mut String, result: &SavedResult) {
    let kind = WidgetKind::from_id(&result.widget);
    let title = kind.map_or(result.widget.as_str(), |kind| kind.title());
    let _ = write!(
        html,
        "<section class=\"saved-result\" data-saved-widget=\"{}\"><h3>{}",
        escape(&result.widget),
        escape(title)
    );
    if let Some(page) = kind.and_then(page_of) {
        // Relative to the document's <base>, the book's root, so the link
        // stays in the book under a sub-path, in a new tab too.
        let href = if page.slug.is_empty() {
            "./".to_owned()
        } else {
            format!("{}/", page.slug)
        };
        let _ = write!(
            html,
            " <a class=\"saved-where\" href=\"{href}\">({})</a>",
            escape(&page.plain_title())
        );
    }
    let _ = write!(
        html,
        "</h3><p class=\"saved-at\">Finished {}</p>",
        escape(&result.at)
    );
    let bars: Vec<(&str, f64, String)> = result
        .figures
        .iter()
        .filter(|(name, _)| CHARTED.iter().any(|s| name.ends_with(s)))
        .filter_map(|(name, value)| match value {
            Figure::Number(number) => Some((name.as_str(), *number, value.to_string())),
            _ => None,
        })
        .collect();
    if bars.len() > 1 {
        let most = bars.iter().map(|b| b.1).fold(0.0, f64::max);
        let most = if most > 0.0 { most } else { 1.0 };
        let _ = write!(
            html,
            "<div class=\"work-chart\" role=\"list\" aria-label=\"{}: headline figures\">",
            escape(title)
        );
        for (label, value, text) in &bars {
            // An SVG bar rather than a styled span: the CSP forbids inline styles.
            let _ = write!(
                html,
                "<div class=\"work-row\" role=\"listitem\"><span class=\"work-label\">{}</span>\
                 <svg class=\"work-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">\
                 <rect width=\"{:.1}\" height=\"10\"/></svg><span class=\"work-value\">{}</span></div>",
                escape(label),
                (value / most * 100.0).max(0.5),
                escape(text)
            );
        }
        html.push_str("</div>");
    }
    html.push_str(
        "<table class=\"results\"><thead><tr><th>figure</th><th>value</th></tr></thead><tbody>",
    );
    for (name, value) in &result.figures {
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            escape(name),
            escape(&value.to_string())
        );
    }
    html.push_str("</tbody></table></section>");
}

/// The first page that mounts `kind`.
fn page_of(kind: WidgetKind) -> Option<&'static Page> {
    let number = PAGES.iter().position(|page| {
        page.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Widget(widget, _) if *widget == kind))
    })?;
    book().pages().get(number)
}

/// The set to download, indented: each result's whole `data-result` as JSON
/// of its own (`data`), not as a string, so the file reads as one document.
/// The browser's `JSON` does the work, so no second JSON printer ships.
fn export(set: &ResultSet) -> String {
    let stored = set.to_json();
    let Ok(tree) = js_sys::JSON::parse(&stored) else {
        return stored;
    };
    let results = js_sys::Reflect::get(&tree, &"results".into())
        .ok()
        .and_then(|r| r.dyn_into::<js_sys::Array>().ok());
    for result in results.iter().flat_map(|r| r.iter()) {
        let whole = js_sys::Reflect::get(&result, &"json".into())
            .ok()
            .and_then(|j| j.as_string())
            .and_then(|j| js_sys::JSON::parse(&j).ok());
        if let Some(whole) = whole {
            let _ = js_sys::Reflect::set(&result, &"data".into(), &whole);
            let _ = js_sys::Reflect::delete_property(
                result.unchecked_ref::<js_sys::Object>(),
                &"json".into(),
            );
        }
    }
    js_sys::JSON::stringify_with_replacer_and_space(&tree, &JsValue::NULL, &2.into())
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or(stored)
}

/// A button that copies `text`, "Copied" once the clipboard has it; a refusal
/// is told, with the text selected, below the actions (`copied`).
fn copy_button(
    what: &'static str,
    text: &str,
    copied: &UseStateHandle<Option<(&'static str, Result<(), String>)>>,
) -> Html {
    let onclick = {
        let (text, copied) = (text.to_owned(), copied.clone());
        Callback::from(move |_| {
            let (text, copied) = (text.clone(), copied.clone());
            spawn_local(async move { copied.set(Some((what, clipboard::copy(&text).await))) });
        })
    };
    let done = matches!(&**copied, Some((which, Ok(()))) if *which == what);
    html! {
        <button type="button" class="secondary copy" {onclick}>
            { if done { "Copied".to_owned() } else { format!("Copy {what}") } }
        </button>
    }
}

/// The text a refused copy of `what` was of.
fn copied_text(what: &str, permalink: Option<&str>, set: &ResultSet) -> String {
    if what == "the permalink" {
        permalink.unwrap_or_default().to_owned()
    } else {
        set.markdown()
    }
}
