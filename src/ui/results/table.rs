//! The results' tables, drawn one way: a keyboard-scrollable region named for
//! screen readers, a caption, column heads, a head cell per row, numbers
//! right-aligned, and an optional total row.

use leptos::prelude::*;

/// A column's head; `num` right-aligns the column (class `num`).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub head: &'static str,
    pub num: bool,
}

impl Column {
    pub const fn text(head: &'static str) -> Self {
        Self { head, num: false }
    }

    pub const fn num(head: &'static str) -> Self {
        Self { head, num: true }
    }
}

/// One row: what it is about (its head cell, under the first column) and a
/// text for each further column.
pub struct Row {
    head: AnyView,
    cells: Vec<String>,
    class: Option<&'static str>,
}

impl Row {
    pub fn new(head: impl IntoView + 'static, cells: Vec<String>) -> Self {
        Self {
            head: head.into_any(),
            cells,
            class: None,
        }
    }

    /// The row's class, when it is set apart (e.g. the bottleneck).
    pub fn class(mut self, class: Option<&'static str>) -> Self {
        self.class = class;
        self
    }
}

#[component]
pub fn DataTable(
    /// The scrolling region's accessible name.
    label: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(into)] caption: String,
    columns: &'static [Column],
    rows: Vec<Row>,
    /// A last row apart from the others (`<tfoot>`), e.g. the total.
    #[prop(optional)]
    total: Option<Row>,
    /// The table reflows into a card per row on narrow screens
    /// (`table.cards` in style/plans.css): the display change drops a
    /// table's implicit roles, so they are written out, and each cell
    /// carries its column's head for the card to show.
    #[prop(optional)]
    cards: bool,
) -> impl IntoView {
    let role = move |name: &'static str| cards.then_some(name);
    let heads = columns
        .iter()
        .map(|c| {
            view! {
                <th scope="col" role=role("columnheader") class=c.num.then_some("num")>{c.head}</th>
            }
        })
        .collect_view();
    let row = move |r: Row| {
        let cells = columns
            .iter()
            .skip(1)
            .zip(r.cells)
            .map(|(c, text)| {
                view! {
                    <td role=role("cell") class=c.num.then_some("num") data-label=cards.then_some(c.head)>
                        {text}
                    </td>
                }
            })
            .collect_view();
        view! {
            <tr role=role("row") class=r.class>
                <th scope="row" role=role("rowheader")>{r.head}</th>
                {cells}
            </tr>
        }
    };
    let body = rows.into_iter().map(row).collect_view();
    let total = total.map(|t| view! { <tfoot role=role("rowgroup")>{row(t)}</tfoot> });
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table id=id class=cards.then_some("cards") role=role("table")>
                <caption>{caption}</caption>
                <thead role=role("rowgroup")>
                    <tr role=role("row")>{heads}</tr>
                </thead>
                <tbody role=role("rowgroup")>{body}</tbody>
                {total}
            </table>
        </div>
    }
}
