//! Headless Chromium (ChromeDriver) or Firefox (geckodriver) through
//! fantoccini, with the page's console errors and a network that cannot leave
//! 127.0.0.1. `BOOK_BROWSER` picks the engine (`cargo xtask test` sets it).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use super::cpu_time::{MainThreadClock, MainThreadRun};
use super::BROWSER_SESSION_LIMIT;

pub use book_engines::Engine;

/// One browser session and the driver that runs it; both end on drop.
pub struct Browser {
    pub client: Client,
    pub engine: Engine,
    driver: Child,
    /// The page's main-thread run time, while a test watches for long tasks.
    main_thread: std::sync::Mutex<Option<MainThreadClock>>,
    /// Dropped with the browser, which tells its [`Watchdog`] to stand down.
    _watchdog: Watchdog,
}

/// Ends a browser session that outlives [`BROWSER_SESSION_LIMIT`].
///
/// A driver command has no time limit of its own: fantoccini waits for the
/// driver's answer, and a driver whose browser stopped answering (a hung
/// web process) never gives one. Killing the driver's process group closes
/// the connection, so the waiting command fails and the test with it,
/// instead of the suite waiting until CI gives up on the whole run.
struct Watchdog {
    /// Never sent on: dropping it wakes the watchdog's thread early.
    _stand_down: std::sync::mpsc::Sender<()>,
}

impl Watchdog {
    /// Kills process group `group` once `limit` has passed, unless the
    /// watchdog is dropped first.
    fn guard(group: u32, limit: Duration) -> Self {
        let (stand_down, dropped) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            if dropped.recv_timeout(limit) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                eprintln!(
                    "the browser session ran past {} s: ending its driver and browser",
                    limit.as_secs_f64()
                );
                kill_group(group);
            }
        });
        Watchdog {
            _stand_down: stand_down,
        }
    }
}

/// Kills process group `group`: a driver and the browser it started.
fn kill_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .status();
}

impl Browser {
    pub async fn start() -> Self {
        Self::start_with(Gpu::Off).await
    }

    /// A browser whose GPU is on as far as the engine allows: headless
    /// Chromium with `--enable-unsafe-webgpu` (a SwiftShader adapter, emulated
    /// on the CPU: right for correctness, meaningless for speed).
    pub async fn start_with_webgpu() -> Self {
        Self::start_with(Gpu::WebGpu).await
    }

