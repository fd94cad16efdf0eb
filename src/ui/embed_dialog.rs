//! The toolbar's "Embed" dialog: choose a view, the inputs beside it, the
//! theme and a fallback height; see it live in an iframe at a phone's or a
//! column's width; copy the `<iframe>` and the sizing script
//! (`share::snippet` writes both).
//!
//! A modal `<dialog>`: the browser keeps focus inside and closes it on
//! Escape; focus goes back to the Embed button.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::share::flags::{Flags, Theme, View};
use crate::share::snippet::{self, Embed};
use crate::ui::state::use_ctx;
use crate::ui::views::inputs;

/// The widths the preview offers: the narrowest a compact view is made
/// for, a phone, an article's column.
const PREVIEW_WIDTHS: [u32; 3] = [280, 375, 640];

#[component]
pub fn EmbedButton() -> impl IntoView {
    let ctx = use_ctx();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = RwSignal::new(false);
    let view_choice = RwSignal::new(View::Histogram);
    let edit = RwSignal::new(Vec::<String>::new());
    let theme = RwSignal::new(Theme::Auto);
    let height = RwSignal::new("560".to_owned());
    let width = RwSignal::new(375u32);
    let sandbox = RwSignal::new(false);
    let status = RwSignal::new(String::new());

    let embed = Memo::new(move |_| {
        let view = view_choice.get();
        Embed {
            flags: Flags {
                view,
                // The full view shows the whole form: no inputs to pick.
                edit: if view.is_compact() {
                    edit.get()
                } else {
                    Vec::new()
                },
                theme: theme.get(),
            },
            height: height
                .with(|h| h.trim().parse::<u32>().ok())
                .unwrap_or(560)
                .clamp(snippet::MIN_HEIGHT, snippet::MAX_HEIGHT),
            sandbox: sandbox.get(),
        }
    });
    let src = Memo::new(move |_| {
        ctx.parsed.with(|p| {
            p.as_ref().ok().map(|run| {
                snippet::embed_link(&browser::href(), run, &embed.with(|e| e.flags.clone()))
            })
        })
    });
    let name = move || ctx.draft.with(|d| d.name.clone());
    let iframe = move || {
        src.get()
            .map(|s| embed.with(|e| snippet::iframe_code(&s, &name(), e)))
            .unwrap_or_default()
    };
    let script = move || {
        src.get()
            .map(|s| snippet::script_code(&s))
            .unwrap_or_default()
    };
    let offered = move || ctx.draft.with(inputs::offered);

    let show = move |_| {
        status.set(String::new());
        open.set(true);
        if let Some(d) = dialog.get_untracked() {
            let _ = d.show_modal();
        }
        // The controls are drawn on the next tick: then the first gets focus.
        request_animation_frame(|| browser::focus("embed-view"));
    };
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let copy = move |what: &'static str, id: &'static str, text: String| {
        leptos::task::spawn_local(async move {
            if browser::copy_text(&text).await {
                status.set(format!("Copied the {what}."));
            } else {
                browser::select_text(id);
                status.set(format!(
                    "This browser did not let the page copy: the {what} is selected, press Ctrl+C (⌘C on a Mac) to copy it."
                ));
            }
        });
    };

    // The preview sizes itself from its height messages, as the script does.
    let preview = NodeRef::<html::Iframe>::new();
    let preview_height = RwSignal::new(None::<u32>);
    let listener = window_event_listener(leptos::ev::message, move |ev| {
        let Some(frame) = preview.get_untracked() else {
            return;
        };
        let from_preview = match (ev.source(), frame.content_window()) {
            (Some(source), Some(window)) => js_sys::Object::is(&source, window.unchecked_ref()),
            _ => false,
        };
        if !from_preview {
            return;
        }
        if let Some(h) = browser::height_message(&ev.data()) {
            preview_height.set(Some(h));
        }
    });
    on_cleanup(move || listener.remove());
    Effect::new(move |_| {
        src.track();
        preview_height.set(None);
    });

    view! {
        <button type="button" id="embed" class="secondary" on:click=show disabled=move || ctx.parsed.with(Result::is_err)>
            "Embed…"
        </button>
        <dialog
            id="embed-dialog"
            class="embed-dialog"
            node_ref=dialog
            aria-labelledby="embed-title"
            on:close=move |_| {
                open.set(false);
                browser::focus("embed");
            }
        >
            // Built while open only: closed, the dialog holds no controls.
            <Show when=move || open.get()>
                <div class="embed-head">
                    <h2 id="embed-title">"Embed this forecast"</h2>
                    <button type="button" id="embed-close" class="secondary" on:click=close>"Close"</button>
                </div>
                <p class="muted small">
                    "Put the forecast on a blog, a course page or a wiki: the scenario travels in the link, so nothing is stored anywhere. "
                    "Readers can open the full model from the embed."
                </p>
                <div class="embed-grid">
                    <div class="embed-choices">
                        <div class="field">
                            <label for="embed-view"><span class="label-text">"Show"</span></label>
                            <select id="embed-view" on:change:target=move |ev| {
                                if let Some(v) = View::parse(&ev.target().value()) {
                                    view_choice.set(v);
                                }
                            }>
                                {View::ALL
                                    .into_iter()
                                    .map(|v| view! {
                                        <option value=v.as_str() prop:selected=move || view_choice.get() == v>{v.label()}</option>
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <fieldset class="embed-inputs" disabled=move || !view_choice.get().is_compact()>
                            <legend>"Inputs readers can change"</legend>
                            <p class="hint" id="embed-inputs-hint">"Shown above the chart; each change recomputes it."</p>
                            {move || offered()
                                .into_iter()
                                .map(|(path, label)| {
                                    let id = format!("embed-edit-{}", crate::form::field_id(&path));
                                    let p = path.clone();
                                    let ticked = move || edit.with(|e| e.contains(&p));
                                    let p = path.clone();
                                    view! {
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                id=id
                                                data-path=path.clone()
                                                prop:checked=ticked
                                                on:change:target=move |ev| {
                                                    let on = ev.target().checked();
                                                    edit.update(|e| {
                                                        e.retain(|x| *x != p);
                                                        if on {
                                                            e.push(p.clone());
                                                        }
                                                    });
                                                }
                                            />
                                            {label}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <fieldset class="embed-theme">
                            <legend>"Colours"</legend>
                            {Theme::ALL
                                .into_iter()
                                .map(|t| {
                                    let id = format!("embed-theme-{}", t.as_str());
                                    view! {
                                        <label class="check">
                                            <input
                                                type="radio"
                                                name="embed-theme"
                                                id=id
                                                value=t.as_str()
                                                prop:checked=move || theme.get() == t
                                                on:change=move |_| theme.set(t)
                                            />
                                            {t.label()}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <div class="field">
                            <label for="embed-height">
                                <span class="label-text">"Height before it sizes itself"</span>
                                <span class="unit">"(pixels)"</span>
                            </label>
                            <input
                                type="text"
                                id="embed-height"
                                inputmode="numeric"
                                aria-describedby="embed-height-hint"
                                prop:value=move || height.get()
                                on:input:target=move |ev| height.set(ev.target().value())
                            />
                            <p class="hint" id="embed-height-hint">
                                {format!(
                                    "{} to {}; with the script the iframe then takes its content's height.",
                                    snippet::MIN_HEIGHT,
                                    snippet::MAX_HEIGHT
                                )}
                            </p>
                        </div>
                        <label class="check">
                            <input
                                type="checkbox"
                                id="embed-sandbox"
                                aria-describedby="embed-sandbox-hint"
                                prop:checked=move || sandbox.get()
                                on:change:target=move |ev| sandbox.set(ev.target().checked())
                            />
                            "Sandbox the iframe"
                        </label>
                        <p class="hint" id="embed-sandbox-hint">
                            "Only where the app's server sends CORS headers (GitHub Pages does)."
                        </p>
                    </div>
                    <div class="embed-output">
                        <fieldset class="embed-width">
                            <legend>"Preview width"</legend>
                            {PREVIEW_WIDTHS
                                .into_iter()
                                .map(|w| {
                                    let id = format!("embed-width-{w}");
                                    view! {
                                        <label class="check">
                                            <input
                                                type="radio"
                                                name="embed-width"
                                                id=id
                                                prop:checked=move || width.get() == w
                                                on:change=move |_| width.set(w)
                                            />
                                            {format!("{w} px")}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <div class="embed-preview" tabindex="0" role="region" aria-label="Preview">
                                <iframe
                                    id="embed-preview"
                                    node_ref=preview
                                    title="Preview of the embed"
                                    src=move || src.get().unwrap_or_default()
                                    style=move || format!(
                                        "width:{}px;height:{}px",
                                        width.get(),
                                        preview_height.get().unwrap_or_else(|| embed.with(|e| e.height))
                                    )
                                ></iframe>
                        </div>
                        <label for="embed-code"><span class="label-text">"The iframe"</span></label>
                        <textarea id="embed-code" readonly rows="4" prop:value=iframe></textarea>
                        <button type="button" id="copy-embed-code" class="secondary" on:click=move |_| copy("iframe code", "embed-code", iframe())>
                            "Copy the iframe code"
                        </button>
                        <label for="embed-script">
                            <span class="label-text">"For pages that allow scripts: sizes the iframe to its content"</span>
                        </label>
                        <textarea id="embed-script" readonly rows="6" prop:value=script></textarea>
                        <button type="button" id="copy-embed-script" class="secondary" on:click=move |_| copy("script", "embed-script", script())>
                            "Copy the script"
                        </button>
                        <p class="embed-status" role="status" id="embed-status">{move || status.get()}</p>
                    </div>
                </div>
            </Show>
        </dialog>
    }
}
