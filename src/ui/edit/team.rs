//! The sales team: how many quota-carrying reps, their quota and how unevenly
//! they perform. Optional; incentive plans need it.

use leptos::prelude::*;

use crate::form::Draft;
use crate::ui::edit::fields::{TextField, bind};
use crate::ui::state::use_ctx;

/// The currency code the form shows in money labels ("USD" when empty).
pub fn currency_unit(draft: RwSignal<Draft>) -> String {
    draft.with(|d| {
        let c = d.currency.trim();
        if c.is_empty() {
            "USD".to_owned()
        } else {
            c.to_owned()
        }
    })
}

#[component]
pub fn TeamEditor() -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let enabled = Memo::new(move |_| draft.with(|d| d.team.enabled));
    let (reps, set_reps) = bind(|d| d.team.reps.clone(), |d, v| d.team.reps = v);
    let (quota, set_quota) = bind(|d| d.team.quota.clone(), |d, v| d.team.quota = v);
    let (skill, set_skill) = bind(|d| d.team.skill_sd.clone(), |d, v| d.team.skill_sd = v);

    // An exercise fixes the team: the whole fieldset is disabled.
    let locked = crate::ui::classroom::student::view_locked();
    let toggle = move |on: bool| {
        draft.update(|d| d.team.enabled = on);
        ctx.announce.set(if on {
            "Sales team included: incentive plans can be compared.".into()
        } else {
            "Sales team left out: the forecast runs without plans.".into()
        });
    };

    view! {
        <fieldset
            class="team"
            id="team"
            aria-describedby=move || if locked.get() { "team-help exercise-locked-note" } else { "team-help" }
            disabled=move || locked.get()
        >
            <legend>"Sales team"</legend>
            <p class="hint" id="team-help">
                "Quota-carrying reps share the won deals between them. "
                "A team is needed to compare incentive plans; it does not change the forecast itself."
            </p>
            <div class="check">
                <input
                    type="checkbox"
                    id="team-enabled"
                    prop:checked=move || enabled.get()
                    on:change:target=move |ev| toggle(ev.target().checked())
                />
                <label for="team-enabled">"Include a sales team and incentive plans"</label>
            </div>
            <Show when=move || enabled.get()>
                <div class="row">
                    <TextField
                        path="team.reps"
                        unit="quota-carrying"
                        value=reps
                        on_input=set_reps
                        inputmode="numeric"
                        hint="1 to 500"
                    />
                    <TextField
                        path="team.quota"
                        money=true
                        value=quota
                        on_input=set_quota
                        hint="Bookings each rep should close over the horizon"
                    />
                </div>
                <div class="row">
                    <TextField
                        path="team.skill_sd"
                        unit="0 = all alike"
                        value=skill
                        on_input=set_skill
                        hint="0 = every rep equally good; 0.3 = the best reps close about twice what the weakest do (the spread of rep performance, 0 to 2)."
                        class="wide"
                    />
                </div>
            </Show>
        </fieldset>
    }
}
