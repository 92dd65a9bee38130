//! The threads check: several threads where the page is isolated, and
//! without the pool one thread and a fallback that says why and how to fix it.

use serde_json::Value;

use super::server::Hosting;
use super::{Reader, Site};

#[tokio::test]
async fn the_threads_check_sees_several_threads_when_isolated() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["isolated"], true, "{result}");
    assert_eq!(result["checksum_matches"], true, "{result}");
    assert!(result["fallback"].is_null(), "{result}");
    assert!(
        result["pool_threads"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    browser.assert_clean_console("the threads check").await;
    reader.finish().await;
}

#[tokio::test]
async fn without_the_pool_the_threads_check_explains_its_fallback() {
    let hosting = Hosting::without_the_pool();
    let reader = Reader::start(Site::Root, hosting).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("").await;
    let environment = browser
        .wait_for("[data-widget=environment][data-result]", 10)
        .await;
    let report: Value = serde_json::from_str(
        &environment
            .attr("data-result")
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
    )
    .expect("JSON");
    assert_eq!(report["isolated"], hosting.headers, "{report}");

    reader.open("core-definitions").await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["isolated"], hosting.headers, "{result}");
    assert_eq!(result["threads_seen"], 1, "{result}");
    assert_eq!(result["pool_threads"], 0, "{result}");
    let reason = result["fallback"].as_str().unwrap_or_default();
    assert!(
        reason.contains("cross-origin isolated"),
        "the fallback says why: {result}"
    );
    let shown = browser
        .wait_for("[data-widget=threads-check] .fallback", 5)
        .await;
    let shown = shown.text().await.unwrap_or_default();
    assert!(shown.contains("Ran on one thread"), "{shown}");
    // The fix for this case: the headers, or (isolated already) another browser.
    let fix = if hosting.headers {
        "Safari 15.2 or later"
    } else {
        "Cross-Origin-Opener-Policy"
    };
    assert!(
        shown.contains(fix),
        "the fallback says how to fix it: {shown}"
    );
    browser
        .assert_console_clean_but(
            "the threads check without isolation",
            host.expected_errors(),
        )
        .await;
    reader.finish().await;
}
