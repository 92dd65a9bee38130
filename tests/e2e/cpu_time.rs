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
//! main thread off the CPU for tens of milliseconds at a time. The API's own entries
//! are wall time too, so a short task the system preempted can read as long.
//! The scheduler's own count of the time each main thread ran tells the two
//! apart: no task of 50 ms can fit in a window in which the thread ran less
//! than 50 ms.
//!
//! One more thing runs on a main thread that is not the page's: the engine's
//! own housekeeping. Every 30 s WebKitGTK measures its memory by reading and
//! parsing `/proc/self/smaps` on the main thread, 1 to 2.5 MB of text for a
//! page with the pool's workers: tens of milliseconds of run time.
//! A page cannot read a file in a blocking way (the web platform has no such
//! call), so a main thread reading files in bulk is the engine at work, and
//! the kernel counts those bytes (`rchar` in `/proc/<pid>/task/<tid>/io`).
//! The run time in readings during which the thread read that much is told
//! apart, as the engine's, from the rest.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often the main threads' run times are read: a late beat's window is
/// widened by about this much on each side, so the count errs towards
/// finding a long task. A coarser period widens a window, on a page whose
/// main thread is half busy, by enough run time to push a busy but unblocked
/// window over 50 ms. Each round reads two small files per content process
/// (`schedstat` and `io`, microseconds each): about 1 % of a core per
/// process, every 2 ms.
const PERIOD: Duration = Duration::from_millis(2);

/// Readings between two searches for new content processes (navigations
/// start them): a search reads every process's `stat`, so not every round.
const ROUNDS_PER_SEARCH: u32 = 250;

/// The content processes' names as the kernel keeps them (15 characters):
/// WebKit's web process, Firefox's content processes. Chromium's renderers
/// bear the browser's name ([`is_page_process`]).
const PAGE_PROCESSES: [&str; 3] = ["WebKitWebProces", "Isolated Web Co", "Web Content"];

/// Bytes a main thread must read from files between two readings for the
/// time it ran between them to count as the engine's own file reading:
/// WebKit's memory check reads 20 to 300 KB per 2 ms, 1 KB a call, and a
/// page's own work reads none (its messages arrive by `recvmsg`, which this
/// count leaves out). Readings with less count as the page's: the count errs
/// towards finding a long task.
const BULK_READ_BYTES: u64 = 16 * 1024;

/// One reading: when (ms since the epoch, the page's `timeOrigin + now()`
/// clock) and each content process's main thread then.
struct Reading {
    at_ms: f64,
    threads: Vec<ThreadReading>,
}

/// How long a content process's main thread had run (ns) and how many bytes
/// it had read from files, where the kernel says.
#[derive(Clone, Copy)]
struct ThreadReading {
    pid: u32,
    ran_ns: u64,
    read_bytes: Option<u64>,
}

/// How long a main thread ran in a window, and how much of that it spent
/// reading files in bulk: the engine's housekeeping, not the page's work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MainThreadRun {
    pub ms: f64,
    pub reading_files_ms: f64,
}

impl MainThreadRun {
    /// The run time that was the page's: what a long task of the page needs.
    pub fn page_ms(&self) -> f64 {
        self.ms - self.reading_files_ms
    }
}

/// Reads the main threads of the content processes under one driver, until dropped.
pub struct MainThreadClock {
    stop: Arc<AtomicBool>,
    readings: Arc<Mutex<Vec<Reading>>>,
    thread: Option<JoinHandle<()>>,
}

impl MainThreadClock {
    /// Starts reading the content processes that descend from `driver`, or
    /// `None` where the kernel keeps no scheduler statistics. Returns once
    /// the first reading is taken, so a window that opens after this call
    /// has a reading before it: without one it would count as a long task
    /// (WebKit's blur run did, on a machine busy enough to delay the thread).
    pub fn start(driver: u32) -> Option<Self> {
        if !Path::new("/proc/self/schedstat").exists() {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let readings = Arc::new(Mutex::new(Vec::new()));
        let (first_taken, first) = std::sync::mpsc::channel();
        let thread = {
            let (stop, readings) = (stop.clone(), readings.clone());
            std::thread::spawn(move || {
                run_on_time();
                let mut pages = Vec::new();
                let mut round = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    // New content processes appear with navigations.
                    if round.is_multiple_of(ROUNDS_PER_SEARCH) {
                        pages = page_processes(driver);
                    }
                    round += 1;
                    let threads = pages
                        .iter()
                        .filter_map(|&pid| {
                            Some(ThreadReading {
                                pid,
                                ran_ns: ran_ns(pid)?,
                                read_bytes: read_bytes(pid),
                            })
                        })
                        .collect();
                    if let Ok(mut readings) = readings.lock() {
                        readings.push(Reading {
                            at_ms: epoch_ms(),
                            threads,
                        });
                    }
                    if round == 1 {
                        // The caller may have gone on already.
                        let _ = first_taken.send(());
                    }
                    std::thread::sleep(PERIOD);
                }
            })
        };
        // A reader that cannot start in time only leaves windows without a
        // reading before them, which count: the watch errs towards finding.
        let _ = first.recv_timeout(Duration::from_secs(5));
        Some(Self {
            stop,
            readings,
            thread: Some(thread),
        })
    }

