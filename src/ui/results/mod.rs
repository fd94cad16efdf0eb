//! The results: plain words first, then the charts, then the statistics one
//! click away. Old results stay on screen, marked, while new ones compute or
//! while the inputs have errors.

pub mod capacity;
pub mod goal;
pub mod levers;
pub mod milestones;
pub mod plans;
pub mod table;
pub mod velocity;
pub mod what_if;

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::{FunnelChart, FunnelRow, MonthBand, PipelineChart, RevenueHistogram};
use crate::form::field_label;
use crate::format;
use crate::format::{count, money, money_compact, percent};
use crate::jobs::headline::Forecast;
use crate::ui::help::Help;
use crate::ui::results::table::{Column, DataTable, Row};
use crate::ui::state::{Phase, use_ctx};
use crate::words::{funnel, headline};

#[component]
pub fn Results() -> impl IntoView {
    let ctx = use_ctx();
    // Results are "current" when they were computed from exactly the inputs shown.
    let current = Memo::new(move |_| {
        ctx.results.with(
            |r| match (r, ctx.parsed.with(|p| p.as_ref().ok().cloned())) {
                (Some(o), Some(run)) => o.run == run,
                _ => false,
            },
        )
    });
    let invalid = Memo::new(move |_| ctx.parsed.with(Result::is_err));
    let stale = move || !current.get() && ctx.results.with(Option::is_some);
    let kind = Memo::new(move |_| phase_name(&ctx.phase.get()));

    view! {
        <section class="results" aria-labelledby="results-title">
            <div class="results-head">
                <h2 id="results-title" tabindex="-1">"Forecast"</h2>
                <Status />
            </div>
            <Help />
            <p class="sr-only" role="status" aria-live="polite" id="announce">
                {move || ctx.announce.get()}
            </p>
            <div
                id="results"
                class="results-body"
                class:stale=stale
                class:invalid=move || invalid.get()
                aria-busy=move || if matches!(kind.get(), "running" | "waiting") { "true" } else { "false" }
            >
                {move || match ctx.results.get() {
                    None => view! { <p class="placeholder">"Running the first simulation…"</p> }.into_any(),
                    Some(forecast) => view! { <ResultsBody forecast=forecast /> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Progress, Stop, and what the results on screen are for.
#[component]
fn Status() -> impl IntoView {
    let ctx = use_ctx();
    let problems = Memo::new(move |_| {
        let errors = ctx.errors.get();
        ctx.draft.with(|d| {
            errors
                .iter()
                .map(|e| {
                    (
                        crate::form::field_id(&e.path),
                        format!("{}: {}", field_label(&e.path, d), e.message),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let has_results = move || ctx.results.with(Option::is_some);
    // What is shown changes with the kind of phase only; progress updates in place
    // (rebuilding the Stop button on every chunk would lose its focus).
    let kind = Memo::new(move |_| phase_name(&ctx.phase.get()));
    let progress = Memo::new(move |_| match ctx.phase.get() {
        Phase::Running { done, total } => (done, total),
        _ => (0, 0),
    });
    let share = move || {
        let (done, total) = progress.get();
        if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        }
    };

    // Where the runs went, for tests and for the note below.
    let workers = move || ctx.runner.get().map(|r| r.workers.to_string());
    let fallback = move || ctx.runner.get().map(|r| r.fallback.to_string());
    let on_page = move || ctx.runner.get().is_some_and(|r| r.fallback);

    view! {
        <div class="status" id="status" data-phase=move || kind.get() data-workers=workers data-fallback=fallback>
            <Show when=on_page>
                <p class="muted" id="fallback-note">
                    "Running on the page itself: this browser did not start background workers."
                </p>
            </Show>
            {move || match kind.get() {
                "running" => {
                    view! {
                        <div class="progress-row">
                            <label for="progress">
                                {move || {
                                    let (done, total) = progress.get();
                                    format!("Simulating… {} of {} trials", count(done as f64), count(total as f64))
                                }}
                            </label>
                            <progress id="progress" max="1" prop:value=share>{move || percent(share(), 0)}</progress>
                            <button type="button" id="stop" class="secondary" on:click=move |_| ctx.stop()>
                                "Stop"
                            </button>
                        </div>
                    }
                        .into_any()
                }
                "waiting" => view! { <p class="muted">"Updating in a moment…"</p> }.into_any(),
                "stopped" => view! {
                    <div class="progress-row">
                        <p>"Stopped. The results below are for earlier inputs."</p>
                        <button type="button" id="run" on:click=move |_| ctx.run_now()>
                            "Run now"
                        </button>
                    </div>
                }
                    .into_any(),
                "invalid" | "failed" => view! {
                    <div class="stale-note" id="stale-note">
                        <p>
                            <strong>
                                {move || if has_results() {
                                    "These results are for your last valid inputs."
                                } else {
                                    "Fix the inputs below to see results."
                                }}
                            </strong>
                            {move || {
                                let n = problems.with(Vec::len);
                                if n == 1 { " One field needs attention:".to_owned() } else { format!(" {n} fields need attention:") }
                            }}
                        </p>
                        <ul class="problems">
                            {move || {
                                problems
                                    .get()
                                    .into_iter()
                                    .map(|(id, text)| {
                                        let target = id.clone();
                                        view! {
                                            <li>
                                                <button type="button" class="link" on:click=move |_| crate::browser::focus(&target)>
                                                    {text}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                    </div>
                }
                    .into_any(),
                _ => view! {
                    <p class="muted" id="done-note">
                        {move || ctx.results.with(|r| r.as_ref().map(|o| {
                            format!(
                                "{} trials with random numbers {}, in {:.1} s.",
                                count(o.summary.trials as f64),
                                o.summary.seed,
                                o.elapsed_ms / 1000.0
                            )
                        }))}
                    </p>
                }
                    .into_any(),
            }}
        </div>
    }
}

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Idle => "done",
        Phase::Waiting => "waiting",
        Phase::Running { .. } => "running",
        Phase::Stopped => "stopped",
        Phase::Invalid => "invalid",
        Phase::Failed => "failed",
    }
}

#[component]
fn ResultsBody(forecast: Arc<Forecast>) -> impl IntoView {
    let s = &forecast.summary;
    let c = s.currency.clone();
    let target = s.target.clone();
    // The biggest leak comes from the lever sweep, which runs after the
    // forecast: until it is done for this forecast, nothing is marked.
    let levers = crate::ui::state::levers::use_levers();
    let leak = {
        let run = forecast.run.clone();
        Memo::new(move |_| {
            levers.results.with(|r| {
                r.as_ref()
                    .filter(|r| r.run == run)
                    .map(|r| funnel_engine::levers::biggest_leak(&r.effects))
            })
        })
    };
    let stage_names: Vec<String> = s.stages.iter().map(|st| st.name.clone()).collect();
    let rows: Vec<FunnelRow> = s
        .stages
        .iter()
        .map(|st| FunnelRow {
            name: st.name.clone(),
            entered: st.entered.mean,
            advanced: st.advanced.mean,
            lost: st.lost.mean,
            // The chart words a stage no deal left ("no deals left"), never NaN.
            conversion: st.conversion.unwrap_or(f64::NAN),
            lost_value: st.lost_value,
        })
        .collect();
    let months: Vec<MonthBand> = s
        .months
        .iter()
        .map(|m| MonthBand {
            month: m.month,
            p10: m.cumulative.p10,
            p50: m.cumulative.p50,
            p90: m.cumulative.p90,
            mean: m.cumulative.mean,
        })
        .collect();
    let (open_rows, open_total) = funnel::open_at_horizon(s);
    let horizon = headline::horizon_words(s.horizon_months);
    let target_revenue = target.as_ref().map(|t| t.revenue);

    view! {
        <div class="headline" id="headline">
            <p class="lead">
                "Expected revenue " {horizon.clone()} ": "
                <strong id="mean-revenue">{money(s.revenue.mean, &c)}</strong>
                " on average; half the trials land above "
                <strong id="median-revenue">{money(s.revenue.p50, &c)}</strong> "."
            </p>
            <ul class="key-figures">
                <li class="figure">
                    <span class="figure-label">"Likely range (P10 to P90)"</span>
                    <span class="figure-value" id="range">
                        {format!("{} – {}", money_compact(s.revenue.p10, &c), money_compact(s.revenue.p90, &c))}
                    </span>
                    <span class="figure-note" id="range-sentence">{headline::range_sentence(s)}</span>
                </li>
                {target.as_ref().map(|t| view! {
                    <li class="figure">
                        <span class="figure-label">{format!("Chance of reaching {}", money(t.revenue, &c))}</span>
                        <span class="figure-value" id="target-chance">{headline::chance(t)}</span>
                        <span class="figure-note" id="target-error" title=headline::chance_error_detail(t)>
                            {headline::chance_give_or_take(t)}
                        </span>
                    </li>
                })}
                <li class="figure">
                    <span class="figure-label">"Deals won"</span>
                    <span class="figure-value" id="deals-won">{format::deal_count(s.won.mean)}</span>
                    <span class="figure-note">
                        {format!("expected, {}; each worth {} on average", horizon, money(s.deal_value_mean, &c))}
                    </span>
                </li>
            </ul>
        </div>

        <section class="panel" aria-labelledby="dist-title">
            <h3 id="dist-title">"How revenue could turn out"</h3>
            <p class="muted">
                "Each bar counts the trials that ended with that much revenue. "
                "The middle line is the median (P50); the outer lines are P10 and P90."
            </p>
            <RevenueHistogram
                revenue=forecast.revenue_sample().to_vec()
                trials=s.trials
                target=target_revenue
                p10=s.revenue.p10
                p50=s.revenue.p50
                p90=s.revenue.p90
                currency=c.clone()
            />
        </section>

        <section class="panel" aria-labelledby="funnel-title">
            <h3 id="funnel-title">"The funnel: where deals go"</h3>
            <crate::ui::results::capacity::BottleneckSentence forecast=forecast.clone() />
            <p class="leak" id="leak-sentence">
                {
                    let c = c.clone();
                    move || match leak.get() {
                        Some(Some(l)) => funnel::leak_sentence(&l, &stage_names, &c),
                        Some(None) => "No stage's better rate would add revenue in this scenario.".to_owned(),
                        None => "The biggest leak, the stage where fewer lost deals would add the most revenue, is named once the levers below are tested.".to_owned(),
                    }
                }
            </p>
            {
                let c = c.clone();
                move || {
                    let stage = leak.get().flatten().map(|l| l.stage);
                    view! { <FunnelChart rows=rows.clone() leak=stage currency=c.clone() /> }
                }
            }
            <crate::ui::results::capacity::CapacityTable forecast=forecast.clone() />
            <crate::ui::results::capacity::DropoffTable forecast=forecast.clone() />
        </section>

        <section class="panel" aria-labelledby="pipeline-title">
            <h3 id="pipeline-title">"The pipeline over time"</h3>
            <p class="muted">
                "Revenue won so far, month by month. The line is the median; the band holds 8 in 10 trials"
                {target_revenue.map(|t| format!("; the dashed line is the {} target", money_compact(t, &c)))}
                "."
            </p>
            <PipelineChart
                months=months
                target=target_revenue
                currency=c.clone()
                milestones=crate::words::milestones::milestone_marks(s)
                start_month=forecast.run.scenario.start_month
            />
            <crate::ui::results::milestones::MilestoneTable forecast=forecast.clone() />
            <DataTable
                label="Deals still open at the horizon, by stage"
                id="open-at-horizon"
                caption=format!("Deals still open at the end of month {}", s.horizon_months)
                columns=OPEN_COLUMNS
                rows=open_rows.into_iter().map(open_row).collect()
                total=open_row(open_total)
            />
            <p class="muted small">
                "Deals: open at the end, on average. Value: those deals at the average deal size. Weighted: value times the chance of winning them from their stage."
            </p>
        </section>

        <crate::ui::results::velocity::PipelineHealth forecast=forecast.clone() />

        <crate::ui::results::plans::PlanResults forecast=forecast.clone() />

        <details class="panel stats" id="statistics">
            <summary>"All statistics"</summary>
            <StatsTable forecast=forecast.clone() />
        </details>
    }
}

const OPEN_COLUMNS: &[Column] = &[
    Column::text("Stage"),
    Column::num("Deals"),
    Column::num("Value"),
    Column::num("Weighted"),
];

fn open_row(r: funnel::OpenRow) -> Row {
    Row::new(r.stage, vec![r.deals, r.value, r.weighted])
}

const STATS_COLUMNS: &[Column] = &[
    Column::text("Statistic"),
    Column::num("Revenue"),
    Column::num("Deals won"),
];

const STAGE_STATS_COLUMNS: &[Column] = &[
    Column::text("Stage"),
    Column::num("Entered"),
    Column::num("Moved on"),
    Column::num("Lost"),
    Column::num("Conversion"),
    Column::num("Lost value"),
];

#[component]
fn StatsTable(forecast: Arc<Forecast>) -> impl IntoView {
    let s = &forecast.summary;
    let c = s.currency.clone();
    let r = &s.revenue;
    let w = &s.won;
    let rows: Vec<(&str, String, String)> = vec![
        ("Mean", money(r.mean, &c), format!("{:.1}", w.mean)),
        (
            "Standard error of the mean",
            money(r.mean_se, &c),
            format!("{:.2}", w.mean_se),
        ),
        (
            "Standard deviation",
            money(r.sd, &c),
            format!("{:.1}", w.sd),
        ),
        ("Minimum", money(r.min, &c), count(w.min)),
        ("P5", money(r.p5, &c), count(w.p5)),
        ("P10", money(r.p10, &c), count(w.p10)),
        ("P25", money(r.p25, &c), count(w.p25)),
        ("P50 (median)", money(r.p50, &c), count(w.p50)),
        ("P75", money(r.p75, &c), count(w.p75)),
        ("P90", money(r.p90, &c), count(w.p90)),
        ("P95", money(r.p95, &c), count(w.p95)),
        ("Maximum", money(r.max, &c), count(w.max)),
    ];
    let rows = rows
        .into_iter()
        .map(|(name, rev, won)| Row::new(name, vec![rev, won]))
        .collect();
    let stages = s
        .stages
        .iter()
        .map(|st| {
            Row::new(
                st.name.clone(),
                vec![
                    format::deal_count(st.entered.mean),
                    format::deal_count(st.advanced.mean),
                    format::deal_count(st.lost.mean),
                    headline::stage_conversion(st.conversion),
                    money(st.lost_value, &c),
                ],
            )
        })
        .collect();
    view! {
        <DataTable
            label="Revenue and deals won: statistics"
            caption=format!(
                "Over {} trials (random numbers {}, the seed), {} weeks",
                count(s.trials as f64),
                s.seed,
                s.weeks
            )
            columns=STATS_COLUMNS
            rows=rows
        />
        <DataTable
            label="Funnel by stage: statistics"
            caption="By stage (average per trial)"
            columns=STAGE_STATS_COLUMNS
            rows=stages
        />
    }
}

/// On narrow screens, where the forecast sits below the form: its headline
/// stays in view at the bottom while the form scrolls, one tap from the rest.
#[component]
pub fn MiniSummary() -> impl IntoView {
    let ctx = use_ctx();
    let text = move || {
        ctx.results.with(|r| {
            r.as_ref().map(|o| {
                let s = &o.summary;
                let mut t = format!("{} average", money_compact(s.revenue.mean, &s.currency));
                if let Some(target) = &s.target {
                    t.push_str(&format!(" · {} to reach target", headline::chance(target)));
                }
                t
            })
        })
    };
    let note = move || match ctx.phase.get() {
        Phase::Running { .. } | Phase::Waiting => "Updating…",
        Phase::Invalid | Phase::Failed => "For your last valid inputs",
        Phase::Stopped => "For earlier inputs",
        Phase::Idle => "",
    };
    view! {
        <div class="mini-summary" hidden=move || text().is_none()>
            <p>
                <span class="mini-figures">{text}</span>
                <span class="mini-note">{note}</span>
            </p>
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    crate::browser::focus("results-title");
                    crate::browser::scroll_into_view("results-title");
                }
            >
                "See forecast"
            </button>
        </div>
    }
}
