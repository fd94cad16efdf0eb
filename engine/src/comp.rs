//! What an incentive plan pays one rep (MODEL.md, "Team and incentive plans").
//!
//! Pure functions of bookings, so the payout curve the app draws and the cost
//! the simulation adds up come from the same code.

use serde::{Deserialize, Serialize};

use crate::scenario::{Plan, Tiers};

/// Commission on `bookings` for a rep with `quota`, before any bonus.
///
/// Bookings above `cap * quota` earn nothing. With retroactive tiers the band
/// reached is judged on capped bookings: a band above the cap cannot be reached.
pub fn commission(plan: &Plan, quota: f64, bookings: f64) -> f64 {
    let bookings = bookings.max(0.0);
    let paid = match plan.cap {
        Some(cap) => bookings.min(cap * quota),
        None => bookings,
    };
    match plan.tiers {
        Tiers::Marginal => {
            let mut total = 0.0;
            for (i, band) in plan.commission.iter().enumerate() {
                let lo = band.from * quota;
                let hi = plan
                    .commission
                    .get(i + 1)
                    .map_or(f64::INFINITY, |next| next.from * quota);
                if paid > lo {
                    total += band.rate * (paid.min(hi) - lo);
                }
            }
            total
        }
        Tiers::Retroactive => {
            let rate = plan
                .commission
                .iter()
                .take_while(|band| band.from * quota <= paid)
                .last()
                .map_or(0.0, |band| band.rate);
            rate * paid
        }
    }
}

/// Everything the plan pays one rep: commission plus the quota bonus at attainment >= 1.
pub fn payout(plan: &Plan, quota: f64, bookings: f64) -> f64 {
    let bonus = if bookings >= quota {
        plan.quota_bonus
    } else {
        0.0
    };
    commission(plan, quota, bookings) + bonus
}

/// One point of a plan's payout curve for one rep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Bookings / quota.
    pub attainment: f64,
    /// What the plan pays the rep at that attainment: commission plus quota bonus
    /// (no SPIF), in the scenario's currency.
    pub payout: f64,
}

/// Payout for one rep at attainment 0%, 1%, ..., 200%, with both sides of
/// every jump (band edges under retroactive tiers, the quota bonus) so a
/// drawing shows steps as steps.
pub fn payout_curve(plan: &Plan, quota: f64) -> Vec<CurvePoint> {
    let mut points: Vec<f64> = (0..=200).map(|i| i as f64 / 100.0).collect();
    let mut edges: Vec<f64> = plan.commission.iter().map(|b| b.from).collect();
    edges.push(1.0);
    edges.extend(plan.cap);
    for e in edges {
        if e > 0.0 && e <= 2.0 {
            points.push(e - 1e-9);
            points.push(e);
        }
    }
    points.sort_by(f64::total_cmp);
    points.dedup();
    points
        .into_iter()
        .map(|a| CurvePoint {
            attainment: a,
            payout: payout(plan, quota, a * quota),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{CommissionBand, Effect};

    fn plan(tiers: Tiers, cap: Option<f64>, bonus: f64) -> Plan {
        Plan {
            name: "p".into(),
            commission: vec![
                CommissionBand {
                    from: 0.0,
                    rate: 0.08,
                },
                CommissionBand {
                    from: 1.0,
                    rate: 0.12,
                },
                CommissionBand {
                    from: 1.5,
                    rate: 0.15,
                },
            ],
            tiers,
            quota_bonus: bonus,
            cap,
            spif: None,
            effect: Effect::default(),
        }
    }

    const Q: f64 = 100_000.0;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn marginal_bands_tax_each_slice() {
        let p = plan(Tiers::Marginal, None, 0.0);
        assert!(close(commission(&p, Q, 50_000.0), 4_000.0));
        assert!(close(commission(&p, Q, 100_000.0), 8_000.0));
        assert!(close(commission(&p, Q, 120_000.0), 8_000.0 + 2_400.0));
        assert!(close(commission(&p, Q, 150_000.0), 8_000.0 + 6_000.0));
        assert!(close(
            commission(&p, Q, 200_000.0),
            8_000.0 + 6_000.0 + 7_500.0
        ));
    }

    #[test]
    fn retroactive_bands_pay_the_highest_rate_on_everything() {
        let p = plan(Tiers::Retroactive, None, 0.0);
        assert!(close(commission(&p, Q, 99_999.0), 0.08 * 99_999.0));
        assert!(close(commission(&p, Q, 100_000.0), 12_000.0));
        assert!(close(commission(&p, Q, 149_999.0), 0.12 * 149_999.0));
        assert!(close(commission(&p, Q, 150_000.0), 22_500.0));
    }

    #[test]
    fn cap_stops_commission_and_bonus_needs_quota() {
        let p = plan(Tiers::Marginal, Some(1.2), 5_000.0);
        assert!(close(payout(&p, Q, 99_999.0), 0.08 * 99_999.0));
        assert!(close(payout(&p, Q, 100_000.0), 8_000.0 + 5_000.0));
        assert!(close(payout(&p, Q, 120_000.0), 8_000.0 + 2_400.0 + 5_000.0));
        assert!(close(payout(&p, Q, 300_000.0), 8_000.0 + 2_400.0 + 5_000.0));
        let r = plan(Tiers::Retroactive, Some(1.2), 0.0);
        // Band 1.5 lies above the cap, so it is never reached.
        assert!(close(commission(&r, Q, 300_000.0), 0.12 * 120_000.0));
    }

    #[test]
    fn curve_shows_jumps() {
        let p = plan(Tiers::Retroactive, None, 5_000.0);
        let c = payout_curve(&p, Q);
        let at = |a: f64| c.iter().find(|pt| pt.attainment == a).unwrap().payout;
        assert!(close(at(1.0), 12_000.0 + 5_000.0));
        let below = c.iter().rev().find(|pt| pt.attainment < 1.0).unwrap();
        assert!(below.payout < 8_001.0);
        assert_eq!(c.first().unwrap().payout, 0.0);
    }
}
