//! Every link between the book's pages lands somewhere: the page exists, and
//! so does the heading or glossary entry it names. A reference to another
//! section ("§11") is a link, not just a number the reader must look up.

use concurrency_book::content::{book, glossary, markdown};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Pages the shell draws itself, with no markdown source of their own.
const SHELL_PAGES: [&str; 2] = ["glossary", "your-machine"];

/// One piece of a page's markdown the reader sees as text, with whether it
/// sits inside a link.
struct Found {
    links: Vec<String>,
    /// Text outside any link that names a section by number.
    bare_references: Vec<String>,
}

/// The links and bare "§N" of `source`, including what `details` blocks hold
/// (their body is markdown, but the parser sees it as a code block).
fn scan(source: &str) -> Found {
    let mut found = Found {
        links: Vec::new(),
        bare_references: Vec::new(),
    };
    let mut in_link = 0;
    let mut details_body: Option<String> = None;
    for event in Parser::new_ext(source, markdown::options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.starts_with("details ") =>
            {
                details_body = Some(String::new());
            }
            Event::Text(text) if details_body.is_some() => {
                if let Some(body) = details_body.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(body) = details_body.take() {
                    let inner = scan(&body);
                    found.links.extend(inner.links);
                    found.bare_references.extend(inner.bare_references);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                found.links.push(dest_url.into_string());
            }
            Event::End(TagEnd::Link) => in_link -= 1,
            Event::Text(text) if in_link == 0 => {
                let mut rest = text.as_ref();
                while let Some(at) = rest.find('§') {
                    let after = &rest[at + '§'.len_utf8()..];
                    if after.starts_with(|c: char| c.is_ascii_digit()) {
                        let end = rest[at..].find(' ').map_or(rest.len(), |e| at + e);
                        found.bare_references.push(rest[at..end].to_owned());
                    }
                    rest = after;
                }
            }
            _ => {}
        }
    }
    found
}

/// Why `target`, linked from the page `from`, lands nowhere; `None` when it lands.
fn broken(from: &str, target: &str) -> Option<String> {
    if target.starts_with("https://") || target.starts_with("http://") {
        return None;
    }
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    let slug = match path {
        "" => from,
        "./" => "",
        path => match path.strip_suffix('/') {
            Some(slug) if !slug.contains('/') => slug,
            _ => {
                return Some(format!(
                    "{target:?} is not of the form `slug/` or `slug/#id`"
                ))
            }
        },
    };
    let ids: Vec<String> = if let Some(page) = book().by_slug(slug) {
        markdown::headings(page.source)
            .into_iter()
            .map(|h| h.id)
            .collect()
    } else if slug == "glossary" {
        glossary::terms().iter().map(glossary::Term::slug).collect()
    } else if SHELL_PAGES.contains(&slug) {
        Vec::new()
    } else {
        return Some(format!("{target:?}: no page {slug:?}"));
    };
    if anchor.is_empty() || ids.iter().any(|id| id == anchor) {
        None
    } else {
        Some(format!(
            "{target:?}: page {slug:?} has no heading #{anchor}"
        ))
    }
}

#[test]
fn every_link_between_pages_lands_on_a_page_and_heading_that_exist() {
    let mut links = 0;
    let mut problems = Vec::new();
    for page in book().pages() {
        for target in scan(page.source).links {
            links += 1;
            if let Some(problem) = broken(page.slug, &target) {
                problems.push(format!("{:?}: {problem}", page.slug));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    assert!(
        links > 30,
        "only {links} links found: is the scanner broken?"
    );
}

#[test]
fn every_section_reference_is_a_link() {
    let bare: Vec<String> = book()
        .pages()
        .iter()
        .flat_map(|page| {
            scan(page.source)
                .bare_references
                .into_iter()
                .map(move |r| format!("{:?}: {r}", page.slug))
        })
        .collect();
    assert!(
        bare.is_empty(),
        "section references that are not links:\n{}",
        bare.join("\n")
    );
}

#[test]
fn questions_and_glossary_carry_no_markdown_links() {
    // Their text is shown with inline code only: a link there would reach the
    // reader as literal brackets, and could not be checked like a page's.
    let mut texts: Vec<(String, String)> = Vec::new();
    for page in book().pages() {
        for question in page.question_set() {
            texts.push((format!("{}/{}", page.slug, question.id), question.prompt));
            for choice in question.choices {
                texts.push((format!("{}/{}", page.slug, question.id), choice.text));
                texts.push((format!("{}/{}", page.slug, question.id), choice.why));
            }
        }
    }
    for term in glossary::terms() {
        texts.push((term.term.clone(), term.definition.clone()));
    }
    assert!(texts.len() > 100, "only {} texts", texts.len());
    for (whose, text) in texts {
        assert!(
            !text.contains("]("),
            "{whose} holds a markdown link: {text}"
        );
    }
}

#[test]
fn glossary_entries_point_at_pages_that_exist() {
    for term in glossary::terms() {
        assert!(
            book().by_slug(&term.section).is_some(),
            "{:?} names the section {:?}",
            term.term,
            term.section
        );
    }
}

#[test]
fn the_checker_finds_what_is_broken() {
    // Guards the tests above: each broken kind of link is caught.
    assert!(broken("tl-dr", "core-definitions/").is_none());
    assert!(broken("tl-dr", "core-definitions/#1-core-definitions").is_none());
    assert!(broken("tl-dr", "glossary/#deadlock").is_none());
    assert!(broken("tl-dr", "./").is_none());
    assert!(broken("tl-dr", "core-definition/").is_some());
    assert!(broken("tl-dr", "core-definitions/#no-such-heading").is_some());
    assert!(broken("tl-dr", "glossary/#no-such-term").is_some());
    assert!(broken("tl-dr", "#no-such-heading").is_some());
    assert!(broken("tl-dr", "/core-definitions/").is_some());
    let found = scan(
        "See §3 and [§4](visual-metaphor/).\n\n```details How\nAlso §5 and [x](nowhere/).\n```\n",
    );
    assert_eq!(found.bare_references, ["§3", "§5"]);
    assert_eq!(found.links, ["visual-metaphor/", "nowhere/"]);
}
