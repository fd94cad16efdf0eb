//! Bottlenecks, levers and goals in plain words: the sentences, captions and
//! table rows the page shows for stage capacity, drop-off, milestones,
//! velocity and coverage, the sensitivity analysis and the reverse funnel.
//! No browser here, so all of it is tested natively.

use funnel_engine::goal::{GoalAnswer, GoalLever};
use funnel_engine::levers::{Lever, LeverEffect, LeverKind};
use funnel_engine::summary::TargetSummary;
use funnel_engine::{Scenario, Summary};

use crate::charts::{MilestoneMark, TornadoRow};
use crate::format::{count, money, money_compact, percent};
use crate::insights::{chance_error, deal_count, deals};

// ---------- levers ----------

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

/// A change in a share as signed points: 0.2 -> "+20 points", 0.062 ->
/// "+6.2 points", -0.004 -> "-0.4 points".
pub fn signed_points_words(share: f64) -> String {
    let v = share * 100.0;
    if !v.is_finite() {
        return crate::format::MISSING.to_string();
    }
    let r = if v.abs() >= 9.95 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    };
    let text = format!("{:.1}", r.abs());
    let text = text.strip_suffix(".0").unwrap_or(&text);
    let sign = if r > 0.0 {
        "+"
    } else if r < 0.0 {
        "-"
    } else {
        ""
    };
    let unit = if text == "1" { "point" } else { "points" };
    format!("{sign}{text} {unit}")
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

// ---------- capacity and drop-off ----------

/// "Discovery is the bottleneck: its team is at capacity in 96% of weeks,
/// whatever its conversion rate." Only when a capacity is the limit.
pub fn bottleneck_sentence(summary: &Summary) -> Option<String> {
    let b = summary.bottleneck.as_ref()?;
    if b.reason != "capacity" {
        return None;
    }
    let mut s = format!(
        "{} is the bottleneck: its team is at capacity in {} of weeks, whatever its conversion rate",
        b.name,
        percent(b.weeks_full, 0)
    );
    if let Some(c) = summary
        .stages
        .get(b.stage)
        .and_then(|st| st.capacity.as_ref())
        .filter(|c| c.waiting_at_horizon >= 0.5)
    {
        s.push_str(&format!(
            "; about {} are waiting there at the end",
            deals(c.waiting_at_horizon)
        ));
    }
    s.push('.');
    Some(s)
}

/// One row of the capacity table.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityRow {
    pub stage: String,
    pub per_week: String,
    pub utilisation: String,
    pub weeks_full: String,
    pub waiting: String,
    pub bottleneck: bool,
}

/// Each stage with a capacity: how hard it is pressed.
pub fn capacity_rows(summary: &Summary) -> Vec<CapacityRow> {
    let bottleneck = summary
        .bottleneck
        .as_ref()
        .filter(|b| b.reason == "capacity")
        .map(|b| b.stage);
    summary
        .stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let c = s.capacity.as_ref()?;
            Some(CapacityRow {
                stage: s.name.clone(),
                per_week: count(c.per_week as f64),
                utilisation: percent(c.utilisation, 0),
                weeks_full: percent(c.weeks_full, 0),
                waiting: deal_count(c.waiting_at_horizon),
                bottleneck: bottleneck == Some(i),
            })
        })
        .collect()
}

/// One row of the drop-off table.
#[derive(Clone, Debug, PartialEq)]
pub struct DropRow {
    pub stage: String,
    pub lost: String,
    pub share: String,
    pub value: String,
}

/// Deals lost at each stage: how many, their share of all losses, and what
/// they would have been worth at the later stages' usual rates; and the total.
pub fn dropoff_rows(summary: &Summary) -> (Vec<DropRow>, DropRow) {
    let c = summary.currency.as_str();
    let all: f64 = summary.stages.iter().map(|s| s.lost.mean).sum();
    let share = |x: f64| {
        if all > 0.0 {
            percent(x / all, 1)
        } else {
            percent(0.0, 1)
        }
    };
    let rows = summary
        .stages
        .iter()
        .map(|s| DropRow {
            stage: s.name.clone(),
            lost: deal_count(s.lost.mean),
            share: share(s.lost.mean),
            value: money(s.lost_value, c),
        })
        .collect();
    let total = DropRow {
        stage: "All stages".into(),
        lost: deal_count(all),
        share: if all > 0.0 {
            percent(1.0, 1)
        } else {
            percent(0.0, 1)
        },
        value: money(summary.stages.iter().map(|s| s.lost_value).sum(), c),
    };
    (rows, total)
}

