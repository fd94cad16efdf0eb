//! The compact views a link's `view=` asks for (MODEL.md, "Links";
//! `share::flags`): the results, or one chart with its headline sentence,
//! and the inputs `edit=` names beside them. No page chrome: no toolbar, no
//! form, no help; a link opens the full model in a new tab.
//!
//! The results are the full page's components; style/embed.css shows the
//! part the view asks for (`main.compact[data-view=…]`), so that a view
//! draws exactly what the full page draws, from the same forecast.

pub mod inputs;
pub mod print;

use leptos::prelude::*;

use crate::share::flags::{Flags, View};
use crate::share::link;
use crate::ui::edit::fields::TextField;
use crate::ui::results;
use crate::ui::state::use_ctx;

/// What the link asked for that the page could not follow, above the page.
#[component]
pub fn FlagNotes(problems: Vec<String>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="notice flag-notes" id="flag-notes" role="alert">
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        }
    })
}

/// A compact view: the inputs of `edit=` (when any), the view's part of the
/// results, and "Open the full model".
#[component]
pub fn Compact(flags: Flags, problems: Vec<String>) -> impl IntoView {
    let ctx = use_ctx();
    let view_name = flags.view.as_str();
    let levers = matches!(flags.view, View::Results | View::Tornado);
    let no_plans = move || {
        flags.view == View::Plans
            && ctx
                .results
                .with(|r| r.as_ref().is_some_and(|f| f.summary.plans.is_empty()))
    };
    let theme = flags.theme;
    let full = move || {
        ctx.parsed.with(|p| {
            p.as_ref()
                .ok()
                .map(|run| full_view_link(&crate::browser::href(), run, theme))
        })
    };
    view! {
        <main class="compact" data-view=view_name>
            <FlagNotes problems=problems />
            {(!flags.edit.is_empty()).then(|| view! { <EditInputs paths=flags.edit.clone() /> })}
            <div class="compact-results">
                <results::Results />
                {levers.then(|| view! { <results::levers::LeversPanel /> })}
                <Show when=no_plans>
                    <p class="muted" id="no-plans">
                        "This scenario has no incentive plans to compare; the full model can add them."
                    </p>
                </Show>
            </div>
            <p class="open-full">
                <a id="open-full" href=full target="_blank" rel="noopener">
                    "Open the full model"
                </a>
            </p>
        </main>
    }
}

/// The inputs `edit=` names, each the form's own field for its path, so
/// that typing in one recomputes the view as the form would.
#[component]
fn EditInputs(paths: Vec<String>) -> impl IntoView {
    let ctx = use_ctx();
    // Resolved once, on the scenario the link opened: the inputs shown do
    // not come and go while someone types.
    let (groups, problems) = ctx.draft.with_untracked(|d| inputs::resolve_all(&paths, d));
    let draft = ctx.draft;
    let field = move |input: inputs::Input| {
        let slot = input.slot;
        let value = Signal::derive(move || draft.with(|d| slot.get(d)));
        let on_input = Callback::new(move |v: String| draft.update(|d| slot.set(d, v)));
        match input.unit {
            Some(unit) => view! {
                <TextField path=input.path money=input.money unit=unit value=value on_input=on_input inputmode=input.inputmode />
            }
            .into_any(),
            None => view! {
                <TextField path=input.path money=input.money value=value on_input=on_input inputmode=input.inputmode />
            }
            .into_any(),
        }
    };
    view! {
        <section class="compact-inputs" aria-label="Inputs">
            {(!problems.is_empty()).then(|| view! {
                <ul class="error compact-input-problems" id="edit-problems">
                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            })}
            {groups
                .into_iter()
                .map(|g| match g.heading {
                    Some(heading) => view! {
                        <fieldset class="compact-group">
                            <legend>{heading}</legend>
                            {g.inputs.into_iter().map(field).collect_view()}
                        </fieldset>
                    }
                    .into_any(),
                    None => g.inputs.into_iter().map(field).collect_view().into_any(),
                })
                .collect_view()}
        </section>
    }
}

/// The same link in the full view: the page's address without its
/// fragment, the run, `view=full` and the theme (the inputs of `edit=`
/// belong to a compact view only).
pub fn full_view_link(
    address: &str,
    run: &crate::form::Run,
    theme: crate::share::flags::Theme,
) -> String {
    let page = address.split('#').next().unwrap_or_default();
    let flags = Flags {
        theme,
        ..Flags::default()
    };
    format!(
        "{page}{}&view=full{}",
        link::encode(run),
        flags.to_fragment()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::flags::{self, Theme};

    #[test]
    fn the_full_model_link_is_the_same_run_in_the_full_view() {
        let run = crate::share::presets::default_preset();
        let run = crate::form::Run {
            scenario: run.scenario(),
            trials: 2_000,
            seed: 7,
        };
        let compact = format!(
            "https://example.org/app/{}&view=histogram&edit=leads.per_month&theme=dark",
            link::encode(&run)
        );
        let full = full_view_link(&compact, &run, Theme::Dark);
        assert_eq!(
            full,
            format!(
                "https://example.org/app/{}&view=full&theme=dark",
                link::encode(&run)
            )
        );
        let fragment = &full[full.find('#').unwrap()..];
        assert_eq!(link::decode(fragment).unwrap().unwrap(), run);
        let (read, problems) = flags::read(fragment);
        assert_eq!((read.view, read.theme), (View::Full, Theme::Dark));
        assert!(read.edit.is_empty() && problems.is_empty());
        assert!(!full_view_link("https://x.org/", &run, Theme::Auto).contains("theme"));
    }
}
