//! The sensitivity analysis in plain words: each lever's change, the
//! tornado's rows and caption, the biggest lever, progress.

use funnel_engine::levers::{Lever, LeverEffect, LeverKind};

use crate::charts::TornadoRow;
use crate::format::{count, money_compact, signed_points_words};

/// The change with its unit, as written on the lever's bar: "+5 pts",
/// "+10% rate" (relative), "-10% days", "+10% leads", "+10% value", "+10% deals/wk".
pub fn bar_change(lever: &Lever) -> String {
    let what = match lever.kind {
        LeverKind::ConversionPoints { .. } => return lever.change.clone(),
        LeverKind::ConversionRelative { .. } => "rate",
        LeverKind::Days { .. } => "days",
        LeverKind::Leads => "leads",
        LeverKind::DealSize => "value",
        LeverKind::Capacity { .. } => "deals/wk",
    };
    format!("{} {what}", lever.change)
}

/// The lever's change in words, as the subject of a sentence: "+5 points
/// there", "cutting its days by 10%", "raising lead volume by 10%".
pub fn change_words(lever: &Lever) -> String {
    match lever.kind {
        LeverKind::ConversionPoints { .. } => "+5 points there".into(),
        LeverKind::ConversionRelative { .. } => "raising it by 10% of its rate".into(),
        LeverKind::Days { .. } => "cutting its days by 10%".into(),
        LeverKind::Leads => "raising it by 10%".into(),
        LeverKind::DealSize => "raising every deal's value by 10%".into(),
        LeverKind::Capacity { .. } => "raising it by 10% (at least one more deal a week)".into(),
    }
}

/// The tornado's rows, in the order given (the engine's ranking).
pub fn tornado_rows(effects: &[LeverEffect]) -> Vec<TornadoRow> {
    effects
        .iter()
        .map(|e| TornadoRow {
            lever: e.lever.lever.clone(),
            change: bar_change(&e.lever),
            delta: e.revenue_delta.mean,
            se: e.revenue_delta.se,
            probability_delta: e.probability_delta.map(|p| p.mean),
        })
        .collect()
}

/// "The biggest lever is Lead conversion: +5 points there adds about $753K
/// (±$6K) on average and +20 points of chance of reaching the target."
/// `effects` ranked, largest first.
pub fn biggest_lever_sentence(effects: &[LeverEffect], currency: &str) -> Option<String> {
    let top = effects.first()?;
    let d = top.revenue_delta;
    if !(d.mean.is_finite() && d.mean != 0.0) {
        return Some("No lever changes mean revenue in this scenario.".into());
    }
    let verb = if d.mean > 0.0 { "adds" } else { "costs" };
    let mut s = format!(
        "The biggest lever is {}: {} {verb} about {}",
        top.lever.lever,
        change_words(&top.lever),
        money_compact(d.mean.abs(), currency)
    );
    if d.se.is_finite() && d.se > 0.0 {
        s.push_str(&format!(" (±{})", money_compact(2.0 * d.se, currency)));
    }
    s.push_str(" on average");
    if let Some(p) = top.probability_delta.filter(|p| p.mean.is_finite()) {
        if (p.mean * 100.0).abs() < 0.05 {
            s.push_str(" and leaves the chance of reaching the target as it is");
        } else {
            s.push_str(&format!(
                " and {} of chance of reaching the target",
                signed_points_words(p.mean)
            ));
        }
    }
    s.push('.');
    Some(s)
}

/// What each number of the tornado answers, in one line.
pub fn lever_caption(trials: u64, target: Option<f64>, currency: &str) -> String {
    let same = format!(
        "on the same {} trials and random numbers as the forecast",
        count(trials as f64)
    );
    match target {
        Some(t) => format!(
            "Bars: change in mean revenue. “chance”: change in the chance of reaching {}. Both {same}.",
            money_compact(t, currency)
        ),
        None => format!("Bars: change in mean revenue, {same}."),
    }
}

/// "Testing levers 4 of 20" (`done` levers finished).
pub fn levers_progress(done: usize, total: usize) -> String {
    format!("Testing levers {} of {total}", (done + 1).min(total.max(1)))
}

/// "Tested 20 levers on 10,000 trials each in 5.3 s."
pub fn levers_done_note(levers: usize, trials: u64, elapsed_ms: f64) -> String {
    format!(
        "Tested {levers} lever{} on {} trials each in {:.1} s.",
        if levers == 1 { "" } else { "s" },
        count(trials as f64),
        elapsed_ms / 1000.0
    )
}

