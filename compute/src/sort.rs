//! Divide and conquer: merge sort whose two halves run as a `rayon::join`.
//! Joins nest, so the pool balances the work by stealing halves. The final
//! merges are sequential: Amdahl's serial fraction, visible in the curve.

use super::control::{Cancelled, Control};
use super::xorshift::XorShift;

/// Below this many elements a slice is sorted directly (one unit of work).
pub const LEAF: usize = 1 << 14;

/// An array of pseudo-random integers to sort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub input: Vec<u32>,
}

impl Sort {
    pub fn new(len: usize) -> Self {
        let mut rng = XorShift::new(0x5027);
        Self {
            input: (0..len).map(|_| rng.next_u32()).collect(),
        }
    }

    /// Leaves: the units of work.
    pub fn units(&self) -> usize {
        self.input.len().div_ceil(LEAF).max(1)
    }

    /// The same merge sort with the halves one after the other.
    pub fn sequential(&self, control: &Control) -> Result<Vec<u32>, Cancelled> {
        self.sorted(control, false)
    }

    /// The merge sort with the halves as a `rayon::join`.
    pub fn parallel(&self, control: &Control) -> Result<Vec<u32>, Cancelled> {
        self.sorted(control, true)
    }

    fn sorted(&self, control: &Control, parallel: bool) -> Result<Vec<u32>, Cancelled> {
        let mut data = self.input.clone();
        let mut scratch = vec![0u32; data.len()];
        merge_sort(&mut data, &mut scratch, control, parallel)?;
        Ok(data)
    }
}

fn merge_sort(
    data: &mut [u32],
    scratch: &mut [u32],
    control: &Control,
    parallel: bool,
) -> Result<(), Cancelled> {
    control.check()?;
    if data.len() <= LEAF {
        data.sort_unstable();
        control.record(1);
        return Ok(());
    }
    let mid = data.len() / 2;
    let (left, right) = data.split_at_mut(mid);
    let (scratch_left, scratch_right) = scratch.split_at_mut(mid);
    let (a, b) = if parallel {
        rayon::join(
            || merge_sort(left, scratch_left, control, true),
            || merge_sort(right, scratch_right, control, true),
        )
    } else {
        (
            merge_sort(left, scratch_left, control, false),
            merge_sort(right, scratch_right, control, false),
        )
    };
    a?;
    b?;
    merge(left, right, scratch);
    data.copy_from_slice(scratch);
    Ok(())
}

/// Merges two sorted slices into `out`.
fn merge(left: &[u32], right: &[u32], out: &mut [u32]) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        if j >= right.len() || (i < left.len() && left[i] <= right[j]) {
            *slot = left[i];
            i += 1;
        } else {
            *slot = right[j];
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_versions_sort_like_the_standard_library() {
        for len in [0, 1, 5, LEAF, LEAF + 1, 3 * LEAF + 17] {
            let sort = Sort::new(len);
            let mut expected = sort.input.clone();
            expected.sort();
            assert_eq!(
                sort.sequential(&Control::new()).expect("not cancelled"),
                expected,
                "len {len}"
            );
            for threads in [1, 2, 3] {
                let pool = crate::test_pool(threads);
                let got = pool
                    .install(|| sort.parallel(&Control::new()))
                    .expect("not cancelled");
                assert_eq!(got, expected, "len {len}, {threads} threads");
            }
        }
    }

    #[test]
    fn progress_counts_every_leaf() {
        let sort = Sort::new(4 * LEAF);
        let control = Control::new();
        control.expect_work(sort.units());
        sort.parallel(&control).expect("not cancelled");
        assert_eq!(control.progress(), 1.0);
    }

    #[test]
    fn cancellation_stops_the_sort() {
        let control = Control::new();
        control.cancel();
        assert_eq!(Sort::new(4 * LEAF).parallel(&control), Err(Cancelled));
    }
}
