//! End-to-end: §11's memory-ordering lab. The model lists store buffering's
//! outcomes under each model and changes with an ordering; a permalink
//! reopens a program; a puzzle is graded; and the litmus tests on two real
//! workers count every iteration and never show what sequential
//! consistency forbids, since WebAssembly's atomics are all `SeqCst`.

use serde_json::Value;

use super::server::Hosting;
use super::{long_tasks, watch_long_tasks, Reader, Site};

const PAGE: &str = "common-pitfalls";

/// The row of `outcome` in a memory-model result.
fn row<'a>(result: &'a Value, outcome: &str) -> &'a Value {
    result["outcomes"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["outcome"] == outcome))
        .unwrap_or_else(|| panic!("no outcome {outcome:?} in {result}"))
}

/// Picks `value` in the `<select>` `selector`, as a reader's choice does.
async fn choose(reader: &Reader, selector: &str, value: &str) {
    let (selector, value) = (
        serde_json::to_string(selector).expect("a string"),
        serde_json::to_string(value).expect("a string"),
    );
    reader
        .browser
        .eval(&format!(
            "const s = document.querySelector({selector}); s.value = {value};
             s.dispatchEvent(new Event('change', {{bubbles: true}})); return null"
        ))
        .await;
}

/// The widget's `data-result` once it is of the program `permalink`.
async fn result_for(reader: &Reader, permalink: &str) -> Value {
    let attribute =
        "document.querySelector('[data-widget=memory-model]').getAttribute('data-result')";
    reader
        .browser
        .wait_until(
            &format!("JSON.parse({attribute} || '{{}}').test === '{permalink}'"),
            &format!("a check of {permalink}"),
        )
        .await;
    let json = reader.browser.eval(&format!("return {attribute}")).await;
    serde_json::from_str(json.as_str().unwrap_or_default()).expect("data-result is JSON")
}

#[tokio::test]
async fn store_buffering_is_allowed_by_x86_and_rust_until_every_access_is_seq_cst() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open(PAGE).await;
    browser
        .wait_for("[data-widget=memory-model] button", 10)
        .await;
    choose(&reader, "#litmus-test", "sb").await;
    let relaxed = browser.run_widget("memory-model", 10).await;
    assert_eq!(relaxed["test"], "sb.rr-rr", "{relaxed}");
    let both_zero = row(&relaxed, "r0 = 0, r1 = 0");
    assert_eq!(both_zero["asked"], true, "{relaxed}");
    assert_eq!(both_zero["sc"], false, "{relaxed}");
    assert_eq!(both_zero["x86_tso"], true, "{relaxed}");
    assert_eq!(both_zero["rust"], true, "{relaxed}");

    // Its witness under the Rust model is an execution graph.
    browser
        .click("[data-widget=memory-model] tr.litmus-asked td:last-child button")
        .await;
    browser
        .wait_for("[data-widget=memory-model] svg.litmus-graph .litmus-rf", 5)
        .await;

    // Every access SeqCst: the table follows at once, and forbids it.
    for (thread, op, link) in [
        (0, 0, "sb.sr-rr"),
        (0, 1, "sb.ss-rr"),
        (1, 0, "sb.ss-sr"),
        (1, 1, "sb.ss-ss"),
    ] {
        choose(&reader, &format!("#litmus-t{thread}-op{op}"), "SeqCst").await;
        result_for(&reader, link).await;
    }
    let seq_cst = result_for(&reader, "sb.ss-ss").await;
    let both_zero = row(&seq_cst, "r0 = 0, r1 = 0");
    assert_eq!(both_zero["rust"], false, "{seq_cst}");
    assert_eq!(both_zero["x86_tso"], false, "{seq_cst}");

    // Its permalink reopens the same program.
    let href = browser
        .eval(
            "return document.querySelector('[data-widget=memory-model] .litmus-permalink a').href",
        )
        .await;
    browser.open(href.as_str().expect("a permalink")).await;
    let reopened = browser.run_widget("memory-model", 10).await;
    assert_eq!(reopened["test"], "sb.ss-ss", "{reopened}");
    browser.assert_clean_console("the memory-model lab").await;
    reader.finish().await;
}

#[tokio::test]
async fn a_relaxed_lazy_initialisation_is_graded_broken_and_release_acquire_fixes_it() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open(PAGE).await;
    browser
        .wait_for("[data-widget=memory-model] button", 10)
        .await;
    choose(&reader, "#litmus-test", "puzzle:lazy-init").await;
    let grade = "[data-widget=memory-model] .lab-controls button.secondary";
    browser.click(grade).await;
    let said = browser
        .wait_for("[data-widget=memory-model] .litmus-grade", 5)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(said.contains("Still broken"), "{said}");

    // Release on the flag's store, Acquire on its load: the weakest fix.
    choose(&reader, "#litmus-t0-op1", "Release").await;
    choose(&reader, "#litmus-t1-op0", "Acquire").await;
    browser.click(grade).await;
    browser
        .wait_until(
            "document.querySelector('[data-widget=memory-model] .litmus-grade').textContent.includes('weakest')",
            "the fix is graded the weakest",
        )
        .await;
    browser.assert_clean_console("the puzzle").await;
    reader.finish().await;
}

