//! Markdown to blocks, with pulldown-cmark (the parser mdBook uses).
//!
//! A page becomes a list of [`Block`]s: runs of HTML, and widgets to mount
//! between them. Headings get stable ids and a self-link, so every heading has a
//! URL that survives a reload. Raw HTML in the markdown is shown as text, never
//! passed through: the content is trusted, but not blindly.

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::directive::{self, DirectiveError, WidgetDirective, WidgetKind};

/// A piece of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Rendered HTML, safe to insert as is.
    Html(String),
    /// A widget to mount here.
    Widget(WidgetDirective),
    /// A `widget` block that names no known widget: shown as an error box.
    BadWidget(DirectiveError),
}

/// What marks a widget's code panel's place: see [`code_place`].
const CODE_MARK: &str = "<!--code:";

/// Where the code panel of `widget` goes: a run of its own, right after the
/// widget, holding only this comment. The build (`cargo xtask generate`)
/// puts the widget's highlighted Rust there, in the served page and in the
/// page file the app fetches alike; elsewhere (the print page, the browser
/// tests' embedded pages) it stays an empty comment.
pub fn code_place(widget: WidgetKind) -> String {
    format!("{CODE_MARK}{}-->", widget.id())
}

/// The widget whose code panel's place `run` is, if it is one.
pub fn code_place_of(run: &str) -> Option<WidgetKind> {
    let id = run.strip_prefix(CODE_MARK)?.strip_suffix("-->")?;
    WidgetKind::from_id(id)
}

/// A ```` ```rust ```` block of a page: real code, which the tests compile
/// (as doctests of this crate, see `prose_examples`), and which the build
/// highlights and, for one that must not compile, follows with the
/// compiler's own error (xtask's `code` module). Lines starting with `# `
/// are compiled but not shown, as in rustdoc and mdBook: the `use` lines
/// and stand-ins an example needs and the reader does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustExample {
    /// The info string as written: `rust`, `rust,compile_fail,E0277`, ...
    pub info: String,
    /// Every line, the hidden ones without their `# `: what is compiled.
    pub code: String,
    /// The lines the reader sees.
    pub shown: String,
}

impl RustExample {
    /// Whether a fenced block with this info string is a Rust example.
    pub fn is_rust(info: &str) -> bool {
        info.split(',').next().map(str::trim) == Some("rust")
    }

    /// The example of a block with `info` and `body`.
    pub fn new(info: &str, body: &str) -> Self {
        let mut code = Vec::new();
        let mut shown = Vec::new();
        for line in body.lines() {
            let trimmed = line.trim_start();
            if trimmed == "#" {
                code.push("");
            } else if let Some(hidden) = trimmed.strip_prefix("# ") {
                code.push(hidden);
            } else {
                code.push(line);
                shown.push(line);
            }
        }
        Self {
            info: info.trim().to_owned(),
            code: code.join("\n"),
            shown: shown.join("\n"),
        }
    }

    /// Whether the example is there to be refused by the compiler.
    pub fn compile_fail(&self) -> bool {
        self.info.split(',').any(|tag| tag.trim() == "compile_fail")
    }

    /// The error code it must be refused with, when the info names one.
    pub fn error_code(&self) -> Option<&str> {
        self.info.split(',').map(str::trim).find(|tag| {
            tag.len() == 5 && tag.starts_with('E') && tag[1..].chars().all(|c| c.is_ascii_digit())
        })
    }

    /// The example as the renderer writes it: its shown lines, plain. The
    /// build replaces exactly this with the highlighted example.
    pub fn html(&self) -> String {
        format!(
            "<pre class=\"rust-example\"><code class=\"language-rust\">{}</code></pre>",
            escape(&self.shown)
        )
    }
}

/// Every Rust example of a page, in order.
pub fn rust_examples(source: &str) -> Vec<RustExample> {
    let mut examples = Vec::new();
    let mut events = Parser::new_ext(source, options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            if RustExample::is_rust(&info) {
                let body = code_block_body(&mut events);
                examples.push(RustExample::new(&info, &body));
            }
        }
    }
    examples
}

/// A heading of a page, for its outline and its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The markdown extensions the book's pages use, for every parser of them
/// (the renderer, the search index, the link checker) to read them alike.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Stands for the page's path in pre-rendered HTML (`build.rs`), which does
/// not know where the book will be hosted.
pub const PAGE_PATH_MARK: &str = "%%PAGE_PATH%%";

