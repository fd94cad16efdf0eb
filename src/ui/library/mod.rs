//! The toolbar's "Library" dialog: the scenarios saved in this browser
//! (`library::Shelf`, kept in localStorage through `browser::LocalStore`),
//! each opened, duplicated, renamed, deleted or linked; the whole library
//! exported and imported as one file. Where the page has no storage the
//! dialog says so and works for as long as the page is open.
//!
//! A modal `<dialog>`: the browser keeps focus inside and closes it on
//! Escape; focus goes back to the Library button. Opening a scenario
//! replaces the form as a preset does (Back returns), with an Undo beside
//! the toolbar while the form is still the one opened.

mod entry;

use leptos::html;
use leptos::prelude::*;

use crate::browser::{self, LocalStore};
use crate::form::{Draft, Run};
use crate::library::file as library_file;
use crate::library::store::{Keeping, Shelf};
use crate::library::{Entry, Refused};
use crate::ui::state::use_ctx;

/// The library's state on the page, shared by the dialog's parts.
#[derive(Clone, Copy)]
pub struct LibraryUi {
    pub shelf: RwSignal<Shelf>,
    /// The last thing done, said in the dialog's live region.
    pub status: RwSignal<String>,
    /// Problems of the last import, listed until the next action.
    pub problems: RwSignal<Option<(String, Vec<String>)>>,
    /// The entry being renamed, if any.
    pub renaming: RwSignal<Option<String>>,
    /// The last deleted entry and where it was, for "Undo delete".
    pub deleted: RwSignal<Option<(usize, Entry)>>,
    /// The scenario last opened and the form before it, for Undo.
    pub opened: RwSignal<Option<Opened>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub name: String,
    pub run: Run,
    pub before: Draft,
}

impl LibraryUi {
    pub fn new() -> LibraryUi {
        LibraryUi {
            shelf: RwSignal::new(Shelf::open(&LocalStore)),
            status: RwSignal::new(String::new()),
            problems: RwSignal::new(None),
            renaming: RwSignal::new(None),
            deleted: RwSignal::new(None),
            opened: RwSignal::new(None),
        }
    }

    /// Applies a change and stores the library; `said` words what it did.
    pub fn change<T>(
        &self,
        change: impl FnOnce(&mut crate::library::Library) -> Result<T, Refused>,
        said: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        self.problems.set(None);
        let mut out = None;
        self.shelf
            .update(|s| out = Some(s.change(&LocalStore, change)));
        match out {
            Some(Ok(t)) => {
                self.status.set(said(&t));
                Some(t)
            }
            Some(Err(refused)) => {
                self.status.set(refused.to_string());
                None
            }
            None => None,
        }
    }
}