    async fn start_with(gpu: Gpu) -> Self {
        let engine = Engine::current();
        let (driver_path, capabilities) = match engine {
            Engine::Chromium => chromium_capabilities(gpu),
            Engine::Firefox => firefox_capabilities(),
            Engine::Webkit => webkit_capabilities(),
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Its own process group, so that dropping the browser also ends the
        // browser processes the driver started, even after a failed test.
        let driver = Command::new(&driver_path)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_path}: {e}; run the tests with `cargo xtask test`")
            });

        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("{driver_path} did not start a session: {e}"),
            }
        };
        if engine != Engine::Chromium {
            // Chromium gets its size from a flag.
            let _ = client.set_window_size(1280, 900).await;
        }
        let _watchdog = Watchdog::guard(driver.id(), BROWSER_SESSION_LIMIT);
        Self {
            client,
            engine,
            driver,
            main_thread: std::sync::Mutex::new(None),
            _watchdog,
        }
    }

    /// Starts reading how long the page's main thread runs (see [`MainThreadClock`]).
    pub fn watch_main_thread(&self) {
        if let Ok(mut clock) = self.main_thread.lock() {
            // The last watch's reader stops first: one reader at a time.
            *clock = None;
            *clock = MainThreadClock::start(self.driver.id());
        }
    }

    /// How long the page's main thread ran between two instants of the
    /// page's clock (`timeOrigin + now()`, in ms), and how much of that was
    /// the engine reading files; `None` where that is unknown.
    pub fn main_thread_ran(&self, from_ms: f64, to_ms: f64) -> Option<MainThreadRun> {
        let clock = self.main_thread.lock().ok()?;
        clock.as_ref()?.most_run(from_ms, to_ms)
    }

    /// Opens `url` as a reload would, and waits for the app to take over
    /// the page the host served (`ui::take_over`).
    pub async fn open(&self, url: &str) {
        self.open_as_served(url).await;
        self.wait_until_within(
            "!document.getElementById('static-book') && document.querySelector('article.page, .not-found')",
            "the app took over the page",
            30,
        )
        .await;
    }

    /// Opens `url` as a reload would, and waits for its text, which the
    /// page the host serves holds before any script runs.
    pub async fn open_as_served(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        self.wait_for("article.page, .not-found", 20).await;
    }

    /// Waits for `selector` for at most `seconds`. Long waits poll once a
    /// second, so the driver takes as little CPU as possible from a measurement.
    pub async fn wait_for(&self, selector: &str, seconds: u64) -> fantoccini::elements::Element {
        let period = if seconds > 30 {
            Duration::from_secs(1)
        } else {
            Duration::from_millis(100)
        };
        self.client
            .wait()
            .at_most(Duration::from_secs(seconds))
            .every(period)
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{selector} did not appear within {seconds} s: {e}"))
    }

    /// Waits at most 10 s until `script` (an expression) is truthy in the
    /// page; `what` names the wait in the failure.
    pub async fn wait_until(&self, script: &str, what: &str) {
        self.wait_until_within(script, what, 10).await;
    }

    /// Waits at most `seconds` until `script` (an expression) is truthy. A
    /// script that fails counts as false: the page may be reloading (the
    /// service worker's one reload that isolates it).
    pub async fn wait_until_within(&self, script: &str, what: &str, seconds: u64) {
        let script = format!("return !!({script})");
        for _ in 0..seconds * 10 {
            if matches!(
                self.client.execute(&script, vec![]).await,
                Ok(Value::Bool(true))
            ) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{what}: `{script}` never became true within {seconds} s");
    }

    /// Clicks the first element matching `selector`, scrolled to the middle of
    /// the window so that the sticky top bar cannot be what receives the click.
    pub async fn click(&self, selector: &str) {
        let element = self.wait_for(selector, 10).await;
        let quoted = serde_json::to_string(selector).expect("a selector is a string");
        self.eval(&format!(
            "document.querySelector({quoted}).scrollIntoView({{block: 'center'}}); return null"
        ))
        .await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// Types `value` into the labelled number input `id`, as a reader would.
    pub async fn set_number(&self, id: &str, value: &str) {
        let input = self.wait_for(&format!("#{id}"), 10).await;
        // Into view first, as a reader scrolls: WebKit's driver does not.
        self.eval(&format!(
            "document.getElementById('{id}').scrollIntoView({{block: 'center'}})"
        ))
        .await;
        input.clear().await.expect("clear the input");
        input.send_keys(value).await.expect("type into the input");
    }

    /// Clicks once on a spot of the test's own, so that the driver's work
    /// for a page's first click is done before a long-task watch begins.
    /// Firefox's driver, on the first click in a page, loads its interaction
    /// modules and event helpers into the page's process, and the focus the
    /// click gives loads the browser's autofill code: over 50 ms of the
    /// page's main thread on a slow machine (Marionette's `clickElement` and
    /// `FormAutofillChild`, no script of the page's),
    /// which a watch begun before the click would count as the page's.
    pub async fn prime_the_driver(&self) {
        self.eval(
            "const spot = document.createElement('div');
             spot.id = '__prime';
             spot.tabIndex = -1;
             spot.style.cssText = 'position: fixed; top: 0; left: 0; width: 8px; height: 8px; z-index: 2147483647';
             document.body.append(spot);
             return null",
        )
        .await;
        self.click("#__prime").await;
        self.eval("document.getElementById('__prime').remove(); return null")
            .await;
    }

    /// Clicks widget `id`'s first button (the widget contract) and returns the
    /// JSON it writes to `data-result`, waiting at most `seconds`.
    pub async fn run_widget(&self, id: &str, seconds: u64) -> Value {
        self.click(&format!("[data-widget={id}] button")).await;
        let widget = self
            .wait_for(&format!("[data-widget={id}][data-result]"), seconds)
            .await;
        let json = widget
            .attr("data-result")
            .await
            .ok()
            .flatten()
            .expect("data-result");
        serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("data-result of {id} is not JSON ({e}): {json}"))
    }

    /// How many documents this tab has loaded, where the test's console hook
    /// counts them (every engine but Chromium); `None` elsewhere.
    pub async fn documents_loaded(&self) -> Option<u64> {
        if !self.engine.needs_console_hook() {
            return None;
        }
        self.eval("return Number(sessionStorage.getItem('__documents'))")
            .await
            .as_u64()
    }

    /// The page printed to PDF as the browser's "Save as PDF" would (A4-ish
    /// default paper, backgrounds off), or `None` where the driver cannot print.
    pub async fn print_pdf(&self) -> Option<Vec<u8>> {
        if !self.engine.prints() {
            return None;
        }
        let config = fantoccini::wd::PrintConfiguration::builder()
            .build()
            .expect("the default print configuration is valid");
        Some(
            self.client
                .print(config)
                .await
                .unwrap_or_else(|e| panic!("the driver could not print the page: {e}")),
        )
    }

    /// Sends a DevTools protocol command (Chromium only): network
    /// emulation and the cache, for the bench's load timings.
    pub async fn devtools(&self, command: &str, params: Value) -> Value {
        self.client
            .issue_cmd(ChromeDriverPost {
                endpoint: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools {command}: {e}"))
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The visible text of the rendered page.
    pub async fn page_text(&self) -> String {
        let text = self
            .eval("return document.querySelector('article.page').innerText")
            .await;
        text.as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Console messages since the last call, as `LEVEL message`: ChromeDriver's
    /// log, or what the page's console hook kept (see `server.rs`).
    pub async fn console(&self) -> Vec<String> {
        if self.engine.needs_console_hook() {
            let kept = self
                .eval(
                    "const kept = JSON.parse(sessionStorage.getItem('__console') || '[]');
                     sessionStorage.removeItem('__console');
                     return kept",
                )
                .await;
            return kept
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|line| line.as_str().map(str::to_owned))
                .collect();
        }
        let entries = self
            .client
            .issue_cmd(ChromeDriverPost {
                endpoint: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .expect("the browser log");
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fails on any console error since the last check.
    pub async fn assert_clean_console(&self, context: &str) {
        self.assert_console_clean_but(context, &[]).await;
    }

    /// Fails on any console error since the last check but those containing
    /// one of `expected`: errors a test causes on purpose.
    pub async fn assert_console_clean_but(&self, context: &str, expected: &[&str]) {
        let bad: Vec<String> = self
            .console()
            .await
            .into_iter()
            .filter(|line| line.starts_with("SEVERE"))
            .filter(|line| !expected.iter().any(|e| line.contains(e)))
            .collect();
        assert!(
            bad.is_empty(),
            "console errors on {context}:\n{}",
            bad.join("\n")
        );
    }

    /// Fails if the page fetched anything from another origin than `origin`.
    pub async fn assert_only_local_requests(&self, origin: &str) {
        let urls = self
            .eval("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])")
            .await;
        for url in urls
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            assert!(
                url.starts_with(origin) || url.starts_with("blob:") || url.starts_with("data:"),
                "a request left the site: {url}"
            );
        }
    }
}

impl Browser {
    /// Presses `key` (a WebDriver key code) on the focused element.
    pub async fn press(&self, key: &str) {
        let focused = self
            .client
            .active_element()
            .await
            .expect("a focused element");
        focused.send_keys(key).await.expect("send a key");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// Starts collecting Content-Security-Policy violations on this page.
    pub async fn watch_csp(&self) {
        self.eval(
            "window.__csp = [];
             document.addEventListener('securitypolicyviolation',
                 e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
             return null",
        )
        .await;
    }

    /// Fails on any CSP violation since [`Browser::watch_csp`].
    pub async fn assert_no_csp_violation(&self, context: &str) {
        let violations = self.eval("return window.__csp || []").await;
        assert_eq!(
            violations,
            serde_json::json!([]),
            "CSP violations on {context}"
        );
    }

    /// Runs axe-core on the page; fails on serious or critical violations.
    pub async fn assert_accessible(&self, context: &str) {
        let path =
            std::env::var("AXE_CORE").expect("AXE_CORE: run the tests with `cargo xtask test`");
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        self.client
            .execute(&format!("{source}; return null"), vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))),
                   e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        assert_eq!(
            found,
            serde_json::json!([]),
            "accessibility violations on {context}"
        );
    }

    /// Waits (through the service worker's one reload) until the page is isolated.
    pub async fn wait_until_isolated(&self) {
        for _ in 0..150 {
            let isolated = self
                .client
                .execute(
                    "return self.crossOriginIsolated && !!document.querySelector('article.page')",
                    vec![],
                )
                .await;
            if matches!(isolated, Ok(Value::Bool(true))) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Where it stopped: the worker's state, the page's, the reload flag.
        let state = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const page = {isolated: self.crossOriginIsolated, rendered: !!document.querySelector('article.page'),
                               controlled: !!navigator.serviceWorker.controller,
                               navigation: performance.getEntriesByType('navigation')[0].type,
                               reloadFlag: sessionStorage.getItem('concurrency-book.isolation-reload')};
                 navigator.serviceWorker.getRegistration().then(r => done({...page,
                     installing: !!(r && r.installing), waiting: !!(r && r.waiting),
                     active: r && r.active ? r.active.state : null}), e => done({...page, error: String(e)}));",
                vec![],
            )
            .await;
        panic!("the page did not become cross-origin isolated within 30 s: {state:?}");
    }

    /// Waits until the service worker is active and its offline cache holds the
    /// app: the page, the module and the stylesheet.
    pub async fn wait_for_offline_cache(&self) {
        let cached = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 navigator.serviceWorker.ready
                   .then(() => caches.keys())
                   .then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()))))
                   .then(lists => done(lists.flat().map(r => r.url)), e => done([]));",
                vec![],
            )
            .await
            .expect("ask the service worker");
        let urls: Vec<&str> = cached
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for ending in [
            "/index.html",
            "_bg.wasm",
            ".css",
            "workerHelpers.no-bundler.js",
        ] {
            assert!(
                urls.iter().any(|u| u.ends_with(ending)),
                "the offline cache lacks *{ending}: {urls:?}"
            );
        }
    }

    /// Ends the browser session cleanly before ChromeDriver is stopped.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(self.driver.id());
        let _ = self.driver.wait();
    }
}

