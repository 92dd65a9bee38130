//! A static file server as a plain host is: files only, no rewrite to
//! `index.html`, optionally the COOP/COEP headers, optionally under a sub-path.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use tiny_http::{Header, Response, Server};

use super::browser::Engine;

/// How the host behaves.
#[derive(Debug, Clone, Copy)]
pub struct Hosting {
    /// Sends COOP/COEP with every response.
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
    /// No headers and no service worker: the page cannot be isolated.
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

    pub const UNISOLATED: Hosting = Hosting {
        headers: false,
        service_worker: false,
    };
}

/// A server on an ephemeral port of 127.0.0.1, serving until stopped or the test ends.
pub struct StaticHost {
    pub origin: String,
    online: Arc<AtomicBool>,
    hosting: Hosting,
}

impl StaticHost {
    /// Serves `site` at `prefix` (`/` or `/book/`) as `hosting` says.
    pub fn start(site: &Path, prefix: &str, hosting: Hosting) -> Self {
        let server = Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let site = site.to_path_buf();
        let prefix = prefix.to_owned();
        let online = Arc::new(AtomicBool::new(true));
        let serving = Arc::clone(&online);
        thread::spawn(move || {
            for request in server.incoming_requests() {
                if serving.load(Ordering::Relaxed) {
                    let response = respond(&site, &prefix, request.url(), hosting);
                    let _ = request.respond(response);
                } else {
                    // Offline: the host is down. (A closed port cannot be had here:
                    // the browser's open keep-alive connections would hang instead.)
                    let _ = request.respond(Response::from_string("offline").with_status_code(503));
                }
            }
        });
        Self {
            origin: format!("http://127.0.0.1:{port}"),
            online,
            hosting,
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

fn respond(
    site: &Path,
    prefix: &str,
    url: &str,
    hosting: Hosting,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let hook = Engine::current().needs_console_hook();
    if hook && path.ends_with(CONSOLE_HOOK_FILE) {
        return Response::from_string(CONSOLE_HOOK)
            .with_header(header("Content-Type", "text/javascript"));
    }
    let hidden = !hosting.service_worker && path.ends_with("/sw.js");
    let file = if hidden {
        None
    } else {
        file_for(site, prefix, path)
    };
    let response = match file.and_then(|file| std::fs::read(&file).ok().map(|body| (file, body))) {
        Some((file, body)) => {
            let body = if hook && file.extension().is_some_and(|e| e == "html") {
                with_console_hook(body, prefix)
            } else {
                body
            };
            Response::from_data(body).with_header(header("Content-Type", content_type(&file)))
        }
        None => Response::from_string("not found").with_status_code(404),
    };
    if hosting.headers {
        response
            .with_header(header("Cross-Origin-Opener-Policy", "same-origin"))
            .with_header(header("Cross-Origin-Embedder-Policy", "require-corp"))
    } else {
        response
    }
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}
