//! The widget kit's run hook: one run at a time, Cancel that ends a run as
//! cancelled whatever it returns, and a widget that goes away cancels its run.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use book_compute::control::Control;
use book_widgets::kit::run::{use_run, Run};
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
