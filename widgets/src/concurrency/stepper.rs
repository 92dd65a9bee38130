//! The event-loop stepper (§10): a short async program, run one operation at
//! a time by the book's own model of the event loop
//! (`book_compute::concurrency::stepper`), with its call stack, microtask queue,
//! task queue and console in view. Step back replays the recorded trace.

use serde::Serialize;
use yew::prelude::*;

use crate::kit::frame::{result_json, WidgetFrame};
use book_compute::concurrency::stepper::{programs, trace, Program, Snapshot};
use book_content::directive::WidgetKind;

/// The figures a finished run writes to `data-result`.
#[derive(Serialize)]
struct Report<'a> {
    program: &'a str,
    steps: usize,
    output: &'a [String],
}

#[function_component(EventLoopStepper)]
pub fn event_loop_stepper() -> Html {
    let all = use_memo((), |_| programs());
    let chosen = use_state(|| 0_usize);
    let states = use_memo(*chosen, |&index| {
        all.get(index).map(trace).unwrap_or_default()
    });
    let at = use_state(|| 0_usize);
    let last = states.len().saturating_sub(1);
    let go = |to: usize| {
        let at = at.clone();
        Callback::from(move |_: MouseEvent| at.set(to))
    };
    let choose = {
        let (chosen, at) = (chosen.clone(), at.clone());
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                chosen.set(select.selected_index().max(0) as usize);
                at.set(0);
            }
        })
    };
    let program: Option<&Program> = all.get(*chosen);
    let state: Option<&Snapshot> = states.get(*at);
    let result = match (program, state) {
        (Some(program), Some(state)) if *at == last && last > 0 => result_json(&Report {
            program: program.id,
            steps: last,
            output: &state.output,
        }),
        _ => None,
    };
    html! {
        <WidgetFrame kind={WidgetKind::EventLoopStepper} {result}>
            { for [
                ("Run to the end", last, *at == last),
                ("Step", (*at + 1).min(last), *at == last),
                ("Step back", at.saturating_sub(1), *at == 0),
                ("Reset", 0, *at == 0),
            ]
            .into_iter()
            .enumerate()
            .map(|(index, (label, to, disabled))| html! {
                <button type="button" class={(index > 0).then_some("secondary")} onclick={go(to)} {disabled}>{ label }</button>
            }) }
            <div class="lab-controls">
                <label for="stepper-program">{ "Program" }</label>
                <select id="stepper-program" onchange={choose}>
                    { for all.iter().enumerate().map(|(index, p)| html! {
                        <option selected={index == *chosen}>{ p.title }</option>
                    }) }
                </select>
            </div>
            if let (Some(program), Some(state)) = (program, state) {
                <div class="stepper">
                    <pre class="stepper-source"><code>
                        { for program.source.lines().enumerate().map(|(index, text)| html! {
                            <span class={classes!("source-line", (state.line == Some(index + 1)).then_some("current"))}>
                                { format!("{text}\n") }
                            </span>
                        }) }
                    </code></pre>
                    <p class="stepper-note" role="status" aria-live="polite">
                        { format!("Step {} of {last}. {}", *at, state.note) }
                    </p>
                    <div class="stepper-panels">
                        { panel("Call stack (top last)", &state.stack) }
                        { panel("Microtask queue", &state.microtasks) }
                        { panel("Task queue (timers)", &state.tasks) }
                        { panel("Console", &state.output) }
                    </div>
                </div>
            }
        </WidgetFrame>
    }
}

fn panel(title: &'static str, items: &[String]) -> Html {
    html! {
        <section class="stepper-panel" aria-label={title}>
            <h5>{ title }</h5>
            if items.is_empty() {
                <p class="empty">{ "(empty)" }</p>
            } else {
                <ol>{ for items.iter().map(|item| html! { <li>{ item.clone() }</li> }) }</ol>
            }
        </section>
    }
}
