//! Bottlenecks and drop-off, under the funnel chart: the capacity sentence
//! (when a team's capacity is the limit), how hard each capacity-limited
//! stage is pressed, and where deals are lost.

use std::sync::Arc;

use leptos::prelude::*;

use crate::jobs::headline::Forecast;
use crate::ui::results::table::{Column, DataTable, Row};
use crate::words;

const CAPACITY_COLUMNS: &[Column] = &[
    Column::text("Stage (capacity)"),
    Column::num("Utilisation"),
    Column::num("Weeks full"),
    Column::num("Waiting at end"),
];

const DROPOFF_COLUMNS: &[Column] = &[
    Column::text("Stage"),
    Column::num("Deals lost"),
    Column::num("Share of losses"),
    Column::num("Worth had they moved on"),
];

/// "Discovery is the bottleneck: …", when a capacity is the limit.
#[component]
pub fn BottleneckSentence(forecast: Arc<Forecast>) -> impl IntoView {
    words::funnel::bottleneck_sentence(&forecast.summary)
        .map(|s| view! { <p class="bottleneck" id="bottleneck-sentence">{s}</p> })
}

/// Each stage with a capacity: utilisation, weeks full, the queue at the end.
#[component]
pub fn CapacityTable(forecast: Arc<Forecast>) -> impl IntoView {
    let rows = words::funnel::capacity_rows(&forecast.summary);
    (!rows.is_empty()).then(|| {
        let rows = rows
            .into_iter()
            .map(|r| {
                let head = view! {
                    {r.stage}
                    <span class="per-week">{format!(" {} a week", r.per_week)}</span>
                    {r.bottleneck.then(|| view! { <span class="tag">" bottleneck"</span> })}
                };
                Row::new(head, vec![r.utilisation, r.weeks_full, r.waiting])
                    .class(r.bottleneck.then_some("bottleneck-row"))
            })
            .collect();
        view! {
            <DataTable
                label="Stage capacity"
                id="capacity-table"
                caption="Stage capacity"
                columns=CAPACITY_COLUMNS
                rows=rows
            />
            <p class="muted small">
                "Utilisation: deals that left the stage ÷ (capacity × weeks). Weeks full: the share of weeks in which more deals were ready to move than the team could take. Waiting: deals ready to leave in the last week that had to wait (averages over trials)."
            </p>
        }
    })
}

/// Deals lost at each stage: how many, their share of all losses, and what
/// they would have been worth had they moved on.
#[component]
pub fn DropoffTable(forecast: Arc<Forecast>) -> impl IntoView {
    let (rows, total) = words::funnel::dropoff_rows(&forecast.summary);
    let row = |r: words::funnel::DropRow| Row::new(r.stage, vec![r.lost, r.share, r.value]);
    view! {
        <DataTable
            label="Drop-off by stage"
            id="dropoff-table"
            caption="Where deals drop off"
            columns=DROPOFF_COLUMNS
            rows=rows.into_iter().map(row).collect()
            total=row(total)
        />
        <p class="muted small">
            "Deals lost: on average per trial. Worth: those deals at the later stages' usual conversion and the average deal size."
        </p>
    }
}
