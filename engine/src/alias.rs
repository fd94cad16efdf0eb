//! Walker/Vose alias table: draws from a fixed discrete distribution in O(1).

use rand::{Rng, RngExt};

/// Walker/Vose alias table over the indices `0..len` with the given weights;
/// rebuilt in place (`rebuild`) so a trial reuses its buffers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alias {
    keep: Vec<f64>,
    other: Vec<u32>,
    // Work lists kept between rebuilds so a per-trial table allocates nothing.
    small: Vec<u32>,
    large: Vec<u32>,
}

impl Alias {
    /// `weights` need not sum to 1; an all-zero table always returns 0.
    pub fn new(weights: &[f64]) -> Alias {
        let mut a = Alias::default();
        a.rebuild(weights);
        a
    }

    /// Makes this the table of `weights`, reusing its memory.
    ///
    /// Vose's method with the work lists as fixed-size stacks indexed by hand:
    /// a trial rebuilds one table per stage with open deals, and `Vec`'s
    /// push, pop and clear were most of the cost. The same steps in the same
    /// order as with `Vec`s, so the same table.
    pub fn rebuild(&mut self, weights: &[f64]) {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        self.keep.resize(n, 0.0);
        self.other.resize(n, 0);
        self.small.resize(n, 0);
        self.large.resize(n, 0);
        let keep = &mut self.keep[..];
        if total > 0.0 {
            let scale = n as f64 / total;
            for (k, w) in keep.iter_mut().zip(weights) {
                *k = w * scale;
            }
        } else {
            keep.fill(0.0);
            if total <= 0.0 {
                keep[0] = n as f64;
            }
        }
        for (i, o) in self.other.iter_mut().enumerate() {
            *o = i as u32;
        }
        let (small, large) = (&mut self.small[..], &mut self.large[..]);
        let (mut smalls, mut larges) = (0, 0);
        for (i, &k) in keep.iter().enumerate() {
            if k < 1.0 {
                small[smalls] = i as u32;
                smalls += 1;
            } else {
                large[larges] = i as u32;
                larges += 1;
            }
        }
        // As `while let (Some(s), Some(&l)) = (small.pop(), large.last())`:
        // a small entry is taken off even when no large one is left.
        while smalls > 0 {
            smalls -= 1;
            let s = small[smalls] as usize;
            if larges == 0 {
                break;
            }
            let l = large[larges - 1] as usize;
            self.other[s] = l as u32;
            keep[l] -= 1.0 - keep[s];
            if keep[l] < 1.0 {
                larges -= 1;
                small[smalls] = l as u32;
                smalls += 1;
            }
        }
        // Whatever is left is 1 up to rounding.
        for &i in small[..smalls].iter().chain(&large[..larges]) {
            keep[i as usize] = 1.0;
        }
    }

    /// How many outcomes the table draws from.
    pub fn len(&self) -> usize {
        self.keep.len()
    }

    /// Whether there is no outcome to draw.
    pub fn is_empty(&self) -> bool {
        self.keep.is_empty()
    }

    /// One index, drawn with probability proportional to its weight.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let x: f64 = rng.random::<f64>() * self.keep.len() as f64;
        let i = (x as usize).min(self.keep.len() - 1);
        if x - (i as f64) < self.keep[i] {
            i
        } else {
            self.other[i] as usize
        }
    }

    /// The probability of each index, recovered from the table (for tests).
    pub fn probabilities(&self) -> Vec<f64> {
        let n = self.keep.len() as f64;
        let mut p = vec![0.0; self.keep.len()];
        for (i, &k) in self.keep.iter().enumerate() {
            p[i] += k / n;
            p[self.other[i] as usize] += (1.0 - k) / n;
        }
        p
    }
}

/// An alias table built once and drawn with one word and integer compares:
/// its size is a power of two (zero weights pad it), so the top bits of the
/// word are the column and the rest, against a threshold of 64 bits, decide
/// between the column and its alias, where `Alias::sample` converts to a
/// float, multiplies, truncates (a saturating conversion) and clamps: an open
/// deal drawn through `Alias` took about 54 instructions (cachegrind).
/// Probabilities are kept to 2^-(64 - bits), finer than `Alias`'s 53-bit uniform.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedAlias {
    bits: u32,
    threshold: Vec<u64>,
    other: Vec<u32>,
}

impl FixedAlias {
    /// `weights` need not sum to 1; an all-zero table always returns 0.
    pub fn new(weights: &[f64]) -> FixedAlias {
        let size = weights.len().max(2).next_power_of_two();
        let mut padded = weights.to_vec();
        padded.resize(size, 0.0);
        let table = Alias::new(&padded);
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        FixedAlias {
            bits: size.trailing_zeros(),
            // A keep of 1 (or more, by rounding) always keeps: `w << bits` has
            // its low bits clear, so it is below u64::MAX.
            threshold: table
                .keep
                .iter()
                .map(|&k| {
                    if k >= 1.0 {
                        u64::MAX
                    } else {
                        (k * TWO_64) as u64
                    }
                })
                .collect(),
            other: table.other,
        }
    }

