//! End-to-end: nonsense typed into every field of every widget. The reader
//! gets a message in the widget, never a panic, a console error, a button
//! left disabled, or a run of numbers they did not ask for.

use concurrency_book::content::book;
use concurrency_book::content::markdown::{self, Block};
use serde_json::Value;

use super::browser::Browser;
use super::server::Hosting;
use super::{page_url, Reader, Site};

/// What a reader might type into a number field that no widget can run:
/// empty, negative, fractional, and too big for any integer.
const NONSENSE: [&str; 4] = ["", "-5", "2.5", "99999999999999999999999"];

/// The same for the timeline's list of step lengths.
const NONSENSE_LISTS: [&str; 3] = ["", "eight, twelve", "8"];

/// Each page with widgets, and the ids of its widgets.
fn pages_with_widgets() -> Vec<(&'static str, Vec<&'static str>)> {
    book()
        .pages()
        .iter()
        .filter_map(|page| {
            let ids: Vec<&'static str> = markdown::render(page.source, "/")
                .into_iter()
                .filter_map(|block| match block {
                    Block::Widget(directive) => Some(directive.kind.id()),
                    _ => None,
                })
                .collect();
            (!ids.is_empty()).then_some((page.slug, ids))
        })
        .collect()
}

/// Replaces the field's text by `value` as a reader's keys would, so the
/// page sees an `input` event even for an emptied field (a driver's "clear"
/// alone may not send one): clear, then type, or type a digit and delete it.
async fn type_over(browser: &Browser, id: &str, value: &str) {
    let input = browser.wait_for(&format!("#{id}"), 10).await;
    browser
        .eval(&format!(
            "document.getElementById('{id}').scrollIntoView({{block: 'center'}})"
        ))
        .await;
    input.clear().await.expect("clear the field");
    // WebKit's driver refuses to type nothing: a digit and a Backspace.
    let keys = if value.is_empty() {
        "1\u{e003}".to_owned()
    } else {
        value.to_owned()
    };
    input.send_keys(&keys).await.expect("type into the field");
}

#[tokio::test]
async fn every_field_answers_nonsense_with_a_message() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    let mut tried = 0;
    for (slug, widgets) in pages_with_widgets() {
        browser.open(&page_url(&host.origin, "/", slug)).await;
        for widget in widgets {
            let root = format!("[data-widget={widget}]");
            browser.wait_for(&format!("{root} button"), 20).await;
            let fields = browser
                .eval(&format!(
                    "return [...document.querySelectorAll('{root} input[type=number], {root} input[type=text]')]
                        .map((input) => [input.id, input.type, input.value]);"
                ))
                .await;
            for field in fields.as_array().into_iter().flatten() {
                let (id, kind, initial) = (
                    field[0].as_str().unwrap_or_default(),
                    field[1].as_str().unwrap_or_default(),
                    field[2].as_str().unwrap_or_default(),
                );
                assert!(
                    !id.is_empty(),
                    "{widget}: every field has an id for its label"
                );
                let values: &[&str] = if kind == "text" {
                    &NONSENSE_LISTS
                } else {
                    &NONSENSE
                };
                for value in values {
                    tried += 1;
                    type_over(browser, id, value).await;
                    browser.click(&format!("{root} button")).await;
                    let alert = browser.wait_for(&format!("{root} [role=alert]"), 10).await;
                    let said = alert.text().await.unwrap_or_default();
                    assert!(
                        !said.trim().is_empty(),
                        "{widget} #{id} = {value:?}: an empty message"
                    );
                    // A number field gives "" for text it cannot read too:
                    // the message asks for a number rather than quote nothing.
                    assert!(
                        !said.contains("“”") && !said.contains("\"\""),
                        "{widget} #{id} = {value:?}: the message quotes an empty text ({said})"
                    );
                    let state = browser
                        .eval(&format!(
                            "const root = document.querySelector('{root}');
                             return [root.hasAttribute('data-result'), root.querySelector('button').disabled];"
                        ))
                        .await;
                    assert_eq!(
                        state,
                        Value::from(vec![false, false]),
                        "{widget} #{id} = {value:?}: no run, and the button is free again ({said})"
                    );
                    browser
                        .assert_clean_console(&format!("{widget} #{id} = {value:?}"))
                        .await;
                }
                type_over(browser, id, initial).await;
            }
        }
    }
    assert!(tried > 60, "only {tried} cases: were the fields found?");
    reader.finish().await;
}
