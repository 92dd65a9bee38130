//! Tasks as timed steps, and the Gantt chart they leave behind.
//!
//! The same tasks run twice in the book: as futures taking turns on the
//! browser's one main thread, and as jobs on the worker pool. Each step
//! leaves a [`Span`] on a lane (a thread). On one lane the spans can only
//! take turns, which is §4's "interleaved"; on several they overlap in time,
//! "simultaneous". [`Timeline`] says which, from the measured spans.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The most tasks, and steps per task, a reader may ask for: enough to see
/// the pattern, few enough to draw. Tasks are more than the workers of most
/// machines (a 16-thread desktop's pool has 16), so a reader can see tasks wait for a
/// worker; each is named by a letter.
pub const MAX_TASKS: usize = 24;
pub const MAX_STEPS: usize = 12;
/// The longest step, in milliseconds: a step holds its thread, and on the
/// main thread a longer one would freeze the page noticeably.
pub const MAX_STEP_MS: f64 = 40.0;

/// One task: `steps` pieces of work of `step_ms` each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    pub name: String,
    pub steps: usize,
    pub step_ms: f64,
}

impl TaskSpec {
    /// The task as asked, brought within the limits; the reason if it was not.
    pub fn clamped(name: &str, steps: usize, step_ms: f64) -> (Self, Option<String>) {
        let kept_steps = steps.clamp(1, MAX_STEPS);
        let kept_ms = if step_ms.is_finite() {
            step_ms.clamp(1.0, MAX_STEP_MS)
        } else {
            10.0
        };
        let note = (kept_steps != steps || kept_ms != step_ms).then(|| {
            format!(
                "task {name}: steps are 1 to {MAX_STEPS} and a step 1 to {MAX_STEP_MS} ms; \
                 ran {kept_steps} steps of {kept_ms} ms"
            )
        });
        (
            Self {
                name: name.to_owned(),
                steps: kept_steps,
                step_ms: kept_ms,
            },
            note,
        )
    }
}

/// Tasks from the reader's list of step lengths ("8, 12, 4": tasks A, B
/// and C), each of `steps` steps; out-of-range numbers are clamped with a
/// note, and text that is not a list of numbers is refused with a reason.
pub fn tasks_from_lengths(
    lengths: &str,
    steps: usize,
) -> Result<(Vec<TaskSpec>, Vec<String>), String> {
    let numbers: Vec<&str> = lengths
        .split([',', ' '])
        .filter(|word| !word.is_empty())
        .collect();
    if numbers.len() < 2 || numbers.len() > MAX_TASKS {
        return Err(format!(
            "give 2 to {MAX_TASKS} step lengths in ms, one per task, for example “8, 12, 4”"
        ));
    }
    let mut tasks = Vec::new();
    let mut notes = Vec::new();
    for (index, number) in numbers.iter().enumerate() {
        let ms: f64 = number
            .parse()
            .map_err(|_| format!("“{number}” is not a step length in ms"))?;
        let name = char::from(b'A' + index as u8).to_string();
        let (task, note) = TaskSpec::clamped(&name, steps, ms);
        tasks.push(task);
        notes.extend(note);
    }
    Ok((tasks, notes))
}

/// One step of one task, as it ran: on which lane, from when to when (ms).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub task: usize,
    pub lane: usize,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// The spans of one run, with times made relative to its first start.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Timeline {
    pub spans: Vec<Span>,
}

impl Timeline {
    /// Spans in any order and on any clock; stored by start, from zero.
    pub fn new(mut spans: Vec<Span>) -> Self {
        // By start time. The spans arrive nearly in order and are a few
        // dozen, so an insertion sort does it; a library sort's code would
        // weigh 3.6 kB in the download for nothing.
        for i in 1..spans.len() {
            let mut j = i;
            while j > 0 && spans[j - 1].start_ms > spans[j].start_ms {
                spans.swap(j - 1, j);
                j -= 1;
            }
        }
        let origin = spans.first().map_or(0.0, |span| span.start_ms);
        for span in &mut spans {
            span.start_ms -= origin;
            span.end_ms -= origin;
        }
        Self { spans }
    }

