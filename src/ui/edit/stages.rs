//! The stages editor: one card per stage (a table row on wide screens), with
//! add (at the end or after any stage), remove, rename and move up/down.

use funnel_engine::scenario::MAX_STAGES;
use leptos::prelude::*;

use crate::browser;
use crate::classroom::lock::kind_path;
use crate::form::{ConversionKind, Draft, Move, StageDraft, field_id, stage_title};
use crate::ui::classroom::student::{field_locked, view_locked};
use crate::ui::edit::fields::{SelectField, TextField};
use crate::ui::state::use_ctx;

#[component]
pub fn StageEditor() -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let ids = Memo::new(move |_| draft.with(|d| d.stages.iter().map(|s| s.id).collect::<Vec<_>>()));
    let count = Memo::new(move |_| ids.with(Vec::len));
    let stages_error = Memo::new(move |_| ctx.error_at("stages"));
    // An exercise fixes the stages: none added, removed or moved.
    let locked = view_locked();

    // Stage edits are announced here, not in the page's region, which the
    // run each edit starts says "Simulating…" in a moment later.
    let status = RwSignal::new(String::new());
    let add = move |_| {
        let mut added = None;
        draft.update(|d| added = d.add_stage());
        if let Some(id) = added {
            after_insert(draft, status, id);
        }
    };

    view! {
        <fieldset class="stages" aria-describedby="stages-help">
            <legend>"Stages"</legend>
            <p class="hint" id="stages-help">
                "Deals enter the first stage and move down the list. "
                "Conversion is the share of deals leaving a stage that move on rather than being lost; "
                "percentages are typed as percent (30 means 30%)."
            </p>
            <ol class="stage-list">
                <For each=move || ids.get() key=|id| *id let:id>
                    <StageCard id=id count=count status=status />
                </For>
            </ol>
            <p class="error" id="f-stages-error" role="alert" hidden=move || stages_error.with(Option::is_none)>
                {move || stages_error.get().map(|m| format!("Stages: {m}"))}
            </p>
            <button
                type="button"
                id="add-stage"
                class="secondary"
                hidden=move || locked.get()
                on:click=add
                disabled=move || { count.get() >= MAX_STAGES }
            >
                "+ Add stage"
            </button>
            <span class="hint" hidden=move || { count.get() < MAX_STAGES || locked.get() }>
                " At most 20 stages."
            </span>
            <p class="sr-only" id="stage-status" aria-live="polite">
                {move || status.get()}
            </p>
        </fieldset>
    }
}

/// A text field of the stage with this id.
fn stage_text(
    draft: RwSignal<Draft>,
    id: u32,
    get: fn(&StageDraft) -> &String,
    set: fn(&mut StageDraft, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            draft.with(|d| {
                d.stages
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| get(s).clone())
                    .unwrap_or_default()
            })
        }),
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(s) = d.stage_mut(id) {
                    set(s, v);
                }
            })
        }),
    )
}

