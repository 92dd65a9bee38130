//! End-to-end: §9's SIMD and GPU widget. With isolation every CPU way runs
//! and agrees with the scalar result; with Chromium's software WebGPU the
//! GPU's image matches the CPU's; without WebGPU, or without the pool, the
//! widget says why and measures what it can.

use serde_json::Value;

use super::browser::{Browser, Engine};
use super::server::{Hosting, StaticHost};
use super::{number, page_url, site, Reader, Site};

/// The way of `kernel` with `lanes` on `threads` threads.
fn way<'a>(kernel: &'a Value, lanes: &str, threads: u64) -> &'a Value {
    kernel["ways"]
        .as_array()
        .and_then(|ways| {
            ways.iter()
                .find(|w| w["lanes"] == lanes && w["threads"] == threads)
        })
        .unwrap_or_else(|| panic!("no {lanes} way on {threads} threads: {kernel}"))
}

#[tokio::test]
async fn the_four_cpu_ways_run_and_without_webgpu_the_gpu_row_says_why() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("related-concepts").await;
    let result = browser.run_widget("simd-gpu", 240).await;
    assert!(result["fallback"].is_null(), "{result}");
    assert_eq!(
        result["simd_instructions"], "WebAssembly simd128",
        "{result}"
    );
    let pool = result["pool_threads"].as_u64().unwrap_or(0);
    assert!(pool >= 2, "{result}");
    let kernels = result["kernels"].as_array().expect("kernels");
    assert_eq!(kernels.len(), 2, "{result}");
    for kernel in kernels {
        assert_eq!(way(kernel, "scalar", 1)["speedup"], 1.0, "{kernel}");
        for (lanes, threads) in [("simd", 1), ("scalar", pool), ("simd", pool)] {
            let w = way(kernel, lanes, threads);
            assert!(w["median_ms"].as_f64().unwrap_or(0.0) > 0.0, "{w}");
            assert_eq!(w["threads_seen"], threads, "{w}");
        }
    }
    assert!(result["simd_speedup"].as_f64().is_some(), "{result}");
    assert!(result["gpu"].is_null(), "--disable-gpu: {result}");
    assert!(
        result["gpu_unavailable"]
            .as_str()
            .is_some_and(|why| why.contains("adapter") || why.contains("WebGPU")),
        "{result}"
    );
    browser.assert_clean_console("the SIMD widget").await;
    reader.finish().await;
}

#[tokio::test]
async fn with_webgpu_the_gpu_image_matches_the_cpu_image() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start_with_webgpu().await;
    browser
        .open(&page_url(&host.origin, "/", "related-concepts"))
        .await;
    // Small sizes: SwiftShader emulates the GPU on the CPU.
    for (field, size) in [("simd-gpu-mandelbrot", "160"), ("simd-gpu-matmul", "64")] {
        browser.set_number(field, size).await;
    }
    let result = browser.run_widget("simd-gpu", 240).await;
    let gpu = &result["gpu"];
    if !gpu.is_object() && browser.engine != Engine::Chromium {
        // Only Chromium has a switch for a software adapter here; the others
        // must say why there is no GPU row, and draw the CPU's picture alone.
        assert!(result["gpu_unavailable"].as_str().is_some(), "{result}");
        browser.assert_clean_console("the GPU row").await;
        browser.finish().await;
        return;
    }
    assert!(gpu.is_object(), "{result}");
    assert_eq!(gpu["width"], 160, "{result}");
    assert!(
        gpu["equal_pixels"].as_f64().unwrap_or(0.0) >= 0.99,
        "the GPU's counts agree with the CPU's: {gpu}"
    );
    assert!(
        gpu["compute_ms"]["median_ms"].as_f64().unwrap_or(0.0) > 0.0,
        "{gpu}"
    );
    assert!(
        number(&gpu["total_ms"], "median_ms") >= number(&gpu["compute_ms"], "median_ms"),
        "{gpu}"
    );
    assert!(result["gpu_unavailable"].is_null(), "{result}");
    let images = browser
        .eval("return document.querySelectorAll('[data-widget=simd-gpu] canvas').length")
        .await;
    assert_eq!(images, 2, "the CPU's and the GPU's pictures");
    browser.assert_clean_console("the GPU row").await;
    browser.finish().await;
}

#[tokio::test]
async fn without_the_pool_simd_is_still_measured_on_one_thread() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("related-concepts").await;
    let result = browser.run_widget("simd-gpu", 120).await;
    assert!(
        result["fallback"]
            .as_str()
            .is_some_and(|why| why.contains("cross-origin isolated")),
        "{result}"
    );
    assert_eq!(result["pool_threads"], 1, "{result}");
    for kernel in result["kernels"].as_array().expect("kernels") {
        assert_eq!(kernel["ways"].as_array().map(Vec::len), Some(2), "{kernel}");
        assert!(
            way(kernel, "simd", 1)["median_ms"].as_f64().unwrap_or(0.0) > 0.0,
            "{kernel}"
        );
    }
    let text = browser
        .eval("return document.querySelector('[data-widget=simd-gpu] .fallback').textContent")
        .await;
    assert!(
        text.as_str().is_some_and(|t| t.contains("one thread")),
        "{text}"
    );
    browser
        .assert_console_clean_but("the SIMD widget without isolation", host.expected_errors())
        .await;
    reader.finish().await;
}
