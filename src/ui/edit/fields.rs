//! Form controls: a labelled text field with its unit and its error message,
//! and a labelled select. Each reads and writes the shared `Draft`.

use leptos::prelude::*;

use crate::form::{Draft, field_id, field_label, label};
use crate::ui::classroom::student::{LOCKED_NOTE_ID, field_locked};
use crate::ui::state::use_ctx;

/// A field's `aria-describedby`: its error message (when shown) and its
/// hint, by the ids every field gives them (`{id}-error`, `{id}-hint`), and
/// when an exercise locks it, the sentence that says what may change.
pub fn described_by(id: &str, has_error: bool, has_hint: bool, locked: bool) -> Option<String> {
    let mut ids: Vec<String> = [(has_error, "error"), (has_hint, "hint")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    if locked {
        ids.push(LOCKED_NOTE_ID.into());
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A text input bound to a field of the draft.
///
/// The input's id comes from the field path (`f-stages-2-days`), its error
/// message's id adds `-error`; `aria-describedby` ties them, and the message
/// names the field so it reads well on its own. Its label is the path's in
/// `form::label`, the table messages name the field from too.
#[component]
pub fn TextField(
    /// MODEL.md path of the field, e.g. `stages[2].days` (reactive: stages move).
    #[prop(into)]
    path: Signal<String>,
    /// An amount of money: the label says in which currency.
    #[prop(optional)]
    money: bool,
    /// Unit shown beside the label, e.g. "%" or "days".
    #[prop(optional)]
    unit: Option<&'static str>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    /// "decimal", "numeric" or "text".
    #[prop(default = "decimal")]
    inputmode: &'static str,
    /// A short hint under the input.
    #[prop(optional)]
    hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(default = "")] class: &'static str,
) -> impl IntoView {
    let ctx = use_ctx();
    let id = Memo::new(move |_| path.with(|p| field_id(p)));
    let error = Memo::new(move |_| path.with(|p| ctx.error_at(p)));
    let label = move || {
        let text = path.with(|p| label(p).unwrap_or_default());
        if money {
            format!(
                "{text} ({})",
                crate::ui::edit::team::currency_unit(ctx.draft)
            )
        } else {
            text.to_owned()
        }
    };
    let message = move || {
        error.get().map(|m| {
            let label = path.with(|p| ctx.draft.with(|d| field_label(p, d)));
            format!("{label}: {m}")
        })
    };
    // In an exercise, a field the student may not change is read-only (and
    // says so to a screen reader), and still focusable, so it can be read.
    let locked = field_locked(move || path.get());
    let describedby = move || {
        described_by(
            &id.get(),
            error.with(Option::is_some),
            hint.is_some(),
            locked.get(),
        )
    };
    view! {
        <div
            class=format!("field {class}")
            class:invalid=move || error.with(Option::is_some)
            class:locked=move || locked.get()
        >
            <label for=move || id.get()>
                <span class="label-text">{label}</span>
                {unit.map(|u| view! { <span class="unit">{format!("({u})")}</span> })}
                <span class="lock-badge" hidden=move || !locked.get()>"locked"</span>
            </label>
            <input
                type="text"
                id=move || id.get()
                inputmode=inputmode
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                prop:value=move || value.get()
                readonly=move || locked.get()
                aria-readonly=move || locked.get().then_some("true")
                on:input:target=move |ev| {
                    if !locked.get_untracked() {
                        on_input.run(ev.target().value())
                    }
                }
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=describedby
            />
            {hint.map(|h| view! { <p class="hint" id=move || format!("{}-hint", id.get())>{h}</p> })}
            <p class="error" id=move || format!("{}-error", id.get()) hidden=move || error.with(Option::is_none)>
                {message}
            </p>
        </div>
    }
}

/// A select bound to a field of the draft.
#[component]
pub fn SelectField(
    #[prop(into)] id: Signal<String>,
    #[prop(into)] label: Signal<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(default = "")] class: &'static str,
    /// Locked by an exercise: a select cannot be read-only, so it is
    /// disabled, and described by the sentence that says what may change.
    #[prop(optional, into)]
    locked: Option<Signal<bool>>,
) -> impl IntoView {
    let locked = move || locked.is_some_and(|l| l.get());
    view! {
        <div class=format!("field {class}") class:locked=locked>
            <label for=move || id.get()>
                <span class="label-text">{label}</span>
                <span class="lock-badge" hidden=move || !locked()>"locked"</span>
            </label>
            <select
                id=move || id.get()
                disabled=locked
                aria-describedby=move || locked().then_some(LOCKED_NOTE_ID)
                on:change:target=move |ev| on_change.run(ev.target().value())
            >
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        view! {
                            <option value=v prop:selected=move || value.with(|x| x == v)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A signal of one text field of the draft, and a callback that sets it.
pub fn bind(
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + Send + Sync + 'static,
) -> (Signal<String>, Callback<String>) {
    let ctx = use_ctx();
    let draft = ctx.draft;
    (
        Signal::derive(move || draft.with(&get)),
        Callback::new(move |v: String| draft.update(|d| set(d, v))),
    )
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn a_field_is_described_by_its_error_then_its_hint() {
        assert_eq!(described_by("f-seed", false, false, false), None);
        assert_eq!(
            described_by("f-seed", true, false, false).as_deref(),
            Some("f-seed-error")
        );
        assert_eq!(
            described_by("f-seed", true, true, false).as_deref(),
            Some("f-seed-error f-seed-hint")
        );
        assert_eq!(
            described_by("f-seed", false, true, false).as_deref(),
            Some("f-seed-hint")
        );
        assert_eq!(
            described_by("f-seed", false, true, true).as_deref(),
            Some("f-seed-hint exercise-locked-note")
        );
        assert_eq!(
            described_by("f-seed", false, false, true).as_deref(),
            Some("exercise-locked-note")
        );
    }
}
