//! Components and browser APIs in headless Chromium (`wasm-bindgen-test`).
//!
//! Each test mounts the real app at a real URL of the test page's origin and
//! reads the DOM it produces.
#![cfg(target_arch = "wasm32")]

#[path = "support/seed.rs"]
mod seed;

use std::time::Duration;

use concurrency_book::content::book;
use concurrency_book::ui::{App, Route};
use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};

use yew_router::Routable;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    gloo::utils::document()
}

/// Mounts the app at `path` into a fresh element.
fn mount_at(path: &str) -> (yew::AppHandle<App>, Element) {
    let window = gloo::utils::window();
    window
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("pushState");
    let host = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let handle = yew::Renderer::<App>::with_root(host.clone()).render();
    (handle, host)
}

/// Waits until `selector` matches inside `host`, for at most `limit`.
async fn wait_for(host: &Element, selector: &str, limit: Duration) -> Element {
    let step = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    loop {
        if let Ok(Some(found)) = host.query_selector(selector) {
            return found;
        }
        assert!(waited < limit, "{selector} did not appear within {limit:?}");
        sleep(step).await;
        waited += step;
    }
}

/// A property descriptor (`Object.defineProperty`'s third argument) with
/// `fields`, configurable so the test can put the property back.
fn descriptor(fields: &[(&str, &wasm_bindgen::JsValue)]) -> js_sys::Object {
    let descriptor = js_sys::Object::new();
    for (name, value) in fields
        .iter()
        .chain(&[("configurable", &wasm_bindgen::JsValue::TRUE)])
    {
        js_sys::Reflect::set(&descriptor, &(*name).into(), value).expect("a descriptor field");
    }
    descriptor
}

