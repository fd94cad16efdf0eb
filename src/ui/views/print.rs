//! What only paper shows (style/print.css): the scenario's name, its key
//! inputs as a table (`share::key_inputs`) and the link that reopens it,
//! in place of the form, which does not print.

use leptos::prelude::*;

use crate::share::{key_inputs, link};
use crate::ui::state::use_ctx;

/// The scenario's name above the printed results.
#[component]
pub fn PrintTitle() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <h1 class="print-only print-title" id="print-title">
            {move || ctx.results.with(|r| r.as_ref().map(|f| f.run.scenario.name.clone()))}
        </h1>
    }
}

/// The key inputs, the trials and seed among them, and the link, below
/// the printed results.
#[component]
pub fn PrintInputs() -> impl IntoView {
    let ctx = use_ctx();
    // The inputs of the results shown: the paper matches its figures.
    let shown = move || ctx.results.with(|r| r.as_ref().map(|f| f.run.clone()));
    move || {
        shown().map(|run| {
            let page = crate::browser::href();
            let page = page.split('#').next().unwrap_or_default().to_owned();
            let address = format!("{page}{}", link::encode(&run));
            let rows = key_inputs::key_inputs(&run);
            view! {
                <section class="print-only print-inputs" id="print-inputs">
                    <table>
                        <caption>"Key inputs"</caption>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| view! { <tr><th scope="row">{r.what}</th><td>{r.value}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </section>
                <p class="print-only print-link" id="print-link">
                    "Open this forecast again: " <span class="url">{address}</span>
                </p>
            }
        })
    }
}
