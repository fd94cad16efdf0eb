//! Bottlenecks and drop-off, under the funnel chart: the capacity sentence
//! (when a team's capacity is the limit), how hard each capacity-limited
//! stage is pressed, and where deals are lost.

use std::sync::Arc;

use leptos::prelude::*;

use crate::jobs::headline::Forecast;
use crate::words;

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
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Stage capacity">
                <table id="capacity-table">
                    <caption>"Stage capacity"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Stage (capacity)"</th>
                            <th scope="col" class="num">"Utilisation"</th>
                            <th scope="col" class="num">"Weeks full"</th>
                            <th scope="col" class="num">"Waiting at end"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| view! {
                                <tr class:bottleneck-row=r.bottleneck>
                                    <th scope="row">
                                        {r.stage}
                                        <span class="per-week">{format!(" {} a week", r.per_week)}</span>
                                        {r.bottleneck.then(|| view! { <span class="tag">" bottleneck"</span> })}
                                    </th>
                                    <td class="num">{r.utilisation}</td>
                                    <td class="num">{r.weeks_full}</td>
                                    <td class="num">{r.waiting}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
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
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Drop-off by stage">
            <table id="dropoff-table">
                <caption>"Where deals drop off"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Stage"</th>
                        <th scope="col" class="num">"Deals lost"</th>
                        <th scope="col" class="num">"Share of losses"</th>
                        <th scope="col" class="num">"Worth had they moved on"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| view! {
                            <tr>
                                <th scope="row">{r.stage}</th>
                                <td class="num">{r.lost}</td>
                                <td class="num">{r.share}</td>
                                <td class="num">{r.value}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{total.stage}</th>
                        <td class="num">{total.lost}</td>
                        <td class="num">{total.share}</td>
                        <td class="num">{total.value}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="muted small">
            "Deals lost: on average per trial. Worth: those deals at the later stages' usual conversion and the average deal size."
        </p>
    }
}
