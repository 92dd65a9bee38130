//! The house rules a reviewer would otherwise check by hand: every source
//! file says what it is for, none grows past a reader's patience, the layers
//! import only downwards (the crates' graph is `layers`), `ARCHITECTURE.md`
//! names only what exists, and the
//! docs describe the project rather than its past. `cargo xtask lint` runs it,
//! and so does a host test, so a change that breaks a rule fails either way.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Result;

/// The longest a source file may grow, in lines: past this it holds more
/// than one concept, and the next maintainer cannot read it in one sitting.
pub const MAX_LINES: usize = 800;

/// The longest a file of the widgets crate may grow: a widget file holds
/// its own experiment, and what a second widget needs moves to the kit.
pub const MAX_WIDGET_LINES: usize = 400;

/// Where the widgets live: the files [`MAX_WIDGET_LINES`] applies to.
const WIDGETS: &str = "widgets/src/";

/// Where Cargo looks for a crate's Rust sources, relative to its folder:
/// every crate of the crate table (`layers::LAYERS`) is read in each.
const SOURCE_PLACES: [&str; 4] = ["src", "build.rs", "tests", "benches"];

/// Imports a module may not make inside its crate: (folder, forbidden text, why).
const FORBIDDEN_IMPORTS: [(&str, &str, &str); 1] = [(
    "src/reader",
    "crate::ui",
    "the reader's stored formats are host-tested, apart from the UI",
)];

/// Phrases that tell a story of past work: it belongs in commit bodies and
/// the changelog, not in the docs of how the project is.
const HISTORY: [&str; 7] = [
    " session",
    "for the record",
    "what came before",
    "previously",
    "ci took",
    "last run",
    "runs passed",
];

/// The docs the history rule reads (the changelog is history by design).
const DOCS: [&str; 3] = ["README.md", "ARCHITECTURE.md", "docs"];

/// Every rule broken in the tree at `root`, one line each.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in rust_files(root)? {
        let text = read(&file)?;
        let name = relative(root, &file);
        let first = text.lines().find(|line| !line.trim().is_empty());
        if !first.is_some_and(|line| line.starts_with("//!")) {
            problems.push(format!(
                "{name}: does not open with a `//!` doc saying why it exists"
            ));
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "{name}: {lines} lines, over {MAX_LINES}: split it by concern"
            ));
        } else if name.starts_with(WIDGETS) && lines > MAX_WIDGET_LINES {
            problems.push(format!(
                "{name}: {lines} lines, over {MAX_WIDGET_LINES} for a widget: move what is shared to the kit"
            ));
        }
        for (folder, forbidden, why) in FORBIDDEN_IMPORTS {
            if name.starts_with(folder) && imports(&text, forbidden) {
                problems.push(format!("{name}: uses `{forbidden}`, but {why}"));
            }
        }
    }
    problems.extend(crate::layers::problems(root)?);
    problems.extend(missing_in_architecture(root)?);
    for doc in markdown_files(root)? {
        let text = read(&doc)?.to_lowercase();
        for phrase in HISTORY {
            if text.contains(phrase) {
                problems.push(format!(
                    "{}: says {:?}: history goes in commit bodies and CHANGELOG.md",
                    relative(root, &doc),
                    phrase.trim()
                ));
            }
        }
    }
    Ok(problems)
}

/// Fails with every problem found, for `cargo xtask lint`.
pub fn check(root: &Path) -> Result {
    let problems = problems(root)?;
    if problems.is_empty() {
        println!("xtask: tidy: every rule holds");
        return Ok(());
    }
    Err(format!(
        "the tree is not tidy:\n  {}",
        problems.join("\n  ")
    ))
}

/// Whether code (not a comment) in `text` mentions `path`.
fn imports(text: &str, path: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.starts_with("//"))
        .any(|line| {
            line.match_indices(path).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + path.len()..].chars().next();
                let boundary =
                    |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                boundary(before) && boundary(after)
            })
        })
}

/// The repository paths `ARCHITECTURE.md` names in code spans that do not exist.
fn missing_in_architecture(root: &Path) -> Result<Vec<String>> {
    let text = read(&root.join("ARCHITECTURE.md"))?;
    let top: Vec<String> = fs::read_dir(root)
        .map_err(|e| format!("cannot list {}: {e}", root.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "target")
        .collect();
    let mut missing = Vec::new();
    for span in code_spans(&text) {
        let path = span.trim_end_matches('/');
        let first = path.split('/').next().unwrap_or_default();
        // Only paths from the root: `frame.rs` alone could be anywhere.
        let from_root =
            top.iter().any(|name| name == first) && (path.contains('/') || path.contains('.'));
        if !from_root || path.contains(['<', '>', ' ', '*']) {
            continue;
        }
        if !root.join(path).exists() {
            missing.push(format!(
                "ARCHITECTURE.md: names `{span}`, which does not exist"
            ));
        }
    }
    Ok(missing)
}

/// The code spans of markdown `text`, as CommonMark reads them: a run of n
/// backticks opens one and the next run of exactly n closes it, so a span
/// that shows backticks (```` ```widget ````) does not shift the others.
fn code_spans(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let run_end = |mut at: usize| {
        while at < bytes.len() && bytes[at] == b'`' {
            at += 1;
        }
        at
    };
    let mut spans = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'`' {
            at += 1;
            continue;
        }
        let opened = run_end(at);
        let width = opened - at;
        let mut look = opened;
        at = opened;
        while look < bytes.len() {
            if bytes[look] != b'`' {
                look += 1;
                continue;
            }
            let closed = run_end(look);
            if closed - look == width {
                spans.push(text[opened..look].trim());
                at = closed;
                break;
            }
            look = closed;
        }
    }
    spans
}

