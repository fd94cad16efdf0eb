//! The incentive plans compared: a verdict per plan, the side-by-side table
//! (cards on narrow screens), each plan's difference from the first with its
//! Monte Carlo error, the finance sentence on average attainment, and three charts.

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::{Distribution, DistributionChart, PayoutCurve, PayoutCurveChart};
use crate::jobs::headline::{CHART_TRIALS, Forecast};
use crate::ui::results::table::{Column, DataTable, Row};
use crate::words::plans;

const PLAN_COLUMNS: &[Column] = &[
    Column::text("Plan"),
    Column::num("Revenue (average)"),
    Column::num("Comp cost (average)"),
    Column::num("Comp cost P10"),
    Column::num("Comp cost P50"),
    Column::num("Comp cost P90"),
    Column::num("Net revenue (average)"),
    Column::num("Cost of sales"),
    Column::num("Reps at quota"),
];

const DELTA_COLUMNS: &[Column] = &[
    Column::text("Plan"),
    Column::num("Revenue"),
    Column::num("Comp cost"),
    Column::num("Net revenue"),
    Column::text("Larger than the simulation's own error?"),
];

#[component]
pub fn PlanResults(forecast: Arc<Forecast>) -> impl IntoView {
    let s = &forecast.summary;
    let scenario = &forecast.run.scenario;
    let team = scenario.team.filter(|_| !s.plans.is_empty())?;
    let c = s.currency.clone();
    let first = s.plans[0].name.clone();
    let rows = plans::plan_rows(s)
        .into_iter()
        .map(|r| {
            let cells = vec![
                r.revenue,
                r.comp_mean,
                r.comp_p10,
                r.comp_p50,
                r.comp_p90,
                r.net,
                r.cost_of_sales,
                r.at_quota,
            ];
            Row::new(r.name, cells)
        })
        .collect();
    let deltas = plans::delta_rows(s)
        .into_iter()
        .map(|d| {
            let clear = if d.clear {
                "Yes"
            } else {
                "No, within the simulation's own error"
            };
            Row::new(d.name, vec![d.revenue, d.comp_cost, d.net, clear.into()])
        })
        .collect();
    let verdicts: Vec<(usize, String, bool)> = (0..s.plans.len())
        .filter_map(|k| {
            let clear = k > 0 && plans::is_clear(s.plans[k].delta_vs_first.net_revenue);
            plans::verdict(s, k).map(|v| (k, v, clear))
        })
        .collect();
    let gaps: Vec<(String, String)> = s
        .plans
        .iter()
        .zip(&scenario.plans)
        .filter_map(|(summary, plan)| {
            plans::cost_gap_sentence(summary, &team, plan, &c)
                .map(|text| (summary.name.clone(), text))
        })
        .collect();
    let curves: Vec<PayoutCurve> = s
        .plans
        .iter()
        .map(|p| PayoutCurve {
            name: p.name.clone(),
            points: p
                .payout_curve
                .iter()
                .map(|pt| (pt.attainment, pt.payout))
                .collect(),
        })
        .collect();
    let costs: Vec<Distribution> = s
        .plans
        .iter()
        .zip(forecast.plans())
        .map(|(p, samples)| Distribution {
            name: p.name.clone(),
            values: samples.comp_cost[..samples.comp_cost.len().min(CHART_TRIALS)].to_vec(),
        })
        .collect();
    let attainment: Vec<Distribution> = s
        .plans
        .iter()
        .zip(forecast.plans())
        .map(|(p, samples)| Distribution {
            name: p.name.clone(),
            values: samples.attainment.clone(),
        })
        .collect();
    let quota_sentence = plans::quota_sentence(s);
    let several = s.plans.len() > 1;
    let no_marker: Option<(f64, String)> = None;
    let no_currency: Option<String> = None;

    Some(view! {
        <section class="panel plans-panel" id="plan-comparison" aria-labelledby="plans-title">
            <h3 id="plans-title">"Incentive plans compared"</h3>
            <p class="muted">
                "Every plan runs on the same simulated futures, so the differences come from the plans, not from chance. "
                "Revenue differs between plans only through the effect you assumed for each."
            </p>
            <ul class="verdicts" id="plan-verdicts">
                {verdicts
                    .into_iter()
                    .map(|(k, text, clear)| view! {
                        <li class="verdict" class:clear=clear data-plan=k>{text}</li>
                    })
                    .collect_view()}
            </ul>

            <DataTable
                label="Plans side by side"
                id="plan-table"
                caption="Plans side by side (per trial, over the horizon)"
                columns=PLAN_COLUMNS
                rows=rows
                cards=true
            />
            <p class="muted small">
                "Comp cost: commission, quota bonuses and SPIF over the horizon. Cost of sales: comp cost as a share of revenue. "
                "Reps at quota: the average share of reps whose bookings reach their quota. "
                "P10, P50, P90: the comp cost that 1, 5 and 9 trials in 10 stay below; the verdicts and differences use the average."
            </p>

            {several.then(|| view! {
                <DataTable
                    label="Difference from the first plan"
                    id="plan-deltas"
                    caption=format!("Difference from {first} (average; ± the simulation's own error, twice its standard error)")
                    columns=DELTA_COLUMNS
                    rows=deltas
                    cards=true
                />
            })}

            {(!gaps.is_empty()).then(|| view! {
                <div class="cost-gaps" id="cost-gaps">
                    <h4>"Average attainment is not average cost"</h4>
                    <ul>
                        {gaps
                            .into_iter()
                            .map(|(name, text)| view! {
                                <li><strong>{format!("{name}: ")}</strong>{text}</li>
                            })
                            .collect_view()}
                    </ul>
                </div>
            })}

            <h4 class="chart-heading">"What each plan pays one rep"</h4>
            <p class="muted">"Pay for one rep over the horizon by how much of their quota they close; steps are bonuses and retroactive tiers."</p>
            <PayoutCurveChart curves=curves quota=team.quota currency=c.clone() />

            <h4 class="chart-heading">"What the plans could cost"</h4>
            <p class="muted">"Total comp cost in each trial: how often each plan would cost that much."</p>
            <DistributionChart
                series=costs
                currency=Some(c.clone())
                marker=no_marker
                x_label="Comp cost over the horizon"
            />

            <h4 class="chart-heading">"How reps’ attainment spreads"</h4>
            <p class="quota-share" id="quota-share">{quota_sentence}</p>
            <DistributionChart
                series=attainment
                currency=no_currency
                marker=Some((1.0, "Quota".to_owned()))
                x_label="Attainment (bookings ÷ quota), every rep of every trial"
            />
        </section>
    })
}
