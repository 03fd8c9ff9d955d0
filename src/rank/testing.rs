//! What the tests of `rank` share: a fixed pseudo-random sequence to lay out their passages.

/// A fixed pseudo-random sequence (a linear congruential generator): `next(n)` is in 0..n.
pub(super) fn sequence(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    }
}
