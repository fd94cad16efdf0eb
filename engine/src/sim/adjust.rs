//! What-if changes applied after a trial's uncertainty is drawn, so the
//! changed run shares every random draw with the unchanged one.

/// Rate of stage i becomes `min(1, max(0, rate * scale[i] + add[i]))`; leads
/// are multiplied by `leads_scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjustment {
    /// Per stage: the drawn rate is multiplied by this.
    pub rate_scale: Vec<f64>,
    /// Per stage: then this is added (a change in points, as a rate).
    pub rate_add: Vec<f64>,
    /// Expected leads are multiplied by this.
    pub leads_scale: f64,
}

impl Adjustment {
    /// No change, for `stages` stages.
    pub fn none(stages: usize) -> Adjustment {
        Adjustment {
            rate_scale: vec![1.0; stages],
            rate_add: vec![0.0; stages],
            leads_scale: 1.0,
        }
    }

    /// Whether this changes nothing.
    pub fn is_none(&self) -> bool {
        self.leads_scale == 1.0
            && self.rate_scale.iter().all(|&s| s == 1.0)
            && self.rate_add.iter().all(|&a| a == 0.0)
    }

    /// Changes a trial's drawn rates in place, clamped to 0..=1.
    pub fn apply(&self, rates: &mut [f64]) {
        if self.is_none() {
            return;
        }
        for ((p, s), a) in rates.iter_mut().zip(&self.rate_scale).zip(&self.rate_add) {
            *p = (*p * s + a).clamp(0.0, 1.0);
        }
    }
}