/// Whether the browser may offer WebGPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gpu {
    /// `--disable-gpu`: no adapter, as on a machine without a usable GPU.
    Off,
    /// `--enable-unsafe-webgpu`: headless Chromium's software adapter.
    WebGpu,
}

/// ChromeDriver and the capabilities of a headless Chromium whose network
/// cannot leave 127.0.0.1.
fn chromium_capabilities(gpu: Gpu) -> (String, serde_json::Map<String, Value>) {
    let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-quic",
                match gpu {
                    Gpu::Off => "--disable-gpu",
                    Gpu::WebGpu => "--enable-unsafe-webgpu",
                },
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                // Any host but 127.0.0.1 fails to resolve: a request that tries to leave
                // shows up as a console error, which fails the test.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
            ]
        }),
    );
    capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    (driver, capabilities)
}

/// WebKitWebDriver (through the wrapper xtask writes, which gives it a
/// virtual display) and WebKitGTK's MiniBrowser. The machine's closed network
/// keeps its requests local.
fn webkit_capabilities() -> (String, serde_json::Map<String, Value>) {
    let driver = std::env::var("WEBKITDRIVER").unwrap_or_else(|_| "WebKitWebDriver".into());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("MiniBrowser"));
    (driver, capabilities)
}

/// geckodriver and the capabilities of a headless Firefox whose requests to
/// any other host go to a proxy that is not there.
fn firefox_capabilities() -> (String, serde_json::Map<String, Value>) {
    let driver = std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into());
    let firefox = std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("firefox"));
    capabilities.insert(
        "moz:firefoxOptions".into(),
        json!({
            "binary": firefox,
            "args": ["-headless"],
            "prefs": {
                "network.proxy.type": 1,
                "network.proxy.http": "127.0.0.1",
                "network.proxy.http_port": 9,
                "network.proxy.ssl": "127.0.0.1",
                "network.proxy.ssl_port": 9,
                "network.proxy.no_proxies_on": "127.0.0.1",
                "network.proxy.allow_hijacking_localhost": false,
                "network.captive-portal-service.enabled": false,
                "network.connectivity-service.enabled": false
            }
        }),
    );
    (driver, capabilities)
}

