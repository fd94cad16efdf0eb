//! The levers panel: once the headline is on screen, every lever is tested in
//! the background (`ui::state::levers`), then drawn as a tornado ranked by
//! effect. Selecting a lever applies it as a what-if: the form is replaced by
//! the changed scenario (the URL follows, so Back undoes it), and "Undo
//! what-if" restores the form as it was.

use leptos::prelude::*;

use crate::charts::TornadoChart;
use crate::ui::results::what_if::WhatIfNote;
use crate::ui::state::levers::{LeverPhase, use_levers};
use crate::ui::state::{WhatIfSource, use_ctx};
use crate::words;

#[component]
pub fn LeversPanel() -> impl IntoView {
    let ctx = use_ctx();
    let levers = use_levers();
    let kind = Memo::new(move |_| match levers.phase.get() {
        LeverPhase::Idle => "idle",
        LeverPhase::Running { .. } => "running",
        LeverPhase::Stopped => "stopped",
        LeverPhase::Failed(_) => "failed",
    });
    let progress = Memo::new(move |_| match levers.phase.get() {
        LeverPhase::Running {
            done,
            total,
            fraction,
        } => (done, total, fraction),
        _ => (0, 0, 0.0),
    });
    // The levers shown are for the forecast on screen and its inputs.
    let current = Memo::new(move |_| {
        levers.results.with(|r| {
            r.as_ref().is_some_and(|r| {
                ctx.parsed
                    .with(|p| p.as_ref().is_ok_and(|run| *run == r.run))
            })
        })
    });
    let restart = move |_| {
        if let Some(forecast) = ctx.results.get_untracked() {
            levers.launch(ctx, forecast);
        }
    };

    let status = move || {
        match kind.get() {
        "running" => view! {
            <div class="progress-row">
                <label for="lever-progress">
                    {move || {
                        let (done, total, _) = progress.get();
                        if total == 0 { "Testing levers…".to_owned() } else { words::levers::levers_progress(done, total) }
                    }}
                </label>
                <progress id="lever-progress" max="1" prop:value=move || progress.get().2></progress>
                <button type="button" id="stop-levers" class="secondary" on:click=move |_| levers.stop()>
                    "Stop"
                </button>
            </div>
        }
        .into_any(),
        "stopped" => view! {
            <div class="progress-row">
                <p>"Stopped testing levers."</p>
                <button type="button" id="run-levers" class="secondary" on:click=restart>
                    "Test levers"
                </button>
            </div>
        }
        .into_any(),
        "failed" => view! {
            <p class="error" id="levers-error">
                {move || match levers.phase.get() {
                    LeverPhase::Failed(m) => format!("The levers could not be tested: {m}"),
                    _ => String::new(),
                }}
            </p>
        }
        .into_any(),
        _ => view! {
            <p
                class="muted"
                id="levers-done"
                data-elapsed-ms=move || {
                    levers.results.with(|r| r.as_ref().map(|r| format!("{:.0}", r.elapsed_ms)))
                }
                data-runs=move || levers.results.with(|r| r.as_ref().map(|r| r.effects.len()))
            >
                {move || {
                    levers.results.with(|r| match r {
                        Some(r) if current.get() => {
                            words::levers::levers_done_note(
                                funnel_engine::levers::ranges(&r.effects).len(),
                                r.effects.len(),
                                r.run.trials,
                                r.elapsed_ms,
                            )
                        }
                        _ => "Levers are tested once the forecast is ready.".to_owned(),
                    })
                }}
            </p>
        }
        .into_any(),
    }
    };

    // The top levers first; "Show all" for the rest (20 stages make 40-odd).
    let show_all = RwSignal::new(false);
    let body = move || {
        levers.results.get().map(|r| {
            let currency = r.run.scenario.currency.clone();
            let target = r.run.scenario.target.as_ref().map(|t| t.revenue);
            let shown = r.run.clone();
            let selected = Signal::derive(move || {
                ctx.what_ifs.with(|w| match w.last().map(|w| &w.source) {
                    Some(WhatIfSource::Lever { index, run }) if **run == shown => Some(*index),
                    _ => None,
                })
            });
            let rows = words::levers::tornado_rows(&r.effects, &currency);
            let total = rows.len();
            let on_select = Callback::new(move |i: usize| levers.apply_lever(ctx, i));
            let omitted = words::levers::omitted_note(&r.omitted);
            view! {
                <div class="levers-body" class:stale=move || !current.get()>
                    <p class="lever-sentence" id="lever-sentence">
                        {words::levers::biggest_lever_sentence(&r.effects, &currency)}
                    </p>
                    <p class="muted small" id="lever-caption">
                        {words::levers::lever_caption(r.run.trials, target, &currency)}
                    </p>
                    {move || {
                        let n = if show_all.get() { total } else { total.min(words::levers::TOP_LEVERS) };
                        view! {
                            <TornadoChart
                                rows=rows[..n].to_vec()
                                currency=currency.clone()
                                selected=selected.get()
                                on_select=on_select
                            />
                        }
                    }}
                    {(total > words::levers::TOP_LEVERS).then(|| view! {
                        <button
                            type="button"
                            class="secondary"
                            id="levers-show-all"
                            aria-expanded=move || if show_all.get() { "true" } else { "false" }
                            aria-controls="levers"
                            on:click=move |_| show_all.update(|v| *v = !*v)
                        >
                            {move || if show_all.get() {
                                format!("Show the top {}", words::levers::TOP_LEVERS)
                            } else {
                                format!("Show all {total} levers")
                            }}
                        </button>
                    })}
                    <p class="muted small">
                        "Select a bar (click, or Tab to it and press Enter) to apply that change to the form as a what-if."
                    </p>
                    {omitted.map(|note| view! { <p class="muted small" id="levers-omitted">{note}</p> })}
                </div>
            }
        })
    };

    view! {
        <section class="panel levers-panel" id="levers" aria-labelledby="levers-title">
            <h3 id="levers-title">"Levers: what moves revenue most"</h3>
            <p class="muted">
                "Each lever moves one input 10% down and 10% up (a 50% conversion to 45% or 55%; leads, deal size, "
                "days and capacity alike; a plan's assumed uplift uses the same unit) and reruns the forecast on "
                "the same random numbers."
            </p>
            <div class="lever-status" id="lever-status" data-phase=move || kind.get()>{status}</div>
            <WhatIfNote goal=false />
            {body}
        </section>
    }
}