    /// How long the content process's main thread that did the most page
    /// work ran between `from_ms` and `to_ms` (epoch ms), measured from the
    /// last reading before to the first after; `None` without readings on
    /// both sides.
    pub fn most_run(&self, from_ms: f64, to_ms: f64) -> Option<MainThreadRun> {
        most_run(&self.readings.lock().ok()?, from_ms, to_ms)
    }
}

/// [`MainThreadClock::most_run`] over a list of readings.
fn most_run(readings: &[Reading], from_ms: f64, to_ms: f64) -> Option<MainThreadRun> {
    let first = readings.iter().rposition(|r| r.at_ms <= from_ms)?;
    let last = first + readings[first..].iter().position(|r| r.at_ms >= to_ms)?;
    let window = &readings[first..=last];
    let of = |reading: &Reading, pid: u32| -> Option<ThreadReading> {
        reading.threads.iter().find(|t| t.pid == pid).copied()
    };
    window[window.len() - 1]
        .threads
        .iter()
        .filter_map(|end| {
            let start = of(&window[0], end.pid)?;
            let reading_files_ns: u64 = window
                .windows(2)
                .filter_map(|pair| {
                    let (a, b) = (of(&pair[0], end.pid)?, of(&pair[1], end.pid)?);
                    let read = b.read_bytes?.checked_sub(a.read_bytes?)?;
                    (read >= BULK_READ_BYTES).then(|| b.ran_ns.saturating_sub(a.ran_ns))
                })
                .sum();
            Some(MainThreadRun {
                ms: end.ran_ns.saturating_sub(start.ran_ns) as f64 / 1e6,
                reading_files_ms: reading_files_ns as f64 / 1e6,
            })
        })
        .max_by(|a, b| a.page_ms().total_cmp(&b.page_ms()))
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
/// it is due and not whenever the cores are free. That takes root's
/// privilege; without it the readings are only later, which widens
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

/// The bytes the process's main thread has read from files (`rchar`: read
/// and its kin, not `recvmsg`), or `None` where the kernel does not say.
fn read_bytes(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/io"))
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("rchar:"))?
        .trim()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Readings 2 ms apart of one main thread, from (ran ms, read KB) pairs.
    fn readings(steps: &[(u64, u64)]) -> Vec<Reading> {
        steps
            .iter()
            .enumerate()
            .map(|(i, &(ran_ms, read_kb))| Reading {
                at_ms: 2.0 * i as f64,
                threads: vec![ThreadReading {
                    pid: 7,
                    ran_ns: ran_ms * 1_000_000,
                    read_bytes: Some(read_kb * 1024),
                }],
            })
            .collect()
    }

    #[test]
    fn run_time_while_reading_files_in_bulk_is_told_apart() {
        // 2 ms of page work, 4 ms reading 200 KB, 2 ms of page work.
        let run = readings(&[(0, 0), (2, 0), (4, 100), (6, 200), (8, 200)]);
        let run = most_run(&run, 0.0, 8.0).expect("readings on both sides");
        assert_eq!(run.ms, 8.0);
        assert_eq!(run.reading_files_ms, 4.0);
        assert_eq!(run.page_ms(), 4.0);
    }

    #[test]
    fn a_few_bytes_read_leave_the_run_time_the_pages() {
        let run = readings(&[(0, 0), (2, 1), (4, 2), (6, 3)]);
        let run = most_run(&run, 0.0, 6.0).expect("readings on both sides");
        assert_eq!((run.ms, run.reading_files_ms), (6.0, 0.0));
    }

    #[test]
    fn a_window_is_measured_from_the_reading_before_to_the_one_after() {
        let run = readings(&[(0, 0), (2, 0), (4, 0), (6, 0)]);
        assert_eq!(most_run(&run, 1.0, 3.0).map(|r| r.ms), Some(4.0));
        assert_eq!(most_run(&run, 5.0, 7.0), None, "no reading after");
    }
}
