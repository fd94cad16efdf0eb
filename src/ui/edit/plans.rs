//! The incentive plans editor: one card per plan with its commission bands,
//! quota bonus, cap, SPIF and the effect the user assumes it has; add,
//! rename, duplicate and remove plans.

use leptos::prelude::*;

use crate::browser;
use crate::form::{
    BandDraft, Draft, MAX_BANDS, MAX_PLANS, PlanDraft, UpliftDraft, field_id, field_label, label,
    parse_tiers, plan_title, tiers_explained, tiers_str,
};
use crate::ui::edit::fields::{SelectField, TextField, described_by};
use crate::ui::state::use_ctx;

#[component]
pub fn PlanEditor() -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let enabled = Memo::new(move |_| draft.with(|d| d.team.enabled));
    let ids = Memo::new(move |_| draft.with(|d| d.plans.iter().map(|p| p.id).collect::<Vec<_>>()));
    let count = Memo::new(move |_| ids.with(Vec::len));

    let add = move |_| {
        let mut added = None;
        draft.update(|d| added = d.add_plan().map(|id| (id, d.plans.len() - 1)));
        if let Some((_, index)) = added {
            ctx.announce.set(format!("Added plan {}.", index + 1));
            request_animation_frame(move || {
                browser::focus(&field_id(&format!("plans[{index}].name")))
            });
        }
    };

    // An exercise fixes the plans: the whole fieldset is disabled.
    let locked = crate::ui::classroom::student::view_locked();
    view! {
        <fieldset
            class="plans"
            id="plans"
            aria-describedby=move || if locked.get() { "plans-help exercise-locked-note" } else { "plans-help" }
            disabled=move || locked.get()
        >
            <legend>"Incentive plans"</legend>
            <p class="hint" id="plans-help">
                "Each plan says how reps are paid and what you assume it changes in how they sell. "
                "All plans run on the same simulated futures; the first plan is the baseline the others are compared with."
            </p>
            {move || {
                if !enabled.get() {
                    view! {
                        <p class="muted" id="plans-need-team">
                            "Plans pay a team: include a sales team above to compare plans."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="muted" hidden=move || { count.get() > 0 }>
                            "No plans yet: add one to see what it pays and costs."
                        </p>
                        <ol class="plan-list">
                            <For each=move || ids.get() key=|id| *id let:id>
                                <PlanCard id=id count=count />
                            </For>
                        </ol>
                        <button
                            type="button"
                            id="add-plan"
                            class="secondary"
                            on:click=add
                            disabled=move || { count.get() >= MAX_PLANS }
                        >
                            "+ Add plan"
                        </button>
                        <span class="hint" hidden=move || { count.get() < MAX_PLANS }>
                            " At most 5 plans."
                        </span>
                    }
                        .into_any()
                }
            }}
        </fieldset>
    }
}

/// A text field of the plan with this id.
fn plan_text(
    draft: RwSignal<Draft>,
    id: u32,
    get: fn(&PlanDraft) -> &String,
    set: fn(&mut PlanDraft, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            draft.with(|d| d.plan(id).map(|p| get(p).clone()).unwrap_or_default())
        }),
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(p) = d.plan_mut(id) {
                    set(p, v);
                }
            })
        }),
    )
}

/// A text field of one band of a plan.
fn band_text(
    draft: RwSignal<Draft>,
    plan: u32,
    band: u32,
    get: fn(&BandDraft) -> &String,
    set: fn(&mut BandDraft, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            draft.with(|d| {
                d.plan(plan)
                    .and_then(|p| p.bands.iter().find(|b| b.id == band))
                    .map(|b| get(b).clone())
                    .unwrap_or_default()
            })
        }),
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(b) = d
                    .plan_mut(plan)
                    .and_then(|p| p.bands.iter_mut().find(|b| b.id == band))
                {
                    set(b, v);
                }
            })
        }),
    )
}

