//! The widget kit's run hook: one run at a time, Cancel that ends a run as
//! cancelled whatever it returns, a widget that goes away cancels its run,
//! and a run's finish spread over turns, none of them long.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use book_compute::control::Control;
use book_content::directive::WidgetKind;
use book_widgets::kit::frame::WidgetFrame;
use book_widgets::kit::run::{use_run, Run};
use gloo::render::request_animation_frame;
use gloo::timers::future::TimeoutFuture;
use yew::prelude::*;

use super::*;

/// What the test reads of the widget's runs from outside it.
#[derive(Clone, Default)]
struct Seen {
    /// How many runs started.
    started: Rc<Cell<u32>>,
    /// The latest run's control.
    control: Rc<RefCell<Option<Control>>>,
    /// The state shown once every microtask queued by the run's last step
    /// has run: what the reader sees at the end of that turn.
    end_of_last_turn: Rc<RefCell<Option<String>>>,
}

#[derive(Properties, Clone)]
struct CounterProps {
    seen: Seen,
}

impl PartialEq for CounterProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.seen.started, &other.seen.started)
    }
}

/// A run that counts to 20, a step every 10 ms, showing each step; one
/// click asks for it twice, as a double click before a render would.
#[function_component(Counter)]
fn counter(props: &CounterProps) -> Html {
    let run = use_run::<u32, u32>();
    let start = {
        let (run, seen) = (run.clone(), props.seen.clone());
        Callback::from(move |_| {
            for _ in 0..2 {
                let seen = seen.clone();
                run.start(0, move |control, live| {
                    seen.started.set(seen.started.get() + 1);
                    *seen.control.borrow_mut() = Some(control.clone());
                    async move {
                        for step in 1..=20 {
                            if control.is_cancelled() {
                                return Err("stopped early".to_owned());
                            }
                            live.show(step);
                            TimeoutFuture::new(10).await;
                        }
                        let end_of_turn = Rc::clone(&seen.end_of_last_turn);
                        after_microtasks(move || {
                            end_of_turn.replace(Some(state_shown()));
                        });
                        Ok(20)
                    }
                });
            }
        })
    };
    let state = match run.state() {
        Run::Idle => "idle".to_owned(),
        Run::Running(step) => format!("running {step}"),
        Run::Done(count) => format!("done {count}"),
        Run::Cancelled => "cancelled".to_owned(),
        Run::Failed(why) => format!("failed: {why}"),
    };
    html! {
        <div>
            <button id="start" onclick={start} disabled={run.is_running()}>{ "Start" }</button>
            <button id="cancel" onclick={run.cancel()}>{ "Cancel" }</button>
            <p id="state">{ state }</p>
        </div>
    }
}

/// The counter, mounted and drawn.
async fn mount_counter(seen: &Seen) -> (yew::AppHandle<Counter>, Element) {
    let host = fresh_host();
    let props = CounterProps { seen: seen.clone() };
    let handle = yew::Renderer::<Counter>::with_root_and_props(host.clone(), props).render();
    wait_for(&host, "#start", Duration::from_secs(5)).await;
    (handle, host)
}

fn click(host: &Element, id: &str) {
    host.query_selector(&format!("#{id}"))
        .ok()
        .flatten()
        .expect("the button")
        .unchecked_into::<HtmlElement>()
        .click();
}

/// The counter's state line, wherever it is mounted.
fn state_shown() -> String {
    gloo::utils::document()
        .get_element_by_id("state")
        .and_then(|p| p.text_content())
        .unwrap_or_default()
}

/// Runs `then` after fifty more microtasks: after any microtask the current
/// turn has queued so far or queues meanwhile, and before the next turn.
fn after_microtasks(then: impl FnOnce() + 'static) {
    let chain = js_sys::Function::new_with_args(
        "then",
        "let p = Promise.resolve(); for (let i = 0; i < 50; i++) p = p.then(() => {}); p.then(then);",
    );
    let _ = chain.call1(
        &wasm_bindgen::JsValue::NULL,
        &wasm_bindgen::closure::Closure::once_into_js(then),
    );
}

fn state(host: &Element) -> String {
    host.query_selector("#state")
        .ok()
        .flatten()
        .and_then(|p| p.text_content())
        .unwrap_or_default()
}

