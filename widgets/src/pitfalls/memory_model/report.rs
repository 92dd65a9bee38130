//! The checked outcomes as a table (allowed or forbidden in each model), the
//! open witness under it, a puzzle's grade, and the figures for `data-result`.

use serde::Serialize;
use yew::prelude::*;

use super::witness::{self, op_text};
use super::{Checked, Row, MODELS};
use book_memory_models::{to_permalink, CheckError, Grade, Model, Outcome, Test, Witness};

/// A model's name as the table heads it.
fn model_name(model: Model) -> &'static str {
    match model {
        Model::Sc => "Sequential consistency",
        Model::X86Tso => "x86-TSO",
        Model::Rust => "Rust (C++20) model",
    }
}

/// An outcome as the reader reads it: `r0 = 1, r1 = 0`, then final memory
/// where the test asks about it.
pub fn outcome_text(test: &Test, outcome: &Outcome) -> String {
    let registers = outcome.registers.iter().enumerate().map(|(r, value)| {
        let name = test.registers.get(r).map_or("?", String::as_str);
        format!("{name} = {value}")
    });
    let memory = outcome.memory.iter().enumerate().map(|(l, value)| {
        let name = test.locations.get(l).map_or("?", String::as_str);
        format!("{name} = {value} at the end")
    });
    registers.chain(memory).collect::<Vec<_>>().join(", ")
}

/// The figures written to `data-result`.
#[derive(Serialize)]
struct ResultJson<'a> {
    widget: &'static str,
    /// The program, as its permalink.
    test: String,
    outcomes: Vec<OutcomeJson>,
    /// Why there are no outcomes, if the checker refused the test.
    refused: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    asked: Option<&'a Outcome>,
}

#[derive(Serialize)]
struct OutcomeJson {
    outcome: String,
    /// Whether this is the outcome the test is named for.
    asked: bool,
    sc: bool,
    x86_tso: bool,
    rust: bool,
}

/// The check as JSON, for `data-result`.
pub fn result_json(test: &Test, rows: &Result<Vec<Row>, CheckError>) -> String {
    let (outcomes, refused) = match rows {
        Ok(rows) => (
            rows.iter()
                .map(|row| OutcomeJson {
                    outcome: outcome_text(test, &row.outcome),
                    asked: row.outcome == test.asks,
                    sc: row.allowed[0].is_some(),
                    x86_tso: row.allowed[1].is_some(),
                    rust: row.allowed[2].is_some(),
                })
                .collect(),
            None,
        ),
        Err(refused) => (Vec::new(), Some(refused.to_string())),
    };
    serde_json::to_string(&ResultJson {
        widget: "memory-model",
        test: to_permalink(test),
        outcomes,
        refused,
        asked: Some(&test.asks),
    })
    .unwrap_or_default()
}

/// The outcome table, and the open witness under it.
pub fn view_checked(
    checked: &Checked,
    open: Option<(usize, Model)>,
    on_witness: Callback<(usize, Model)>,
) -> Html {
    let test = &checked.test;
    let rows = match &checked.rows {
        Ok(rows) => rows,
        Err(refused) => {
            return html! { <p class="error" role="alert">{ format!("The lab will not check this program: {refused}.") }</p> }
        }
    };
    let asked_allowed: Vec<&str> = rows
        .iter()
        .filter(|row| row.outcome == test.asks)
        .flat_map(|row| {
            MODELS
                .iter()
                .zip(&row.allowed)
                .filter(|(_, w)| w.is_some())
                .map(|(m, _)| model_name(*m))
        })
        .collect();
    html! {
        <>
            <table class="results litmus-outcomes">
                <caption>{ format!("Every final result of {}, in each model", test.name) }</caption>
                <thead><tr><th>{ "outcome" }</th>{ for MODELS.iter().map(|m| html! { <th>{ model_name(*m) }</th> }) }</tr></thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(r, row)| {
                        let asked = row.outcome == test.asks;
                        html! {
                            <tr class={classes!(asked.then_some("litmus-asked"))}>
                                <td>{ outcome_text(test, &row.outcome) }{ if asked { " (the test's question)" } else { "" } }</td>
                                { for MODELS.iter().zip(&row.allowed).map(|(&model, allowed)| match allowed {
                                    Some(_) => {
                                        let pressed = open == Some((r, model));
                                        let on_witness = on_witness.clone();
                                        html! { <td><button class="secondary" aria-pressed={pressed.to_string()}
                                                   onclick={Callback::from(move |_| on_witness.emit((r, model)))}>{ "allowed: how?" }</button></td> }
                                    }
                                    None => html! { <td>{ "forbidden" }</td> },
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="explanation">{ if asked_allowed.is_empty() {
                format!("{} is forbidden in all three models with these orderings.", outcome_text(test, &test.asks))
            } else {
                format!("{} is allowed by: {}. Open a witness to see how.", outcome_text(test, &test.asks), asked_allowed.join(", "))
            } }</p>
            if let Some((row, model)) = open {
                if let Some(found) = rows.get(row).and_then(|row| {
                    MODELS.iter().position(|m| *m == model).and_then(|m| row.allowed[m].as_ref())
                }) {
                    <div class="litmus-witness">
                        <h4>{ format!("{} under {}", outcome_text(test, &rows[row].outcome), model_name(model)) }</h4>
                        { witness::view(test, found) }
                    </div>
                }
            }
        </>
    }
}

/// What the grader says of the reader's orderings.
pub fn view_grade(test: &Test, grade: &Result<Grade, CheckError>) -> Html {
    let grade = match grade {
        Ok(grade) => grade,
        Err(refused) => {
            return html! { <p class="error" role="alert">{ format!("The grader will not check this program: {refused}.") }</p> }
        }
    };
    match grade {
        // The witness's view says the grader's explanation under its graph.
        Grade::Broken {
            outcome, witness, ..
        } => html! {
            <div class="litmus-grade">
                <p class="error"><strong>{ "Still broken. " }</strong>
                    { format!("The Rust model allows the bad outcome {}.", outcome_text(test, outcome)) }</p>
                { witness::view(test, &Witness::Rust(witness.clone())) }
            </div>
        },
        Grade::StrongerThanNeeded {
            op: (thread, op),
            could_be,
        } => html! {
            <p class="litmus-grade"><strong>{ "Correct, but stronger than it needs to be. " }</strong>
                { format!("Every bad outcome is forbidden, and still would be with thread {thread}'s ", ) }
                <code>{ test.threads.get(*thread).and_then(|ops| ops.get(*op)).map(|o| op_text(test, o)).unwrap_or_default() }</code>
                { format!(" weakened to {could_be}. Stronger orderings can cost extra instructions: an xchg instead of a mov for a SeqCst store on x86, ordered loads and stores or barriers on Arm, sync fences on POWER.") }</p>
        },
        Grade::Weakest => html! {
            <p class="litmus-grade"><strong>{ "Correct, with the weakest orderings that are. " }</strong>
                { "The Rust model forbids every bad outcome, and weakening any one access would let one back in." }</p>
        },
    }
}
