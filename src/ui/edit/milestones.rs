//! Revenue milestones in the form: month and cumulative revenue
//! (`target.milestones[i]`); the results' table is `ui::results::milestones`.

use leptos::prelude::*;

use crate::browser;
use crate::form::{Draft, MAX_MILESTONES, MilestoneDraft, field_id};
use crate::ui::edit::fields::TextField;
use crate::ui::state::use_ctx;

/// The milestone rows of the form, with add and remove.
#[component]
pub fn MilestoneEditor() -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let ids =
        Memo::new(move |_| draft.with(|d| d.milestones.iter().map(|m| m.id).collect::<Vec<_>>()));
    let count = Memo::new(move |_| ids.with(Vec::len));
    // An exercise fixes the milestones: none added or removed.
    let locked = crate::ui::classroom::student::view_locked();
    let add = move |_| {
        let mut added = None;
        draft.update(|d| added = d.add_milestone().map(|_| d.milestones.len() - 1));
        if let Some(i) = added {
            request_animation_frame(move || {
                browser::focus(&field_id(&format!("target.milestones[{i}].month")))
            });
        }
    };
    view! {
        <div class="milestones" role="group" aria-labelledby="milestones-title" aria-describedby="milestones-help">
            <h3 class="sub-legend" id="milestones-title">"Milestones (optional)"</h3>
            <p class="hint" id="milestones-help">
                "Revenue you want booked by the end of a month, counted from the start; the forecast shows the chance of being on track."
            </p>
            <ol class="milestone-list">
                <For each=move || ids.get() key=|id| *id let:id>
                    <MilestoneRow id=id />
                </For>
            </ol>
            <button
                type="button"
                id="add-milestone"
                class="secondary"
                hidden=move || locked.get()
                on:click=add
                disabled=move || { count.get() >= MAX_MILESTONES }
            >
                "+ Add milestone"
            </button>
        </div>
    }
}

fn milestone_text(
    draft: RwSignal<Draft>,
    id: u32,
    get: fn(&MilestoneDraft) -> &String,
    set: fn(&mut MilestoneDraft, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            draft.with(|d| {
                d.milestones
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| get(m).clone())
                    .unwrap_or_default()
            })
        }),
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(m) = d.milestone_mut(id) {
                    set(m, v);
                }
            })
        }),
    )
}

#[component]
fn MilestoneRow(id: u32) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let index = Memo::new(move |_| draft.with(|d| d.milestone_index(id).unwrap_or(0)));
    let path = move |field: &'static str| {
        Signal::derive(move || format!("target.milestones[{}].{field}", index.get()))
    };
    let (month, set_month) = milestone_text(draft, id, |m| &m.month, |m, v| m.month = v);
    let (revenue, set_revenue) = milestone_text(draft, id, |m| &m.revenue, |m, v| m.revenue = v);
    let locked = crate::ui::classroom::student::view_locked();
    let remove = move |_| {
        let i = index.get_untracked();
        draft.update(|d| d.remove_milestone(id));
        ctx.announce.set(format!("Removed milestone {}.", i + 1));
        request_animation_frame(move || {
            let n = draft.with_untracked(|d| d.milestones.len());
            if n == 0 {
                browser::focus("add-milestone");
            } else {
                browser::focus(&field_id(&format!(
                    "target.milestones[{}].month",
                    i.min(n - 1)
                )));
            }
        });
    };
    view! {
        <li class="milestone-row" data-testid="milestone">
            <TextField
                path=path("month")
                value=month
                on_input=set_month
                inputmode="numeric"
                class="narrow"
            />
            <TextField
                path=path("revenue")
                money=true
                value=revenue
                on_input=set_revenue
            />
            <button
                type="button"
                class="icon danger"
                id=format!("milestone-{id}-remove")
                aria-label=move || format!("Remove milestone {}", index.get() + 1)
                hidden=move || locked.get()
                on:click=remove
            >
                "Remove"
            </button>
        </li>
    }
}
