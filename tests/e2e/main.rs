//! End-to-end: the built site, served as a static host serves it, read in
//! headless Chromium with and without cross-origin isolation.
//!
//! `cargo xtask test` builds the site twice (at `/` and under `/book/`) and
//! runs these with `BOOK_SITE_ROOT` and `BOOK_SITE_SUBPATH` pointing at them.

#[path = "../support/seed.rs"]
mod seed;

mod browser;
mod companion;
mod concurrency;
mod cpu_time;
mod inputs;
mod pitfalls;
mod server;
mod simd_gpu;

use std::path::PathBuf;

use concurrency_book::content::book;
use concurrency_book::content::directive::WidgetKind;
use concurrency_book::content::markdown::{self, Block};
use serde_json::Value;

use browser::Browser;
use server::{Hosting, StaticHost};

fn site(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{variable} is not set: run the end-to-end tests with `cargo xtask test`")
        });
    assert!(
        path.join("index.html").is_file(),
        "{} holds no built site",
        path.display()
    );
    path
}

/// `value[field]` as a number, or a failure that names the missing field: a
/// comparison of two `Option`s would pass with the left one absent.
fn number(value: &Value, field: &str) -> f64 {
    value[field]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {field:?} in {value}"))
}

fn page_url(origin: &str, prefix: &str, slug: &str) -> String {
    if slug.is_empty() {
        format!("{origin}{prefix}")
    } else {
        format!("{origin}{prefix}{slug}/")
    }
}

/// Every page loads from its own URL (a reload), shows its title, every cell of
/// its seed tables, no console error (a CSP violation is one), no accessibility
/// violation that axe rates serious or critical, and nothing leaves 127.0.0.1.
async fn read_every_page(browser: &Browser, host: &StaticHost, prefix: &str, isolated: bool) {
    let sections = seed::sections();
    for page in book().pages() {
        let url = page_url(&host.origin, prefix, page.slug);
        browser.open(&url).await;
        browser.watch_csp().await;
        let heading = browser
            .wait_for("article.page h1, article.page h2", 10)
            .await;
        let heading = heading.text().await.unwrap_or_default();
        assert_eq!(
            heading.trim_end_matches('#').trim(),
            page.title(),
            "heading of {url}"
        );
        let text = browser.page_text().await;
        if page.number > 0 {
            for cell in seed::table_cells(sections[page.number - 1]) {
                let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(
                    text.contains(&cell),
                    "{url} does not show the cell {cell:?}"
                );
            }
        }
        let title = browser.client.title().await.unwrap_or_default();
        assert!(
            title.contains("Concurrency vs Parallelism"),
            "document title of {url}: {title}"
        );
        assert_eq!(
            browser.eval("return self.crossOriginIsolated").await,
            isolated,
            "isolation of {url}"
        );
        browser.assert_accessible(&url).await;
        browser.assert_no_csp_violation(&url).await;
        browser
            .assert_console_clean_but(&url, host.expected_errors())
            .await;
        browser.assert_only_local_requests(&host.origin).await;
    }
}

#[tokio::test]
async fn every_page_reads_at_the_site_root() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    read_every_page(&browser, &host, "/", true).await;
    browser.finish().await;
}

#[tokio::test]
async fn every_page_reads_under_a_sub_path() {
    let host = StaticHost::start(&site("BOOK_SITE_SUBPATH"), "/book/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    read_every_page(&browser, &host, "/book/", true).await;
    browser.finish().await;
}

#[tokio::test]
async fn every_page_reads_without_isolation() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::UNISOLATED);
    let browser = Browser::start().await;
    read_every_page(&browser, &host, "/", false).await;
    browser.finish().await;
}