// ---------- milestones ----------

/// One row of the milestone table.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneRow {
    pub month: String,
    pub revenue: String,
    pub chance: String,
    pub error: String,
}

pub fn milestone_rows(summary: &Summary) -> Vec<MilestoneRow> {
    summary
        .milestones
        .iter()
        .map(|m| {
            let t = TargetSummary {
                revenue: m.revenue,
                probability: m.probability,
                probability_se: m.probability_se,
            };
            MilestoneRow {
                month: format!("End of month {}", m.month),
                revenue: money(m.revenue, &summary.currency),
                chance: percent(m.probability, 1),
                error: chance_error(&t),
            }
        })
        .collect()
}

/// The milestones as the pipeline chart marks them.
pub fn milestone_marks(summary: &Summary) -> Vec<MilestoneMark> {
    summary
        .milestones
        .iter()
        .map(|m| MilestoneMark {
            month: m.month as usize,
            revenue: m.revenue,
            probability: m.probability,
        })
        .collect()
}

// ---------- velocity and coverage ----------

/// A ratio as a multiple: 0.771 -> "0.77×", 1.24 -> "1.2×", 12.4 -> "12×".
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        return crate::format::MISSING.to_string();
    }
    if x < 0.995 {
        format!("{x:.2}×")
    } else if x < 9.95 {
        format!("{x:.1}×")
    } else {
        format!("{}×", count(x))
    }
}

/// "$8.9K a day", or `None` without open deals.
pub fn velocity_value(summary: &Summary) -> Option<String> {
    let v = summary.pipeline.velocity_per_day?;
    Some(format!(
        "{} a day",
        money_compact(v.mean, &summary.currency)
    ))
}

/// "Sales velocity: your open pipeline turns into about $8.9K of revenue a
/// day (open deals × win rate × average deal ÷ cycle length)."
pub fn velocity_sentence(summary: &Summary) -> String {
    let c = &summary.currency;
    match summary.pipeline.velocity_per_day {
        Some(v) => format!(
            "Sales velocity: your open pipeline turns into about {} of revenue a day (open deals × win rate × average deal ÷ cycle length: {} × {} × {} ÷ {} days).",
            money_compact(v.mean, c),
            count(summary.pipeline.open_deals as f64),
            percent(win_rate(summary), 1),
            money_compact(summary.deal_value_mean, c),
            count(summary.pipeline.cycle_days)
        ),
        None if summary.pipeline.open_deals == 0 => {
            "Sales velocity: no deals are open today, so there is no pipeline to turn into revenue yet.".into()
        }
        None => "Sales velocity: every stage takes 0 days, so the pipeline has no cycle length to measure.".into(),
    }
}

/// The win rate of the open pipeline at mean rates: weighted value / value.
fn win_rate(summary: &Summary) -> f64 {
    let p = &summary.pipeline;
    if p.value > 0.0 {
        p.weighted_value.mean / p.value
    } else {
        0.0
    }
}

/// "8 in 10 trials: $7.1K to $10.6K a day."
pub fn velocity_range(summary: &Summary) -> Option<String> {
    let v = summary.pipeline.velocity_per_day?;
    let c = &summary.currency;
    Some(format!(
        "P10 to P90: {} to {} a day.",
        money_compact(v.p10, c),
        money_compact(v.p90, c)
    ))
}

/// "0.77×" (open pipeline / target), or `None` without a target.
pub fn coverage_value(summary: &Summary) -> Option<String> {
    Some(ratio(summary.pipeline.coverage?))
}

/// "Pipeline coverage: open pipeline is 0.77× the target; weighted by each
/// deal's chance of closing, 0.10×."
pub fn coverage_sentence(summary: &Summary) -> String {
    let p = &summary.pipeline;
    match (p.coverage, p.weighted_coverage) {
        (Some(c), Some(w)) => format!(
            "Pipeline coverage: open pipeline is {} the target; weighted by each deal's chance of closing, {}.",
            ratio(c),
            ratio(w.mean)
        ),
        _ => {
            "Pipeline coverage: set a revenue target above 0 to compare the open pipeline with it."
                .into()
        }
    }
}

