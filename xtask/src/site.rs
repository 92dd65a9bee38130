//! The static site: Trunk's release build, plus one `index.html` per page so
//! that every URL of the book is a real file on any static host.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use concurrency_book::content::markdown::{self, Block};
use concurrency_book::content::search::{self, SearchIndex};
use concurrency_book::content::site::{
    html_path, questions_path, BUILD_FOLDER, BUILD_META, GLOSSARY_PATH, PRINT_PATH,
};
use concurrency_book::content::static_page::{self, SitePage, BOOK_NAME};
use concurrency_book::content::{book, print};
use concurrency_book::prerendered::GLOSSARY_HTML;
use sha2::{Digest, Sha256};

use crate::code::{Code, Repo, REPO_URL_VARIABLE};
use crate::tools::BuildTools;
use crate::{run, Result};

/// Where the site lives and what it links to.
pub struct Addresses<'a> {
    /// `/` or a sub-path like `/book/`.
    pub public_url: &'a str,
    /// `https://example.org`: the pages' links for search engines and
    /// shared previews are absolute, and a `sitemap.xml` lists them.
    pub site_url: Option<&'a str>,
    /// `https://github.com/owner/book`: the code panels link each item to
    /// its lines there, at the commit built.
    pub repo_url: Option<&'a str>,
}

impl<'a> Addresses<'a> {
    /// A site at `public_url`, with relative links and no code links.
    pub fn at(public_url: &'a str) -> Self {
        Self {
            public_url,
            site_url: None,
            repo_url: None,
        }
    }
}

/// Builds the site into `out`.
pub fn build(tools: &BuildTools, addresses: &Addresses, out: &Path) -> Result {
    let public_url = normalise(addresses.public_url)?;
    let site_url = addresses.site_url.map(normalise_site_url).transpose()?;
    let repo_url = addresses.repo_url.map(normalise_repo_url).transpose()?;
    run(tools
        .trunk_command()
        // For Trunk's pre-build hook (`cargo xtask generate`), whose pages
        // must link the same way as those written below.
        .env(REPO_URL_VARIABLE, repo_url.as_deref().unwrap_or_default())
        .args(["build", "--release", "--public-url", &public_url, "--dist"])
        .arg(out))?;
    let repo = match repo_url {
        Some(url) => Some(Repo {
            url,
            commit: Repo::commit(&crate::root())?,
        }),
        None => None,
    };
    let code = Code::build(&crate::root(), repo.as_ref())?;
    // Trunk's lock file is not part of the site.
    let _ = fs::remove_file(out.join(".trunk-lock"));
    let index = out.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let (html, policy) = with_content_security_policy(&html)?;
    let build = build_id(out)?;
    let shell = with_build_meta(&html, &build)?;
    write_policy_header(out, &policy)?;
    move_into_build_folder(out, &build)?;
    let pages = Pages {
        shell: &shell,
        public_url: &public_url,
        site_url: site_url.as_deref(),
        code: &code,
    };
    for page in SitePage::all() {
        let path = page.path().unwrap_or_default();
        let folder = out.join(&path);
        fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        fs::write(folder.join("index.html"), pages.html(page)?)
            .map_err(|e| format!("cannot write page {path}: {e}"))?;
    }
    // Hosts such as GitHub Pages serve 404.html for unknown paths: the book then shows its own "not found".
    fs::write(out.join("404.html"), pages.html(SitePage::NotFound)?)
        .map_err(|e| format!("cannot write 404.html: {e}"))?;
    if let Some(site_url) = &site_url {
        fs::write(out.join("sitemap.xml"), sitemap(site_url, &public_url))
            .map_err(|e| format!("cannot write sitemap.xml: {e}"))?;
    }
    finish_service_worker(out, &build)?;
    println!("xtask: site for {public_url} written to {}", out.display());
    Ok(())
}

/// What every page of one build shares: Trunk's page, its policy and build
/// added, and where the site lives.
struct Pages<'a> {
    shell: &'a str,
    public_url: &'a str,
    site_url: Option<&'a str>,
    /// Each widget's code panel and each example, highlighted.
    code: &'a Code,
}

