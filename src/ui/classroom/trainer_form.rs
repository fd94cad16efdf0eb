//! The exercise's fields (title, task, the question, the inputs students may
//! change, the values that vary), the preview of what a student sees and
//! the handout that prints. The reading is `classroom::builder`'s.

use funnel_engine::exercise::Input;
use leptos::prelude::*;

use crate::classroom::builder::{
    self, ASKS, VariantDraft, field_id, field_name, input_label, input_text, tolerance_in_points,
};
use crate::classroom::key::value_text;
use crate::ui::state::use_ctx;

use super::trainer::{exercise_link, use_trainer};

/// An input of the scenario as the panel lists it.
#[derive(Clone, Debug, PartialEq)]
struct Offered {
    path: String,
    label: String,
    value: String,
    can_vary: bool,
}

/// The scenario's inputs, kept from the last valid form while it has problems.
fn offered() -> Memo<Vec<Offered>> {
    let ctx = use_ctx();
    Memo::new(move |prev: Option<&Vec<Offered>>| {
        ctx.parsed.with(|p| match p {
            Ok(run) => builder::labelled_inputs(&run.scenario)
                .into_iter()
                .map(|(i, label)| Offered {
                    path: i.path(),
                    label,
                    value: input_text(&i, &run.scenario),
                    can_vary: i.can_vary(),
                })
                .collect(),
            Err(_) => prev.cloned().unwrap_or_default(),
        })
    })
}

/// The problem at `path` of the exercise, if any.
fn error_at(path: impl Into<String>) -> Memo<Option<String>> {
    let trainer = use_trainer();
    let path = path.into();
    Memo::new(move |_| {
        trainer.built.with(|b| {
            b.as_ref()
                .err()
                .and_then(|es| es.iter().find(|e| e.path == path))
                .map(|e| format!("{}: {}", field_name(&path), e.message))
        })
    })
}