/// A field of one uplift of a plan.
fn uplift_text(
    draft: RwSignal<Draft>,
    plan: u32,
    uplift: u32,
    get: fn(&UpliftDraft) -> &String,
    set: fn(&mut UpliftDraft, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            draft.with(|d| {
                d.plan(plan)
                    .and_then(|p| p.uplifts.iter().find(|u| u.id == uplift))
                    .map(|u| get(u).clone())
                    .unwrap_or_default()
            })
        }),
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(u) = d
                    .plan_mut(plan)
                    .and_then(|p| p.uplifts.iter_mut().find(|u| u.id == uplift))
                {
                    set(u, v);
                }
            })
        }),
    )
}

/// "Flat 10%", or "plan 2" without a name (for button labels).
fn plan_who(draft: RwSignal<Draft>, id: u32) -> String {
    draft.with_untracked(|d| {
        let i = d.plan_index(id).unwrap_or(0);
        let name = d
            .plans
            .get(i)
            .map(|p| p.name.trim().to_owned())
            .unwrap_or_default();
        if name.is_empty() {
            format!("plan {}", i + 1)
        } else {
            name
        }
    })
}

#[component]
fn PlanCard(id: u32, count: Memo<usize>) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let index = Memo::new(move |_| draft.with(|d| d.plan_index(id).unwrap_or(0)));
    let path = move |field: &'static str| {
        Signal::derive(move || format!("plans[{}].{field}", index.get()))
    };
    let plan_name = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(id)
                .map(|p| p.name.trim().to_owned())
                .unwrap_or_default()
        })
    });
    let who = move || {
        let n = plan_name.get();
        if n.is_empty() {
            format!("plan {}", index.get() + 1)
        } else {
            n
        }
    };
    let title = move || {
        let t = plan_title(index.get(), "");
        if index.get() == 0 && count.get() > 1 {
            format!("{t}: the baseline")
        } else {
            t
        }
    };

    let (name, set_name) = plan_text(draft, id, |p| &p.name, |p, v| p.name = v);
    let (bonus, set_bonus) = plan_text(draft, id, |p| &p.quota_bonus, |p, v| p.quota_bonus = v);
    let (cap, set_cap) = plan_text(draft, id, |p| &p.cap, |p, v| p.cap = v);
    let (spif_stage, set_spif_stage) =
        plan_text(draft, id, |p| &p.spif_stage, |p, v| p.spif_stage = v);
    let (per_deal, set_per_deal) =
        plan_text(draft, id, |p| &p.spif_per_deal, |p, v| p.spif_per_deal = v);
    let (leads, set_leads) = plan_text(draft, id, |p| &p.leads_uplift, |p, v| p.leads_uplift = v);
    let has_spif = Memo::new(move |_| spif_stage.with(|s| !s.trim().is_empty()));

    let tiers = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(id)
                .map(|p| p.tiers)
                .unwrap_or(funnel_engine::scenario::Tiers::Marginal)
        })
    });
    let set_tiers = Callback::new(move |v: String| {
        if let Some(t) = parse_tiers(&v) {
            draft.update(|d| {
                if let Some(p) = d.plan_mut(id) {
                    p.tiers = t;
                }
            });
        }
    });

    let band_ids = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(id)
                .map(|p| p.bands.iter().map(|b| b.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let band_count = Memo::new(move |_| band_ids.with(Vec::len));
    let uplift_ids = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(id)
                .map(|p| p.uplifts.iter().map(|u| u.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let stage_count = Memo::new(move |_| draft.with(|d| d.stage_names().len()));
    let commission_error =
        Memo::new(move |_| ctx.error_at(&format!("plans[{}].commission", index.get())));

    let duplicate = move |_| {
        let mut copy = None;
        draft.update(|d| copy = d.duplicate_plan(id).and_then(|c| d.plan_index(c)));
        if let Some(i) = copy {
            ctx.announce.set(format!(
                "Duplicated {} as plan {}.",
                plan_who(draft, id),
                i + 1
            ));
            request_animation_frame(move || browser::focus(&field_id(&format!("plans[{i}].name"))));
        }
    };
    let remove = move |_| {
        let gone = plan_who(draft, id);
        draft.update(|d| d.remove_plan(id));
        ctx.announce.set(format!("Removed {gone}."));
        request_animation_frame(move || browser::focus("add-plan"));
    };
    let add_band = move |_| {
        let mut added = None;
        draft.update(|d| {
            added = d
                .add_band(id)
                .map(|_| d.plan(id).map_or(0, |p| p.bands.len() - 1))
        });
        if let Some(b) = added {
            let k = index.get_untracked();
            request_animation_frame(move || {
                browser::focus(&field_id(&format!("plans[{k}].commission[{b}].from")))
            });
        }
    };
    let add_uplift = move |_| {
        let mut added = None;
        draft.update(|d| {
            added = d
                .add_uplift(id)
                .map(|_| d.plan(id).map_or(0, |p| p.uplifts.len() - 1))
        });
        if let Some(j) = added {
            let k = index.get_untracked();
            request_animation_frame(move || {
                browser::focus(&field_id(&format!(
                    "plans[{k}].effect.conversion[{j}].stage"
                )))
            });
        }
    };

    view! {
        <li class="plan-card" data-testid="plan" aria-labelledby=move || format!("plan-{id}-title")>
            <div class="stage-head">
                <h3 id=move || format!("plan-{id}-title")>{title}</h3>
                <div class="stage-actions">
                    <button
                        type="button"
                        id=format!("plan-{id}-duplicate")
                        class="icon"
                        aria-label=move || format!("Duplicate {}", who())
                        disabled=move || { count.get() >= MAX_PLANS }
                        on:click=duplicate
                    >
                        "Duplicate"
                    </button>
                    <button
                        type="button"
                        id=format!("plan-{id}-remove")
                        class="icon danger"
                        aria-label=move || format!("Remove {}", who())
                        on:click=remove
                    >
                        "Remove"
                    </button>
                </div>
            </div>
            <div class="plan-fields">
                <TextField path=path("name") value=name on_input=set_name inputmode="text" class="wide" />

                <div class="plan-block" role="group" aria-labelledby=format!("plan-{id}-commission")>
                    <h4 id=format!("plan-{id}-commission")>"Commission"</h4>
                    <p class="hint">
                        "Each band pays its rate (a percentage of bookings) on the bookings from where it starts, as a share of quota (100 = quota)."
                    </p>
                    <SelectField
                        id=Signal::derive(move || field_id(&format!("plans[{}].tiers", index.get())))
                        label=label("plans[].tiers").unwrap_or_default()
                        options=vec![
                            ("marginal", "Marginal (like tax brackets)"),
                            ("retroactive", "Retroactive (top band on everything)"),
                        ]
                        value=Signal::derive(move || tiers_str(tiers.get()).to_owned())
                        on_change=set_tiers
                    />
                    <p class="hint tiers-note">{move || tiers_explained(tiers.get())}</p>
                    <ol class="band-list">
                        <For each=move || band_ids.get() key=|b| *b let:band>
                            <BandRow plan=id band=band plan_index=index />
                        </For>
                    </ol>
                    <p
                        class="error"
                        id=move || field_id(&format!("plans[{}].commission", index.get())) + "-error"
                        hidden=move || commission_error.with(Option::is_none)
                    >
                        {move || commission_error.get()}
                    </p>
                    <button
                        type="button"
                        class="secondary small-button"
                        id=format!("plan-{id}-add-band")
                        on:click=add_band
                        disabled=move || { band_count.get() >= MAX_BANDS }
                        aria-label=move || format!("Add band to {}", who())
                    >
                        <span aria-hidden="true">"+ "</span>
                        "Add band"
                    </button>
                </div>

                <div class="row">
                    <TextField
                        path=path("quota_bonus")
                        money=true
                        value=bonus
                        on_input=set_bonus
                        hint="Paid once to each rep who reaches quota; 0 for none"
                    />
                    <TextField
                        path=path("cap")
                        unit="% of quota"
                        value=cap
                        on_input=set_cap
                        hint="Bookings above it earn no commission; empty for no cap"
                    />
                </div>

                <div class="row">
                    <StageSelect
                        path=path("spif.stage")
                        value=spif_stage
                        on_change=set_spif_stage
                        none=Some("No SPIF")
                        hint="A SPIF is a bonus for each deal that moves on from this stage"
                        fix=(
                            "Pay no SPIF",
                            Callback::new(move |()| {
                                set_spif_stage.run(String::new());
                                ctx.announce.set(format!("{} pays no SPIF now.", plan_who(draft, id)));
                                // The button hides once it has done its work: keep the keyboard here.
                                let select = field_id(&format!("plans[{}].spif.stage", index.get_untracked()));
                                request_animation_frame(move || browser::focus(&select));
                            }),
                        )
                    />
                    <Show when=move || has_spif.get()>
                        <TextField
                            path=path("spif.per_deal")
                            money=true
                            value=per_deal
                            on_input=set_per_deal
                        />
                    </Show>
                </div>

                <div class="plan-block" role="group" aria-labelledby=format!("plan-{id}-effect")>
                    <h4 id=format!("plan-{id}-effect")>"Assumed effect"</h4>
                    <p class="hint">
                        "Your assumption of how this plan changes selling, in percent of the stage’s rate (the "
                        "levers’ unit): +5 makes a stage convert 5% better (30% becomes 31.5%), +10 is the "
                        "levers’ “+10%” bar. It applies to this plan’s results only; the forecast above is today’s funnel."
                    </p>
                    <ol class="uplift-list">
                        <For each=move || uplift_ids.get() key=|u| *u let:uplift>
                            <UpliftRow plan=id uplift=uplift plan_index=index />
                        </For>
                    </ol>
                    <button
                        type="button"
                        class="secondary small-button"
                        id=format!("plan-{id}-add-uplift")
                        on:click=add_uplift
                        disabled=move || { uplift_ids.with(Vec::len) >= stage_count.get() }
                        aria-label=move || format!("Add stage uplift to {}", who())
                    >
                        <span aria-hidden="true">"+ "</span>
                        "Add stage uplift"
                    </button>
                    <div class="row">
                        <TextField
                            path=path("effect.leads")
                            unit="%"
                            value=leads
                            on_input=set_leads
                            hint="+10 means 10% more leads with this plan; 0 for none"
                        />
                    </div>
                </div>
            </div>
        </li>
    }
}

#[component]
fn BandRow(plan: u32, band: u32, plan_index: Memo<usize>) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let index = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(plan)
                .and_then(|p| p.bands.iter().position(|b| b.id == band))
                .unwrap_or(0)
        })
    });
    let path = move |field: &'static str| {
        Signal::derive(move || {
            format!(
                "plans[{}].commission[{}].{field}",
                plan_index.get(),
                index.get()
            )
        })
    };
    let (from, set_from) = band_text(draft, plan, band, |b| &b.from, |b, v| b.from = v);
    let (rate, set_rate) = band_text(draft, plan, band, |b| &b.rate, |b, v| b.rate = v);
    let remove = move |_| {
        let (k, b) = (plan_index.get_untracked(), index.get_untracked());
        draft.update(|d| d.remove_band(plan, band));
        ctx.announce.set(format!(
            "Removed band {} of {}.",
            b + 1,
            plan_who(draft, plan)
        ));
        request_animation_frame(move || {
            browser::focus(&field_id(&format!("plans[{k}].commission[{}].rate", b - 1)))
        });
    };
    view! {
        <li class="band-row">
            {move || {
                if index.get() == 0 {
                    view! {
                        <div class="field">
                            <span class="label-text fake-label">{label("plans[].commission[].from")}</span>
                            <p class="static-value">"0% of quota"</p>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <TextField path=path("from") unit="% of quota" value=from on_input=set_from />
                    }
                        .into_any()
                }
            }}
            <TextField path=path("rate") unit="%" value=rate on_input=set_rate />
            <div class="row-action">
                {move || {
                    (index.get() > 0)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="icon danger"
                                    aria-label=move || format!("Remove band {} of {}", index.get() + 1, plan_who(draft, plan))
                                    on:click=remove
                                >
                                    "Remove"
                                </button>
                            }
                        })
                }}
            </div>
        </li>
    }
}

