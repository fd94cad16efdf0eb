//! The engine against MODEL.md: closed forms, conservation, the two methods
//! agreeing, and chunking invariance. Fixed seeds; tolerances from standard errors.

mod common;

use common::*;
use funnel_engine::{Method, Scenario, Simulation, Summary, merge};

/// Every stage at 0 days, fixed rates, Poisson leads, nothing open: won deals
/// are Poisson(N * P) and revenue is compound Poisson.
const CLOSED_FORM: &str = r#"{
  "version": 1, "name": "closed form", "horizon_months": 6,
  "leads": { "per_month": 400, "growth_per_month": 0.03 },
  "stages": [
    { "name": "A", "conversion": 0.5, "days": 0 },
    { "name": "B", "conversion": 0.4, "days": 0 },
    { "name": "C", "conversion": 0.6, "days": 0 }
  ],
  "deal_size": { "median": 10000, "p90": 25000 }
}"#;

fn closed_form_check(method: Method, trials: u64) {
    let s = scenario(CLOSED_FORM);
    let sim = Simulation::with_method(&s, trials, 42, method).unwrap();
    let all = sim.run_all();
    let n: f64 = funnel_engine::timing::expected_leads(&s).iter().sum();
    let p = 0.5 * 0.4 * 0.6;
    let d = sim.deal_value();
    let mean = n * p * d.mean();
    let var = n * p * d.second_moment();

    let (m, se) = mean_se(&all.revenue);
    let true_se = (var / trials as f64).sqrt();
    assert!(
        (m - mean).abs() < 4.0 * true_se,
        "{method:?}: mean {m} vs {mean} (se {true_se}, est {se})"
    );
    let v = variance(&all.revenue);
    assert!(
        (v / var - 1.0).abs() < 0.05,
        "{method:?}: variance {v} vs {var}"
    );

    let won: Vec<f64> = all.won.iter().map(|&w| w as f64).collect();
    let (wm, _) = mean_se(&won);
    let won_se = (n * p / trials as f64).sqrt();
    assert!(
        (wm - n * p).abs() < 4.0 * won_se,
        "{method:?}: won {wm} vs {}",
        n * p
    );
    assert!(
        (variance(&won) / (n * p) - 1.0).abs() < 0.05,
        "{method:?}: won is not Poisson"
    );
}

#[test]
fn closed_form_thinned() {
    closed_form_check(Method::Thinned, 20_000);
}

#[test]
fn closed_form_week_by_week() {
    closed_form_check(Method::Stepper, 20_000);
}

fn conservation_holds(s: &Scenario, method: Method) {
    let sim = Simulation::with_method(s, 300, 9, method).unwrap();
    let open_start: u64 = s.stages.iter().map(|st| st.open).sum();
    for t in 0..300 {
        let o = sim.trial(t);
        let lost: u64 = o.lost.iter().sum();
        let open_end: u64 = o.open_end.iter().sum();
        assert_eq!(
            open_start + o.leads,
            o.won() + lost + open_end,
            "{method:?} trial {t}"
        );
        for (i, st) in s.stages.iter().enumerate() {
            assert_eq!(
                o.entered[i],
                o.advanced[i] + o.lost[i] + o.open_end[i],
                "stage {i}"
            );
            let came_in = if i == 0 { o.leads } else { o.advanced[i - 1] };
            assert_eq!(o.entered[i], st.open + came_in, "stage {i} entered");
        }
        assert_eq!(o.advanced[s.stages.len() - 1], o.won());
    }
}

#[test]
fn conservation_in_every_trial() {
    let reference = scenario(REFERENCE);
    conservation_holds(&reference, Method::Thinned);
    conservation_holds(&reference, Method::Stepper);
    let mut fixed = reference.clone();
    fixed.leads.noise = funnel_engine::Noise::Fixed;
    conservation_holds(&fixed, Method::Stepper);
    let mut many_open = reference;
    many_open.stages[1].open = 5_000;
    conservation_holds(&many_open, Method::Thinned);
}

