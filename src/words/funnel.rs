//! Where the funnel is pressed or leaks, in plain words: capacity and
//! drop-off tables, the bottleneck and biggest-leak sentences.

use funnel_engine::Summary;
use funnel_engine::levers::Leak;

use crate::format::{about_deals, count, deal_count, money, money_compact, percent};
use crate::words::levers::from_to;

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
            "; {} are waiting there at the end",
            about_deals(c.waiting_at_horizon)
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

/// Where fewer lost deals would pay most (`levers::biggest_leak`), in words:
/// "The biggest leak is Negotiation: if 10% more of its deals moved on (70% →
/// 77%), revenue would be about $486K higher on average, more than at any
/// other stage." When the next stage pays about as much (within the
/// simulation's give or take), both are named.
pub fn leak_sentence(leak: &Leak, stages: &[String], currency: &str) -> String {
    let name = |i: usize| stages.get(i).map_or("?", String::as_str);
    let gain =
        |e: &funnel_engine::levers::LeverEffect| money_compact(e.revenue_delta.mean, currency);
    match &leak.tied_with {
        None => format!(
            "The biggest leak is {}: if 10% more of its deals moved on ({}), revenue would be about {} higher on average, more than at any other stage.",
            name(leak.stage),
            from_to(&leak.effect.lever, currency),
            gain(&leak.effect)
        ),
        Some(next) => {
            let other = match next.lever.kind {
                funnel_engine::levers::LeverKind::Conversion { stage } => name(stage),
                _ => "?",
            };
            format!(
                "{} and {other} leak about the same: 10% more of the deals moving on at either would add about {} and {} on average, a difference within the simulation's give or take.",
                name(leak.stage),
                gain(&leak.effect),
                gain(next)
            )
        }
    }
}

/// One row of the table of deals still open at the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenRow {
    pub stage: String,
    pub deals: String,
    pub value: String,
    pub weighted: String,
}

/// Deals still open at the horizon by stage, and the total row.
pub fn open_at_horizon(summary: &Summary) -> (Vec<OpenRow>, OpenRow) {
    let c = summary.currency.as_str();
    let rows = summary
        .stages
        .iter()
        .map(|s| OpenRow {
            stage: s.name.clone(),
            deals: deal_count(s.open_end.mean),
            value: money(s.open_end_value, c),
            weighted: money(s.open_end_weighted_value, c),
        })
        .collect();
    let sum = |f: fn(&funnel_engine::summary::StageSummary) -> f64| {
        summary.stages.iter().map(f).sum::<f64>()
    };
    let total = OpenRow {
        stage: "Total".into(),
        deals: deal_count(sum(|s| s.open_end.mean)),
        value: money(sum(|s| s.open_end_value), c),
        weighted: money(sum(|s| s.open_end_weighted_value), c),
    };
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::{reference, summary};

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
    fn names_the_stage_where_fewer_losses_pay_most() {
        let s = reference();
        let sim = funnel_engine::Simulation::new(&s, 1_000, 1).unwrap();
        let base = sim.run_all();
        let effects = funnel_engine::levers::sensitivity(&s, &base, 1_000, 1).unwrap();
        let leak = funnel_engine::levers::biggest_leak(&effects).unwrap();
        let names: Vec<String> = s.stages.iter().map(|st| st.name.clone()).collect();
        let sentence = leak_sentence(&leak, &names, "USD");
        let named = &names[leak.stage];
        assert!(
            sentence.starts_with(&format!(
                "The biggest leak is {named}: if 10% more of its deals moved on ("
            )) || sentence.starts_with(&format!("{named} and ")),
            "{sentence}"
        );
        assert!(
            sentence.contains(&money_compact(leak.effect.revenue_delta.mean, "USD")),
            "{sentence}"
        );
        // A tie names both.
        let mut tied = leak.clone();
        let other = effects
            .iter()
            .find(|e| {
                e.lever.direction == funnel_engine::levers::Direction::Up
                    && e.lever.kind == funnel_engine::levers::LeverKind::Conversion { stage: 1 }
            })
            .unwrap();
        tied.tied_with = Some(other.clone());
        let sentence = leak_sentence(&tied, &names, "USD");
        assert!(
            sentence.starts_with(&format!("{named} and Qualified leak about the same: ")),
            "{sentence}"
        );
    }

    #[test]
    fn open_at_horizon_totals() {
        let s = summary(&reference(), 1_000);
        let (rows, total) = open_at_horizon(&s);
        assert_eq!(rows.len(), s.stages.len());
        assert_eq!(total.stage, "Total");
        assert!(total.value.starts_with('$'));
    }
}
