//! The memory-ordering lab in the browser: a permalink in the page's URL
//! (with a `+`, which a query string would read as a space) reopens its
//! program, a link that makes no sense says so and leaves the first test,
//! and the first button's check writes every outcome to `data-result`.

use book_widgets::pitfalls::memory_model::MemoryModelWidget;
use serde_json::Value;

use super::*;

/// The widget mounted on a page whose URL has `search`.
async fn mount_with(search: &str) -> (yew::AppHandle<MemoryModelWidget>, Element) {
    go_to(&format!("/{search}"));
    let host = fresh_host();
    let handle = yew::Renderer::<MemoryModelWidget>::with_root(host.clone()).render();
    wait_for(
        &host,
        "[data-widget=memory-model] button",
        Duration::from_secs(5),
    )
    .await;
    (handle, host)
}

/// Presses the first button and reads `data-result`.
async fn check(host: &Element) -> Value {
    host.query_selector("[data-widget=memory-model] button")
        .ok()
        .flatten()
        .expect("a first button")
        .unchecked_into::<HtmlElement>()
        .click();
    let widget = wait_for(
        host,
        "[data-widget=memory-model][data-result]",
        Duration::from_secs(5),
    )
    .await;
    serde_json::from_str(&widget.get_attribute("data-result").unwrap_or_default())
        .expect("data-result is JSON")
}

#[wasm_bindgen_test]
async fn a_permalink_with_a_plus_reopens_its_program() {
    let (handle, host) = mount_with("?litmus=2%2B2w.rl-rl#memory-model-lab").await;
    let result = check(&host).await;
    assert_eq!(result["test"], "2+2w.rl-rl", "{result}");
    let asked = result["outcomes"]
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["asked"] == true))
        .unwrap_or_else(|| panic!("no asked row in {result}"));
    assert_eq!(asked["outcome"], "x = 1 at the end, y = 1 at the end");
    assert_eq!(asked["sc"], false, "{result}");
    assert_eq!(asked["x86_tso"], false, "{result}");
    assert_eq!(asked["rust"], true, "release stores allow 2+2W: {result}");
    let link = host
        .query_selector(".litmus-permalink a")
        .ok()
        .flatten()
        .and_then(|a| a.get_attribute("href"))
        .unwrap_or_default();
    assert!(
        link.ends_with("?litmus=2%2B2w.rl-rl#memory-model-lab"),
        "{link}"
    );
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn a_nonsense_permalink_is_refused_in_words() {
    let (handle, host) = mount_with("?litmus=sb.xx-rr").await;
    let said = host
        .query_selector("[data-widget=memory-model] .error")
        .ok()
        .flatten()
        .and_then(|p| p.text_content())
        .unwrap_or_default();
    assert!(said.starts_with("The link could not be read:"), "{said}");
    let result = check(&host).await;
    assert_eq!(
        result["test"], "mp.rr-rr",
        "the first test instead: {result}"
    );
    handle.destroy();
    host.remove();
}
