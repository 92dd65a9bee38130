//! End-to-end: the pitfalls lab (§11) in Chromium. Races lose updates only
//! where they should, deadlocks are found and recovered from, and every widget
//! runs its defaults and writes a sensible result.

use serde_json::Value;

use super::browser::Browser;
use super::server::Hosting;
use super::{long_tasks, number, page_url, watch_long_tasks, Reader, Site};

const PAGE: &str = "common-pitfalls";

fn method<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["methods"]
        .as_array()
        .and_then(|methods| methods.iter().find(|m| m["method"] == name))
        .unwrap_or_else(|| panic!("no {name} in {result}"))
}

#[tokio::test]
async fn on_two_threads_only_the_load_then_store_race_loses_updates() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    browser.open(&page_url(&host.origin, "/", PAGE)).await;
    browser.set_number("race-threads", "2").await;
    let result = browser.run_widget("race", 120).await;
    assert_eq!(result["threads"], 2, "{result}");
    let racy = method(&result, "load_then_store");
    assert!(racy["lost"].as_u64().unwrap_or(0) > 0, "{result}");
    assert!(
        number(racy, "actual") < number(racy, "expected"),
        "{result}"
    );
    for exact in ["fetch_add", "mutex"] {
        let outcome = method(&result, exact);
        let k = outcome["per_thread"].as_u64().expect("per_thread");
        assert_eq!(outcome["actual"].as_u64(), Some(2 * k), "{exact}: {result}");
        assert_eq!(outcome["lost"], 0, "{exact}: {result}");
    }
    browser.assert_clean_console("the race").await;
    reader.finish().await;
}