#[component]
fn UpliftRow(plan: u32, uplift: u32, plan_index: Memo<usize>) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let index = Memo::new(move |_| {
        draft.with(|d| {
            d.plan(plan)
                .and_then(|p| p.uplifts.iter().position(|u| u.id == uplift))
                .unwrap_or(0)
        })
    });
    let path = move |field: &'static str| {
        Signal::derive(move || {
            format!(
                "plans[{}].effect.conversion[{}].{field}",
                plan_index.get(),
                index.get()
            )
        })
    };
    let (stage, set_stage) = uplift_text(draft, plan, uplift, |u| &u.stage, |u, v| u.stage = v);
    let (value, set_value) = uplift_text(draft, plan, uplift, |u| &u.uplift, |u, v| u.uplift = v);
    let remove = Callback::new(move |()| {
        draft.update(|d| d.remove_uplift(plan, uplift));
        ctx.announce
            .set(format!("Removed an uplift from {}.", plan_who(draft, plan)));
        request_animation_frame(move || browser::focus(&format!("plan-{plan}-add-uplift")));
    });
    view! {
        <li class="uplift-row">
            <StageSelect
                path=path("stage")
                value=stage
                on_change=set_stage
                none=None
                fix=("Remove this uplift", remove)
            />
            <TextField path=path("uplift") unit="%" value=value on_input=set_value />
            <div class="row-action">
                <button
                    type="button"
                    class="icon danger"
                    aria-label=move || format!("Remove uplift {} of {}", index.get() + 1, plan_who(draft, plan))
                    on:click=move |_| remove.run(())
                >
                    "Remove"
                </button>
            </div>
        </li>
    }
}