#[tokio::test]
async fn the_dark_theme_is_accessible_too() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    browser
        .eval("localStorage.setItem('concurrency-book.theme', JSON.stringify('dark')); return null")
        .await;
    for slug in ["", "hld-scenarios", "in-system-design"] {
        browser.open(&page_url(&host.origin, "/", slug)).await;
        assert_eq!(
            browser
                .eval("return document.documentElement.dataset.theme")
                .await,
            "dark"
        );
        if slug == "in-system-design" {
            browser.run_widget("primes", 240).await;
        }
        browser.assert_accessible(&format!("{slug} (dark)")).await;
    }
    browser.assert_clean_console("the dark theme").await;
    browser.finish().await;
}

#[tokio::test]
async fn a_plain_host_under_a_sub_path_is_isolated_by_the_service_worker() {
    let host = StaticHost::start(&site("BOOK_SITE_SUBPATH"), "/book/", Hosting::PLAIN);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/book/", "")).await;
    browser.wait_until_isolated().await;
    // One reload: the page says so, except in WebKit, which calls a scripted
    // reload a "navigate"; there the test's hook counts the tab's documents.
    let kind = browser
        .eval("return performance.getEntriesByType('navigation')[0].type")
        .await;
    let documents = browser.documents_loaded().await;
    assert!(
        kind == "reload" || documents == Some(2),
        "isolation took exactly the one reload: {kind}, {documents:?} documents"
    );
    browser
        .open(&page_url(&host.origin, "/book/", "core-definitions"))
        .await;
    browser.wait_until_isolated().await;
    let result = browser.run_widget("threads-check", 60).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    read_every_page(&browser, &host, "/book/", true).await;
    browser.finish().await;
}

#[tokio::test]
async fn the_book_and_its_widgets_work_offline() {
    let host = StaticHost::start(&site("BOOK_SITE_SUBPATH"), "/book/", Hosting::PLAIN);
    let origin = host.origin.clone();
    let browser = Browser::start().await;
    browser.open(&page_url(&origin, "/book/", "")).await;
    browser.wait_until_isolated().await;
    browser.wait_for_offline_cache().await;
    // Files opened in the address bar are navigations too, but not pages:
    // neither may become the shell every page is served from offline.
    for file in ["search-index.json", "favicon.svg"] {
        browser
            .client
            .goto(&format!("{origin}/book/{file}"))
            .await
            .unwrap_or_else(|e| panic!("cannot open {file}: {e}"));
    }
    host.go_offline();

    browser
        .open(&page_url(&origin, "/book/", "hld-scenarios"))
        .await;
    let heading = browser.wait_for("article.page h2", 10).await;
    assert!(heading
        .text()
        .await
        .unwrap_or_default()
        .contains("HLD Scenarios"));
    assert_eq!(
        browser.eval("return self.crossOriginIsolated").await,
        true,
        "isolated offline too"
    );
    browser
        .open(&page_url(&origin, "/book/", "high-level-intuition"))
        .await;
    let result = browser.run_widget("mandelbrot", 240).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    // The search index is in the offline cache too.
    browser.press("/").await;
    let input = browser.wait_for("#search-input", 5).await;
    input.send_keys("amdahl").await.expect("type a query");
    browser.wait_for(".search-results li a", 10).await;
    browser.finish().await;
}

