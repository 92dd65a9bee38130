//! Rust highlighted to HTML with CSS classes by `syntect`, line by line.

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::Result;

/// Highlights Rust to HTML lines, each line's spans closed at its end and
/// reopened on the next, so each line can be wrapped on its own.
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Highlighter {
    pub fn new() -> Self {
        Self {
            syntaxes: SyntaxSet::load_defaults_newlines(),
        }
    }

    /// `text`'s lines as highlighted HTML, one string per line.
    pub fn lines(&self, text: &str) -> Result<Vec<String>> {
        let rust = self
            .syntaxes
            .find_syntax_by_extension("rs")
            .ok_or("code panel: the highlighter has no Rust syntax")?;
        let mut html = ClassedHTMLGenerator::new_with_class_style(
            rust,
            &self.syntaxes,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(text) {
            html.parse_html_for_line_which_includes_newline(line)
                .map_err(|e| format!("code panel: cannot highlight: {e}"))?;
        }
        Ok(split_lines(&html.finalize()))
    }
}

/// The short class a syntect scope's classes come down to: comments,
/// keywords, strings, numbers and constants, function names, type names.
/// Everything else is drawn plain, without a span: the pages stay small
/// (the front page's widget has a panel too, within the first page's budget).
fn short_class(classes: &str) -> Option<&'static str> {
    let has = |atom: &str| classes.split(' ').any(|class| class == atom);
    if has("hl-comment") {
        Some("hl-c")
    } else if has("hl-string") {
        Some("hl-s")
    } else if has("hl-constant") {
        Some("hl-n")
    } else if has("hl-keyword") || (has("hl-storage") && !has("hl-entity")) {
        Some("hl-k")
    } else if has("hl-entity") && has("hl-function") {
        Some("hl-f")
    } else if (has("hl-support") || has("hl-entity")) && has("hl-type") {
        Some("hl-t")
    } else {
        None
    }
}

/// Splits highlighted HTML at its newlines, each scope's span cut down to
/// its [`short_class`] (or dropped), and the spans still open at a line's
/// end closed there and opened again on the next line.
fn split_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // The spans open at this point, as written out; `None` for a dropped one.
    let mut open: Vec<Option<&'static str>> = Vec::new();
    let reopen = |open: &[Option<&'static str>]| -> String {
        open.iter()
            .flatten()
            .map(|class| format!("<span class=\"{class}\">"))
            .collect()
    };
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("</span>") {
            if let Some(Some(_)) = open.pop() {
                line.push_str("</span>");
            }
            rest = after;
        } else if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |at| at + 1);
            let classes = rest[..end]
                .split_once("class=\"")
                .and_then(|(_, tail)| tail.split_once('"'))
                .map_or("", |(classes, _)| classes);
            let class = short_class(classes);
            if let Some(class) = class {
                line.push_str(&format!("<span class=\"{class}\">"));
            }
            open.push(class);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix('\n') {
            line.push_str(&"</span>".repeat(open.iter().flatten().count()));
            lines.push(std::mem::take(&mut line));
            line = reopen(&open);
            rest = after;
        } else {
            let end = rest
                .find(['<', '\n'])
                .unwrap_or(rest.len())
                .max(rest.chars().next().map_or(1, char::len_utf8));
            line.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    if !line.is_empty() && line != reopen(&open) {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::tests::text;
    #[test]
    fn a_span_across_lines_is_closed_and_reopened_on_each() {
        let lines = Highlighter::new()
            .lines("let s = \"one\ntwo\";\n/* a\nb */")
            .expect("highlights");
        assert_eq!(lines.len(), 4, "{lines:#?}");
        for line in &lines {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        assert_eq!(text(&lines.join("\n")), "let s = \"one\ntwo\";\n/* a\nb */");
        assert!(lines[3].contains("hl-c"), "{}", lines[3]);
        assert!(
            lines[0].contains("<span class=\"hl-k\">let</span>"),
            "{}",
            lines[0]
        );
        assert!(
            !lines.concat().contains("hl-source"),
            "only the short classes"
        );
    }
}
