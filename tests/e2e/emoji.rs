//! The emoji: every one the reader sees is drawn from an emoji font, and
//! that font comes from the site itself.

use super::server::Hosting;
use super::{Reader, Site};

/// Every emoji the reader sees, in the pages and in the book's own frame
/// (table of contents, buttons), is drawn from an emoji font: a missing
/// glyph's box, or a plain text glyph such as DejaVu Sans's gear for U+2699,
/// is narrower than the em square an emoji fills. Measured after the fonts
/// have loaded, on the page whose entry in the contents is highlighted in
/// bold, and on the book's own pages.
#[tokio::test]
async fn every_emoji_is_drawn_from_an_emoji_font() {
    let reader = Reader::start(Site::Root, Hosting::ISOLATED).await;
    let browser = &reader.browser;
    let mut measured = 0;
    for slug in [
        "",
        "system-design-impact",
        "hld-scenarios",
        "glossary",
        "your-machine",
    ] {
        reader.open(slug).await;
        let found = browser
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   document.fonts.ready.then(() => {
                     const emoji = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/gu;
                     const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                     const widths = [];
                     for (let node; (node = walker.nextNode()); ) {
                       for (const match of node.data.matchAll(emoji)) {
                         const range = document.createRange();
                         range.setStart(node, match.index);
                         range.setEnd(node, match.index + match[0].length);
                         const width = range.getBoundingClientRect().width;
                         if (width === 0) continue;
                         const em = width / parseFloat(getComputedStyle(node.parentElement).fontSize);
                         widths.push([match[0], Math.round(em * 100) / 100, `<${node.parentElement.localName}> ${Array.from(node.data.trim()).slice(0, 40).join('')}`]);
                       }
                     }
                     done(widths);
                   });"#,
                vec![],
            )
            .await
            .expect("measure the emoji");
        let widths = found.as_array().cloned().unwrap_or_default();
        measured += widths.len();
        let narrow: Vec<_> = widths
            .iter()
            .filter(|w| w[1].as_f64().unwrap_or(0.0) < 0.95)
            .collect();
        assert!(
            narrow.is_empty(),
            "on /{slug}, emoji narrower than an emoji font draws them (width in em): {narrow:?}"
        );
    }
    assert!(measured >= 40, "only {measured} emoji measured");
    browser.assert_clean_console("every emoji").await;
    reader.finish().await;
}

#[tokio::test]
async fn the_emoji_font_ships_with_the_site() {
    let reader = Reader::start(Site::SubPath, Hosting::ISOLATED).await;
    let (browser, host) = (&reader.browser, &reader.host);
    reader.open("hld-scenarios").await;
    let loaded = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.load('16px \"Book Emoji\"', '✅🧱').then(faces => done(faces.length), () => done(-1));",
            vec![],
        )
        .await
        .expect("document.fonts.load");
    assert_eq!(loaded, 1, "the emoji font loads from the site itself");
    browser.assert_clean_console("the emoji font").await;
    browser.assert_only_local_requests(&host.origin).await;
    reader.finish().await;
}
