//! Renders the book's pages to HTML at build time, as mdBook does: the browser
//! then ships no markdown parser and no markdown, and shows a page without
//! parsing it. The WebAssembly keeps only where each page's widgets go; the
//! HTML itself is fetched with the page (`pages/<slug>.json`, from xtask), so
//! the first page does not carry the whole book. The renderer is the content
//! model's own (the `book-content` crate in `content-model/`), so the host
//! tests and the browser see the same HTML (a test checks it). The glossary
//! page is rendered here too, so its data stays out of the browser.

use std::fmt::Write;
use std::path::PathBuf;

use book_content as content;
use content::markdown::{self, Block, PAGE_PATH_MARK};

fn main() {
    println!("cargo:rerun-if-changed=content");
    let mut code = String::from("[\n");
    let mut chunks = String::from("[\n");
    for page in content::book().pages() {
        let mut chunk = 0;
        chunks.push_str("    &[\n");
        let questions: Vec<(String, usize)> = page
            .question_set()
            .into_iter()
            .map(|q| (q.id, q.choices.len()))
            .collect();
        let _ = writeln!(
            code,
            "    Prerendered {{\n        questions: &{questions:?},\n        pieces: &["
        );
        for block in markdown::render(page.source, PAGE_PATH_MARK) {
            let _ = match block {
                Block::Html(html) => {
                    let _ = writeln!(chunks, "        {html:?},");
                    chunk += 1;
                    writeln!(code, "            Piece::Html({}),", chunk - 1)
                }
                Block::Widget(widget) => writeln!(
                    code,
                    "            Piece::Widget(WidgetKind::{:?}, &{:?}),",
                    widget.kind,
                    widget
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect::<Vec<_>>()
                ),
                Block::BadWidget(error) => {
                    writeln!(
                        code,
                        "            Piece::BadWidget({:?}),",
                        error.to_string()
                    )
                }
            };
        }
        code.push_str("        ],\n    },\n");
        chunks.push_str("    ],\n");
    }
    code.push(']');
    chunks.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("prerendered.rs"), code).expect("write the pre-rendered pages");
    std::fs::write(out.join("chunks.rs"), chunks).expect("write the pages' HTML");
    std::fs::write(out.join("glossary.html"), glossary_html()).expect("write the glossary");
}

/// The glossary's entries as a definition list; links are relative to the
/// book's base, like every link in the text.
fn glossary_html() -> String {
    let mut html = String::from("<dl>\n");
    for term in content::glossary::terms() {
        let _ = write!(
            html,
            "<dt id=\"{}\">{}</dt>\n<dd>{}",
            term.slug(),
            markdown::escape(&term.term),
            markdown::escape(&term.definition)
        );
        if let Some(page) = content::book().by_slug(&term.section) {
            let _ = write!(
                html,
                " Explained in <a href=\"{}/\">{}</a>.",
                page.slug,
                markdown::escape(&page.plain_title())
            );
        }
        html.push_str("</dd>\n");
    }
    html.push_str("</dl>\n");
    html
}
