//! A pool that fails to start says why, and the next run tries again: a
//! worker whose file does not load must not leave every parallel widget
//! waiting for ever.

use std::time::Duration;

use serde_json::Value;

use super::server::Hosting;
use super::{Reader, Site};

/// The script every pool worker is started from: the page fetches it once
/// as a module and once more per worker.
const WORKER_SCRIPT: &str = "workerHelpers.no-bundler.js";

#[tokio::test]
async fn a_pool_whose_workers_cannot_load_says_so_and_a_rerun_retries() {
    if !super::browser::Engine::current().shares_memory() {
        return;
    }
    let reader = Reader::start(Site::Root, Hosting::HEADERS_ONLY).await;
    let (browser, host) = (&reader.browser, &reader.host);
    // The module's own import of the script is served; the workers' are not.
    host.refuse(Some((WORKER_SCRIPT, 1)));
    reader.open("core-definitions").await;
    let failed = browser.run_widget("threads-check", 60).await;
    assert_eq!(failed["pool_threads"], 0, "{failed}");
    let reason = failed["fallback"].as_str().unwrap_or_default();
    assert!(
        reason.contains("could not start") && reason.contains("retry"),
        "the fallback says what failed and that a rerun retries: {failed}"
    );

    host.refuse(None);
    browser.click("[data-widget=threads-check] button").await;
    let mut retried = Value::Null;
    for _ in 0..600 {
        let result = browser
            .eval(
                "return document.querySelector('[data-widget=threads-check]').getAttribute('data-result')",
            )
            .await;
        retried = result
            .as_str()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or(Value::Null);
        if retried != Value::Null && retried != failed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        retried["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "the rerun started the pool: {retried}"
    );
    reader.finish().await;
}
