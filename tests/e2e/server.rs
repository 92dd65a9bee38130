//! A static file server as a plain host is: files only, no rewrite to
//! `index.html`, optionally the headers the site's `_headers` file asks for
//! (COOP/COEP, the Content-Security-Policy), optionally under a sub-path.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::browser::Engine;

/// How the host behaves.
#[derive(Debug, Clone, Copy)]
pub struct Hosting {
    /// Sends every header of the site's `_headers` file with every response,
    /// as Netlify or Cloudflare Pages would: COOP/COEP and the policy.
    pub headers: bool,
    /// Serves the book's service worker (`sw.js`); without it the book cannot
    /// isolate itself, which is how a "no isolation at all" reader is tested.
    pub service_worker: bool,
}

impl Hosting {
    /// A host that sends the isolation headers.
    pub const ISOLATED: Hosting = Hosting {
        headers: true,
        service_worker: true,
    };
    /// A plain host (GitHub Pages): no headers, but the service worker is there.
    pub const PLAIN: Hosting = Hosting {
        headers: false,
        service_worker: true,
    };
    /// Isolated by its headers, with no service worker: nothing is cached
    /// between the host and the page, and no load is answered but by the host.
    pub const HEADERS_ONLY: Hosting = Hosting {
        headers: true,
        service_worker: false,
    };
    /// Where the worker pool cannot start in this run: a host without
    /// isolation, or, in WebKit run without its SharedArrayBuffer switch, an
    /// isolated host (isolated, and still no shared memory).
    pub fn without_the_pool() -> Hosting {
        if Engine::current().shares_memory() {
            Hosting::UNISOLATED
        } else {
            Hosting::ISOLATED
        }
    }

    /// No headers and no service worker: the page cannot be isolated.
    pub const UNISOLATED: Hosting = Hosting {
        headers: false,
        service_worker: false,
    };
}

/// A server on an ephemeral port of 127.0.0.1, serving until stopped or the test ends.
pub struct StaticHost {
    pub origin: String,
    online: Arc<AtomicBool>,
    /// Requests whose path ends with the text are answered this much later.
    slow: Arc<Mutex<Option<(String, Duration)>>>,
    /// Requests whose path ends with the text get a 404 once this many more
    /// of them have been answered.
    refused: Arc<Mutex<Option<(String, usize)>>>,
    /// The folder served: a deploy replaces it.
    site: Arc<Mutex<Arc<Path>>>,
    /// Whether every response forbids the page's scripts.
    no_scripts: Arc<AtomicBool>,
    /// Whether pages are served without their text.
    no_text: Arc<AtomicBool>,
    hosting: Hosting,
}

