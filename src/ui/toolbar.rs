//! Presets, import and export of the scenario file, the library of saved
//! scenarios, and the shareable link.

use leptos::html;
use leptos::prelude::*;

use crate::browser;
use crate::share::file;
use crate::share::presets::{self, PRESETS};
use crate::ui::state::{Notice, use_ctx};

#[component]
pub fn Toolbar() -> impl IntoView {
    let ctx = use_ctx();
    provide_context(crate::ui::library::LibraryUi::new());
    let (choice, set_choice) = signal(presets::default_preset().key.to_owned());
    let file_input = NodeRef::<html::Input>::new();
    let (share, set_share) = signal(None::<Result<String, String>>);

    let load_preset = move |_| {
        if let Some(p) = presets::by_key(&choice.get_untracked()) {
            ctx.notice.set(None);
            ctx.load_preset(p);
            ctx.announce
                .set(format!("Loaded the preset “{}”.", p.label));
        }
    };

    let export = move |_| {
        let Some(run) = ctx.run_to_export() else {
            return;
        };
        let name = file_name(&run.scenario.name);
        if let Err(e) = browser::download(&name, &file::export(&run), "application/json") {
            ctx.notice.set(Some(Notice {
                title: "Could not export the scenario".into(),
                lines: vec![e],
                footer: String::new(),
            }));
        } else {
            ctx.announce.set(format!("Exported {name}."));
        }
    };

    let import_chosen = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        // A file without trials or a seed keeps the page's.
        let current = ctx
            .parsed
            .get_untracked()
            .map(|r| (r.trials, r.seed))
            .unwrap_or((crate::form::DEFAULT_TRIALS, crate::form::DEFAULT_SEED));
        leptos::task::spawn_local(async move {
            let read = browser::read_file(&input).await;
            // Let the same file be chosen again later.
            input.set_value("");
            match read {
                Ok(None) => {}
                Err(e) => ctx.notice.set(Some(Notice {
                    title: "Could not import the file".into(),
                    lines: vec![e],
                    footer: "Your current scenario is unchanged.".into(),
                })),
                Ok(Some((name, text))) => match file::import(&text, current) {
                    Ok(run) => {
                        ctx.notice.set(None);
                        ctx.load(&run);
                        ctx.announce.set(format!("Imported {name}."));
                    }
                    Err(errors) => ctx.notice.set(Some(Notice {
                        title: format!("{name} is not a scenario this app can read"),
                        lines: errors.0.iter().map(|e| e.to_string()).collect(),
                        footer: "Your current scenario is unchanged.".into(),
                    })),
                },
            }
        });
    };

    let copy_link = move |_| {
        let Ok(run) = ctx.parsed.get_untracked() else {
            set_share.set(Some(Err(
                "Fix the marked fields first; a link holds valid inputs only.".into(),
            )));
            return;
        };
        // After this the address bar holds the run (in a fragment equal to ours).
        ctx.sync_url(&run);
        let url = browser::href();
        leptos::task::spawn_local(async move {
            if browser::copy_text(&url).await {
                set_share.set(Some(Ok(
                    "Link copied. It holds the scenario, the trials and the seed.".into(),
                )));
            } else {
                // The browser refused (e.g. inside an iframe): show the link to copy by hand.
                set_share.set(Some(Err(url)));
                request_animation_frame(|| browser::focus("share-url"));
            }
        });
    };

    view! {
        <div class="toolbar" role="group" aria-label="Scenario tools">
            <div class="preset-picker">
                <label for="preset">"Start from an example"</label>
                <div class="inline">
                    <select id="preset" on:change:target=move |ev| set_choice.set(ev.target().value())>
                        {PRESETS
                            .iter()
                            .map(|p| {
                                let key = p.key;
                                view! {
                                    <option value=key prop:selected=move || choice.with(|c| c == key)>
                                        {p.label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button type="button" id="load-preset" on:click=load_preset>
                        "Load example"
                    </button>
                </div>
            </div>
            <div class="file-tools">
                <button
                    type="button"
                    id="import"
                    class="secondary"
                    on:click=move |_| {
                        if let Some(input) = file_input.get_untracked() {
                            input.click();
                        }
                    }
                >
                    "Import JSON…"
                </button>
                <input
                    type="file"
                    id="import-file"
                    accept=".json,application/json"
                    class="visually-hidden"
                    tabindex="-1"
                    aria-hidden="true"
                    node_ref=file_input
                    on:change=import_chosen
                />
                <button
                    type="button"
                    id="export"
                    class="secondary"
                    on:click=export
                    disabled=move || ctx.parsed.with(Result::is_err)
                >
                    "Export JSON"
                </button>
                <crate::ui::library::LibraryButton />
                <crate::ui::import::ImportDeals />
                <button type="button" id="copy-link" class="secondary" on:click=copy_link>
                    "Copy link"
                </button>
                <crate::ui::embed_dialog::EmbedButton />
                <crate::ui::classroom::trainer::ClassroomButton />
            </div>
            <crate::ui::export_menu::ExportMenu />
            <crate::ui::library::OpenedNote />
            {move || {
                share
                    .get()
                    .map(|s| match s {
                        Ok(msg) => view! { <p class="share-status" role="status">{msg}</p> }.into_any(),
                        Err(url) if url.starts_with("http") || url.starts_with("file") => {
                            view! {
                                <div class="share-status">
                                    <label for="share-url">"Copy this link:"</label>
                                    <input
                                        id="share-url"
                                        type="text"
                                        readonly
                                        prop:value=url
                                        on:focus:target=|ev| ev.target().select()
                                    />
                                </div>
                            }
                                .into_any()
                        }
                        Err(msg) => view! { <p class="share-status error" role="alert">{msg}</p> }.into_any(),
                    })
            }}
        </div>
        <NoticeBox />
    }
}

/// A message about a link or file that could not be read, with every problem listed.
#[component]
fn NoticeBox() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        ctx.notice.get().map(|n| {
            view! {
                <div class="notice" id="notice" role="alert">
                    <h2>{n.title}</h2>
                    <ul>{n.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    {(!n.footer.is_empty()).then(|| view! { <p>{n.footer}</p> })}
                    <button type="button" id="dismiss-notice" class="secondary" on:click=move |_| ctx.notice.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

/// "B2B SaaS, Q3" -> "b2b-saas-q3.json".
fn file_name(name: &str) -> String {
    let slug = crate::share::file::slug(name);
    if slug.is_empty() {
        "scenario.json".into()
    } else {
        format!("{slug}.json")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names() {
        assert_eq!(super::file_name("B2B SaaS, Q3"), "b2b-saas-q3.json");
        assert_eq!(super::file_name("  "), "scenario.json");
        assert_eq!(
            super::file_name("Classroom: 100 opportunities at 50%"),
            "classroom-100-opportunities-at-50.json"
        );
    }
}
