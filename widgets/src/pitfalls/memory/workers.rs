//! Weighing threads: start plain Web Workers, time their start, and ask the
//! browser how much memory the page (workers included) uses.

use futures::channel::oneshot;
use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use book_runtime::clock::now_ms;
use book_runtime::js_error::describe;

/// The smallest worker there is: it answers every message and does nothing
/// else (`www/echo-worker.js`, next to the page).
const ECHO_WORKER: &str = "echo-worker.js";

/// A started Web Worker; it is terminated when dropped.
pub struct EchoWorker {
    worker: web_sys::Worker,
    /// From `new Worker()` to its first answer, in milliseconds.
    pub start_ms: f64,
}

impl Drop for EchoWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts one echo worker and waits for its first answer.
pub async fn start_echo_worker() -> Result<EchoWorker, String> {
    let started = now_ms();
    let worker = web_sys::Worker::new(ECHO_WORKER).map_err(|error| {
        format!(
            "the browser refused to start a worker: {}",
            describe(&error)
        )
    })?;
    let (answered, answer) = oneshot::channel::<()>();
    let (failed, failure) = oneshot::channel::<()>();
    // The receivers may be gone when the event comes: nobody is waiting then.
    let _message = EventListener::once(&worker, "message", move |_| {
        let _ = answered.send(());
    });
    let _error = EventListener::once(&worker, "error", move |_| {
        let _ = failed.send(());
    });
    worker
        .post_message(&JsValue::from_str("ping"))
        .map_err(|error| format!("cannot message the worker: {}", describe(&error)))?;
    match futures::future::select(answer, failure).await {
        futures::future::Either::Left((Ok(()), _)) => Ok(EchoWorker {
            worker,
            start_ms: now_ms() - started,
        }),
        _ => Err(format!("the worker script `{ECHO_WORKER}` did not load")),
    }
}

/// What the browser says the page's echo workers hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkerMemory {
    /// Bytes attributed to echo workers, all together.
    pub bytes: f64,
    /// Echo workers the measurement attributed memory to.
    pub workers: usize,
}

/// The memory the browser attributes to the echo workers, from
/// `performance.measureUserAgentSpecificMemory()`'s breakdown by context;
/// `Err` says why there is none (the API is Chromium's, and only on
/// cross-origin isolated pages). Chromium answers at its next garbage
/// collection, up to about 20 seconds later.
pub async fn measure_echo_workers() -> Result<WorkerMemory, String> {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .map_err(|error| describe(&error))?;
    let measure = js_sys::Reflect::get(&performance, &"measureUserAgentSpecificMemory".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("this browser has no performance.measureUserAgentSpecificMemory() (Chromium has it, on cross-origin isolated pages)")?;
    let promise: js_sys::Promise = measure
        .call0(&performance)
        .map_err(|error| describe(&error))?
        .dyn_into()
        .map_err(|_| "the memory measurement did not return a promise".to_owned())?;
    let result = JsFuture::from(promise)
        .await
        .map_err(|error| describe(&error))?;
    let breakdown: js_sys::Array = js_sys::Reflect::get(&result, &"breakdown".into())
        .ok()
        .and_then(|b| b.dyn_into().ok())
        .ok_or("the memory measurement had no breakdown")?;
    let mut memory = WorkerMemory {
        bytes: 0.0,
        workers: 0,
    };
    for entry in breakdown.iter() {
        let attribution: js_sys::Array = match js_sys::Reflect::get(&entry, &"attribution".into())
            .ok()
            .and_then(|a| a.dyn_into().ok())
        {
            Some(attribution) => attribution,
            None => continue,
        };
        let is_echo_worker = |context: &JsValue| {
            js_sys::Reflect::get(context, &"url".into())
                .ok()
                .and_then(|url| url.as_string())
                .is_some_and(|url| url.ends_with(ECHO_WORKER))
        };
        // Only entries that belong to echo workers alone: bytes shared with
        // the page or the pool cannot be pinned on a worker.
        let echo_workers = attribution.iter().filter(is_echo_worker).count();
        if echo_workers > 0 && echo_workers == attribution.length() as usize {
            memory.bytes += js_sys::Reflect::get(&entry, &"bytes".into())
                .ok()
                .and_then(|bytes| bytes.as_f64())
                .unwrap_or(0.0);
            memory.workers += echo_workers;
        }
    }
    Ok(memory)
}

/// Whether the browser has `Atomics.waitAsync`. Without it, wasm-bindgen's
/// executor parks each waiting task with a helper Web Worker of its own
/// (Firefox before 145), so thousands of waiting tasks would mean thousands of
/// workers.
pub fn has_wait_async() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"Atomics".into())
        .and_then(|atomics| js_sys::Reflect::get(&atomics, &"waitAsync".into()))
        .is_ok_and(|wait_async| wait_async.is_function())
}