/// Renders `source` into blocks. `page_path` is the page's absolute path (for
/// example `/book/core-definitions/`): heading self-links must carry it,
/// because the document's `<base>` would otherwise send `#id` to the front page.
pub fn render(source: &str, page_path: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    let mut ids = IdAllocator::default();
    let mut events = Parser::new_ext(source, options());
    let mut terms = TermLinker::default();

    while let Some(event) = events.next() {
        match event {
            Event::Text(text) if terms.active() => pending.extend(terms.link(&text)),
            Event::Start(Tag::Link { .. })
            | Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                terms.inside += 1;
                pending.push(event);
            }
            Event::End(TagEnd::Link) => {
                terms.inside = terms.inside.saturating_sub(1);
                pending.push(event);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                match directive::parse_info(&info) {
                    Some(parsed) => {
                        // The directive's body is not used: skip to the end of the block.
                        for inner in events.by_ref() {
                            if matches!(inner, Event::End(TagEnd::CodeBlock)) {
                                break;
                            }
                        }
                        flush(&mut pending, &mut blocks);
                        match parsed {
                            Ok(widget) => {
                                let place = code_place(widget.kind);
                                blocks.push(Block::Widget(widget));
                                blocks.push(Block::Html(place));
                            }
                            Err(error) => blocks.push(Block::BadWidget(error)),
                        }
                    }
                    None if RustExample::is_rust(&info) => {
                        let body = code_block_body(&mut events);
                        let example = RustExample::new(&info, &body);
                        pending.push(Event::Html(CowStr::from(example.html())));
                    }
                    None => match info.strip_prefix(DETAILS) {
                        Some(summary) => {
                            let body = code_block_body(&mut events);
                            pending.push(Event::Html(CowStr::from(details(summary, &body))));
                        }
                        None => {
                            terms.inside += 1;
                            pending.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
                        }
                    },
                }
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let mut inner = Vec::new();
                for inner_event in events.by_ref() {
                    if matches!(inner_event, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(inner_event);
                }
                let text = plain_text(&inner);
                // The seed's own section comes first on every page and is
                // never changed; the book's explanations start at "📖".
                if text.starts_with('📖') {
                    terms.started = true;
                }
                let id = ids.allocate(&text);
                pending.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id.clone())),
                    classes,
                    attrs,
                }));
                pending.extend(inner.into_iter().map(escape_raw_html));
                pending.push(Event::Html(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"{page_path}#{id}\" aria-label=\"Link to this heading\">#</a>"
                ))));
                pending.push(Event::End(TagEnd::Heading(level)));
            }
            Event::End(TagEnd::CodeBlock) => {
                terms.inside = terms.inside.saturating_sub(1);
                pending.push(event);
            }
            other => pending.push(escape_raw_html(other)),
        }
    }
    flush(&mut pending, &mut blocks);
    blocks
}

/// Links the first mention of each glossary term in the book's own text (not
/// in the seed's section, links, code or headings) to its entry, with the
/// definition as a preview shown on hover and on focus.
#[derive(Default)]
struct TermLinker {
    /// Past the seed's section: the first "📖" heading.
    started: bool,
    /// Depth of links and code blocks around the current text.
    inside: usize,
    /// Terms already linked on this page, by index.
    linked: Vec<usize>,
}

impl TermLinker {
    fn active(&self) -> bool {
        self.started && self.inside == 0
    }

    /// `text` as events: plain runs, and a link for each first mention.
    fn link<'a>(&mut self, text: &str) -> Vec<Event<'a>> {
        let terms = super::glossary::terms();
        let mut events = Vec::new();
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let next = terms
                .iter()
                .enumerate()
                .filter(|(index, _)| !self.linked.contains(index))
                .flat_map(|(index, term)| {
                    term.aliases
                        .iter()
                        .filter_map(|alias| {
                            find_word(&lower, alias).map(|at| (at, alias.len(), index))
                        })
                        .collect::<Vec<_>>()
                })
                .min_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
            let Some((at, len, index)) = next else {
                events.push(Event::Text(CowStr::from(rest.to_owned())));
                return events;
            };
            self.linked.push(index);
            let term = &terms[index];
            let slug = term.slug();
            if at > 0 {
                events.push(Event::Text(CowStr::from(rest[..at].to_owned())));
            }
            events.push(Event::Html(CowStr::from(format!(
                "<span class=\"term\"><a href=\"{page}/#{slug}\" aria-describedby=\"term-{slug}\">{shown}</a>\
                 <span class=\"term-preview\" role=\"tooltip\" id=\"term-{slug}\" hidden><strong>{name}</strong>: {definition}</span></span>",
                page = super::glossary::PAGE_SLUG,
                shown = escape(&rest[at..at + len]),
                name = escape(&term.term),
                definition = escape(&term.definition),
            ))));
            rest = &rest[at + len..];
        }
    }
}