impl StaticHost {
    /// Serves `site` at `prefix` (`/` or `/book/`) as `hosting` says.
    ///
    /// One thread runs an event loop, and every connection is a task on it,
    /// so no connection waits for another: Firefox's service worker opens
    /// several connections at once to precache the book, and a host whose
    /// connection threads are held by idle keep-alive connections would leave
    /// one unread.
    pub fn start(site: &Path, prefix: &str, hosting: Hosting) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("a local address").port();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let headers: Arc<[(String, String)]> = if hosting.headers {
            site_headers(site).into()
        } else {
            Arc::from([])
        };
        let site = Arc::new(Mutex::new(Arc::<Path>::from(site)));
        let deployed = Arc::clone(&site);
        let prefix: Arc<str> = prefix.into();
        let online = Arc::new(AtomicBool::new(true));
        let serving = Arc::clone(&online);
        let slow = Arc::new(Mutex::new(None::<(String, Duration)>));
        let slowing = Arc::clone(&slow);
        let refused = Arc::new(Mutex::new(None::<(String, usize)>));
        let refusing = Arc::clone(&refused);
        let no_scripts = Arc::new(AtomicBool::new(false));
        let forbidding = Arc::clone(&no_scripts);
        let no_text = Arc::new(AtomicBool::new(false));
        let stripping = Arc::clone(&no_text);
        thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .enable_time()
                .build()
                .expect("an event loop for the test host");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a listener on the loop");
                while let Ok((stream, _)) = listener.accept().await {
                    let (deployed, prefix, serving, headers, slowing, refusing, forbidding) = (
                        Arc::clone(&deployed),
                        prefix.clone(),
                        Arc::clone(&serving),
                        Arc::clone(&headers),
                        Arc::clone(&slowing),
                        Arc::clone(&refusing),
                        Arc::clone(&forbidding),
                    );
                    let stripping = Arc::clone(&stripping);
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let site = deployed
                            .lock()
                            .map(|site| Arc::clone(&site))
                            .expect("the served folder");
                        let mut response = if !serving.load(Ordering::Relaxed) {
                            // Offline: the host is down. (A closed port cannot be had here:
                            // the browser's open keep-alive connections would hang instead.)
                            status(StatusCode::SERVICE_UNAVAILABLE, "offline")
                        } else if refuse(&refusing, request.uri().path()) {
                            status(StatusCode::NOT_FOUND, "not found")
                        } else {
                            let page = Page {
                                path: request.uri().path(),
                                without_text: stripping.load(Ordering::Relaxed),
                            };
                            respond(&site, &prefix, page, hosting, &headers)
                        };
                        if forbidding.load(Ordering::Relaxed) {
                            response.headers_mut().insert(
                                http::header::CONTENT_SECURITY_POLICY,
                                http::HeaderValue::from_static("script-src 'none'"),
                            );
                        }
                        let path = request.uri().path().to_owned();
                        let delay = slowing
                            .lock()
                            .ok()
                            .and_then(|slow| slow.clone())
                            .filter(|(ending, _)| path.ends_with(ending.as_str()))
                            .map(|(_, delay)| delay);
                        async move {
                            if let Some(delay) = delay {
                                tokio::time::sleep(delay).await;
                            }
                            Ok::<_, Infallible>(response)
                        }
                    });
                    tokio::spawn(async move {
                        // A connection the browser drops is its own business.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        Self {
            origin: format!("http://127.0.0.1:{port}"),
            online,
            slow,
            refused,
            site,
            no_scripts,
            no_text,
            hosting,
        }
    }

    /// From now on serves every page with an empty body, as every page of
    /// the book was served before pages held their text: the app then
    /// renders the page itself once its WebAssembly runs. For the bench's
    /// side-by-side first-text figures.
    pub fn serve_without_text(&self) {
        self.no_text.store(true, Ordering::Relaxed);
    }

    /// From now on forbids every page script (`script-src 'none'`): the
    /// browser runs none of the book's JavaScript, and so none of its
    /// WebAssembly, as with JavaScript switched off, in every engine alike.
    pub fn refuse_scripts(&self) {
        self.no_scripts.store(true, Ordering::Relaxed);
    }

    /// From now on serves `site` instead, as a deploy replaces a host's files.
    pub fn deploy(&self, site: &Path) {
        if let Ok(mut served) = self.site.lock() {
            *served = site.into();
        }
    }

    /// From now on answers requests whose path ends with `ending` with 404
    /// once `served` more of them have been answered, as a host that lost the
    /// file (or a flaky network) would; `None` serves them again.
    pub fn refuse(&self, refusal: Option<(&str, usize)>) {
        if let Ok(mut refused) = self.refused.lock() {
            *refused = refusal.map(|(ending, served)| (ending.to_owned(), served));
        }
    }

    /// From now on answers requests whose path ends with `ending` only after
    /// `delay`, as a slow network would.
    pub fn slow_down(&self, ending: &str, delay: Duration) {
        if let Ok(mut slow) = self.slow.lock() {
            *slow = Some((ending.to_owned(), delay));
        }
    }

    /// Console errors this host causes on purpose: Chromium reports the missing
    /// service worker script when the host does not serve it.
    pub fn expected_errors(&self) -> &'static [&'static str] {
        if self.hosting.service_worker {
            &[]
        } else {
            &["A bad HTTP response code (404) was received when fetching the script"]
        }
    }

    /// From now on every request fails (503), as when the host or the network is down.
    pub fn go_offline(&self) {
        self.online.store(false, Ordering::Relaxed);
    }
}

/// Whether the refusal in force turns the request for `path` away; counts it.
fn refuse(refusal: &Mutex<Option<(String, usize)>>, path: &str) -> bool {
    let Ok(mut refusal) = refusal.lock() else {
        return false;
    };
    match refusal.as_mut() {
        Some((ending, served)) if path.ends_with(ending.as_str()) => {
            if *served == 0 {
                return true;
            }
            *served -= 1;
            false
        }
        _ => false,
    }
}

/// What is asked for, and how a page is to be served.
struct Page<'a> {
    path: &'a str,
    without_text: bool,
}

