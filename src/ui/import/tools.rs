//! What the calibration is for beyond the form: "What the data is worth"
//! (the counted rates drawn from their history against the same rates
//! known exactly) and the backtest (a forecast made in the past against
//! what was won since). Both run through `run::run`, on the workers.

use std::sync::Arc;

use funnel_engine::calibrate::Date;
use funnel_engine::calibrate::backtest::{self, Backtest};
use funnel_engine::calibrate::report::with_fixed_rates;
use funnel_engine::job::{Change, RunSpec};
use funnel_engine::{DEFAULT_SEED, DEFAULT_TRIALS};
use leptos::prelude::*;

use super::Counted;
use crate::calibration::{Spread, backtest_words, problem_words, worth_words};
use crate::format::percent;
use crate::run::{self, Stopped};

fn stopped_words(s: Stopped) -> String {
    match s {
        Stopped::Refused(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        _ => "The run was stopped.".into(),
    }
}

#[component]
pub fn Tools(counted: Arc<Counted>) -> impl IntoView {
    let generation = StoredValue::new(0u64);
    let (worth, set_worth) = signal(None::<Result<Vec<String>, String>>);
    let (worth_progress, set_worth_progress) = signal(None::<f64>);
    // The page's currency: "Use these numbers" keeps it.
    let currency = StoredValue::new(
        crate::ui::state::use_ctx()
            .parsed
            .with_untracked(|p| p.as_ref().map(|r| r.scenario.currency.clone()).ok())
            .unwrap_or_else(|| "USD".into()),
    );

    let scenario = counted.scenario.clone().ok();
    let run_worth = {
        let scenario = scenario.clone();
        move |_| {
            let Some(history) = scenario.clone() else {
                return;
            };
            let g = generation.get_value() + 1;
            generation.set_value(g);
            let current = move || generation.try_get_value() == Some(g);
            set_worth.set(None);
            set_worth_progress.set(Some(0.0));
            leptos::task::spawn_local(async move {
                let fixed = with_fixed_rates(&history);
                let mut spreads = Vec::new();
                for (i, s) in [&history, &fixed].into_iter().enumerate() {
                    let spec = RunSpec::new(s, DEFAULT_TRIALS, DEFAULT_SEED, Change::None);
                    match run::run(&spec, current, |done, total| {
                        set_worth_progress
                            .set(Some((i as f64 + done as f64 / total.max(1) as f64) / 2.0))
                    })
                    .await
                    {
                        Ok(chunk) => spreads.push(Spread::of(&chunk.revenue)),
                        Err(Stopped::Cancelled) => return,
                        Err(e) => {
                            set_worth_progress.set(None);
                            set_worth.set(Some(Err(stopped_words(e))));
                            return;
                        }
                    }
                }
                set_worth_progress.set(None);
                set_worth.set(Some(Ok(worth_words(
                    spreads[0],
                    spreads[1],
                    &currency.get_value(),
                ))));
            });
        }
    };

    // The backtest: an as-of date before the file's last one.
    let last = Date::parse_iso(&counted.report.as_of);
    let (months, set_months) = signal(3u32);
    let default_as_of = last
        .map(|d| Date(d.0 - 7 * funnel_engine::scenario::weeks_in(3) as i64).to_string())
        .unwrap_or_default();
    let (as_of, set_as_of) = signal(default_as_of);
    let (tested, set_tested) = signal(None::<Result<Backtest, Vec<String>>>);
    let (bt_progress, set_bt_progress) = signal(None::<f64>);
    let deals = counted.deals.clone();
    let run_backtest = move |_| {
        let Some(date) = Date::parse_iso(&as_of.get_untracked()) else {
            set_tested.set(Some(Err(vec!["Choose an as-of date (YYYY-MM-DD).".into()])));
            return;
        };
        let m = months.get_untracked();
        let plan = match backtest::plan(&deals, date, m) {
            Ok(p) => p,
            Err(ps) => {
                set_tested.set(Some(Err(ps.iter().map(problem_words).collect())));
                return;
            }
        };
        let g = generation.get_value() + 1;
        generation.set_value(g);
        let current = move || generation.try_get_value() == Some(g);
        set_tested.set(None);
        set_bt_progress.set(Some(0.0));
        leptos::task::spawn_local(async move {
            let spec = RunSpec::new(&plan.scenario, DEFAULT_TRIALS, DEFAULT_SEED, Change::None);
            let ran = run::run(&spec, current, |done, total| {
                set_bt_progress.set(Some(done as f64 / total.max(1) as f64))
            })
            .await;
            set_bt_progress.set(None);
            match ran {
                Ok(chunk) => set_tested.set(Some(Ok(backtest::judge(
                    date,
                    m,
                    &chunk.revenue,
                    plan.actual,
                )))),
                Err(Stopped::Cancelled) => {}
                Err(e) => set_tested.set(Some(Err(vec![stopped_words(e)]))),
            }
        });
    };

    view! {
        <div class="import-tools">
            <section class="import-worth" aria-labelledby="worth-title">
                <h3 id="worth-title">"What the data is worth"</h3>
                <p class="hint">
                    "The same forecast twice, 12 months of "
                    {crate::format::count(DEFAULT_TRIALS as f64)}
                    " trials: once with each rate drawn from its history of won and decided deals, once with the rates known exactly."
                </p>
                <button type="button" id="worth-run" class="secondary" disabled=scenario.is_none() on:click=run_worth>
                    "Compare"
                </button>
                {move || worth_progress.get().map(|f| view! { <progress max="1" value=f aria-label="Comparing"></progress> })}
                {move || worth.get().map(|w| match w {
                    Ok(lines) => view! {
                        <div id="worth-result" role="status">
                            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                })}
            </section>
            <section class="import-backtest" aria-labelledby="backtest-title">
                <h3 id="backtest-title">"Backtest"</h3>
                <p class="hint">
                    "Count only what was known on a past day, forecast from there, and see where what was actually won fell."
                </p>
                <div class="inline">
                    <label for="backtest-as-of">"Forecast made on"</label>
                    <input
                        type="date"
                        id="backtest-as-of"
                        prop:value=as_of
                        on:change:target=move |ev| set_as_of.set(ev.target().value())
                    />
                    <label for="backtest-months">"for months"</label>
                    <input
                        type="number"
                        id="backtest-months"
                        min="1"
                        max="60"
                        prop:value=move || months.get().to_string()
                        on:change:target=move |ev| {
                            if let Ok(m) = ev.target().value().parse::<u32>() {
                                set_months.set(m);
                            }
                        }
                    />
                    <button type="button" id="backtest-run" class="secondary" on:click=run_backtest>
                        "Run the backtest"
                    </button>
                </div>
                {move || bt_progress.get().map(|f| view! { <progress max="1" value=f aria-label="Backtesting"></progress> })}
                {move || tested.get().map(|t| match t {
                    Ok(b) => {
                        let words = backtest_words(&b, &currency.get_value());
                        let strip = crate::charts::leads::strip_layout(b.p10, b.p90, b.actual);
                        view! {
                            <div id="backtest-result" role="status" data-percentile=b.percentile data-actual=b.actual>
                                <p>{words}</p>
                                <svg class="backtest-strip" viewBox="0 0 360 36" width="100%" role="img"
                                    aria-label=format!("P10 to P90 of the forecast, the actual at the {} mark", percent(b.percentile / 100.0, 0))>
                                    <rect class="strip-band" x=strip.band.0 y="10" width=strip.band.1 - strip.band.0 height="12" />
                                    <line class="strip-actual" x1=strip.actual x2=strip.actual y1="4" y2="28" />
                                    <text class="tick-label" x=strip.band.0 y="34" text-anchor="middle">"P10"</text>
                                    <text class="tick-label" x=strip.band.1 y="34" text-anchor="middle">"P90"</text>
                                </svg>
                            </div>
                        }.into_any()
                    }
                    Err(lines) => view! {
                        <div class="import-problems" id="backtest-problems" role="alert">
                            <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any(),
                })}
            </section>
        </div>
    }
}
