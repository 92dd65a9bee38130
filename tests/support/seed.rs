//! The user's document, `content/seed/concurrency-vs-parallelism.md`, split the
//! way the book splits it: 14 sections, and the cells of their tables.

/// The seed as the user wrote it.
pub const SEED: &str = include_str!("../../content/seed/concurrency-vs-parallelism.md");

/// The 14 sections: each from its `## ` heading to the line before the next `---`.
pub fn sections() -> Vec<&'static str> {
    SEED.split("\n---\n")
        .map(str::trim)
        .filter(|part| part.starts_with("## "))
        .collect()
}

/// Every table cell of `section` as a reader sees it (markdown emphasis removed).
pub fn table_cells(section: &str) -> Vec<String> {
    section
        .lines()
        .filter(|line| line.trim_start().starts_with('|'))
        .filter(|line| !line.chars().all(|c| matches!(c, '|' | '-' | ' ' | ':')))
        .flat_map(|line| {
            line.trim()
                .trim_matches('|')
                .split('|')
                .map(|cell| cell.replace("**", "").trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|cell| !cell.is_empty())
        .collect()
}
