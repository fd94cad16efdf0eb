//! The milestones' table: the chance of being on track at each milestone.

use std::sync::Arc;

use leptos::prelude::*;

use crate::jobs::headline::Forecast;
use crate::ui::results::table::{Column, DataTable, Row};
use crate::words;

const COLUMNS: &[Column] = &[
    Column::text("By"),
    Column::num("Revenue booked"),
    Column::num("Chance"),
    Column::num("Give or take (from the simulation)"),
];

/// The chance of being on track at each milestone.
#[component]
pub fn MilestoneTable(forecast: Arc<Forecast>) -> impl IntoView {
    let rows = words::milestones::milestone_rows(&forecast.summary);
    (!rows.is_empty()).then(|| {
        let rows = rows
            .into_iter()
            .map(|r| Row::new(r.month, vec![r.revenue, r.chance, r.error]))
            .collect();
        view! {
            <DataTable
                label="Milestones: chance of being on track"
                id="milestone-table"
                caption="Milestones: chance of being on track"
                columns=COLUMNS
                rows=rows
            />
        }
    })
}
