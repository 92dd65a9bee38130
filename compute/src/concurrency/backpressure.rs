//! A bounded buffer between a producer and a consumer (§10, reactive
//! streams): what happens when the producer is faster than the consumer
//! depends on the buffer's policy, and each policy pays in a different
//! currency (memory, lost items, a slowed producer).

use std::collections::VecDeque;

use serde::Serialize;

/// The most items a bounded buffer may hold, as the reader sets it.
pub const MAX_CAPACITY: u64 = 10_000;

/// What the buffer does with an item when it is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Never full: memory grows as long as the producer is faster.
    Unbounded,
    /// The arriving item is dropped.
    DropNewest,
    /// The oldest item waiting is dropped to make room.
    DropOldest,
    /// The producer must wait for room: nothing is lost, the producer slows.
    Block,
}

impl Policy {
    pub const ALL: [Policy; 4] = [
        Policy::Unbounded,
        Policy::DropNewest,
        Policy::DropOldest,
        Policy::Block,
    ];

    /// The policy's name as the reader reads it.
    pub fn label(self) -> &'static str {
        match self {
            Policy::Unbounded => "unbounded",
            Policy::DropNewest => "drop newest",
            Policy::DropOldest => "drop oldest",
            Policy::Block => "block the producer",
        }
    }
}

/// What happened to an offered item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Accepted,
    /// Accepted, and the oldest waiting item was dropped for it.
    AcceptedDroppingOldest,
    /// Not accepted: dropped.
    Dropped,
    /// Not accepted: the producer must offer it again once there is room.
    Full,
}

/// A FIFO buffer with a capacity and a policy, counting what it drops.
#[derive(Debug, Clone)]
pub struct Buffer<T> {
    items: VecDeque<T>,
    capacity: usize,
    policy: Policy,
    dropped: u64,
    peak: usize,
}

impl<T> Buffer<T> {
    /// A buffer of `capacity` items (ignored when unbounded; at least 1).
    pub fn new(capacity: usize, policy: Policy) -> Self {
        Self {
            items: VecDeque::new(),
            capacity: capacity.max(1),
            policy,
            dropped: 0,
            peak: 0,
        }
    }

    /// Offers `item`; under [`Policy::Block`] a full buffer hands it back.
    pub fn offer(&mut self, item: T) -> (Offer, Option<T>) {
        let full = self.policy != Policy::Unbounded && self.items.len() >= self.capacity;
        let outcome = match (full, self.policy) {
            (false, _) | (true, Policy::Unbounded) => {
                self.items.push_back(item);
                (Offer::Accepted, None)
            }
            (true, Policy::DropNewest) => {
                self.dropped += 1;
                (Offer::Dropped, None)
            }
            (true, Policy::DropOldest) => {
                self.items.pop_front();
                self.items.push_back(item);
                self.dropped += 1;
                (Offer::AcceptedDroppingOldest, None)
            }
            (true, Policy::Block) => (Offer::Full, Some(item)),
        };
        self.peak = self.peak.max(self.items.len());
        outcome
    }

    /// The oldest waiting item.
    pub fn take(&mut self) -> Option<T> {
        self.items.pop_front()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Items dropped so far.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The most items ever waiting at once.
    pub fn peak(&self) -> usize {
        self.peak
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A producer twice as fast as its consumer, for `ticks` ticks: two
    /// offers, one take per tick. Returns the consumed items, the buffer,
    /// how many items were produced and how many the producer still holds.
    fn run(policy: Policy, capacity: usize, ticks: u32) -> (Vec<u32>, Buffer<u32>, u32, usize) {
        let mut buffer = Buffer::new(capacity, policy);
        let mut consumed = Vec::new();
        let mut next = 0;
        let mut waiting = None;
        for _ in 0..ticks {
            for _ in 0..2 {
                let item = waiting.take().unwrap_or_else(|| {
                    next += 1;
                    next
                });
                if let (Offer::Full, Some(back)) = buffer.offer(item) {
                    waiting = Some(back);
                    break;
                }
            }
            consumed.extend(buffer.take());
        }
        (consumed, buffer, next, usize::from(waiting.is_some()))
    }

    #[test]
    fn blocking_loses_nothing_and_keeps_the_order() {
        let (consumed, buffer, produced, held) = run(Policy::Block, 5, 100);
        assert_eq!(buffer.dropped(), 0);
        assert_eq!(buffer.peak(), 5);
        // Every item produced was consumed, is waiting, or is the one the
        // producer holds: none lost.
        assert_eq!(produced as usize, consumed.len() + buffer.len() + held);
        assert!(consumed.windows(2).all(|w| w[1] == w[0] + 1));
        // The producer was slowed to the consumer's pace.
        assert!(produced < 110, "{produced}");
    }

    #[test]
    fn the_drop_policies_count_what_they_drop() {
        let (consumed, newest, produced, _) = run(Policy::DropNewest, 5, 100);
        assert_eq!(produced, 200);
        assert_eq!(
            consumed.len() as u64 + newest.len() as u64 + newest.dropped(),
            200
        );
        assert_eq!(newest.peak(), 5);
        assert_eq!(newest.dropped(), 96);
        let newest_last = consumed.last().copied();

        let (consumed, oldest, _, _) = run(Policy::DropOldest, 5, 100);
        assert_eq!(
            consumed.len() as u64 + oldest.len() as u64 + oldest.dropped(),
            200
        );
        assert_eq!(oldest.dropped(), 96);
        // Dropping the newest keeps older items than dropping the oldest:
        // the consumer of the first ends further behind the producer.
        assert_eq!(
            (newest_last, consumed.last().copied()),
            (Some(191), Some(196))
        );
    }

    #[test]
    fn unbounded_drops_nothing_and_grows() {
        let (consumed, buffer, produced, _) = run(Policy::Unbounded, 5, 100);
        assert_eq!(buffer.dropped(), 0);
        assert_eq!(produced as usize, consumed.len() + buffer.len());
        // Two in and one out per tick: 101 waiting after the last tick's offers.
        assert_eq!(buffer.peak(), 101);
    }
}
