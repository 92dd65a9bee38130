//! "Be the scheduler": the reader picks which thread takes the next step of a
//! tiny program, sees lost updates, broken invariants and deadlocks happen,
//! and lets the book's model checker try every interleaving.
//!
//! All the logic is in `book_compute::pitfalls::scheduler` (pure, host-tested);
//! this component only keeps the run being played and draws it. Exploring a
//! level is a few thousand steps at most, so it runs right here on the main
//! thread, well within a frame (and `explore` caps itself anyway).

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use crate::kit::frame::WidgetFrame;
use book_compute::pitfalls::scheduler::{
    explore, levels, Exploration, Level, Play, Replay, State, Verdict, DRAIN,
};

mod view;
use crate::kit::permalink;
use view::{result_json, verdict_words, view_memory, view_verdict};

/// The query parameter that holds a replayed run.
const PARAMETER: &str = "play";

/// The widget's id, also the prefix of its form controls' ids.
const ID: &str = "be-the-scheduler";

/// The element a permalink's fragment scrolls to once the page is drawn.
const ANCHOR: &str = "be-the-scheduler-play";

/// What the reader does.
pub enum Msg {
    /// Try every interleaving of the current level.
    Explore,
    /// Switch to the level with this id.
    SelectLevel(String),
    /// Split (or join) the non-atomic statements; the run starts over.
    SetExpanded(bool),
    /// Take this choice: a thread's next step, or (from `DRAIN` on) a
    /// thread's oldest buffered store written to memory.
    Step(usize),
    Undo,
    Reset,
    /// Replay a schedule of the explored outcomes from the start.
    Load(Vec<usize>),
}

/// The last exploration, for the level and mode it was made for.
struct Explored {
    level: &'static str,
    expanded: bool,
    exploration: Exploration,
    json: String,
}

/// The figures written to `data-result`.
#[derive(Serialize)]
struct ResultJson<'a> {
    level: &'a str,
    expanded: bool,
    interleavings: usize,
    /// True when the search stopped at its cap, so counts are lower bounds.
    capped: bool,
    outcomes: Vec<OutcomeJson<'a>>,
}

#[derive(Serialize)]
struct OutcomeJson<'a> {
    values: &'a BTreeMap<String, i64>,
    deadlock: bool,
    /// `correct`, `lost-update`, `broken-invariant` or `deadlock`.
    verdict: &'static str,
    count: usize,
    /// One schedule reaching it: thread indices from 0.
    example: &'a [usize],
}

/// The game as the reader left it: the state of a reducer over [`Msg`].
#[derive(Clone)]
struct Game {
    levels: Rc<[Level]>,
    expanded: bool,
    play: Play,
    explored: Option<Rc<Explored>>,
    /// Why the permalink in the URL, or the last action, was refused.
    error: Option<String>,
}

impl Game {
    /// The first level, or the run a permalink in the URL replays.
    fn from_url() -> Self {
        let start = || Play::new(Level::default(), false);
        let (play, error) = match permalink::in_url(PARAMETER)
            .map(|link| Replay::parse(&link).and_then(|replay| replay.play()))
        {
            Some(Ok(play)) => (play, None),
            Some(Err(refused)) => (
                start(),
                Some(format!("The permalink could not be replayed: {refused}.")),
            ),
            None => (start(), None),
        };
        Self {
            expanded: play.expanded(),
            levels: levels().into(),
            play,
            explored: None,
            error,
        }
    }
}

impl Reducible for Game {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut game = Rc::unwrap_or_clone(self);
        match msg {
            Msg::Explore => {
                let level = game.play.level();
                let exploration = explore(level, game.expanded);
                let json = result_json(level.id(), game.expanded, &exploration);
                game.explored = Some(Rc::new(Explored {
                    level: level.id(),
                    expanded: game.expanded,
                    exploration,
                    json,
                }));
            }
            Msg::SelectLevel(id) => {
                if let Some(level) = game.levels.iter().find(|l| l.id() == id) {
                    game.play = Play::new(level.clone(), game.expanded);
                    game.explored = None;
                    game.error = None;
                }
            }
            Msg::SetExpanded(expanded) => {
                game.expanded = expanded;
                game.play = Play::new(game.play.level().clone(), expanded);
                game.explored = None;
                game.error = None;
            }
            Msg::Step(thread) => {
                game.error = game.play.step(thread).err().map(|e| format!("{e}."));
            }
            Msg::Undo => {
                game.play.undo();
                game.error = None;
            }
            Msg::Reset => {
                game.play.reset();
                game.error = None;
            }
            Msg::Load(choices) => {
                let replay = Replay {
                    choices,
                    ..game.play.replay()
                };
                match replay.play() {
                    Ok(play) => {
                        game.play = play;
                        game.error = None;
                    }
                    Err(refused) => game.error = Some(format!("{refused}.")),
                }
            }
        }
        Rc::new(game)
    }
}

