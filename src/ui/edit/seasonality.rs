//! Seasonality: a disclosure under "New leads" ("Seasonality: flat") that
//! opens a row of twelve percentages of an average month, the presets, the
//! month the forecast starts in and the expected leads by month. Closed by
//! default while the scenario has none, so the page reads as before.

use funnel_engine::scenario::MONTH_NAMES;
use funnel_engine::timing::expected_leads_by_month;
use leptos::prelude::*;

use crate::charts::season::SeasonChart;
use crate::form::{SeasonPreset, field_id, field_label, label, month_short};
use crate::ui::classroom::student::view_locked;
use crate::ui::edit::fields::SelectField;
use crate::ui::state::use_ctx;

/// The start-month select's options: not set, then January..December.
const START_OPTIONS: [(&str, &str); 13] = [
    ("", "Not set (months numbered)"),
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
];

#[component]
pub fn SeasonalityEditor() -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let locked = view_locked();
    let words = Memo::new(move |_| draft.with(|d| d.season_words()));
    let start = Memo::new(move |_| draft.with(|d| d.start_month));
    let open_at_first =
        draft.with_untracked(|d| d.season_words() != "flat" || d.start_month.is_some());
    let start_value =
        Signal::derive(move || start.get().map(|m| m.to_string()).unwrap_or_default());
    let set_start = Callback::new(move |v: String| {
        draft.update(|d| d.start_month = v.parse().ok().filter(|m| (1..=12).contains(m)))
    });
    let chart = move || {
        ctx.parsed.with(|p| {
            p.as_ref().ok().map(|run| {
                let s = &run.scenario;
                let mut flat = s.clone();
                flat.leads.seasonality = None;
                view! {
                    <SeasonChart
                        expected=expected_leads_by_month(s)
                        flat=expected_leads_by_month(&flat)
                        start=s.start_month()
                    />
                }
            })
        })
    };
    view! {
        <details class="seasonality" id="seasonality" open=open_at_first>
            <summary>
                "Seasonality: " <span id="seasonality-words">{move || words.get()}</span>
            </summary>
            <fieldset
                class="season-fields"
                disabled=move || locked.get()
                aria-describedby="seasonality-help"
            >
                <legend class="visually-hidden">"Seasonality"</legend>
                <p class="hint" id="seasonality-help">
                    "Leads in each calendar month, in percent of an average month: 100% is an average month, 50% half of one, 0% none. "
                    "They multiply the expected leads (leads per month, with growth)."
                </p>
                <div class="season-presets" role="group" aria-label="Seasonality presets">
                    {SeasonPreset::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    aria-pressed=move || {
                                        draft.with(|d| d.season_preset() == Some(p)).to_string()
                                    }
                                    on:click=move |_| {
                                        draft.update(|d| d.set_season_preset(p));
                                        ctx.announce.set(format!("Seasonality set to {}.", p.label().to_lowercase()));
                                    }
                                >
                                    {p.label()}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <div class="season-grid">
                    {(0..12).map(|i| view! { <MonthField month=i /> }).collect_view()}
                </div>
                <div class="season-errors">
                    {(0..12)
                        .map(|i| {
                            let path = format!("leads.seasonality[{i}]");
                            let id = field_id(&path);
                            let error = Memo::new({
                                let path = path.clone();
                                move |_| ctx.error_at(&path)
                            });
                            let message = move || {
                                error.get().map(|m| {
                                    let label = draft.with(|d| field_label(&path, d));
                                    format!("{label}: {m}")
                                })
                            };
                            view! {
                                <p class="error" id=format!("{id}-error") hidden=move || error.with(Option::is_none)>
                                    {message}
                                </p>
                            }
                        })
                        .collect_view()}
                </div>
                <div class="row">
                    <SelectField
                        id="f-start_month"
                        label=label("start_month").unwrap_or_default()
                        options=START_OPTIONS.to_vec()
                        value=start_value
                        on_change=set_start
                        locked=locked
                    />
                    <p class="hint season-start-hint">
                        "Names the pipeline's months; not set, month 1 counts as January for seasonality."
                    </p>
                </div>
                {chart}
            </fieldset>
        </details>
    }
}

/// One month's percentage: a visible "Jan" over the input, read out as
/// "January, percent of an average month".
#[component]
fn MonthField(month: usize) -> impl IntoView {
    let ctx = use_ctx();
    let draft = ctx.draft;
    let path = format!("leads.seasonality[{month}]");
    let id = field_id(&path);
    let error = Memo::new({
        let path = path.clone();
        move |_| ctx.error_at(&path)
    });
    let error_id = format!("{id}-error");
    view! {
        <div class="season-month" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>
                <span aria-hidden="true">{month_short(month)}</span>
                <span class="visually-hidden">
                    {format!("{}, percent of an average month", MONTH_NAMES[month])}
                </span>
            </label>
            <input
                type="text"
                id=id
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || draft.with(|d| d.seasonality[month].clone())
                on:input:target=move |ev| {
                    let v = ev.target().value();
                    draft.update(|d| d.seasonality[month] = v)
                }
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone())
            />
            <span class="season-unit" aria-hidden="true">"%"</span>
        </div>
    }
}
