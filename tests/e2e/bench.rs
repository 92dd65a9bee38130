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

use concurrency_book::content::book;
use concurrency_book::content::directive::WidgetKind;
use concurrency_book::content::markdown::{self, Block};

use browser::Browser;
use server::{Hosting, StaticHost};

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

    result["lab"] = measure_the_concurrency_lab(&host).await;
    std::fs::write(&out, result.to_string()).expect("write BENCH_OUT");
}

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