/// Poisson thinning and the week-by-week model are the same model: their
/// means agree within standard errors on a scenario with every feature.
#[test]
fn thinned_matches_week_by_week() {
    let mut s = scenario(REFERENCE);
    s.stages[3].days = 0.0; // a same-week stage
    s.stages[1].open = 700; // the multinomial path for open deals
    let trials = 6_000;
    let a = Simulation::with_method(&s, trials, 5, Method::Thinned)
        .unwrap()
        .run_all();
    let b = Simulation::with_method(&s, trials, 6, Method::Stepper)
        .unwrap()
        .run_all();
    let f = |v: &[u64]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
    assert_agree("revenue", mean_se(&a.revenue), mean_se(&b.revenue), 4.0);
    assert_agree("won", mean_se(&f(&a.won)), mean_se(&f(&b.won)), 4.0);
    assert_agree("lost", mean_se(&f(&a.lost)), mean_se(&f(&b.lost)), 4.0);
    assert_agree("leads", mean_se(&f(&a.leads)), mean_se(&f(&b.leads)), 4.0);
    assert_agree(
        "open at horizon",
        mean_se(&f(&a.open_end)),
        mean_se(&f(&b.open_end)),
        4.0,
    );
    let months = a.months;
    for m in [0, 3, months - 1] {
        let col = |c: &funnel_engine::Chunk| -> Vec<f64> {
            (0..c.len())
                .map(|i| c.month_revenue[i * months + m])
                .collect()
        };
        assert_agree(
            &format!("revenue in month {m}"),
            mean_se(&col(&a)),
            mean_se(&col(&b)),
            4.0,
        );
    }
    // The spread must match too, not only the mean.
    let (va, vb) = (variance(&a.revenue), variance(&b.revenue));
    assert!((va / vb - 1.0).abs() < 0.1, "revenue variance {va} vs {vb}");
}

/// Per stage, the thinned method's lost and open counts match week by week.
#[test]
fn stage_flows_match_week_by_week() {
    let s = scenario(REFERENCE);
    let trials = 4_000;
    let per_stage = |method| {
        let sim = Simulation::with_method(&s, trials, 17, method).unwrap();
        let mut lost = vec![Vec::new(); s.stages.len()];
        let mut open = vec![Vec::new(); s.stages.len()];
        for t in 0..trials {
            let o = sim.trial(t);
            for i in 0..s.stages.len() {
                lost[i].push(o.lost[i] as f64);
                open[i].push(o.open_end[i] as f64);
            }
        }
        (lost, open)
    };
    let (la, oa) = per_stage(Method::Thinned);
    let (lb, ob) = per_stage(Method::Stepper);
    for i in 0..s.stages.len() {
        assert_agree(
            &format!("lost at stage {i}"),
            mean_se(&la[i]),
            mean_se(&lb[i]),
            4.5,
        );
        assert_agree(
            &format!("open at stage {i}"),
            mean_se(&oa[i]),
            mean_se(&ob[i]),
            4.5,
        );
    }
}

#[test]
fn chunks_merged_in_any_order_give_identical_summaries() {
    let s = scenario(REFERENCE);
    let sim = Simulation::new(&s, 1_000, 77).unwrap();
    let whole = Summary::new(&sim, &sim.run_all()).to_json_pretty();
    for sizes in [
        vec![1_000],
        vec![1, 999],
        vec![333, 333, 334],
        vec![250; 4],
        vec![7; 143],
    ] {
        let mut chunks = Vec::new();
        let mut start = 0u64;
        for len in sizes {
            let end = (start + len).min(1_000);
            chunks.push(sim.run_chunk(start..end));
            start = end;
        }
        if start < 1_000 {
            chunks.push(sim.run_chunk(start..1_000));
        }
        chunks.reverse();
        let n = chunks.len();
        if n > 2 {
            chunks.swap(0, n / 2);
        }
        let merged = merge(chunks).unwrap();
        assert_eq!(Summary::new(&sim, &merged).to_json_pretty(), whole);
    }
}