#[component]
pub fn ExerciseForm() -> impl IntoView {
    let trainer = use_trainer();
    let ctx = use_ctx();
    let draft = trainer.draft;
    let inputs = offered();
    let stages = Memo::new(move |_| {
        ctx.draft
            .with(|d| d.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
    });
    let ask = Memo::new(move |_| draft.with(|d| d.ask.clone()));
    let is_goal = move || matches!(ask.get().as_str(), "goal_leads" | "goal_conversion");
    let points = move || tolerance_in_points(&ask.get());

    let text_field = move |path: &'static str,
                           label: &'static str,
                           get: fn(&builder::ExerciseDraft) -> String,
                           set: fn(&mut builder::ExerciseDraft, String)| {
        let id = field_id(path);
        let error = error_at(path);
        let error_id = format!("{id}-error");
        view! {
            <div class="field" class:invalid=move || error.with(Option::is_some)>
                <label for=id.clone()><span class="label-text">{label}</span></label>
                <input
                    type="text"
                    id=id.clone()
                    autocomplete="off"
                    prop:value=move || draft.with(get)
                    on:input:target=move |ev| draft.update(|d| set(d, ev.target().value()))
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                />
                <p class="error" id=error_id hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            </div>
        }
    };

    let task_id = field_id("exercise.task");
    let task_error = error_at("exercise.task");
    let ask_id = field_id("exercise.question.ask");
    let ask_error = error_at("exercise.question.ask");
    let stage_id = field_id("exercise.question.stage");
    let stage_error = error_at("exercise.question.stage");
    let tolerance_id = field_id("exercise.question.tolerance");
    let tolerance_error = error_at("exercise.question.tolerance");

    let editable = move || {
        inputs
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, o)| {
                let id = format!("cx-edit-{k}");
                let path = o.path.clone();
                let path2 = o.path.clone();
                view! {
                    <li>
                        <input
                            type="checkbox"
                            id=id.clone()
                            data-path=o.path.clone()
                            prop:checked=move || draft.with(|d| d.editable.contains(&path))
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                ctx.parsed.with_untracked(|p| {
                                    if let Ok(run) = p {
                                        draft.update(|d| d.set_editable(&path2, on, &run.scenario));
                                    }
                                });
                            }
                        />
                        <label for=id>{o.label}</label>
                    </li>
                }
            })
            .collect_view()
    };

    // Rows are rebuilt only when one is added or removed: rebuilding them
    // at each keystroke would take the focus from the field being typed in.
    let count = Memo::new(move |_| draft.with(|d| d.variants.len()));
    let variants = move || {
        (0..count.get())
            .map(|k| {
                let path_key = format!("exercise.variants[{k}].path");
                let spread_key = format!("exercise.variants[{k}].spread");
                let path_id = field_id(&path_key);
                let spread_id = field_id(&spread_key);
                let path_error = error_at(path_key);
                let spread_error = error_at(spread_key);
                let options = move || {
                    let chosen = draft.with(|d| d.variants.get(k).map(|v| v.path.clone()).unwrap_or_default());
                    let mut all = vec![view! { <option value="" prop:selected=chosen.is_empty()>"Choose a value…"</option> }.into_any()];
                    all.extend(inputs.get().into_iter().filter(|o| o.can_vary).map(|o| {
                        let selected = o.path == chosen;
                        view! { <option value=o.path.clone() prop:selected=selected>{o.label}</option> }.into_any()
                    }));
                    all
                };
                view! {
                    <li class="variant-row">
                        <div class="field" class:invalid=move || path_error.with(Option::is_some)>
                            <label for=path_id.clone()><span class="label-text">{format!("Value {}", k + 1)}</span></label>
                            <select
                                id=path_id.clone()
                                on:change:target=move |ev| {
                                    let v = ev.target().value();
                                    draft.update(|d| if let Some(row) = d.variants.get_mut(k) { row.path = v });
                                }
                            >
                                {options}
                            </select>
                            <p class="error" hidden=move || path_error.with(Option::is_none)>{move || path_error.get()}</p>
                        </div>
                        <div class="field" class:invalid=move || spread_error.with(Option::is_some)>
                            <label for=spread_id.clone()>
                                <span class="label-text">"Up to"</span>
                                <span class="unit">"(% either way)"</span>
                            </label>
                            <input
                                type="text"
                                inputmode="decimal"
                                id=spread_id.clone()
                                autocomplete="off"
                                prop:value=move || draft.with(|d| d.variants.get(k).map(|v| v.spread.clone()).unwrap_or_default())
                                on:input:target=move |ev| {
                                    let v = ev.target().value();
                                    draft.update(|d| if let Some(row) = d.variants.get_mut(k) { row.spread = v });
                                }
                            />
                            <p class="error" hidden=move || spread_error.with(Option::is_none)>{move || spread_error.get()}</p>
                        </div>
                        <button
                            type="button"
                            class="secondary remove-variant"
                            aria-label=format!("Remove value {}", k + 1)
                            on:click=move |_| draft.update(|d| { if k < d.variants.len() { d.variants.remove(k); } })
                        >
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let problems = move || {
        trainer.built.with(|b| match b {
            Ok(_) => None,
            Err(errors) => Some(view! {
                <div class="notice exercise-problems" id="exercise-problems" role="alert">
                    <p>"Fix these to make the exercise link:"</p>
                    <ul>
                        {errors.iter().map(|e| {
                            let line = if e.path.is_empty() {
                                e.message.clone()
                            } else {
                                format!("{}: {}", field_name(&e.path), e.message)
                            };
                            // The ticks are one group: a problem with one links to it.
                            let at = if e.path.starts_with("exercise.editable") { "exercise.editable" } else { e.path.as_str() };
                            let href = format!("#{}", field_id(at));
                            view! { <li><a href=href>{line}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            }),
        })
    };

    view! {
        <section class="classroom-part" aria-labelledby="exercise-form-title">
            <h3 id="exercise-form-title">"The exercise"</h3>
            {text_field("exercise.title", "Title", |d| d.title.clone(), |d, v| d.title = v)}
            <div class="field" class:invalid=move || task_error.with(Option::is_some)>
                <label for=task_id.clone()><span class="label-text">"Task"</span></label>
                <textarea
                    id=task_id.clone()
                    rows="3"
                    prop:value=move || draft.with(|d| d.task.clone())
                    on:input:target=move |ev| draft.update(|d| d.task = ev.target().value())
                    aria-invalid=move || if task_error.with(Option::is_some) { "true" } else { "false" }
                ></textarea>
                <p class="hint">"What the students are to do, in plain words: it heads their page and the handout."</p>
                <p class="error" hidden=move || task_error.with(Option::is_none)>{move || task_error.get()}</p>
            </div>
            <div class="classroom-row">
                <div class="field" class:invalid=move || ask_error.with(Option::is_some)>
                    <label for=ask_id.clone()><span class="label-text">"Students answer"</span></label>
                    <select
                        id=ask_id.clone()
                        on:change:target=move |ev| {
                            let v = ev.target().value();
                            draft.update(|d| {
                                // Points and percent of the truth are different units.
                                if tolerance_in_points(&v) != tolerance_in_points(&d.ask) {
                                    d.tolerance = if tolerance_in_points(&v) { "2" } else { "5" }.into();
                                }
                                d.ask = v;
                            });
                        }
                    >
                        {ASKS.iter().map(|(a, label)| view! {
                            <option value=*a prop:selected=move || ask.get() == *a>{*label}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" hidden=move || ask_error.with(Option::is_none)>{move || ask_error.get()}</p>
                </div>
                <Show when=move || ask.get() == "goal_conversion">
                    <div class="field" class:invalid=move || stage_error.with(Option::is_some)>
                        <label for=stage_id.clone()><span class="label-text">"Stage"</span></label>
                        <select
                            id=stage_id.clone()
                            on:change:target=move |ev| draft.update(|d| d.stage = ev.target().value())
                        >
                            {move || stages.get().into_iter().map(|name| {
                                let selected = draft.with(|d| d.stage == name);
                                view! { <option value=name.clone() prop:selected=selected>{name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p class="error" hidden=move || stage_error.with(Option::is_none)>{move || stage_error.get()}</p>
                    </div>
                </Show>
                <Show when=is_goal>
                    {text_field("exercise.question.confidence", "With a chance of (%)", |d| d.confidence.clone(), |d, v| d.confidence = v)}
                </Show>
                <div class="field" class:invalid=move || tolerance_error.with(Option::is_some)>
                    <label for=tolerance_id.clone()>
                        <span class="label-text">"Right within"</span>
                        <span class="unit">{move || if points() { "(points either way)" } else { "(% of the true answer, either way)" }}</span>
                    </label>
                    <input
                        type="text"
                        inputmode="decimal"
                        id=tolerance_id.clone()
                        autocomplete="off"
                        prop:value=move || draft.with(|d| d.tolerance.clone())
                        on:input:target=move |ev| draft.update(|d| d.tolerance = ev.target().value())
                        aria-invalid=move || if tolerance_error.with(Option::is_some) { "true" } else { "false" }
                    />
                    <p class="error" hidden=move || tolerance_error.with(Option::is_none)>{move || tolerance_error.get()}</p>
                </div>
            </div>
            <div class="field checkbox-field">
                <label>
                    <input
                        type="checkbox"
                        id=field_id("exercise.show_answer")
                        prop:checked=move || draft.with(|d| d.show_answer)
                        on:change:target=move |ev| draft.update(|d| d.show_answer = ev.target().checked())
                    />
                    " Show the answer: a student's page says whether their answer is right, and the true answer"
                </label>
            </div>
            <fieldset class="classroom-inputs">
                <legend>"Inputs students may change (the rest are locked)"</legend>
                <ul class="checklist" id=field_id("exercise.editable")>{editable}</ul>
            </fieldset>
            <fieldset class="classroom-variants">
                <legend>"Values that differ from student to student"</legend>
                <p class="hint">"Each student's value moves by a random share up to this much either way, the same for the same name on any machine."</p>
                <ul class="variant-list" id="cx-variants">{variants}</ul>
                <button
                    type="button"
                    id="add-variant"
                    class="secondary"
                    on:click=move |_| draft.update(|d| d.variants.push(VariantDraft { path: String::new(), spread: "10".into() }))
                >
                    "Add a value that varies"
                </button>
            </fieldset>
            {problems}
        </section>
    }
}

/// The example student's values against the base.
#[derive(Clone, Debug, PartialEq)]
struct ExampleRow {
    label: String,
    base: String,
    theirs: String,
}

#[component]
pub fn StudentPreview() -> impl IntoView {
    let trainer = use_trainer();
    let inputs = offered();
    let preview = move || {
        let built = trainer.built.get();
        let Ok(run) = built else {
            return view! { <p class="muted">"The preview appears once the exercise has no problems."</p> }.into_any();
        };
        let Some(x) = run.scenario.exercise.clone() else {
            return ().into_any();
        };
        let editable: Vec<String> = x.editable.iter().map(Input::path).collect();
        let (open, locked): (Vec<Offered>, Vec<Offered>) = inputs
            .get()
            .into_iter()
            .partition(|o| editable.contains(&o.path));
        let varied_paths: Vec<String> = x.variants.iter().map(|v| v.path.path()).collect();
        let name = trainer.example.get();
        let example = (!x.variants.is_empty()).then(|| match x.variant(&run.scenario, &name) {
            Ok(v) => Ok(v
                .values
                .iter()
                .map(|(input, value)| ExampleRow {
                    label: input_label(input, &run.scenario),
                    base: input_text(input, &run.scenario),
                    theirs: value_text(input, value, &run.scenario.currency),
                })
                .collect::<Vec<_>>()),
            Err(e) => Err(e
                .0
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")),
        });
        let title = if x.title.is_empty() {
            "(no title)".to_string()
        } else {
            x.title.clone()
        };
        view! {
            <div class="student-preview" id="student-preview">
                <h4 id="preview-title">{title}</h4>
                <p class="task" id="preview-task">{x.task.clone()}</p>
                <p id="preview-editable">
                    {if open.is_empty() {
                        "Every input is locked: students only read the forecast.".to_string()
                    } else {
                        format!("Students may change: {}.", open.iter().map(|o| o.label.clone()).collect::<Vec<_>>().join(", "))
                    }}
                </p>
                <details>
                    <summary>{format!("Locked inputs ({})", locked.len())}</summary>
                    <LockedTable rows=marked(locked, &varied_paths) id="preview-locked" />
                </details>
                {example.map(|e| view! {
                    <div class="field example-name">
                        <label for="cx-example"><span class="label-text">"Example student"</span></label>
                        <input
                            type="text"
                            id="cx-example"
                            autocomplete="off"
                            prop:value=move || trainer.example.get()
                            on:change:target=move |ev| trainer.example.set(ev.target().value())
                        />
                    </div>
                    {match e {
                        Ok(rows) => view! {
                            <table class="data-table" id="preview-variant">
                                <caption>{format!("{name}'s own values")}</caption>
                                <thead><tr><th scope="col">"Value"</th><th scope="col" class="num">"Base"</th><th scope="col" class="num">{name.clone()}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr><th scope="row">{r.label}</th><td class="num">{r.base}</td><td class="num">{r.theirs}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(m) => view! { <p class="error">{format!("Example student: {m}")}</p> }.into_any(),
                    }}
                })}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="classroom-part" aria-labelledby="preview-heading">
            <h3 id="preview-heading">"What a student sees"</h3>
            {preview}
        </section>
    }
}

/// The locked inputs' rows, a value that differs per student marked so.
fn marked(locked: Vec<Offered>, varied: &[String]) -> Vec<(String, String)> {
    locked
        .into_iter()
        .map(|o| {
            let value = if varied.contains(&o.path) {
                format!("{} (each student's differs)", o.value)
            } else {
                o.value
            };
            (o.label, value)
        })
        .collect()
}

/// Inputs and their values, as a table.
#[component]
fn LockedTable(rows: Vec<(String, String)>, #[prop(into)] id: String) -> impl IntoView {
    view! {
        <table class="data-table locked-inputs" id=id>
            <thead><tr><th scope="col">"Input"</th><th scope="col" class="num">"Value"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(label, value)| view! {
                    <tr><th scope="row">{label}</th><td class="num">{value}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What prints with "Print handout": hidden on screen.
#[component]
pub fn Handout() -> impl IntoView {
    let trainer = use_trainer();
    let inputs = offered();
    move || {
        let Ok(run) = trainer.built.get() else {
            return ().into_any();
        };
        let Some(x) = run.scenario.exercise.clone() else {
            return ().into_any();
        };
        let url = exercise_link(&run);
        let editable: Vec<String> = x.editable.iter().map(Input::path).collect();
        let (open, locked): (Vec<Offered>, Vec<Offered>) = inputs
            .get()
            .into_iter()
            .partition(|o| editable.contains(&o.path));
        let varied: Vec<String> = x
            .variants
            .iter()
            .map(|v| input_label(&v.path, &run.scenario))
            .collect();
        let varied_paths: Vec<String> = x.variants.iter().map(|v| v.path.path()).collect();
        view! {
            <div class="classroom-handout" id="handout">
                <h1>{if x.title.is_empty() { run.scenario.name.clone() } else { x.title.clone() }}</h1>
                <p class="task">{x.task.clone()}</p>
                <div class="handout-open">
                    <div>
                        <h2>"Open the exercise"</h2>
                        <p>"Scan the code or type the link, then enter your name as it is on the class list. Your numbers are your own: the same name gives the same numbers on any device."</p>
                        <p class="handout-link">{url.clone()}</p>
                    </div>
                    <super::qr::QrCode text=url id="handout-qr" />
                </div>
                <h2>"The funnel"</h2>
                <p>
                    {if open.is_empty() {
                        "You may not change any input.".to_string()
                    } else {
                        format!("You may change: {}.", open.iter().map(|o| o.label.clone()).collect::<Vec<_>>().join(", "))
                    }}
                    {(!varied.is_empty()).then(|| format!(" Your own values (the page shows them): {}.", varied.join(", ")))}
                </p>
                <LockedTable rows=marked(locked, &varied_paths) id="handout-locked" />
                <h2>"Your answer"</h2>
                <dl class="handout-answer">
                    <dt>"Name"</dt><dd></dd>
                    <dt>"Answer"</dt><dd></dd>
                    <dt>"Answer code"</dt><dd></dd>
                </dl>
            </div>
        }
        .into_any()
    }
}
