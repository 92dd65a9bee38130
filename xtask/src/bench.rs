//! `cargo xtask bench`: the same kernels natively and in the browser, in one
//! table. It measures and prints; it never fails on speed. With `--write` the
//! report also replaces the generated half of `docs/measurements.md`, so the
//! figures there always come from a real run, never from a hand.

use std::path::Path;
use std::process::Command;

use book_compute::kernel::Strategy;
use book_compute::measure::{Sweep, SweepPoint};
use book_compute::simd::lab::KernelResult;

use crate::tools::{self, BuildTools};
use crate::{root, run, site, Result};

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Add the native speedup curves at 1..N threads.
    pub sweep: bool,
    /// Write the report into `docs/measurements.md` (curves included).
    pub write: bool,
    /// Only the native litmus tests (with `--write`, only their file).
    pub litmus: bool,
}

impl Options {
    /// Reads `--sweep`, `--write` and `--litmus`; anything else is refused.
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self::default();
        for arg in args {
            match arg.as_str() {
                "--sweep" => options.sweep = true,
                "--write" => options.write = true,
                "--litmus" => options.litmus = true,
                other => return Err(format!("bench: unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// The report's lines: printed as they come, kept for `--write`.
#[derive(Default)]
struct Report {
    text: String,
}

impl Report {
    fn line(&mut self, line: impl AsRef<str>) {
        println!("{}", line.as_ref());
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }
}

/// Where the written report goes, and the line above which the file is prose.
const MEASUREMENTS: &str = "docs/measurements.md";
const GENERATED_BELOW: &str =
    "<!-- Everything below this line is written by `cargo xtask bench --write`. -->";

pub fn bench(options: Options) -> Result {
    let native_sweep = options.sweep || options.write;
    let mut out = Report::default();
    let tools = tools::ensure_build_tools()?;
    let browser = tools::ensure_browser()?;
    let root = root();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if options.litmus {
        println!("xtask: native litmus tests on two pinned threads");
        let rows = crate::litmus::native(&tools, &root)?;
        for line in crate::litmus::table(&rows, None) {
            println!("{line}");
        }
        return if options.write {
            crate::litmus::write(&root, &rows)
        } else {
            Ok(())
        };
    }

    println!("xtask: [1/3] native: every kernel sequentially and on {threads} rayon threads, and the litmus tests");
    let native = native_sweeps(&tools, &root, threads, false)?;
    let native_simd: Vec<KernelResult> = native_lines(&tools, &root, threads, &["--simd"])?;
    let native_litmus = crate::litmus::native(&tools, &root)?;

    println!("xtask: [2/3] release site");
    let site_dir = root.join("target").join("bench-site");
    site::build(&tools, &site::Addresses::at("/"), &site_dir)?;

    println!("xtask: [3/3] headless Chromium: the book's full sweep on its worker pool");
    let figures = root.join("target").join("bench-wasm.json");
    let _ = std::fs::remove_file(&figures);
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
            .env("BENCH_OUT", &figures),
    ))?;
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&figures)
            .map_err(|e| format!("cannot read {}: {e}", figures.display()))?,
    )
    .map_err(|e| format!("the browser's figures are not JSON: {e}"))?;
    let wasm: Vec<Sweep> = serde_json::from_value(report["sweeps"].clone())
        .map_err(|e| format!("the browser's sweeps do not parse: {e}"))?;

    out.line(heading(&root, threads));
    out.line(format!(
        "\nMachine: {threads} threads available natively; browser: hardwareConcurrency {}, pool {} ({})\n\n### The parallelism lab, natively and in the browser\n",
        report["hardware_concurrency"], report["pool_threads"], report["user_agent"].as_str().unwrap_or("?")
    ));
    out.line("| kernel | size | native seq ms | native par ms | wasm seq ms | wasm par ms | wasm/native (1 thread) | speedup (wasm) | efficiency (wasm) | threads |");
    out.line("|---|---|---|---|---|---|---|---|---|---|");
    for sweep in &wasm {
        let Some(wasm_par) = sweep.points.last() else {
            continue;
        };
        let native_sweep = native
            .iter()
            .find(|n| n.request == sweep.request && same_split(n.strategy, sweep.strategy));
        let native_par = native_sweep.and_then(|n| n.points.last());
        let native_seq = native_sweep.map(|n| n.sequential.median_ms);
        out.line(format!(
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
        ));
    }
    out.line("\nMedians of 5 timed runs after a warm-up; every parallel result was checked against the sequential one first.");
    simd_table(&mut out, &native_simd, &report["simd"])?;
    out.line("\n### Litmus tests: how often each outcome came, natively and in the browser\n");
    out.line("Natively: two rayon threads pinned to two logical CPUs where the OS allows. In the browser: two workers of the pool. Each row's four counts are of (r0, r1) = (0,0), (0,1), (1,0), (1,1).\n");
    for line in crate::litmus::table(&native_litmus, Some(&report["litmus"])) {
        out.line(line);
    }
    lab_tables(&mut out, &report["lab"]);
    out.line("\n### The release site\n");
    let weights = crate::budget::first_page(&site_dir, "/")?
        .lines("first page", crate::budget::FIRST_PAGE_LIMIT)
        .into_iter()
        .chain(
            crate::budget::widgets_module(&site_dir)?
                .lines("widgets module", crate::budget::WIDGETS_MODULE_LIMIT),
        );
    for line in weights {
        out.line(format!("- {}", line.trim()));
    }
    out.line(format!(
        "- first contentful paint in headless Chromium on localhost: {} ms",
        report["first_contentful_paint_ms"]
    ));
    first_text_table(&mut out, &report["first_text"], &site_dir)?;

    if native_sweep {
        out.line(format!(
            "\n### Native speedup curves, 1..{threads} threads\n"
        ));
        for sweep in native_sweeps(&tools, &root, threads, true)? {
            let curve: Vec<String> = sweep
                .points
                .iter()
                .map(|p| format!("{}:{:.2}", p.threads, p.speedup))
                .collect();
            out.line(format!(
                "- {}, {}: seq {:.1} ms; speedup {}; Amdahl serial fraction {}",
                sweep.request.kernel.id(),
                if matches!(sweep.strategy, Strategy::StaticChunks { .. }) {
                    "static chunks"
                } else {
                    "work stealing"
                },
                sweep.sequential.median_ms,
                curve.join(" "),
                sweep
                    .serial_fraction
                    .map_or("-".into(), |s| format!("{s:.3}"))
            ));
        }
    }
    if options.write {
        crate::litmus::write(&root, &native_litmus)?;
        let path = root.join(MEASUREMENTS);
        let doc = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        std::fs::write(&path, splice(&doc, &out.text)?)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("xtask: wrote the report into {MEASUREMENTS}");
    }
    Ok(())
}

/// The written report's heading: the day, the machine and the commit, so a
/// table is never read without what it was measured on.
fn heading(root: &Path, threads: usize) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]);
    // The report's own file is about to change: it does not count.
    let dirty = if git(&[
        "status",
        "--porcelain",
        "--",
        ".",
        &format!(":!{MEASUREMENTS}"),
    ])
    .is_empty()
    {
        ""
    } else {
        ", with uncommitted changes"
    };
    format!(
        "## {}: {}, {threads} threads, {} {}\n\nCommit {commit}{dirty}.",
        today(),
        this_cpu(),
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

/// This machine's processor, as a report names it.
pub(crate) fn this_cpu() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| cpu_model(&info))
        .unwrap_or_else(|| "an unnamed CPU".to_owned())
}

