//! The crate graph, checked from the manifests: each of the book's crates
//! may depend only on the book's crates its row of [`LAYERS`] names (the
//! table atop `ARCHITECTURE.md`), and some may not use certain libraries at
//! all. Code cannot import what its manifest does not name, so this holds
//! the layers before any code is read. Only normal dependencies count, for
//! every target; tests and build scripts may use anything.

use std::path::Path;

use toml::{Table, Value};

/// Every crate of the workspace: its folder, its package name, and the
/// book's crates it may depend on.
pub const LAYERS: [(&str, &str, &[&str]); 9] = [
    ("", "concurrency-book", &["book-runtime", "book-content"]),
    (
        "widgets",
        "book-widgets",
        &[
            "book-pool",
            "book-runtime",
            "book-compute",
            "book-memory-models",
            "book-content",
        ],
    ),
    ("pool", "book-pool", &["book-runtime"]),
    ("runtime", "book-runtime", &["book-content"]),
    ("compute", "book-compute", &[]),
    ("memory-models", "book-memory-models", &[]),
    ("content-model", "book-content", &[]),
    ("engines", "book-engines", &[]),
    (
        "xtask",
        "xtask",
        &["concurrency-book", "book-compute", "book-engines"],
    ),
];

/// Libraries a crate may not use (its folder, the library, why).
const FORBIDDEN_LIBRARIES: [(&str, &str, &str); 11] = [
    ("compute", "web-sys", "the kernels are pure Rust, testable on the host"),
    ("compute", "wasm-bindgen", "the kernels are pure Rust, testable on the host"),
    ("compute", "yew", "the kernels know nothing of the UI"),
    ("memory-models", "web-sys", "the memory models are pure Rust, testable on the host"),
    ("memory-models", "wasm-bindgen", "the memory models are pure Rust, testable on the host"),
    ("memory-models", "yew", "the memory models know nothing of the UI"),
    ("content-model", "web-sys", "the content model is host code, built before any browser"),
    ("content-model", "yew", "the content model is host code, built before any browser"),
    ("runtime", "yew", "the runtime is the browser's machinery, apart from the UI framework"),
    ("pool", "yew", "the pool runs whole jobs and draws nothing"),
    (
        "",
        "wasm-bindgen-rayon",
        "the pool's worker start is a JavaScript export, never dropped: it would ship in the book's module",
    ),
];

/// Every way the workspace's manifests break the graph, one line each.
pub fn problems(root: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    let members = members(&manifest(root, "")?);
    for member in &members {
        if !LAYERS.iter().any(|(folder, ..)| folder == member) {
            problems.push(format!(
                "Cargo.toml: the workspace member `{member}` has no row in the crate table (xtask/src/layers.rs, ARCHITECTURE.md)"
            ));
        }
    }
    for (folder, package, allowed) in LAYERS {
        let name = shown(folder);
        let Ok(manifest) = manifest(root, folder) else {
            problems.push(format!(
                "{name}: missing, but the crate table has `{package}` there"
            ));
            continue;
        };
        for dependency in dependencies(&manifest) {
            let is_ours = LAYERS.iter().any(|(_, ours, _)| *ours == dependency);
            if is_ours && !allowed.contains(&dependency.as_str()) {
                problems.push(format!(
                    "{name}: depends on `{dependency}`, which the crate table does not let `{package}` use"
                ));
            }
            for (_, library, why) in FORBIDDEN_LIBRARIES
                .iter()
                .filter(|(banned_in, library, _)| *banned_in == folder && *library == dependency)
            {
                problems.push(format!("{name}: depends on `{library}`, but {why}"));
            }
        }
    }
    Ok(problems)
}

/// How a problem names the manifest in `folder`.
fn shown(folder: &str) -> String {
    if folder.is_empty() {
        "Cargo.toml".to_owned()
    } else {
        format!("{folder}/Cargo.toml")
    }
}

fn manifest(root: &Path, folder: &str) -> Result<Table, String> {
    let path = root.join(folder).join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.parse::<Table>()
        .map_err(|e| format!("{} is not TOML: {e}", path.display()))
}

/// The workspace's member folders, the root as `""`.
fn members(root_manifest: &Table) -> Vec<String> {
    root_manifest
        .get("workspace")
        .and_then(|workspace| workspace.get("members"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|member| member.trim_matches(['.', '/']).to_owned())
        .collect()
}

/// The packages a manifest depends on normally, for any target: the keys of
/// `[dependencies]` and of each `[target.'…'.dependencies]`, or the
/// `package` a key renames.
fn dependencies(manifest: &Table) -> Vec<String> {
    let targets = manifest
        .get("target")
        .and_then(Value::as_table)
        .into_iter()
        .flat_map(|targets| targets.values());
    std::iter::once(manifest.get("dependencies"))
        .chain(targets.map(|target| target.get("dependencies")))
        .flatten()
        .filter_map(Value::as_table)
        .flat_map(|table| table.iter())
        .map(|(key, value)| {
            value
                .get("package")
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Table {
        text.parse().expect("a manifest")
    }

    #[test]
    fn every_way_of_naming_a_dependency_is_read_and_only_normal_ones() {
        let manifest = parsed(
            "[package]\nname = \"concurrency-book\"\n\
             [dependencies]\nserde.workspace = true # a comment\n\
             \"book-content\" = { path = \"content-model\" }\n\
             [target.'cfg(target_arch = \"wasm32\")'.dependencies]\n\
             # book-compute in a comment is not a dependency\n\
             pool = { package = \"book-pool\", path = \"pool\" }\n\
             [target.'cfg(unix)'.dependencies.book-widgets]\npath = \"widgets\"\n\
             [dev-dependencies]\nbook-compute.workspace = true\n\
             [build-dependencies]\nyew = \"0.23\"\n",
        );
        let mut found = dependencies(&manifest);
        found.sort();
        assert_eq!(
            found,
            ["book-content", "book-pool", "book-widgets", "serde"]
        );
    }

    #[test]
    fn the_members_are_read_with_the_root_as_empty() {
        let manifest = parsed("[workspace]\nmembers = [\".\", \"compute\", \"pool/\"]\n");
        assert_eq!(members(&manifest), ["", "compute", "pool"]);
    }

    #[test]
    fn the_table_names_each_folder_and_package_once() {
        for (at, (folder, package, allowed)) in LAYERS.iter().enumerate() {
            assert!(
                LAYERS[at + 1..]
                    .iter()
                    .all(|(f, p, _)| f != folder && p != package),
                "{package}"
            );
            for dependency in *allowed {
                assert!(
                    LAYERS.iter().any(|(_, p, _)| p == dependency),
                    "{package} may use {dependency}, which is not in the table"
                );
            }
        }
    }
}