    /// Lanes that ran at least one step.
    pub fn lanes_used(&self) -> usize {
        self.lanes().len()
    }

    /// The lanes that ran a step, in order: a handful, so kept sorted by
    /// insertion rather than by a sort.
    pub fn lanes(&self) -> Vec<usize> {
        let mut lanes: Vec<usize> = Vec::new();
        for span in &self.spans {
            let at = lanes.partition_point(|&lane| lane < span.lane);
            if lanes.get(at) != Some(&span.lane) {
                lanes.insert(at, span.lane);
            }
        }
        lanes
    }

    /// From the first start to the last end.
    pub fn makespan_ms(&self) -> f64 {
        self.spans
            .iter()
            .map(|span| span.end_ms)
            .fold(0.0, f64::max)
    }

    /// The sum of every step's length: the work, however it was arranged.
    pub fn busy_ms(&self) -> f64 {
        self.spans
            .iter()
            .map(|span| span.end_ms - span.start_ms)
            .sum()
    }

    /// How often a lane went from one task's step to another task's: on one
    /// lane, interleaving shows as many switches.
    pub fn switches(&self) -> usize {
        let mut last_task_on_lane: Vec<(usize, usize)> = Vec::new();
        let mut switches = 0;
        for span in &self.spans {
            match last_task_on_lane
                .iter_mut()
                .find(|(lane, _)| *lane == span.lane)
            {
                Some((_, task)) => {
                    if *task != span.task {
                        switches += 1;
                    }
                    *task = span.task;
                }
                None => last_task_on_lane.push((span.lane, span.task)),
            }
        }
        switches
    }