/// Today, as a report dates it (`YYYY-MM-DD`, UTC).
pub(crate) fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_date(days)
}

/// The processor's name from `/proc/cpuinfo`'s text.
fn cpu_model(info: &str) -> Option<String> {
    info.lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map(|(_, name)| name.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|name| !name.is_empty())
}

/// `days` since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days;
/// hand-written to keep a date crate out of the tooling for one line).
fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `doc` up to and including its [`GENERATED_BELOW`] line, then `report`.
fn splice(doc: &str, report: &str) -> Result<String> {
    let at = doc.find(GENERATED_BELOW).ok_or_else(|| {
        format!("{MEASUREMENTS} has lost its line {GENERATED_BELOW}: put it back where the generated tables begin")
    })?;
    Ok(format!(
        "{}\n\n{}\n",
        &doc[..at + GENERATED_BELOW.len()],
        report.trim()
    ))
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
fn simd_table(out: &mut Report, native: &[KernelResult], browser: &serde_json::Value) -> Result {
    let wasm: Vec<KernelResult> = serde_json::from_value(browser["kernels"].clone())
        .map_err(|e| format!("the browser's SIMD figures do not parse: {e}"))?;
    out.line(format!(
        "\n### SIMD: native {} against the browser's {}\n",
        book_compute::simd::lanes::INSTRUCTIONS,
        browser["simd_instructions"].as_str().unwrap_or("?")
    ));
    out.line("| kernel | size | way | native ms | native speedup | wasm ms | wasm speedup |");
    out.line("|---|---|---|---|---|---|---|");
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
            out.line(format!(
                "| {} | {} | {}, {} thread(s) | {} | {} | {:.1} | {:.2} |",
                kernel.kernel.label(),
                kernel.size,
                way.lanes.label(),
                way.threads,
                twin.map_or("-".into(), |w| format!("{:.1}", w.median_ms)),
                twin.map_or("-".into(), |w| format!("{:.2}", w.speedup)),
                way.median_ms,
                way.speedup,
            ));
        }
    }
    let gpu = &browser["gpu"];
    if gpu.is_object() {
        out.line(format!(
            "| Mandelbrot set (f32) | {} | GPU ({}): compute / with copy back | - | - | {} / {} | {} / {} |",
            gpu["width"],
            gpu["adapter"].as_str().unwrap_or("?"),
            gpu["compute_ms"]["median_ms"],
            gpu["total_ms"]["median_ms"],
            gpu["speedup_compute"],
            gpu["speedup_total"],
        ));
        out.line(format!(
            "\nThe GPU's counts equal the CPU's at {} of the pixels. A SwiftShader adapter is a GPU emulated on the CPU: its time is not a GPU's.",
            gpu["equal_pixels"]
        ));
    } else {
        out.line(format!(
            "\nNo GPU row: {}",
            browser["gpu_unavailable"].as_str().unwrap_or("no figure")
        ));
    }
    Ok(())
}

