//! Cutting a named item out of a source file with `syn`, whose spans (with
//! proc-macro2's `span-locations`) give the item's first and last line.

use std::path::Path;

use syn::spanned::Spanned;

use crate::Result;

/// One item as cut from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub file: String,
    pub name: String,
    /// The item's first and last line in the file, from 1, doc comments
    /// and attributes included.
    pub lines: (usize, usize),
    /// Those lines, as written, less their common indentation.
    pub text: String,
}

/// Cuts `name` out of `file` (relative to `root`): exactly one item must
/// match, outside test-only modules.
pub(super) fn excerpt(root: &Path, file: &str, name: &str) -> Result<Excerpt> {
    let path = root.join(file);
    let source = std::fs::read_to_string(&path)
        .map_err(|e| format!("code panel: cannot read {file}: {e}"))?;
    let parsed =
        syn::parse_file(&source).map_err(|e| format!("code panel: cannot parse {file}: {e}"))?;
    let (owner, item) = match name.split_once("::") {
        Some((owner, item)) => (Some(owner), item),
        None => (None, name),
    };
    let mut found = Vec::new();
    find(&parsed.items, owner, item, &mut found);
    let span = match found.as_slice() {
        [span] => *span,
        [] => return Err(format!("code panel: {file} has no item `{name}`")),
        more => {
            return Err(format!(
                "code panel: {file} has {} items named `{name}`",
                more.len()
            ))
        }
    };
    let lines = (span.start().line, span.end().line);
    let cut: Vec<&str> = source
        .lines()
        .skip(lines.0 - 1)
        .take(lines.1 + 1 - lines.0)
        .collect();
    Ok(Excerpt {
        file: file.to_owned(),
        name: name.to_owned(),
        lines,
        text: dedent(&cut),
    })
}

/// Collects the spans of the items in `items` called `item`, in `impl`
/// blocks of `owner` when given, recursing into inline modules that are not
/// test-only.
fn find(items: &[syn::Item], owner: Option<&str>, item: &str, found: &mut Vec<proc_macro2::Span>) {
    for candidate in items {
        match (candidate, owner) {
            (syn::Item::Fn(f), None) if f.sig.ident == item => found.push(f.span()),
            (syn::Item::Struct(s), None) if s.ident == item => found.push(s.span()),
            (syn::Item::Enum(e), None) if e.ident == item => found.push(e.span()),
            (syn::Item::Impl(block), Some(owner))
                if type_name(&block.self_ty).as_deref() == Some(owner) =>
            {
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        if f.sig.ident == item {
                            found.push(f.span());
                        }
                    }
                }
            }
            (syn::Item::Mod(module), _) if !test_only(&module.attrs) => {
                if let Some((_, inner)) = &module.content {
                    find(inner, owner, item, found);
                }
            }
            _ => {}
        }
    }
}

/// The last segment of a type's path: `Mandelbrot` for `crate::x::Mandelbrot<T>`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Whether `attrs` say `#[cfg(test)]`: such code is not what ran.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// `lines` less the indentation they all share.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| line.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    fn scratch(name: &str, source: &str) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("code-{name}-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src")).expect("scratch folder");
        std::fs::write(root.join("src/lib.rs"), source).expect("scratch file");
        root
    }

    #[test]
    fn a_renamed_or_doubled_item_is_refused_and_test_code_is_not_shown() {
        let root = scratch(
            "refused",
            "//! A file.\n\n/// Adds.\nfn add(a: u32) -> u32 {\n    a + 1\n}\n\nstruct Lanes;\n\nimpl Lanes {\n    fn add(&self) {}\n}\n\nmod inner {\n    fn twice() {}\n}\nfn twice() {}\n\n#[cfg(test)]\nmod tests {\n    fn hidden() {}\n}\n",
        );
        let add = excerpt(&root, "src/lib.rs", "add").expect("a free function");
        assert_eq!(add.lines, (3, 6));
        assert_eq!(add.text, "/// Adds.\nfn add(a: u32) -> u32 {\n    a + 1\n}");
        let method = excerpt(&root, "src/lib.rs", "Lanes::add").expect("a method");
        assert_eq!(method.text, "fn add(&self) {}", "dedented");
        let renamed = excerpt(&root, "src/lib.rs", "sum").expect_err("no such item");
        assert!(renamed.contains("has no item `sum`"), "{renamed}");
        let doubled = excerpt(&root, "src/lib.rs", "twice").expect_err("two items");
        assert!(doubled.contains("has 2 items"), "{doubled}");
        let hidden = excerpt(&root, "src/lib.rs", "hidden").expect_err("test-only");
        assert!(hidden.contains("has no item"), "{hidden}");
        let _ = std::fs::remove_dir_all(root);
    }
}
