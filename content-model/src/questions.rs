//! Self-checks: the questions that end each section, kept as data in
//! `content/NN-slug.questions.json` beside the page they belong to.
//!
//! Authors edit JSON, not code; this module parses it and refuses a set that a
//! reader could not use (no right answer, two right answers, an answer
//! without its explanation).

use serde::Deserialize;

/// The questions of one section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSet {
    pub questions: Vec<Question>,
}

/// One multiple-choice question; with `widget`, a prediction the reader can
/// check by running that widget on the same page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within its section; progress is stored under it.
    pub id: String,
    pub prompt: String,
    #[serde(default)]
    pub widget: Option<String>,
    pub choices: Vec<Choice>,
}

/// An answer and why it is right or wrong: every choice teaches something.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
    pub why: String,
}

impl Question {
    /// The index of the right choice.
    pub fn answer(&self) -> Option<usize> {
        self.choices.iter().position(|c| c.correct)
    }
}

/// Questions per section the book asks for: enough to check the section's
/// main ideas, few enough to answer in a sitting. A section that holds
/// several labs (§11 has seven) asks one or two of each.
pub const PER_SECTION: std::ops::RangeInclusive<usize> = 2..=6;

/// Parses and checks one section's questions.
pub fn parse(source: &str) -> Result<QuestionSet, String> {
    let set: QuestionSet = serde_json::from_str(source).map_err(|e| e.to_string())?;
    if !PER_SECTION.contains(&set.questions.len()) {
        return Err(format!(
            "{} questions; a section has {} to {}",
            set.questions.len(),
            PER_SECTION.start(),
            PER_SECTION.end()
        ));
    }
    for (i, question) in set.questions.iter().enumerate() {
        if set.questions[..i].iter().any(|q| q.id == question.id) {
            return Err(format!("question id `{}` is used twice", question.id));
        }
        let right = question.choices.iter().filter(|c| c.correct).count();
        if right != 1 {
            return Err(format!(
                "`{}` has {right} right answers, not one",
                question.id
            ));
        }
        if question.choices.len() < 2 {
            return Err(format!("`{}` needs at least two choices", question.id));
        }
        if let Some(choice) = question.choices.iter().find(|c| c.why.trim().is_empty()) {
            return Err(format!(
                "`{}`: the choice “{}” does not say why",
                question.id, choice.text
            ));
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(questions: &str) -> String {
        format!("{{\"questions\": [{questions}]}}")
    }

    const GOOD: &str = r#"{"id": "a", "prompt": "?", "choices": [
        {"text": "yes", "correct": true, "why": "because"},
        {"text": "no", "correct": false, "why": "because not"}]}"#;

    #[test]
    fn a_good_set_parses_and_knows_its_answer() {
        let parsed =
            parse(&set(&format!("{GOOD}, {}", GOOD.replace("\"a\"", "\"b\"")))).expect("valid");
        assert_eq!(parsed.questions.len(), 2);
        assert_eq!(parsed.questions[0].answer(), Some(0));
        assert_eq!(parsed.questions[0].widget, None);
    }

    #[test]
    fn unusable_sets_are_refused_with_a_reason() {
        let one = parse(&set(GOOD)).expect_err("too few");
        assert!(one.contains("1 questions"), "{one}");
        let twice = parse(&set(&format!("{GOOD}, {GOOD}"))).expect_err("same id");
        assert!(twice.contains("twice"), "{twice}");
        let no_answer = GOOD.replace("true", "false");
        let error = parse(&set(&format!(
            "{no_answer}, {}",
            GOOD.replace("\"a\"", "\"b\"")
        )))
        .expect_err("no answer");
        assert!(error.contains("0 right answers"), "{error}");
        let silent = GOOD.replace("because not", " ");
        let error = parse(&set(&format!(
            "{silent}, {}",
            GOOD.replace("\"a\"", "\"b\"")
        )))
        .expect_err("no why");
        assert!(error.contains("does not say why"), "{error}");
        assert!(parse("{\"questions\": 3}").is_err());
    }
}