/// The concurrency lab's runs as the widgets reported them, and how many
/// met the lab's two targets: an event-loop lag p99 under 16 ms (one frame)
/// with 10,000 clients on async handlers, and the pool at least 1.8 times
/// as fast as the frozen main thread on the same count.
/// The first-text figures side by side (`tests/e2e/bench.rs`), and what the
/// text needs before it can paint: the page's HTML, the CSS and `boot.js`.
fn first_text_table(out: &mut Report, rows: &serde_json::Value, site: &Path) -> Result {
    out.line("\n### First text: §11 (common-pitfalls), cold loads in headless Chromium\n");
    out.line("| network | page served | first contentful paint ms | largest contentful paint ms | take-over ms | layout shift |");
    out.line("|---|---|---|---|---|---|");
    let figure = |value: &serde_json::Value, digits: usize| match value["median"].as_f64() {
        Some(median) => format!(
            "{median:.digits$} ({:.digits$}–{:.digits$})",
            value["least"].as_f64().unwrap_or(f64::NAN),
            value["most"].as_f64().unwrap_or(f64::NAN)
        ),
        None => "-".to_owned(),
    };
    for row in rows.as_array().map(Vec::as_slice).unwrap_or_default() {
        let served = match (row["served"].as_str(), row["wasm_never_answered"].as_bool()) {
            (Some(served), Some(true)) => format!("{served}, WebAssembly never answered"),
            (Some(served), _) => served.to_owned(),
            (None, _) => "-".to_owned(),
        };
        out.line(format!(
            "| {} | {served} | {} | {} | {} | {} |",
            row["network"].as_str().unwrap_or("-"),
            figure(&row["first_contentful_paint_ms"], 0),
            figure(&row["largest_contentful_paint_ms"], 0),
            figure(&row["take_over_ms"], 0),
            figure(&row["layout_shift"], 3),
        ));
    }
    let loads = rows[0]["loads"].as_u64().unwrap_or(0);
    out.line(format!(
        "\nMedian (least–most) of {loads} cold loads each: cache off, no service worker, \
         files served uncompressed. \
         \"Empty page, app paints\" is the same build served with every page's body \
         emptied, as pages were served before they held their text. Slow 4G is \
         Chromium's network emulation at 1.6 Mbit/s down, 750 kbit/s up, 150 ms round \
         trips. The take-over is the app replacing the page as served; the layout \
         shift is the sum of Chromium's layout-shift entries up to a moment after it."
    ));
    let page = crate::budget::first_text(site, "common-pitfalls", "/")?;
    out.line(format!(
        "\nBefore its first text §11 needs {} B gzip: {}.",
        page.gzip_total(),
        page.assets
            .iter()
            .map(|(name, _, gz)| format!("{name} {gz} B"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}

fn lab_tables(out: &mut Report, lab: &serde_json::Value) {
    let runs = |key: &str| lab[key].as_array().cloned().unwrap_or_default();
    let ms = |value: &serde_json::Value| value.as_f64().map_or("-".into(), |v| format!("{v:.1}"));
    let times =
        |value: &serde_json::Value| value.as_f64().map_or("-".into(), |v| format!("{v:.2}x"));
    let server_async = runs("server_async");
    let first = server_async.first().cloned().unwrap_or_default();
    out.line(format!("\n### Concurrency lab: the one-thread server, each run the widget's own (simulated I/O {} ms ± {} %, think time up to {} ms)\n",
        first["io"]["mean_ms"], first["io"]["spread"].as_f64().map_or(0.0, |s| s * 100.0), first["think_ms"]));
    out.line(format!("| clients | CPU ms a request, on the loop | requests in {} s | latency p50 / p99 ms | event-loop lag p50 / p99 / max ms (probes) |", first["seconds"]));
    out.line("|---|---|---|---|---|");
    for run in server_async.iter().chain(&runs("server_cpu")) {
        let (latency, lag) = (&run["latency"], &run["event_loop_lag"]);
        out.line(format!(
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
        ));
    }
    let lag_met = server_async
        .iter()
        .filter(|run| {
            run["event_loop_lag"]["p99_ms"]
                .as_f64()
                .is_some_and(|p99| p99 < 16.0)
        })
        .count();
    out.line(format!(
        "\n10,000 clients on async handlers: lag p99 under 16 ms in {lag_met} of {} runs.",
        server_async.len()
    ));

    let three_ways = runs("three_ways");
    let first = three_ways.first().cloned().unwrap_or_default();
    out.line(format!(
        "\n### Concurrency lab: one workload three ways ({} numbers; pool of {} threads; medians of the widget's repetitions, frames missed in the worst)\n",
        first["numbers"], first["pool_threads"],
    ));
    out.line("| (a) one go ms, missed | (b) sliced ms, missed | (c) pool ms, missed | (c) speedup over (a) | (c) with the dot stopped ms | its speedup |");
    out.line("|---|---|---|---|---|---|");
    for run in &three_ways {
        let way = |key: &str| format!("{}, {}", ms(&run[key]["ms"]), run[key]["dropped_frames"]);
        out.line(format!(
            "| {} | {} | {} | {} | {} | {} |",
            way("one_go"),
            way("sliced"),
            way("pool"),
            times(&run["pool_speedup"]),
            ms(&run["pool_quiet"]["ms"]),
            times(&run["pool_quiet_speedup"]),
        ));
    }
    let at_least = |key: &str| {
        three_ways
            .iter()
            .filter(|run| run[key].as_f64().is_some_and(|x| x >= 1.8))
            .count()
    };
    out.line(format!(
        "\nThe pool at least 1.8x the one go: {} of {} runs with the dot moving, {} with it stopped.",
        at_least("pool_speedup"),
        three_ways.len(),
        at_least("pool_quiet_speedup"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_replaces_only_what_is_below_the_line() {
        let doc = format!("# Measurements\n\nProse.\n\n{GENERATED_BELOW}\n\n## Old\n\n| a |\n");
        let written = splice(&doc, "\n## New\n\n| b |\n").expect("the line is there");
        assert_eq!(
            written,
            format!("# Measurements\n\nProse.\n\n{GENERATED_BELOW}\n\n## New\n\n| b |\n")
        );
        assert_eq!(
            splice(&written, "## New\n\n| b |").as_deref(),
            Ok(written.as_str())
        );
    }

    #[test]
    fn a_document_without_the_line_is_refused_not_overwritten() {
        let refused = splice("# Measurements\n\nHand-typed figures.\n", "## New");
        assert!(refused.is_err_and(|why| why.contains("has lost its line")));
    }

    #[test]
    fn the_date_is_the_calendar_day() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_792), "2026-12-05");
    }

    #[test]
    fn the_cpu_is_named_from_its_first_model_line() {
        let info =
            "processor\t: 0\nmodel name\t: AMD EPYC   9R14\nprocessor\t: 1\nmodel name\t: other\n";
        assert_eq!(cpu_model(info).as_deref(), Some("AMD EPYC 9R14"));
        assert_eq!(cpu_model("processor\t: 0\n"), None);
    }

    #[test]
    fn unknown_options_are_refused() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            Options::parse(&args(&["--write"])),
            Ok(Options {
                sweep: false,
                write: true,
                litmus: false,
            })
        );
        assert_eq!(
            Options::parse(&args(&["--litmus", "--write"])),
            Ok(Options {
                sweep: false,
                write: true,
                litmus: true,
            })
        );
        assert!(Options::parse(&args(&["--wirte"])).is_err());
    }
}
