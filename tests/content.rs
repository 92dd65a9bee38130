//! The content model against the user's document: every section is there,
//! verbatim, and every widget a page names exists.

#[path = "support/html_text.rs"]
mod html_text;
#[path = "support/seed.rs"]
mod seed;

use concurrency_book::content::markdown::{self, Block};
use concurrency_book::content::{book, Book};
use html_text::visible_text;

#[test]
fn the_book_has_a_front_page_and_all_fourteen_sections() {
    let book = book();
    assert_eq!(book.front().slug, "");
    assert_eq!(book.sections().len(), 14);
    for (i, page) in book.sections().iter().enumerate() {
        let title = page.plain_title();
        assert!(
            title.starts_with(&format!("{}. ", i + 1)),
            "section {} is titled {title:?}",
            i + 1
        );
        assert!(!page.slug.is_empty());
    }
}

#[test]
fn every_section_starts_with_the_seed_verbatim() {
    let sections = seed::sections();
    assert_eq!(sections.len(), 14, "the seed has 14 sections");
    for (page, original) in book().sections().iter().zip(sections) {
        assert!(
            page.source.starts_with(original),
            "content for {:?} does not begin with the seed's section verbatim",
            page.slug
        );
    }
}

#[test]
fn every_seed_table_cell_renders_in_its_section() {
    for (page, original) in book().sections().iter().zip(seed::sections()) {
        let html: String = markdown::render(page.source, "/")
            .into_iter()
            .filter_map(|block| match block {
                Block::Html(html) => Some(html),
                _ => None,
            })
            .collect();
        let text = visible_text(&html);
        for cell in seed::table_cells(original) {
            assert!(
                text.contains(&cell),
                "{:?} lost the table cell {cell:?}",
                page.slug
            );
        }
    }
}

#[test]
fn the_seed_tables_are_found() {
    // Guards the test above: if the cell parser broke, it would pass on nothing.
    let sections = seed::sections();
    assert!(
        seed::table_cells(sections[7]).contains(&"Real-time multiplayer game physics".to_owned())
    );
    assert!(seed::table_cells(sections[0]).contains(&"Concurrency".to_owned()));
    let total: usize = sections.iter().map(|s| seed::table_cells(s).len()).sum();
    assert!(total > 150, "only {total} cells found");
}

#[test]
fn every_widget_directive_names_a_known_widget() {
    let mut widgets = 0;
    for page in book().pages() {
        for block in markdown::render(page.source, "/") {
            match block {
                Block::BadWidget(error) => panic!("page {:?}: {error}", page.slug),
                Block::Widget(_) => widgets += 1,
                Block::Html(_) => {}
            }
        }
    }
    assert!(
        widgets >= 2,
        "the book mounts at least the environment and threads widgets"
    );
}

#[test]
fn the_embedded_pages_are_the_content_folder() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut on_disk: Vec<String> = std::fs::read_dir(folder)
        .expect("content/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = Book::file_names().map(str::to_owned).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn headings_have_unique_ids_on_every_page() {
    for page in book().pages() {
        let ids: Vec<String> = markdown::headings(page.source)
            .into_iter()
            .map(|h| h.id)
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            ids.len(),
            unique.len(),
            "duplicate heading ids on {:?}",
            page.slug
        );
    }
}

#[test]
fn the_shipped_emoji_font_covers_every_emoji_in_the_book() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let css = std::fs::read_to_string(root.join("www/book.css")).expect("www/book.css");
    let range = css
        .split("unicode-range:")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("the emoji @font-face has a unicode-range");
    let covered: Vec<u32> = range
        .split(',')
        .filter_map(|item| u32::from_str_radix(item.trim().trim_start_matches("U+"), 16).ok())
        .collect();
    assert!(covered.len() > 10, "parsed {covered:?}");
    // U+2713, the table of contents' "read" mark, is a text symbol that
    // every text font draws, not an emoji.
    let is_emoji =
        |c: char| matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF) && c != '\u{2713}';
    let mut sources: Vec<(String, String)> = book()
        .pages()
        .iter()
        .map(|page| {
            (
                format!("content for {:?}", page.slug),
                page.source.to_owned(),
            )
        })
        .collect();
    // The book's own frame and widgets say things with emoji too (the theme
    // button, "Your machine", the environment's yes and no).
    let mut folders = vec![root.join("src/ui"), root.join("widgets/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .expect("a source folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                sources.push((path.display().to_string(), text));
            }
        }
    }
    assert!(sources.len() > 20, "{} sources", sources.len());
    for (name, text) in &sources {
        for c in text.chars().filter(|&c| is_emoji(c)) {
            assert!(
                covered.contains(&(c as u32)),
                "{c} (U+{:04X}) in {name} is not in the shipped emoji font: see www/fonts/README.md",
                c as u32,
            );
        }
    }
}

#[test]
fn no_page_relies_on_raw_html() {
    // The renderer shows raw HTML as text (it is never passed through), so any
    // in `content/` would reach the reader as literal tags: refuse it here.
    use pulldown_cmark::{Event, Options, Parser};
    for page in book().pages() {
        let raw: Vec<String> = Parser::new_ext(page.source, Options::ENABLE_TABLES)
            .filter_map(|event| match event {
                Event::Html(html) | Event::InlineHtml(html) => Some(html.to_string()),
                _ => None,
            })
            .collect();
        assert!(raw.is_empty(), "raw HTML on {:?}: {raw:?}", page.slug);
    }
}

#[test]
fn every_section_ends_with_questions_that_parse() {
    use concurrency_book::content::questions;
    let mut predictions = 0;
    for page in book().sections() {
        let json = page
            .questions
            .unwrap_or_else(|| panic!("{} has no questions file", page.slug));
        let set = questions::parse(json).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
        let widgets: Vec<&str> = markdown::render(page.source, "/")
            .into_iter()
            .filter_map(|block| match block {
                Block::Widget(directive) => Some(directive.kind.id()),
                _ => None,
            })
            .collect();
        for question in &set.questions {
            assert!(
                question.answer().is_some(),
                "{}: {}",
                page.slug,
                question.id
            );
            if let Some(widget) = &question.widget {
                predictions += 1;
                assert!(
                    widgets.contains(&widget.as_str()),
                    "{}: question {} predicts widget {widget}, which is not on the page",
                    page.slug,
                    question.id
                );
            }
        }
    }
    assert!(
        predictions >= 5,
        "{predictions} predict-the-measurement questions"
    );
    assert!(book().front().questions.is_none());
}

#[test]
fn every_question_file_belongs_to_a_page() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in std::fs::read_dir(folder)
        .expect("content/ exists")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".questions.json") {
            assert!(
                Book::file_names().any(|file| file == format!("{stem}.md")),
                "{name} has no page"
            );
        }
    }
}

#[test]
fn glossary_terms_point_at_pages_and_occur_in_the_text() {
    use concurrency_book::content::glossary;
    let terms = glossary::terms();
    assert!(terms.len() >= 15);
    let text: String = book()
        .pages()
        .iter()
        .map(|p| p.source.to_lowercase())
        .collect();
    let mut slugs: Vec<String> = terms.iter().map(|t| t.slug()).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), terms.len(), "term slugs are unique");
    for term in terms {
        assert!(
            book().by_slug(&term.section).is_some(),
            "{}: no page {}",
            term.term,
            term.section
        );
        assert!(
            term.aliases
                .iter()
                .any(|alias| text.contains(alias.as_str())),
            "{}: no alias occurs in the book",
            term.term
        );
    }
}
