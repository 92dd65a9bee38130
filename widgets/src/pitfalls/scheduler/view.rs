//! The game's state drawn (memory, locks, sleepers, the verdict) and its result and permalink.

use super::*;

/// Shared variables, who holds each lock, who sleeps on each condition variable.
pub(super) fn view_memory(state: &State) -> Html {
    let program = state.program();
    let holder = |owner: Option<usize>| match owner {
        Some(t) => format!("held by thread {}", t + 1),
        None => "free".to_owned(),
    };
    let sleepers = |threads: &[usize]| {
        if threads.is_empty() {
            "no one waits".to_owned()
        } else {
            let names: Vec<String> = threads
                .iter()
                .map(|t| format!("thread {}", t + 1))
                .collect();
            format!("{} waiting", names.join(", "))
        }
    };
    html! {
        <table class="results scheduler-memory">
            <caption>{ "Shared memory" }</caption>
            <tbody>
                { for state.values().into_iter().map(|(name, value)| html! {
                    <tr><th scope="row"><code>{ name }</code></th><td>{ value }</td></tr>
                }) }
                { for program.lock_names().iter().zip(state.lock_owners()).map(|(name, owner)| html! {
                    <tr><th scope="row">{ format!("lock {name}") }</th><td>{ holder(*owner) }</td></tr>
                }) }
                { for program.condvar_names().iter().zip(state.waiters()).map(|(name, waiting)| html! {
                    <tr><th scope="row">{ format!("condition variable {name}") }</th><td>{ sleepers(waiting) }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

/// The verdict of a finished run, in words and with a class per kind.
pub(super) fn view_verdict(verdict: &Verdict, steps: usize) -> Html {
    html! {
        <p class={classes!("verdict", format!("verdict-{}", verdict.kind()))}>
            <strong>{ format!("The run is over after {steps} steps. ") }</strong>
            { verdict.to_string() }
        </p>
    }
}

/// The kind of verdict as the table says it.
pub(super) fn verdict_words(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Correct => "correct",
        Verdict::LostUpdate { .. } => "lost update",
        Verdict::BrokenInvariant(_) => "broken invariant",
        Verdict::Deadlock { .. } => "deadlock",
    }
}

pub(super) fn result_json(level: &str, expanded: bool, exploration: &Exploration) -> String {
    serde_json::to_string(&ResultJson {
        level,
        expanded,
        interleavings: exploration.interleavings,
        capped: exploration.capped,
        outcomes: exploration
            .outcomes
            .iter()
            .map(|o| OutcomeJson {
                values: &o.values,
                deadlock: o.deadlock,
                verdict: o.verdict.kind(),
                count: o.count,
                example: &o.example,
            })
            .collect(),
    })
    .unwrap_or_default()
}