#[tokio::test]
async fn two_tasks_on_one_thread_lose_updates_with_no_worker_at_all() {
    // No isolation: the pool cannot even start, so only the main thread runs.
    let reader = Reader::start(Site::Root, Hosting::UNISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    browser.open(&page_url(&host.origin, "/", PAGE)).await;
    let result = browser.run_widget("race-one-thread", 60).await;
    assert_eq!(result["workers"], 0, "{result}");
    assert_eq!(result["machine"]["isolated"], false, "{result}");
    let versions = result["versions"].as_array().expect("versions");
    let racy = &versions[0];
    assert_eq!(racy["await_point"], "between_read_and_write");
    assert!(racy["lost"].as_u64().unwrap_or(0) > 0, "{result}");
    let fixed = &versions[1];
    assert_eq!(fixed["lost"], 0, "{result}");
    assert_eq!(fixed["actual"], fixed["expected"], "{result}");

    // The threaded widgets on the same page explain why they cannot run.
    browser.click("[data-widget=race] button").await;
    let shown = browser.wait_for("[data-widget=race] .fallback", 30).await;
    let shown = shown.text().await.unwrap_or_default();
    assert!(shown.contains("cross-origin isolated"), "{shown}");
    browser
        .assert_console_clean_but("one-thread race", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn the_deadlock_is_detected_and_the_widget_runs_again() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    browser.open(&page_url(&host.origin, "/", PAGE)).await;
    for run in 1..=2 {
        if run == 2 {
            // Wait until the first result is gone, then for the second one.
            let started = browser.eval(
                "const b = document.querySelector('[data-widget=deadlock] button');
                 if (b.disabled) return false; b.click(); return true",
            );
            assert_eq!(started.await, true, "the button is ready for a second run");
        }
        let result = if run == 1 {
            browser.run_widget("deadlock", 60).await
        } else {
            wait_for_new_result(browser, "deadlock", 60).await
        };
        let opposite = &result["opposite"];
        let deadlock = &opposite["deadlock"];
        assert!(!deadlock.is_null(), "run {run}: {result}");
        assert_eq!(
            deadlock["cycle"].as_array().map(Vec::len),
            Some(2),
            "{result}"
        );
        assert!(deadlock["detected_after_ms"].as_f64().unwrap_or(0.0) >= 250.0);
        assert_eq!(opposite["waits"].as_array().map(Vec::len), Some(2));
        let same = &result["same"];
        assert!(same["deadlock"].is_null(), "{result}");
        assert_eq!(
            same["rounds_done"].as_u64(),
            same["rounds_per_worker"].as_u64().map(|r| 2 * r),
            "one lock order finishes every round: {result}"
        );
    }
    browser.assert_clean_console("the deadlock").await;
    reader.finish().await;
}

/// After a second click: waits for `data-result` to go (the run started) and
/// come back (it finished).
async fn wait_for_new_result(browser: &Browser, id: &str, seconds: u64) -> Value {
    let script =
        format!("return document.querySelector('[data-widget={id}]').getAttribute('data-result')");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut cleared = false;
    loop {
        let result = browser.eval(&script).await;
        match result.as_str() {
            None => cleared = true,
            Some(json) if cleared => {
                return serde_json::from_str(json).expect("data-result is JSON");
            }
            Some(_) => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} never finished a second run"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn every_pitfall_widget_runs_its_defaults_without_blocking_the_page() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    browser.open(&page_url(&host.origin, "/", PAGE)).await;
    browser
        .wait_for("[data-widget=philosophers] button", 10)
        .await;

    watch_long_tasks(browser).await;
    let dinner = browser.run_widget("philosophers", 60).await;
    let dinners = dinner["dinners"].as_array().expect("dinners");
    assert_eq!(dinners.len(), 3, "{dinner}");
    // Five at the table whatever the cores: threads take turns between them.
    assert_eq!(dinner["seats"], 5, "{dinner}");
    for fixed in &dinners[1..] {
        assert!(fixed["deadlock"].is_null(), "{dinner}");
        assert_eq!(fixed["meals"].as_array().map(Vec::len), Some(5), "{dinner}");
        assert!(
            fixed["meals_per_second"].as_f64().unwrap_or(0.0) > 0.0,
            "{dinner}"
        );
    }
    let contention = browser.run_widget("contention", 120).await;
    let points = contention["points"].as_array().expect("points");
    assert_eq!(points.len(), 5, "{contention}");
    assert!(points
        .iter()
        .all(|p| p["exact"] == true && p["ops_per_second"].as_f64().unwrap_or(0.0) > 0.0));
    let long = long_tasks(browser).await;
    assert!(
        long.is_empty(),
        "main-thread long tasks during pool runs (ms): {long:?}"
    );

    watch_long_tasks(browser).await;
    let raced = browser.run_widget("race-one-thread", 30).await;
    assert!(
        raced["versions"][0]["lost"].as_u64().unwrap_or(0) > 0,
        "{raced}"
    );
    let long = long_tasks(browser).await;
    assert!(
        long.is_empty(),
        "the one-thread race yields to the event loop (ms): {long:?}"
    );

    let stuck = browser.run_widget("deadlock-one-thread", 30).await;
    assert_eq!(stuck["deadlocked"], true, "{stuck}");
    assert_eq!(stuck["fixed_finished"], true, "{stuck}");
    assert_eq!(
        stuck["recovered"], true,
        "both aborted tasks ended: {stuck}"
    );
    assert_eq!(stuck["workers"], 0);

    watch_long_tasks(browser).await;
    let memory = browser.run_widget("memory-overhead", 90).await;
    let long = long_tasks(browser).await;
    assert!(
        long.is_empty(),
        "spawning yields to the event loop (ms): {long:?}"
    );
    let per_task = memory["bytes_per_task"].as_f64().unwrap_or(0.0);
    assert!(per_task > 16.0 && per_task < 4096.0, "{memory}");
    assert!(
        memory["worker_start_ms"].as_f64().unwrap_or(0.0) > 0.0,
        "{memory}"
    );
    if let Some(per_worker) = memory["bytes_per_worker"].as_f64() {
        assert!(per_worker > 10.0 * per_task, "{memory}");
    } else {
        assert!(memory["worker_note"].is_string(), "{memory}");
    }

    let explored = browser.run_widget("be-the-scheduler", 30).await;
    assert!(
        explored["interleavings"].as_u64().unwrap_or(0) > 1,
        "{explored}"
    );
    assert!(
        explored["outcomes"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{explored}"
    );

    browser.assert_clean_console("the pitfall widgets").await;
    reader.finish().await;
}
