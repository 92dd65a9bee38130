//! The first page's weight: what a reader downloads before the book is
//! running (the front page's HTML, which holds its text, and the CSS,
//! JavaScript and WebAssembly it loads), gzip-compressed as static hosts
//! serve it.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::Result;

/// The budget for the first page's transfer, in bytes (250 kB): the book's
/// shell, which paints every page's text; the widgets are not part of it.
pub const FIRST_PAGE_LIMIT: usize = 250_000;

/// The budget for the widgets module, in bytes (395 kB), loaded after the
/// text has painted, when a page first shows a widget: the kernels (SIMD
/// included), the pool, the WebGPU bindings and every widget. The
/// memory-ordering lab is about 60 kB of it; the module is one download for
/// every page with a widget, so a lab that heavy is the point at which it
/// should split by section.
pub const WIDGETS_MODULE_LIMIT: usize = 395_000;

/// The widgets module's files, as Trunk names a `data-type="worker"` build.
const WIDGETS_GLUE: &str = "concurrency-widgets.js";
const WIDGETS_WASM: &str = "concurrency-widgets_bg.wasm";

/// Each asset `index.html` loads, with its raw and gzip sizes.
pub struct Transfer {
    pub assets: Vec<(String, usize, usize)>,
}

impl Transfer {
    pub fn gzip_total(&self) -> usize {
        self.assets.iter().map(|(_, _, gz)| gz).sum()
    }

    /// Prints each asset and the total, named `what`, against `limit`.
    pub fn print(&self, what: &str, limit: usize) {
        for line in self.lines(what, limit) {
            println!("{line}");
        }
    }

    /// Each asset's weight, then the total against `limit`, a line each.
    pub fn lines(&self, what: &str, limit: usize) -> Vec<String> {
        let mut lines: Vec<String> = self
            .assets
            .iter()
            .map(|(name, raw, gz)| format!("  {name}: {raw} B raw, {gz} B gzip"))
            .collect();
        lines.push(format!(
            "  {what}: {} B gzip (budget {limit} B)",
            self.gzip_total()
        ));
        lines
    }

    /// Refuses a transfer over `limit`, saying which.
    pub fn check(&self, what: &str, limit: usize) -> Result {
        if self.gzip_total() > limit {
            return Err(format!(
                "the {what} weighs {} B gzip, over the {limit} B budget",
                self.gzip_total()
            ));
        }
        Ok(())
    }
}

/// The assets the site's `index.html` references, measured.
pub fn first_page(site: &Path, public_url: &str) -> Result<Transfer> {
    let mut assets = page_assets(site, "index.html", public_url, |name| {
        [".js", ".wasm", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext))
    })?;
    // Modules the JS glue imports (wasm-bindgen's snippets): fetched on the
    // first page too, though `index.html` does not name them.
    add_snippets(site, &mut assets)?;
    if !assets.iter().any(|(name, _, _)| name.ends_with(".wasm")) {
        return Err("index.html references no .wasm: cannot measure the first page".into());
    }
    Ok(Transfer { assets })
}

/// What page `slug` needs before its text can paint: its HTML, the CSS and
/// `boot.js` (the theme), which the browser waits for; the scripts that
/// start the app are modules, which it does not wait for.
pub fn first_text(site: &Path, slug: &str, public_url: &str) -> Result<Transfer> {
    let page = format!("{slug}/index.html");
    let assets = page_assets(site, &page, public_url, |name| {
        name.ends_with(".css") || (name.starts_with("boot-") && name.ends_with(".js"))
    })?;
    Ok(Transfer { assets })
}

/// The page at `page` (relative to `site`) and the files it names under
/// `public_url` that `keep` keeps, each with its raw and gzip size.
fn page_assets(
    site: &Path,
    page: &str,
    public_url: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<(String, usize, usize)>> {
    let html =
        std::fs::read_to_string(site.join(page)).map_err(|e| format!("cannot read {page}: {e}"))?;
    let mut assets = vec![(page.to_owned(), html.len(), gzip_size(html.as_bytes())?)];
    // Trunk's minifier leaves attribute values unquoted and the module script
    // names the wasm in a template literal: split on every such delimiter.
    let tokens = html.split(|c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | '=' | '<' | '>' | '(' | ')' | ',' | ';'
        ) || c.is_whitespace()
    });
    for quoted in tokens {
        let Some(relative) = quoted.strip_prefix(public_url) else {
            continue;
        };
        if !keep(relative) || assets.iter().any(|(name, _, _)| name == relative) {
            continue;
        }
        let bytes = std::fs::read(site.join(relative))
            .map_err(|e| format!("cannot read {relative}: {e}"))?;
        assets.push((relative.to_owned(), bytes.len(), gzip_size(&bytes)?));
    }
    Ok(assets)
}

