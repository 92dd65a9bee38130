//! The parallelism lab's widgets: each measures on several threads without
//! a long task on the page's main thread, runs on one thread and says why
//! without the pool, and is ready for another run after a cancelled one;
//! and the long-task watch those checks rely on.

use concurrency_book::content::book;
use concurrency_book::content::markdown::{self, Block};

use super::server::Hosting;
use super::{long_tasks, number, watch_long_tasks, Reader, Site};

/// Every parallelism-lab widget in the book, with the page it sits on.
fn lab_widgets() -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    for page in book().pages() {
        for block in markdown::render(page.source, "/") {
            if let Block::Widget(directive) = block {
                if directive.kind.is_parallelism_lab() {
                    found.push((page.slug, directive.kind.id()));
                }
            }
        }
    }
    found
}

/// The watch the tests below, and the concurrency and pitfalls labs', rely
/// on, checked in each engine: it finds one task of 150 ms, and it does not
/// mistake a thread kept as busy by forty short tasks in a row for a long
/// task.
#[tokio::test]
async fn the_long_task_watch_finds_a_long_task_and_not_many_short_ones() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    let busy = |ms: u32| {
        format!("const end = performance.now() + {ms}; while (performance.now() < end) {{}}")
    };

    watch_long_tasks(browser).await;
    browser
        .eval(&format!(
            "setTimeout(() => {{ {} }}, 100); return true",
            busy(150)
        ))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let long = long_tasks(browser).await;
    assert!(!long.is_empty(), "a task of 150 ms went unseen");

    watch_long_tasks(browser).await;
    browser
        .eval(&format!(
            "let steps = 0;
             const step = () => {{ {} if (++steps < 40) setTimeout(step, 0); }};
             setTimeout(step, 0);
             return true",
            busy(8)
        ))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let long = long_tasks(browser).await;
    assert!(
        long.is_empty(),
        "forty tasks of 8 ms are not a long task: {long:?}"
    );
    reader.finish().await;
}

#[tokio::test]
async fn every_lab_widget_measures_on_several_threads_without_blocking_the_page() {
    let widgets = lab_widgets();
    assert!(
        widgets.len() >= 7,
        "the lab widgets are placed in the book: {widgets:?}"
    );
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    for (slug, id) in widgets {
        reader.open(slug).await;
        // The page's text arrives and is laid out first; the run is what is watched.
        browser
            .wait_for(&format!("[data-widget={id}] button"), 10)
            .await;
        watch_long_tasks(browser).await;
        let result = browser.run_widget(id, 240).await;
        assert!(result["fallback"].is_null(), "{id}: {result}");
        assert!(
            result["pool_threads"].as_u64().unwrap_or(0) >= 2,
            "{id}: {result}"
        );
        assert!(
            result["threads_seen"].as_u64().unwrap_or(0) >= 2,
            "{id} ran on several threads: {result}"
        );
        for sweep in result["sweeps"].as_array().expect("sweeps") {
            for point in sweep["points"].as_array().expect("points") {
                assert!(
                    number(point, "threads_seen") <= number(point, "threads"),
                    "{id}: {point}"
                );
            }
        }
        if id == "mandelbrot" {
            let speedup = result["speedup"].as_f64().unwrap_or(0.0);
            assert!(
                speedup > 1.0,
                "the Mandelbrot set is faster on several threads: {speedup}"
            );
        }
        // The report appears in steps, the pictures' place last (`Reveal` in
        // widgets/src/lab/view.rs): every step comes, with a curve or a work
        // chart for each sweep, and the watch covers them all.
        browser
            .wait_for(&format!("[data-widget={id}] .lab-images"), 10)
            .await;
        let sweeps = result["sweeps"].as_array().map_or(0, Vec::len);
        let drawn = browser
            .eval(&format!(
                "const w = document.querySelector('[data-widget={id}]');
                 return w.querySelectorAll(
                     {:?}).length",
                if id == "pool-workers" {
                    ".work-chart"
                } else {
                    ".chart g.series"
                }
            ))
            .await;
        assert_eq!(drawn, sweeps, "{id}: a curve or work chart for each sweep");
        let long = long_tasks(browser).await;
        assert!(
            long.is_empty(),
            "{id}: main-thread long tasks during the run (ms): {long:?}"
        );
        browser.assert_clean_console(id).await;
    }
    reader.finish().await;
}

#[tokio::test]
async fn without_the_pool_every_lab_widget_explains_and_runs_on_one_thread() {
    let reader = Reader::start(Site::Root, Hosting::without_the_pool()).await;
    let (browser, host) = (&reader.browser, &reader.host);
    for (slug, id) in lab_widgets() {
        reader.open(slug).await;
        let result = browser.run_widget(id, 240).await;
        assert_eq!(result["threads_seen"], 1, "{id}: {result}");
        assert_eq!(result["pool_threads"], 0, "{id}: {result}");
        let reason = result["fallback"].as_str().unwrap_or_default();
        assert!(
            reason.contains("cross-origin isolated"),
            "{id} says why: {result}"
        );
        let shown = browser
            .wait_for(&format!("[data-widget={id}] .fallback"), 5)
            .await;
        let shown = shown.text().await.unwrap_or_default();
        assert!(shown.contains("Ran on one thread"), "{id}: {shown}");
        browser
            .assert_console_clean_but(id, host.expected_errors())
            .await;
    }
    reader.finish().await;
}

