//! From a word the reader typed to the stem the index files it under.
//!
//! The index is stemmed once, at build time, by the Snowball English stemmer
//! (`rust-stemmers`, run by `cargo xtask`), and carries every word of the book
//! whose stem is not the word itself ([`super::SearchIndex::forms`]). The page
//! ships no stemmer, for the first page's download: a typed word the book
//! uses is looked up there; one it does not ("livelocks", where the book says
//! "livelock") is tried again with one English inflection undone, until a try
//! is a word or a stem of the book. The host tests hold the result to the
//! Snowball stemmer's.

/// The word itself, then what it may be with one inflection undone, most
/// likely first: plurals and third persons (`-s`, `-es`, `-ies`), past forms
/// (`-ed`, a doubled consonant before it), `-ing`, `-er(s)` and `-ly`.
pub fn undone(word: &str) -> Vec<String> {
    let mut tries = vec![word.to_owned()];
    let mut add = |stem: &str, ending: &str| {
        // Two letters at least: "us" is no plural of "u".
        if stem.chars().count() >= 2 {
            tries.push(format!("{stem}{ending}"));
        }
    };
    if let Some(stem) = word.strip_suffix("ies") {
        add(stem, "y");
        add(stem, "ie");
    }
    if let Some(stem) = word.strip_suffix('s').filter(|stem| !stem.ends_with('s')) {
        add(stem, "");
    }
    // After `-s`: "queues" is "queue", and "queu" is the stem of "queued".
    if let Some(stem) = word.strip_suffix("es") {
        add(stem, "");
    }
    for suffix in ["ed", "ing", "ers", "er"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            add(stem, "");
            add(stem, "e");
            if let Some(single) = undoubled(stem) {
                add(single, "");
            }
        }
    }
    if let Some(stem) = word.strip_suffix("ly") {
        add(stem, "");
    }
    tries
}

/// "stopp" to "stop": the consonant English doubles before `-ed` and `-ing`.
fn undoubled(stem: &str) -> Option<&str> {
    let mut last = stem.chars().rev();
    let (a, b) = (last.next()?, last.next()?);
    (a == b && !"aeiou".contains(a)).then(|| &stem[..stem.len() - a.len_utf8()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_comes_first_and_each_inflection_is_undone() {
        assert_eq!(undone("mutex"), ["mutex"]);
        assert!(undone("mutexes").contains(&"mutex".to_owned()));
        assert!(undone("livelocks").contains(&"livelock".to_owned()));
        assert!(undone("policies").contains(&"policy".to_owned()));
        assert!(undone("scheduled").contains(&"schedule".to_owned()));
        assert!(undone("stopped").contains(&"stop".to_owned()));
        assert!(undone("running").contains(&"run".to_owned()));
        assert!(undone("schedulers").contains(&"schedul".to_owned()));
        assert!(undone("concurrently").contains(&"concurrent".to_owned()));
        assert_eq!(undone("class"), ["class"], "a double s is no plural");
        assert_eq!(undone("us"), ["us"]);
    }
}
