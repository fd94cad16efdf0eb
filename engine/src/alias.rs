//! Walker/Vose alias table: draws from a fixed discrete distribution in O(1).

use rand::{Rng, RngExt};

#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    keep: Vec<f64>,
    other: Vec<u32>,
}

impl Alias {
    /// `weights` need not sum to 1; an all-zero table always returns 0.
    pub fn new(weights: &[f64]) -> Alias {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        let mut keep: Vec<f64> = if total > 0.0 {
            weights.iter().map(|w| w * n as f64 / total).collect()
        } else {
            let mut k = vec![0.0; n];
            k[0] = n as f64;
            k
        };
        keep.resize(n, 0.0);
        let mut other: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| keep[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            other[s] = l as u32;
            keep[l] -= 1.0 - keep[s];
            if keep[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Whatever is left is 1 up to rounding.
        for i in small.into_iter().chain(large) {
            keep[i] = 1.0;
        }
        Alias { keep, other }
    }

    pub fn len(&self) -> usize {
        self.keep.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keep.is_empty()
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reproduces_the_weights() {
        let w = [0.5, 0.0, 0.25, 0.125, 0.125];
        let a = Alias::new(&w);
        for (p, q) in a.probabilities().iter().zip(w) {
            assert!((p - q).abs() < 1e-12, "{p} vs {q}");
        }
    }

    #[test]
    fn zero_weights_never_come_up() {
        let a = Alias::new(&[0.0, 1.0, 0.0]);
        let mut rng = crate::rng::trial_rng(3, 0, crate::rng::Stream::Counts);
        assert!((0..10_000).all(|_| a.sample(&mut rng) == 1));
    }
}
