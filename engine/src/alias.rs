//! Walker/Vose alias table: draws from a fixed discrete distribution in O(1).

use rand::{Rng, RngExt};

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
    pub fn rebuild(&mut self, weights: &[f64]) {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        self.keep.clear();
        if total > 0.0 {
            let scale = n as f64 / total;
            self.keep.extend(weights.iter().map(|w| w * scale));
        }
        self.keep.resize(n, 0.0);
        if total <= 0.0 {
            self.keep[0] = n as f64;
        }
        self.other.clear();
        self.other.extend(0..n as u32);
        self.small.clear();
        self.large.clear();
        for (i, &k) in self.keep.iter().enumerate() {
            if k < 1.0 {
                self.small.push(i as u32);
            } else {
                self.large.push(i as u32);
            }
        }
        while let (Some(s), Some(&l)) = (self.small.pop(), self.large.last()) {
            let (s, l) = (s as usize, l as usize);
            self.other[s] = l as u32;
            self.keep[l] -= 1.0 - self.keep[s];
            if self.keep[l] < 1.0 {
                self.large.pop();
                self.small.push(l as u32);
            }
        }
        // Whatever is left is 1 up to rounding.
        for &i in self.small.iter().chain(&self.large) {
            self.keep[i as usize] = 1.0;
        }
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
