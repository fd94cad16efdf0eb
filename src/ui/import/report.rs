//! The calibration report, before anything changes: per stage what was
//! counted, the deal size, leads per month with the fitted growth, the
//! warnings; "Use these numbers" and Undo.

use std::sync::Arc;

use funnel_engine::calibrate::report::FEW_DECIDED;
use leptos::prelude::*;

use super::{Counted, ImportState};
use crate::charts::leads::{LeadsChart, MonthIn};
use crate::format::{count, money, percent};
use crate::ui::state::use_ctx;

fn days(x: f64) -> String {
    format!("{:.1}", x)
}

#[component]
pub fn ReportView(counted: Arc<Counted>, state: ImportState) -> impl IntoView {
    let ctx = use_ctx();
    let r = &counted.report;
    let currency = ctx
        .parsed
        .with_untracked(|p| p.as_ref().map(|r| r.scenario.currency.clone()).ok())
        .unwrap_or_else(|| "USD".into());
    let deals = r.deals;
    let rows = r
        .stages
        .iter()
        .map(|s| {
            let rate = s.rate.map_or("—".to_string(), |p| percent(p, 1));
            let interval = format!(
                "{} to {}",
                percent(s.interval[0], 1),
                percent(s.interval[1], 1)
            );
            let few = s.few.then(|| {
                view! {
                    <span class="import-few" title="Few decided deals: the rate is uncertain">
                        {format!(" ⚠ fewer than {FEW_DECIDED} decided")}
                    </span>
                }
            });
            view! {
                <tr data-stage=s.name.clone()>
                    <th scope="row">{s.name.clone()}</th>
                    <td>{count(s.entered as f64)}</td>
                    <td>{count(s.advanced as f64)}</td>
                    <td>{count(s.lost as f64)}</td>
                    <td>{count(s.open as f64)}</td>
                    <td class="import-rate" data-won=s.won data-of=s.of>
                        {rate}
                        <span class="import-interval">{interval}</span>
                        {few}
                    </td>
                    <td>{days(s.days_mean)}</td>
                    <td>{s.days_median.map_or("not yet".to_string(), days)}</td>
                </tr>
            }
        })
        .collect_view();
    let size = match &r.deal_size {
        Some(d) => format!(
            "Won deals are worth {} at the median and {} at the 90th percentile ({} won deals with an amount).",
            money(d.median, &currency),
            money(d.p90, &currency),
            count(d.count as f64)
        ),
        None => "No won deal has an amount: the deal size cannot be counted.".into(),
    };
    let growth = percent(r.leads.growth_per_month, 1);
    let leads_line = format!(
        "About {} new deals a month at the start of the forecast, growing {growth} a month (fitted on {} full months).",
        count(r.leads.per_month.round()),
        r.leads.months.len()
    );
    let months: Vec<MonthIn> = r
        .leads
        .months
        .iter()
        .map(|m| MonthIn {
            month: m.month.clone(),
            leads: m.leads,
            fitted: m.fitted,
        })
        .collect();
    let warnings = r
        .warnings
        .iter()
        .map(|w| {
            let text = w.to_string();
            let mut c = text.chars();
            let text: String = c
                .next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default();
            view! { <li>{text}</li> }
        })
        .collect_view();
    let scenario = counted.scenario.clone();
    let problems = scenario.as_ref().err().cloned();
    let can_apply = scenario.is_ok();
    let use_numbers = move |_| {
        if let Ok(s) = &scenario {
            super::apply(ctx, state, s);
        }
    };
    view! {
        <div class="import-report" id="import-report">
            <h3>"What the file says"</h3>
            <p id="import-summary">
                {format!(
                    "{} deals counted as of {}, {} of them won.",
                    count(deals as f64),
                    crate::calibration::date_words(&r.as_of),
                    count(r.won as f64)
                )}
            </p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="import-stage-caption">
                <table class="import-stages-table" id="import-stage-table">
                    <caption id="import-stage-caption">"Per stage: deals counted, the conversion (90% interval below it), days in the stage"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Stage"</th>
                            <th scope="col">"Entered"</th>
                            <th scope="col">"Moved on"</th>
                            <th scope="col">"Lost"</th>
                            <th scope="col">"Open"</th>
                            <th scope="col">"Conversion"</th>
                            <th scope="col">"Days, mean"</th>
                            <th scope="col">"Median"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="hint">
                "Open deals count in no rate: they have not been decided yet. "
                "The conversion is won of decided; the forecast draws it from that history, so a short history shows as a wider forecast."
            </p>
            <p id="import-deal-size">{size}</p>
            <p id="import-leads">{leads_line}</p>
            {(!months.is_empty()).then(|| view! { <LeadsChart months=months growth=growth.clone() /> })}
            {(!r.warnings.is_empty()).then(|| view! {
                <div class="import-warnings" id="import-warnings">
                    <h4>"Worth knowing"</h4>
                    <ul>{warnings}</ul>
                </div>
            })}
            {problems.map(|p| view! {
                <div class="import-problems" role="alert">
                    <ul>{p.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="import-actions">
                <button type="button" id="import-apply" disabled=!can_apply on:click=use_numbers>
                    "Use these numbers"
                </button>
                <Show when=move || state.before.with(Option::is_some)>
                    <button type="button" id="import-undo" class="secondary" on:click=move |_| super::undo(ctx, state)>
                        "Undo"
                    </button>
                    <span class="hint" role="status">
                        "The form's leads, stages and deal size are the counted ones; the team, plans and target stay."
                    </span>
                </Show>
            </div>
        </div>
    }
}
