//! The scenario form: what the funnel looks like, in the user's words.

use funnel_engine::Noise;
use leptos::prelude::*;

use crate::browser;
use crate::form::label;
use crate::ui::classroom::student::view_locked;
use crate::ui::edit::fields::{SelectField, TextField, bind};
use crate::ui::edit::stages::StageEditor;
use crate::ui::state::use_ctx;

#[component]
pub fn ScenarioForm() -> impl IntoView {
    let ctx = use_ctx();

    let (name, set_name) = bind(|d| d.name.clone(), |d, v| d.name = v);
    let (horizon, set_horizon) = bind(|d| d.horizon_months.clone(), |d, v| d.horizon_months = v);
    let (leads, set_leads) = bind(|d| d.leads_per_month.clone(), |d, v| d.leads_per_month = v);
    let (growth, set_growth) = bind(|d| d.growth.clone(), |d, v| d.growth = v);
    let (uncertainty, set_uncertainty) = bind(|d| d.uncertainty.clone(), |d, v| d.uncertainty = v);
    let (noise, set_noise) = bind(
        |d| d.noise.as_str().to_owned(),
        |d, v| {
            d.noise = if v == "fixed" {
                Noise::Fixed
            } else {
                Noise::Poisson
            }
        },
    );
    let (currency, set_currency) = bind(|d| d.currency.clone(), |d, v| d.currency = v);
    let (median, set_median) = bind(|d| d.deal_median.clone(), |d, v| d.deal_median = v);
    let (p90, set_p90) = bind(|d| d.deal_p90.clone(), |d, v| d.deal_p90 = v);
    let (target, set_target) = bind(|d| d.target.clone(), |d, v| d.target = v);
    let (trials, set_trials) = bind(|d| d.trials.clone(), |d, v| d.trials = v);
    let (seed, set_seed) = bind(|d| d.seed.clone(), |d, v| d.seed = v);
    // In an exercise nothing here but the fields it opens may change.
    let locked = view_locked();

    view! {
        <form class="scenario-form" on:submit=|ev| ev.prevent_default() novalidate>
            <fieldset>
                <legend>"Scenario"</legend>
                <div class="row">
                    <TextField
                        path="name"
                        value=name
                        on_input=set_name
                        inputmode="text"
                        class="wide"
                    />
                    <TextField
                        path="horizon_months"
                        unit="months"
                        value=horizon
                        on_input=set_horizon
                        inputmode="numeric"
                        hint="1 to 60"
                    />
                </div>
            </fieldset>

            <fieldset>
                <legend>"New leads"</legend>
                <div class="row">
                    <TextField
                        path="leads.per_month"
                        unit="leads"
                        value=leads
                        on_input=set_leads
                        hint="Expected in month 1"
                    />
                    <TextField
                        path="leads.growth_per_month"
                        unit="% per month"
                        value=growth
                        on_input=set_growth
                        hint="2 means +2% a month"
                    />
                </div>
                <div class="row">
                    <SelectField
                        id="f-leads-noise"
                        label=label("leads.noise").unwrap_or_default()
                        options=vec![("poisson", "Random"), ("fixed", "None (exact counts)")]
                        value=noise
                        on_change=set_noise
                        locked=locked
                    />
                    <TextField
                        path="leads.uncertainty_cv"
                        unit="% up or down"
                        value=uncertainty
                        on_input=set_uncertainty
                        hint="How far the true monthly volume may be off, typically; 0 if known"
                    />
                </div>
                <crate::ui::edit::seasonality::SeasonalityEditor />
            </fieldset>

            <StageEditor />

            <fieldset>
                <legend>"Deal size and target"</legend>
                <div class="row">
                    <TextField
                        path="deal_size.median"
                        money=true
                        value=median
                        on_input=set_median
                        hint="Half of won deals are smaller"
                    />
                    <TextField
                        path="deal_size.p90"
                        money=true
                        value=p90
                        on_input=set_p90
                        hint="9 in 10 won deals are at most this"
                    />
                </div>
                <div class="row">
                    <TextField
                        path="target.revenue"
                        money=true
                        value=target
                        on_input=set_target
                        hint="Over the horizon; leave empty for none"
                        class="wide"
                    />
                    <TextField
                        path="currency"
                        unit="code"
                        value=currency
                        on_input=set_currency
                        inputmode="text"
                        placeholder="USD"
                        class="narrow"
                    />
                </div>
                <crate::ui::edit::milestones::MilestoneEditor />
            </fieldset>

            <crate::ui::edit::team::TeamEditor />
            <crate::ui::edit::plans::PlanEditor />

            <fieldset>
                <legend>"Simulation"</legend>
                <div class="row">
                    <TextField
                        path="trials"
                        unit="simulated futures"
                        value=trials
                        on_input=set_trials
                        inputmode="numeric"
                        hint="Up to 1,000,000 (fewer for long horizons or many plans); more trials, smaller error"
                    />
                    <div class="seed-group">
                        <TextField
                            path="seed"
                            unit="whole number"
                            value=seed
                            on_input=set_seed
                            inputmode="numeric"
                            hint="The same number gives the same results (it seeds the random numbers)"
                        />
                        <button
                            type="button"
                            id="new-seed"
                            class="secondary"
                            aria-label="Shuffle: new random numbers"
                            hidden=move || locked.get()
                            on:click=move |_| {
                                let s = browser::random_seed().to_string();
                                ctx.draft.update(|d| d.seed = s);
                            }
                        >
                            // Short: the row must fit a 420 px embed beside its field.
                            "Shuffle"
                        </button>
                    </div>
                </div>
            </fieldset>
        </form>
    }
}