/// The "Be the scheduler" widget.
#[function_component(BeTheScheduler)]
pub fn be_the_scheduler() -> Html {
    let game = use_reducer(Game::from_url);
    let send = game.dispatcher().to_callback();
    let level = game.play.level();
    let state = game.play.state();
    let program = state.program();
    let explored = game
        .explored
        .as_ref()
        .filter(|e| e.level == level.id() && e.expanded == game.expanded);
    let result = explored.map(|e| AttrValue::from(e.json.clone()));
    let level_id = format!("{ID}-level");
    let expand_id = format!("{ID}-expand");
    let on_level = send.reform(|e: Event| Msg::SelectLevel(permalink::target_value(&e)));
    let on_expand = send.reform(|e: Event| {
        Msg::SetExpanded(
            e.target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|input| input.checked()),
        )
    });
    let can_expand = level.program(false).has_non_atomic();
    html! {
        <WidgetFrame kind={WidgetKind::BeTheScheduler} {result}>
            <div class="lab-controls" id={ANCHOR}>
                <button type="button" onclick={send.reform(|_| Msg::Explore)}>
                    { "Explore all interleavings" }
                </button>
                <span class="field">
                    <label for={level_id.clone()}>{ "Level" }</label>
                    <select id={level_id} onchange={on_level}>
                        { for game.levels.iter().enumerate().map(|(i, l)| html! {
                            <option value={l.id()} selected={l.id() == level.id()}>
                                { format!("{}. {}", i + 1, l.title()) }
                            </option>
                        }) }
                    </select>
                </span>
                <span class="field">
                    <input id={expand_id.clone()} type="checkbox" checked={game.expanded}
                           disabled={!can_expand} onchange={on_expand} />
                    <label for={expand_id}>{ "expand non-atomic statements" }</label>
                </span>
            </div>
            <p class="scheduler-goal">{ level.goal() }</p>
            if !can_expand {
                <p class="scheduler-note">{ "Every statement of this program is already one indivisible step: there is nothing to expand." }</p>
            }
            if let Some(message) = &game.error {
                <p class="error" role="alert">{ message.clone() }</p>
            }
            <div class="scheduler-threads">
                { for (0..program.threads()).map(|t| view_thread(&send, state, t)) }
            </div>
            <div class="scheduler-controls">
                <button type="button" class="secondary" onclick={send.reform(|_| Msg::Undo)}
                        disabled={game.play.choices().is_empty()}>{ "Undo" }</button>
                <button type="button" class="secondary" onclick={send.reform(|_| Msg::Reset)}
                        disabled={game.play.choices().is_empty()}>{ "Reset" }</button>
                <a class="scheduler-permalink" href={permalink::href(PARAMETER, &game.play.replay().to_permalink(), ANCHOR)}>
                    { "Permalink" }
                </a>
                <code>{ game.play.replay().to_permalink() }</code>
            </div>
            { view_memory(state) }
            <div class="widget-output" role="status" aria-live="polite">
                { match game.play.verdict() {
                    Some(verdict) => view_verdict(&verdict, game.play.choices().len()),
                    None => html! {
                        <p>{ match game.play.choices().len() {
                            0 if program.has_store_buffers() => "No step yet. Pick the thread that runs first; a store waits in its thread's buffer until you flush it, or a fence does.".to_owned(),
                            0 => "No step yet. Pick the thread that runs first.".to_owned(),
                            1 => "1 step so far. Pick the thread that runs next.".to_owned(),
                            n => format!("{n} steps so far. Pick the thread that runs next."),
                        } }</p>
                    },
                } }
            </div>
            if let Some(explored) = explored {
                { view_exploration(&send, &game.play, explored) }
            }
        </WidgetFrame>
    }
}

