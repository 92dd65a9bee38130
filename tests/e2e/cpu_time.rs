//! How long the page's main thread actually ran, read from Linux's
//! `/proc/<pid>/schedstat`.
//!
//! Where an engine has no Long Tasks API a heartbeat stands in for it (a
//! 20 ms timer and a worker's message every 20 ms), and a stretch with no
//! beat, over 50 ms longer than one, can mean two things: a task held the
//! page's main thread that long (a long task, what the tests forbid), or the
//! operating system did not run the thread (the cores were busy elsewhere:
//! the pool's workers, the engine's own painting threads). On 2 cores
//! WebKitGTK's software rendering alone (Mesa's llvmpipe threads) holds the
//! main thread off the CPU for 20 to 45 ms at a time. The API's own entries
//! are wall time too, so a short task the system preempted can read as long.
//! The scheduler's own count of the time each main thread ran tells the two
//! apart: no task of 50 ms can fit in a window in which the thread ran less
//! than 50 ms.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often the main threads' run times are read: a late beat's window is
/// widened by about this much on each side, so the count errs towards
/// finding a long task. At 10 ms the widening alone, on a page whose main
/// thread was half busy, added 5 to 10 ms of run time to a window: enough to
/// push a busy but unblocked window over 50 ms. Reading 1 to 3 small files
/// every 2 ms costs the machine about 1 % of a core.
const PERIOD: Duration = Duration::from_millis(2);

/// Readings between two searches for new content processes (navigations
/// start them): a search reads every process's `stat`, so not every round.
const ROUNDS_PER_SEARCH: u32 = 250;

/// The content processes' names as the kernel keeps them (15 characters):
/// WebKit's web process, Firefox's content processes. Chromium's renderers
/// bear the browser's name ([`is_page_process`]).
const PAGE_PROCESSES: [&str; 3] = ["WebKitWebProces", "Isolated Web Co", "Web Content"];

/// One reading: when (ms since the epoch, the page's `timeOrigin + now()`
/// clock) and how long each content process's main thread had run, in ns.
struct Reading {
    at_ms: f64,
    ran_ns: Vec<(u32, u64)>,
}

/// Reads the main threads of the content processes under one driver, until dropped.
pub struct MainThreadClock {
    stop: Arc<AtomicBool>,
    readings: Arc<Mutex<Vec<Reading>>>,
    thread: Option<JoinHandle<()>>,
}

impl MainThreadClock {
    /// Starts reading the content processes that descend from `driver`, or
    /// `None` where the kernel keeps no scheduler statistics.
    pub fn start(driver: u32) -> Option<Self> {
        if !Path::new("/proc/self/schedstat").exists() {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let readings = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, readings) = (stop.clone(), readings.clone());
            std::thread::spawn(move || {
                run_on_time();
                let mut pages = page_processes(driver);
                let mut round = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    // New content processes appear with navigations.
                    if round.is_multiple_of(ROUNDS_PER_SEARCH) {
                        pages = page_processes(driver);
                    }
                    round += 1;
                    let ran_ns = pages
                        .iter()
                        .filter_map(|&pid| ran_ns(pid).map(|ns| (pid, ns)))
                        .collect();
                    if let Ok(mut readings) = readings.lock() {
                        readings.push(Reading {
                            at_ms: epoch_ms(),
                            ran_ns,
                        });
                    }
                    std::thread::sleep(PERIOD);
                }
            })
        };
        Some(Self {
            stop,
            readings,
            thread: Some(thread),
        })
    }

    /// The most any content process's main thread ran between `from_ms` and
    /// `to_ms` (epoch ms), measured from the last reading before to the first
    /// after; `None` without readings on both sides.
    pub fn most_run_ms(&self, from_ms: f64, to_ms: f64) -> Option<f64> {
        let readings = self.readings.lock().ok()?;
        let before = readings.iter().rev().find(|r| r.at_ms <= from_ms)?;
        let after = readings.iter().find(|r| r.at_ms >= to_ms)?;
        after
            .ran_ns
            .iter()
            .filter_map(|(pid, end)| {
                let (_, start) = before.ran_ns.iter().find(|(p, _)| p == pid)?;
                Some(end.saturating_sub(*start) as f64 / 1e6)
            })
            .reduce(f64::max)
    }
}

impl Drop for MainThreadClock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Asks the kernel to run the calling thread as soon as it wakes, ahead of
/// the browser's threads, so that on a busy machine a reading is taken when
/// it is due and not whenever the cores are free. That takes the privilege
/// CI runs with (root); without it the readings are only later, which widens
/// the windows, and the count still errs towards finding a long task.
fn run_on_time() {
    let lowest_real_time = libc::sched_param { sched_priority: 1 };
    // SAFETY: `sched_setscheduler` only reads the parameter block, which
    // lives across the call; pid 0 is the calling thread.
    let refused = unsafe { libc::sched_setscheduler(0, libc::SCHED_FIFO, &lowest_real_time) } != 0;
    if refused {
        eprintln!(
            "cpu_time: no real-time priority for the reader ({}); its readings may come late",
            std::io::Error::last_os_error()
        );
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The first field of `/proc/<pid>/schedstat`: nanoseconds the process's main
/// thread (whose id is the process's) has run on a CPU.
fn ran_ns(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/schedstat"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Whether `pid`, named `name`, runs pages: a content process by its name,
/// or one of Chromium's renderers (named after the browser, told apart by
/// its command line).
fn is_page_process(pid: u32, name: &str) -> bool {
    PAGE_PROCESSES.contains(&name)
        || (name == "chromium"
            && std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|line| line.windows(15).any(|arg| arg == b"--type=renderer")))
}

/// The content processes among `root`'s descendants.
fn page_processes(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent, name) of every process.
    let processes: Vec<(u32, u32, String)> = entries
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (name) state ppid ...": the name may hold spaces and parentheses.
            let (head, tail) = stat.rsplit_once(')')?;
            let name = head.split_once('(')?.1.to_owned();
            let parent = tail.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, parent, name))
        })
        .collect();
    let descends = |mut pid: u32| {
        for _ in 0..64 {
            if pid == root {
                return true;
            }
            match processes.iter().find(|(p, _, _)| *p == pid) {
                Some((_, parent, _)) if *parent > 1 => pid = *parent,
                _ => return false,
            }
        }
        false
    };
    processes
        .iter()
        .filter(|(pid, _, name)| is_page_process(*pid, name) && descends(*pid))
        .map(|(pid, _, _)| *pid)
        .collect()
}
