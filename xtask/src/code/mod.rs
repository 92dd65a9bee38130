//! The code that ran: under every widget, the Rust items that do its
//! experiment, cut from the source at build time with a real Rust parser
//! (`syn`; its spans give the lines) and highlighted to HTML with CSS classes
//! (`syntect`), with the diff between a kernel's sequential and parallel
//! versions. A named item that no longer exists fails the build. The panels
//! go into the pages' HTML, served and fetched alike, never into the
//! WebAssembly.
//!
//! The pages' own Rust examples are highlighted the same way, and one that
//! must not compile is followed by what the pinned rustc says of it,
//! captured as the page is built.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use concurrency_book::content::book;
use concurrency_book::content::directive::WidgetKind;
use concurrency_book::content::markdown::{code_place_of, escape, rust_examples, Block};
use similar::{ChangeTag, TextDiff};

use crate::Result;

mod examples;
mod excerpt;
mod highlight;
mod table;

use examples::{example_html, rustc};
use excerpt::{excerpt, Excerpt};
use highlight::Highlighter;
pub use table::{CODE, DIFFS};

/// Where a site's code links point: `--repo-url`, passed to Trunk's
/// pre-build hook in this variable.
pub const REPO_URL_VARIABLE: &str = "BOOK_REPO_URL";

/// Where a panel's file links point: a repository's web address and the
/// commit the site was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    pub url: String,
    pub commit: String,
}

impl Repo {
    /// The repository `--repo-url` named (through [`REPO_URL_VARIABLE`]),
    /// at the checkout's commit; `None` without one.
    pub fn from_environment(root: &Path) -> Result<Option<Repo>> {
        let Some(url) = std::env::var(REPO_URL_VARIABLE)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        Ok(Some(Repo {
            url: url.trim_end_matches('/').to_owned(),
            commit: Repo::commit(root)?,
        }))
    }