fn rust_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for (folder, ..) in crate::layers::LAYERS {
        for place in SOURCE_PLACES {
            collect(&root.join(folder).join(place), "rs", &mut files)?;
        }
    }
    Ok(files)
}

fn markdown_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for doc in DOCS {
        collect(&root.join(doc), "md", &mut files)?;
    }
    Ok(files)
}

/// Every file with extension `ext` at or under `path`.
fn collect(path: &Path, ext: &str, files: &mut Vec<PathBuf>) -> Result {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == ext) {
            files.push(path.to_path_buf());
        }
        return Ok(());
    }
    if !path.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|e| format!("cannot list {}: {e}", path.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    for entry in entries {
        collect(&entry, ext, files)?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_tidy() {
        let problems = problems(&crate::root()).expect("the tree can be read");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A small tree that breaks every rule once, so each check is shown to bite.
    #[test]
    fn each_rule_catches_what_it_forbids() {
        let root = std::env::temp_dir().join(format!("tidy-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().expect("a folder")).expect("create");
            fs::write(path, text).expect("write");
        };
        write("src/lib.rs", "//! Fine.\n");
        write("src/undocumented.rs", "fn main() {}\n");
        write(
            "src/long.rs",
            &format!("//! Long.\n{}", "\n".repeat(MAX_LINES + 1)),
        );
        write(
            "widgets/src/big.rs",
            &format!("//! Big.\n{}", "\n".repeat(MAX_WIDGET_LINES + 1)),
        );
        write(
            "src/reader/up.rs",
            "//! Up.\n// crate::ui in a comment is fine\nuse crate::ui::Shell;\n",
        );
        for (folder, package, _) in crate::layers::LAYERS {
            write(
                &format!("{folder}/Cargo.toml"),
                &format!("[package]\nname = \"{package}\"\n"),
            );
        }
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\".\", \"compute\", \"pool\", \"new-crate\"]\n\
             [package]\nname = \"concurrency-book\"\n\
             [target.'cfg(target_arch = \"wasm32\")'.dependencies]\n\
             widgets = { package = \"book-widgets\", path = \"widgets\" }\n\
             [dev-dependencies]\nbook-pool.workspace = true\n",
        );
        write(
            "runtime/Cargo.toml",
            "[dependencies]\nyew.workspace = true\n",
        );
        write(
            "compute/Cargo.toml",
            "[dependencies]\nrayon = \"1\"\n[build-dependencies]\nyew = \"0.23\"\n\
             [target.'cfg(target_arch = \"wasm32\")'.dependencies]\nweb-sys = \"0.3\"\n",
        );
        write(
            "pool/Cargo.toml",
            "[dependencies]\nbook-compute.workspace = true\n",
        );
        let _ = fs::remove_file(root.join("engines/Cargo.toml"));
        write(
            "ARCHITECTURE.md",
            "`src/lib.rs` and `src/gone.rs`, `frame.rs`, `src/<slug>/`, \
             then ```` ```widget <id> ```` and `src/after.rs`\n",
        );
        write("docs/story.md", "In the last run the suite passed.\n");
        let found = problems(&root).expect("a readable tree");
        let _ = fs::remove_dir_all(&root);
        let expect = [
            "src/undocumented.rs: does not open",
            "src/long.rs: 802 lines",
            "widgets/src/big.rs: 402 lines, over 400 for a widget",
            "src/reader/up.rs: uses `crate::ui`",
            "Cargo.toml: depends on `book-widgets`, which the crate table",
            "`new-crate` has no row in the crate table",
            "runtime/Cargo.toml: depends on `yew`, but",
            "compute/Cargo.toml: depends on `web-sys`, but",
            "pool/Cargo.toml: depends on `book-compute`, which the crate table",
            "engines/Cargo.toml: missing",
            "names `src/gone.rs`",
            "names `src/after.rs`",
            "docs/story.md: says \"last run\"",
        ];
        for expected in expect {
            assert!(
                found.iter().any(|problem| problem.contains(expected)),
                "{expected:?} not found in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
    }

    #[test]
    fn a_longer_name_is_not_the_forbidden_one() {
        assert!(imports("use crate::ui::Shell;", "crate::ui"));
        assert!(!imports("use crate::uix::Shell;", "crate::ui"));
        assert!(!imports("// crate::ui is not imported", "crate::ui"));
        assert!(imports("let x = web_sys::window();", "web_sys"));
        assert!(!imports("let x = my_web_sys::window();", "web_sys"));
    }
}
