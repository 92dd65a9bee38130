//! Renders the book's pages to HTML at build time, as mdBook does: the browser
//! then ships no markdown parser and no markdown, and shows a page without
//! parsing it. The renderer is the content model's own (`src/content/`), so
//! the host tests and the browser see the same HTML (a test checks it).

use std::fmt::Write;
use std::path::PathBuf;

// The build uses the renderer and the book's page list; the rest of the
// content model is for the library.
#[allow(dead_code)]
#[path = "src/content/mod.rs"]
mod content;

use content::markdown::{self, Block, PAGE_PATH_MARK};

fn main() {
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=src/content");
    let mut code = String::from("[\n");
    for page in content::book().pages() {
        let title = page.title();
        let _ = writeln!(
            code,
            "    Prerendered {{\n        title: {title:?},\n        pieces: &["
        );
        for block in markdown::render(page.source, PAGE_PATH_MARK) {
            let _ = match block {
                Block::Html(html) => writeln!(code, "            Piece::Html({html:?}),"),
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
    }
    code.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("prerendered.rs"), code).expect("write the pre-rendered pages");
}