#[tokio::test]
async fn everything_is_reachable_and_startable_by_keyboard() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser
        .open(&page_url(&host.origin, "/", "core-definitions"))
        .await;
    // The first Tab lands on the skip link, which moves focus past the table of contents.
    browser.press(TAB).await;
    assert_eq!(
        browser
            .eval("return document.activeElement.className")
            .await,
        "skip-link"
    );
    browser.press(ENTER).await;
    assert_eq!(
        browser.eval("return document.activeElement.id").await,
        "content"
    );
    assert_eq!(
        browser.client.current_url().await.expect("a URL").path(),
        "/core-definitions/"
    );
    // From the content, Tab reaches the widget's button; Enter starts it.
    let mut reached = false;
    for _ in 0..40 {
        browser.press(TAB).await;
        let focused = browser
            .eval("const e = document.activeElement; return e.closest('[data-widget]') && e.tagName === 'BUTTON' ? e.closest('[data-widget]').dataset.widget : null")
            .await;
        if focused == "threads-check" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the threads check's button");
    browser.press(ENTER).await;
    browser
        .wait_for("[data-widget=threads-check][data-result]", 60)
        .await;
    // Every entry of the table of contents is on the Tab path too.
    browser.open(&page_url(&host.origin, "/", "")).await;
    let mut focused_links = std::collections::BTreeSet::new();
    for _ in 0..30 {
        browser.press(TAB).await;
        let href = browser
            .eval("const e = document.activeElement; return e.closest('.sidebar') ? e.getAttribute('href') : null")
            .await;
        if let Some(href) = href.as_str() {
            focused_links.insert(href.to_owned());
        }
    }
    // Every page, the glossary and "Your machine".
    assert_eq!(
        focused_links.len(),
        book().pages().len() + 2,
        "every page's link takes focus: {focused_links:?}"
    );
    browser.assert_clean_console("keyboard").await;
    browser.finish().await;
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn the_table_of_contents_and_arrow_keys_reach_every_section() {
    let host = StaticHost::start(&site("BOOK_SITE_SUBPATH"), "/book/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/book/", "")).await;
    for page in book().sections() {
        let link = browser
            .wait_for(&format!(".sidebar a[href='/book/{}/']", page.slug), 5)
            .await;
        link.click().await.expect("click a sidebar link");
        let active = browser
            .wait_for(".sidebar li.active [aria-current=page]", 5)
            .await;
        assert_eq!(active.text().await.unwrap_or_default(), page.title());
        let url = browser.client.current_url().await.expect("a URL");
        assert_eq!(url.path(), format!("/book/{}/", page.slug));
    }
    // From the last section, ← walks back to the front page one page at a time.
    for page in book().pages().iter().rev().skip(1) {
        browser
            .eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true})); return null")
            .await;
        let expected = if page.slug.is_empty() {
            "/book/".to_owned()
        } else {
            format!("/book/{}/", page.slug)
        };
        let mut path = String::new();
        for _ in 0..50 {
            path = browser
                .client
                .current_url()
                .await
                .expect("a URL")
                .path()
                .to_owned();
            if path == expected {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(path, expected, "ArrowLeft leads to the previous page");
    }
    // A heading's own link survives a reload and lands on that heading.
    let section = &book().sections()[7];
    browser
        .open(&page_url(&host.origin, "/book/", section.slug))
        .await;
    browser.wait_for("article.page h3 a.anchor", 5).await;
    // The attribute as written (WebKit's driver answers with the resolved URL).
    let href = browser
        .eval("return document.querySelector('article.page h3 a.anchor').getAttribute('href')")
        .await
        .as_str()
        .map(str::to_owned)
        .expect("an href");
    assert!(
        href.starts_with(&format!("/book/{}/#", section.slug)),
        "{href}"
    );
    browser.open(&format!("{}{href}", host.origin)).await;
    let fragment = href.split('#').nth(1).unwrap_or_default();
    let top = browser
        .eval(&format!(
            "return document.getElementById('{fragment}').getBoundingClientRect().top"
        ))
        .await;
    assert!(
        top.as_f64().unwrap_or(f64::MAX) < 300.0,
        "the heading {fragment} is scrolled into view ({top})"
    );
    browser.assert_clean_console("navigation").await;
    browser.finish().await;
}

