//! A static file server as a plain host is: files only, no rewrite to
//! `index.html`, optionally the COOP/COEP headers, optionally under a sub-path.

use std::path::{Path, PathBuf};
use std::thread;

use tiny_http::{Header, Response, Server};

/// A server on an ephemeral port of 127.0.0.1, serving until the test process ends.
pub struct StaticHost {
    pub origin: String,
}

impl StaticHost {
    /// Serves `site` at `prefix` (`/` or `/book/`), with the isolation headers if `isolated`.
    pub fn start(site: &Path, prefix: &str, isolated: bool) -> Self {
        let server = Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let site = site.to_path_buf();
        let prefix = prefix.to_owned();
        thread::spawn(move || {
            for request in server.incoming_requests() {
                let response = respond(&site, &prefix, request.url(), isolated);
                let _ = request.respond(response);
            }
        });
        Self {
            origin: format!("http://127.0.0.1:{port}"),
        }
    }
}

fn respond(
    site: &Path,
    prefix: &str,
    url: &str,
    isolated: bool,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let response = match file_for(site, prefix, path)
        .and_then(|file| std::fs::read(&file).ok().map(|b| (file, b)))
    {
        Some((file, body)) => {
            Response::from_data(body).with_header(header("Content-Type", content_type(&file)))
        }
        None => Response::from_string("not found").with_status_code(404),
    };
    if isolated {
        response
            .with_header(header("Cross-Origin-Opener-Policy", "same-origin"))
            .with_header(header("Cross-Origin-Embedder-Policy", "require-corp"))
    } else {
        response
    }
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
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}
