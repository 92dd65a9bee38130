//! End-to-end: the built site, served as a static host serves it, read in
//! a headless browser with and without cross-origin isolation.
//!
//! `cargo xtask test` builds the site twice (at `/` and under `/book/`) and
//! runs these with `BOOK_SITE_ROOT` and `BOOK_SITE_SUBPATH` pointing at them.
//!
//! This file is the harness: the helpers several topics share and
//! [`Reader`], one browser reading one built site on one host. The tests
//! are in the module of their topic.

#[path = "../support/seed.rs"]
mod seed;

mod browser;
mod companion;
mod concurrency;
mod cpu_time;
mod deploy;
mod emoji;
mod inputs;
mod islands;
mod lab;
mod memory_model;
mod navigation;
mod offline;
mod pages;
mod pitfalls;
mod pool_start;
mod print;
mod server;
mod simd_gpu;
mod text_first;
mod threads;

use std::path::PathBuf;
use std::time::Duration;

use concurrency_book::content::{book, Page};
use serde_json::Value;

use browser::Browser;
use server::{Hosting, StaticHost};

/// How long one browser session may last before its watchdog ends it: far
/// above the slowest test's whole run, so only a hung browser meets it.
const BROWSER_SESSION_LIMIT: Duration = Duration::from_secs(8 * 60);

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

/// Which of the two built sites a test reads.
#[derive(Debug, Clone, Copy)]
pub enum Site {
    /// Built for an origin's root, in `BOOK_SITE_ROOT`, served at `/`.
    Root,
    /// Built for a sub-path, in `BOOK_SITE_SUBPATH`, served under `/book/`.
    SubPath,
}

impl Site {
    /// The variable that names the site's folder.
    fn variable(self) -> &'static str {
        match self {
            Site::Root => "BOOK_SITE_ROOT",
            Site::SubPath => "BOOK_SITE_SUBPATH",
        }
    }

    /// The path the site is served under.
    fn prefix(self) -> &'static str {
        match self {
            Site::Root => "/",
            Site::SubPath => "/book/",
        }
    }
}

/// A reader: one browser on one host serving one built site.
pub struct Reader {
    pub host: StaticHost,
    pub browser: Browser,
    prefix: &'static str,
}

impl Reader {
    /// The site at `at`, hosted as `hosting`, and a browser to read it in.
    pub async fn start(at: Site, hosting: Hosting) -> Self {
        let host = StaticHost::start(&site(at.variable()), at.prefix(), hosting);
        let browser = Browser::start().await;
        Reader {
            host,
            browser,
            prefix: at.prefix(),
        }
    }

    /// The URL of page `slug` ("" for the front page).
    pub fn url(&self, slug: &str) -> String {
        page_url(&self.host.origin, self.prefix, slug)
    }

    /// Opens page `slug` ("" for the front page) as a reload would.
    pub async fn open(&self, slug: &str) {
        self.browser.open(&self.url(slug)).await;
    }

    /// Ends the browser session cleanly; the host serves on until the test ends.
    pub async fn finish(self) {
        self.browser.finish().await;
    }
}

/// Every page loads from its own URL (a reload), shows its title, every cell of
/// its seed tables, no console error (a CSP violation is one), no accessibility
/// violation that axe rates serious or critical, and nothing leaves 127.0.0.1.
async fn read_every_page(reader: &Reader, isolated: bool) {
    let (browser, host) = (&reader.browser, &reader.host);
    for page in book().pages() {
        let url = reader.url(page.slug);
        browser.open(&url).await;
        browser.watch_csp().await;
        assert_shows_its_seed(browser, page, &browser.page_text().await, &url).await;
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

/// The page on screen is `page`: its first heading is its title, and `text`,
/// its visible text with runs of white space as one space, holds every cell
/// of its seed tables.
async fn assert_shows_its_seed(browser: &Browser, page: &Page, text: &str, url: &str) {
    let heading = browser
        .wait_for("article.page h1, article.page h2", 10)
        .await;
    let heading = heading.text().await.unwrap_or_default();
    assert_eq!(
        heading.trim_end_matches('#').trim(),
        page.title(),
        "heading of {url}"
    );
    if page.number > 0 {
        for cell in seed::table_cells(seed::sections()[page.number - 1]) {
            let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&cell),
                "{url} does not show the cell {cell:?}"
            );
        }
    }
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