#[component]
pub fn LibraryButton() -> impl IntoView {
    let ctx = use_ctx();
    let ui = expect_context::<LibraryUi>();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = RwSignal::new(false);
    let file_input = NodeRef::<html::Input>::new();

    let show = move |_| {
        ui.problems.set(None);
        ui.status.set(String::new());
        // Another tab may have saved since: show the library as stored.
        ui.shelf.update(|s| {
            if s.keeping == Keeping::Kept {
                *s = Shelf::open(&LocalStore);
            }
        });
        open.set(true);
        if let Some(d) = dialog.get_untracked() {
            let _ = d.show_modal();
        }
        request_animation_frame(|| browser::focus("library-save"));
    };
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };

    let current_name = move || {
        ctx.parsed
            .with(|p| p.as_ref().ok().map(|r| r.scenario.name.trim().to_owned()))
    };
    let save = move |_| {
        let Some(run) = ctx.run_to_export() else {
            ui.status
                .set("Fix the marked fields first; the library saves valid inputs only.".into());
            return;
        };
        ui.change(|l| l.save(&run), |saved| saved.sentence());
    };
    let export = move |_| {
        let text = ui
            .shelf
            .with_untracked(|s| library_file::write(s.library.entries()));
        match browser::download("scenario-library.json", &text, "application/json") {
            Ok(()) => ui
                .status
                .set("Exported the library as scenario-library.json.".into()),
            Err(e) => ui.status.set(format!("Could not export the library: {e}")),
        }
    };
    let import_chosen = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let Some(file) = browser::chosen_file(&input) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match browser::read_text(&file, library_file::MAX_BYTES).await {
                Err(e) => ui
                    .problems
                    .set(Some(("The file could not be imported".into(), vec![e]))),
                Ok((name, text)) => match library_file::read(&text) {
                    Err(errors) => {
                        ui.status.set(String::new());
                        ui.problems.set(Some((
                            format!("{name} is not a library this app can read"),
                            errors.0,
                        )));
                    }
                    Ok(entries) => {
                        ui.change(|l| Ok(l.merge(entries)), |m| m.sentence());
                    }
                },
            }
        });
    };

    view! {
        <button type="button" id="library" class="secondary" aria-haspopup="dialog" on:click=show>
            "Library…"
        </button>
        <dialog
            id="library-dialog"
            class="embed-dialog library-dialog"
            node_ref=dialog
            aria-labelledby="library-title"
            on:close=move |_| {
                open.set(false);
                ui.renaming.set(None);
                browser::focus("library");
            }
        >
            <Show when=move || open.get()>
                <div class="embed-head">
                    <h2 id="library-title">"Saved scenarios"</h2>
                    <button type="button" id="library-close" class="secondary" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                <p
                    id="library-keeping"
                    class=move || if ui.shelf.with(|s| s.keeping.is_kept()) { "muted small" } else { "library-warning" }
                    data-keeping=move || ui.shelf.with(|s| keeping_key(&s.keeping))
                >
                    {move || ui.shelf.with(|s| s.keeping.sentence())}
                </p>
                <div class="library-save">
                    <button type="button" id="library-save" on:click=save disabled=move || ctx.parsed.with(Result::is_err)>
                        "Save the current scenario"
                    </button>
                    <span class="muted small" id="library-save-as">
                        {move || current_name().map(|n| {
                            let taken = ui.shelf.with(|s| s.library.get(&n).is_some());
                            if n.is_empty() {
                                "Give the scenario a name first (Scenario name, in the form).".to_owned()
                            } else if taken {
                                format!("as “{n}”, over the saved one of that name")
                            } else {
                                format!("as “{n}”")
                            }
                        })}
                    </span>
                </div>
                <entry::EntryList />
                <div class="library-file">
                    <button type="button" id="library-export" class="secondary" on:click=export
                        disabled=move || ui.shelf.with(|s| s.library.is_empty())>
                        "Export the library"
                    </button>
                    <button type="button" id="library-import" class="secondary" on:click=move |_| {
                        if let Some(input) = file_input.get_untracked() {
                            input.click();
                        }
                    }>
                        "Import a library…"
                    </button>
                    <input
                        type="file"
                        id="library-import-file"
                        accept=".json,application/json"
                        class="visually-hidden"
                        tabindex="-1"
                        aria-hidden="true"
                        node_ref=file_input
                        on:change=import_chosen
                    />
                </div>
                <p class="muted small">
                    "Importing adds to the library: a scenario with a name already saved is added under a new name, never over the saved one."
                </p>
                {move || ui.problems.get().map(|(title, lines)| view! {
                    <div class="notice" id="library-problems" role="alert">
                        <h3>{title}</h3>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        <p>"Your library is unchanged."</p>
                    </div>
                })}
                <p id="library-status" role="status" class="library-status">{move || ui.status.get()}</p>
                {move || ui.deleted.get().map(|(_, e)| {
                    let name = e.name().to_owned();
                    view! {
                        <button type="button" id="library-undo-delete" class="secondary" on:click=move |_| {
                            if let Some((at, entry)) = ui.deleted.get_untracked() {
                                ui.deleted.set(None);
                                ui.change(|l| l.restore(at, entry), |_| format!("Put “{name}” back."));
                            }
                        }>
                            {format!("Undo delete of “{}”", e.name())}
                        </button>
                    }
                })}
            </Show>
        </dialog>
    }
}

fn keeping_key(k: &Keeping) -> &'static str {
    match k {
        Keeping::Kept => "kept",
        Keeping::Unavailable => "unavailable",
        Keeping::NotKept => "full",
        Keeping::SetAside(_) => "set-aside",
    }
}

/// Beside the toolbar, while the form is the scenario just opened from the
/// library: what was opened, and Undo back to the form before it.
#[component]
pub fn OpenedNote() -> impl IntoView {
    let ctx = use_ctx();
    let ui = expect_context::<LibraryUi>();
    let shown = Memo::new(move |_| {
        ui.opened.with(|o| {
            o.as_ref().and_then(|o| {
                ctx.parsed
                    .with(|p| p.as_ref().ok() == Some(&o.run))
                    .then(|| o.name.clone())
            })
        })
    });
    move || {
        shown.get().map(|name| {
            view! {
                <div class="share-status library-opened" id="library-opened">
                    <span>
                        "Opened “" <strong>{name.clone()}</strong>
                        "” from the library. Undo or the browser's Back button returns to the scenario before."
                    </span>
                    <button type="button" id="library-undo-open" class="secondary" on:click=move |_| {
                        if let Some(o) = ui.opened.get_untracked() {
                            ui.opened.set(None);
                            ctx.draft.set(o.before);
                            ctx.announce.set(format!("Undid opening “{}”.", o.name));
                        }
                    }>
                        "Undo"
                    </button>
                </div>
            }
        })
    }
}
