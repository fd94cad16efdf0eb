//! A chart's numbers as a plain table, for people who cannot see or point
//! at the drawing. Each chart builds its table from the layout it draws, so
//! the two cannot disagree; this module only holds the type and draws it.

use leptos::prelude::*;

/// The numbers behind a chart: one header per column, the first column
/// naming each row (drawn as its row header).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl ChartTable {
    /// Every row has one cell per column (a short row would shift its
    /// numbers under the wrong header).
    pub fn is_rectangular(&self) -> bool {
        self.rows.iter().all(|r| r.len() == self.columns.len())
    }

    /// The cells of column `name`, top to bottom (for tests and callers
    /// that compare a column with what was drawn).
    pub fn column(&self, name: &str) -> Option<Vec<&str>> {
        let i = self.columns.iter().position(|c| c == name)?;
        Some(
            self.rows
                .iter()
                .map(|r| r.get(i).map_or("", String::as_str))
                .collect(),
        )
    }
}

/// `table` as an HTML table in a scrollable, labelled region (a wide table
/// scrolls sideways on a phone, and a keyboard must be able to scroll it).
#[component]
pub fn ChartTableView(
    table: ChartTable,
    /// Id of the region, for the toggle's `aria-controls`.
    id: String,
) -> impl IntoView {
    let caption_id = format!("{id}-caption");
    let ChartTable {
        caption,
        columns,
        rows,
    } = table;
    let head = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let class = (i > 0).then_some("num");
            view! { <th scope="col" class=class>{c}</th> }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    if i == 0 {
                        view! { <th scope="row">{cell}</th> }.into_any()
                    } else {
                        view! { <td class="num">{cell}</td> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let labelledby = caption_id.clone();
    view! {
        <div class="table-wrap chart-table" id=id role="region" tabindex="0" aria-labelledby=labelledby>
            <table>
                <caption id=caption_id>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangular_and_columns() {
        let mut t = ChartTable {
            caption: "c".into(),
            columns: vec!["Stage".into(), "Deals".into()],
            rows: vec![vec!["Lead".into(), "10".into()]],
        };
        assert!(t.is_rectangular());
        assert_eq!(t.column("Deals"), Some(vec!["10"]));
        assert_eq!(t.column("Nope"), None);
        t.rows.push(vec!["Won".into()]);
        assert!(!t.is_rectangular());
        assert_eq!(t.column("Deals"), Some(vec!["10", ""]));
    }
}
