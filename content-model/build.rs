//! Each page's title, the plain text of its first heading, as a table the
//! crate includes: the browser shows titles in the table of contents and the
//! tab, but carries no markdown (`Page::source` is empty there). A host test
//! checks the table against `markdown::first_heading`.
//!
//! And the pages' ```` ```rust ```` examples as doc comments, which rustdoc
//! compiles as this crate's doctests (`prose_examples` in `lib.rs`): an
//! example that stops compiling, or a `compile_fail` one that starts to,
//! fails `cargo test`.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let folder = folder.as_path();
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .expect("the content folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".md") && (name == "index.md" || starts_with_number(name)))
        .collect();
    // The front page first, then the sections by number: the book's order.
    files.sort_by_key(|name| (name != "index.md", name.clone()));
    let titles: Vec<String> = files
        .iter()
        .map(|name| {
            let source = std::fs::read_to_string(folder.join(name)).expect("a page");
            first_heading(&source).unwrap_or_default()
        })
        .collect();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("titles.rs"), format!("{titles:?}")).expect("write the titles");
    let mut doctests = String::new();
    for name in &files {
        let source = std::fs::read_to_string(folder.join(name)).expect("a page");
        for (index, (info, body)) in rust_blocks(&source).into_iter().enumerate() {
            doctests.push_str(&format!(
                "/// Example {} of `content/{name}`, checked as `{info}` says.\n///\n/// ```{info}\n",
                index + 1
            ));
            for line in body.lines() {
                doctests.push_str(&format!("/// {line}\n"));
            }
            let item = name.trim_end_matches(".md").replace(['-', '.'], "_");
            doctests.push_str(&format!("/// ```\npub struct Example_{item}_{index};\n\n"));
        }
    }
    std::fs::write(out.join("prose_examples.rs"), doctests).expect("write the examples");
}

/// The info string and body of every fenced block whose language is `rust`.
fn rust_blocks(source: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut events = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    while let Some(event) = events.next() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            if info.split(',').next().map(str::trim) == Some("rust") {
                let body: String = events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::CodeBlock)))
                    .filter_map(|e| match e {
                        Event::Text(text) => Some(text.into_string()),
                        _ => None,
                    })
                    .collect();
                blocks.push((info.trim().to_owned(), body));
            }
        }
    }
    blocks
}

fn starts_with_number(name: &str) -> bool {
    name.split_once('-')
        .is_some_and(|(number, _)| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

/// The text of the first heading, as `markdown::headings` reads it (with
/// `markdown::options`): its text and code, trimmed.
fn first_heading(source: &str) -> Option<String> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events = Parser::new_ext(source, options);
    events.find(|e| matches!(e, Event::Start(Tag::Heading { .. })))?;
    let text: String = events
        .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            _ => None,
        })
        .collect();
    Some(text.trim().to_owned())
}
