//! The incentive plans compared: a verdict per plan, the side-by-side table
//! (cards on narrow screens), each plan's difference from the first with its
//! noise, the finance sentence on average attainment, and three charts.

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::{Distribution, DistributionChart, PayoutCurve, PayoutCurveChart};
use crate::jobs::headline::{CHART_TRIALS, Forecast};
use crate::words::plans;

#[component]
pub fn PlanResults(forecast: Arc<Forecast>) -> impl IntoView {
    let s = &forecast.summary;
    let scenario = &forecast.run.scenario;
    let team = scenario.team.filter(|_| !s.plans.is_empty())?;
    let c = s.currency.clone();
    let first = s.plans[0].name.clone();
    let rows = plans::plan_rows(s);
    let deltas = plans::delta_rows(s);
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

            <div class="table-wrap" tabindex="0" role="region" aria-label="Plans side by side">
                <table id="plan-table" class="cards" role="table">
                    <caption>"Plans side by side (per trial, over the horizon)"</caption>
                    <thead role="rowgroup">
                        <tr role="row">
                            <th scope="col" role="columnheader">"Plan"</th>
                            <th scope="col" role="columnheader" class="num">"Revenue (average)"</th>
                            <th scope="col" role="columnheader" class="num">"Comp cost P10"</th>
                            <th scope="col" role="columnheader" class="num">"Comp cost P50"</th>
                            <th scope="col" role="columnheader" class="num">"Comp cost P90"</th>
                            <th scope="col" role="columnheader" class="num">"Net revenue (average)"</th>
                            <th scope="col" role="columnheader" class="num">"Cost of sales"</th>
                            <th scope="col" role="columnheader" class="num">"Reps at quota"</th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">
                        {rows
                            .into_iter()
                            .map(|r| view! {
                                <tr role="row">
                                    <th scope="row" role="rowheader">{r.name}</th>
                                    <td role="cell" class="num" data-label="Revenue (average)">{r.revenue}</td>
                                    <td role="cell" class="num" data-label="Comp cost P10">{r.comp_p10}</td>
                                    <td role="cell" class="num" data-label="Comp cost P50">{r.comp_p50}</td>
                                    <td role="cell" class="num" data-label="Comp cost P90">{r.comp_p90}</td>
                                    <td role="cell" class="num" data-label="Net revenue (average)">{r.net}</td>
                                    <td role="cell" class="num" data-label="Cost of sales">{r.cost_of_sales}</td>
                                    <td role="cell" class="num" data-label="Reps at quota">{r.at_quota}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="muted small">
                "Comp cost: commission, quota bonuses and SPIF over the horizon. Cost of sales: comp cost as a share of revenue. "
                "Reps at quota: the average share of reps whose bookings reach their quota."
            </p>

            {several.then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Difference from the first plan">
                    <table id="plan-deltas" class="cards" role="table">
                        <caption>{format!("Difference from {first} (average, ± twice its standard error)")}</caption>
                        <thead role="rowgroup">
                            <tr role="row">
                                <th scope="col" role="columnheader">"Plan"</th>
                                <th scope="col" role="columnheader" class="num">"Revenue"</th>
                                <th scope="col" role="columnheader" class="num">"Comp cost"</th>
                                <th scope="col" role="columnheader" class="num">"Net revenue"</th>
                                <th scope="col" role="columnheader">"Beyond noise?"</th>
                            </tr>
                        </thead>
                        <tbody role="rowgroup">
                            {deltas
                                .into_iter()
                                .map(|d| view! {
                                    <tr role="row">
                                        <th scope="row" role="rowheader">{d.name}</th>
                                        <td role="cell" class="num" data-label="Revenue">{d.revenue}</td>
                                        <td role="cell" class="num" data-label="Comp cost">{d.comp_cost}</td>
                                        <td role="cell" class="num" data-label="Net revenue">{d.net}</td>
                                        <td role="cell" data-label="Beyond noise?">
                                            {if d.clear { "Yes" } else { "No, within noise" }}
                                        </td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
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
