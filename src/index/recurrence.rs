//! Which lines of a full build recur in enough articles to be furniture, in memory that does not
//! grow with the corpus's unique lines. Nearly every line of an article is its own (some 3
//! million distinct lines at 100,000 articles), and an exact count of each in a hash map was the
//! largest thing a full build held beside tantivy's writer. Instead, a count-min sketch of fixed
//! size finds the lines that may recur (it can only overcount), and only those are counted
//! exactly, in a second pass over the same fingerprints.

use std::collections::HashMap;

/// Counters per row of the sketch, at most: 2 rows of 2^23 one-byte counters, 16 MiB.
const MAX_WIDTH_BITS: u32 = 23;

/// The fingerprints found at least `min` times in `lists` (each list one article's lines),
/// exactly: the sketch only chooses which to count.
pub(super) fn recurring<'a, I>(lists: impl Fn() -> I, min: u64) -> HashMap<u64, u32>
where
    I: Iterator<Item = &'a [u64]>,
{
    let total: usize = lists().map(<[u64]>::len).sum();
    let sketch = Sketch::of(lists().flatten().copied(), total);
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for &fp in lists().flatten() {
        if u64::from(sketch.estimate(fp)) >= min {
            *counts.entry(fp).or_default() += 1;
        }
    }
    counts.retain(|_, n| u64::from(*n) >= min);
    counts
}

/// A count-min sketch of two rows of saturating one-byte counters.
struct Sketch {
    rows: [Vec<u8>; 2],
    mask: u64,
}

impl Sketch {
    /// A sketch about as wide as there are fingerprints (fewer collisions), up to the cap.
    fn of(fingerprints: impl Iterator<Item = u64>, total: usize) -> Sketch {
        let bits = (usize::BITS - total.max(1).leading_zeros()).clamp(6, MAX_WIDTH_BITS);
        let width = 1usize << bits;
        let mut sketch = Sketch {
            rows: [vec![0; width], vec![0; width]],
            mask: (width - 1) as u64,
        };
        for fp in fingerprints {
            for (row, slot) in sketch.slots(fp).into_iter().enumerate() {
                let counter = &mut sketch.rows[row][slot];
                *counter = counter.saturating_add(1);
            }
        }
        sketch
    }

    /// The fingerprint's counter in each row: two independent slices of a mixed fingerprint
    /// (fingerprints are hashes already, but mixing keeps any bias of their low bits out).
    fn slots(&self, fp: u64) -> [usize; 2] {
        let mixed = fp.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        [
            (mixed & self.mask) as usize,
            ((mixed >> 32).rotate_left(7) & self.mask) as usize,
        ]
    }

    /// At least the number of times `fp` was seen (more when others share both its counters).
    fn estimate(&self, fp: u64) -> u8 {
        let [a, b] = self.slots(fp);
        self.rows[0][a].min(self.rows[1][b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random fingerprints (splitmix64).
    fn prints(seed: u64, n: usize) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = x;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            })
            .collect()
    }

    #[test]
    fn counts_exactly_the_lines_that_recur_and_none_other() {
        // 2,000 articles of 40 lines of their own, and a menu line shared by 3, 2 or 500 of them.
        let mut articles: Vec<Vec<u64>> = (0..2_000).map(|a| prints(a + 1, 40)).collect();
        let (thrice, twice, everywhere) = (1, 2, 3);
        for a in 0..3 {
            articles[a].push(thrice);
        }
        for a in 10..12 {
            articles[a].push(twice);
        }
        for article in articles.iter_mut().take(500) {
            article.push(everywhere);
        }
        let found = recurring(|| articles.iter().map(Vec::as_slice), 3);
        let expected = HashMap::from([(thrice, 3), (everywhere, 500)]);
        assert_eq!(found, expected);
    }

    #[test]
    fn a_sketch_never_counts_less_than_was_seen() {
        // Far more fingerprints than counters: collisions everywhere, undercounts never.
        let mut fps = prints(7, 300);
        fps.extend(prints(7, 300));
        let sketch = Sketch::of(fps.iter().copied(), 64);
        assert!(fps[..300].iter().all(|&fp| sketch.estimate(fp) >= 2));
    }

    #[test]
    fn nothing_recurs_in_nothing() {
        let none: Vec<Vec<u64>> = Vec::new();
        assert!(recurring(|| none.iter().map(Vec::as_slice), 3).is_empty());
    }
}
