//! The reverse-funnel panel: the required confidence and what may change
//! (lead volume, or conversion at one stage); "Find it" runs the bisection of
//! `jobs::goal` in the background and says the answer in words, with a
//! button to apply it as a what-if.

use std::sync::Arc;

use funnel_engine::goal::{GoalAnswer, GoalLever};
use leptos::prelude::*;

use crate::browser;
use crate::form::Run;
use crate::jobs::goal::{self, SearchEnded};
use crate::ui::results::what_if::WhatIfNote;
use crate::ui::state::WhatIfSource;
use crate::ui::state::use_ctx;
use crate::words;
use funnel_engine::job::GoalSearch;

#[derive(Clone, Debug, PartialEq)]
enum GoalPhase {
    Idle,
    Running {
        text: String,
        fraction: f64,
    },
    /// Stopped by the user or by an edit, with what to say.
    Stopped(String),
    Failed(String),
}

/// An answer and the run it answers.
#[derive(Clone, Debug, PartialEq)]
struct GoalDone {
    run: Run,
    answer: GoalAnswer,
    sentence: String,
}

#[component]
pub fn GoalPanel() -> impl IntoView {
    let ctx = use_ctx();
    let confidence = RwSignal::new("80".to_owned());
    let choice = RwSignal::new("leads".to_owned());
    let phase = RwSignal::new(GoalPhase::Idle);
    let done = RwSignal::new(None::<Arc<GoalDone>>);
    let token = StoredValue::new(0u64);

    let confidence_error =
        Memo::new(move |_| confidence.with(|c| crate::form::parse_confidence(c).err()));
    let options = Memo::new(move |_| {
        ctx.draft.with(|d| {
            words::goal::goal_options(&d.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
        })
    });
    let has_target = Memo::new(move |_| ctx.draft.with(|d| !d.target.trim().is_empty()));
    let running = Memo::new(move |_| phase.with(|p| matches!(p, GoalPhase::Running { .. })));
    // The answer shown is for the inputs on screen.
    let current = Memo::new(move |_| {
        done.with(|d| {
            d.as_ref().is_some_and(|d| {
                ctx.parsed
                    .with(|p| p.as_ref().is_ok_and(|run| *run == d.run))
            })
        })
    });

    let find = move |_| {
        let Ok(conf) = crate::form::parse_confidence(&confidence.get_untracked()) else {
            browser::focus("goal-confidence");
            return;
        };
        let Ok(run) = ctx.parsed.get_untracked() else {
            phase.set(GoalPhase::Failed(
                "Fix the marked fields in the form first.".into(),
            ));
            return;
        };
        let lever = words::goal::goal_lever(&choice.get_untracked(), run.scenario.stages.len())
            .unwrap_or(GoalLever::Leads);
        let search = match GoalSearch::new(&run.scenario, &lever, conf, run.trials, run.seed) {
            Ok(s) => s,
            Err(funnel_engine::ScenarioErrors(errors)) => {
                let text = if errors.iter().any(|e| e.path == "target.revenue") {
                    "Enter a revenue target in the form first: the search looks for what reaches it.".to_owned()
                } else {
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                phase.set(GoalPhase::Failed(text));
                return;
            }
        };
        let g = ctx.generation();
        let t = token.get_value() + 1;
        token.set_value(t);
        let current = move || ctx.is_current(g) && token.try_get_value() == Some(t);
        phase.set(GoalPhase::Running {
            text: "Starting…".into(),
            fraction: 0.0,
        });
        ctx.announce.set("Looking for the answer…".into());
        leptos::task::spawn_local(async move {
            let ended = goal::search(search, current, move |s, fraction| {
                if current() {
                    phase.set(GoalPhase::Running {
                        text: words::goal::goal_progress(
                            s.lever(),
                            s.next_candidate().unwrap_or(0.0),
                            s.runs(),
                            s.estimated_runs(),
                        ),
                        fraction,
                    });
                }
            })
            .await;
            if token.try_get_value() != Some(t) {
                return;
            }
            match ended {
                SearchEnded::Done(answer) => {
                    let sentence = words::goal::goal_sentence(&answer, &run.scenario);
                    ctx.announce.set(sentence.clone());
                    done.set(Some(Arc::new(GoalDone {
                        run,
                        answer,
                        sentence,
                    })));
                    phase.set(GoalPhase::Idle);
                }
                SearchEnded::Cancelled => phase.set(GoalPhase::Stopped(
                    "The inputs changed, so the search stopped. Press Find it for the form as it is now."
                        .into(),
                )),
                SearchEnded::Refused(errors) => phase.set(GoalPhase::Failed(
                    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
                )),
            }
        });
    };
    let stop = move |_| {
        token.set_value(token.get_value() + 1);
        phase.set(GoalPhase::Stopped("Stopped.".into()));
    };
    let apply = move |_| {
        let Some(d) = done.get_untracked() else {
            return;
        };
        let run = Run {
            scenario: d.answer.apply(&d.run.scenario),
            trials: d.run.trials,
            seed: d.run.seed,
        };
        ctx.apply_what_if(
            run,
            words::goal::goal_what_if_label(&d.answer, &d.run.scenario),
            WhatIfSource::Goal,
        );
    };

    // The markup changes with the kind of phase only; text and progress
    // update in place (rebuilding the Stop button on every step of the
    // search would take its keyboard focus away).
    let kind = Memo::new(move |_| match phase.get() {
        GoalPhase::Running { .. } => "running",
        GoalPhase::Stopped(_) => "stopped",
        GoalPhase::Failed(_) => "failed",
        GoalPhase::Idle => "idle",
    });
    let text = Memo::new(move |_| match phase.get() {
        GoalPhase::Running { text, .. } | GoalPhase::Stopped(text) | GoalPhase::Failed(text) => {
            text
        }
        GoalPhase::Idle => String::new(),
    });
    let fraction = Memo::new(move |_| match phase.get() {
        GoalPhase::Running { fraction, .. } => fraction,
        _ => 0.0,
    });
    let status = move || match kind.get() {
        "running" => view! {
            <div class="progress-row" id="goal-status">
                <label for="goal-progress">{move || text.get()}</label>
                <progress id="goal-progress" max="1" prop:value=move || fraction.get()></progress>
                <button type="button" id="stop-goal" class="secondary" on:click=stop>
                    "Stop"
                </button>
            </div>
        }
        .into_any(),
        "stopped" => {
            view! { <p class="muted" id="goal-status">{move || text.get()}</p> }.into_any()
        }
        "failed" => view! { <p class="error" id="goal-status">{move || text.get()}</p> }.into_any(),
        _ => ().into_any(),
    };

    let answer = move || {
        done.get().map(|d| {
            let can_apply = d.answer.reachable && d.answer.value > d.answer.current;
            view! {
                <div class="goal-answer-box" class:stale=move || !current.get()>
                    <p class="goal-answer" id="goal-answer">{d.sentence.clone()}</p>
                    <p class="muted small" hidden=move || current.get()>
                        "This answer is for earlier inputs: press Find it for the form as it is now."
                    </p>
                    {can_apply.then(|| view! {
                        <button type="button" id="apply-goal" class="secondary" on:click=apply>
                            "Apply as what-if"
                        </button>
                    })}
                </div>
            }
        })
    };

    view! {
        <section class="panel goal-panel" id="goal" aria-labelledby="goal-title">
            <h3 id="goal-title">"Goal: what would it take?"</h3>
            <p class="muted">
                "Works back from the revenue target: the smallest lead volume, or conversion at one stage, "
                "that reaches it with the confidence you ask for, everything else as in the form. "
                "Each answer reruns the forecast 10 to 20 times on the same random numbers."
            </p>
            <div class="goal-form">
                <div class="field" class:invalid=move || confidence_error.with(Option::is_some)>
                    <label for="goal-confidence">
                        <span class="label-text">"Required confidence"</span>
                        <span class="unit">"(%)"</span>
                    </label>
                    <input
                        type="text"
                        id="goal-confidence"
                        inputmode="decimal"
                        autocomplete="off"
                        prop:value=move || confidence.get()
                        on:input:target=move |ev| confidence.set(ev.target().value())
                        aria-invalid=move || if confidence_error.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby=move || confidence_error.with(Option::is_some).then_some("goal-confidence-error")
                    />
                    <p class="error" id="goal-confidence-error" hidden=move || confidence_error.with(Option::is_none)>
                        {move || confidence_error.get().map(|m| format!("Required confidence: {m}"))}
                    </p>
                </div>
                <div class="field">
                    <label for="goal-lever">
                        <span class="label-text">"What may change"</span>
                    </label>
                    <select id="goal-lever" on:change:target=move |ev| choice.set(ev.target().value())>
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .map(|(key, label)| {
                                    let k = key.clone();
                                    view! {
                                        <option value=key prop:selected=move || choice.with(|c| *c == k)>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button
                    type="button"
                    id="find-goal"
                    on:click=find
                    disabled=move || running.get() || !has_target.get()
                >
                    "Find it"
                </button>
            </div>
            <p class="muted small" hidden=move || has_target.get()>
                "Enter a revenue target in the form to ask what it takes to reach it."
            </p>
            {status}
            {answer}
            <WhatIfNote goal=true />
        </section>
    }
}