/// The widgets module (`concurrency-widgets`), which a page loads when it
/// first shows a widget: its glue, its WebAssembly and the glue's snippets.
pub fn widgets_module(site: &Path) -> Result<Transfer> {
    let mut assets = Vec::new();
    for name in [WIDGETS_GLUE, WIDGETS_WASM] {
        let name = build_file(site, name);
        let bytes = std::fs::read(site.join(&name))
            .map_err(|e| format!("cannot read {name}, the widgets module: {e}"))?;
        assets.push((name, bytes.len(), gzip_size(&bytes)?));
    }
    add_snippets(site, &mut assets)?;
    Ok(Transfer { assets })
}

/// Where a built site keeps its build's file `name`, relative to the site:
/// in the build's folder, or beside the page in a site without one.
fn build_file(site: &Path, name: &str) -> String {
    crate::site::build_folder(site)
        .ok()
        .and_then(|folder| folder.strip_prefix(site).ok().map(Path::to_path_buf))
        .map_or_else(
            || name.to_owned(),
            |folder| format!("{}/{name}", folder.to_string_lossy()),
        )
}

/// Adds the snippets the measured JavaScript imports, once each.
fn add_snippets(site: &Path, assets: &mut Vec<(String, usize, usize)>) -> Result {
    let glue: Vec<String> = assets
        .iter()
        .filter(|(name, _, _)| name.ends_with(".js"))
        .map(|(name, _, _)| name.clone())
        .collect();
    for script in glue {
        let text = std::fs::read_to_string(site.join(&script))
            .map_err(|e| format!("cannot read {script}: {e}"))?;
        // Imports are relative to the importing script's folder.
        let folder = script.rfind('/').map_or("", |at| &script[..=at]);
        for imported in text.split(['"', '\'', '`']).filter_map(|token| {
            token
                .strip_prefix("./")
                .filter(|path| path.starts_with("snippets/") && path.ends_with(".js"))
        }) {
            let imported = format!("{folder}{imported}");
            if assets.iter().any(|(name, _, _)| *name == imported) {
                continue;
            }
            let bytes = std::fs::read(site.join(&imported))
                .map_err(|e| format!("cannot read {imported}: {e}"))?;
            assets.push((imported, bytes.len(), gzip_size(&bytes)?));
        }
    }
    Ok(())
}

/// Bytes after gzip at its best level, as a static host would serve them.
fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_found_in_minified_html() {
        let site = std::env::temp_dir().join(format!("budget-test-{}", std::process::id()));
        std::fs::create_dir_all(&site).expect("a temporary site");
        let html = "<meta charset=utf-8><base href=/b/><script type=module>import init from\"/b/a.js\";\
                    await init({module_or_path:`/b/a_bg.wasm`});</script><link href=/b/s.css rel=stylesheet>";
        std::fs::write(site.join("index.html"), html).expect("index.html");
        for (file, bytes) in [("a_bg.wasm", 100), ("s.css", 20)] {
            std::fs::write(site.join(file), vec![b'x'; bytes]).expect("an asset");
        }
        std::fs::write(
            site.join("a.js"),
            r#"import{x as e}from"./snippets/h/w.js";"#,
        )
        .expect("the glue");
        std::fs::create_dir_all(site.join("snippets/h")).expect("a snippets folder");
        std::fs::write(site.join("snippets/h/w.js"), "export const x = 1;").expect("a snippet");
        let transfer = first_page(&site, "/b/").expect("measured");
        let names: Vec<&str> = transfer
            .assets
            .iter()
            .map(|(name, _, _)| name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "index.html",
                "a.js",
                "a_bg.wasm",
                "s.css",
                "snippets/h/w.js"
            ]
        );
        let _ = std::fs::remove_dir_all(&site);
    }

    #[test]
    fn the_first_text_needs_the_page_its_style_and_boot_only() {
        let site = std::env::temp_dir().join(format!("text-test-{}", std::process::id()));
        std::fs::create_dir_all(site.join("p")).expect("a temporary site");
        let html = "<meta charset=utf-8><script src=/boot-1.js></script><script type=module>\
                    import init from\"/a.js\";</script><link href=/s.css rel=stylesheet><body>text";
        std::fs::write(site.join("p/index.html"), html).expect("the page");
        for file in ["boot-1.js", "a.js", "s.css"] {
            std::fs::write(site.join(file), "x").expect("an asset");
        }
        let transfer = first_text(&site, "p", "/").expect("measured");
        let names: Vec<&str> = transfer
            .assets
            .iter()
            .map(|(name, _, _)| name.as_str())
            .collect();
        assert_eq!(names, ["p/index.html", "boot-1.js", "s.css"]);
        let _ = std::fs::remove_dir_all(&site);
    }
}