/// The what-if's name: "Lead conversion +5 pts".
pub fn what_if_label(lever: &Lever) -> String {
    format!("{} {}", lever.lever, bar_change(lever))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::reference;

    use funnel_engine::levers::{Lever, LeverEffect, LeverKind};

    use funnel_engine::summary::MeanSe;
    use funnel_engine::{Simulation, levers};

    fn effect(kind: LeverKind, mean: f64, se: f64, p: Option<f64>) -> LeverEffect {
        let s = reference();
        let lever = Lever::all(&s).into_iter().find(|l| l.kind == kind).unwrap();
        LeverEffect {
            lever,
            revenue_delta: MeanSe { mean, se },
            probability_delta: p.map(|mean| MeanSe { mean, se: 0.001 }),
        }
    }

    #[test]
    fn biggest_lever_in_words() {
        let e = effect(
            LeverKind::ConversionPoints { stage: 0 },
            753_000.0,
            3_000.0,
            Some(0.2),
        );
        assert_eq!(
            biggest_lever_sentence(&[e], "USD").unwrap(),
            "The biggest lever is Lead conversion: +5 points there adds about $753K (±$6K) on average and +20 points of chance of reaching the target."
        );
        let e = effect(LeverKind::Leads, 120_000.0, 0.0, None);
        assert_eq!(
            biggest_lever_sentence(&[e], "EUR").unwrap(),
            "The biggest lever is Lead volume: raising it by 10% adds about €120K on average."
        );
        let e = effect(LeverKind::Days { stage: 3 }, 5_000.0, 100.0, Some(0.0001));
        assert_eq!(
            biggest_lever_sentence(&[e], "USD").unwrap(),
            "The biggest lever is Proposal days: cutting its days by 10% adds about $5K (±$200) on average and leaves the chance of reaching the target as it is."
        );
        let e = effect(LeverKind::DealSize, 0.0, 0.0, None);
        assert_eq!(
            biggest_lever_sentence(&[e], "USD").unwrap(),
            "No lever changes mean revenue in this scenario."
        );
        assert_eq!(biggest_lever_sentence(&[], "USD"), None);
    }

    #[test]
    fn every_bar_says_its_unit() {
        let mut s = reference();
        s.stages[2].capacity_per_week = Some(4);
        let changes: Vec<String> = Lever::all(&s).iter().map(bar_change).collect();
        for expected in [
            "+5 pts",
            "+10% rate",
            "-10% days",
            "+10% leads",
            "+10% value",
            "+10% deals/wk",
        ] {
            assert!(
                changes.iter().any(|c| c == expected),
                "{expected}: {changes:?}"
            );
        }
        let e = effect(
            LeverKind::ConversionRelative { stage: 1 },
            10.0,
            1.0,
            Some(0.01),
        );
        let rows = tornado_rows(&[e]);
        assert_eq!(rows[0].lever, "Qualified conversion");
        assert_eq!(rows[0].change, "+10% rate");
        assert_eq!((rows[0].delta, rows[0].se), (10.0, 1.0));
        assert_eq!(rows[0].probability_delta, Some(0.01));
    }

    #[test]
    fn captions_and_progress() {
        let c = lever_caption(10_000, Some(5e6), "USD");
        assert!(c.starts_with("Bars: change in mean revenue"), "{c}");
        assert!(
            c.contains("“chance”: change in the chance of reaching $5M"),
            "{c}"
        );
        assert!(c.contains("same 10,000 trials and random numbers"), "{c}");
        assert!(!lever_caption(500, None, "USD").contains("chance of reaching"));
        assert_eq!(levers_progress(3, 20), "Testing levers 4 of 20");
        assert_eq!(levers_progress(20, 20), "Testing levers 20 of 20");
        assert_eq!(
            levers_done_note(20, 10_000, 5_321.0),
            "Tested 20 levers on 10,000 trials each in 5.3 s."
        );
    }

    #[test]
    fn real_sensitivity_reads_well() {
        let s = reference();
        let sim = Simulation::new(&s, 2_000, 1).unwrap();
        let base = sim.run_all();
        let effects = levers::sensitivity(&s, &base, 2_000, 1).unwrap();
        let sentence = biggest_lever_sentence(&effects, "USD").unwrap();
        assert!(
            sentence.starts_with(&format!(
                "The biggest lever is {}: ",
                effects[0].lever.lever
            )),
            "{sentence}"
        );
        assert!(sentence.contains(" adds about $"), "{sentence}");
        assert!(
            sentence.contains("of chance of reaching the target."),
            "{sentence}"
        );
    }
}