/// "Weighted 0.10×; P10 to P90: 0.08× to 0.12×."
pub fn coverage_range(summary: &Summary) -> Option<String> {
    let w = summary.pipeline.weighted_coverage?;
    Some(format!(
        "Weighted {}; P10 to P90: {} to {}.",
        ratio(w.mean),
        ratio(w.p10),
        ratio(w.p90)
    ))
}

// ---------- goals ----------

/// The goal levers the panel offers: lead volume, then each stage's conversion.
pub fn goal_options(stage_names: &[String]) -> Vec<(String, String)> {
    let mut options = vec![("leads".to_string(), "Lead volume per month".to_string())];
    for (i, name) in stage_names.iter().enumerate() {
        let name = name.trim();
        let name = if name.is_empty() {
            format!("stage {}", i + 1)
        } else {
            name.to_string()
        };
        options.push((format!("conversion:{i}"), format!("Conversion at {name}")));
    }
    options
}

/// Reads an option key back (`None` for a stage that is gone).
pub fn goal_lever(key: &str, stages: usize) -> Option<GoalLever> {
    if key == "leads" {
        return Some(GoalLever::Leads);
    }
    let stage: usize = key.strip_prefix("conversion:")?.parse().ok()?;
    (stage < stages).then_some(GoalLever::Conversion { stage })
}

pub const MSG_CONFIDENCE: &str = "Enter a percentage above 0 and below 100, e.g. 80";

/// The required confidence, typed in percent: "80" -> 0.8.
pub fn parse_confidence(text: &str) -> Result<f64, String> {
    match crate::draft::parse_number(text, true) {
        Some(x) if x > 0.0 && x < 100.0 => {
            crate::draft::parse_percent(text).ok_or_else(|| MSG_CONFIDENCE.to_string())
        }
        _ => Err(MSG_CONFIDENCE.to_string()),
    }
}

/// A goal value as people read it: "1,235 leads a month", "41.3%".
pub fn goal_value(lever: &GoalLever, x: f64) -> String {
    match lever {
        GoalLever::Leads => format!("{} leads a month", count(x.ceil())),
        GoalLever::Conversion { .. } => percent(x, 1),
    }
}

fn goal_what(lever: &GoalLever, scenario: &Scenario) -> String {
    match *lever {
        GoalLever::Leads => "lead volume".into(),
        GoalLever::Conversion { stage } => format!(
            "conversion at {}",
            scenario
                .stages
                .get(stage)
                .map_or("the stage", |s| s.name.as_str())
        ),
    }
}

/// The answer in words, with money and percentages: "To reach $5,000,000
/// with 80% confidence you need about 1,235 leads a month (today: 1,000 leads
/// a month); there the chance is 80.1% (± 0.4 pts)."
pub fn goal_sentence(answer: &GoalAnswer, scenario: &Scenario) -> String {
    let c = scenario.currency.as_str();
    let target = scenario.target.as_ref().map_or(0.0, |t| t.revenue);
    let confidence = percent(answer.confidence, 0);
    let what = goal_what(&answer.lever, scenario);
    let shown = answer.applied_value();
    let value = goal_value(&answer.lever, shown);
    let chance = TargetSummary {
        revenue: target,
        probability: answer.probability,
        probability_se: answer.probability_se,
    };
    let error = chance_error(&chance);
    let chance = if error.starts_with('(') {
        format!("{} {error}", percent(answer.probability, 1))
    } else {
        format!("{} ({error})", percent(answer.probability, 1))
    };
    if !answer.reachable {
        let bound = match answer.lever {
            GoalLever::Leads => format!("{} leads a month", count(answer.value)),
            GoalLever::Conversion { .. } => percent(answer.value, 0),
        };
        return format!(
            "No {what} up to {bound} reaches {} with {confidence} confidence: even there the chance is {chance}.",
            money(target, c)
        );
    }
    let today = goal_value(&answer.lever, answer.current);
    if answer.value <= answer.current {
        return format!(
            "You already have enough: {what} of about {value} reaches {} with {confidence} confidence (today: {today}); there the chance is {chance}.",
            money(target, c)
        );
    }
    let need = match answer.lever {
        GoalLever::Leads => format!("about {value}"),
        GoalLever::Conversion { .. } => format!("{what} of about {value}"),
    };
    format!(
        "To reach {} with {confidence} confidence you need {need} (today: {today}); there the chance is {chance}.",
        money(target, c)
    )
}

