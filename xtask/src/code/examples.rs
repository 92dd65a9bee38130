//! The text's Rust examples: highlighted, compiled with the pinned rustc as
//! rustdoc compiles a doctest, and a `compile_fail` one followed by what
//! rustc said.

use std::fmt::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use concurrency_book::content::markdown::{escape, RustExample};

use super::Highlighter;
use crate::Result;

/// An example highlighted; one marked `compile_fail` followed by rustc's
/// error, which must come (with the error code the example names).
pub(super) fn example_html(
    highlighter: &Highlighter,
    example: &RustExample,
    version: &str,
) -> Result<String> {
    // Every `<pre>` here is focusable, so a keyboard can scroll its long lines.
    let mut html =
        String::from("<pre class=\"rust-example\" tabindex=\"0\"><code class=\"language-rust\">");
    for line in highlighter.lines(&example.shown)? {
        let _ = writeln!(html, "<span class=\"line\">{line}</span>");
    }
    html.push_str("</code></pre>");
    let (compiled, said) = compile(&example.code)?;
    match (example.compile_fail(), compiled) {
        (false, true) => {}
        (false, false) => return Err(format!("an example does not compile:\n{said}")),
        (true, true) => {
            return Err(format!(
                "an example marked compile_fail compiles:\n{}",
                example.shown
            ))
        }
        (true, false) => {
            if let Some(code) = example.error_code() {
                if !said.contains(&format!("error[{code}]")) {
                    return Err(format!("an example fails, but not with {code}:\n{said}"));
                }
            }
            let _ = write!(
                html,
                "<figure class=\"compiler-error\"><figcaption>What <code>{}</code> says</figcaption>\
                 <pre tabindex=\"0\"><code>{}</code></pre></figure>",
                escape(version),
                escape(said.trim_end())
            );
        }
    }
    Ok(html)
}

/// Compiles `code` as rustdoc does a doctest (in `fn main` unless it has
/// one), with the pinned toolchain: whether it compiled, and what rustc
/// said, with its file called `main.rs` and the standard library's paths
/// cut to `library/…`.
fn compile(code: &str) -> Result<(bool, String)> {
    // A folder of its own: examples may be compiled at once (the tests).
    static COMPILED: AtomicUsize = AtomicUsize::new(0);
    let folder = std::env::temp_dir().join(format!(
        "book-example-{}-{}",
        std::process::id(),
        COMPILED.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let body = if code.contains("fn main") {
        code.to_owned()
    } else {
        format!("fn main() {{\n{code}\n}}")
    };
    std::fs::write(
        folder.join("main.rs"),
        format!("#![allow(unused)]\n{body}\n"),
    )
    .map_err(|e| format!("cannot write an example: {e}"))?;
    let out = folder.join("main.rmeta");
    let (compiled, said) = rustc(
        &folder,
        &[
            "--edition",
            "2021",
            "--emit=metadata",
            "--color",
            "never",
            "-o",
            &out.to_string_lossy(),
            "main.rs",
        ],
    )
    .map(|(ok, stdout, stderr)| (ok, format!("{stdout}{stderr}")))?;
    let _ = std::fs::remove_dir_all(&folder);
    Ok((compiled, library_paths(&said)))
}

/// Runs the pinned `rustc` in `folder`: whether it succeeded, its output
/// and its errors.
pub(super) fn rustc(folder: &Path, args: &[&str]) -> Result<(bool, String, String)> {
    let output = std::process::Command::new("rustc")
        .current_dir(folder)
        .env("RUSTUP_TOOLCHAIN", crate::tools::nightly()?)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    Ok((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// `said` with each standard library path cut to `library/…`: the same on
/// every machine.
fn library_paths(said: &str) -> String {
    const MARK: &str = "/lib/rustlib/src/rust/";
    said.lines()
        .map(|line| match line.find(MARK) {
            Some(at) => {
                let start = line[..at].rfind(' ').map_or(0, |space| space + 1);
                format!("{}{}", &line[..start], &line[at + MARK.len()..])
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    /// Every example in the book compiles, or fails as it says; the
    /// refused ones are followed by rustc's own words.
    #[test]
    fn the_books_examples_compile_or_fail_as_they_say() {
        let code = Code::build(&crate::root(), None).expect("every example as it claims");
        assert!(code.examples.len() >= 3, "{}", code.examples.len());
        let refused: Vec<&String> = code
            .examples
            .iter()
            .map(|(_, rendered)| rendered)
            .filter(|rendered| rendered.contains("compiler-error"))
            .collect();
        assert!(refused.len() >= 3, "{refused:#?}");
        assert!(
            refused.iter().any(|r| r.contains("error[E0277]")),
            "{refused:#?}"
        );
        assert!(
            refused
                .iter()
                .any(|r| r.contains("future cannot be sent between threads safely")),
            "{refused:#?}"
        );
        for (plain, rendered) in &code.examples {
            assert!(
                plain.contains("rust-example") && rendered.contains("hl-"),
                "{rendered}"
            );
            assert!(
                !rendered.contains("/lib/rustlib/"),
                "machine paths: {rendered}"
            );
        }
    }

    #[test]
    fn an_example_that_does_not_do_what_it_says_fails_the_build() {
        let highlighter = Highlighter::new();
        let compiles = RustExample::new("rust,compile_fail", "let x = 1 + 1;\n");
        let error = example_html(&highlighter, &compiles, "rustc").expect_err("it compiles");
        assert!(error.contains("compile_fail compiles"), "{error}");
        let broken = RustExample::new("rust", "let x: u8 = \"text\";\n");
        let error = example_html(&highlighter, &broken, "rustc").expect_err("it does not compile");
        assert!(error.contains("error[E0308]"), "{error}");
        let wrong_code = RustExample::new("rust,compile_fail,E0277", "let x: u8 = \"text\";\n");
        let error = example_html(&highlighter, &wrong_code, "rustc").expect_err("E0308, not E0277");
        assert!(error.contains("not with E0277"), "{error}");
        let hidden = RustExample::new("rust", "# use std::rc::Rc;\nlet x = Rc::new(1);\n");
        let html = example_html(&highlighter, &hidden, "rustc").expect("compiles");
        assert!(
            !html.contains("use"),
            "the hidden line is not shown: {html}"
        );
    }

    #[test]
    fn the_standard_librarys_paths_are_the_same_on_every_machine() {
        let said = "  --> /root/.rustup/toolchains/n/lib/rustlib/src/rust/library/std/src/thread/functions.rs:128:8\nerror";
        assert_eq!(
            library_paths(said),
            "  --> library/std/src/thread/functions.rs:128:8\nerror"
        );
    }
}