impl Pages<'_> {
    /// `page`'s `index.html`: the shell with the page's own head and its text.
    fn html(&self, page: SitePage) -> Result<String> {
        let extra = match page {
            SitePage::Glossary => GLOSSARY_HTML.to_owned(),
            SitePage::Print => self.code.fill(print::html(book())),
            _ => String::new(),
        };
        let blocks = match page {
            SitePage::Section(section) => self.code.with_panels(markdown::render(
                section.source,
                &static_page::page_path(section, self.public_url),
            )),
            _ => Vec::new(),
        };
        let body = static_page::body(page, self.public_url, &blocks, &extra);
        let head = self.head(page);
        with_page(self.shell, &page.title(), &head, &body)
    }

    /// The page's description, canonical address and Open Graph tags.
    fn head(&self, page: SitePage) -> String {
        let description = markdown::escape(&page.description());
        let mut head = format!("<meta name=\"description\" content=\"{description}\">");
        match page.path() {
            Some(path) => {
                let address = format!(
                    "{}{}{path}",
                    self.site_url.unwrap_or_default(),
                    self.public_url
                );
                head.push_str(&format!(
                    "<link rel=\"canonical\" href=\"{address}\">\
                     <meta property=\"og:type\" content=\"{}\">\
                     <meta property=\"og:site_name\" content=\"{BOOK_NAME}\">\
                     <meta property=\"og:title\" content=\"{}\">\
                     <meta property=\"og:description\" content=\"{description}\">",
                    if path.is_empty() {
                        "website"
                    } else {
                        "article"
                    },
                    markdown::escape(&page.title()),
                ));
                if let Some(site_url) = self.site_url {
                    head.push_str(&format!(
                        "<meta property=\"og:url\" content=\"{address}\">\
                         <meta property=\"og:image\" content=\"{site_url}{}icons/icon-512.png\">",
                        self.public_url
                    ));
                }
            }
            // The page for every address that is not the book's.
            None => head.push_str("<meta name=\"robots\" content=\"noindex\">"),
        }
        head
    }
}

/// `shell` (Trunk's page, minified) with `title`, `head` after the title and
/// `body` as the body's content.
fn with_page(shell: &str, title: &str, head: &str, body: &str) -> Result<String> {
    let title_start = shell.find("<title>").ok_or("index.html has no <title>")? + "<title>".len();
    let title_end = shell.find("</title>").ok_or("index.html has no </title>")?;
    let body_open = shell
        .find("<body")
        .and_then(|start| shell[start..].find('>').map(|end| start + end + 1))
        .ok_or("index.html has no <body>")?;
    let body_close = shell.rfind("</body>").unwrap_or(shell.len());
    if !(title_end < body_open && body_open <= body_close) {
        return Err("index.html's <title> and <body> are not where a page has them".into());
    }
    Ok(format!(
        "{}{}</title>{head}{}{body}{}",
        &shell[..title_start],
        markdown::escape(title),
        &shell[title_end + "</title>".len()..body_open],
        &shell[body_close..]
    ))
}