/// Every emoji the reader sees, in the pages and in the book's own frame
/// (table of contents, buttons), is drawn from an emoji font: a missing
/// glyph's box, or a plain text glyph such as DejaVu Sans's gear for U+2699,
/// is narrower than the em square an emoji fills. Measured after the fonts
/// have loaded, on the page whose entry in the contents is highlighted in
/// bold, and on the book's own pages.
#[tokio::test]
async fn every_emoji_is_drawn_from_an_emoji_font() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    let mut measured = 0;
    for slug in [
        "",
        "system-design-impact",
        "hld-scenarios",
        "glossary",
        "your-machine",
    ] {
        browser.open(&page_url(&host.origin, "/", slug)).await;
        let found = browser
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   document.fonts.ready.then(() => {
                     const emoji = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/gu;
                     const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                     const widths = [];
                     for (let node; (node = walker.nextNode()); ) {
                       for (const match of node.data.matchAll(emoji)) {
                         const range = document.createRange();
                         range.setStart(node, match.index);
                         range.setEnd(node, match.index + match[0].length);
                         const width = range.getBoundingClientRect().width;
                         if (width === 0) continue;
                         const em = width / parseFloat(getComputedStyle(node.parentElement).fontSize);
                         widths.push([match[0], Math.round(em * 100) / 100, `<${node.parentElement.localName}> ${Array.from(node.data.trim()).slice(0, 40).join('')}`]);
                       }
                     }
                     done(widths);
                   });"#,
                vec![],
            )
            .await
            .expect("measure the emoji");
        let widths = found.as_array().cloned().unwrap_or_default();
        measured += widths.len();
        let narrow: Vec<_> = widths
            .iter()
            .filter(|w| w[1].as_f64().unwrap_or(0.0) < 0.95)
            .collect();
        assert!(
            narrow.is_empty(),
            "on /{slug}, emoji narrower than an emoji font draws them (width in em): {narrow:?}"
        );
    }
    assert!(measured >= 40, "only {measured} emoji measured");
    browser.assert_clean_console("every emoji").await;
    browser.finish().await;
}

#[tokio::test]
async fn the_emoji_font_ships_with_the_site() {
    let host = StaticHost::start(&site("BOOK_SITE_SUBPATH"), "/book/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser
        .open(&page_url(&host.origin, "/book/", "hld-scenarios"))
        .await;
    let loaded = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.load('16px \"Book Emoji\"', '✅🧱').then(faces => done(faces.length), () => done(-1));",
            vec![],
        )
        .await
        .expect("document.fonts.load");
    assert_eq!(loaded, 1, "the emoji font loads from the site itself");
    browser.assert_clean_console("the emoji font").await;
    browser.assert_only_local_requests(&host.origin).await;
    browser.finish().await;
}

#[tokio::test]
async fn the_threads_check_sees_several_threads_when_isolated() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser
        .open(&page_url(&host.origin, "/", "core-definitions"))
        .await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["isolated"], true, "{result}");
    assert_eq!(result["checksum_matches"], true, "{result}");
    assert!(result["fallback"].is_null(), "{result}");
    assert!(
        result["pool_threads"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    browser.assert_clean_console("the threads check").await;
    browser.finish().await;
}

#[tokio::test]
async fn without_the_pool_the_threads_check_explains_its_fallback() {
    let hosting = Hosting::without_the_pool();
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", hosting);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    let environment = browser
        .wait_for("[data-widget=environment][data-result]", 10)
        .await;
    let report: Value = serde_json::from_str(
        &environment
            .attr("data-result")
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
    )
    .expect("JSON");
    assert_eq!(report["isolated"], hosting.headers, "{report}");

    browser
        .open(&page_url(&host.origin, "/", "core-definitions"))
        .await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["isolated"], hosting.headers, "{result}");
    assert_eq!(result["threads_seen"], 1, "{result}");
    assert_eq!(result["pool_threads"], 0, "{result}");
    let reason = result["fallback"].as_str().unwrap_or_default();
    assert!(
        reason.contains("cross-origin isolated"),
        "the fallback says why: {result}"
    );
    let shown = browser
        .wait_for("[data-widget=threads-check] .fallback", 5)
        .await;
    let shown = shown.text().await.unwrap_or_default();
    assert!(shown.contains("Ran on one thread"), "{shown}");
    // The fix for this case: the headers, or (isolated already) another browser.
    let fix = if hosting.headers {
        "Safari 15.2 or later"
    } else {
        "Cross-Origin-Opener-Policy"
    };
    assert!(
        shown.contains(fix),
        "the fallback says how to fix it: {shown}"
    );
    browser
        .assert_console_clean_but(
            "the threads check without isolation",
            host.expected_errors(),
        )
        .await;
    browser.finish().await;
}

