//! Actors on the event loop (§10 "Actor Model"): each actor is a future that
//! owns its state and a mailbox, and actors share no memory, only messages.
//! The chat room: a room actor fans every message out to its user actors;
//! one user is slow, and one fails now and then and is restarted by its
//! supervisor, as in Erlang's "let it crash". One task polls every user
//! ([`poll_together`]), as an actor runtime's scheduler runs many actors on
//! one thread: a task each would make a JavaScript promise and closure at
//! every wait, a hundred thousand in a default run.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen_futures::spawn_local;

use crate::event_loop::{poll_together, TurnBudget};
use book_compute::control::Control;
use book_runtime::clock::now_ms;

/// The chat room as the reader sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChatRoom {
    pub users: usize,
    pub messages: u64,
    pub interval_ms: u32,
    /// The slow user's extra time per message.
    pub slow_ms: u32,
    /// The faulty user fails on every `crash_every`-th message (0: never).
    pub crash_every: u64,
}

/// What the room measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatOutcome {
    /// Deliveries owed: every message to every user.
    pub expected: u64,
    pub handled: u64,
    /// Messages that were in a failed actor's mailbox, or sent while it was down.
    pub lost: u64,
    pub failures: u64,
    pub restarts: u64,
    pub room_peak: usize,
    pub typical_peak: usize,
    pub slow_peak: usize,
    /// (ms, room depth, deepest ordinary mailbox, slow mailbox), sampled.
    pub samples: Vec<(f64, usize, usize, usize)>,
    /// How often the user actor handling a message changed: actors take turns.
    pub switches: u64,
    pub elapsed_ms: f64,
}

/// How long the room may forward one message before giving the thread back.
/// Each send wakes a waiting actor, and a thousand wake-ups in one turn of
/// the event loop would make a long task (over 50 ms) in a slower engine.
const TURN_MS: f64 = 2.0;

/// The user the slow one is, and the one that fails.
const SLOW: usize = 0;
const FAULTY: usize = 1;

/// One actor's address, as the room holds it: the mailbox's sender and its depth.
struct Address {
    sender: RefCell<UnboundedSender<u64>>,
    depth: Cell<usize>,
    peak: Cell<usize>,
}

/// What every actor may report to: counts only, each actor's state is its own.
#[derive(Default)]
struct Tally {
    handled: Cell<u64>,
    lost: Cell<u64>,
    failures: Cell<u64>,
    restarts: Cell<u64>,
    switches: Cell<u64>,
    last_actor: Cell<usize>,
    done: Cell<bool>,
}

