//! Incentive plans in plain words: the comparison table's cells, a verdict
//! per plan and the finance sentence on average attainment, computed from
//! the engine's `Summary` (no browser, so tested natively).

use funnel_engine::Summary;
use funnel_engine::scenario::{Plan, Team};
use funnel_engine::summary::{MeanSe, PlanSummary};

use crate::format::{money, money_compact, percent, signed_money, signed_money_compact};

/// The gap between cost at average attainment and average cost worth a sentence.
pub const GAP_SHARE: f64 = 0.01;

/// One row of the side-by-side table.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub name: String,
    /// Average revenue with this plan's assumed effect.
    pub revenue: String,
    /// Average comp cost: the statistic the verdicts and differences use.
    pub comp_mean: String,
    pub comp_p10: String,
    pub comp_p50: String,
    pub comp_p90: String,
    /// Average revenue minus comp cost.
    pub net: String,
    /// Comp cost as a share of revenue.
    pub cost_of_sales: String,
    /// Share of reps reaching quota.
    pub at_quota: String,
}

/// One plan's difference from the first plan, with its uncertainty.
#[derive(Clone, Debug, PartialEq)]
pub struct DeltaRow {
    pub name: String,
    /// "+$244K ± $7.4K"
    pub revenue: String,
    pub comp_cost: String,
    pub net: String,
    /// Whether the net difference is larger than its Monte Carlo error.
    pub clear: bool,
}

/// The table rows, one per plan, in the scenario's order.
pub fn plan_rows(summary: &Summary) -> Vec<PlanRow> {
    let c = summary.currency.as_str();
    summary
        .plans
        .iter()
        .map(|p| PlanRow {
            name: p.name.clone(),
            revenue: money_compact(p.revenue.mean, c),
            comp_mean: money_compact(p.comp_cost.mean, c),
            comp_p10: money_compact(p.comp_cost.p10, c),
            comp_p50: money_compact(p.comp_cost.p50, c),
            comp_p90: money_compact(p.comp_cost.p90, c),
            net: money_compact(p.net_revenue.mean, c),
            cost_of_sales: p
                .cost_of_sales
                .mean
                .map_or_else(|| "no revenue".to_owned(), |m| percent(m, 1)),
            at_quota: percent(p.reps_at_quota.mean, 0),
        })
        .collect()
}

/// Each plan after the first, against the first (mean difference ± 2 standard errors).
pub fn delta_rows(summary: &Summary) -> Vec<DeltaRow> {
    let c = summary.currency.as_str();
    summary
        .plans
        .iter()
        .skip(1)
        .map(|p| {
            let d = &p.delta_vs_first;
            DeltaRow {
                name: p.name.clone(),
                revenue: with_error_compact(d.revenue, c),
                comp_cost: with_error_compact(d.comp_cost, c),
                net: with_error_compact(d.net_revenue, c),
                clear: is_clear(d.net_revenue),
            }
        })
        .collect()
}

/// A difference is clear of Monte Carlo error when |mean| > 2 standard errors.
pub fn is_clear(d: MeanSe) -> bool {
    d.mean.is_finite() && d.se.is_finite() && d.mean.abs() > 2.0 * d.se
}

/// "+$244,229 ± $7,405" (± two standard errors).
pub fn with_error(d: MeanSe, currency: &str) -> String {
    format!(
        "{} ± {}",
        signed_money(d.mean, currency),
        money(2.0 * d.se, currency)
    )
}

/// "+$244K ± $7.4K": the same, compact, for table cells.
pub fn with_error_compact(d: MeanSe, currency: &str) -> String {
    format!(
        "{} ± {}",
        signed_money_compact(d.mean, currency),
        money_compact(2.0 * d.se, currency)
    )
}

/// "$18,000 more" / "$18,000 less" / `same`, for an amount already rounded
/// to whole units.
fn more_or_less(x: f64, currency: &str, same: &str) -> String {
    if !x.is_finite() || x == 0.0 {
        same.to_owned()
    } else if x > 0.0 {
        format!("{} more", money(x, currency))
    } else {
        format!("{} less", money(-x, currency))
    }
}

/// Whether a plan's difference from the first is larger than the error of
/// the simulation itself, in words a sales leader reads.
pub fn error_words(clear: bool) -> &'static str {
    if clear {
        "the difference is larger than the simulation's own error"
    } else {
        "the difference is within the simulation's own error; more trials would tell"
    }
}