    /// The most steps running at one instant: 1 when they only take turns.
    /// (The most are running just as one of them starts; a chart's few
    /// dozen spans make the quadratic count cheaper than sorting edges.)
    pub fn most_at_once(&self) -> usize {
        self.spans
            .iter()
            .map(|a| {
                self.spans
                    .iter()
                    .filter(|b| b.start_ms <= a.start_ms && a.start_ms < b.end_ms)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// Whether some lane ran two steps at once, which a thread cannot do:
    /// a measurement error if true.
    pub fn lane_overlaps(&self) -> bool {
        self.spans.iter().enumerate().any(|(i, a)| {
            self.spans[i + 1..]
                .iter()
                .any(|b| b.lane == a.lane && b.start_ms < a.end_ms && a.start_ms < b.end_ms)
        })
    }
}

/// Runs every task's steps one after another, the tasks at the same time on
/// the current rayon pool, each step working for `step_ms` by `now`, and
/// records the spans with `lane` naming the thread. On the book's pool,
/// `now` is a clock every worker shares.
pub fn run_on_pool(
    tasks: &[TaskSpec],
    now: &(dyn Fn() -> f64 + Sync),
    lane: &(dyn Fn() -> usize + Sync),
) -> Vec<Span> {
    let spans = Mutex::new(Vec::new());
    rayon::scope(|scope| {
        for (index, task) in tasks.iter().enumerate() {
            let spans = &spans;
            scope.spawn(move |_| {
                for _ in 0..task.steps {
                    let span = work_for(index, task.step_ms, now, lane());
                    if let Ok(mut spans) = spans.lock() {
                        spans.push(span);
                    }
                }
            });
        }
    });
    spans.into_inner().unwrap_or_default()
}

/// One step: works (spins on the clock) for `ms`, and says when it ran.
pub fn work_for(task: usize, ms: f64, now: &dyn Fn() -> f64, lane: usize) -> Span {
    let start_ms = now();
    let mut end_ms = start_ms;
    while end_ms - start_ms < ms {
        end_ms = now();
    }
    Span {
        task,
        lane,
        start_ms,
        end_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(task: usize, lane: usize, start_ms: f64, end_ms: f64) -> Span {
        Span {
            task,
            lane,
            start_ms,
            end_ms,
        }
    }

    #[test]
    fn one_lane_taking_turns_is_interleaved_not_simultaneous() {
        let timeline = Timeline::new(vec![
            span(0, 0, 100.0, 110.0),
            span(1, 0, 110.0, 120.0),
            span(0, 0, 121.0, 131.0),
            span(1, 0, 131.0, 141.0),
        ]);
        assert_eq!(timeline.spans[0].start_ms, 0.0);
        assert_eq!(timeline.makespan_ms(), 41.0);
        assert_eq!(timeline.busy_ms(), 40.0);
        assert_eq!(timeline.switches(), 3);
        assert_eq!(timeline.most_at_once(), 1);
        assert_eq!(timeline.lanes_used(), 1);
        assert!(!timeline.lane_overlaps());
    }

    #[test]
    fn two_lanes_running_together_are_simultaneous() {
        let timeline = Timeline::new(vec![
            span(0, 0, 0.0, 10.0),
            span(1, 1, 1.0, 11.0),
            span(0, 0, 10.0, 20.0),
            span(1, 1, 11.0, 21.0),
        ]);
        assert_eq!(timeline.switches(), 0);
        assert_eq!(timeline.most_at_once(), 2);
        assert_eq!(timeline.lanes_used(), 2);
        assert!(!timeline.lane_overlaps());
        assert!(Timeline::new(vec![span(0, 0, 0.0, 10.0), span(1, 0, 5.0, 15.0)]).lane_overlaps());
    }

    #[test]
    fn out_of_range_tasks_are_clamped_with_a_reason() {
        let (task, note) = TaskSpec::clamped("A", 100, 500.0);
        assert_eq!((task.steps, task.step_ms), (MAX_STEPS, MAX_STEP_MS));
        assert!(note.is_some_and(|note| note.contains("task A")));
        let (task, note) = TaskSpec::clamped("B", 3, f64::NAN);
        assert_eq!((task.steps, task.step_ms), (3, 10.0));
        assert!(note.is_some());
        assert_eq!(TaskSpec::clamped("C", 4, 5.0).1, None);
    }

    #[test]
    fn the_readers_list_names_the_tasks_and_is_checked() {
        let (tasks, notes) = tasks_from_lengths("8, 12 4", 3).expect("three tasks");
        let names: Vec<&str> = tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"]);
        assert_eq!(tasks[1].step_ms, 12.0);
        assert!(notes.is_empty());
        let (tasks, notes) = tasks_from_lengths("8, 400", 3).expect("clamped");
        assert_eq!(tasks[1].step_ms, MAX_STEP_MS);
        assert_eq!(notes.len(), 1);
        assert!(tasks_from_lengths("8", 3).is_err());
        let twenty_five = vec!["1"; MAX_TASKS + 1].join(",");
        assert!(tasks_from_lengths(&twenty_five, 3).is_err());
        assert!(tasks_from_lengths(&vec!["1"; MAX_TASKS].join(","), 3).is_ok());
        assert!(tasks_from_lengths("8, x", 3).unwrap_err().contains("“x”"));
    }

    #[test]
    fn on_the_pool_every_step_runs_once_and_no_thread_does_two_at_once() {
        let pool = crate::test_pool(2);
        let tasks: Vec<TaskSpec> = ["A", "B", "C"]
            .iter()
            .map(|name| TaskSpec::clamped(name, 3, 2.0).0)
            .collect();
        let spans = pool.install(|| {
            run_on_pool(&tasks, &crate::shared_test_clock, &|| {
                rayon::current_thread_index().unwrap_or(0)
            })
        });
        let timeline = Timeline::new(spans);
        assert_eq!(timeline.spans.len(), 9);
        for task in 0..3 {
            let own: Vec<&Span> = timeline.spans.iter().filter(|s| s.task == task).collect();
            assert_eq!(own.len(), 3);
            assert!(own.iter().all(|s| s.end_ms - s.start_ms >= 2.0));
        }
        assert!(timeline.lanes_used() <= 2);
        assert!(!timeline.lane_overlaps());
        assert!(timeline.busy_ms() >= 18.0);
    }
}