#[test]
fn merge_rejects_gaps_and_overlaps() {
    let s = scenario(REFERENCE);
    let sim = Simulation::new(&s, 100, 1).unwrap();
    assert!(merge(vec![sim.run_chunk(0..40), sim.run_chunk(50..100)]).is_err());
    assert!(merge(vec![sim.run_chunk(0..60), sim.run_chunk(50..100)]).is_err());
    assert!(merge(vec![sim.run_chunk(10..100)]).is_err());
    assert!(merge(vec![]).is_err());
}

#[test]
fn the_classroom_case_gives_98_point_2_percent() {
    let s = scenario(
        r#"{ "version": 1, "name": "Classroom", "horizon_months": 1,
        "leads": { "per_month": 0 },
        "stages": [ { "name": "Opportunity", "conversion": 0.5, "days": 0, "open": 100 } ],
        "deal_size": { "median": 1000, "p90": 1000 },
        "target": { "revenue": 40000 } }"#,
    );
    let sum = summary(&s, 20_000, 3);
    let t = sum.target.unwrap();
    // P(Binomial(100, 0.5) >= 40) = 0.98240
    assert!(
        (t.probability - 0.98240).abs() < 4.0 * t.probability_se,
        "{}",
        t.probability
    );
    assert!((sum.won.mean - 50.0).abs() < 4.0 * (25.0f64 / 20_000.0).sqrt());
    assert!((sum.revenue.sd / 5_000.0 - 1.0).abs() < 0.05);
}

#[test]
fn many_open_deals_take_the_multinomial_path_with_the_same_law() {
    // Binomial(n, 0.3) won from n open deals in one same-week stage.
    for n in [100u64, 5_000] {
        let s = scenario(&format!(
            r#"{{ "version": 1, "horizon_months": 1, "leads": {{ "per_month": 0 }},
            "stages": [ {{ "name": "S", "conversion": 0.3, "days": 0, "open": {n} }} ],
            "deal_size": {{ "median": 1, "p90": 1 }} }}"#
        ));
        let sim = Simulation::new(&s, 10_000, 8).unwrap();
        let all = sim.run_all();
        let won: Vec<f64> = all.won.iter().map(|&w| w as f64).collect();
        let (m, _) = mean_se(&won);
        let var = n as f64 * 0.3 * 0.7;
        assert!(
            (m - 0.3 * n as f64).abs() < 4.0 * (var / 10_000.0).sqrt(),
            "n={n}: {m}"
        );
        assert!((variance(&won) / var - 1.0).abs() < 0.06, "n={n}");
    }
}

#[test]
fn fixed_leads_are_exact_totals() {
    let mut s = scenario(REFERENCE);
    s.leads.noise = funnel_engine::Noise::Fixed;
    s.leads.uncertainty_cv = 0.0;
    let expected: f64 = funnel_engine::timing::expected_leads(&s).iter().sum();
    let sim = Simulation::new(&s, 20, 1).unwrap();
    let all = sim.run_all();
    assert!(
        all.leads.iter().all(|&l| l == expected.round() as u64),
        "{:?} vs {expected}",
        &all.leads[..3]
    );
}

#[test]
fn long_stays_keep_deals_open_at_the_horizon() {
    // days = 70 -> h = 0.1 a week; an open deal stays past 4 weeks with 0.9^4.
    let s = scenario(
        r#"{ "version": 1, "horizon_months": 1, "leads": { "per_month": 0 },
        "stages": [ { "name": "S", "conversion": 1, "days": 70, "open": 1000 } ],
        "deal_size": { "median": 1, "p90": 1 } }"#,
    );
    let weeks = s.weeks();
    let stay = libm::pow(0.9, weeks as f64);
    let sum = summary(&s, 4_000, 2);
    let expected = 1000.0 * stay;
    let se = (1000.0 * stay * (1.0 - stay) / 4_000.0).sqrt();
    assert!(
        (sum.open_end.mean - expected).abs() < 4.0 * se,
        "{} vs {expected}",
        sum.open_end.mean
    );
}