/// The host's answer to a request for `page.path`.
fn respond(
    site: &Path,
    prefix: &str,
    page: Page,
    hosting: Hosting,
    headers: &[(String, String)],
) -> Response<Full<Bytes>> {
    let path = page.path;
    let hook = Engine::current().needs_console_hook();
    let mut response = if hook && path.ends_with(CONSOLE_HOOK_FILE) {
        file_response(CONSOLE_HOOK.into(), "text/javascript")
    } else {
        let hidden = !hosting.service_worker && path.ends_with("/sw.js");
        let file = if hidden {
            None
        } else {
            file_for(site, prefix, path)
        };
        match file.and_then(|file| std::fs::read(&file).ok().map(|body| (file, body))) {
            Some((file, body)) => {
                let html = file.extension().is_some_and(|e| e == "html");
                let body = if html && page.without_text {
                    without_text(body)
                } else {
                    body
                };
                let body = if hook && html {
                    with_console_hook(body, prefix)
                } else {
                    body
                };
                file_response(body, content_type(&file))
            }
            None => status(StatusCode::NOT_FOUND, "not found"),
        }
    };
    for (name, value) in headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        let value = http::HeaderValue::from_str(value).expect("a header value");
        response.headers_mut().insert(name, value);
    }
    response
}

/// The headers the site's `_headers` file sets for every path (`/*`), which
/// must include the two that isolate the page and the policy.
fn site_headers(site: &Path) -> Vec<(String, String)> {
    let file = std::fs::read_to_string(site.join("_headers")).expect("the site has _headers");
    let headers: Vec<(String, String)> = file
        .lines()
        .skip_while(|line| line.trim() != "/*")
        .skip(1)
        .take_while(|line| line.starts_with(' '))
        .filter_map(|line| line.trim().split_once(": "))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    for needed in [
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Embedder-Policy",
        "Content-Security-Policy",
    ] {
        assert!(
            headers.iter().any(|(name, _)| name == needed),
            "_headers sets no {needed} for /*: {headers:?}"
        );
    }
    headers
}

fn file_response(body: Vec<u8>, content_type: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    response
}

fn status(code: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = code;
    response
}

/// Where the console hook is served, under the site's prefix.
const CONSOLE_HOOK_FILE: &str = "__console.js";

/// Test instrumentation for drivers without a console log (geckodriver,
/// WebKitWebDriver): keeps what the page reports as an error in
/// `sessionStorage`, which lasts through the service worker's reload, for
/// [`super::browser::Browser::console`] to read; and counts the documents the
/// tab loaded, wherever from (the host, the service worker, a cache), for
/// [`super::browser::Browser::documents_loaded`].
const CONSOLE_HOOK: &str = r#"(() => {
  sessionStorage.setItem("__documents", String(Number(sessionStorage.getItem("__documents") || 0) + 1));
  const keep = (message) => {
    try {
      const kept = JSON.parse(sessionStorage.getItem("__console") || "[]");
      kept.push("SEVERE " + message);
      sessionStorage.setItem("__console", JSON.stringify(kept));
    } catch (_) {}
  };
  const error = console.error.bind(console);
  console.error = (...args) => { keep(args.map(String).join(" ")); error(...args); };
  // The capture phase also sees resources (scripts, images) that fail to load.
  addEventListener("error", (e) => keep(e.message || "failed to load " + (e.target && (e.target.src || e.target.href))), true);
  addEventListener("unhandledrejection", (e) => keep("unhandled rejection: " + e.reason));
  document.addEventListener("securitypolicyviolation", (e) => keep("CSP " + e.violatedDirective + " " + e.blockedURI + " " + e.sample));
})();"#;

/// `html` with an empty `<body>`.
fn without_text(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html).into_owned();
    match (text.find("<body>"), text.rfind("</body>")) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{}", &text[..open + "<body>".len()], &text[close..]).into_bytes()
        }
        _ => html,
    }
}

/// `html` with the console hook as its first script, right after the CSP that governs it.
fn with_console_hook(html: Vec<u8>, prefix: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html).into_owned();
    let tag = format!("<script src=\"{prefix}{CONSOLE_HOOK_FILE}\"></script>");
    let after = text
        .find("Content-Security-Policy")
        .and_then(|at| text[at..].find('>').map(|end| at + end + 1))
        .or_else(|| {
            text.find("<meta charset=utf-8>")
                .map(|at| at + "<meta charset=utf-8>".len())
        })
        .unwrap_or(0);
    let mut out = text;
    out.insert_str(after, &tag);
    out.into_bytes()
}

/// The file a static host would serve for `path`: folders serve their `index.html`.
fn file_for(site: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let inside = path
        .strip_prefix(prefix.trim_end_matches('/'))?
        .trim_start_matches('/');
    if inside.split('/').any(|part| part == "..") {
        return None;
    }
    let candidate = site.join(inside);
    let file = if candidate.is_dir() {
        candidate.join("index.html")
    } else {
        candidate
    };
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
