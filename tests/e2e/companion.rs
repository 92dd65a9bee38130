//! End-to-end: the reader's companion. Search finds and lands on headings,
//! answers survive a reload and show in the table of contents, glossary
//! terms link to their entries with a preview, and "Your machine" lists
//! results and shares them by permalink with a browser that has never seen them.

use super::browser::Browser;
use super::server::Hosting;
use super::{page_url, Reader, Site};

/// The text of the results tables, as the reader sees it.
async fn results_text(browser: &Browser) -> serde_json::Value {
    browser
        .eval("return document.querySelector('.results-set').innerText")
        .await
}

/// A word in another form than the book's finds it, the keyboard alone picks
/// the result, and the page it opens marks the words until the next page.
#[tokio::test]
async fn searching_deadlocks_by_keyboard_lands_on_the_heading_with_the_words_marked() {
    let reader = Reader::start(Site::SubPath, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    browser.wait_for("article.page h2", 10).await;
    browser.press("/").await;
    let input = browser.wait_for("#search-input", 5).await;
    input.send_keys("deadlocks").await.expect("type the query");
    let first = browser.wait_for(".search-results li a", 10).await;
    let text = first.text().await.unwrap_or_default();
    assert!(text.contains("11. Common Pitfalls"), "first result: {text}");
    let marked = browser
        .eval("return [...document.querySelectorAll('.search-results mark')].map((m) => m.textContent.toLowerCase())")
        .await;
    let marked: Vec<&str> = marked
        .as_array()
        .map(|words| words.iter().filter_map(|w| w.as_str()).collect())
        .unwrap_or_default();
    assert!(
        !marked.is_empty() && marked.iter().all(|word| word.starts_with("deadlock")),
        "every form of the word is marked, and only those: {marked:?}"
    );
    let href = first.attr("href").await.ok().flatten().expect("an href");
    let fragment = href.split('#').nth(1).expect("a fragment").to_owned();
    // ↓ to the first result, ↓ to the second, ↑ back, Enter.
    browser.press("\u{E015}").await;
    browser.press("\u{E015}").await;
    browser.press("\u{E013}").await;
    let focused = browser
        .eval("return document.activeElement === document.querySelector('.search-results li a')")
        .await;
    assert_eq!(focused, true, "↓ ↓ ↑ is the first result");
    browser.press("\u{E007}").await;
    browser
        .wait_until(
            "location.pathname === '/book/common-pitfalls/'",
            "the result opens §11",
        )
        .await;
    browser.wait_until(
        &format!("document.getElementById('{fragment}') && Math.abs(document.getElementById('{fragment}').getBoundingClientRect().top) < 300"),
        "the heading is scrolled into view",
    )
    .await;
    assert_eq!(
        browser.eval("return location.hash").await,
        format!("#{fragment}")
    );
    assert!(
        browser
            .eval("return document.querySelector('.search-dialog') === null")
            .await
            == true,
        "the dialog closed"
    );
    browser
        .wait_until(
            "document.querySelectorAll('article.page mark.search-highlight').length > 3",
            "the page marks the words found",
        )
        .await;
    let on_page = browser
        .eval("return [...document.querySelectorAll('article.page mark.search-highlight')].every((m) => m.textContent.toLowerCase().startsWith('deadlock'))")
        .await;
    assert_eq!(on_page, true, "only the words found are marked");
    browser.click(".page-nav a.next").await;
    browser
        .wait_until(
            "location.pathname === '/book/in-system-design/' && location.search === ''",
            "the next page opens without the query",
        )
        .await;
    browser.wait_for("article.page h2", 10).await;
    assert_eq!(
        browser
            .eval("return document.querySelectorAll('mark.search-highlight').length")
            .await,
        0,
        "the marks go with the next navigation"
    );
    browser.assert_clean_console("search").await;
    reader.finish().await;
}

#[tokio::test]
async fn an_answer_survives_a_reload_and_shows_in_the_table_of_contents() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    let url = page_url(&host.origin, "/", "visual-metaphor");
    browser.open(&url).await;
    // A driver's click finds the element, then clicks where it was: the
    // widget above must be done loading, or the answer may move in between.
    browser
        .wait_until(
            "document.querySelector('[data-widget]') && !document.querySelector('.widget-loading')",
            "the page's widget loads",
        )
        .await;
    browser.click(".self-check fieldset label").await;
    browser.wait_for(".self-check .why", 5).await;
    browser.open(&url).await;
    let checked = browser
        .wait_for(".self-check fieldset input[type=radio]:checked", 10)
        .await;
    assert_eq!(
        checked
            .attr("id")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
            .rsplit('-')
            .next(),
        Some("0")
    );
    browser.wait_for(".self-check .why", 5).await;
    let counted = browser.wait_for(".sidebar li.active .toc-answers", 5).await;
    let counted = counted.text().await.unwrap_or_default();
    assert!(
        counted.trim().starts_with("1/"),
        "the table of contents counts the answer: {counted}"
    );
    browser.assert_clean_console("self-check").await;
    reader.finish().await;
}

