//! `cargo xtask bench`: the same kernels natively and in the browser, in one
//! table. It measures and prints; it never fails on speed.

use std::path::Path;
use std::process::Command;

use concurrency_book::compute::kernel::Strategy;
use concurrency_book::compute::measure::{Sweep, SweepPoint};
use concurrency_book::compute::simd::lab::KernelResult;

use crate::tools::{self, BuildTools};
use crate::{root, run, site, Result};

pub fn bench(native_sweep: bool) -> Result {
    let tools = tools::ensure_build_tools()?;
    let browser = tools::ensure_browser()?;
    let root = root();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);

    println!("xtask: [1/3] native: every kernel sequentially and on {threads} rayon threads");
    let native = native_sweeps(&tools, &root, threads, false)?;
    let native_simd: Vec<KernelResult> = native_lines(&tools, &root, threads, &["--simd"])?;

    println!("xtask: [2/3] release site");
    let site_dir = root.join("target").join("bench-site");
    site::build(&tools, "/", &site_dir)?;

    println!("xtask: [3/3] headless Chromium: the book's full sweep on its worker pool");
    let out = root.join("target").join("bench-wasm.json");
    let _ = std::fs::remove_file(&out);
    run(browser.configure(
        tools
            .cargo(&root)
            .args([
                "test",
                "--release",
                "--features",
                "e2e",
                "--test",
                "browser-bench",
                "--",
                "--nocapture",
            ])
            .env("BOOK_SITE_ROOT", &site_dir)
            .env("BENCH_OUT", &out),
    ))?;
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?,
    )
    .map_err(|e| format!("the browser's figures are not JSON: {e}"))?;
    let wasm: Vec<Sweep> = serde_json::from_value(report["sweeps"].clone())
        .map_err(|e| format!("the browser's sweeps do not parse: {e}"))?;

    println!(
        "\nMachine: {threads} threads available natively; browser: hardwareConcurrency {}, pool {} ({})\n",
        report["hardware_concurrency"], report["pool_threads"], report["user_agent"].as_str().unwrap_or("?")
    );
    println!("| kernel | size | native seq ms | native par ms | wasm seq ms | wasm par ms | wasm/native (1 thread) | speedup (wasm) | efficiency (wasm) | threads |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for sweep in &wasm {
        let Some(wasm_par) = sweep.points.last() else {
            continue;
        };
        let native_sweep = native
            .iter()
            .find(|n| n.request == sweep.request && same_split(n.strategy, sweep.strategy));
        let native_par = native_sweep.and_then(|n| n.points.last());
        let native_seq = native_sweep.map(|n| n.sequential.median_ms);
        println!(
            "| {}{} | {} | {} | {} | {:.1} | {:.1} | {} | {:.2} | {:.2} | {} |",
            sweep.request.kernel.id(),
            if matches!(sweep.strategy, Strategy::StaticChunks { .. }) {
                " (static)"
            } else {
                ""
            },
            sweep.request.kernel.describe(sweep.request.size),
            native_seq.map_or("-".into(), |ms| format!("{ms:.1}")),
            native_par.map_or("-".into(), |p: &SweepPoint| format!("{:.1}", p.median_ms)),
            sweep.sequential.median_ms,
            wasm_par.median_ms,
            native_seq.map_or("-".into(), |ms| format!(
                "{:.2}",
                sweep.sequential.median_ms / ms
            )),
            wasm_par.speedup,
            wasm_par.efficiency,
            wasm_par.threads,
        );
    }
    println!("\nMedians of 5 timed runs after a warm-up; every parallel result was checked against the sequential one first.");
    simd_table(&native_simd, &report["simd"])?;
    lab_tables(&report["lab"]);
    println!("\nFirst page:");
    crate::budget::first_page(&site_dir, "/")?.print("first page", crate::budget::FIRST_PAGE_LIMIT);
    println!(
        "  first contentful paint in headless Chromium on localhost: {} ms",
        report["first_contentful_paint_ms"]
    );

    if native_sweep {
        println!("\nNative speedup curves, 1..{threads} threads:\n");
        for sweep in native_sweeps(&tools, &root, threads, true)? {
            let curve: Vec<String> = sweep
                .points
                .iter()
                .map(|p| format!("{}:{:.2}", p.threads, p.speedup))
                .collect();
            println!(
                "- {} {:?}: seq {:.1} ms; speedup {}; Amdahl serial fraction {}",
                sweep.request.kernel.id(),
                sweep.strategy,
                sweep.sequential.median_ms,
                curve.join(" "),
                sweep
                    .serial_fraction
                    .map_or("-".into(), |s| format!("{s:.3}"))
            );
        }
    }
    Ok(())
}