/// One thread: its code with the next line marked, what it waits for,
/// its register when it has one, and its step button.
fn view_thread(send: &Callback<Msg>, state: &State, thread: usize) -> Html {
    let program = state.program();
    let pc = state.pc(thread);
    let lines = program.lines(thread);
    let enabled = state.enabled_threads().contains(&thread);
    let number = thread + 1;
    let status = format!("Thread {number} {}", state.describe(thread));
    let title = if enabled {
        format!("Run the highlighted line of thread {number}")
    } else {
        status.clone()
    };
    let uses_register = lines.iter().any(|line| line.is_expansion());
    html! {
        <div class="scheduler-thread">
            <h5>{ format!("Thread {number}") }</h5>
            <ol class="scheduler-code" aria-label={format!("Code of thread {number}")}>
                { for program.listing(thread).into_iter().enumerate().map(|(i, text)| {
                    let current = pc == Some(i);
                    let expansion = lines.get(i).is_some_and(|line| line.is_expansion());
                    html! {
                        <li class={classes!(current.then_some("current"), expansion.then_some("expansion"))}
                            aria-current={current.then_some(AttrValue::Static("step"))}>
                            <code>{ text }</code>
                        </li>
                    }
                }) }
            </ol>
            <p class="scheduler-status">{ status }</p>
            if uses_register {
                <p class="scheduler-register">{ format!("r = {}", state.register(thread).unwrap_or_default()) }</p>
            }
            <button type="button" onclick={send.reform(move |_| Msg::Step(thread))}
                    disabled={!enabled} {title}>
                { format!("Step thread {number}") }
            </button>
            if program.has_store_buffers() {
                { view_store_buffer(send, state, thread) }
            }
        </div>
    }
}

/// A thread's store buffer, oldest store first, and the scheduler's other
/// choice: writing the oldest one to memory.
fn view_store_buffer(send: &Callback<Msg>, state: &State, thread: usize) -> Html {
    let number = thread + 1;
    let buffer = state.store_buffer(thread);
    let entries = buffer
        .iter()
        .map(|(name, value)| format!("{name} = {value}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <>
            <p class="scheduler-register">{ format!("store buffer: [{entries}]") }</p>
            <button type="button" class="secondary" disabled={buffer.is_empty()}
                    onclick={send.reform(move |_| Msg::Step(DRAIN + thread))}
                    title={format!("Write thread {number}'s oldest buffered store to memory")}>
                { format!("Flush thread {number}'s oldest store") }
            </button>
        </>
    }
}

/// Every outcome the model checker found, with a button to replay one.
fn view_exploration(send: &Callback<Msg>, play: &Play, explored: &Explored) -> Html {
    let e = &explored.exploration;
    let names = play.state().program().var_names();
    let mode = if explored.expanded {
        "expanded"
    } else {
        "as written"
    };
    html! {
        <>
            <table class="results scheduler-outcomes">
                <caption>{ format!(
                    "{} interleavings of “{}” ({mode}) end in {} distinct outcomes",
                    e.interleavings, play.level().title(), e.outcomes.len()
                ) }</caption>
                <thead><tr>
                    <th scope="col">{ "final values" }</th>
                    <th scope="col">{ "verdict" }</th>
                    <th scope="col">{ "interleavings" }</th>
                    <th scope="col">{ "example" }</th>
                </tr></thead>
                <tbody>
                    { for e.outcomes.iter().map(|o| {
                        let values = names
                            .iter()
                            .map(|n| format!("{n} = {}", o.values.get(*n).copied().unwrap_or_default()))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let share = if e.interleavings == 0 { 0.0 } else { 100.0 * o.count as f64 / e.interleavings as f64 };
                        let example = o.example.clone();
                        html! {
                            <tr>
                                <td><code>{ values.clone() }</code></td>
                                <td class={classes!("verdict", format!("verdict-{}", o.verdict.kind()))}>{ verdict_words(&o.verdict) }</td>
                                <td>{ format!("{} ({share:.0}%)", o.count) }</td>
                                <td>
                                    <button type="button" class="secondary"
                                            aria-label={format!("Replay a schedule that ends with {values}")}
                                            onclick={send.reform(move |_| Msg::Load(example.clone()))}>
                                        { "Replay" }
                                    </button>
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if e.capped {
                <p class="fallback">{ "The search stopped at its limit: these counts are lower bounds." }</p>
            }
        </>
    }
}
