//! The trainer's Classroom panel: opened from the toolbar (closed, it is one
//! button), it turns the form's scenario into an exercise
//! (`trainer_form`), gives its link with a QR code and a printable handout,
//! the answer key (`key`) and the debrief (`debrief`). The logic is in
//! `crate::classroom`; these components only hold the signals and draw.

use funnel_engine::FieldError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::classroom::builder::ExerciseDraft;
use crate::form::Run;
use crate::share::link;
use crate::ui::state::{Ctx, use_ctx};

use super::key::KeyState;

/// The panel's state, shared by its parts through context.
#[derive(Clone, Copy)]
pub struct Trainer {
    pub open: RwSignal<bool>,
    pub draft: RwSignal<ExerciseDraft>,
    /// The form's run with the panel's exercise in it, or the problems.
    pub built: Memo<Result<Run, Vec<FieldError>>>,
    /// The name whose variant the preview shows.
    pub example: RwSignal<String>,
    pub class_list: RwSignal<String>,
    pub codes: RwSignal<String>,
    pub key: RwSignal<KeyState>,
    /// The running key job's number: Stop or a new key ends the old one.
    pub token: StoredValue<u64>,
}

impl Trainer {
    pub fn new(ctx: Ctx) -> Trainer {
        let start = ctx
            .parsed
            .with_untracked(|p| {
                p.as_ref()
                    .map(|r| ExerciseDraft::for_scenario(&r.scenario))
                    .ok()
            })
            .unwrap_or_else(|| {
                ExerciseDraft::for_scenario(&crate::share::presets::default_preset().scenario())
            });
        let draft = RwSignal::new(start);
        let built = Memo::new(move |_| {
            ctx.parsed.with(|p| match p {
                Err(_) => Err(vec![FieldError::new(
                    "",
                    "Fix the marked fields of the form first: the exercise is made from them.",
                )]),
                Ok(run) => draft.with(|d| d.to_exercise(&run.scenario)).map(|x| {
                    let mut run = run.clone();
                    run.scenario.exercise = Some(x);
                    run
                }),
            })
        });
        Trainer {
            open: RwSignal::new(false),
            draft,
            built,
            example: RwSignal::new("Ana".into()),
            class_list: RwSignal::new(String::new()),
            codes: RwSignal::new(String::new()),
            key: RwSignal::new(KeyState::None),
            token: StoredValue::new(0),
        }
    }
}

pub fn use_trainer() -> Trainer {
    expect_context::<Trainer>()
}

/// The page's address without its fragment: what an exercise link extends.
pub fn page_base() -> String {
    let href = browser::href();
    match href.split_once('#') {
        Some((base, _)) => base.to_owned(),
        None => href,
    }
}

/// The whole exercise link of `run`.
pub fn exercise_link(run: &Run) -> String {
    format!("{}{}", page_base(), link::encode(run))
}

/// Prints only the part of the page marked `what` ("handout" or "key"):
/// `body[data-printing]` makes the print stylesheet hide the rest
/// (style/classroom-trainer.css), until the print dialog closes.
pub fn print(what: &str) {
    let Some(w) = web_sys::window() else { return };
    let Some(body) = w.document().and_then(|d| d.body()) else {
        return;
    };
    let _ = body.set_attribute("data-printing", what);
    let body2 = body.clone();
    let done = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = body2.remove_attribute("data-printing");
        // Called once: a later print sets its own.
        if let Some(w) = web_sys::window() {
            w.set_onafterprint(None);
        }
    });
    w.set_onafterprint(Some(done.unchecked_ref()));
    let _ = w.print();
}