/// The "summer dip" preset of the app (docs/model-notes.md, "Seasonality"),
/// as multipliers January..December.
const SUMMER_DIP: [f64; 12] = [1.1, 1.1, 1.1, 1.1, 1.1, 0.9, 0.7, 0.7, 0.9, 1.1, 1.1, 1.1];

/// MODEL.md's `lambda_w` summed over the weeks of each month, written out
/// here rather than taken from the engine's `timing::expected_leads`.
fn formula_leads_by_month(s: &Scenario) -> Vec<f64> {
    let weeks = (s.horizon_months as usize * 52 * 2 + 12) / 24;
    let start = s.start_month.unwrap_or(1) as usize;
    let mut months = vec![0.0; s.horizon_months as usize];
    for w in 0..weeks {
        let m = w * 12 / 52;
        let season = s.leads.seasonality.map_or(1.0, |k| k[(start - 1 + m) % 12]);
        months[m] += s.leads.per_month
            * (12.0 / 52.0)
            * libm::pow(1.0 + s.leads.growth_per_month, m as f64)
            * season;
    }
    months
}

/// Every lead is won in the week it arrives (rates 1, no days), so the deals
/// won in a month are that month's leads: Poisson with the formula's mean.
/// Fourteen months from November cross two year ends; July gets no leads.
#[test]
fn seasonal_leads_per_month_follow_the_formula() {
    let mut s = scenario(
        r#"{ "version": 1, "horizon_months": 14, "start_month": 11,
        "leads": { "per_month": 300, "growth_per_month": 0.02 },
        "stages": [ { "name": "A", "conversion": 1, "days": 0 } ],
        "deal_size": { "median": 1, "p90": 1 } }"#,
    );
    let mut season = SUMMER_DIP;
    season[6] = 0.0;
    s.leads.seasonality = Some(season);
    let expected = formula_leads_by_month(&s);
    let engine = funnel_engine::timing::expected_leads_by_month(&s);
    for (m, (&e, &g)) in expected.iter().zip(&engine).enumerate() {
        assert!(
            (e / g - 1.0).abs() < 1e-12 || e == g,
            "month {m}: {e} vs {g}"
        );
    }
    // July is month 8 of the horizon (November = 0).
    assert_eq!(expected[8], 0.0);
    let trials = 4_000;
    for (method, seed) in [(Method::Thinned, 3), (Method::Stepper, 4)] {
        let sim = Simulation::with_method(&s, trials, seed, method).unwrap();
        let mut sums = vec![0.0; s.horizon_months as usize];
        for t in 0..trials {
            for (sum, &won) in sums.iter_mut().zip(&sim.trial(t).month_won) {
                *sum += won as f64;
            }
        }
        for (m, (&sum, &mean)) in sums.iter().zip(&expected).enumerate() {
            let got = sum / trials as f64;
            let se = (mean / trials as f64).sqrt();
            assert!(
                (got - mean).abs() <= 4.0 * se,
                "{method:?} month {m}: {got} leads vs {mean} (se {se})"
            );
        }
    }
}