#[component]
fn StageCard(id: u32, count: Memo<usize>, status: RwSignal<String>) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let index = Memo::new(move |_| draft.with(|d| d.stage_index(id).unwrap_or(0)));
    let path = move |field: &'static str| {
        Signal::derive(move || format!("stages[{}].{field}", index.get()))
    };
    let title = move || stage_title(index.get(), "");
    let who = Memo::new(move |_| draft.with(|d| d.stage_who(id)));
    let shape_locked = view_locked();
    let kind_locked = field_locked(move || kind_path(index.get()));

    let (name, set_name) = stage_text(draft, id, |s| &s.name, |s, v| s.name = v);
    let (rate, set_rate) = stage_text(draft, id, |s| &s.rate, |s, v| s.rate = v);
    let (mean, set_mean) = stage_text(draft, id, |s| &s.mean, |s, v| s.mean = v);
    let (sd, set_sd) = stage_text(draft, id, |s| &s.sd, |s, v| s.sd = v);
    let (won, set_won) = stage_text(draft, id, |s| &s.won, |s, v| s.won = v);
    let (of, set_of) = stage_text(draft, id, |s| &s.of, |s, v| s.of = v);
    let (days, set_days) = stage_text(draft, id, |s| &s.days, |s, v| s.days = v);
    let (open, set_open) = stage_text(draft, id, |s| &s.open, |s, v| s.open = v);
    let (capacity, set_capacity) = stage_text(draft, id, |s| &s.capacity, |s, v| s.capacity = v);

    let kind = Memo::new(move |_| {
        draft.with(|d| {
            d.stages
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.kind)
                .unwrap_or(ConversionKind::Fixed)
        })
    });
    let set_kind = Callback::new(move |v: String| {
        if let Some(k) = ConversionKind::parse(&v) {
            draft.update(|d| {
                if let Some(s) = d.stage_mut(id) {
                    s.kind = k;
                }
            });
        }
    });

    let button_id = move |what: &str| format!("stage-{id}-{what}");
    let move_stage = move |direction: Move| {
        let mut moved = None;
        draft.update(|d| moved = d.move_stage(id, direction));
        let Some(to) = moved else {
            return;
        };
        let n = count.get_untracked();
        // The row's DOM moves, which drops the focus: give it back to this
        // button, or to the other one when this one is now disabled at an end.
        let (same, other) = match direction {
            Move::Up => ("up", "down"),
            Move::Down => ("down", "up"),
        };
        let at_end = match direction {
            Move::Up => to == 0,
            Move::Down => to + 1 == n,
        };
        request_animation_frame(move || {
            browser::focus(&format!("stage-{id}-{}", if at_end { other } else { same }))
        });
        status.set(format!(
            "{} moved to position {} of {n}.",
            draft.with_untracked(|d| d.stage_who(id)),
            to + 1
        ));
    };
    let add_after = move |_| {
        let mut added = None;
        draft.update(|d| added = d.insert_stage_after(id));
        if let Some(new) = added {
            after_insert(draft, status, new);
        }
    };
    let remove = move |_| {
        let gone = draft.with_untracked(|d| d.stage_who(id));
        let i = index.get_untracked();
        draft.update(|d| d.remove_stage(id));
        status.set(format!("Removed {gone}."));
        request_animation_frame(move || {
            let n = draft.with_untracked(|d| d.stages.len());
            if n == 0 {
                browser::focus("add-stage");
            } else {
                browser::focus(&field_id(&format!("stages[{}].name", i.min(n - 1))));
            }
        });
    };

    let conversion = move || match kind.get() {
        ConversionKind::Fixed => view! {
            <TextField path=path("conversion") unit="%" value=rate on_input=set_rate />
        }
        .into_any(),
        ConversionKind::Estimate => view! {
            <TextField path=path("conversion.mean") unit="%" value=mean on_input=set_mean />
            <TextField
                path=path("conversion.sd")
                unit="% pts"
                value=sd
                on_input=set_sd
                hint="Standard deviation"
            />
        }
        .into_any(),
        ConversionKind::History => view! {
            <TextField
                path=path("conversion.won")
                unit="deals"
                value=won
                on_input=set_won
                inputmode="numeric"
            />
            <TextField
                path=path("conversion.of")
                unit="deals decided"
                value=of
                on_input=set_of
                inputmode="numeric"
            />
        }
        .into_any(),
    };

    view! {
        <li class="stage-card" data-testid="stage" aria-labelledby=move || format!("stage-{id}-title")>
            <div class="stage-head">
                <h3 id=move || format!("stage-{id}-title")>{title}</h3>
                <div class="stage-actions" hidden=move || shape_locked.get()>
                    <button
                        type="button"
                        id=button_id("up")
                        class="icon"
                        aria-label=move || format!("Move {} up", who.get())
                        disabled=move || index.get() == 0
                        on:click=move |_| move_stage(Move::Up)
                    >
                        <span aria-hidden="true">"↑ "</span>
                        "Up"
                    </button>
                    <button
                        type="button"
                        id=button_id("down")
                        class="icon"
                        aria-label=move || format!("Move {} down", who.get())
                        disabled=move || { index.get() + 1 >= count.get() }
                        on:click=move |_| move_stage(Move::Down)
                    >
                        <span aria-hidden="true">"↓ "</span>
                        "Down"
                    </button>
                    <button
                        type="button"
                        id=button_id("add-after")
                        class="icon"
                        aria-label=move || format!("Add stage after {}", who.get())
                        disabled=move || { count.get() >= MAX_STAGES }
                        on:click=add_after
                    >
                        <span aria-hidden="true">"+ "</span>
                        "Add stage after"
                    </button>
                    <button
                        type="button"
                        id=button_id("remove")
                        class="icon danger"
                        aria-label=move || format!("Remove {}", who.get())
                        disabled=move || { count.get() <= 1 }
                        on:click=remove
                    >
                        "Remove"
                    </button>
                </div>
            </div>
            <div class="stage-fields">
                <TextField path=path("name") value=name on_input=set_name inputmode="text" class="stage-name" />
                <SelectField
                    id=Signal::derive(move || format!("f-stages-{}-kind", index.get()))
                    label="Conversion given as"
                    options=ConversionKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
                    value=Signal::derive(move || kind.get().as_str().to_owned())
                    on_change=set_kind
                    class="kind"
                    locked=kind_locked
                />
                {conversion}
                <TextField path=path("days") unit="days" value=days on_input=set_days />
                <TextField
                    path=path("open")
                    unit="deals"
                    value=open
                    on_input=set_open
                    inputmode="numeric"
                />
                <TextField
                    path=path("capacity_per_week")
                    unit="deals/week"
                    value=capacity
                    on_input=set_capacity
                    inputmode="numeric"
                    placeholder="No limit"
                    hint="Empty: no limit"
                />
            </div>
        </li>
    }
}

/// After a stage is added: the keyboard goes to its name, and the list says
/// where it went.
fn after_insert(draft: RwSignal<Draft>, status: RwSignal<String>, id: u32) {
    let (index, n, who) = draft.with_untracked(|d| {
        (
            d.stage_index(id).unwrap_or(0),
            d.stages.len(),
            d.stage_who(id),
        )
    });
    status.set(format!("Added {who} at position {} of {n}.", index + 1));
    request_animation_frame(move || browser::focus(&field_id(&format!("stages[{index}].name"))));
}
