//! A litmus test drawn as its threads' code, side by side, each access's
//! ordering a `<select>` of the orderings Rust accepts for it.

use yew::prelude::*;

use crate::kit::permalink::target_value;
use book_memory_models::{orderings_for, Op, Ordering, Test};

/// The op's ordering.
pub fn ordering_of(op: &Op) -> Ordering {
    match op {
        Op::Store { ord, .. } | Op::Load { ord, .. } | Op::Swap { ord, .. } | Op::Fence { ord } => {
            *ord
        }
    }
}

/// The op as Rust, around its ordering: the text before the select and after.
pub fn code_around(test: &Test, op: &Op) -> (String, &'static str) {
    let name = |loc: usize| test.locations.get(loc).map_or("?", String::as_str);
    let reg = |reg: usize| test.registers.get(reg).map_or("?", String::as_str);
    match op {
        Op::Store { loc, value, .. } => (format!("{}.store({value}, ", name(*loc)), ");"),
        Op::Load { loc, reg: r, .. } => (format!("let {} = {}.load(", reg(*r), name(*loc)), ");"),
        Op::Swap {
            loc, reg: r, value, ..
        } => (
            format!("let {} = {}.swap({value}, ", reg(*r), name(*loc)),
            ");",
        ),
        Op::Fence { .. } => ("fence(".to_owned(), ");"),
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgramProps {
    pub test: Test,
    /// `(thread, op, ordering)` when the reader picks an ordering.
    pub on_pick: Callback<(usize, usize, Ordering)>,
}

/// The threads as columns of code, each ordering a select.
#[function_component(ProgramView)]
pub fn program_view(props: &ProgramProps) -> Html {
    let test = &props.test;
    html! {
        <div class="litmus-program" role="group" aria-label="The program: one column per thread">
            { for test.threads.iter().enumerate().map(|(t, ops)| html! {
                <div class="litmus-thread">
                    <div class="litmus-thread-name">{ format!("Thread {t}") }</div>
                    { for ops.iter().enumerate().map(|(i, op)| {
                        let (before, after) = code_around(test, op);
                        let current = ordering_of(op);
                        let on_pick = props.on_pick.clone();
                        let onchange = Callback::from(move |e: Event| {
                            if let Some(ord) = Ordering::named(&target_value(&e)) {
                                on_pick.emit((t, i, ord));
                            }
                        });
                        let id = format!("litmus-t{t}-op{i}");
                        html! {
                            <div class="litmus-op">
                                <code>{ before }</code>
                                <select id={id} {onchange}
                                        aria-label={format!("Thread {t}, line {}: ordering", i + 1)}>
                                    { for orderings_for(op).iter().map(|ord| {
                                        html! { <option value={ord.name()} selected={*ord == current}>{ ord.name() }</option> }
                                    }) }
                                </select>
                                <code>{ after }</code>
                            </div>
                        }
                    }) }
                </div>
            }) }
        </div>
    }
}
