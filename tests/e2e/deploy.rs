//! A reader who keeps a tab open across a deploy: the tab goes on reading its
//! own build's files, never the next build's, until the reader reloads; and
//! when its files are gone from the host it says so and offers the reload.

use std::fs;
use std::path::{Path, PathBuf};

use concurrency_book::content::site::BUILD_FOLDER;

use super::browser::Browser;
use super::server::{Hosting, StaticHost};
use super::{page_url, site};

/// The next deploy of an edited book: a copy of a built site under a new
/// build id, with `MARKER` at the start of the TL;DR page's text, in its
/// page file and in the page as served, as a real build would have it.
struct NextBuild {
    folder: PathBuf,
    id: String,
    previous: String,
}

/// What the next build says that the site's own build does not.
const MARKER: &str = "Edited in the next build.";

impl NextBuild {
    fn of(site: &Path, name: &str) -> Self {
        let previous = build_id(site);
        // Another id of the same shape: the old one reversed.
        let id: String = previous.chars().rev().collect();
        assert_ne!(id, previous, "a build id that reads the same reversed");
        let folder = std::env::temp_dir().join(format!("book-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        copy_folder(site, &folder);
        let builds = folder.join(BUILD_FOLDER);
        fs::rename(builds.join(&previous), builds.join(&id)).expect("rename the build folder");
        rename_build(&folder, &previous, &id);
        let page = builds.join(&id).join("pages/tl-dr.json");
        let mut runs: Vec<String> =
            serde_json::from_str(&fs::read_to_string(&page).expect("the TL;DR page's file"))
                .expect("a page file is a list of HTML runs");
        runs[0] = format!("<p>{MARKER}</p>{}", runs[0]);
        fs::write(&page, serde_json::to_string(&runs).expect("JSON")).expect("write the page");
        let served = folder.join("tl-dr").join("index.html");
        let html = fs::read_to_string(&served).expect("the TL;DR page as served");
        let html = html.replacen("<!--run-->", &format!("<!--run--><p>{MARKER}</p>"), 1);
        assert!(
            html.contains(MARKER),
            "the served TL;DR page marks its text"
        );
        fs::write(&served, html).expect("write the page as served");
        Self {
            folder,
            id,
            previous,
        }
    }
}

impl Drop for NextBuild {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.folder);
    }
}

/// The build a site's `index.html` names.
fn build_id(site: &Path) -> String {
    let html = fs::read_to_string(site.join("index.html")).expect("the site's index.html");
    let tag = "<meta name=\"book-build\" content=\"";
    let start = html.find(tag).expect("index.html names its build") + tag.len();
    html[start..]
        .split('"')
        .next()
        .expect("a build id")
        .to_owned()
}

/// Every page and the service worker of the copy name build `id` instead.
fn rename_build(folder: &Path, previous: &str, id: &str) {
    for entry in fs::read_dir(folder).expect("list the copy") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != BUILD_FOLDER) {
                rename_build(&path, previous, id);
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "html" || e == "js" && path.ends_with("sw.js"))
        {
            let text = fs::read_to_string(&path).expect("a page");
            fs::write(&path, text.replace(previous, id)).expect("rewrite a page");
        }
    }
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).expect("list a folder") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy a file");
        }
    }
}

async fn build_shown(browser: &Browser) -> String {
    browser
        .eval("return document.querySelector('meta[name=book-build]').content")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the tab shows build `id` (after a reload).
async fn wait_for_build(browser: &Browser, id: &str) {
    for _ in 0..100 {
        if build_shown(browser).await == id {
            browser
                .wait_until_within(
                    "!document.getElementById('static-book') && document.querySelector('article.page h2')",
                    "the reloaded page was taken over",
                    30,
                )
                .await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the tab never showed build {id}");
}

/// Opens the TL;DR page from the contents and returns its text.
async fn read_tl_dr(browser: &Browser) -> String {
    browser.click(".sidebar a[href$='tl-dr/']").await;
    browser.wait_for("article.page h2", 10).await;
    browser.page_text().await
}

/// Presses the update notice's Reload and checks the tab then shows `next`.
async fn reload_into(browser: &Browser, next: &NextBuild) {
    browser.click(".update-notice button").await;
    wait_for_build(browser, &next.id).await;
    let text = read_tl_dr(browser).await;
    assert!(
        text.contains(MARKER),
        "the reload shows the new build: {text}"
    );
}

/// Without a service worker the old build's files are gone with the deploy:
/// the tab says so, offers the reload, and the reload shows the new build.
#[tokio::test]
async fn a_tab_whose_build_is_gone_from_the_host_asks_for_a_reload() {
    let site = site("BOOK_SITE_ROOT");
    let next = NextBuild::of(&site, "gone");
    let host = StaticHost::start(&site, "/", Hosting::HEADERS_ONLY);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    browser.wait_for("article.page h2", 10).await;
    host.deploy(&next.folder);

    browser.click(".sidebar a[href$='tl-dr/']").await;
    let notice = browser.wait_for(".update-notice", 10).await;
    let notice = notice.text().await.unwrap_or_default();
    assert!(
        notice.contains("no longer has this version's files"),
        "{notice}"
    );
    let text = browser.page_text().await;
    assert!(
        text.contains("the book was updated after this page was opened"),
        "the page says why it has no text: {text}"
    );
    assert!(
        !text.contains(MARKER),
        "the next build's text in the old tab"
    );

    reload_into(&browser, &next).await;
    browser
        .assert_console_clean_but("a deploy under an open tab", &["404", "not found"])
        .await;
    browser.finish().await;
}

/// With the service worker, the old tab reads its own build from the cache
/// after the new build's worker has taken over, and the reader is told a
/// new version is there; the reload shows it.
#[tokio::test]
async fn a_tab_open_across_a_deploy_keeps_reading_its_own_build() {
    let site = site("BOOK_SITE_ROOT");
    let next = NextBuild::of(&site, "kept");
    let host = StaticHost::start(&site, "/", Hosting::ISOLATED);
    let browser = Browser::start().await;
    browser.open(&page_url(&host.origin, "/", "")).await;
    browser.wait_for_offline_cache().await;
    host.deploy(&next.folder);
    // The browser looks for a new service worker now and then; ask it now.
    browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.getRegistration()
               .then((registration) => registration.update())
               .then(() => done(true), (e) => done(String(e)));",
            vec![],
        )
        .await
        .expect("ask for the new service worker");
    let notice = browser.wait_for(".update-notice", 30).await;
    let notice = notice.text().await.unwrap_or_default();
    assert!(notice.contains("A new version of the book"), "{notice}");

    let text = read_tl_dr(&browser).await;
    assert!(
        !text.contains(MARKER),
        "the old tab read the next build's text: {text}"
    );
    assert!(text.contains("Concurrency"), "the page's own text: {text}");
    assert_eq!(build_shown(&browser).await, next.previous);

    reload_into(&browser, &next).await;
    browser
        .assert_clean_console("a deploy under an open tab")
        .await;
    browser.finish().await;
}
