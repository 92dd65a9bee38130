//! Binary relations on the few events of one candidate execution, as one
//! bitset row per event: the algebra the Rust model's axioms are written in.
//!
//! An execution here has at most [`MAX_EVENTS`] events, so a row is one
//! `u32` and composing two relations is a few dozen word operations; that
//! keeps the axioms readable (`sb.then(&hb)`) and still fast enough to check
//! every candidate execution the lab accepts.

/// The most events a relation can hold: a row is one `u32`.
pub const MAX_EVENTS: usize = 32;

/// A relation on events `0..n`: `rows[a]` has bit `b` set iff `a → b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    rows: Vec<u32>,
}

impl Relation {
    /// The empty relation on `n` events (`n` at most [`MAX_EVENTS`]).
    pub fn empty(n: usize) -> Relation {
        debug_assert!(n <= MAX_EVENTS);
        Relation { rows: vec![0; n] }
    }

    /// The identity on the events `keep` accepts: `[S]` in the axioms, the
    /// filter a composition goes through.
    pub fn identity_on(n: usize, keep: impl Fn(usize) -> bool) -> Relation {
        let mut r = Relation::empty(n);
        for a in 0..n {
            if keep(a) {
                r.add(a, a);
            }
        }
        r
    }

    /// Every pair `(a, b)` that `related` accepts.
    pub fn from_fn(n: usize, related: impl Fn(usize, usize) -> bool) -> Relation {
        let mut r = Relation::empty(n);
        for a in 0..n {
            for b in 0..n {
                if related(a, b) {
                    r.add(a, b);
                }
            }
        }
        r
    }

    /// How many events the relation is on.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no pair is related (clippy asks for it beside `len`).
    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|&row| row == 0)
    }

    /// Adds `a → b`.
    pub fn add(&mut self, a: usize, b: usize) {
        self.rows[a] |= 1 << b;
    }

    /// Whether `a → b`.
    pub fn has(&self, a: usize, b: usize) -> bool {
        self.rows[a] >> b & 1 == 1
    }

    /// Every pair, in order: for drawing and explaining.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.len();
        (0..n).flat_map(move |a| (0..n).filter(move |&b| self.has(a, b)).map(move |b| (a, b)))
    }

    /// `self ∪ other`.
    pub fn union(&self, other: &Relation) -> Relation {
        Relation {
            rows: self
                .rows
                .iter()
                .zip(&other.rows)
                .map(|(a, b)| a | b)
                .collect(),
        }
    }

    /// `self \ other`.
    pub fn minus(&self, other: &Relation) -> Relation {
        Relation {
            rows: self
                .rows
                .iter()
                .zip(&other.rows)
                .map(|(a, b)| a & !b)
                .collect(),
        }
    }

    /// The pairs of `self` that `keep` accepts (`R|loc`, `R ∩ ≠loc`, …).
    pub fn filter(&self, keep: impl Fn(usize, usize) -> bool) -> Relation {
        Relation::from_fn(self.len(), |a, b| self.has(a, b) && keep(a, b))
    }

    /// `self ; other`: `a → c` iff `a → b` in `self` and `b → c` in `other`.
    pub fn then(&self, other: &Relation) -> Relation {
        Relation {
            rows: self
                .rows
                .iter()
                .map(|&row| {
                    let mut out = 0;
                    let mut rest = row;
                    while rest != 0 {
                        let b = rest.trailing_zeros() as usize;
                        out |= other.rows[b];
                        rest &= rest - 1;
                    }
                    out
                })
                .collect(),
        }
    }

    /// `self⁻¹`.
    pub fn inverse(&self) -> Relation {
        Relation::from_fn(self.len(), |a, b| self.has(b, a))
    }

    /// `self?`: the relation with the identity added.
    pub fn reflexive(&self) -> Relation {
        let mut r = self.clone();
        for a in 0..r.len() {
            r.add(a, a);
        }
        r
    }

    /// `self⁺`, by Warshall's algorithm.
    pub fn closure(&self) -> Relation {
        let mut r = self.clone();
        for k in 0..r.len() {
            let through = r.rows[k];
            let bit = 1 << k;
            for row in r.rows.iter_mut() {
                if *row & bit != 0 {
                    *row |= through;
                }
            }
        }
        r
    }

    /// Whether no event is related to itself.
    pub fn is_irreflexive(&self) -> bool {
        self.rows
            .iter()
            .enumerate()
            .all(|(a, &row)| row >> a & 1 == 0)
    }

    /// Whether the relation has no cycle.
    pub fn is_acyclic(&self) -> bool {
        self.closure().is_irreflexive()
    }

    /// The pairs not implied by two steps of `self`: for a transitive
    /// relation, its Hasse diagram (immediate `mo`, immediate `sb`).
    pub fn immediate(&self) -> Relation {
        self.minus(&self.then(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_composition_and_cycles() {
        let chain = Relation::from_fn(4, |a, b| b == a + 1);
        let plus = chain.closure();
        assert_eq!(
            plus.pairs().collect::<Vec<_>>(),
            vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
        );
        assert_eq!(plus.immediate(), chain);
        assert!(plus.is_acyclic());
        assert_eq!(
            chain.then(&chain).pairs().collect::<Vec<_>>(),
            vec![(0, 2), (1, 3)]
        );
        let mut cycle = chain.clone();
        cycle.add(3, 0);
        assert!(!cycle.is_acyclic());
        assert!(cycle.is_irreflexive());
        assert!(!cycle.then(&cycle.inverse()).is_irreflexive());
        let only_even = Relation::identity_on(4, |a| a % 2 == 0);
        assert_eq!(
            only_even.then(&chain).pairs().collect::<Vec<_>>(),
            vec![(0, 1), (2, 3)]
        );
        assert!(Relation::empty(3).is_empty());
        assert_eq!(
            chain
                .union(&cycle)
                .minus(&chain)
                .pairs()
                .collect::<Vec<_>>(),
            vec![(3, 0)]
        );
    }
}