/// Every parallelism-lab widget in the book, with the page it sits on.
fn lab_widgets() -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    for page in book().pages() {
        for block in markdown::render(page.source, "/") {
            if let Block::Widget(directive) = block {
                if matches!(
                    directive.kind,
                    WidgetKind::Mandelbrot
                        | WidgetKind::Matmul
                        | WidgetKind::Blur
                        | WidgetKind::Sort
                        | WidgetKind::Primes
                        | WidgetKind::PoolWorkers
                        | WidgetKind::SpeedupSweep
                ) {
                    found.push((page.slug, directive.kind.id()));
                }
            }
        }
    }
    found
}

/// Starts recording main-thread long tasks (over 50 ms) from now on, once
/// the driver has done its own first-click work in the page.
pub(crate) async fn watch_long_tasks(browser: &Browser) {
    browser.prime_the_driver().await;
    let has_api = browser
        .eval("return PerformanceObserver.supportedEntryTypes.includes('longtask')")
        .await
        == true;
    // Read from before the first entry or beat: every window then has a
    // reading on each side, and none counts for want of one.
    browser.watch_main_thread();
    browser
        .eval(if has_api { LONG_TASKS_API } else { HEARTBEAT })
        .await;
}

/// Where the engine has the Long Tasks API (Chromium): each entry's window
/// on the page's clock, and its duration.
const LONG_TASKS_API: &str = "window.__longTasks = [];
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
            const from = performance.timeOrigin + e.startTime;
            window.__longTasks.push([from, from + e.duration, Math.round(e.duration)]);
        }
    }).observe({type: 'longtask'});";

/// Where it has none (Firefox, WebKit): the thread is watched from two task
/// sources, a 20 ms timer and a worker's message every 20 ms. A long task
/// holds both back; a thread kept busy by many short tasks lets one or the
/// other in between them, where an engine may favour one source over the
/// other (WebKit does: docs/testing.md). A stretch with neither,
/// over 50 ms longer than a beat, is kept with its window, on the page's
/// clock, for [`long_tasks`] to check.
const HEARTBEAT: &str = "window.__longTasks = [];
    clearInterval(window.__heartbeat);
    if (window.__pinger) window.__pinger.terminate();
    let last = performance.now();
    const beat = () => {
        const now = performance.now();
        const late = now - last - 20;
        if (late > 50) window.__longTasks.push([performance.timeOrigin + last, performance.timeOrigin + now, Math.round(late)]);
        last = now;
    };
    window.__heartbeat = setInterval(beat, 20);
    const pings = new Blob(['setInterval(() => postMessage(0), 20)'], {type: 'text/javascript'});
    window.__pinger = new Worker(URL.createObjectURL(pings));
    window.__pinger.onmessage = beat;";

/// The long tasks since [`watch_long_tasks`]: each window the engine's Long
/// Tasks API reported, or in which no heartbeat came, counts unless the
/// scheduler's own figures show that the page's main thread ran less than
/// 50 ms of the page's work in it: then no task of the page's that long ran,
/// and the window was long because the operating system gave the cores to
/// other threads, or because the engine did its own housekeeping (see
/// `cpu_time`). Those windows are printed, not counted.
pub(crate) async fn long_tasks(browser: &Browser) -> Vec<Value> {
    let recorded = browser
        .eval("return window.__longTasks")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut long = Vec::new();
    for entry in recorded {
        // [from, to, ms]: a long task's window and duration, or a stretch
        // without a beat and how late the beat that ended it was.
        let Ok([from, to, ms]) = serde_json::from_value::<[f64; 3]>(entry.clone()) else {
            long.push(entry);
            continue;
        };
        let window = to - from;
        match browser.main_thread_ran(from, to) {
            Some(run) if run.page_ms() < 50.0 => println!(
                "a window of {window:.0} ms ({ms} ms long or late), but the page's main thread ran \
                 only {:.0} ms in it, {:.0} ms of them the engine reading files: held off the \
                 cores or busy with the engine's housekeeping, not by a long task of the page's",
                run.ms, run.reading_files_ms
            ),
            Some(run) => long.push(Value::String(format!(
                "{ms} ms long or late, the main thread running {:.0} ms of {window:.0} \
                 ({:.0} ms of them the engine reading files)",
                run.ms, run.reading_files_ms
            ))),
            None => long.push(Value::String(format!(
                "{ms} ms long or late, and no reading of the main thread's run time around it"
            ))),
        }
    }
    long
}

