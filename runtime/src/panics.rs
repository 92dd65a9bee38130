//! Turning a panic inside a worker into a message for the widget that waits.
//!
//! WebAssembly here aborts on panic: the worker that panicked stops, and the
//! job's result never arrives. The hook runs first, on the panicking thread,
//! and leaves the message in shared memory where the waiting widget finds it.
//! An allocation failure aborts without a panic, so it gets a hook of its own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The event the window receives, once, when a worker's crash puts the pool
/// out of action (`book_pool::job`); its `detail` is the crash's message. The
/// book's shell listens for it: the widgets run in a module of their own and
/// cannot reach the shell's state.
pub const POOL_BROKEN_EVENT: &str = "concurrency-book:pool-broken";

static PANICKED: AtomicBool = AtomicBool::new(false);
static MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Installs the hooks once, before anything can panic.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| record(info.to_string())));
    std::alloc::set_alloc_error_hook(|layout| {
        record(format!(
            "out of memory: {} bytes could not be allocated",
            layout.size()
        ));
    });
}

/// Leaves `message` for the waiting widget.
fn record(message: String) {
    web_sys::console::error_1(&format!("worker stopped: {message}").into());
    if let Ok(mut slot) = MESSAGE.try_lock() {
        *slot = Some(message);
    }
    PANICKED.store(true, Ordering::Release);
}

/// The last panic's message, if one happened since the last call. Never
/// blocks: the main thread may not wait on a lock.
pub fn take() -> Option<String> {
    if !PANICKED.swap(false, Ordering::Acquire) {
        return None;
    }
    let message = MESSAGE.try_lock().ok().and_then(|mut slot| slot.take());
    Some(message.unwrap_or_else(|| "a worker thread stopped".to_owned()))
}