/// The toolbar's button that opens and closes the panel.
#[component]
pub fn ClassroomButton() -> impl IntoView {
    let trainer = use_trainer();
    let ctx = use_ctx();
    let toggle = move |_| {
        let opening = !trainer.open.get_untracked();
        if opening {
            // A scenario that brings its own exercise (a preset, a file)
            // opens with it, unless the panel already holds that one.
            let theirs = ctx.parsed.with_untracked(|p| {
                p.as_ref().ok().and_then(|r| {
                    r.scenario
                        .exercise
                        .as_ref()
                        .map(ExerciseDraft::from_exercise)
                })
            });
            if let Some(theirs) = theirs
                && trainer.draft.with_untracked(|d| *d != theirs)
            {
                trainer.draft.set(theirs);
            }
        }
        trainer.open.set(opening);
        if opening {
            request_animation_frame(|| {
                browser::scroll_into_view("classroom");
                browser::focus("classroom-title");
            });
        }
    };
    view! {
        <button
            type="button"
            id="open-classroom"
            class="secondary"
            aria-expanded=move || if trainer.open.get() { "true" } else { "false" }
            aria-controls="classroom"
            on:click=toggle
        >
            "Classroom…"
        </button>
    }
}

/// The panel itself, below the forecast while open.
#[component]
pub fn ClassroomPanel() -> impl IntoView {
    let trainer = use_trainer();
    move || {
        trainer.open.get().then(|| {
            view! {
                <section id="classroom" class="classroom" aria-labelledby="classroom-title">
                    <div class="classroom-head">
                        <h2 id="classroom-title" tabindex="-1">"Classroom exercise"</h2>
                        <button
                            type="button"
                            id="close-classroom"
                            class="secondary"
                            on:click=move |_| {
                                trainer.open.set(false);
                                browser::focus("open-classroom");
                            }
                        >
                            "Close"
                        </button>
                    </div>
                    <p class="intro">
                        "Turn this scenario into an exercise for a class: write the task, choose what students may change and what they answer, and hand out one link. "
                        "Each student who opens it enters their name and gets their own variant of the funnel; the answer key and the debrief are made here, in your browser."
                    </p>
                    <super::trainer_form::ExerciseForm />
                    <super::trainer_form::StudentPreview />
                    <LinkAndHandout />
                    <super::key::KeySection />
                    <super::debrief::DebriefSection />
                </section>
            }
        })
    }
}

/// The exercise link, its copy button and QR code, and the handout to print.
#[component]
fn LinkAndHandout() -> impl IntoView {
    let trainer = use_trainer();
    let (copied, set_copied) = signal(None::<bool>);
    let link = Memo::new(move |_| trainer.built.with(|b| b.as_ref().ok().map(exercise_link)));
    let copy = move |_| {
        let Some(url) = link.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let ok = browser::copy_text(&url).await;
            set_copied.set(Some(ok));
            if !ok {
                browser::focus("exercise-link");
            }
        });
    };
    view! {
        <section class="classroom-part" aria-labelledby="exercise-link-title">
            <h3 id="exercise-link-title">"The exercise link"</h3>
            {move || match link.get() {
                None => view! {
                    <p class="muted" id="exercise-link-missing">
                        "The link appears once the exercise above has no problems."
                    </p>
                }
                .into_any(),
                Some(url) => {
                    let qr_url = url.clone();
                    view! {
                        <div class="exercise-link">
                            <div class="exercise-link-text">
                                <label for="exercise-link">"Give this link to every student (it holds the scenario, the exercise, the trials and the seed):"</label>
                                <input
                                    id="exercise-link"
                                    type="text"
                                    readonly
                                    prop:value=url
                                    on:focus:target=|ev| ev.target().select()
                                />
                                <div class="inline">
                                    <button type="button" id="copy-exercise-link" on:click=copy>
                                        "Copy link"
                                    </button>
                                    <button
                                        type="button"
                                        id="print-handout"
                                        class="secondary"
                                        on:click=move |_| print("handout")
                                    >
                                        "Print handout"
                                    </button>
                                </div>
                                {move || copied.get().map(|ok| if ok {
                                    view! { <p class="share-status" role="status">"Link copied."</p> }.into_any()
                                } else {
                                    view! { <p class="share-status" role="status">"The browser would not copy: select the link above and copy it."</p> }.into_any()
                                })}
                            </div>
                            <super::qr::QrCode text=qr_url id="exercise-qr" />
                        </div>
                    }
                    .into_any()
                }
            }}
            <super::trainer_form::Handout />
        </section>
    }
}