/// The watch the tests above and below rely on, checked in each engine: it
/// finds one task of 150 ms, and it does not mistake a thread kept as busy
/// by forty short tasks in a row for a long task.
#[tokio::test]
async fn the_long_task_watch_finds_a_long_task_and_not_many_short_ones() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser
        .open(&page_url(&host.origin, "/", "core-definitions"))
        .await;
    let busy = |ms: u32| {
        format!("const end = performance.now() + {ms}; while (performance.now() < end) {{}}")
    };

    watch_long_tasks(&browser).await;
    browser
        .eval(&format!(
            "setTimeout(() => {{ {} }}, 100); return true",
            busy(150)
        ))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let long = long_tasks(&browser).await;
    assert!(!long.is_empty(), "a task of 150 ms went unseen");

    watch_long_tasks(&browser).await;
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
    let long = long_tasks(&browser).await;
    assert!(
        long.is_empty(),
        "forty tasks of 8 ms are not a long task: {long:?}"
    );
    browser.finish().await;
}

#[tokio::test]
async fn every_lab_widget_measures_on_several_threads_without_blocking_the_page() {
    let widgets = lab_widgets();
    assert!(
        widgets.len() >= 7,
        "the lab widgets are placed in the book: {widgets:?}"
    );
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    for (slug, id) in widgets {
        browser.open(&page_url(&host.origin, "/", slug)).await;
        // The page's text arrives and is laid out first; the run is what is watched.
        browser
            .wait_for(&format!("[data-widget={id}] button"), 10)
            .await;
        watch_long_tasks(&browser).await;
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
        // src/ui/widgets/lab.rs): every step comes, with a curve or a work
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
        let long = long_tasks(&browser).await;
        assert!(
            long.is_empty(),
            "{id}: main-thread long tasks during the run (ms): {long:?}"
        );
        browser.assert_clean_console(id).await;
    }
    browser.finish().await;
}

#[tokio::test]
async fn without_the_pool_every_lab_widget_explains_and_runs_on_one_thread() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::without_the_pool());
    let browser = Browser::start().await;
    for (slug, id) in lab_widgets() {
        browser.open(&page_url(&host.origin, "/", slug)).await;
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
    browser.finish().await;
}

#[tokio::test]
async fn a_cancelled_sweep_leaves_the_widget_ready_for_another_run() {
    let (slug, id) = lab_widgets()
        .into_iter()
        .find(|(_, id)| *id == "speedup-sweep")
        .expect("the full sweep is in the book");
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", slug)).await;
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
    browser.open(&page_url(&host.origin, "/", slug)).await;
    let result = browser.run_widget(id, 240).await;
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    browser.assert_clean_console("cancel and run again").await;
    browser.finish().await;
}

/// A page whose text is still on its way when the reader moves on never
/// lands on the next page: the next page shows its own text.
#[tokio::test]
async fn a_slow_page_never_lands_on_the_next_one() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    host.slow_down("pages/tl-dr.json", std::time::Duration::from_millis(2_500));
    // To the slow page, then on, by the contents, before its text arrives.
    browser.click(".sidebar a[href$='tl-dr/']").await;
    browser.click(".sidebar a[href$='core-definitions/']").await;
    browser.wait_for("article.page h2", 10).await;
    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    let heading = browser
        .eval("return document.querySelector('article.page h2').textContent")
        .await;
    assert!(
        heading
            .as_str()
            .unwrap_or_default()
            .contains("Core Definitions"),
        "the page shown is the one asked for last: {heading}"
    );
    browser.assert_clean_console("a slow page").await;
    browser.finish().await;
}

