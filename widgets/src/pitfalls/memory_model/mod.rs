//! "Happens-before": the classic litmus tests with an ordering per access,
//! every outcome under three memory models side by side, a witness for each
//! allowed one, and three broken programs for the reader to make correct.
//!
//! All the logic is in `memory_models` (pure, bounded, host-tested against
//! the published results); this component keeps the reader's choices and
//! draws them. A classic test has at most a few thousand states, so it is
//! checked right here on the main thread, well within a frame, and the
//! checker refuses anything over its bounds instead of freezing the page.

use std::rc::Rc;

use yew::prelude::*;

use crate::kit::frame::WidgetFrame;
use crate::kit::permalink::{self, target_value};
use book_content::directive::WidgetKind;
use book_memory_models::{
    classic, grade, outcomes, parse_permalink, puzzles, to_permalink, CheckError, Grade, Model,
    Ordering, Outcome, Puzzle, Test, Witness,
};

mod program;
mod report;
mod witness;

use program::ProgramView;

/// The query parameter that holds a test and its orderings.
const PARAMETER: &str = "litmus";

/// The element a permalink's fragment scrolls to.
const ANCHOR: &str = "memory-model-lab";

/// The models, in the order of the table's columns.
pub const MODELS: [Model; 3] = [Model::Sc, Model::X86Tso, Model::Rust];

/// The prefix that marks a puzzle in the test select's values.
const PUZZLE: &str = "puzzle:";

/// What the reader does.
pub enum Msg {
    /// Check every outcome of the program as it stands.
    Check,
    /// Show a classic test (its slug) or a puzzle (`puzzle:<slug>`).
    Select(String),
    /// Give thread `.0`'s op `.1` the ordering `.2`.
    Pick(usize, usize, Ordering),
    /// Show the witness of the checked outcome row `.0` under model `.1`.
    ShowWitness(usize, Model),
    /// Grade the puzzle's program as it stands.
    Grade,
}

/// One outcome and, for each model in [`MODELS`], its witness where allowed.
pub struct Row {
    pub outcome: Outcome,
    pub allowed: [Option<Witness>; 3],
}

/// The last check, of the program it was made for.
pub struct Checked {
    pub test: Test,
    pub rows: Result<Vec<Row>, CheckError>,
    pub json: String,
}

/// The lab as the reader left it: the state of a reducer over [`Msg`].
#[derive(Clone)]
struct Lab {
    tests: Rc<[Test]>,
    puzzles: Rc<[Puzzle]>,
    /// The puzzle being solved, if any (an index into `puzzles`).
    puzzle: Option<usize>,
    /// The program with the reader's orderings.
    test: Test,
    checked: Option<Rc<Checked>>,
    /// The row and model whose witness is open.
    witness: Option<(usize, Model)>,
    graded: Option<Rc<Result<Grade, CheckError>>>,
    /// Why the permalink in the URL, or the last pick, was refused.
    error: Option<String>,
}

impl Lab {
    /// Message passing, or the test or puzzle a permalink in the URL names.
    fn from_url() -> Self {
        let tests: Rc<[Test]> = classic().into();
        let puzzles: Rc<[Puzzle]> = puzzles().into();
        let first = tests
            .first()
            .or_else(|| puzzles.first().map(|p| &p.test))
            .cloned()
            .unwrap_or_else(empty_test);
        let (test, error) = match permalink::in_url(PARAMETER).map(|link| parse_permalink(&link)) {
            Some(Ok(test)) => (test, None),
            Some(Err(refused)) => (
                first,
                Some(format!("The link could not be read: {refused}.")),
            ),
            None => (first, None),
        };
        Self {
            puzzle: puzzles.iter().position(|p| p.test.slug == test.slug),
            tests,
            puzzles,
            test,
            checked: None,
            witness: None,
            graded: None,
            error,
        }
    }
}

/// A test with no threads: only if the book had no tests at all.
fn empty_test() -> Test {
    Test {
        slug: String::new(),
        name: String::new(),
        locations: Vec::new(),
        registers: Vec::new(),
        threads: Vec::new(),
        asks: Outcome {
            registers: Vec::new(),
            memory: Vec::new(),
        },
    }
}

/// Every outcome any model allows, and the test's question, each with the
/// witnesses of the models that allow it.
fn check(test: &Test) -> Checked {
    let per_model: Result<Vec<_>, CheckError> =
        MODELS.iter().map(|&model| outcomes(test, model)).collect();
    let rows = per_model.map(|per_model| {
        let mut all: Vec<Outcome> = per_model
            .iter()
            .flatten()
            .map(|allowed| allowed.outcome.clone())
            .collect();
        // The test's question is a row even where every model forbids it.
        all.push(test.asks.clone());
        all.sort();
        all.dedup();
        all.into_iter()
            .map(|outcome| Row {
                allowed: std::array::from_fn(|m| {
                    per_model[m]
                        .iter()
                        .find(|a| a.outcome == outcome)
                        .map(|a| a.witness.clone())
                }),
                outcome,
            })
            .collect()
    });
    let json = report::result_json(test, &rows);
    Checked {
        test: test.clone(),
        rows,
        json,
    }
}

