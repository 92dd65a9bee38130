//! The browser half of `cargo xtask bench`: the book's own full-sweep widget
//! and §9's SIMD and GPU widget (with Chromium's WebGPU on), run in headless
//! Chromium on the release site, their figures written to `BENCH_OUT` for
//! xtask to put beside the native ones. It checks correctness (every kernel
//! ran, on several threads), never speed.

// Shared with the end-to-end tests; the bench uses only part of them.
#[allow(dead_code)]
mod browser;
#[allow(dead_code)]
mod cpu_time;
#[allow(dead_code)]
mod server;

use std::path::PathBuf;
use std::time::Duration;

use concurrency_book::content::book;
use concurrency_book::content::directive::WidgetKind;
use concurrency_book::content::markdown::{self, Block};

use browser::Browser;
use server::{Hosting, StaticHost};

/// How long one browser session may last: the full sweep alone may take
/// 20 minutes on a slow machine (see `run_widget` below).
const BROWSER_SESSION_LIMIT: Duration = Duration::from_secs(30 * 60);

#[tokio::test]
async fn measure_every_kernel_in_chromium() {
    let site = std::env::var_os("BOOK_SITE_ROOT")
        .map(PathBuf::from)
        .expect("BOOK_SITE_ROOT: run `cargo xtask bench`");
    let out = std::env::var_os("BENCH_OUT")
        .map(PathBuf::from)
        .expect("BENCH_OUT: run `cargo xtask bench`");
    let page = book()
        .pages()
        .iter()
        .find(|page| {
            markdown::render(page.source, "/")
                .iter()
                .any(|b| matches!(b, Block::Widget(w) if w.kind == WidgetKind::SpeedupSweep))
        })
        .expect("a page holds the speedup-sweep widget");
    let host = StaticHost::start(&site, "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    // A fresh load of the front page, for the first-paint figure.
    browser.open(&format!("{}/", host.origin)).await;
    let paint = browser
        .eval("const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? Math.round(p.startTime) : null")
        .await;
    browser
        .open(&format!("{}/{}/", host.origin, page.slug))
        .await;
    let mut result = browser.run_widget("speedup-sweep", 1200).await;
    assert!(
        result["fallback"].is_null(),
        "the bench page is isolated: {result}"
    );
    assert!(
        result["sweeps"].as_array().map_or(0, Vec::len) >= 5,
        "{result}"
    );
    result["first_contentful_paint_ms"] = paint;
    browser.assert_clean_console("the bench").await;
    browser.finish().await;

    let browser = Browser::start_with_webgpu().await;
    browser
        .open(&format!("{}/related-concepts/", host.origin))
        .await;
    let simd = browser.run_widget("simd-gpu", 600).await;
    assert!(
        simd["fallback"].is_null(),
        "the bench page is isolated: {simd}"
    );
    result["simd"] = simd;
    browser.assert_clean_console("the SIMD bench").await;
    browser.finish().await;

    result["litmus"] = count_the_litmus_outcomes(&host).await;
    result["lab"] = measure_the_concurrency_lab(&host).await;
    result["first_text"] = measure_first_text(&site).await;
    std::fs::write(&out, result.to_string()).expect("write BENCH_OUT");
}

/// §11's litmus tests on two workers, at the native run's iterations: the
/// browser's counts for the table beside the native ones.
async fn count_the_litmus_outcomes(host: &StaticHost) -> serde_json::Value {
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/common-pitfalls/", host.origin))
        .await;
    browser.set_number("litmus-iterations", "1000000").await;
    let litmus = browser.run_widget("litmus-run", 600).await;
    assert!(litmus["problem"].is_null(), "{litmus}");
    browser.assert_clean_console("the litmus bench").await;
    browser.finish().await;
    litmus
}

/// How many cold loads each first-text figure is the median of.
const LOADS: usize = 5;

/// The page the first-text figures load: §11, long, with widgets.
const FIRST_TEXT_PAGE: &str = "common-pitfalls";

/// Chromium's "slow 4G" network profile: 1.6 Mbit/s down, 750 kbit/s up,
/// 150 ms round trips.
const SLOW_4G: (f64, f64, f64) = (1.6e6 / 8.0, 750e3 / 8.0, 150.0);

/// When the text paints, side by side: the pages as served (text first),
/// and the same build served with empty pages, as every page was before it
/// held its text (the app paints it once the WebAssembly runs); on
/// localhost and under the slow-4G profile; and text first with the
/// WebAssembly never answered. Each figure: the median, least and most of
/// [`LOADS`] cold loads (cache off, no service worker).
async fn measure_first_text(site: &std::path::Path) -> serde_json::Value {
    let mut rows = Vec::new();
    for network in ["localhost", "slow 4G"] {
        for served in ["text first", "empty page, app paints"] {
            rows.push(first_text(site, network, served, false).await);
        }
    }
    rows.push(first_text(site, "slow 4G", "text first", true).await);
    serde_json::Value::Array(rows)
}

/// One row of [`measure_first_text`].
async fn first_text(
    site: &std::path::Path,
    network: &str,
    served: &str,
    wasm_never_answered: bool,
) -> serde_json::Value {
    let host = StaticHost::start(site, "/", Hosting::HEADERS_ONLY);
    if served != "text first" {
        host.serve_without_text();
    }
    if wasm_never_answered {
        host.slow_down("_bg.wasm", std::time::Duration::from_secs(3600));
    }
    let browser = Browser::start().await;
    browser
        .devtools("Network.enable", serde_json::json!({}))
        .await;
    browser
        .devtools(
            "Network.setCacheDisabled",
            serde_json::json!({ "cacheDisabled": true }),
        )
        .await;
    if network == "slow 4G" {
        let (down, up, latency) = SLOW_4G;
        browser
            .devtools(
                "Network.emulateNetworkConditions",
                serde_json::json!({
                    "offline": false,
                    "latency": latency,
                    "downloadThroughput": down,
                    "uploadThroughput": up,
                }),
            )
            .await;
    }
    let url = format!("{}/{FIRST_TEXT_PAGE}/", host.origin);
    let mut loads = Vec::new();
    for _ in 0..LOADS {
        browser
            .client
            .goto("about:blank")
            .await
            .expect("a blank page");
        // Not `goto`: it would wait for the load event, which a held-back
        // WebAssembly preload never lets happen.
        browser
            .eval(&format!("location.href = {url:?}; return null"))
            .await;
        let done = if wasm_never_answered {
            // The text, with the app still waiting for its module.
            "document.querySelector('#static-book article.page h2') && performance.now() > 3000"
        } else {
            "document.querySelector('.book:not(#static-book) article.page h2') && !document.getElementById('static-book')"
        };
        browser.wait_until_within(done, "the page's text", 60).await;
        // Layout shifts and the largest paint are reported a frame later.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        loads.push(browser.eval(LOAD_FIGURES).await);
    }
    // The host serves no service worker (each load is cold), which Chromium
    // reports; the held-back module is the point of one row.
    let expected: Vec<&str> = host
        .expected_errors()
        .iter()
        .copied()
        .chain(["_bg.wasm"])
        .collect();
    browser.assert_console_clean_but(&url, &expected).await;
    browser.finish().await;
    let figure = |name: &str| {
        let mut values: Vec<f64> = loads.iter().filter_map(|l| l[name].as_f64()).collect();
        values.sort_by(f64::total_cmp);
        match values.len() {
            0 => serde_json::Value::Null,
            n => serde_json::json!({
                "median": values[n / 2],
                "least": values[0],
                "most": values[n - 1],
            }),
        }
    };
    serde_json::json!({
        "network": network,
        "served": served,
        "wasm_never_answered": wasm_never_answered,
        "loads": loads.len(),
        "first_contentful_paint_ms": figure("fcp"),
        "largest_contentful_paint_ms": figure("lcp"),
        "take_over_ms": figure("take_over"),
        "layout_shift": figure("cls"),
        "bytes_before_first_text": loads.first().map_or(serde_json::Value::Null, |l| l["text_bytes"].clone()),
    })
}

/// The load's figures, read in the page: first contentful paint, the last
/// largest contentful paint, the take-over's mark, the layout shift so far,
/// and the bytes of the HTML and the style sheets (what the text needs).
const LOAD_FIGURES: &str = "return new Promise(done => {
    const figures = {};
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    figures.fcp = paint ? paint.startTime : null;
    const mark = performance.getEntriesByName('book-take-over')[0];
    figures.take_over = mark ? mark.startTime : null;
    const navigation = performance.getEntriesByType('navigation')[0];
    figures.text_bytes = (navigation ? navigation.encodedBodySize : 0) + performance
        .getEntriesByType('resource')
        .filter(r => r.initiatorType === 'link' && r.name.endsWith('.css') || r.name.includes('/boot-'))
        .reduce((sum, r) => sum + r.encodedBodySize, 0);
    figures.cls = 0;
    const shifts = new PerformanceObserver(list => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) figures.cls += e.value;
    });
    shifts.observe({type: 'layout-shift', buffered: true});
    const largest = new PerformanceObserver(list => {
        const entries = list.getEntries();
        figures.lcp = entries[entries.length - 1].startTime;
    });
    largest.observe({type: 'largest-contentful-paint', buffered: true});
    setTimeout(() => { shifts.disconnect(); largest.disconnect(); done(figures); }, 200);
})";