/// A POST to one of ChromeDriver's own endpoints, which are not in the W3C
/// protocol, so fantoccini has no method for them: the browser's log
/// (`se/log`) and the DevTools protocol (`goog/cdp/execute`).
#[derive(Debug)]
struct ChromeDriverPost {
    /// The endpoint under the session, such as `se/log`.
    endpoint: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for ChromeDriverPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.endpoint
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process standing in for a driver: `sleep`, in a group of its own.
    fn hung_driver() -> Child {
        Command::new("sleep")
            .arg("600")
            .process_group(0)
            .spawn()
            .expect("start sleep")
    }

    /// Whether `child` has ended within `within`.
    fn ends_within(child: &mut Child, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn a_session_past_its_limit_is_ended() {
        let mut driver = hung_driver();
        let _watchdog = Watchdog::guard(driver.id(), Duration::from_millis(200));
        assert!(
            ends_within(&mut driver, Duration::from_secs(10)),
            "the watchdog left the hung driver running"
        );
    }

    #[test]
    fn a_session_that_ends_in_time_stands_the_watchdog_down() {
        let mut driver = hung_driver();
        drop(Watchdog::guard(driver.id(), Duration::from_millis(200)));
        let ended = ends_within(&mut driver, Duration::from_millis(600));
        kill_group(driver.id());
        let _ = driver.wait();
        assert!(
            !ended,
            "the watchdog killed a session that had ended in time"
        );
    }
}