fn same_split(a: Strategy, b: Strategy) -> bool {
    matches!(a, Strategy::StaticChunks { .. }) == matches!(b, Strategy::StaticChunks { .. })
}

/// Runs the native bench's lab and parses its sweeps.
fn native_sweeps(
    tools: &BuildTools,
    root: &Path,
    threads: usize,
    sweep: bool,
) -> Result<Vec<Sweep>> {
    native_lines(tools, root, threads, if sweep { &["--sweep"] } else { &[] })
}

/// Runs the native bench with `flags` and parses its JSON lines.
fn native_lines<T: serde::de::DeserializeOwned>(
    tools: &BuildTools,
    root: &Path,
    threads: usize,
    flags: &[&str],
) -> Result<Vec<T>> {
    let mut command: Command = tools.cargo(root);
    command.args([
        "bench",
        "--bench",
        "native",
        "--",
        "--json",
        "--threads",
        &threads.to_string(),
    ]);
    command.args(flags);
    crate::output(&mut command)?
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).map_err(|e| format!("bad bench line ({e}): {line}")))
        .collect()
}

/// Scalar and SIMD, on one thread and on all, natively and in the browser,
/// then the GPU's row where the browser had an adapter.
fn simd_table(native: &[KernelResult], browser: &serde_json::Value) -> Result {
    let wasm: Vec<KernelResult> = serde_json::from_value(browser["kernels"].clone())
        .map_err(|e| format!("the browser's SIMD figures do not parse: {e}"))?;
    println!(
        "\nSIMD: native {} against the browser's {}\n",
        concurrency_book::compute::simd::lanes::INSTRUCTIONS,
        browser["simd_instructions"].as_str().unwrap_or("?")
    );
    println!("| kernel | size | way | native ms | native speedup | wasm ms | wasm speedup |");
    println!("|---|---|---|---|---|---|---|");
    for kernel in &wasm {
        let native = native
            .iter()
            .find(|n| n.kernel == kernel.kernel && n.size == kernel.size);
        for way in &kernel.ways {
            let twin = native.and_then(|n| {
                n.ways
                    .iter()
                    .find(|w| w.lanes == way.lanes && (w.threads == 1) == (way.threads == 1))
            });
            println!(
                "| {} | {} | {}, {} thread(s) | {} | {} | {:.1} | {:.2} |",
                kernel.kernel.label(),
                kernel.size,
                way.lanes.label(),
                way.threads,
                twin.map_or("-".into(), |w| format!("{:.1}", w.median_ms)),
                twin.map_or("-".into(), |w| format!("{:.2}", w.speedup)),
                way.median_ms,
                way.speedup,
            );
        }
    }
    let gpu = &browser["gpu"];
    if gpu.is_object() {
        println!(
            "| Mandelbrot set (f32) | {} | GPU ({}): compute / with copy back | - | - | {} / {} | {} / {} |",
            gpu["width"],
            gpu["adapter"].as_str().unwrap_or("?"),
            gpu["compute_ms"]["median_ms"],
            gpu["total_ms"]["median_ms"],
            gpu["speedup_compute"],
            gpu["speedup_total"],
        );
        println!(
            "\nThe GPU's counts equal the CPU's at {} of the pixels. A SwiftShader adapter is a GPU emulated on the CPU: its time is not a GPU's.",
            gpu["equal_pixels"]
        );
    } else {
        println!(
            "\nNo GPU row: {}",
            browser["gpu_unavailable"].as_str().unwrap_or("no figure")
        );
    }
    Ok(())
}