#[tokio::test]
async fn glossary_terms_link_to_their_entry_with_a_preview() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("common-pitfalls").await;
    let term = browser.wait_for("article.page .term a", 10).await;
    // Hidden in the HTML, for reader modes and pages without their style
    // sheet, and not shown until asked for.
    let before = browser
        .eval("const p = document.querySelector('article.page .term-preview'); return [p.hidden, getComputedStyle(p).display]")
        .await;
    assert_eq!(
        before,
        serde_json::json!([true, "none"]),
        "the definition waits"
    );
    browser
        .eval("document.querySelector('article.page .term a').focus(); return null")
        .await;
    let shown = browser
        .eval("return getComputedStyle(document.activeElement.nextElementSibling).display")
        .await;
    assert_eq!(shown, "block", "the definition shows on focus");
    let href = term.attr("href").await.ok().flatten().expect("an href");
    let fragment = href.split('#').nth(1).expect("a fragment").to_owned();
    browser.click("article.page .term a").await;
    browser
        .wait_until("location.pathname === '/glossary/'", "the glossary opens")
        .await;
    browser.wait_for(&format!("dt#{fragment}"), 10).await;
    browser.assert_clean_console("glossary").await;
    reader.finish().await;
}

#[tokio::test]
async fn your_machine_lists_a_result_and_its_permalink_shows_it_elsewhere() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    reader.open("core-definitions").await;
    browser.wait_until_isolated().await;
    browser.run_widget("threads-check", 60).await;
    // The frame keeps the result in the turn after the run's last redraw.
    browser
        .wait_until(
            "(localStorage.getItem('concurrency-book.results') || '').includes('threads-check')",
            "the finished run is kept",
        )
        .await;
    reader.open("your-machine").await;
    browser
        .wait_for(".saved-result[data-saved-widget=threads-check]", 10)
        .await;
    let mine = results_text(browser).await;
    let text = mine.as_str().unwrap_or_default();
    assert!(text.contains("threads_seen"), "{mine}");
    assert!(text.contains("cross-origin isolated"), "{mine}");

    // The markdown export is a table a reader can paste.
    browser
        .click(".your-machine-actions button.secondary")
        .await;
    let markdown = browser
        .wait_for(".markdown-export", 5)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        markdown.contains("| widget | figure | value |")
            && markdown.contains("| threads-check | threads_seen |"),
        "{markdown}"
    );
    let export = browser
        .eval("return document.querySelector('.your-machine-actions a[download]').href")
        .await;
    assert!(
        export
            .as_str()
            .is_some_and(|href| href.starts_with("data:application/json")),
        "{export}"
    );

    let link = browser.wait_for("a.permalink", 5).await;
    let permalink = link.attr("href").await.ok().flatten().expect("a permalink");
    assert!(permalink.contains("#results="), "{permalink}");
    // Copied, or refused with the link shown and selected to copy by hand:
    // a headless browser may hold no clipboard permission.
    browser.click(".your-machine-actions button.copy").await;
    browser
        .wait_until(
            "document.querySelector('.your-machine-actions button.copy').textContent === 'Copied' \
             || document.querySelector('.copy-refused code') !== null",
            "the copy answers",
        )
        .await;
    let outcome = browser
        .eval(
            "const refused = document.querySelector('.copy-refused code');
             return refused === null ? 'copied'
                 : [refused.textContent, String(getSelection())];",
        )
        .await;
    if outcome != "copied" {
        assert_eq!(
            outcome,
            serde_json::json!([permalink, permalink]),
            "the refused link is shown and selected"
        );
    }
    browser.assert_clean_console("your machine").await;
    reader.finish().await;

    // A fresh browser, with nothing stored, sees the same table from the link alone.
    let fresh = Browser::start().await;
    fresh.open(&permalink).await;
    fresh.wait_for(".results-set .saved-result", 10).await;
    let shared = results_text(&fresh).await;
    assert_eq!(shared, mine, "the permalink shows the same table");
    fresh.wait_for(".your-machine .note", 5).await;

    // A damaged link is refused with a reason, not shown half.
    let broken = format!(
        "{}#results=not-a-result-set",
        permalink.split("#results=").next().unwrap_or_default()
    );
    fresh.open(&broken).await;
    let error = fresh.wait_for(".your-machine .error", 10).await;
    let error = error.text().await.unwrap_or_default();
    assert!(error.contains("damaged"), "{error}");
    fresh.assert_clean_console("shared results").await;
    fresh.finish().await;
}