/// "Trying 1,234 leads a month (3 of about 16)".
pub fn goal_progress(lever: &GoalLever, trying: f64, tried: usize, estimate: usize) -> String {
    format!(
        "Trying {} ({} of about {})",
        goal_value(lever, trying),
        tried + 1,
        estimate.max(tried + 1)
    )
}

/// The what-if's name: "Lead volume 1,235 a month", "Lead conversion 41.3%".
pub fn goal_what_if_label(answer: &GoalAnswer, scenario: &Scenario) -> String {
    let v = answer.applied_value();
    match answer.lever {
        GoalLever::Leads => format!("Lead volume {} a month", count(v)),
        GoalLever::Conversion { stage } => format!(
            "{} conversion {}",
            scenario
                .stages
                .get(stage)
                .map_or("Stage", |s| s.name.as_str()),
            percent(v, 1)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::summary::MeanSe;
    use funnel_engine::{Simulation, levers};

    fn scenario(json: &str) -> Scenario {
        Scenario::from_json(json).unwrap()
    }

    fn summary(s: &Scenario, trials: u64) -> Summary {
        let sim = Simulation::new(s, trials, 1).unwrap();
        Summary::new(&sim, &sim.run_all())
    }

    fn reference() -> Scenario {
        scenario(include_str!("../scenarios/reference.json"))
    }

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
        assert_eq!(signed_points_words(0.062), "+6.2 points");
        assert_eq!(signed_points_words(-0.01), "-1 point");
        assert_eq!(signed_points_words(0.0), "0 points");
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

    #[test]
    fn capacity_bottleneck_is_named() {
        let mut s = reference();
        s.stages[2].capacity_per_week = Some(2);
        let sum = summary(&s, 300);
        let sentence = bottleneck_sentence(&sum).unwrap();
        assert!(
            sentence.starts_with("Discovery is the bottleneck: its team is at capacity in "),
            "{sentence}"
        );
        assert!(
            sentence.contains("% of weeks, whatever its conversion rate"),
            "{sentence}"
        );
        let rows = capacity_rows(&sum);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].stage, "Discovery");
        assert_eq!(rows[0].per_week, "2");
        assert!(rows[0].bottleneck);
        assert!(rows[0].utilisation.ends_with('%'));

        // Without capacity there is no bottleneck sentence (the leak sentence stands).
        let plain = summary(&reference(), 300);
        assert_eq!(bottleneck_sentence(&plain), None);
        assert!(capacity_rows(&plain).is_empty());
        // A generous capacity is listed but is not the bottleneck.
        let mut s = reference();
        s.stages[2].capacity_per_week = Some(1000);
        let roomy = summary(&s, 200);
        assert_eq!(bottleneck_sentence(&roomy), None);
        assert!(!capacity_rows(&roomy)[0].bottleneck);
        assert_eq!(capacity_rows(&roomy)[0].weeks_full, "0%");
    }

    #[test]
    fn dropoff_shares_add_up() {
        let sum = summary(&reference(), 500);
        let (rows, total) = dropoff_rows(&sum);
        assert_eq!(rows.len(), 6);
        assert_eq!(total.share, "100.0%");
        let shares: f64 = sum.stages.iter().map(|s| s.lost.mean).sum();
        let lead = sum.stages[0].lost.mean / shares;
        assert_eq!(rows[0].share, percent(lead, 1));
        assert_eq!(rows[0].value, money(sum.stages[0].lost_value, "USD"));
        assert!(total.value.starts_with('$'));
    }

    #[test]
    fn milestones_rows_and_marks() {
        let mut s = reference();
        s.target.as_mut().unwrap().milestones = vec![
            funnel_engine::scenario::Milestone {
                month: 3,
                revenue: 500_000.0,
            },
            funnel_engine::scenario::Milestone {
                month: 6,
                revenue: 1_800_000.0,
            },
        ];
        let sum = summary(&s, 400);
        let rows = milestone_rows(&sum);
        assert_eq!(rows[0].month, "End of month 3");
        assert_eq!(rows[0].revenue, "$500,000");
        assert!(rows[1].chance.ends_with('%'));
        let marks = milestone_marks(&sum);
        assert_eq!(marks.len(), 2);
        assert_eq!((marks[1].month, marks[1].revenue), (6, 1_800_000.0));
        assert_eq!(marks[0].probability, sum.milestones[0].probability);
    }

    #[test]
    fn velocity_and_coverage_sentences() {
        let sum = summary(&reference(), 1_000);
        let v = velocity_sentence(&sum);
        assert!(
            v.starts_with("Sales velocity: your open pipeline turns into about $"),
            "{v}"
        );
        assert!(
            v.contains(
                " of revenue a day (open deals × win rate × average deal ÷ cycle length: 249 × "
            ),
            "{v}"
        );
        assert!(v.ends_with(" ÷ 55 days)."), "{v}");
        let c = coverage_sentence(&sum);
        assert!(
            c.starts_with("Pipeline coverage: open pipeline is 0."),
            "{c}"
        );
        assert!(c.contains("× the target; weighted by each deal's chance of closing, 0."));
        assert!(velocity_range(&sum).unwrap().starts_with("P10 to P90: $"));
        assert!(coverage_range(&sum).unwrap().starts_with("Weighted 0.1"));
        assert_eq!(coverage_value(&sum).unwrap(), "0.77×");
        assert_eq!(ratio(0.771), "0.77×");
        assert_eq!(ratio(1.24), "1.2×");
        assert_eq!(ratio(12.4), "12×");

        let mut s = reference();
        s.target = None;
        for st in &mut s.stages {
            st.open = 0;
        }
        let none = summary(&s, 100);
        assert!(velocity_sentence(&none).contains("no deals are open today"));
        assert!(coverage_sentence(&none).contains("set a revenue target"));
        assert_eq!(coverage_value(&none), None);
        assert_eq!(velocity_value(&none), None);
    }

    #[test]
    fn goal_choices_and_confidence() {
        let names = vec!["Lead".to_string(), " ".to_string()];
        let options = goal_options(&names);
        assert_eq!(options[0], ("leads".into(), "Lead volume per month".into()));
        assert_eq!(options[2].1, "Conversion at stage 2");
        assert_eq!(goal_lever("leads", 2), Some(GoalLever::Leads));
        assert_eq!(
            goal_lever("conversion:1", 2),
            Some(GoalLever::Conversion { stage: 1 })
        );
        assert_eq!(goal_lever("conversion:2", 2), None);
        assert_eq!(parse_confidence("80"), Ok(0.8));
        assert_eq!(parse_confidence("95 %"), Ok(0.95));
        assert!(parse_confidence("100").is_err());
        assert!(parse_confidence("0").is_err());
        assert!(parse_confidence("lots").is_err());
    }

    #[test]
    fn goal_answers_in_words() {
        let s = reference();
        let answer = |lever, value, current, reachable| GoalAnswer {
            lever,
            confidence: 0.8,
            reachable,
            value,
            probability: 0.801,
            probability_se: 0.004,
            current,
            message: String::new(),
        };
        assert_eq!(
            goal_sentence(&answer(GoalLever::Leads, 1234.2, 1000.0, true), &s),
            "To reach $5,000,000 with 80% confidence you need about 1,235 leads a month (today: 1,000 leads a month); there the chance is 80.1% (± 0.4 pts)."
        );
        assert_eq!(
            goal_sentence(
                &answer(GoalLever::Conversion { stage: 0 }, 0.41234, 0.3, true),
                &s
            ),
            "To reach $5,000,000 with 80% confidence you need conversion at Lead of about 41.3% (today: 30.0%); there the chance is 80.1% (± 0.4 pts)."
        );
        assert_eq!(
            goal_sentence(&answer(GoalLever::Leads, 20_000.0, 1000.0, false), &s),
            "No lead volume up to 20,000 leads a month reaches $5,000,000 with 80% confidence: even there the chance is 80.1% (± 0.4 pts)."
        );
        assert!(
            goal_sentence(&answer(GoalLever::Leads, 800.0, 1000.0, true), &s).starts_with(
                "You already have enough: lead volume of about 800 leads a month reaches $5,000,000"
            )
        );
        assert_eq!(
            goal_what_if_label(
                &answer(GoalLever::Conversion { stage: 0 }, 0.41234, 0.3, true),
                &s
            ),
            "Lead conversion 41.3%"
        );
        assert_eq!(
            goal_progress(&GoalLever::Leads, 1234.5, 2, 16),
            "Trying 1,235 leads a month (3 of about 16)"
        );
    }
}