/// Runs the room until every message is handled or lost, or `stop` is cancelled;
/// `on_sample` sees the depths as they change.
pub async fn run(
    room: ChatRoom,
    stop: Control,
    on_sample: impl Fn(&[(f64, usize, usize, usize)]),
) -> ChatOutcome {
    let started = now_ms();
    let tally = Rc::new(Tally::default());
    let addresses: Rc<Vec<Address>> = Rc::new(
        (0..room.users)
            .map(|_| {
                let (sender, _) = unbounded();
                Address {
                    sender: RefCell::new(sender),
                    depth: Cell::new(0),
                    peak: Cell::new(0),
                }
            })
            .collect(),
    );
    spawn_local(poll_together((0..room.users).map({
        let (addresses, tally) = (Rc::clone(&addresses), Rc::clone(&tally));
        move |user| supervise(user, room, Rc::clone(&addresses), Rc::clone(&tally))
    })));
    let (room_sender, room_mailbox) = unbounded::<u64>();
    let room_depth = Rc::new(Cell::new(0_usize));
    let room_peak = Rc::new(Cell::new(0_usize));
    spawn_local(room_actor(
        room_mailbox,
        Rc::clone(&addresses),
        Rc::clone(&room_depth),
        Rc::clone(&tally),
    ));
    // The clients: one chat message every interval.
    {
        let (room_depth, room_peak) = (Rc::clone(&room_depth), Rc::clone(&room_peak));
        let stop = stop.clone();
        spawn_local(async move {
            for message in (1..=room.messages).take_while(|_| !stop.is_cancelled()) {
                if room_sender.unbounded_send(message).is_ok() {
                    room_depth.set(room_depth.get() + 1);
                    room_peak.set(room_peak.get().max(room_depth.get()));
                }
                TimeoutFuture::new(room.interval_ms).await;
            }
        });
    }
    let expected = room.messages * room.users as u64;
    let mut samples = Vec::new();
    // Sample until every delivery is handled or lost, or a minute passes.
    while tally.handled.get() + tally.lost.get() < expected
        && now_ms() - started < 60_000.0
        && !stop.is_cancelled()
    {
        let typical = addresses
            .iter()
            .enumerate()
            .filter(|(user, _)| *user != SLOW)
            .map(|(_, a)| a.depth.get())
            .max()
            .unwrap_or(0);
        let slow = addresses.get(SLOW).map_or(0, |a| a.depth.get());
        samples.push((now_ms() - started, room_depth.get(), typical, slow));
        on_sample(&samples);
        TimeoutFuture::new(50).await;
    }
    tally.done.set(true);
    let peak = |filter: &dyn Fn(usize) -> bool| {
        addresses
            .iter()
            .enumerate()
            .filter(|(user, _)| filter(*user))
            .map(|(_, a)| a.peak.get())
            .max()
            .unwrap_or(0)
    };
    // Closing the mailboxes lets every actor finish.
    for address in addresses.iter() {
        address.sender.borrow().close_channel();
    }
    ChatOutcome {
        expected,
        handled: tally.handled.get(),
        lost: tally.lost.get(),
        failures: tally.failures.get(),
        restarts: tally.restarts.get(),
        room_peak: room_peak.get(),
        typical_peak: peak(&|user| user != SLOW),
        slow_peak: peak(&|user| user == SLOW),
        samples,
        switches: tally.switches.get(),
        elapsed_ms: now_ms() - started,
    }
}

/// The room: forwards each message to every user's mailbox.
async fn room_actor(
    mut mailbox: UnboundedReceiver<u64>,
    addresses: Rc<Vec<Address>>,
    depth: Rc<Cell<usize>>,
    tally: Rc<Tally>,
) {
    while let Some(message) = mailbox.next().await {
        depth.set(depth.get().saturating_sub(1));
        let mut turn = TurnBudget::new(TURN_MS);
        for address in addresses.iter() {
            if address.sender.borrow().unbounded_send(message).is_ok() {
                address.depth.set(address.depth.get() + 1);
                address
                    .peak
                    .set(address.peak.get().max(address.depth.get()));
            } else {
                // The user is down between a failure and its restart.
                tally.lost.set(tally.lost.get() + 1);
            }
            turn.spend().await;
        }
    }
}

/// A supervisor: runs the user, and restarts it with a fresh mailbox when
/// it fails; the messages waiting in the failed one are lost.
async fn supervise(user: usize, room: ChatRoom, addresses: Rc<Vec<Address>>, tally: Rc<Tally>) {
    loop {
        let (sender, mailbox) = unbounded();
        let Some(address) = addresses.get(user) else {
            return;
        };
        *address.sender.borrow_mut() = sender;
        let failed = user_actor(user, room, mailbox, address, &tally).await;
        if !failed || tally.done.get() {
            return;
        }
        tally.failures.set(tally.failures.get() + 1);
        tally
            .lost
            .set(tally.lost.get() + address.depth.replace(0) as u64);
        tally.restarts.set(tally.restarts.get() + 1);
    }
}

/// A user: handles its messages one at a time. Returns whether it failed.
async fn user_actor(
    user: usize,
    room: ChatRoom,
    mut mailbox: UnboundedReceiver<u64>,
    address: &Address,
    tally: &Tally,
) -> bool {
    while let Some(message) = mailbox.next().await {
        address.depth.set(address.depth.get().saturating_sub(1));
        if user == SLOW && room.slow_ms > 0 {
            TimeoutFuture::new(room.slow_ms).await;
        }
        if user == FAULTY && room.crash_every > 0 && message % room.crash_every == 0 {
            // The failure loses this message too.
            tally.lost.set(tally.lost.get() + 1);
            return true;
        }
        tally.handled.set(tally.handled.get() + 1);
        if tally.last_actor.replace(user) != user {
            tally.switches.set(tally.switches.get() + 1);
        }
    }
    false
}