/// The closed form with seasonality: `N = sum(lambda_w)` now carries each
/// month's multiplier, and revenue is still compound Poisson around `N P E[X]`.
#[test]
fn closed_form_with_seasonality() {
    let mut s = scenario(CLOSED_FORM);
    s.start_month = Some(5);
    s.leads.seasonality = Some(SUMMER_DIP);
    let n: f64 = formula_leads_by_month(&s).iter().sum();
    let flat: f64 = formula_leads_by_month(&scenario(CLOSED_FORM)).iter().sum();
    // May to October holds the dip: fewer leads than the flat year.
    assert!(n < 0.95 * flat, "{n} vs {flat}");
    let trials = 20_000;
    for (method, seed) in [(Method::Thinned, 42), (Method::Stepper, 43)] {
        let sim = Simulation::with_method(&s, trials, seed, method).unwrap();
        let all = sim.run_all();
        let p = 0.5 * 0.4 * 0.6;
        let d = sim.deal_value();
        let (mean, var) = (n * p * d.mean(), n * p * d.second_moment());
        let (m, _) = mean_se(&all.revenue);
        let se = (var / trials as f64).sqrt();
        assert!(
            (m - mean).abs() < 4.0 * se,
            "{method:?}: mean {m} vs {mean} (se {se})"
        );
        let v = variance(&all.revenue);
        assert!(
            (v / var - 1.0).abs() < 0.05,
            "{method:?}: variance {v} vs {var}"
        );
    }
}

/// With seasonality the two methods still run the same model.
#[test]
fn thinned_matches_week_by_week_with_seasonality() {
    let mut s = scenario(REFERENCE);
    s.start_month = Some(4);
    s.leads.seasonality = Some([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.25, 1.3, 1.35]);
    let trials = 5_000;
    let a = Simulation::with_method(&s, trials, 11, Method::Thinned)
        .unwrap()
        .run_all();
    let b = Simulation::with_method(&s, trials, 12, Method::Stepper)
        .unwrap()
        .run_all();
    let f = |v: &[u64]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
    assert_agree("revenue", mean_se(&a.revenue), mean_se(&b.revenue), 4.0);
    assert_agree("won", mean_se(&f(&a.won)), mean_se(&f(&b.won)), 4.0);
    assert_agree("leads", mean_se(&f(&a.leads)), mean_se(&f(&b.leads)), 4.0);
    let months = a.months;
    for m in 0..months {
        let col = |c: &funnel_engine::Chunk| -> Vec<f64> {
            (0..c.len())
                .map(|i| c.month_revenue[i * months + m])
                .collect()
        };
        assert_agree(
            &format!("revenue in month {m}"),
            mean_se(&col(&a)),
            mean_se(&col(&b)),
            4.0,
        );
    }
    // The leads' expectation (u has mean 1) is the seasonal formula's.
    let n: f64 = formula_leads_by_month(&s).iter().sum();
    let (m, se) = mean_se(&f(&a.leads));
    assert!((m - n).abs() < 4.0 * se, "leads {m} vs {n}");
}

/// Fixed counts follow the seasonal expectation exactly: totals are the
/// rounded sum, and a month at 0 gets no lead.
#[test]
fn fixed_leads_with_seasonality_are_exact() {
    let mut s = scenario(REFERENCE);
    s.leads.noise = funnel_engine::Noise::Fixed;
    s.leads.uncertainty_cv = 0.0;
    s.start_month = Some(9);
    let mut season = SUMMER_DIP;
    season[0] = 0.0;
    s.leads.seasonality = Some(season);
    let expected: f64 = formula_leads_by_month(&s).iter().sum();
    let all = Simulation::new(&s, 20, 1).unwrap().run_all();
    assert!(
        all.leads.iter().all(|&l| l == expected.round() as u64),
        "{:?} vs {expected}",
        &all.leads[..3]
    );
}

/// Absent seasonality and a flat one of 1s give the same bits (the same
/// leads per week, so the same draws), and `start_month` alone changes nothing.
#[test]
fn flat_seasonality_and_start_month_alone_change_nothing() {
    let base = scenario(REFERENCE);
    let mut flat = base.clone();
    flat.leads.seasonality = Some([1.0; 12]);
    flat.start_month = Some(7);
    let mut start_only = base.clone();
    start_only.start_month = Some(3);
    let json = |s: &Scenario| summary(s, 300, 8).to_json_pretty();
    let want = json(&base);
    assert_eq!(json(&flat), want);
    assert_eq!(json(&start_only), want);
}