#[tokio::test]
async fn the_litmus_tests_on_two_workers_never_show_what_sequential_consistency_forbids() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open(PAGE).await;
    browser
        .wait_for("[data-widget=litmus-run] button", 10)
        .await;
    browser.set_number("litmus-iterations", "20000").await;
    watch_long_tasks(browser).await;
    let result = browser.run_widget("litmus-run", 120).await;
    let long = long_tasks(browser).await;
    assert!(long.is_empty(), "the runs are in the pool (ms): {long:?}");
    assert!(result["problem"].is_null(), "{result}");
    let rows = result["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 9, "three tests at three orderings: {result}");
    for row in rows {
        let counts: Vec<u64> = row["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        assert_eq!(counts.iter().sum::<u64>(), 20_000, "{row}");
        // (r0, r1) as counts[r0 * 2 + r1]; each test's surprise.
        let surprise = match row["test"].as_str() {
            Some("sb") => 0,
            Some("mp") => 2,
            Some("lb") => 3,
            other => panic!("an unknown test {other:?}"),
        };
        assert_eq!(
            counts[surprise], 0,
            "WebAssembly's atomics are SeqCst: {row}"
        );
    }
    let sb = rows
        .iter()
        .find(|r| r["test"] == "sb" && r["store"] == "Relaxed")
        .unwrap_or_else(|| panic!("no store buffering with Relaxed in {result}"));
    assert!(
        sb["counts"][1].as_u64().unwrap_or(0) + sb["counts"][2].as_u64().unwrap_or(0) > 0,
        "the two workers ran: {sb}"
    );
    let native = browser
        .wait_for("[data-widget=litmus-run] table.results caption", 5)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(native.contains("Natively on the bench machine"), "{native}");
    browser.assert_clean_console("the litmus run").await;
    reader.finish().await;
}

#[tokio::test]
async fn without_the_pool_the_litmus_run_says_why_and_the_model_still_checks() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open(PAGE).await;
    browser
        .wait_for("[data-widget=litmus-run] button", 10)
        .await;
    browser.click("[data-widget=litmus-run] button").await;
    let said = browser
        .wait_for("[data-widget=litmus-run] .fallback", 30)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(said.contains("needs real threads"), "{said}");
    browser
        .wait_for("[data-widget=litmus-run] table.results", 5)
        .await;

    // The model is pure computation on this thread: it needs no worker.
    let result = browser.run_widget("memory-model", 10).await;
    assert_eq!(result["test"], "mp.rr-rr", "{result}");
    assert_eq!(row(&result, "r0 = 1, r1 = 0")["rust"], true, "{result}");
    browser
        .assert_console_clean_but("the lab without the pool", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn on_x86_store_buffers_the_scheduler_lets_both_flagged_threads_in() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    // A permalink to the schedule: both stores wait in their buffers while
    // both loads read 0, then the buffers are flushed.
    browser
        .open(&format!(
            "{}?play=flags-x86.s.010011aabb#be-the-scheduler-play",
            reader.url(PAGE)
        ))
        .await;
    let verdict = browser
        .wait_for("[data-widget=be-the-scheduler] .widget-output p", 10)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(verdict.contains("Broken invariant"), "{verdict}");

    let explored = browser.run_widget("be-the-scheduler", 30).await;
    assert_eq!(explored["level"], "flags-x86", "{explored}");
    let verdicts = |result: &Value| -> Vec<String> {
        result["outcomes"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter_map(|o| o["verdict"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        verdicts(&explored).iter().any(|v| v == "broken-invariant"),
        "{explored}"
    );

    // With a fence between each store and its load, no schedule gets both in.
    choose(&reader, "#be-the-scheduler-level", "flags-x86-fenced").await;
    browser.click("[data-widget=be-the-scheduler] button").await;
    browser
        .wait_until(
            "JSON.parse(document.querySelector('[data-widget=be-the-scheduler]').getAttribute('data-result') || '{}').level === 'flags-x86-fenced'",
            "the fenced level explored",
        )
        .await;
    let fenced: Value = serde_json::from_str(
        browser
            .eval("return document.querySelector('[data-widget=be-the-scheduler]').getAttribute('data-result')")
            .await
            .as_str()
            .unwrap_or_default(),
    )
    .expect("JSON");
    let fenced_verdicts = verdicts(&fenced);
    assert!(!fenced_verdicts.is_empty(), "{fenced}");
    assert!(fenced_verdicts.iter().all(|v| v == "correct"), "{fenced}");
    browser
        .assert_clean_console("the store-buffer levels")
        .await;
    reader.finish().await;
}
