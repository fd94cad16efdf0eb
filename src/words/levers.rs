//! The sensitivity analysis in plain words: each lever's values before and
//! after, the tornado's rows and caption, the biggest lever, what is left out
//! and why, progress.

use funnel_engine::levers::{Direction, Lever, LeverEffect, LeverKind, LeverRange, Omitted};

use crate::charts::{TornadoRow, TornadoSide};
use crate::format::{count, money, money_compact, percent, signed_points_words};

/// How many levers the tornado shows before "Show all".
pub const TOP_LEVERS: usize = 8;

/// One value of a lever's input as people read it: "50%", "12 days",
/// "1,000 a month", "$20K", "4 a week".
fn value(kind: &LeverKind, x: f64, currency: &str) -> String {
    match kind {
        LeverKind::Conversion { .. } => percent(x, if x < 0.1 { 1 } else { 0 }),
        LeverKind::Days { .. } => format!("{} days", one_decimal(x)),
        LeverKind::Leads => format!("{} a month", count(x)),
        LeverKind::DealSize => money(x, currency),
        LeverKind::Capacity { .. } => format!("{} a week", count(x)),
    }
}

fn one_decimal(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The lever's values before and after: "50% → 55%", "12 → 10.8 days".
pub fn from_to(lever: &Lever, currency: &str) -> String {
    let (a, b) = (
        value(&lever.kind, lever.from, currency),
        value(&lever.kind, lever.to, currency),
    );
    // The unit once, after the second number, where both share it.
    match lever.kind {
        LeverKind::Days { .. } | LeverKind::Leads | LeverKind::Capacity { .. } => {
            let unit_at = a.find(' ').unwrap_or(a.len());
            format!("{} → {b}", &a[..unit_at])
        }
        _ => format!("{a} → {b}"),
    }
}

/// The lever's move in words, as the subject of a sentence: "10% more of
/// its deals moving on (50% → 55%)".
pub fn change_words(lever: &Lever, currency: &str) -> String {
    let up = lever.direction == Direction::Up;
    let what = match lever.kind {
        LeverKind::Conversion { .. } if up => "10% more of its deals moving on",
        LeverKind::Conversion { .. } => "10% fewer of its deals moving on",
        LeverKind::Days { .. } if up => "10% more days there",
        LeverKind::Days { .. } => "10% fewer days there",
        LeverKind::Leads if up => "10% more leads",
        LeverKind::Leads => "10% fewer leads",
        LeverKind::DealSize if up => "deals 10% larger",
        LeverKind::DealSize => "deals 10% smaller",
        LeverKind::Capacity { .. } if up => "more capacity there",
        LeverKind::Capacity { .. } => "less capacity there",
    };
    format!("{what} ({})", from_to(lever, currency))
}

fn side(e: &LeverEffect, index: usize, currency: &str) -> TornadoSide {
    TornadoSide {
        index,
        change: e.lever.change.clone(),
        values: from_to(&e.lever, currency),
        delta: e.revenue_delta.mean,
        se: e.revenue_delta.se,
        probability_delta: e.probability_delta.map(|p| p.mean),
    }
}

/// The tornado's rows: one per lever, both ways, furthest reach first. Each
/// side's `index` points into `effects` (what selecting it applies).
pub fn tornado_rows(effects: &[LeverEffect], currency: &str) -> Vec<TornadoRow> {
    let index_of = |e: &LeverEffect| {
        effects
            .iter()
            .position(|x| x.lever.kind == e.lever.kind && x.lever.direction == e.lever.direction)
            .unwrap_or(0)
    };
    funnel_engine::levers::ranges(effects)
        .iter()
        .map(|r: &LeverRange| {
            let any = r.down.as_ref().or(r.up.as_ref());
            TornadoRow {
                lever: r.lever.clone(),
                now: any
                    .map(|e| format!("now {}", value(&r.kind, e.lever.from, currency)))
                    .unwrap_or_default(),
                down: r.down.as_ref().map(|e| side(e, index_of(e), currency)),
                up: r.up.as_ref().map(|e| side(e, index_of(e), currency)),
            }
        })
        .collect()
}

fn effect_words(e: &LeverEffect, currency: &str) -> String {
    let d = e.revenue_delta;
    let verb = if d.mean > 0.0 { "adds" } else { "costs" };
    format!(
        "{} {verb} about {}",
        change_words(&e.lever, currency),
        money_compact(d.mean.abs(), currency)
    )
}

/// "The biggest lever is Proposal conversion: 10% more of its deals moving on
/// (50% → 55%) adds about $49K on average and +3 points of chance of reaching
/// the target; 10% fewer (50% → 45%) costs about $48K." The side that moves
/// revenue more comes first. `effects` as the sweep gives them.
pub fn biggest_lever_sentence(effects: &[LeverEffect], currency: &str) -> Option<String> {
    let rows = funnel_engine::levers::ranges(effects);
    let top = rows.first()?;
    if !(top.reach().is_finite() && top.reach() > 0.0) {
        return Some("No lever changes mean revenue in this scenario.".into());
    }
    let mut sides: Vec<&LeverEffect> = [&top.down, &top.up].into_iter().flatten().collect();
    sides.sort_by(|a, b| {
        b.revenue_delta
            .mean
            .abs()
            .total_cmp(&a.revenue_delta.mean.abs())
    });
    let first = sides[0];
    let mut s = format!(
        "The biggest lever is {}: {}",
        top.lever,
        effect_words(first, currency)
    );
    let d = first.revenue_delta;
    if d.se.is_finite() && d.se > 0.0 {
        s.push_str(&format!(
            " (give or take {})",
            money_compact(2.0 * d.se, currency)
        ));
    }
    s.push_str(" on average");
    if let Some(p) = first.probability_delta.filter(|p| p.mean.is_finite()) {
        if (p.mean * 100.0).abs() < 0.05 {
            s.push_str(" and leaves the chance of reaching the target as it is");
        } else {
            s.push_str(&format!(
                " and {} of chance of reaching the target",
                signed_points_words(p.mean)
            ));
        }
    }
    if let Some(other) = sides.get(1).filter(|e| e.revenue_delta.mean.is_finite()) {
        s.push_str("; ");
        if other.revenue_delta.mean == 0.0 {
            s.push_str(&change_words(&other.lever, currency));
            s.push_str(" changes nothing");
        } else {
            s.push_str(&effect_words(other, currency));
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
            "Bars: change in mean revenue, with each input 10% lower and 10% higher. “chance”: change in the chance of reaching {}. Both {same}.",
            money_compact(t, currency)
        ),
        None => format!(
            "Bars: change in mean revenue, with each input 10% lower and 10% higher, {same}."
        ),
    }
}

/// Why some levers have no bar: "Not shown: Lead days (deals pass through it
/// in the week they arrive); Contract conversion +10% (its rate is already
/// 100%)." Each reason says why (most: the move cannot change any trial).
/// `None` when nothing is left out.
pub fn omitted_note(omitted: &[Omitted]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < omitted.len() {
        let o = &omitted[i];
        // Both ways for the same reason read as one entry.
        let both = omitted
            .get(i + 1)
            .is_some_and(|n| n.kind == o.kind && n.reason == o.reason);
        if both {
            parts.push(format!("{} ({})", o.lever, o.reason));
            i += 2;
        } else {
            let change = match o.direction {
                Direction::Down => "-10%",
                Direction::Up => "+10%",
            };
            parts.push(format!("{} {change} ({})", o.lever, o.reason));
            i += 1;
        }
    }
    (!parts.is_empty()).then(|| format!("Not shown: {}.", parts.join("; ")))
}

/// "Testing levers 4 of 20" (`done` levers finished).
pub fn levers_progress(done: usize, total: usize) -> String {
    format!("Testing levers {} of {total}", (done + 1).min(total.max(1)))
}

/// "Tested 12 levers, each both ways, on 10,000 trials each in 5.3 s."
/// `runs` is the number of lever moves run, `levers` the number of levers.
pub fn levers_done_note(levers: usize, runs: usize, trials: u64, elapsed_ms: f64) -> String {
    let ways = if runs == 2 * levers {
        ", each both ways,"
    } else {
        ""
    };
    format!(
        "Tested {levers} lever{}{ways} on {} trials a run in {:.1} s.",
        if levers == 1 { "" } else { "s" },
        count(trials as f64),
        elapsed_ms / 1000.0
    )
}

/// The what-if's name: "Proposal conversion +10% (50% → 55%)".
pub fn what_if_label(lever: &Lever, currency: &str) -> String {
    format!(
        "{} {} ({})",
        lever.lever,
        lever.change,
        from_to(lever, currency)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::reference;

    use funnel_engine::summary::MeanSe;
    use funnel_engine::{Simulation, levers};

    fn effect(kind: LeverKind, d: Direction, mean: f64, se: f64, p: Option<f64>) -> LeverEffect {
        let mut s = reference();
        s.stages[2].capacity_per_week = Some(4);
        let lever = Lever::all(&s)
            .into_iter()
            .find(|l| l.kind == kind && l.direction == d)
            .unwrap();
        LeverEffect {
            lever,
            revenue_delta: MeanSe { mean, se },
            probability_delta: p.map(|mean| MeanSe { mean, se: 0.001 }),
        }
    }

    #[test]
    fn biggest_lever_in_words_both_ways() {
        let up = effect(
            LeverKind::Conversion { stage: 0 },
            Direction::Up,
            753_000.0,
            3_000.0,
            Some(0.2),
        );
        let down = effect(
            LeverKind::Conversion { stage: 0 },
            Direction::Down,
            -740_000.0,
            3_000.0,
            Some(-0.2),
        );
        assert_eq!(
            biggest_lever_sentence(&[down.clone(), up.clone()], "USD").unwrap(),
            "The biggest lever is Lead conversion: 10% more of its deals moving on (30% → 33%) adds about $753K (give or take $6K) on average and +20 points of chance of reaching the target; 10% fewer of its deals moving on (30% → 27%) costs about $740K."
        );
        let leads = effect(LeverKind::Leads, Direction::Down, -120_000.0, 0.0, None);
        assert_eq!(
            biggest_lever_sentence(&[leads], "EUR").unwrap(),
            "The biggest lever is Lead volume: 10% fewer leads (1,000 → 900 a month) costs about €120K on average."
        );
        let days = effect(
            LeverKind::Days { stage: 3 },
            Direction::Down,
            5_000.0,
            100.0,
            Some(0.0001),
        );
        assert_eq!(
            biggest_lever_sentence(&[days], "USD").unwrap(),
            "The biggest lever is Proposal days: 10% fewer days there (12 → 10.8 days) adds about $5K (give or take $200) on average and leaves the chance of reaching the target as it is."
        );
        let none = effect(LeverKind::DealSize, Direction::Up, 0.0, 0.0, None);
        assert_eq!(
            biggest_lever_sentence(&[none], "USD").unwrap(),
            "No lever changes mean revenue in this scenario."
        );
        assert_eq!(biggest_lever_sentence(&[], "USD"), None);
    }

    #[test]
    fn every_row_has_both_ways_and_its_values() {
        let effects = [
            effect(
                LeverKind::Capacity { stage: 2 },
                Direction::Down,
                -9.0,
                1.0,
                None,
            ),
            effect(
                LeverKind::Conversion { stage: 1 },
                Direction::Up,
                10.0,
                1.0,
                Some(0.01),
            ),
            effect(
                LeverKind::Conversion { stage: 1 },
                Direction::Down,
                -11.0,
                1.0,
                Some(-0.01),
            ),
            effect(
                LeverKind::Capacity { stage: 2 },
                Direction::Up,
                3.0,
                1.0,
                None,
            ),
        ];
        let rows = tornado_rows(&effects, "USD");
        assert_eq!(rows.len(), 2);
        let q = &rows[0];
        assert_eq!(
            (q.lever.as_str(), q.now.as_str()),
            ("Qualified conversion", "now 45%")
        );
        let (down, up) = (q.down.as_ref().unwrap(), q.up.as_ref().unwrap());
        assert_eq!(
            (down.change.as_str(), down.values.as_str()),
            ("-10%", "45% → 41%")
        );
        assert_eq!(
            (up.change.as_str(), up.values.as_str()),
            ("+10%", "45% → 50%")
        );
        assert_eq!(
            (up.delta, up.se, up.probability_delta),
            (10.0, 1.0, Some(0.01))
        );
        // Each side points at its own effect.
        assert_eq!((down.index, up.index), (2, 1));
        let cap = &rows[1];
        assert_eq!(cap.now, "now 4 a week");
        assert_eq!(cap.down.as_ref().unwrap().values, "4 → 3 a week");
        assert_eq!(cap.up.as_ref().unwrap().values, "4 → 5 a week");
        assert_eq!(
            what_if_label(&effects[0].lever, "USD"),
            "Discovery capacity -10% (4 → 3 a week)"
        );
    }

    #[test]
    fn what_is_left_out_says_why() {
        let s = reference();
        let note = omitted_note(&Lever::omitted(&s)).unwrap();
        assert_eq!(
            note,
            "Not shown: Lead days (the model moves deals a week at a time, so 10% more or fewer than 5 days is still one week); Contract days (the model moves deals a week at a time, so 10% more or fewer than 5 days is still one week)."
        );
        assert_eq!(omitted_note(&[]), None);
    }

    #[test]
    fn captions_and_progress() {
        let c = lever_caption(10_000, Some(5e6), "USD");
        assert!(
            c.starts_with("Bars: change in mean revenue, with each input 10% lower and 10% higher"),
            "{c}"
        );
        assert!(
            c.contains("“chance”: change in the chance of reaching $5M"),
            "{c}"
        );
        assert!(c.contains("same 10,000 trials and random numbers"), "{c}");
        assert!(!lever_caption(500, None, "USD").contains("chance of reaching"));
        assert_eq!(levers_progress(3, 20), "Testing levers 4 of 20");
        assert_eq!(levers_progress(20, 20), "Testing levers 20 of 20");
        assert_eq!(
            levers_done_note(12, 24, 10_000, 5_321.0),
            "Tested 12 levers, each both ways, on 10,000 trials a run in 5.3 s."
        );
        assert_eq!(
            levers_done_note(1, 1, 500, 100.0),
            "Tested 1 lever on 500 trials a run in 0.1 s."
        );
    }

    #[test]
    fn real_sensitivity_reads_well() {
        let s = reference();
        let sim = Simulation::new(&s, 2_000, 1).unwrap();
        let base = sim.run_all();
        let effects = levers::sensitivity(&s, &base, 2_000, 1).unwrap();
        let rows = tornado_rows(&effects, "USD");
        let sentence = biggest_lever_sentence(&effects, "USD").unwrap();
        assert!(
            sentence.starts_with(&format!("The biggest lever is {}: ", rows[0].lever)),
            "{sentence}"
        );
        assert!(sentence.contains(" adds about $"), "{sentence}");
        assert!(sentence.contains("; "), "both ways: {sentence}");
        assert!(sentence.contains(" costs about $"), "{sentence}");
        // Every side of every row is one of the effects, once.
        let mut seen: Vec<usize> = rows
            .iter()
            .flat_map(|r| [&r.down, &r.up])
            .flatten()
            .map(|s| s.index)
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..effects.len()).collect::<Vec<_>>());
    }
}