    /// The commit checked out at `root`, which the links name.
    pub fn commit(root: &Path) -> Result<String> {
        let output = std::process::Command::new("git")
            .current_dir(root)
            .args(["rev-parse", "HEAD"])
            .output()
            .map_err(|e| format!("--repo-url needs git for the commit: {e}"))?;
        if !output.status.success() {
            return Err("--repo-url needs a git checkout, for the commit the links name".into());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// The address of `excerpt`'s lines.
    fn link(&self, excerpt: &Excerpt) -> String {
        format!(
            "{}/blob/{}/{}#L{}-L{}",
            self.url, self.commit, excerpt.file, excerpt.lines.0, excerpt.lines.1
        )
    }
}

/// Every widget's panel, as HTML, built from the source under `root`.
pub fn panels(root: &Path, repo: Option<&Repo>) -> Result<HashMap<WidgetKind, String>> {
    let highlighter = Highlighter::new();
    let mut panels = HashMap::new();
    for (kind, items) in CODE {
        let mut html =
            String::from("<details class=\"code-panel\"><summary>The code that ran</summary>");
        for (file, name) in items {
            let excerpt = excerpt(root, file, name)?;
            figure(&mut html, &excerpt, &highlighter, repo)?;
        }
        for (_, sequential, parallel) in DIFFS.iter().filter(|(k, ..)| *k == kind) {
            let before = excerpt(root, sequential.0, sequential.1)?;
            let after = excerpt(root, parallel.0, parallel.1)?;
            diff(&mut html, &before, &after);
        }
        html.push_str("</details>");
        panels.insert(kind, html);
    }
    Ok(panels)
}

/// One item: its name and place, then its lines, numbered as in the file
/// (in a focusable `<pre>`, so a keyboard can scroll its long lines).
fn figure(
    html: &mut String,
    excerpt: &Excerpt,
    highlighter: &Highlighter,
    repo: Option<&Repo>,
) -> Result {
    let place = format!(
        "{}, lines {}–{}",
        excerpt.file, excerpt.lines.0, excerpt.lines.1
    );
    let place = match repo {
        Some(repo) => format!(
            "<a href=\"{}\">{}</a>",
            escape(&repo.link(excerpt)),
            escape(&place)
        ),
        None => escape(&place),
    };
    let _ = write!(
        html,
        "<figure class=\"code\"><figcaption><code>{}</code> in {place}</figcaption><pre tabindex=\"0\"><code>",
        escape(&excerpt.name)
    );
    for (number, line) in (excerpt.lines.0..).zip(highlighter.lines(&excerpt.text)?) {
        let _ = writeln!(
            html,
            "<span class=\"line\"><span class=\"line-number\" aria-hidden=\"true\">{number}</span>{line}</span>"
        );
    }
    html.push_str("</code></pre></figure>");
    Ok(())
}

/// What turns the sequential version into the parallel one, line by line.
fn diff(html: &mut String, before: &Excerpt, after: &Excerpt) {
    let _ = write!(
        html,
        "<figure class=\"code code-diff\"><figcaption>From <code>{}</code> to <code>{}</code>: \
         the lines marked − and + are all that changes</figcaption><pre tabindex=\"0\"><code>",
        escape(&before.name),
        escape(&after.name)
    );
    for change in TextDiff::from_lines(&before.text, &after.text).iter_all_changes() {
        let (class, mark) = match change.tag() {
            ChangeTag::Delete => (" removed", "−"),
            ChangeTag::Insert => (" added", "+"),
            ChangeTag::Equal => ("", " "),
        };
        let _ = writeln!(
            html,
            "<span class=\"line{class}\"><span class=\"line-number\" aria-hidden=\"true\">{mark}</span>{}</span>",
            escape(change.value().trim_end_matches('\n'))
        );
    }
    html.push_str("</code></pre></figure>");
}

/// What the build puts into the pages' HTML: each widget's panel, and each
/// Rust example highlighted, with the compiler's answer where it must fail.
pub struct Code {
    panels: HashMap<WidgetKind, String>,
    /// Each example's plain HTML, as the renderer writes it, and what
    /// replaces it.
    examples: Vec<(String, String)>,
}

impl Code {
    /// Every panel and example, from the source under `root`.
    pub fn build(root: &Path, repo: Option<&Repo>) -> Result<Code> {
        let highlighter = Highlighter::new();
        let version = rustc(root, &["--version"])?.1;
        let mut examples = Vec::new();
        for page in book().pages() {
            for example in rust_examples(page.source) {
                let rendered = example_html(&highlighter, &example, version.trim())
                    .map_err(|e| format!("{}: {e}", page.slug))?;
                examples.push((example.html(), rendered));
            }
        }
        Ok(Code {
            panels: panels(root, repo)?,
            examples,
        })
    }

    /// No panels and no examples: for tests of what is around them.
    #[cfg(test)]
    pub fn none() -> Code {
        Code {
            panels: HashMap::new(),
            examples: Vec::new(),
        }
    }

    /// `run` with its panel if it is a widget's code place, and with its
    /// examples highlighted.
    pub fn fill(&self, run: String) -> String {
        if let Some(panel) = code_place_of(&run).and_then(|kind| self.panels.get(&kind)) {
            return panel.clone();
        }
        self.examples
            .iter()
            .fold(run, |run, (plain, rendered)| run.replace(plain, rendered))
    }

    /// `blocks` with their runs filled (see [`Code::fill`]).
    pub fn with_panels(&self, blocks: Vec<Block>) -> Vec<Block> {
        blocks
            .into_iter()
            .map(|block| match block {
                Block::Html(run) => Block::Html(self.fill(run)),
                other => other,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// The text a reader sees: tags dropped, entities read.
    pub(super) fn text(html: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                _ if !inside => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn every_widget_names_code_that_exists() {
        for kind in WidgetKind::ALL {
            let items = CODE
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, items)| *items)
                .unwrap_or_default();
            assert!(!items.is_empty(), "{} names no code", kind.id());
            for (file, name) in items {
                excerpt(&crate::root(), file, name)
                    .unwrap_or_else(|e| panic!("{}: {e}", kind.id()));
            }
        }
        assert_eq!(CODE.len(), WidgetKind::ALL.len(), "one entry per widget");
    }

    /// The panel shows each item as it is in the source: the same lines,
    /// numbered as in the file.
    #[test]
    fn each_panel_shows_its_items_lines_as_written() {
        let root = crate::root();
        let panels = panels(&root, None).expect("every panel builds");
        for (kind, items) in CODE {
            let shown = text(&panels[&kind]);
            for (file, name) in items {
                let cut = excerpt(&root, file, name).expect("resolves");
                let source = std::fs::read_to_string(root.join(file)).expect("source");
                let indent = source
                    .lines()
                    .nth(cut.lines.0 - 1)
                    .map_or(0, |first| first.len() - first.trim_start().len());
                let expected: String = source
                    .lines()
                    .enumerate()
                    .skip(cut.lines.0 - 1)
                    .take(cut.lines.1 + 1 - cut.lines.0)
                    .map(|(at, line)| {
                        format!(
                            "{}{}\n",
                            at + 1,
                            line.get(indent..).unwrap_or("").trim_end()
                        )
                    })
                    .collect();
                assert!(
                    shown.contains(&expected),
                    "{}: {name} in {file} is not shown as written",
                    kind.id()
                );
            }
        }
    }

    #[test]
    fn a_code_place_gets_its_widgets_panel_and_other_runs_stay() {
        let code = Code {
            panels: HashMap::from([(WidgetKind::Sort, "<details>sort</details>".to_owned())]),
            examples: vec![(
                "<pre>plain</pre>".to_owned(),
                "<pre>bright</pre>".to_owned(),
            )],
        };
        let place = concurrency_book::content::markdown::code_place(WidgetKind::Sort);
        assert_eq!(code.fill(place), "<details>sort</details>");
        assert_eq!(code.fill("<p>text</p>".to_owned()), "<p>text</p>");
        let other = concurrency_book::content::markdown::code_place(WidgetKind::Race);
        assert_eq!(code.fill(other.clone()), other, "no panel, no change");
        assert_eq!(
            code.fill("<p>a</p><pre>plain</pre>".to_owned()),
            "<p>a</p><pre>bright</pre>"
        );
    }

    #[test]
    fn the_diff_marks_only_what_the_parallel_version_changes() {
        let before = Excerpt {
            file: "a.rs".into(),
            name: "seq".into(),
            lines: (1, 3),
            text: "fn f(v: &mut [u8]) {\n    v.iter_mut().for_each(|x| *x += 1);\n}".into(),
        };
        let after = Excerpt {
            text: "fn f(v: &mut [u8]) {\n    v.par_iter_mut().for_each(|x| *x += 1);\n}".into(),
            name: "par".into(),
            ..before.clone()
        };
        let mut html = String::new();
        diff(&mut html, &before, &after);
        assert_eq!(html.matches("class=\"line removed\"").count(), 1, "{html}");
        assert_eq!(html.matches("class=\"line added\"").count(), 1, "{html}");
        assert!(text(&html).contains("+    v.par_iter_mut()"), "{html}");
    }
}