/// A select of the funnel's current stages (and optionally "none"), bound to
/// a plan field, with its label and error message like a text field. A stage the plan
/// names that is no longer in the funnel stays selected, marked as gone, so
/// the message at the field explains what happened.
#[component]
fn StageSelect(
    #[prop(into)] path: Signal<String>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    /// The "no stage" choice, e.g. "No SPIF" (value "").
    none: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// A button that drops the reference when the stage named is gone: a
    /// plan naming a removed stage blocks every result until it is mended.
    #[prop(optional)]
    fix: Option<(&'static str, Callback<()>)>,
) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let id = Memo::new(move |_| path.with(|p| field_id(p)));
    let missing = Memo::new(move |_| {
        let current = value.get();
        let current = current.trim();
        !current.is_empty() && draft.with(|d| !d.stage_names().iter().any(|n| n == current))
    });
    let error = Memo::new(move |_| path.with(|p| ctx.error_at(p)));
    let label = move || path.with(|p| label(p).unwrap_or_default());
    let message = move || {
        error.get().map(|m| {
            let label = path.with(|p| draft.with(|d| field_label(p, d)));
            format!("{label}: {m}")
        })
    };
    let options = Memo::new(move |_| {
        let names = draft.with(|d| d.stage_names());
        let current = value.get();
        let mut options: Vec<(String, String)> = Vec::new();
        if let Some(none) = none {
            options.push((String::new(), none.to_owned()));
        }
        let current_trimmed = current.trim().to_owned();
        if !current_trimmed.is_empty() && !names.contains(&current_trimmed) {
            options.push((current.clone(), format!("{current_trimmed} (missing)")));
        }
        options.extend(names.into_iter().map(|n| (n.clone(), n)));
        options
    });
    let describedby = move || {
        described_by(
            &id.get(),
            error.with(Option::is_some),
            hint.is_some(),
            false,
        )
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=move || id.get()>
                <span class="label-text">{label}</span>
            </label>
            <select
                id=move || id.get()
                on:change:target=move |ev| on_change.run(ev.target().value())
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=describedby
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, text)| {
                            let selected = v == current;
                            view! { <option value=v prop:selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {hint.map(|h| view! { <p class="hint" id=move || format!("{}-hint", id.get())>{h}</p> })}
            <p class="error" id=move || format!("{}-error", id.get()) hidden=move || error.with(Option::is_none)>
                {message}
            </p>
            {fix.map(|(text, run)| {
                view! {
                    <button
                        type="button"
                        class="secondary"
                        id=move || format!("{}-fix", id.get())
                        hidden=move || !missing.get()
                        on:click=move |_| run.run(())
                    >
                        {text}
                    </button>
                }
            })}
        </div>
    }
}
