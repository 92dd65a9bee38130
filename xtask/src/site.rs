//! The static site: Trunk's release build, plus one `index.html` per page so
//! that every URL of the book is a real file on any static host.

use std::fs;
use std::path::Path;

use concurrency_book::content::book;

use crate::tools::BuildTools;
use crate::{run, Result};

/// Builds the site for `public_url` (`/` or a sub-path like `/book/`) into `out`.
pub fn build(tools: &BuildTools, public_url: &str, out: &Path) -> Result {
    let public_url = normalise(public_url)?;
    run(tools
        .trunk_command()
        .args(["build", "--release", "--public-url", &public_url, "--dist"])
        .arg(out))?;
    // Trunk's lock file is not part of the site.
    let _ = fs::remove_file(out.join(".trunk-lock"));
    let index = out.join("index.html");
    let html = fs::read(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    for page in book().sections() {
        let folder = out.join(page.slug);
        fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        fs::write(folder.join("index.html"), &html)
            .map_err(|e| format!("cannot write page {}: {e}", page.slug))?;
    }
    // Hosts such as GitHub Pages serve 404.html for unknown paths: the book then shows its own "not found".
    fs::write(out.join("404.html"), &html).map_err(|e| format!("cannot write 404.html: {e}"))?;
    println!("xtask: site for {public_url} written to {}", out.display());
    Ok(())
}

/// `book` and `/book` become `/book/`; the URL must be a path, not an address.
fn normalise(public_url: &str) -> Result<String> {
    if public_url.contains("://") || public_url.contains(char::is_whitespace) {
        return Err(format!(
            "--public-url takes a path such as /book/, not {public_url:?}"
        ));
    }
    let trimmed = public_url.trim_matches('/');
    Ok(if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    })
}