/// Waits (up to 5 s) until the state reads `wanted`.
async fn state_becomes(host: &Element, wanted: &str) {
    for _ in 0..250 {
        if state(host) == wanted {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("the state stayed {:?}, not {wanted:?}", state(host));
}

#[wasm_bindgen_test]
async fn a_second_start_while_one_runs_does_nothing() {
    let seen = Seen::default();
    let (handle, host) = mount_counter(&seen).await;
    click(&host, "start");
    sleep(Duration::from_millis(60)).await;
    assert!(state(&host).starts_with("running"), "{}", state(&host));
    click(&host, "start");
    state_becomes(&host, "done 20").await;
    assert_eq!(seen.started.get(), 1, "one run for three asks");
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn cancel_ends_the_run_as_cancelled_not_failed() {
    let seen = Seen::default();
    let (handle, host) = mount_counter(&seen).await;
    click(&host, "start");
    sleep(Duration::from_millis(60)).await;
    click(&host, "cancel");
    // The run returns an error when it sees the flag; the reader is told
    // it was cancelled, not that it failed.
    state_becomes(&host, "cancelled").await;
    click(&host, "start");
    state_becomes(&host, "done 20").await;
    assert_eq!(seen.started.get(), 2, "a cancelled run can be run again");
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn a_widget_that_goes_away_cancels_its_run() {
    let seen = Seen::default();
    let (handle, host) = mount_counter(&seen).await;
    click(&host, "start");
    sleep(Duration::from_millis(60)).await;
    let control = seen.control.borrow().clone().expect("a run started");
    assert!(!control.is_cancelled());
    handle.destroy();
    host.remove();
    sleep(Duration::from_millis(50)).await;
    assert!(control.is_cancelled(), "leaving the page cancels the run");
}

#[wasm_bindgen_test]
async fn the_finished_view_waits_for_the_turn_after_the_runs_last_step() {
    let seen = Seen::default();
    let (handle, host) = mount_counter(&seen).await;
    click(&host, "start");
    state_becomes(&host, "done 20").await;
    // Drawn in the same turn, the finished view would add its cost to the
    // last step's and the two could make one long task.
    assert_eq!(
        seen.end_of_last_turn.borrow().as_deref(),
        Some("running 20"),
        "the turn of the run's last step ends before the finished view"
    );
    handle.destroy();
    host.remove();
}

/// A widget in the kit's frame whose button finishes a run at once.
#[function_component(Finisher)]
fn finisher() -> Html {
    let result = use_state(|| None::<AttrValue>);
    let finish = {
        let result = result.clone();
        Callback::from(move |_| result.set(Some(AttrValue::from(r#"{"figure":1}"#))))
    };
    html! {
        <WidgetFrame kind={WidgetKind::Environment} result={(*result).clone()}>
            <button id="finish" onclick={finish}>{ "Finish" }</button>
            if result.is_some() {
                <p id="report">{ "The report" }</p>
            }
        </WidgetFrame>
    }
}

#[wasm_bindgen_test]
async fn the_frame_shows_the_json_after_the_report_is_drawn() {
    let host = fresh_host();
    let handle = yew::Renderer::<Finisher>::with_root(host.clone()).render();
    wait_for(&host, "#finish", Duration::from_secs(5)).await;
    click(&host, "finish");
    // Asked for before the frame's own request, so it runs first in the
    // next frame: what the reader sees drawn there.
    let at_next_frame = Rc::new(Cell::new(None));
    let _frame = {
        let (at_next_frame, host) = (Rc::clone(&at_next_frame), host.clone());
        request_animation_frame(move |_| {
            let has = |selector: &str| host.query_selector(selector).ok().flatten().is_some();
            at_next_frame.set(Some((
                has("#report"),
                has("[data-result]"),
                has(".widget-json"),
            )));
        })
    };
    wait_for(
        &host,
        "[data-widget=environment][data-result]",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(
        at_next_frame.get(),
        Some((true, false, false)),
        "the report is drawn first; data-result and the JSON come a turn after"
    );
    assert!(host.query_selector(".widget-json").ok().flatten().is_some());
    handle.destroy();
    host.remove();
}