impl Reducible for Lab {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut lab = Rc::unwrap_or_clone(self);
        match msg {
            Msg::Check => {
                lab.checked = Some(Rc::new(check(&lab.test)));
                lab.witness = None;
            }
            Msg::Select(value) => {
                let chosen = match value.strip_prefix(PUZZLE) {
                    Some(slug) => lab
                        .puzzles
                        .iter()
                        .position(|p| p.test.slug == slug)
                        .map(|i| (Some(i), lab.puzzles[i].test.clone())),
                    None => lab
                        .tests
                        .iter()
                        .find(|t| t.slug == value)
                        .map(|t| (None, t.clone())),
                };
                if let Some((puzzle, test)) = chosen {
                    lab.puzzle = puzzle;
                    lab.test = test;
                    lab.checked = None;
                    lab.witness = None;
                    lab.graded = None;
                    lab.error = None;
                }
            }
            Msg::Pick(thread, op, ord) => match lab.test.with_ordering(thread, op, ord) {
                Ok(test) => {
                    lab.test = test;
                    lab.graded = None;
                    lab.error = None;
                    // The table follows the program, as the reader expects
                    // of a change once they have checked once.
                    if lab.checked.is_some() {
                        lab.checked = Some(Rc::new(check(&lab.test)));
                        lab.witness = None;
                    }
                }
                Err(why) => lab.error = Some(why),
            },
            Msg::ShowWitness(row, model) => lab.witness = Some((row, model)),
            Msg::Grade => {
                if let Some(puzzle) = lab.puzzle.and_then(|i| lab.puzzles.get(i)) {
                    lab.graded = Some(Rc::new(grade(puzzle, &lab.test)));
                }
            }
        }
        Rc::new(lab)
    }
}

/// The widget.
#[function_component(MemoryModelWidget)]
pub fn memory_model_widget() -> Html {
    let lab = use_reducer(Lab::from_url);
    let send = lab.dispatcher().to_callback();
    let on_select = send.reform(|e: Event| Msg::Select(target_value(&e)));
    let on_pick = send.reform(|(t, i, ord)| Msg::Pick(t, i, ord));
    let on_witness = send.reform(|(row, model)| Msg::ShowWitness(row, model));
    let selected = match lab.puzzle.and_then(|i| lab.puzzles.get(i)) {
        Some(puzzle) => format!("{PUZZLE}{}", puzzle.test.slug),
        None => lab.test.slug.clone(),
    };
    let result = lab
        .checked
        .as_ref()
        .filter(|c| c.test == lab.test)
        .map(|c| AttrValue::from(c.json.clone()));
    let puzzle = lab.puzzle.and_then(|i| lab.puzzles.get(i));
    html! {
        <WidgetFrame kind={WidgetKind::MemoryModel} {result} busy={false}>
            <div class="lab-controls" id={ANCHOR}>
                <button type="button" onclick={send.reform(|_| Msg::Check)}>{ "Check every outcome" }</button>
                if puzzle.is_some() {
                    <button type="button" class="secondary" onclick={send.reform(|_| Msg::Grade)}>{ "Grade my orderings" }</button>
                }
                <label for="litmus-test">{ "Test" }</label>
                <select id="litmus-test" onchange={on_select}>
                    <optgroup label="Classic litmus tests">
                        { for lab.tests.iter().map(|t| html! {
                            <option value={t.slug.clone()} selected={selected == t.slug}>{ t.name.clone() }</option>
                        }) }
                    </optgroup>
                    <optgroup label="Make it correct">
                        { for lab.puzzles.iter().map(|p| {
                            let value = format!("{PUZZLE}{}", p.test.slug);
                            let is_selected = selected == value;
                            html! { <option selected={is_selected} {value}>{ p.test.name.clone() }</option> }
                        }) }
                    </optgroup>
                </select>
            </div>
            if let Some(puzzle) = puzzle {
                <p class="litmus-task">{ format!("{} Bad: {} Pick the weakest orderings that forbid it, then grade them.", puzzle.goal, puzzle.bad_means) }</p>
            }
            <ProgramView test={lab.test.clone()} {on_pick} />
            <p class="litmus-permalink">
                <a href={permalink::href(PARAMETER, &to_permalink(&lab.test), ANCHOR)}>{ "Link to this program" }</a>
                { " " }<code>{ to_permalink(&lab.test) }</code>
            </p>
            if let Some(error) = &lab.error {
                <p class="error" role="alert">{ error.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                if let Some(graded) = &lab.graded {
                    { report::view_grade(&lab.test, graded) }
                }
                if let Some(checked) = lab.checked.as_ref().filter(|c| c.test == lab.test) {
                    { report::view_checked(checked, lab.witness, on_witness) }
                }
            </div>
        </WidgetFrame>
    }
}
