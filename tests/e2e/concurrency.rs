//! End-to-end: the concurrency lab (§4, §5). Each widget runs its defaults
//! on the real event loop and writes a sensible result, with the worker pool
//! (isolated) and without it.

use super::server::Hosting;
use super::{long_tasks, number, watch_long_tasks, Reader, Site};

#[tokio::test]
async fn the_timeline_shows_interleaving_on_one_thread_and_overlap_on_the_pool() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("visual-metaphor").await;
    // Watch from the moment the widget is there: loading the widgets
    // module is not what this measures.
    browser
        .wait_for("[data-widget=interleaving-timeline] button", 20)
        .await;
    watch_long_tasks(browser).await;
    let result = browser.run_widget("interleaving-timeline", 60).await;
    assert_eq!(
        result["tasks"].as_array().map(Vec::len),
        Some(3),
        "{result}"
    );
    let event_loop = &result["event_loop"];
    assert_eq!(event_loop["lanes"], 1, "{result}");
    assert_eq!(event_loop["most_at_once"], 1, "{result}");
    assert!(
        event_loop["switches"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    assert_eq!(result["interleaved"], true, "{result}");
    let pool = &result["pool"];
    assert!(pool["lanes"].as_u64().unwrap_or(0) >= 2, "{result}");
    assert!(pool["most_at_once"].as_u64().unwrap_or(0) >= 2, "{result}");
    assert_eq!(result["simultaneous"], true, "{result}");
    assert!(result["pool_fallback"].is_null(), "{result}");
    let drawn = browser
        .eval(
            "return document.querySelectorAll('[data-widget=interleaving-timeline] .gantt').length",
        )
        .await;
    assert_eq!(drawn, 2, "both Gantt charts are drawn");
    let long = long_tasks(browser).await;
    assert!(long.is_empty(), "long tasks: {long:?}");
    browser.assert_clean_console("the timeline").await;
    reader.finish().await;
}

#[tokio::test]
async fn without_the_pool_the_timeline_still_interleaves_and_says_why() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("visual-metaphor").await;
    let result = browser.run_widget("interleaving-timeline", 60).await;
    assert_eq!(result["interleaved"], true, "{result}");
    assert!(result["pool"].is_null(), "{result}");
    assert!(result["simultaneous"].is_null(), "{result}");
    let reason = result["pool_fallback"].as_str().unwrap_or_default();
    assert!(reason.contains("cross-origin isolated"), "{result}");
    browser
        .assert_console_clean_but("the timeline without a pool", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn one_workload_freezes_the_page_only_when_run_in_one_go() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("system-design-impact").await;
    // Every value the progress bar shows, recorded by the page itself as the
    // DOM changes: the driver cannot look while the first way holds the thread.
    browser
        .wait_for("[data-widget=one-workload-three-ways] button", 20)
        .await;
    browser
        .eval(
            "const widget = document.querySelector('[data-widget=one-workload-three-ways]'); \
             window.__steps = []; \
             new MutationObserver(() => { \
               const bar = widget.querySelector('progress'); \
               if (bar && window.__steps.at(-1) !== bar.value) window.__steps.push(bar.value); \
             }).observe(widget, { subtree: true, childList: true, attributes: true }); \
             return true",
        )
        .await;
    let result = browser.run_widget("one-workload-three-ways", 120).await;
    let steps = browser.eval("return window.__steps").await;
    let steps: Vec<f64> = steps
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .collect()
        })
        .unwrap_or_default();
    assert!(
        steps.len() >= 4
            && steps.first() == Some(&0.0)
            && steps.last() == Some(&5.0)
            && steps.windows(2).all(|pair| pair[0] < pair[1]),
        "the bar starts empty and only moves forward, to the last step: {steps:?}"
    );
    let gap = |way: &str| result[way]["longest_gap_ms"].as_f64().unwrap_or(f64::NAN);
    assert!(result["primes"].as_u64().unwrap_or(0) > 0, "{result}");
    assert!(
        result["one_go"]["dropped_frames"].as_u64().unwrap_or(0) > 0,
        "held for the whole count, the page drew no frame: {result}"
    );
    // The freeze is as long as the count; a slice or the pool never holds
    // the thread for more than a small part of it.
    assert!(
        gap("one_go") >= 0.8 * result["one_go"]["ms"].as_f64().unwrap_or(0.0),
        "{result}"
    );
    assert!(gap("sliced") < gap("one_go") / 2.0, "{result}");
    assert!(gap("pool") < gap("one_go") / 2.0, "{result}");
    assert!(
        result["pool_threads"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    assert!(
        result["pool_speedup"].as_f64().unwrap_or(0.0) > 0.0,
        "{result}"
    );
    // The page drew while the pool counted: the frames the explanation
    // says the workers shared the cores with.
    assert!(
        result["pool"]["frames_drawn"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    // The pool again with the page asking for no frame: timed, its count
    // checked (a wrong count fails the run), its speedup beside (c)'s.
    let quiet = &result["pool_quiet"];
    assert!(
        number(quiet, "min_ms") > 0.0
            && number(quiet, "min_ms") <= number(quiet, "ms")
            && number(quiet, "ms") <= number(quiet, "max_ms"),
        "{result}"
    );
    assert!(
        result["pool_quiet_speedup"].as_f64().unwrap_or(0.0) > 0.0,
        "{result}"
    );
    browser
        .wait_for(
            "[data-widget=one-workload-three-ways] tbody tr:nth-child(4)",
            5,
        )
        .await;
    browser
        .assert_accessible("one workload three ways, finished")
        .await;
    // The explanation owns up to the frames (b) and (c) missed, and only then.
    let text = browser
        .eval("return document.querySelector('[data-widget=one-workload-three-ways] .widget-output').textContent")
        .await;
    let text = text.as_str().unwrap_or_default();
    let missed = |way: &str| result[way]["dropped_frames"].as_u64().unwrap_or(0) > 0;
    assert_eq!(text.contains("It still missed"), missed("sliced"), "{text}");
    assert_eq!(text.contains("(c) missed"), missed("pool"), "{text}");

    // Cancelled before the first freeze, the run stops and says so, plainly:
    // a stop the reader asked for is no error.
    browser
        .click("[data-widget=one-workload-three-ways] button")
        .await;
    browser
        .click("[data-widget=one-workload-three-ways] button.secondary")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-widget=one-workload-three-ways] .widget-output').textContent.trim() === 'Cancelled.'",
            "Cancel stops the three ways",
        )
        .await;
    let as_error = browser
        .eval("return document.querySelector('[data-widget=one-workload-three-ways] .error') !== null")
        .await;
    assert_eq!(as_error, false, "a stop the reader asked for is no error");
    browser
        .assert_clean_console("one workload three ways")
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn without_the_pool_the_three_ways_run_two_and_say_why_not_the_third() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("system-design-impact").await;
    let result = browser.run_widget("one-workload-three-ways", 120).await;
    assert!(result["primes"].as_u64().unwrap_or(0) > 0, "{result}");
    assert!(
        result["one_go"]["dropped_frames"].as_u64().unwrap_or(0) > 0,
        "{result}"
    );
    assert!(
        result["sliced"]["ms"].as_f64().unwrap_or(0.0) > 0.0,
        "{result}"
    );
    for absent in ["pool", "pool_speedup", "pool_quiet", "pool_quiet_speedup"] {
        assert!(result[absent].is_null(), "{absent}: {result}");
    }
    let reason = result["pool_fallback"].as_str().unwrap_or_default();
    assert!(reason.contains("cross-origin isolated"), "{result}");
    let rows = browser
        .eval("return document.querySelectorAll('[data-widget=one-workload-three-ways] tbody tr').length")
        .await;
    assert_eq!(rows, 2, "only (a) and (b) have rows");
    let text = browser
        .eval("return document.querySelector('[data-widget=one-workload-three-ways] .widget-output').textContent")
        .await;
    assert!(
        text.as_str()
            .unwrap_or_default()
            .contains("(c) could not run"),
        "{text}"
    );
    browser
        .assert_console_clean_but("three ways without a pool", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn the_one_thread_server_serves_its_clients_and_can_hand_cpu_work_to_the_pool() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("practical-example-web-server").await;
    // Watch from the moment the widget is there: loading the widgets
    // module is not what this measures.
    browser
        .wait_for("[data-widget=one-thread-server] button", 20)
        .await;
    watch_long_tasks(browser).await;
    let result = browser.run_widget("one-thread-server", 60).await;
    assert_eq!(result["clients"], 1000, "{result}");
    assert_eq!(result["handler"], "blocking", "{result}");
    assert!(result["requests"].as_u64().unwrap_or(0) > 1000, "{result}");
    let p50 = result["latency"]["p50_ms"].as_f64().unwrap_or(0.0);
    assert!(
        (25.0..1000.0).contains(&p50),
        "a request waits on its I/O (mean 50 ms, spread 50%): {result}"
    );
    assert!(
        result["event_loop_lag"]["samples"].as_u64().unwrap_or(0) > 50,
        "{result}"
    );
    let long = long_tasks(browser).await;
    assert!(long.is_empty(), "long tasks: {long:?}");

    // CPU work on the pool: the handler awaits it on the worker threads.
    browser.set_number("server-cpu", "2").await;
    browser
        .click("[data-widget=one-thread-server] input[type=checkbox]")
        .await;
    let result = browser.run_widget("one-thread-server", 60).await;
    assert_eq!(result["cpu_ms"], 2, "{result}");
    assert_eq!(result["handler"], "pool", "{result}");
    assert!(
        result["pool_threads"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    assert!(result["requests"].as_u64().unwrap_or(0) > 1000, "{result}");
    assert!(result["fallback"].is_null(), "{result}");

    // A run shows how far it has come, and Cancel stops it there.
    browser.set_number("server-seconds", "20").await;
    browser
        .click("[data-widget=one-thread-server] button")
        .await;
    let served =
        "(document.querySelector('[data-widget=one-thread-server] progress') || {value: 0}).value";
    browser
        .wait_until(&format!("{served} > 0.5"), "the bar moves")
        .await;
    let before = browser.eval(&format!("return {served}")).await;
    browser
        .wait_until(
            &format!("{served} > {before} + 0.4"),
            "the bar keeps moving",
        )
        .await;
    browser
        .click("[data-widget=one-thread-server] button.secondary")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-widget=one-thread-server] .widget-output').textContent.includes('Stopped.') \
             && document.querySelector('[data-widget=one-thread-server] progress') === null",
            "Cancel stops the server",
        )
        .await;
    browser.assert_clean_console("the one-thread server").await;
    reader.finish().await;
}

#[tokio::test]
async fn backpressure_blocks_the_producer_and_every_item_is_accounted_for() {
    let reader = Reader::start(Site::Root, Hosting::UNISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("concurrency-models").await;
    // Watch from the moment the widget is there: loading the widgets
    // module is not what this measures.
    browser
        .wait_for("[data-widget=backpressure] button", 20)
        .await;
    watch_long_tasks(browser).await;
    let result = browser.run_widget("backpressure", 60).await;
    let capacity = result["capacity"].as_u64().expect("capacity");
    let policy = |name: &str| {
        result["policies"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["policy"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {result}"))
    };
    for name in ["unbounded", "drop_newest", "drop_oldest", "block"] {
        assert_eq!(policy(name)["lost"], 0, "{name}: {result}");
    }
    let unbounded = policy("unbounded");
    assert_eq!(unbounded["dropped"], 0, "{result}");
    assert!(
        unbounded["peak_depth"].as_u64().unwrap_or(0) > capacity,
        "{result}"
    );
    for name in ["drop_newest", "drop_oldest"] {
        assert!(
            policy(name)["dropped"].as_u64().unwrap_or(0) > 0,
            "{name}: {result}"
        );
        assert_eq!(policy(name)["peak_depth"], capacity, "{name}: {result}");
    }
    let block = policy("block");
    assert_eq!(block["dropped"], 0, "{result}");
    assert_eq!(block["peak_depth"], capacity, "{result}");
    assert!(
        block["producer_blocked_ms"].as_f64().unwrap_or(0.0) > 0.0,
        "{result}"
    );
    assert!(
        number(&block, "produced") < number(&unbounded, "produced"),
        "the blocked producer fell behind its rate: {result}"
    );
    let long = long_tasks(browser).await;
    assert!(long.is_empty(), "long tasks: {long:?}");
    browser
        .assert_console_clean_but("backpressure", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn the_stepper_runs_its_programs_in_the_event_loops_order() {
    let reader = Reader::start(Site::Root, Hosting::UNISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("concurrency-models").await;
    let result = browser.run_widget("event-loop-stepper", 10).await;
    assert_eq!(result["program"], "timers-and-promises", "{result}");
    assert_eq!(
        result["output"],
        serde_json::json!([
            "1: script start",
            "2: script end",
            "3: promise",
            "4: timeout"
        ]),
        "{result}"
    );

    // The async program, one step at a time, and one step back.
    browser
        .eval(
            "const select = document.querySelector('#stepper-program');
             select.selectedIndex = 1;
             select.dispatchEvent(new Event('change', { bubbles: true }));
             return null;",
        )
        .await;
    let step = "[data-widget=event-loop-stepper] button:nth-of-type(2)";
    for _ in 0..5 {
        browser.click(step).await;
    }
    let note = browser
        .wait_for("[data-widget=event-loop-stepper] .stepper-note", 5)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(note.contains("load awaits"), "step 5 is the await: {note}");
    let microtasks = browser
        .eval("return document.querySelector('[data-widget=event-loop-stepper] [aria-label=\"Microtask queue\"] ol').innerText.trim()")
        .await;
    assert_eq!(microtasks, "resume load", "{microtasks}");
    browser
        .click("[data-widget=event-loop-stepper] button:nth-of-type(3)")
        .await;
    let note = browser
        .wait_for("[data-widget=event-loop-stepper] .stepper-note", 5)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(note.starts_with("Step 4 of"), "{note}");
    browser
        .assert_console_clean_but("the stepper", host.expected_errors())
        .await;
    reader.finish().await;
}

#[tokio::test]
async fn the_chat_room_restarts_its_failed_actor_and_the_slow_mailbox_grows() {
    let reader = Reader::start(Site::Root, Hosting::UNISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("concurrency-models").await;
    // Watch from the moment the widget is there: loading the widgets
    // module is not what this measures.
    browser.wait_for("[data-widget=actors] button", 20).await;
    watch_long_tasks(browser).await;
    let result = browser.run_widget("actors", 90).await;
    assert_eq!(result["users"], 1000, "{result}");
    assert_eq!(result["deliveries_expected"], 100_000, "{result}");
    let handled = result["handled"].as_u64().unwrap_or(0);
    let lost = result["lost"].as_u64().unwrap_or(0);
    assert_eq!(
        handled + lost,
        100_000,
        "every delivery accounted for: {result}"
    );
    assert_eq!(
        result["failures"], 4,
        "messages 25, 50, 75 and 100: {result}"
    );
    assert_eq!(result["restarts"], result["failures"], "{result}");
    assert!(
        number(&result, "slow_peak_depth") > number(&result, "typical_peak_depth"),
        "{result}"
    );
    let long = long_tasks(browser).await;
    assert!(long.is_empty(), "long tasks: {long:?}");

    // A long chat (500 messages, one every 100 ms) stops on Cancel.
    for (id, value) in [("actors-messages", "500"), ("actors-interval", "100")] {
        browser.set_number(id, value).await;
    }
    browser.click("[data-widget=actors] button").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    browser
        .click("[data-widget=actors] button:nth-of-type(2)")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-widget=actors] .widget-output').textContent.trim() === 'Stopped.'",
            "Cancel stops the chat",
        )
        .await;
    let as_error = browser
        .eval("return document.querySelector('[data-widget=actors] .error') !== null")
        .await;
    assert_eq!(as_error, false, "a stop the reader asked for is no error");
    browser
        .assert_console_clean_but("the chat room", host.expected_errors())
        .await;
    reader.finish().await;
}
