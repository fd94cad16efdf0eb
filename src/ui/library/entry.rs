//! The saved scenarios as a list: each with its run, its link and its
//! actions (open, duplicate, rename inline, delete).

use leptos::prelude::*;

use crate::browser;
use crate::format;
use crate::share::link;
use crate::ui::library::{LibraryUi, Opened};
use crate::ui::state::use_ctx;

#[component]
pub fn EntryList() -> impl IntoView {
    let ui = expect_context::<LibraryUi>();
    move || {
        let entries = ui.shelf.with(|s| s.library.entries().to_vec());
        if entries.is_empty() {
            return view! {
                <p id="library-empty" class="library-empty">
                    "No saved scenarios yet. Save the one in the form to keep it, open it later or compare it with others."
                </p>
            }
            .into_any();
        }
        let base = browser::href_without_hash();
        view! {
            <ul id="library-list" class="library-list" aria-label="Saved scenarios">
                {entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let href = format!("{base}{}", link::encode(&e.run));
                        view! {
                            <Row
                                index=i
                                name=e.name().to_owned()
                                details=format!(
                                    "{} trials, seed {}",
                                    format::count(e.run.trials as f64),
                                    e.run.seed
                                )
                                href=href
                            />
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}

#[component]
fn Row(index: usize, name: String, details: String, href: String) -> impl IntoView {
    let ctx = use_ctx();
    let ui = expect_context::<LibraryUi>();
    let rename_id = format!("library-rename-{index}");
    let renaming = {
        let name = name.clone();
        Memo::new(move |_| ui.renaming.with(|r| r.as_deref() == Some(name.as_str())))
    };
    let text = RwSignal::new(name.clone());

    let open = {
        let name = name.clone();
        move |_| {
            let Some(run) = ui
                .shelf
                .with_untracked(|s| s.library.get(&name).map(|e| e.run.clone()))
            else {
                return;
            };
            ui.opened.set(Some(Opened {
                name: name.clone(),
                run: run.clone(),
                before: ctx.draft.get_untracked(),
            }));
            ctx.notice.set(None);
            ctx.load(&run);
            ctx.announce.set(format!(
                "Opened “{name}” from the library; the forecast is updating."
            ));
            browser::close_dialog("library-dialog");
        }
    };
    let duplicate = {
        let name = name.clone();
        move |_| {
            ui.change(
                |l| l.duplicate(&name),
                |copy| format!("Duplicated “{name}” as “{copy}”."),
            );
        }
    };
    let start_rename = {
        let name = name.clone();
        let id = rename_id.clone();
        move |_| {
            text.set(name.clone());
            ui.renaming.set(Some(name.clone()));
            let id = id.clone();
            request_animation_frame(move || browser::focus(&id));
        }
    };
    let confirm_rename = {
        let name = name.clone();
        move || {
            let to = text.get_untracked();
            if ui
                .change(
                    |l| l.rename(&name, &to),
                    |_| format!("Renamed “{name}” to “{}”.", to.trim()),
                )
                .is_some()
            {
                ui.renaming.set(None);
            }
        }
    };
    let delete = {
        let name = name.clone();
        move |_| {
            if let Some(gone) = ui.change(|l| l.delete(&name), |_| format!("Deleted “{name}”."))
            {
                ui.deleted.set(Some(gone));
                request_animation_frame(|| browser::focus("library-undo-delete"));
            }
        }
    };

    let label = name.clone();
    view! {
        <li class="library-entry" data-name=name.clone()>
            <div class="library-entry-name">
                {move || {
                    if renaming.get() {
                        let confirm = confirm_rename.clone();
                        let confirm_key = confirm_rename.clone();
                        view! {
                            <label class="visually-hidden" for=rename_id.clone()>
                                {format!("New name for “{label}”")}
                            </label>
                            <input
                                type="text"
                                id=rename_id.clone()
                                class="library-rename-input"
                                prop:value=move || text.get()
                                on:input:target=move |ev| text.set(ev.target().value())
                                on:keydown=move |ev| match ev.key().as_str() {
                                    "Enter" => {
                                        ev.prevent_default();
                                        confirm_key();
                                    }
                                    "Escape" => {
                                        // Escape cancels the rename, not the dialog.
                                        ev.prevent_default();
                                        ev.stop_propagation();
                                        ui.renaming.set(None);
                                    }
                                    _ => {}
                                }
                            />
                            <button type="button" class="library-rename-save" on:click=move |_| confirm()>
                                "Save name"
                            </button>
                            <button type="button" class="secondary" on:click=move |_| ui.renaming.set(None)>
                                "Cancel"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <strong>{label.clone()}</strong>
                            " "
                            <span class="muted small">{details.clone()}</span>
                        }
                            .into_any()
                    }
                }}
            </div>
            <div class="library-actions">
                <button type="button" class="library-open" aria-label=format!("Open “{name}”") on:click=open>
                    "Open"
                </button>
                <button type="button" class="secondary library-duplicate" aria-label=format!("Duplicate “{name}”") on:click=duplicate>
                    "Duplicate"
                </button>
                <button type="button" class="secondary library-rename" aria-label=format!("Rename “{name}”") on:click=start_rename>
                    "Rename"
                </button>
                <button type="button" class="secondary library-delete" aria-label=format!("Delete “{name}”") on:click=delete>
                    "Delete"
                </button>
                <a class="library-link" href=href target="_blank" rel="noopener" aria-label=format!("Link to “{name}” (opens in a new tab)")>
                    "Link"
                </a>
            </div>
        </li>
    }
}