    /// One index, from one random word: its top bits pick the column, the
    /// rest is compared with the column's threshold.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let w = rng.next_u64();
        let i = (w >> (64 - self.bits)) as usize;
        if (w << self.bits) < self.threshold[i] {
            i
        } else {
            self.other[i] as usize
        }
    }

    /// The probability of each index, recovered from the table (for tests).
    pub fn probabilities(&self) -> Vec<f64> {
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        let n = self.threshold.len() as f64;
        let mut p = vec![0.0; self.threshold.len()];
        for (i, &t) in self.threshold.iter().enumerate() {
            let k = if t == u64::MAX {
                1.0
            } else {
                t as f64 / TWO_64
            };
            p[i] += k / n;
            p[self.other[i] as usize] += (1.0 - k) / n;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn table_reproduces_the_weights() {
        let w = [0.5, 0.0, 0.25, 0.125, 0.125];
        let a = Alias::new(&w);
        for (p, q) in a.probabilities().iter().zip(w) {
            assert!((p - q).abs() < 1e-12, "{p} vs {q}");
        }
    }

    /// The first version of `rebuild`, on `Vec`s, which the hand-indexed one must equal.
    fn rebuild_with_vecs(weights: &[f64]) -> (Vec<f64>, Vec<u32>) {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        let mut keep = Vec::new();
        if total > 0.0 {
            let scale = n as f64 / total;
            keep.extend(weights.iter().map(|w| w * scale));
        }
        keep.resize(n, 0.0);
        if total <= 0.0 {
            keep[0] = n as f64;
        }
        let mut other: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large) = (Vec::new(), Vec::new());
        for (i, &k) in keep.iter().enumerate() {
            if k < 1.0 {
                small.push(i as u32);
            } else {
                large.push(i as u32);
            }
        }
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            let (s, l) = (s as usize, l as usize);
            other[s] = l as u32;
            keep[l] -= 1.0 - keep[s];
            if keep[l] < 1.0 {
                large.pop();
                small.push(l as u32);
            }
        }
        for &i in small.iter().chain(&large) {
            keep[i as usize] = 1.0;
        }
        (keep, other)
    }

    #[test]
    fn rebuild_gives_the_tables_of_the_vec_version() {
        let mut rng = crate::rng::trial_rng(8, 0, crate::rng::Stream::Counts);
        let mut table = Alias::default();
        for len in [0usize, 1, 2, 5, 24, 24, 7, 60, 3] {
            for _ in 0..200 {
                let weights: Vec<f64> = (0..len)
                    .map(|_| {
                        let u: f64 = rng.random();
                        if u < 0.3 { 0.0 } else { u * u * 10.0 }
                    })
                    .collect();
                table.rebuild(&weights);
                let (keep, other) = rebuild_with_vecs(&weights);
                assert_eq!((&table.keep, &table.other), (&keep, &other), "{weights:?}");
            }
        }
        for weights in [vec![0.0; 4], vec![f64::NAN, 1.0], vec![1e300, 1e300]] {
            table.rebuild(&weights);
            let (keep, other) = rebuild_with_vecs(&weights);
            assert_eq!(
                (
                    table.keep.iter().map(|k| k.to_bits()).collect::<Vec<_>>(),
                    &table.other
                ),
                (keep.iter().map(|k| k.to_bits()).collect::<Vec<_>>(), &other)
            );
        }
    }

    #[test]
    fn fixed_table_reproduces_the_weights_and_draws_them() {
        let w = [0.5, 0.0, 0.25, 0.125, 0.075, 0.05];
        let a = FixedAlias::new(&w);
        let p = a.probabilities();
        assert_eq!(p.len(), 8);
        for (i, &q) in p.iter().enumerate() {
            let want = w.get(i).copied().unwrap_or(0.0);
            assert!((q - want).abs() < 1e-15, "{i}: {q} vs {want}");
        }
        // Chi-square of 400,000 draws against the weights (5 degrees of
        // freedom; 30 is about 5 standard deviations out), and never a zero weight.
        let mut rng = crate::rng::trial_rng(4, 0, crate::rng::Stream::Counts);
        let draws = 400_000;
        let mut counts = [0u64; 8];
        for _ in 0..draws {
            counts[a.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1] + counts[6] + counts[7], 0);
        let chi2: f64 = w
            .iter()
            .zip(&counts)
            .filter(|(p, _)| **p > 0.0)
            .map(|(p, &o)| {
                let e = p * draws as f64;
                (o as f64 - e) * (o as f64 - e) / e
            })
            .sum();
        assert!(chi2 < 30.0, "chi2 {chi2} of {counts:?}");
        assert!((0..1000).all(|_| FixedAlias::new(&[0.0, 0.0, 0.0]).sample(&mut rng) == 0));
        assert!((0..1000).all(|_| FixedAlias::new(&[3.0]).sample(&mut rng) == 0));
    }

    #[test]
    fn zero_weights_never_come_up() {
        let a = Alias::new(&[0.0, 1.0, 0.0]);
        let mut rng = crate::rng::trial_rng(3, 0, crate::rng::Stream::Counts);
        assert!((0..10_000).all(|_| a.sample(&mut rng) == 1));
    }
}
