//! A portable `exp` for the hot loop that draws deal values.
//!
//! Every won deal costs one `exp`, and `libm::exp` spends most of a trial's
//! time there. This version (table of 2^(j/64), Cody-Waite reduction, degree-5
//! polynomial) is a few times faster, within 2 ulp of `libm::exp`, and made of
//! basic IEEE operations only, so it returns the same bits on every target.
//! The table is built with `libm::exp2`, which is itself portable.

use std::sync::OnceLock;

const N: f64 = 64.0;
const INV_LN2_N: f64 = 92.332_482_616_893_66;
/// ln(2)/64 split so that `k * LN2_N_HI` is exact for the k we use.
const LN2_N_HI: f64 = 0.010_830_424_693_267_56;
const LN2_N_LO: f64 = 2.981_585_826_985_293_3e-12;

pub fn table() -> &'static [f64; 64] {
    static TABLE: OnceLock<[f64; 64]> = OnceLock::new();
    TABLE.get_or_init(|| core::array::from_fn(|j| libm::exp2(j as f64 / N)))
}

/// e^x. Outside [-700, 700] it defers to `libm::exp` (deal values never go there).
#[inline]
pub fn exp(x: f64) -> f64 {
    exp_with(table(), x)
}

/// `exp` with the table passed in, for loops (saves the one-time-init check).
#[inline]
pub fn exp_with(table: &[f64; 64], x: f64) -> f64 {
    if !(-700.0..=700.0).contains(&x) {
        return libm::exp(x);
    }
    // Adding and removing 1.5 * 2^52 rounds to the nearest integer in plain
    // IEEE arithmetic (no call to a rounding function on baseline x86-64).
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let shifted = x * INV_LN2_N + SHIFT;
    let kf = shifted - SHIFT;
    let r = (x - kf * LN2_N_HI) - kf * LN2_N_LO;
    // `shifted` and SHIFT share an exponent, so the integer k is the difference
    // of their bits: no float-to-int conversion (which Rust saturates, at the
    // cost of compares and selects on every call).
    let k = shifted.to_bits() as i64 - SHIFT.to_bits() as i64;
    let j = (k & 63) as usize;
    let q = k >> 6;
    // exp(r) for |r| <= ln2/128: Taylor to r^5 leaves < 1e-16 relative error.
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
    let scale = f64::from_bits(((q + 1023) as u64) << 52);
    table[j] * p * scale
}

#[cfg(test)]
mod tests {
    #[test]
    fn within_two_ulp_of_libm() {
        let mut worst = 0u64;
        let mut x = -50.0;
        while x < 50.0 {
            let a = super::exp(x);
            let b = libm::exp(x);
            let ulp = a.to_bits().abs_diff(b.to_bits());
            worst = worst.max(ulp);
            x += 0.000_731;
        }
        assert!(worst <= 2, "worst {worst} ulp");
    }

    #[test]
    fn edges_defer_to_libm() {
        assert_eq!(super::exp(800.0), f64::INFINITY);
        assert_eq!(super::exp(-800.0), 0.0);
        assert!(super::exp(f64::NAN).is_nan());
        assert_eq!(super::exp(0.0), 1.0);
    }
}