/// Where `word` (lower case, ASCII case-folded `haystack`) starts as a whole word.
fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = haystack[from..].find(word) {
        let at = from + found;
        let end = at + word.len();
        let before = haystack[..at].chars().next_back();
        let after = haystack[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = end;
    }
    None
}

/// Text for HTML: the five characters that could end it or an attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The headings of a page with the ids [`render`] gives them.
pub fn headings(source: &str) -> Vec<Heading> {
    let mut ids = IdAllocator::default();
    let mut headings = Vec::new();
    let mut events = Parser::new_ext(source, options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::Heading { level, .. }) = event {
            let inner: Vec<Event> = events
                .by_ref()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .collect();
            let text = plain_text(&inner);
            headings.push(Heading {
                level: level as u8,
                id: ids.allocate(&text),
                text,
            });
        }
    }
    headings
}

/// The text of the first heading, which is the page's title.
pub fn first_heading(source: &str) -> Option<String> {
    headings(source).into_iter().next().map(|h| h.text)
}

/// The plain text of the first paragraph, for a page's description: what a
/// search engine or a shared link's preview shows.
pub fn first_paragraph(source: &str) -> Option<String> {
    let mut events = Parser::new_ext(source, options());
    events.find(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let inner: Vec<Event> = events
        .take_while(|e| !matches!(e, Event::End(TagEnd::Paragraph)))
        .map(|e| match e {
            Event::SoftBreak | Event::HardBreak => Event::Text(" ".into()),
            other => other,
        })
        .collect();
    Some(plain_text(&inner)).filter(|text| !text.is_empty())
}

/// The info string of a fenced block that becomes a closed `<details>`: the
/// rest of the line is its summary, the block's body is markdown. Raw HTML is
/// escaped, so this is how a page tucks away the "how this is measured" detail
/// a curious reader may open and others can skip.
const DETAILS: &str = "details ";

/// The text of the fenced block whose start `events` has just given, up to
/// and including its end.
fn code_block_body<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> String {
    events
        .take_while(|inner| !matches!(inner, Event::End(TagEnd::CodeBlock)))
        .filter_map(|inner| match inner {
            Event::Text(text) => Some(text.into_string()),
            _ => None,
        })
        .collect()
}

fn details(summary: &str, body: &str) -> String {
    let mut inner = String::new();
    html::push_html(
        &mut inner,
        Parser::new_ext(body, options()).map(escape_raw_html),
    );
    format!(
        "<details class=\"how\"><summary>{}</summary>{inner}</details>",
        escape(summary.trim())
    )
}

fn flush(pending: &mut Vec<Event>, blocks: &mut Vec<Block>) {
    if pending.is_empty() {
        return;
    }
    let mut out = String::new();
    html::push_html(&mut out, pending.drain(..));
    blocks.push(Block::Html(out));
}

/// Raw HTML from the markdown is shown as text: nothing in `content/` can inject markup.
fn escape_raw_html(event: Event) -> Event {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

/// Gives each heading a URL-safe id, unique on its page.
#[derive(Default)]
struct IdAllocator {
    used: Vec<String>,
}

impl IdAllocator {
    fn allocate(&mut self, text: &str) -> String {
        let base = slugify(text);
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.push(id.clone());
        id
    }
}

/// `"⚙️ 1. Core Definitions"` becomes `"1-core-definitions"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '/')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_details_block_renders_its_markdown_closed_under_its_summary() {
        let source = "Before.\n\n```details How this is measured\nEach run is **timed** <b>three</b> times; see [§3](practical-example-web-server/).\n```\n\nAfter.\n";
        let html = html_of(&render(source, "/"));
        assert!(
            html.contains("<details class=\"how\"><summary>How this is measured</summary><p>Each run is <strong>timed</strong> &lt;b&gt;three&lt;/b&gt; times; see <a href=\"practical-example-web-server/\">§3</a>.</p>\n</details>"),
            "{html}"
        );
        assert!(
            html.contains("<p>After.</p>"),
            "the text after the block is kept: {html}"
        );
        assert!(!html.contains("<pre>"), "not shown as code: {html}");
    }

    fn html_of(blocks: &[Block]) -> String {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(h) => Some(h.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_get_ids_and_self_links() {
        let blocks = render(
            "## ⚙️ 1. Core Definitions\n\ntext",
            "/book/core-definitions/",
        );
        let html = html_of(&blocks);
        assert!(html.contains("<h2 id=\"1-core-definitions\">"), "{html}");
        assert!(
            html.contains("href=\"/book/core-definitions/#1-core-definitions\""),
            "{html}"
        );
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let ids: Vec<String> = headings("### Concurrency:\n\n### Concurrency:\n")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["concurrency", "concurrency-2"]);
    }

    #[test]
    fn tables_render_with_every_cell() {
        let html = html_of(&render("| A | B |\n|---|---|\n| ✅ Yes | ❌ No |\n", "/"));
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>✅ Yes</td>"), "{html}");
        assert!(html.contains("<td>❌ No</td>"), "{html}");
    }

    #[test]
    fn widget_blocks_split_the_page() {
        let blocks = render("before\n\n```widget threads-check\n```\n\nafter\n", "/");
        assert_eq!(blocks.len(), 4);
        assert!(matches!(&blocks[1], Block::Widget(w) if w.kind.id() == "threads-check"));
        // The widget's code panel goes in a run of its own, right after it.
        assert_eq!(blocks[2], Block::Html(code_place(WidgetKind::ThreadsCheck)));
        assert!(matches!(&blocks[3], Block::Html(after) if after.contains("after")));
        assert_eq!(
            code_place_of(&code_place(WidgetKind::ThreadsCheck)),
            Some(WidgetKind::ThreadsCheck)
        );
        assert_eq!(code_place_of("<p>after</p>"), None);
    }

    #[test]
    fn glossary_terms_are_linked_once_and_only_in_the_books_own_text() {
        let source = "## Seed\n\nA deadlock here is the user's text.\n\n### 📖 What this means\n\n\
                      A [deadlock](x/) in a link, then a Deadlock and another deadlock.\n\n`deadlock` in code.\n";
        let html = html_of(&render(source, "/"));
        assert_eq!(html.matches("class=\"term\"").count(), 1, "{html}");
        let (seed, ours) = html.split_once("What this means").expect("two parts");
        assert!(
            !seed.contains("class=\"term\""),
            "the seed is untouched: {seed}"
        );
        assert!(
            ours.contains(
                "<a href=\"glossary/#deadlock\" aria-describedby=\"term-deadlock\">Deadlock</a>"
            ),
            "{ours}"
        );
        assert!(
            ours.contains("role=\"tooltip\" id=\"term-deadlock\" hidden>"),
            "{ours}"
        );
        assert!(
            ours.contains("and another deadlock."),
            "only the first mention: {ours}"
        );
    }

    #[test]
    fn words_inside_other_words_are_not_terms() {
        assert_eq!(find_word("a deadlocked b", "deadlock"), None);
        assert_eq!(find_word("deadlocks, then deadlock.", "deadlock"), Some(16));
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn unknown_widgets_become_error_blocks() {
        let blocks = render("```widget teleport\n```\n", "/");
        assert_eq!(
            blocks,
            [Block::BadWidget(DirectiveError::UnknownId(
                "teleport".into()
            ))]
        );
    }

    #[test]
    fn ordinary_code_blocks_stay_code() {
        let html = html_of(&render("```\n[Core 1] --> Task A\n```\n", "/"));
        assert!(html.contains("<pre><code>[Core 1] --&gt; Task A"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = html_of(&render(
            "<script>alert(1)</script>\n\nhi <b>there</b>\n",
            "/",
        ));
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slugify("🧱 8. HLD Scenarios: When to Use What?"),
            "8-hld-scenarios-when-to-use-what"
        );
        assert_eq!(slugify("✅ 14. TL;DR"), "14-tldr");
    }
}