#[tokio::test]
async fn a_cancelled_sweep_leaves_the_widget_ready_for_another_run() {
    let (slug, id) = lab_widgets()
        .into_iter()
        .find(|(_, id)| *id == "speedup-sweep")
        .expect("the full sweep is in the book");
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open(slug).await;
    let start = browser
        .wait_for(&format!("[data-widget={id}] button"), 10)
        .await;
    start.click().await.expect("start the sweep");
    browser
        .wait_for(&format!("[data-widget={id}] progress"), 10)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let cancel = browser
        .wait_for(
            &format!("[data-widget={id}] .lab-controls button.secondary"),
            5,
        )
        .await;
    cancel.click().await.expect("cancel the sweep");
    let status = browser
        .wait_for(&format!("[data-widget={id}] .widget-output"), 5)
        .await;
    let mut text = String::new();
    for _ in 0..50 {
        text = status.text().await.unwrap_or_default();
        if text.contains("Cancelled") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        text.contains("Cancelled"),
        "the widget says it was cancelled: {text}"
    );
    let widget = browser.wait_for(&format!("[data-widget={id}]"), 5).await;
    assert!(
        widget.attr("data-result").await.ok().flatten().is_none(),
        "a cancelled run writes no result"
    );

    // The same widget, and the pool, run again: here on the Mandelbrot page.
    let (slug, id) = lab_widgets()
        .into_iter()
        .find(|(_, id)| *id == "mandelbrot")
        .expect("mandelbrot");
    reader.open(slug).await;
    let result = browser.run_widget(id, 240).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );

    // At a size whose run takes microseconds, each sample times a batch of
    // runs: the figures are per run, above zero, and shown in µs.
    let (slug, id) = lab_widgets()
        .into_iter()
        .find(|(_, id)| *id == "matmul")
        .expect("matmul");
    reader.open(slug).await;
    browser.set_number("matmul-size", "32").await;
    let result = browser.run_widget(id, 240).await;
    let sweeps = result["sweeps"].as_array().expect("sweeps");
    assert!(!sweeps.is_empty(), "{result}");
    for sweep in sweeps {
        let sequential = sweep["sequential"]["median_ms"]
            .as_f64()
            .expect("a sequential median");
        assert!(
            sequential > 0.0 && sequential < 1.0,
            "a 32 x 32 product takes microseconds, measured: {result}"
        );
        for point in sweep["points"].as_array().expect("points") {
            let speedup = point["speedup"].as_f64().expect("a speedup");
            assert!(
                speedup > 0.0 && speedup < 64.0,
                "a speedup from two real times: {result}"
            );
        }
    }
    let caption = browser
        .eval(&format!(
            "return document.querySelector('[data-widget={id}] table.results caption').textContent"
        ))
        .await;
    assert!(
        caption.as_str().unwrap_or_default().contains("µs"),
        "times under a tenth of a millisecond read in µs: {caption}"
    );
    browser.assert_clean_console("cancel and run again").await;
    reader.finish().await;
}

/// Under a widget, "The code that ran": the kernel's own source, cut and
/// highlighted at build time (`xtask/src/code.rs`), its lines numbered as in
/// the file, and what the parallel version changes; one panel per widget,
/// readable in both themes.
#[tokio::test]
async fn the_code_that_ran_opens_under_its_widget() {
    let (slug, _) = lab_widgets()
        .into_iter()
        .find(|(_, id)| *id == "mandelbrot")
        .expect("mandelbrot");
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open(slug).await;
    browser
        .wait_for("[data-widget=mandelbrot] button", 20)
        .await;
    let seen = browser
        .eval(
            "const widget = document.querySelector('[data-widget=mandelbrot]');
             const panels = [...document.querySelectorAll('details.code-panel')];
             const panel = panels.find((p) => widget.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING);
             panel.open = true;
             panel.scrollIntoView({block: 'center'});
             const keyword = panel.querySelector('.hl-k');
             return {
               panels: panels.length,
               widgets: document.querySelectorAll('[data-widget]').length,
               text: panel.textContent,
               first_number: panel.querySelector('.line-number').textContent,
               added: panel.querySelectorAll('.code-diff .line.added').length,
               keyword: getComputedStyle(keyword).color,
               plain: getComputedStyle(panel.querySelector('pre')).color,
             };",
        )
        .await;
    assert_eq!(
        seen["panels"], seen["widgets"],
        "one panel per widget: {seen}"
    );
    let text = seen["text"].as_str().unwrap_or_default();
    for expected in [
        "Mandelbrot::parallel",
        "par_chunks_mut",
        "compute/src/mandelbrot.rs",
    ] {
        assert!(
            text.contains(expected),
            "{expected} not in the panel: {text}"
        );
    }
    let first: usize = seen["first_number"]
        .as_str()
        .and_then(|n| n.trim().parse().ok())
        .expect("lines numbered from the file");
    assert!(first > 1, "the file's own line numbers, not 1: {first}");
    assert!(
        seen["added"].as_u64() > Some(0),
        "the diff marks the added lines: {seen}"
    );
    assert_ne!(
        seen["keyword"], seen["plain"],
        "keywords are highlighted: {seen}"
    );
    let url = reader.url(slug);
    browser.assert_accessible(&url).await;
    browser
        .eval("document.documentElement.dataset.theme = 'dark'; return true")
        .await;
    browser.assert_accessible(&format!("{url} (dark)")).await;
    reader.finish().await;
}