/// `sitemap.xml`: every page a search engine should index, at its address.
fn sitemap(site_url: &str, public_url: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in SitePage::all() {
        // One reader's results, and a copy of every section, are not pages to find.
        if matches!(page, SitePage::YourMachine | SitePage::Print) {
            continue;
        }
        let path = page.path().unwrap_or_default();
        xml.push_str(&format!(
            "  <url><loc>{site_url}{public_url}{path}</loc></url>\n"
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `https://example.org/` becomes `https://example.org`: the public URL adds the path.
fn normalise_site_url(site_url: &str) -> Result<String> {
    let trimmed = site_url.trim_end_matches('/');
    let scheme_ok = trimmed.starts_with("https://") || trimmed.starts_with("http://");
    let host = trimmed.split_once("://").map_or("", |(_, rest)| rest);
    if !scheme_ok || host.is_empty() || host.contains(['/', '?', '#', '"', '<', '>', ' ']) {
        return Err(format!(
            "--site-url takes the site's origin, such as https://example.org, not {site_url:?}; \
             the path goes in --public-url"
        ));
    }
    Ok(trimmed.to_owned())
}

/// `https://github.com/owner/book/` becomes `https://github.com/owner/book`:
/// the panels add `/blob/<commit>/<file>#L…`.
fn normalise_repo_url(repo_url: &str) -> Result<String> {
    let trimmed = repo_url.trim_end_matches('/');
    let scheme_ok = trimmed.starts_with("https://") || trimmed.starts_with("http://");
    let rest = trimmed.split_once("://").map_or("", |(_, rest)| rest);
    if !scheme_ok || rest.is_empty() || rest.contains(['?', '#', '"', '<', '>', ' ']) {
        return Err(format!(
            "--repo-url takes the repository's web address, such as https://github.com/owner/book, not {repo_url:?}"
        ));
    }
    Ok(trimmed.to_owned())
}

/// Where `index.html`'s `copy-file` and `copy-dir` links find the files the
/// browser fetches rather than carrying them in the WebAssembly.
const GENERATED: &str = "target/generated";

/// Writes the files the site fetches: each page's HTML, the search index,
/// built from the content, and each section's questions. Trunk's pre-build
/// hook (`Trunk.toml`) runs this before every build, so a page edited while
/// `trunk serve` runs is served anew; Trunk then copies them into the site
/// (`index.html` links them).
pub fn write_generated() -> Result {
    let folder = crate::root().join(GENERATED);
    let repo = Repo::from_environment(&crate::root())?;
    let code = Code::build(&crate::root(), repo.as_ref())?;
    let questions = folder.join("questions");
    fs::create_dir_all(&questions)
        .map_err(|e| format!("cannot create {}: {e}", questions.display()))?;
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let index = SearchIndex::build(book(), &|word| stemmer.stem(word).into_owned());
    let json =
        serde_json::to_string(&index).map_err(|e| format!("cannot write the search index: {e}"))?;
    let path = folder.join(search::FILE);
    fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let pages = folder.join("pages");
    fs::create_dir_all(&pages).map_err(|e| format!("cannot create {}: {e}", pages.display()))?;
    for page in book().pages() {
        let runs: Vec<String> = markdown::render(page.source, markdown::PAGE_PATH_MARK)
            .into_iter()
            .filter_map(|block| match block {
                Block::Html(html) => Some(code.fill(html)),
                _ => None,
            })
            .collect();
        let json =
            serde_json::to_string(&runs).map_err(|e| format!("cannot write {}: {e}", page.slug))?;
        let path = folder.join(html_path(page.slug));
        fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let path = folder.join(GLOSSARY_PATH);
    fs::write(&path, GLOSSARY_HTML).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let path = folder.join(PRINT_PATH);
    fs::write(&path, code.fill(print::html(book())))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    for page in book().sections() {
        let json = page
            .questions
            .ok_or_else(|| format!("{} has no questions", page.slug))?;
        let path = crate::root()
            .join(GENERATED)
            .join(questions_path(page.slug));
        fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!(
        "xtask: pages, search index ({} entries, {} stems, {} other forms) and questions written to {GENERATED}",
        index.entries.len(),
        index.stems.len(),
        index.forms.len()
    );
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

/// The policy the built site satisfies; the end-to-end tests fail on any
/// violation (Chromium reports each one as a console error).
/// - `'wasm-unsafe-eval'`: compiling the WebAssembly module;
/// - the hash: Trunk's inline module script that starts the app;
/// - `worker-src blob:`: wasm-bindgen-rayon starts its workers from blob URLs.
fn content_security_policy(script_hashes: &[String]) -> String {
    let hashes: String = script_hashes
        .iter()
        .map(|h| format!(" 'sha256-{h}'"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
    )
}

/// Adds the site's policy to `_headers`, for hosts that read it (Netlify,
/// Cloudflare Pages): as a header it is enforced before the page's first byte
/// is parsed, and it can say `frame-ancestors`, which a `<meta>` policy cannot
/// (browsers ignore it there), so no other site can frame the book.
fn write_policy_header(out: &Path, policy: &str) -> Result {
    let path = out.join("_headers");
    let headers =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    fs::write(&path, with_policy_header(&headers, policy))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `headers` (a `_headers` file whose rules end with the one for `/*`) with
/// the policy and `frame-ancestors 'self'` added to that last rule.
fn with_policy_header(headers: &str, policy: &str) -> String {
    format!(
        "{}\n  Content-Security-Policy: {policy}; frame-ancestors 'self'\n",
        headers.trim_end()
    )
}

/// Adds the policy as a `<meta>` right after the charset, hashing every inline
/// script; returns the page and the policy.
fn with_content_security_policy(html: &str) -> Result<(String, String)> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let open_end = after.find('>').ok_or("unterminated <script> tag")?;
        let close = after
            .find("</script>")
            .ok_or("<script> without </script>")?;
        let tag = &after[..open_end];
        if !tag.contains("src=") {
            let body = &after[open_end + 1..close];
            hashes.push(
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())),
            );
        }
        rest = &after[close + "</script>".len()..];
    }
    // The policy goes right after the charset, which must come first; Trunk's
    // minifier writes that tag as `<meta charset=utf-8>`.
    let at = html
        .find("<meta charset")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .ok_or("index.html has no <meta charset> to put the policy after")?;
    let policy = content_security_policy(&hashes);
    Ok((
        format!(
            "{}<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">{}",
            &html[..at],
            &html[at..]
        ),
        policy,
    ))
}

/// The files of the site the service worker caches, relative to `out`, sorted.
fn site_files(out: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    collect_files(out, out, &mut files)?;
    files.retain(|f| f != "sw.js" && f != "_headers" && f != "404.html" && !f.starts_with('.'));
    files.sort();
    Ok(files)
}

/// The build's id: a hash of every file's name and bytes, so a build that
/// changes any file gets a new one and an unchanged rebuild keeps its own.
fn build_id(out: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for file in site_files(out)? {
        hasher.update(file.as_bytes());
        hasher.update(fs::read(out.join(&file)).map_err(|e| format!("cannot read {file}: {e}"))?);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The files a page fetches after it starts, which Trunk writes with fixed
/// names: they move into `build/<id>/`, so that a tab open across a deploy
/// asks for its own build's files and never loads another build's.
const BUILD_FILES: [&str; 5] = [
    "pages",
    "questions",
    search::FILE,
    "concurrency-widgets.js",
    "concurrency-widgets_bg.wasm",
];

/// Moves [`BUILD_FILES`] into the build's folder, with a copy of the
/// snippets the widgets module's glue imports from beside itself.
fn move_into_build_folder(out: &Path, build: &str) -> Result {
    let folder = out.join(BUILD_FOLDER).join(build);
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    for name in BUILD_FILES {
        fs::rename(out.join(name), folder.join(name))
            .map_err(|e| format!("cannot move {name} into {}: {e}", folder.display()))?;
    }
    copy_folder(&out.join("snippets"), &folder.join("snippets"))
}

fn copy_folder(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().ok_or("a nameless file")?);
        if path.is_dir() {
            copy_folder(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `html` naming its build in a `<meta>` after the charset (and the policy).
fn with_build_meta(html: &str, build: &str) -> Result<String> {
    let at = html
        .find("<meta charset")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .ok_or("index.html has no <meta charset> to put the build after")?;
    Ok(format!(
        "{}<meta name=\"{BUILD_META}\" content=\"{build}\">{}",
        &html[..at],
        &html[at..]
    ))
}

/// The build a built site's `index.html` names, and so its build folder.
pub fn build_folder(site: &Path) -> Result<PathBuf> {
    let index = site.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let tag = format!("<meta name=\"{BUILD_META}\" content=\"");
    let start = html
        .find(&tag)
        .map(|at| at + tag.len())
        .ok_or("index.html names no build")?;
    let id = html[start..].split('"').next().unwrap_or_default();
    Ok(site.join(BUILD_FOLDER).join(id))
}

/// Fills in the service worker's build id, the files it caches for offline
/// reading and the pages it serves: everything else on the origin is not the book's.
fn finish_service_worker(out: &Path, build: &str) -> Result {
    let worker = out.join("sw.js");
    let script = fs::read_to_string(&worker)
        .map_err(|e| format!("cannot read {}: {e}", worker.display()))?;
    let files = site_files(out)?;
    let list = serde_json::to_string(&files).map_err(|e| e.to_string())?;
    let pages: Vec<String> = SitePage::all().iter().filter_map(SitePage::path).collect();
    let pages = serde_json::to_string(&pages).map_err(|e| e.to_string())?;
    let filled = script
        .replacen(
            "const BUILD = \"dev\";",
            &format!("const BUILD = \"{build}\";"),
            1,
        )
        .replacen(
            "const PRECACHE = [];",
            &format!("const PRECACHE = {list};"),
            1,
        )
        .replacen("const PAGES = [];", &format!("const PAGES = {pages};"), 1);
    if !filled.contains(build) || !filled.contains(&list) || !filled.contains(&pages) {
        return Err(
            "www/sw.js lost its BUILD, PRECACHE or PAGES line: xtask cannot fill them in".into(),
        );
    }
    fs::write(&worker, filled).map_err(|e| format!("cannot write {}: {e}", worker.display()))?;
    println!(
        "xtask: service worker for build {build} caches {} files",
        files.len()
    );
    Ok(())
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result {
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<meta charset=\"utf-8\" />\n<script type=\"module\">go()</script><script src=\"a.js\"></script>";
        let (out, policy) = with_content_security_policy(html).expect("a policy");
        assert!(out.contains(&policy));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"go()"));
        assert!(out.contains(&format!("'sha256-{expected}'")), "{out}");
        assert_eq!(out.matches("sha256-").count(), 1, "{out}");
        assert!(out.contains("script-src 'self' 'wasm-unsafe-eval'"));
    }

    #[test]
    fn the_policy_follows_a_minified_charset_too() {
        let (out, _) =
            with_content_security_policy("<meta charset=utf-8><title>t</title>").expect("a policy");
        assert!(
            out.starts_with("<meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\""),
            "{out}"
        );
    }

    #[test]
    fn the_headers_file_gets_the_policy_and_forbids_framing_by_others() {
        let shipped = include_str!("../../www/_headers");
        let (_, policy) = with_content_security_policy("<meta charset=utf-8><script>go()</script>")
            .expect("a policy");
        let headers = with_policy_header(shipped, &policy);
        assert!(headers.starts_with(shipped.trim_end()), "{headers}");
        let last = headers.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            format!("  Content-Security-Policy: {policy}; frame-ancestors 'self'")
        );
        // It belongs to the rule for every path, the file's last.
        let rules: Vec<&str> = headers.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(rules, ["/*"], "{headers}");
    }

    #[test]
    fn the_build_named_in_the_page_is_the_folder_found() {
        let site = std::env::temp_dir().join(format!("site-build-{}", std::process::id()));
        fs::create_dir_all(&site).expect("a temporary site");
        let html = with_build_meta("<meta charset=utf-8><title>t</title>", "0a1b2c")
            .expect("a page with its build");
        assert!(
            html.starts_with("<meta charset=utf-8><meta name=\"book-build\""),
            "{html}"
        );
        fs::write(site.join("index.html"), html).expect("index.html");
        assert_eq!(
            build_folder(&site).expect("a build"),
            site.join("build").join("0a1b2c")
        );
        fs::write(site.join("index.html"), "<meta charset=utf-8>").expect("index.html");
        assert!(build_folder(&site).is_err(), "a page naming no build");
        let _ = fs::remove_dir_all(&site);
    }

    #[test]
    fn a_page_gets_its_title_head_and_text_in_the_shell() {
        let shell = "<meta charset=utf-8><title>Book</title><script type=module>go()</script><body></body></html>";
        let page = with_page(shell, "A & B", "<meta name=x>", "<p>text</p>").expect("a page");
        assert_eq!(
            page,
            "<meta charset=utf-8><title>A &amp; B</title><meta name=x><script type=module>go()</script><body><p>text</p></body></html>"
        );
        assert!(with_page("<body></body>", "t", "", "").is_err(), "no title");
    }

    #[test]
    fn each_page_names_its_canonical_address_under_the_public_url() {
        let code = Code::none();
        let pages = Pages {
            shell: "",
            public_url: "/book/",
            site_url: None,
            code: &code,
        };
        let section = SitePage::Section(&book().pages()[1]);
        let head = pages.head(section);
        let slug = book().pages()[1].slug;
        assert!(
            head.contains(&format!("<link rel=\"canonical\" href=\"/book/{slug}/\">")),
            "{head}"
        );
        assert!(
            head.contains("og:title") && !head.contains("og:url"),
            "{head}"
        );
        let pages = Pages {
            site_url: Some("https://example.org"),
            ..pages
        };
        let head = pages.head(section);
        assert!(
            head.contains(&format!("content=\"https://example.org/book/{slug}/\"")),
            "{head}"
        );
        assert!(
            head.contains("content=\"https://example.org/book/icons/icon-512.png\""),
            "{head}"
        );
        let missing = pages.head(SitePage::NotFound);
        assert!(
            missing.contains("noindex") && !missing.contains("canonical"),
            "{missing}"
        );
    }

    #[test]
    fn the_sitemap_lists_the_book_s_pages_at_their_addresses() {
        let xml = sitemap("https://example.org", "/book/");
        assert!(xml.contains("<loc>https://example.org/book/</loc>"));
        let sections = book().sections().len();
        assert_eq!(xml.matches("<loc>").count(), sections + 2, "{xml}");
        assert!(!xml.contains("your-machine") && !xml.contains("print/"));
    }

    #[test]
    fn a_site_url_is_an_origin() {
        assert_eq!(
            normalise_site_url("https://example.org/").as_deref(),
            Ok("https://example.org")
        );
        for wrong in [
            "example.org",
            "https://example.org/book",
            "ftp://x",
            "https://",
        ] {
            assert!(normalise_site_url(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_page_without_a_charset_is_refused() {
        assert!(with_content_security_policy("<html></html>").is_err());
    }
}