/// How many times each of the concurrency lab's measured runs is repeated.
const LAB_RUNS: usize = 3;

/// The concurrency lab's two measured claims, on a browser of their own (no
/// WebGPU switch): the one-thread server's event-loop lag with 10,000
/// clients on async handlers and with CPU work on the loop, and the one
/// workload run three ways. Each run is the widget's own, as a reader
/// starts it, and its `data-result` is kept whole.
async fn measure_the_concurrency_lab(host: &StaticHost) -> serde_json::Value {
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/practical-example-web-server/", host.origin))
        .await;
    let mut server_async = Vec::new();
    browser.set_number("server-clients", "10000").await;
    for _ in 0..LAB_RUNS {
        server_async.push(browser.run_widget("one-thread-server", 120).await);
    }
    let mut server_cpu = Vec::new();
    browser.set_number("server-clients", "1000").await;
    for cpu_ms in ["1", "2", "5"] {
        browser.set_number("server-cpu", cpu_ms).await;
        server_cpu.push(browser.run_widget("one-thread-server", 120).await);
    }
    for run in server_async.iter().chain(&server_cpu) {
        assert!(run["requests"].as_u64().unwrap_or(0) > 0, "{run}");
    }

    browser
        .open(&format!("{}/system-design-impact/", host.origin))
        .await;
    let mut three_ways = Vec::new();
    for _ in 0..LAB_RUNS {
        let run = browser.run_widget("one-workload-three-ways", 240).await;
        assert!(
            run["pool_fallback"].is_null(),
            "the bench page is isolated: {run}"
        );
        three_ways.push(run);
    }
    browser.assert_clean_console("the lab bench").await;
    browser.finish().await;
    serde_json::json!({
        "server_async": server_async,
        "server_cpu": server_cpu,
        "three_ways": three_ways,
    })
}
