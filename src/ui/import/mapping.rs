//! The columns found and what the import uses: one select per column role
//! (populated from the header), the layout, the date order and the stage
//! order; "Read again" reads the file with them.

use funnel_engine::calibrate::{DateOrder, LayoutKind};
use leptos::prelude::*;

use super::ImportState;
use crate::calibration::Mapping;

/// One role's select: "— none —" and every header name.
#[component]
fn ColumnSelect(
    state: ImportState,
    id: &'static str,
    label: &'static str,
    get: fn(&Mapping) -> Option<usize>,
    set: fn(&mut Mapping, Option<usize>),
    #[prop(default = false)] required: bool,
) -> impl IntoView {
    let headers = move || {
        state
            .file
            .with(|f| f.as_ref().map(|f| f.headers.clone()).unwrap_or_default())
    };
    let value = move || {
        state
            .mapping
            .with(|m| get(m).map_or(String::new(), |c| c.to_string()))
    };
    view! {
        <div class="import-field">
            <label for=id>{label}{required.then_some(" *")}</label>
            <select
                id=id
                on:change:target=move |ev| {
                    let v = ev.target().value().parse::<usize>().ok();
                    state.mapping.update(|m| set(m, v));
                }
            >
                <option value="" prop:selected=move || value().is_empty()>"— none —"</option>
                {move || {
                    headers()
                        .into_iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let v = i.to_string();
                            let v2 = v.clone();
                            view! {
                                <option value=v prop:selected=move || value() == v2>{h}</option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

#[component]
pub fn MappingForm(state: ImportState) -> impl IntoView {
    let kind = move || state.mapping.with(|m| m.kind);
    let found = move || {
        state.file.with(|f| {
            f.as_ref().map(|f| {
                let detected = if f.detected {
                    match state.mapping.with_untracked(|m| m.kind) {
                        LayoutKind::Long => "It reads as the long layout: a row per stage a deal entered.",
                        LayoutKind::Wide => "It reads as the wide layout: a row per deal, an “entered STAGE” column per stage.",
                    }
                } else {
                    "No layout was recognised: choose which column is what below."
                };
                (f.headers.join(", "), detected)
            })
        })
    };
    let order_value = move || match state.date_order.get() {
        None => "",
        Some(DateOrder::MonthFirst) => "mdy",
        Some(DateOrder::DayFirst) => "dmy",
    };
    let move_stage = move |i: usize, up: bool| {
        state.stages.update(|s| {
            if let Some(s) = s {
                let j = if up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < s.len()) {
                    s.swap(i, j);
                }
            }
        });
    };
    view! {
        {move || {
            found()
                .map(|(cols, detected)| {
                    view! {
                        <p class="import-found" id="import-found">
                            <strong>"Columns found: "</strong>
                            {cols}
                            ". "
                            {detected}
                        </p>
                    }
                })
        }}
        <details class="import-mapping" open=move || state.file.with(|f| f.as_ref().is_some_and(|f| !f.detected))>
            <summary>"Columns, stage order and dates"</summary>
            <div class="import-grid">
                <div class="import-field">
                    <label for="map-kind">"Layout"</label>
                    <select
                        id="map-kind"
                        on:change:target=move |ev| {
                            let k = if ev.target().value() == "wide" { LayoutKind::Wide } else { LayoutKind::Long };
                            state.mapping.update(|m| m.kind = k);
                        }
                    >
                        <option value="long" prop:selected=move || kind() == LayoutKind::Long>
                            "Long: a row per stage entered"
                        </option>
                        <option value="wide" prop:selected=move || kind() == LayoutKind::Wide>
                            "Wide: a row per deal"
                        </option>
                    </select>
                </div>
                <ColumnSelect state=state id="map-deal" label="Deal id" required=true get=|m| m.deal set=|m, v| m.deal = v />
                <Show when=move || kind() == LayoutKind::Long>
                    <ColumnSelect state=state id="map-stage" label="Stage" required=true get=|m| m.stage set=|m, v| m.stage = v />
                    <ColumnSelect state=state id="map-entered" label="Date entered" required=true get=|m| m.entered set=|m, v| m.entered = v />
                </Show>
                <ColumnSelect state=state id="map-status" label="Status (won, lost, open)" required=true get=|m| m.status set=|m, v| m.status = v />
                <ColumnSelect state=state id="map-amount" label="Amount" get=|m| m.amount set=|m, v| m.amount = v />
                <ColumnSelect state=state id="map-closed" label="Date closed" get=|m| m.closed set=|m, v| m.closed = v />
                <div class="import-field">
                    <label for="map-date-order">"Dates like 03/04/2025"</label>
                    <select
                        id="map-date-order"
                        on:change:target=move |ev| state.date_order.set(DateOrder::parse(&ev.target().value()))
                    >
                        <option value="" prop:selected=move || order_value().is_empty()>"Detect from the file"</option>
                        <option value="mdy" prop:selected=move || order_value() == "mdy">"Month first (US)"</option>
                        <option value="dmy" prop:selected=move || order_value() == "dmy">"Day first"</option>
                    </select>
                </div>
            </div>
            {move || {
                state
                    .stages
                    .get()
                    .map(|stages| {
                        let n = stages.len();
                        view! {
                            <div class="import-stages">
                                <h3 id="import-stages-title">"Stage order"</h3>
                                <ol aria-labelledby="import-stages-title" id="import-stages">
                                    {stages
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, s)| {
                                            let up = format!("Move {s} up");
                                            let down = format!("Move {s} down");
                                            view! {
                                                <li>
                                                    <span>{s}</span>
                                                    <button type="button" class="secondary small" aria-label=up disabled=i == 0 on:click=move |_| move_stage(i, true)>"↑"</button>
                                                    <button type="button" class="secondary small" aria-label=down disabled=i + 1 == n on:click=move |_| move_stage(i, false)>"↓"</button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </div>
                        }
                    })
            }}
            <button type="button" id="import-read" on:click=move |_| state.read()>
                "Read the file with these settings"
            </button>
        </details>
    }
}