/// The concurrency lab's runs as the widgets reported them, and how many
/// met the lab's two targets: an event-loop lag p99 under 16 ms (one frame)
/// with 10,000 clients on async handlers, and the pool at least 1.8 times
/// as fast as the frozen main thread on the same count.
fn lab_tables(lab: &serde_json::Value) {
    let runs = |key: &str| lab[key].as_array().cloned().unwrap_or_default();
    let ms = |value: &serde_json::Value| value.as_f64().map_or("-".into(), |v| format!("{v:.1}"));
    let times =
        |value: &serde_json::Value| value.as_f64().map_or("-".into(), |v| format!("{v:.2}x"));
    let server_async = runs("server_async");
    let first = server_async.first().cloned().unwrap_or_default();
    println!("\nConcurrency lab: the one-thread server, each run the widget's own (simulated I/O {} ms ± {} %, think time up to {} ms)\n",
        first["io"]["mean_ms"], first["io"]["spread"].as_f64().map_or(0.0, |s| s * 100.0), first["think_ms"]);
    println!("| clients | CPU ms a request, on the loop | requests in {} s | latency p50 / p99 ms | event-loop lag p50 / p99 / max ms (probes) |", first["seconds"]);
    println!("|---|---|---|---|---|");
    for run in server_async.iter().chain(&runs("server_cpu")) {
        let (latency, lag) = (&run["latency"], &run["event_loop_lag"]);
        println!(
            "| {} | {} | {} | {} / {} | {} / {} / {} ({}) |",
            run["clients"],
            run["cpu_ms"],
            run["requests"],
            ms(&latency["p50_ms"]),
            ms(&latency["p99_ms"]),
            ms(&lag["p50_ms"]),
            ms(&lag["p99_ms"]),
            ms(&lag["max_ms"]),
            lag["samples"],
        );
    }
    let lag_met = server_async
        .iter()
        .filter(|run| {
            run["event_loop_lag"]["p99_ms"]
                .as_f64()
                .is_some_and(|p99| p99 < 16.0)
        })
        .count();
    println!(
        "\n10,000 clients on async handlers: lag p99 under 16 ms in {lag_met} of {} runs.",
        server_async.len()
    );

    let three_ways = runs("three_ways");
    let first = three_ways.first().cloned().unwrap_or_default();
    println!(
        "\nConcurrency lab: one workload three ways ({} numbers; pool of {} threads; medians of the widget's repetitions, frames missed in the worst)\n",
        first["numbers"], first["pool_threads"],
    );
    println!("| (a) one go ms, missed | (b) sliced ms, missed | (c) pool ms, missed | (c) speedup over (a) | (c) with the dot stopped ms | its speedup |");
    println!("|---|---|---|---|---|---|");
    for run in &three_ways {
        let way = |key: &str| format!("{}, {}", ms(&run[key]["ms"]), run[key]["dropped_frames"]);
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            way("one_go"),
            way("sliced"),
            way("pool"),
            times(&run["pool_speedup"]),
            ms(&run["pool_quiet"]["ms"]),
            times(&run["pool_quiet_speedup"]),
        );
    }
    let at_least = |key: &str| {
        three_ways
            .iter()
            .filter(|run| run[key].as_f64().is_some_and(|x| x >= 1.8))
            .count()
    };
    println!(
        "\nThe pool at least 1.8x the one go: {} of {} runs with the dot moving, {} with it stopped.",
        at_least("pool_speedup"),
        three_ways.len(),
        at_least("pool_quiet_speedup"),
    );
}
