//! The note under the panel that applied the latest what-if, with its Undo.

use leptos::prelude::*;

use crate::ui::state::use_ctx;

/// The note under a panel that applied a what-if, with its Undo button.
#[component]
pub fn WhatIfNote(
    /// Shown when the latest what-if came from the goal panel (else from levers).
    goal: bool,
) -> impl IntoView {
    let ctx = use_ctx();
    let label = Memo::new(move |_| {
        ctx.what_ifs
            .with(|w| w.latest_from(goal).map(|w| w.label.clone()))
    });
    move || {
        label.get().map(|label| {
            view! {
                <div class="what-if" id="what-if-note">
                    <p>
                        "What-if applied: " <strong>{label}</strong>
                        ". The form now shows the changed scenario; the browser's Back button or Undo restores the one before."
                    </p>
                    <button type="button" id="undo-what-if" class="secondary" on:click=move |_| ctx.undo_what_if()>
                        "Undo what-if"
                    </button>
                </div>
            }
        })
    }
}
