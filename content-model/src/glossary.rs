//! The glossary: the concepts of seed §9 and §10 and the book's own central
//! terms, kept as data in `content/glossary.json`.
//!
//! Pages link the first mention of each term to its entry, with a preview of
//! the definition on hover and focus ([`super::markdown`] does the linking).

use std::sync::OnceLock;

use serde::Deserialize;

use super::markdown::slugify;

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    /// Lower-case spellings as they occur in running text.
    pub aliases: Vec<String>,
    /// The slug of the page that explains it best.
    pub section: String,
    pub definition: String,
}

impl Term {
    /// The entry's id on the glossary page, and its URL fragment.
    pub fn slug(&self) -> String {
        slugify(&self.term)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    terms: Vec<Term>,
}

/// Every term, sorted as the file sorts them.
pub fn terms() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| parse(include_str!("../../content/glossary.json")).unwrap_or_default())
}

/// Parses the glossary file (the host tests refuse a bad one; the page then
/// links nothing rather than failing).
pub fn parse(source: &str) -> Result<Vec<Term>, String> {
    serde_json::from_str::<GlossaryFile>(source)
        .map(|file| file.terms)
        .map_err(|e| e.to_string())
}

/// The slug of the glossary page.
pub const PAGE_SLUG: &str = "glossary";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_parses_and_each_term_has_a_slug() {
        let terms =
            parse(include_str!("../../content/glossary.json")).expect("glossary.json parses");
        assert!(terms.len() >= 15, "{} terms", terms.len());
        for term in &terms {
            assert!(!term.slug().is_empty(), "{term:?}");
            assert!(!term.aliases.is_empty(), "{}", term.term);
            assert!(
                term.aliases.iter().all(|a| a == &a.to_lowercase()),
                "{}",
                term.term
            );
        }
        assert_eq!(terms, super::terms());
    }
}