/// A book at an origin's root shares the origin: its service worker serves
/// and rewrites only the book's own pages and files.
#[tokio::test]
async fn at_an_origins_root_the_service_worker_leaves_other_paths_alone() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::PLAIN);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    browser.wait_until_isolated().await;
    browser.wait_for_offline_cache().await;
    browser
        .client
        .goto(&format!("{}/another-app/", host.origin))
        .await
        .expect("open another app's path");
    let text = browser
        .eval("return document.body ? document.body.textContent : ''")
        .await;
    assert!(
        text.as_str().unwrap_or_default().contains("not found"),
        "the host's own answer, not the book: {text}"
    );
    assert_eq!(
        browser.eval("return self.crossOriginIsolated").await,
        false,
        "no isolation headers added outside the book"
    );
    browser.finish().await;
}

#[test]
fn an_offline_host_fails_every_request() {
    use std::io::{Read, Write};
    // A folder with no site in it, so no `_headers` to send: a plain host.
    let host = StaticHost::start(&std::env::temp_dir(), "/", Hosting::PLAIN);
    let address = host.origin.trim_start_matches("http://").to_owned();
    let ask = || {
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    assert!(ask().starts_with("HTTP/1.1 "), "online, the host answers");
    host.go_offline();
    assert!(ask().starts_with("HTTP/1.1 503"), "offline, it fails");
}

/// The book paints without the widgets module, and loads it on the first
/// page that shows a widget. Each widget is its own yew app there, whose
/// tree id is above every id the book's yew marked on its ancestors:
/// were they equal, the book's event delegation would run its own handlers
/// for a click inside the widget.
#[tokio::test]
async fn widgets_are_islands_loaded_when_a_page_first_shows_one() {
    let host = StaticHost::start(&site("BOOK_SITE_ROOT"), "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    let widget_files = "performance.getEntriesByType('resource')\
        .map((entry) => new URL(entry.name).pathname)\
        .filter((path) => path.startsWith('/concurrency-widgets'))";
    browser.open(&page_url(&host.origin, "/", "glossary")).await;
    browser.wait_for("article.page h1", 10).await;
    browser.wait_for("dl", 10).await;
    let loaded = browser.eval(&format!("return {widget_files};")).await;
    assert_eq!(
        loaded,
        serde_json::json!([]),
        "a page without widgets loaded the widgets module"
    );

    browser
        .open(&page_url(&host.origin, "/", "core-definitions"))
        .await;
    let result = browser.run_widget("threads-check", 60).await;
    assert_eq!(result["checksum_matches"], true, "{result}");
    let loaded = browser.eval(&format!("return {widget_files};")).await;
    for file in ["/concurrency-widgets.js", "/concurrency-widgets_bg.wasm"] {
        assert!(
            loaded
                .as_array()
                .is_some_and(|files| files.contains(&file.into())),
            "{file} was not loaded: {loaded}"
        );
    }
    let ids = browser
        .eval(
            "const island = document.querySelector('[data-widget=threads-check]').parentElement;
             const above = [];
             for (let e = island.parentElement; e; e = e.parentElement) {
               if (typeof e.__yew_subtree_id === 'number') above.push(e.__yew_subtree_id);
             }
             return { island: island.__yew_subtree_id, above };",
        )
        .await;
    let island = ids["island"]
        .as_u64()
        .expect("the island's root carries its tree id");
    let above: Vec<u64> = ids["above"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    assert!(!above.is_empty(), "the book's own tree is marked: {ids}");
    assert!(above.iter().all(|&id| id < island), "{ids}");
    browser.assert_clean_console("widgets as islands").await;
    browser.finish().await;
}