/// One plain sentence per plan. The first plan is the baseline; each other
/// plan is set against it on the average over trials, the statistic of the
/// difference table: "Plan B costs $X more than Plan A on average and
/// brings $Y more revenue, net $Z more; ...". Revenue and cost are rounded
/// to whole units first and net is their difference, so the three printed
/// numbers add up exactly.
pub fn verdict(summary: &Summary, k: usize) -> Option<String> {
    let c = summary.currency.as_str();
    let plan = summary.plans.get(k)?;
    let first = summary.plans.first()?;
    if k == 0 {
        return Some(format!(
            "{} is the baseline: it costs {} on average, {}, and {} of reps reach quota.",
            plan.name,
            money(plan.comp_cost.mean, c),
            plan.cost_of_sales.mean.map_or_else(
                || "with no revenue to set it against".to_owned(),
                |m| format!("{} of revenue", percent(m, 1))
            ),
            percent(plan.reps_at_quota.mean, 0),
        ));
    }
    let d = &plan.delta_vs_first;
    let all_zero = [d.revenue, d.comp_cost, d.net_revenue]
        .iter()
        .all(|x| x.mean == 0.0 && x.se == 0.0);
    if all_zero {
        return Some(format!(
            "{} pays and earns exactly what {} does, in every trial.",
            plan.name, first.name
        ));
    }
    let (revenue, cost, net) = summed_parts(d.revenue.mean, d.comp_cost.mean);
    let cost_words = if cost == 0.0 || !cost.is_finite() {
        format!("costs the same as {}", first.name)
    } else {
        format!("costs {} than {}", more_or_less(cost, c, ""), first.name)
    };
    let revenue = more_or_less(revenue, c, "the same");
    let net = more_or_less(net, c, "the same");
    let error = error_words(is_clear(d.net_revenue));
    Some(format!(
        "{} {cost_words} on average and brings {revenue} revenue, net {net}; {error}.",
        plan.name
    ))
}

/// Revenue and cost differences rounded as `money` shows them, and net as
/// their difference: net's own rounding could be a unit off the sum.
fn summed_parts(revenue: f64, cost: f64) -> (f64, f64, f64) {
    // `+ 0.0` turns a rounded -0 into 0, which then reads as "the same".
    let revenue = revenue.round() + 0.0;
    let cost = cost.round() + 0.0;
    (revenue, cost, revenue - cost + 0.0)
}

/// Average attainment of the plan's reps: all bookings over all quotas.
pub fn mean_attainment(plan: &PlanSummary, team: &Team) -> f64 {
    plan.revenue.mean / (f64::from(team.reps) * team.quota)
}

/// The finance sentence on "cost at average attainment" against "average
/// cost", when they differ by more than 1%: "Paying every rep for the
/// average attainment would cost $X; because payouts bend upward above
/// quota, the expected cost is $Y, Z% more."
pub fn cost_gap_sentence(
    summary: &PlanSummary,
    team: &Team,
    plan: &Plan,
    currency: &str,
) -> Option<String> {
    let naive = summary.cost_at_mean_attainment;
    let expected = summary.comp_cost.mean;
    if !(naive.is_finite() && expected.is_finite() && naive > 0.0) {
        return None;
    }
    let gap = expected / naive - 1.0;
    if gap.abs() <= GAP_SHARE {
        return None;
    }
    let size = percent(gap.abs(), if gap.abs() < 0.1 { 1 } else { 0 });
    let because = if gap > 0.0 {
        "payouts bend upward above quota".to_owned()
    } else if plan.quota_bonus > 0.0 && mean_attainment(summary, team) >= 1.0 {
        // The average rep reaches quota, so the naive sum pays every rep the bonus.
        format!(
            "only {} of reps actually reach quota and its bonus",
            percent(summary.reps_at_quota.mean, 0)
        )
    } else if plan.cap.is_some() {
        "payouts level off at the cap".to_owned()
    } else {
        "payouts grow more slowly at higher attainment".to_owned()
    };
    Some(format!(
        "Paying every rep for the average attainment would cost {}; because {because}, the expected cost is {}, {size} {}.",
        money(naive, currency),
        money(expected, currency),
        if gap > 0.0 { "more" } else { "less" }
    ))
}