fn unmount(handle: yew::AppHandle<App>, host: Element) {
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn the_router_resolves_every_page() {
    for page in book().pages() {
        let route = Route::of(page);
        let path = route.to_path();
        assert_eq!(Route::recognize(&path), Some(route.clone()), "{path}");
        assert_eq!(route.page().map(|p| p.number), Some(page.number));
        // A reload without the trailing slash lands on the same page.
        assert_eq!(
            Route::recognize(path.trim_end_matches('/')).and_then(|r| r.page().map(|p| p.number)),
            Some(page.number)
        );
    }
    assert_eq!(
        Route::recognize("/no-such-section/"),
        Some(Route::Section {
            slug: "no-such-section".into()
        })
    );
    assert!(Route::Section {
        slug: "no-such-section".into()
    }
    .page()
    .is_none());
}

#[wasm_bindgen_test]
async fn every_page_renders_its_title_and_tables() {
    for page in book().pages() {
        let (handle, host) = mount_at(&Route::of(page).to_path());
        let heading = wait_for(
            &host,
            "article.page h1, article.page h2",
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            heading
                .text_content()
                .unwrap_or_default()
                .trim_end_matches('#'),
            page.title()
        );
        let seed_has_table =
            page.number > 0 && !seed::table_cells(seed::sections()[page.number - 1]).is_empty();
        let has_table = host
            .query_selector("article.page > table")
            .ok()
            .flatten()
            .is_some();
        assert_eq!(
            has_table, seed_has_table,
            "{} shows the seed's tables",
            page.slug
        );
        let active = wait_for(
            &host,
            ".sidebar li.active [aria-current=page]",
            Duration::from_secs(1),
        )
        .await;
        assert_eq!(active.text_content().unwrap_or_default(), page.title());
        let expected_title = if page.number == 0 {
            "interactive book".to_owned()
        } else {
            page.plain_title()
        };
        assert!(
            document().title().contains(&expected_title),
            "document title of {}",
            page.slug
        );
        assert!(
            host.query_selector(".widget-error")
                .ok()
                .flatten()
                .is_none(),
            "no widget error on {}",
            page.slug
        );
        unmount(handle, host);
    }
}

#[wasm_bindgen_test]
async fn an_unknown_address_shows_not_found() {
    let (handle, host) = mount_at("/no-such-section/");
    let heading = wait_for(&host, ".not-found h1", Duration::from_secs(5)).await;
    assert!(heading
        .text_content()
        .unwrap_or_default()
        .contains("not in the book"));
    unmount(handle, host);
}

#[wasm_bindgen_test]
async fn the_theme_toggle_switches_and_remembers() {
    let storage = gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage");
    storage.clear().expect("clear");
    let root = document().document_element().expect("<html>");
    let (handle, host) = mount_at("/");
    let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
        .await
        .unchecked_into();

    toggle.click();
    sleep(Duration::from_millis(50)).await;
    let first = root.get_attribute("data-theme").expect("a theme is set");
    assert!(first == "light" || first == "dark");
    let stored = storage
        .get_item("concurrency-book.theme")
        .ok()
        .flatten()
        .expect("the choice is stored");
    assert_eq!(stored, format!("\"{first}\""));

    toggle.click();
    sleep(Duration::from_millis(50)).await;
    let second = root.get_attribute("data-theme").expect("a theme is set");
    assert_ne!(first, second, "the toggle switches");
    unmount(handle, host);

    // A new visit starts with the remembered theme.
    root.remove_attribute("data-theme").expect("reset");
    assert_eq!(concurrency_book::ui::Theme::current().name(), second);
    storage.clear().expect("clear");
}

#[wasm_bindgen_test]
async fn widgets_keep_the_contract_and_the_pool_uses_several_threads() {
    let (handle, host) = mount_at("/");
    let environment = wait_for(
        &host,
        "[data-widget=environment][data-result]",
        Duration::from_secs(5),
    )
    .await;
    let report: serde_json::Value =
        serde_json::from_str(&environment.get_attribute("data-result").unwrap_or_default())
            .expect("JSON");
    assert_eq!(report["isolated"], true, "the test runner serves COOP/COEP");
    unmount(handle, host);

    let (handle, host) = mount_at("/core-definitions/");
    let widget = wait_for(&host, "[data-widget=threads-check]", Duration::from_secs(5)).await;
    assert!(
        widget.get_attribute("data-result").is_none(),
        "no result before a run"
    );
    let button: HtmlElement = widget
        .query_selector("button")
        .ok()
        .flatten()
        .expect("a button")
        .unchecked_into();
    button.click();
    let done = wait_for(
        &host,
        "[data-widget=threads-check][data-result]",
        Duration::from_secs(60),
    )
    .await;
    let result: serde_json::Value =
        serde_json::from_str(&done.get_attribute("data-result").unwrap_or_default()).expect("JSON");
    assert_eq!(result["checksum_matches"], true, "{result}");
    assert!(result["fallback"].is_null(), "{result}");
    assert!(
        result["threads_seen"].as_u64().unwrap_or(0) >= 2,
        "{result}"
    );
    unmount(handle, host);
}

mod lab {
    use std::time::Duration;

    use concurrency_book::compute::control::Control;
    use concurrency_book::compute::kernel::{KernelKind, KernelRequest};
    use concurrency_book::compute::lab::{LabError, LabRequest, Split};
    use concurrency_book::compute::measure::Plan;
    use concurrency_book::runtime::clock::now_ms;
    use concurrency_book::runtime::lab::{run, RunError};
    use gloo::timers::future::sleep;
    use wasm_bindgen_test::*;

    fn request(size: usize, thread_counts: Vec<usize>, plan: Plan) -> LabRequest {
        LabRequest {
            kernels: vec![KernelRequest::new(KernelKind::Mandelbrot, size).expect("valid")],
            splits: vec![Split::WorkStealing],
            thread_counts,
            plan,
        }
    }

    #[wasm_bindgen_test]
    async fn each_thread_count_runs_on_that_many_workers() {
        let plan = Plan {
            warmup: 0,
            repetitions: 2,
        };
        let result = run(request(400, vec![1, 2], plan), Control::new())
            .await
            .expect("measured");
        assert!(
            result.pool_threads >= 2,
            "the test runner is isolated: a real pool"
        );
        let points = &result.sweeps[0].points;
        assert_eq!(
            points[0].threads_seen, 1,
            "one thread when the rest are parked"
        );
        assert_eq!(points[1].threads_seen, 2, "both workers took rows");
        assert!(result.after.is_some(), "the image comes back");
    }

    #[wasm_bindgen_test]
    async fn cancelling_stops_within_a_tenth_of_a_second_and_the_pool_stays_usable() {
        let control = Control::new();
        let running =
            wasm_bindgen_futures::JsFuture::from(wasm_bindgen_futures::future_to_promise({
                let control = control.clone();
                async move {
                    let outcome = run(request(3200, vec![1, 2], Plan::default()), control).await;
                    Ok(wasm_bindgen::JsValue::from_bool(matches!(
                        outcome,
                        Err(RunError::Lab(LabError::Cancelled))
                    )))
                }
            }));
        sleep(Duration::from_millis(300)).await;
        assert!(control.progress() > 0.0, "the run had started");
        let cancelled_at = now_ms();
        control.cancel();
        let was_cancelled = running.await.expect("the run settles");
        let took = now_ms() - cancelled_at;
        assert_eq!(was_cancelled.as_bool(), Some(true));
        assert!(took < 200.0, "cancelling took {took:.0} ms");

        let again = run(
            request(
                64,
                vec![2],
                Plan {
                    warmup: 0,
                    repetitions: 1,
                },
            ),
            Control::new(),
        )
        .await;
        assert!(again.is_ok(), "the pool still runs jobs after a cancel");
    }
}

/// The concurrency lab's timeline: futures taking turns on this page's one
/// thread, and the same tasks on the pool's threads at once.
mod timeline {
    use concurrency_book::compute::concurrency::timeline::{run_on_pool, TaskSpec, Timeline};
    use concurrency_book::runtime::clock::shared_ms;
    use concurrency_book::runtime::event_loop::run_interleaved;
    use concurrency_book::runtime::job::run_in_pool;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    fn tasks(count: usize, steps: usize, step_ms: f64) -> Vec<TaskSpec> {
        (0..count)
            .map(|i| TaskSpec::clamped(&format!("T{i}"), steps, step_ms).0)
            .collect()
    }

    #[wasm_bindgen_test]
    async fn tasks_on_the_event_loop_interleave_and_never_overlap() {
        // A turn of the event loop ends at its microtask checkpoint: a step
        // that begins before the microtask queued by the step before it
        // has run began in that step's turn.
        let in_turn = Rc::new(Cell::new(false));
        let sharing = Rc::new(Cell::new(0));
        let watch = {
            let (in_turn, sharing) = (Rc::clone(&in_turn), Rc::clone(&sharing));
            move |_task: usize| {
                if in_turn.replace(true) {
                    sharing.set(sharing.get() + 1);
                }
                let in_turn = Rc::clone(&in_turn);
                let turn_ends = Closure::once_into_js(move || in_turn.set(false));
                web_sys::window()
                    .expect("the tests run in a window")
                    .queue_microtask(turn_ends.unchecked_ref());
            }
        };
        let interleaved = run_interleaved(&tasks(3, 3, 2.0), watch).await;
        assert_eq!(
            sharing.get(),
            0,
            "each step has a turn of the event loop to itself"
        );
        let timeline = Timeline::new(interleaved.spans);
        assert_eq!(timeline.spans.len(), 9);
        assert_eq!(timeline.lanes_used(), 1);
        assert_eq!(
            timeline.most_at_once(),
            1,
            "one thread runs one step at a time"
        );
        assert!(!timeline.lane_overlaps());
        // Each task awaits before every step, so the next step on the thread
        // is another task's: the tasks alternate A B C A B C A B C.
        let order: Vec<usize> = timeline.spans.iter().map(|span| span.task).collect();
        assert_eq!(order, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
        assert_eq!(timeline.switches(), 8);
    }

    #[wasm_bindgen_test]
    async fn the_same_tasks_on_the_pool_run_at_the_same_time() {
        // Steps of 20 ms: a task much shorter can be over before the other
        // worker gets a core on a busy machine (WebKit runs 4 workers on 2
        // cores), and the two never meet. A pool that runs the tasks one
        // after the other still fails the last check, however long the steps.
        let work = tasks(2, 4, 20.0);
        let spans = run_in_pool(move || {
            run_on_pool(&work, &shared_ms, &|| {
                rayon::current_thread_index().unwrap_or(0)
            })
        })
        .await
        .expect("the test runner is isolated: a real pool");
        let timeline = Timeline::new(spans);
        assert_eq!(timeline.spans.len(), 8);
        assert!(!timeline.lane_overlaps());
        assert_eq!(timeline.lanes_used(), 2, "each task on a worker of its own");
        assert_eq!(
            timeline.most_at_once(),
            2,
            "both tasks' steps at one instant"
        );
    }
}

/// The actor model on the event loop: mailboxes, a slow actor, a failure
/// that its supervisor restarts.
mod actors {
    use concurrency_book::runtime::actors::{run, ChatRoom};
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn every_delivery_is_handled_or_lost_and_a_failed_actor_is_restarted() {
        let room = ChatRoom {
            users: 50,
            messages: 20,
            interval_ms: 2,
            slow_ms: 20,
            crash_every: 7,
        };
        let outcome = run(room, std::rc::Rc::default(), |_| {}).await;
        assert_eq!(outcome.expected, 1_000);
        assert_eq!(outcome.handled + outcome.lost, outcome.expected);
        assert_eq!(
            outcome.failures, 2,
            "the faulty user fails on messages 7 and 14"
        );
        assert_eq!(outcome.restarts, 2);
        assert!(outcome.lost >= 2, "at least the two messages it failed on");
        assert!(
            outcome.slow_peak > outcome.typical_peak,
            "the slow user's mailbox grows: {} against {}",
            outcome.slow_peak,
            outcome.typical_peak
        );
        // The actors take turns on the one thread: the handler changes with
        // nearly every message, not once per actor.
        assert!(outcome.switches > 50 * 10, "{}", outcome.switches);
    }
}

/// The timer queue: many waits on one browser timer, none woken early.
mod timer_queue {
    use std::cell::RefCell;
    use std::rc::Rc;

    use concurrency_book::runtime::clock::now_ms;
    use concurrency_book::runtime::timer_queue::sleep;
    use futures::future::join_all;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn a_thousand_waits_each_end_after_their_own_delay() {
        let late = Rc::new(RefCell::new(Vec::new()));
        let started = now_ms();
        join_all((0..1_000_u32).map(|i| {
            let late = Rc::clone(&late);
            async move {
                let delay = (i * 7) % 60;
                let asked = now_ms();
                sleep(delay).await;
                late.borrow_mut().push(now_ms() - asked - f64::from(delay));
            }
        }))
        .await;
        let late = late.take();
        assert_eq!(late.len(), 1_000, "every wait ended");
        // Whole milliseconds, rounded up from the time asked: never early.
        assert!(late.iter().all(|&l| l > -1.0), "{late:?}");
        assert!(now_ms() - started >= 59.0);
    }
}

/// SIMD in the browser: the simd128 kernels compute what the scalar ones do,
/// on this page's thread and in the pool.
mod simd {
    use concurrency_book::compute::control::Control;
    use concurrency_book::compute::matmul::MatMul;
    use concurrency_book::compute::measure::Plan;
    use concurrency_book::compute::simd::lab::{SimdKernel, SimdRequest};
    use concurrency_book::compute::simd::lanes::INSTRUCTIONS;
    use concurrency_book::compute::simd::mandelbrot::MandelbrotF32;
    use concurrency_book::compute::simd::Lanes;
    use concurrency_book::runtime::lab::run_simd;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn simd128_lanes_equal_the_scalar_kernels() {
        assert!(
            concurrency_book::runtime::environment::wasm_simd(),
            "the feature probe validates in a browser with SIMD"
        );
        assert_eq!(INSTRUCTIONS, "WebAssembly simd128");
        let control = Control::new();
        for width in [16, 61, 160] {
            let image = MandelbrotF32::new(width);
            let scalar = image.sequential(Lanes::Scalar, &control).expect("runs");
            let simd = image.sequential(Lanes::Simd, &control).expect("runs");
            assert_eq!(simd, scalar, "Mandelbrot, width {width}");
        }
        for n in [9, 64, 101] {
            let m = MatMul::new(n);
            let scalar = m.sequential_with(Lanes::Scalar, &control).expect("runs");
            let simd = m.sequential_with(Lanes::Simd, &control).expect("runs");
            assert_eq!(simd, scalar, "matrix multiply, n = {n}: bitwise equal");
        }
    }

    #[wasm_bindgen_test]
    async fn the_simd_lab_checks_and_times_four_ways_in_the_pool() {
        let request = SimdRequest {
            kernels: vec![(SimdKernel::Mandelbrot, 96), (SimdKernel::Matmul, 48)],
            plan: Plan {
                warmup: 0,
                repetitions: 1,
            },
        };
        let results = run_simd(request, Control::new())
            .await
            .unwrap_or_else(|error| panic!("not measured: {error}"));
        for result in &results {
            assert_eq!(result.ways.len(), 4, "{:?}", result.kernel);
            let all = result.ways[3].threads;
            assert!(all >= 2, "the test runner is isolated: a real pool");
            let seen = result.ways[3].threads_seen;
            // At least two: real threads (a small job may finish before
            // every worker of a big pool wakes up).
            assert!(
                (2..=all).contains(&seen),
                "{seen} of {all} threads did work"
            );
        }
        assert!(
            results[0].counts.is_some(),
            "the Mandelbrot's counts come back"
        );
    }
}

/// The book with `localStorage` blocked, full or holding what it cannot read.
mod storage {
    use super::*;
    use concurrency_book::prerendered::PAGES;
    use wasm_bindgen::JsValue;

    /// Replaces `target[property]` with `descriptor` until dropped, so a
    /// failing test cannot leave the page's storage broken for the next.
    struct Override {
        target: js_sys::Object,
        property: &'static str,
        own: JsValue,
    }

    impl Override {
        fn new(
            target: js_sys::Object,
            property: &'static str,
            descriptor: &js_sys::Object,
        ) -> Self {
            let own = js_sys::Object::get_own_property_descriptor(&target, &property.into());
            js_sys::Object::define_property(&target, &property.into(), descriptor);
            Self {
                target,
                property,
                own,
            }
        }

        /// `window.localStorage` throws as a browser blocking site data makes it.
        fn blocked() -> Self {
            let getter = js_sys::Function::new_no_args(
                "throw new DOMException('The operation is insecure.', 'SecurityError');",
            );
            let descriptor = descriptor(&[("get", &getter)]);
            Self::new(gloo::utils::window().into(), "localStorage", &descriptor)
        }

        /// Every `setItem` throws as a full store does.
        fn full() -> Self {
            let prototype = js_sys::Reflect::get(&gloo::utils::window(), &"Storage".into())
                .and_then(|storage| js_sys::Reflect::get(&storage, &"prototype".into()))
                .expect("Storage.prototype");
            let setter = js_sys::Function::new_no_args(
                "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');",
            );
            let descriptor = descriptor(&[("value", &setter), ("writable", &JsValue::TRUE)]);
            Self::new(prototype.unchecked_into(), "setItem", &descriptor)
        }
    }

    impl Drop for Override {
        fn drop(&mut self) {
            if self.own.is_undefined() {
                let _ = js_sys::Reflect::delete_property(&self.target, &self.property.into());
            } else {
                js_sys::Object::define_property(
                    &self.target,
                    &self.property.into(),
                    self.own.unchecked_ref(),
                );
            }
        }
    }

    fn local() -> web_sys::Storage {
        gloo::utils::window()
            .local_storage()
            .ok()
            .flatten()
            .expect("localStorage")
    }

    fn text(host: &Element) -> String {
        host.text_content().unwrap_or_default()
    }

    #[wasm_bindgen_test]
    async fn with_storage_blocked_every_page_reads_and_the_theme_still_switches() {
        let blocked = Override::blocked();
        assert!(
            gloo::utils::window().local_storage().is_err(),
            "the override blocks storage as a browser does"
        );
        let root = document().document_element().expect("<html>");
        let (handle, host) = mount_at("/core-definitions/");
        wait_for(&host, "article.page h2", Duration::from_secs(5)).await;
        let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
            .await
            .unchecked_into();
        let before = root.get_attribute("data-theme");
        toggle.click();
        sleep(Duration::from_millis(50)).await;
        assert_ne!(
            root.get_attribute("data-theme"),
            before,
            "the theme switches for the visit"
        );
        unmount(handle, host);

        let (handle, host) = mount_at("/your-machine/");
        let note = wait_for(&host, ".storage-refused", Duration::from_secs(5)).await;
        assert!(
            text(&note).contains("the browser blocks this site's storage"),
            "{}",
            text(&note)
        );
        unmount(handle, host);
        drop(blocked);
        root.remove_attribute("data-theme").expect("reset");
    }

    #[wasm_bindgen_test]
    async fn with_storage_full_the_book_says_so_and_keeps_going() {
        local().clear().expect("clear");
        let full = Override::full();
        let (handle, host) = mount_at("/your-machine/");
        let toggle: HtmlElement = wait_for(&host, ".theme-toggle", Duration::from_secs(5))
            .await
            .unchecked_into();
        toggle.click();
        sleep(Duration::from_millis(50)).await;
        unmount(handle, host);
        let (handle, host) = mount_at("/your-machine/");
        let note = wait_for(&host, ".storage-refused", Duration::from_secs(5)).await;
        assert!(text(&note).contains("full"), "{}", text(&note));
        unmount(handle, host);
        drop(full);
        document()
            .document_element()
            .expect("<html>")
            .remove_attribute("data-theme")
            .expect("reset");
        local().clear().expect("clear");
    }

    #[wasm_bindgen_test]
    async fn a_damaged_value_is_set_aside_told_once_and_never_shown() {
        let storage = local();
        storage.clear().expect("clear");
        let (question, choices) = PAGES[1].questions[0];
        let slug = book().pages()[1].slug;
        let out_of_range = format!(
            r#"{{"version":1,"read":[],"answers":{{"{slug}":{{"{question}":{choices}}}}},"widgets_run":[],"last_page":null}}"#
        );
        storage
            .set_item("concurrency-book.progress", &out_of_range)
            .expect("set");
        storage
            .set_item("concurrency-book.results", "{not json")
            .expect("set");

        let (handle, host) = mount_at(&format!("/{slug}/"));
        let notice = wait_for(&host, ".storage-notice", Duration::from_secs(5)).await;
        let told = text(&notice);
        assert!(
            told.contains("your progress") && told.contains("your results"),
            "{told}"
        );
        assert!(
            host.query_selector(".toc-answers").ok().flatten().is_none(),
            "an answer that does not fit counts for nothing in the contents"
        );
        assert_eq!(
            storage
                .get_item("concurrency-book.progress.set-aside")
                .ok()
                .flatten(),
            Some(out_of_range),
            "kept aside as it was"
        );
        assert_eq!(
            storage
                .get_item("concurrency-book.results.set-aside")
                .ok()
                .flatten()
                .as_deref(),
            Some("{not json")
        );
        unmount(handle, host);

        // The next visit is not told again, and "Your machine" offers both.
        let (handle, host) = mount_at("/your-machine/");
        wait_for(&host, ".set-aside", Duration::from_secs(5)).await;
        assert!(host
            .query_selector(".storage-notice")
            .ok()
            .flatten()
            .is_none());
        let offered = host
            .query_selector_all(".set-aside")
            .expect("query")
            .length();
        assert_eq!(offered, 2);
        let discard: HtmlElement = host
            .query_selector(".set-aside button")
            .ok()
            .flatten()
            .expect("a discard button")
            .unchecked_into();
        discard.click();
        sleep(Duration::from_millis(50)).await;
        assert_eq!(
            host.query_selector_all(".set-aside")
                .expect("query")
                .length(),
            1
        );
        unmount(handle, host);
        storage.clear().expect("clear");
    }
}

/// "Copy results" says "Copied" only once the clipboard has the text.
mod copy {
    use super::*;

    /// `navigator.clipboard.writeText` replaced by `body` until dropped.
    struct Clipboard;

    impl Clipboard {
        fn answering(body: &str) -> Self {
            let navigator = gloo::utils::window().navigator();
            let clipboard = js_sys::Object::new();
            let write = js_sys::Function::new_with_args("text", body);
            js_sys::Reflect::set(&clipboard, &"writeText".into(), &write).expect("writeText");
            js_sys::Object::define_property(
                &navigator,
                &"clipboard".into(),
                &descriptor(&[("value", &clipboard)]),
            );
            Self
        }
    }

    impl Drop for Clipboard {
        fn drop(&mut self) {
            let navigator = gloo::utils::window().navigator();
            let _ = js_sys::Reflect::delete_property(&navigator, &"clipboard".into());
        }
    }

    /// The environment widget's "Copy results" button, once it has a result.
    async fn copy_button(host: &Element) -> HtmlElement {
        wait_for(
            host,
            "[data-widget=environment][data-result]",
            Duration::from_secs(5),
        )
        .await;
        host.query_selector("[data-widget=environment] button.copy")
            .ok()
            .flatten()
            .expect("a copy button")
            .unchecked_into()
    }

    #[wasm_bindgen_test]
    async fn copied_is_said_only_after_the_clipboard_answers() {
        let _slow = Clipboard::answering("return new Promise((done) => setTimeout(done, 300));");
        let (handle, host) = mount_at("/");
        let button = copy_button(&host).await;
        button.click();
        sleep(Duration::from_millis(50)).await;
        assert_ne!(
            button.text_content().as_deref(),
            Some("Copied"),
            "not before the promise"
        );
        sleep(Duration::from_millis(500)).await;
        assert_eq!(button.text_content().as_deref(), Some("Copied"));
        unmount(handle, host);
    }

    #[wasm_bindgen_test]
    async fn a_refused_copy_says_so_and_selects_the_text() {
        let _refusing = Clipboard::answering(
            "return Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));",
        );
        let (handle, host) = mount_at("/");
        let button = copy_button(&host).await;
        button.click();
        let refused = wait_for(&host, ".copy-refused", Duration::from_secs(2)).await;
        assert!(
            refused
                .text_content()
                .unwrap_or_default()
                .contains("Write permission denied"),
            "{:?}",
            refused.text_content()
        );
        assert_ne!(button.text_content().as_deref(), Some("Copied"));
        let selected = gloo::utils::window()
            .get_selection()
            .ok()
            .flatten()
            .and_then(|s| s.to_string().as_string())
            .unwrap_or_default();
        assert!(
            selected.contains("hardware_concurrency"),
            "the JSON is selected: {selected}"
        );
        unmount(handle, host);
    }
}

/// Pool work handed over from the main thread in bursts: none of it is lost.
mod hand_over {
    use super::*;
    use concurrency_book::runtime::job::run_piece_in_pool;

    #[wasm_bindgen_test]
    async fn pieces_handed_over_in_bursts_all_come_back() {
        // Bursts with pauses between them let the workers fall asleep and be
        // woken again, again and again: a wake-up lost on the way would leave
        // a piece, and this test, waiting.
        for burst in 0..40u32 {
            let pieces = (0..50u32).map(|i| run_piece_in_pool(move || burst * 1000 + i));
            let answers = futures::future::join_all(pieces).await;
            for (i, answer) in (0..50u32).zip(answers) {
                assert_eq!(answer, Ok(burst * 1000 + i), "burst {burst}, piece {i}");
            }
            sleep(Duration::from_millis(u64::from(burst % 4))).await;
        }
    }
}