/// "Reps reaching quota: 45% with Flat 10%, 49% with 8% with accelerators."
pub fn quota_sentence(summary: &Summary) -> Option<String> {
    if summary.plans.is_empty() {
        return None;
    }
    let parts: Vec<String> = summary
        .plans
        .iter()
        .map(|p| format!("{} with {}", percent(p.reps_at_quota.mean, 0), p.name))
        .collect();
    Some(format!("Reps reaching quota: {}.", parts.join(", ")))
}

/// The announcement for screen readers: the first plan's verdict against the others.
pub fn plans_announcement(summary: &Summary) -> Option<String> {
    (summary.plans.len() > 1)
        .then(|| verdict(summary, 1))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::stats::Stats;
    use funnel_engine::summary::{MaybeMean, Mean, PlanDelta, Spread};
    use funnel_engine::{Scenario, Simulation};

    fn run(json: &str, trials: u64) -> (Scenario, Summary) {
        let scenario = Scenario::from_json(json).unwrap();
        let sim = Simulation::new(&scenario, trials, 1).unwrap();
        let summary = Summary::new(&sim, &sim.run_all());
        (scenario, summary)
    }

    fn stats(mean: f64, p50: f64) -> Stats {
        Stats {
            mean,
            sd: 0.0,
            mean_se: 0.0,
            min: p50,
            p5: p50,
            p10: p50,
            p25: p50,
            p50,
            p75: p50,
            p90: p50,
            p95: p50,
            max: p50,
        }
    }

    fn ms(mean: f64, se: f64) -> MeanSe {
        MeanSe { mean, se }
    }

    /// A hand-made plan summary: revenue, comp cost (mean = P50) and deltas.
    fn plan(name: &str, revenue: f64, cost: f64, delta: [MeanSe; 3]) -> PlanSummary {
        PlanSummary {
            name: name.into(),
            revenue: stats(revenue, revenue),
            comp_cost: stats(cost, cost),
            net_revenue: stats(revenue - cost, revenue - cost),
            cost_of_sales: MaybeMean {
                mean: Some(cost / revenue),
            },
            reps_at_quota: Mean { mean: 0.45 },
            attainment: Spread {
                p10: 0.5,
                p50: 0.9,
                p90: 1.6,
            },
            spif: Mean { mean: 0.0 },
            delta_vs_first: PlanDelta {
                revenue: delta[0],
                comp_cost: delta[1],
                net_revenue: delta[2],
            },
            cost_at_mean_attainment: cost,
            payout_curve: Vec::new(),
        }
    }

    fn with_plans(plans: Vec<PlanSummary>) -> Summary {
        let (_, mut s) = run(include_str!("../../scenarios/presets/classroom.json"), 10);
        s.plans = plans;
        s
    }

    #[test]
    fn verdicts_in_plain_words() {
        let zero = ms(0.0, 0.0);
        let s = with_plans(vec![
            plan("Flat 10%", 4_900_000.0, 490_000.0, [zero; 3]),
            plan(
                "Accelerators",
                5_150_000.0,
                560_000.0,
                [
                    ms(250_000.0, 2_000.0),
                    ms(70_000.0, 500.0),
                    ms(180_000.0, 1_500.0),
                ],
            ),
            plan(
                "Cheaper",
                4_899_000.0,
                470_000.0,
                [
                    ms(-1_000.0, 900.0),
                    ms(-20_000.0, 300.0),
                    ms(19_000.0, 12_000.0),
                ],
            ),
            plan("Copy", 4_900_000.0, 490_000.0, [zero; 3]),
        ]);
        assert_eq!(
            verdict(&s, 0).unwrap(),
            "Flat 10% is the baseline: it costs $490,000 on average, 10.0% of revenue, and 45% of reps reach quota."
        );
        assert_eq!(
            verdict(&s, 1).unwrap(),
            "Accelerators costs $70,000 more than Flat 10% on average and brings $250,000 more revenue, net $180,000 more; the difference is larger than the simulation's own error."
        );
        assert_eq!(
            verdict(&s, 2).unwrap(),
            "Cheaper costs $20,000 less than Flat 10% on average and brings $1,000 less revenue, net $19,000 more; the difference is within the simulation's own error; more trials would tell."
        );
        assert_eq!(
            verdict(&s, 3).unwrap(),
            "Copy pays and earns exactly what Flat 10% does, in every trial."
        );
        assert_eq!(verdict(&s, 4), None);
        assert_eq!(plans_announcement(&s).unwrap(), verdict(&s, 1).unwrap());

        let rows = delta_rows(&s);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].net, "+$180K ± $3K");
        assert!(rows[0].clear);
        assert_eq!(rows[1].revenue, "-$1K ± $1.8K");
        assert!(!rows[1].clear);
        assert_eq!(rows[2].comp_cost, "$0 ± $0");
        let table = plan_rows(&s);
        assert_eq!(table[1].comp_p50, "$560K");
        assert_eq!(table[1].revenue, "$5.2M");
        assert_eq!(table[0].cost_of_sales, "10.0%");
        assert_eq!(table[0].at_quota, "45%");
        assert_eq!(
            quota_sentence(&s).unwrap(),
            "Reps reaching quota: 45% with Flat 10%, 45% with Accelerators, 45% with Cheaper, 45% with Copy."
        );
    }

    #[test]
    fn clear_is_two_standard_errors() {
        assert!(is_clear(ms(2.01, 1.0)));
        assert!(!is_clear(ms(2.0, 1.0)));
        assert!(!is_clear(ms(-1.5, 1.0)));
        assert!(is_clear(ms(-3.0, 1.0)));
        assert!(!is_clear(ms(0.0, 0.0)));
        assert!(!is_clear(ms(f64::NAN, 1.0)));
        assert_eq!(with_error(ms(-500.0, 10.0), "EUR"), "-€500 ± €20");
        assert_eq!(
            with_error_compact(ms(246_047.0, 1_756.0), "USD"),
            "+$246K ± $3.5K"
        );
        assert_eq!(with_error_compact(ms(0.3, 0.1), "USD"), "$0 ± $0");
        assert_eq!(
            with_error_compact(ms(-19_030.0, 304.0), "USD"),
            "-$19K ± $608"
        );
    }

    #[test]
    fn the_cost_gap_in_words_a_finance_person_reads() {
        let team = Team {
            reps: 10,
            quota: 100_000.0,
            skill_sd: 0.3,
        };
        let scenario =
            Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
        let flat = scenario.plans[0].clone();
        let accel = scenario.plans[1].clone();
        let zero = ms(0.0, 0.0);

        // Payouts bend upward: the expected cost is above the naive one.
        let mut p = plan("A", 900_000.0, 110_000.0, [zero; 3]);
        p.cost_at_mean_attainment = 100_000.0;
        assert_eq!(
            cost_gap_sentence(&p, &team, &accel, "USD").unwrap(),
            "Paying every rep for the average attainment would cost $100,000; because payouts bend upward above quota, the expected cost is $110,000, 10% more."
        );
        // Within 1%: nothing to say.
        p.comp_cost.mean = 100_900.0;
        assert_eq!(cost_gap_sentence(&p, &team, &accel, "USD"), None);
        // Average attainment above quota: the naive sum pays everyone the bonus.
        let mut p = plan("B", 1_030_000.0, 95_000.0, [zero; 3]);
        p.cost_at_mean_attainment = 100_000.0;
        assert_eq!(
            cost_gap_sentence(&p, &team, &accel, "USD").unwrap(),
            "Paying every rep for the average attainment would cost $100,000; because only 45% of reps actually reach quota and its bonus, the expected cost is $95,000, 5.0% less."
        );
        let mut capped = flat.clone();
        capped.cap = Some(1.5);
        assert!(
            cost_gap_sentence(&p, &team, &capped, "USD")
                .unwrap()
                .contains("because payouts level off at the cap")
        );

        // From a real run: a flat rate has no gap; accelerators with a bonus do.
        let (scenario, s) = run(include_str!("../../scenarios/team-50-reps.json"), 2_000);
        let team = scenario.team.unwrap();
        assert_eq!(
            cost_gap_sentence(&s.plans[0], &team, &scenario.plans[0], "USD"),
            None
        );
        let sentence = cost_gap_sentence(&s.plans[1], &team, &scenario.plans[1], "USD").unwrap();
        assert!(
            sentence.starts_with("Paying every rep for the average attainment would cost $"),
            "{sentence}"
        );
    }

    #[test]
    fn verdicts_from_a_real_run() {
        let (_, s) = run(include_str!("../../scenarios/team-50-reps.json"), 2_000);
        let v = verdict(&s, 1).unwrap();
        assert!(
            v.starts_with("Accelerators costs $")
                && v.contains("than Flat 10% on average and brings $"),
            "{v}"
        );
        // A +5% conversion at Negotiation shows well above the Monte Carlo error on common random numbers.
        assert!(
            v.ends_with("; the difference is larger than the simulation's own error."),
            "{v}"
        );
        assert!(delta_rows(&s).iter().all(|r| r.clear));
        let (_, no_plans) = run(include_str!("../../scenarios/reference.json"), 100);
        assert_eq!(verdict(&no_plans, 0), None);
        assert_eq!(quota_sentence(&no_plans), None);
    }

    /// "$9,049 more" / "$9,049 less" / "the same" as a signed amount.
    fn read_more_or_less(text: &str) -> f64 {
        if text == "the same" {
            return 0.0;
        }
        let (amount, sign) = if let Some(a) = text.strip_suffix(" more") {
            (a, 1.0)
        } else if let Some(a) = text.strip_suffix(" less") {
            (a, -1.0)
        } else {
            panic!("not an amount: {text:?}")
        };
        let digits: String = amount.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(amount, money(digits.parse().unwrap(), "USD"), "{text:?}");
        sign * digits.parse::<f64>().unwrap()
    }

    /// The verdict's (cost, revenue, net) differences, signed.
    fn read_verdict(v: &str, name: &str, first: &str) -> (f64, f64, f64) {
        let rest = v.strip_prefix(&format!("{name} costs ")).expect(v);
        let (cost, rest) = if let Some(r) = rest.strip_prefix(&format!("the same as {first} ")) {
            (0.0, r)
        } else {
            let (c, r) = rest.split_once(&format!(" than {first} ")).expect(v);
            (read_more_or_less(c), r)
        };
        let rest = rest.strip_prefix("on average and brings ").expect(v);
        let (revenue, rest) = rest.split_once(" revenue, net ").expect(v);
        let (net, _) = rest.split_once("; ").expect(v);
        (cost, read_more_or_less(revenue), read_more_or_less(net))
    }

    /// A compact table cell's mean ("+$32K ± $1.4K" -> 32,000) and half of its last digit.
    fn read_compact(cell: &str) -> (f64, f64) {
        let (mean, _) = cell.split_once(" ± ").expect(cell);
        let (sign, rest) = match mean.strip_prefix('-') {
            Some(r) => (-1.0, r),
            None => (1.0, mean.trim_start_matches('+')),
        };
        let rest = rest.strip_prefix('$').expect(cell);
        let (number, unit) = match rest.chars().last() {
            Some('K') => (&rest[..rest.len() - 1], 1e3),
            Some('M') => (&rest[..rest.len() - 1], 1e6),
            Some('B') => (&rest[..rest.len() - 1], 1e9),
            _ => (rest, 1.0),
        };
        let number = number.replace(',', "");
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        let half = 0.5 * unit / 10f64.powi(decimals as i32);
        (sign * number.parse::<f64>().expect(cell) * unit, half)
    }

    #[test]
    fn verdicts_add_up_and_agree_with_the_difference_table() {
        let mut scenarios: Vec<(&str, &str)> = crate::share::presets::PRESETS
            .iter()
            .filter(|p| !p.scenario().plans.is_empty())
            .map(|p| (p.key, p.json))
            .collect();
        assert!(!scenarios.is_empty(), "a preset with plans");
        scenarios.push((
            "team-50-reps",
            include_str!("../../scenarios/team-50-reps.json"),
        ));
        for (key, json) in scenarios {
            let (_, s) = run(json, 3_000);
            let first = &s.plans[0].name;
            let rows = delta_rows(&s);
            assert_eq!(rows.len(), s.plans.len() - 1, "{key}");
            for (k, row) in (1..s.plans.len()).zip(&rows) {
                let v = verdict(&s, k).unwrap();
                let (cost, revenue, net) = read_verdict(&v, &s.plans[k].name, first);
                assert_eq!(revenue - cost, net, "{key}: {v}");
                for (what, said, cell) in [
                    ("comp cost", cost, &row.comp_cost),
                    ("revenue", revenue, &row.revenue),
                    ("net", net, &row.net),
                ] {
                    let (shown, half) = read_compact(cell);
                    // The verdict rounds to whole units (net: two roundings).
                    assert!(
                        (said - shown).abs() <= half + 1.0,
                        "{key}, {what}: the verdict says {said}, the table {cell}: {v}"
                    );
                    if said != 0.0 && shown != 0.0 {
                        assert_eq!(said.signum(), shown.signum(), "{key}, {what}: {v} / {cell}");
                    }
                }
            }
        }
    }
}
