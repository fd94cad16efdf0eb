//! A student's view of an exercise: the title and task above the form, the
//! name that gives them their numbers, the answer field and the code to hand
//! in. Shown when the loaded scenario has an exercise (`Ctx::student`); the
//! form's fields ask `field_locked` and `view_locked` whether they may change.

use funnel_engine::exercise::Input;
use leptos::html;
use leptos::prelude::*;

use crate::browser;
use crate::classroom::answer::{self, Unit};
use crate::classroom::student::{
    Seat, Student, seat_sentence, your_numbers, your_numbers_sentence,
};
use crate::form::{Draft, field_label};
use crate::jobs::truth::{TruthEnded, truth};
use crate::ui::state::use_ctx;

/// The id of the sentence every locked field is described by.
pub const LOCKED_NOTE_ID: &str = "exercise-locked-note";

/// Whether the field at `path` is locked in a student's view.
pub fn field_locked(path: impl Fn() -> String + Send + Sync + 'static) -> Signal<bool> {
    let ctx = use_ctx();
    Signal::derive(move || {
        ctx.lock
            .with(|l| l.as_ref().is_some_and(|l| !l.allows(&path())))
    })
}

/// Whether the page is a student's view: the form's shape (stages, plans,
/// milestones, the team) is then fixed.
pub fn view_locked() -> Signal<bool> {
    let ctx = use_ctx();
    Signal::derive(move || ctx.lock.with(Option::is_some))
}

/// What the student may change, in the form's words.
fn open_inputs(inputs: &[Input], draft: &Draft) -> String {
    let names: Vec<String> = inputs
        .iter()
        .map(|i| field_label(&i.path(), draft))
        .collect();
    match names.len() {
        0 => "Every field is locked: the case is given. Answer from the forecast.".into(),
        _ => format!(
            "Fields marked “locked” are the case. You may change: {}.",
            names.join("; ")
        ),
    }
}

#[component]
pub fn StudentPanel() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        ctx.student
            .with(Option::is_some)
            .then(|| view! { <Panel /> })
    }
}

#[component]
fn Panel() -> impl IntoView {
    let ctx = use_ctx();
    let student = Memo::new(move |_| ctx.student.get());
    let with = move |f: fn(&Student) -> String| {
        move || student.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let title = with(|s| {
        let t = s.exercise().title.trim();
        if t.is_empty() {
            "Exercise".into()
        } else {
            t.to_owned()
        }
    });
    let task = with(|s| s.exercise().task.clone());
    let seat = Memo::new(move |_| student.with(|s| s.as_ref().map(Student::seat)));
    let numbers = move || {
        student.with(|s| {
            let s = s.as_ref()?;
            let seat = seat.get()?;
            Some(match &seat {
                Seat::Variant(v) => your_numbers_sentence(&your_numbers(&s.case.scenario, v)),
                other => seat_sentence(other, !s.exercise().variants.is_empty())?,
            })
        })
    };
    let has_variant = move || matches!(seat.get(), Some(Seat::Variant(_)));
    let open = move || {
        student.with(|s| {
            s.as_ref()
                .map(|s| {
                    let draft = Draft::from_scenario(&s.case.scenario, 1, 1);
                    open_inputs(&s.exercise().editable, &draft)
                })
                .unwrap_or_default()
        })
    };

    // The name: committed on Enter, the button or leaving the field.
    let name_input = NodeRef::<html::Input>::new();
    let code = RwSignal::new(None::<Result<(String, String), String>>);
    let commit_name = move || {
        let Some(input) = name_input.get_untracked() else {
            return;
        };
        let typed = input.value();
        if student.with_untracked(|s| s.as_ref().map(|s| s.name.clone())) != Some(typed.clone()) {
            code.set(None);
            ctx.set_student_name(&typed);
            ctx.announce.set(
                match student.with_untracked(|s| s.as_ref().map(Student::seat)) {
                    Some(Seat::Variant(_)) => {
                        "Your numbers are in the form; the forecast is updating.".into()
                    }
                    Some(Seat::BadName(m)) => m,
                    _ => "Enter your name to get your own numbers.".into(),
                },
            );
        }
    };

    // The answer.
    let ask =
        Memo::new(move |_| student.with(|s| s.as_ref().map(|s| s.exercise().question.ask.clone())));
    let unit = move || ask.with(|a| a.as_ref().map_or(Unit::Percent, answer::unit));
    let currency = move || {
        student.with(|s| {
            s.as_ref()
                .map(|s| s.case.scenario.currency.clone())
                .unwrap_or_default()
        })
    };
    let answer_text = RwSignal::new(String::new());
    let show_answer =
        move || student.with(|s| s.as_ref().is_some_and(|s| s.exercise().show_answer));
    let error = move || code.with(|c| c.as_ref().and_then(|c| c.as_ref().err().cloned()));
    // With `show_answer`, the truth on the student's numbers, worked out
    // once per name (a run, or a goal search, on the workers).
    let shown_truth = RwSignal::new(None::<(String, Option<TruthEnded>)>);
    let reveal = move || {
        let Some(s) = student.get_untracked() else {
            return;
        };
        if !s.exercise().show_answer || !matches!(s.seat(), Seat::Variant(_)) {
            return;
        }
        if shown_truth.with_untracked(|t| t.as_ref().is_some_and(|(n, _)| *n == s.name)) {
            return;
        }
        shown_truth.set(Some((s.name.clone(), None)));
        leptos::task::spawn_local(async move {
            let name = s.name.clone();
            let still = move || {
                ctx.student
                    .with_untracked(|now| now.as_ref().is_some_and(|now| now.name == name))
            };
            let ended = truth(&s.run(), &s.exercise().question, still).await;
            if ctx
                .student
                .with_untracked(|now| now.as_ref().is_some_and(|now| now.name == s.name))
            {
                shown_truth.set(Some((s.name.clone(), Some(ended))));
            }
        });
    };
    let verdict = move || {
        let s = student.get()?;
        let (name, ended) = shown_truth.get()?;
        if name != s.name {
            return None;
        }
        let typed =
            answer::parse_answer(&answer_text.get(), answer::unit(&s.exercise().question.ask))
                .ok()?;
        Some(match ended {
            None => "Working out the answer on your numbers…".to_owned(),
            Some(TruthEnded::Done(truth)) => answer::verdict(
                &s.exercise().question,
                truth,
                typed,
                &s.case.scenario.currency,
            ),
            Some(TruthEnded::Refused(why)) => format!("The answer could not be worked out: {why}"),
            Some(TruthEnded::Cancelled) => String::new(),
        })
    };
    let submit_answer = move || {
        commit_name();
        let made = student.with_untracked(|s| {
            let s = s.as_ref()?;
            Some(
                answer::answer_code(
                    &s.name,
                    &answer_text.get_untracked(),
                    &s.exercise().question,
                )
                .map(|c| {
                    let value = answer::parse_answer(
                        &answer_text.get_untracked(),
                        answer::unit(&s.exercise().question.ask),
                    )
                    .map(|v| {
                        answer::answer_text(
                            v,
                            answer::unit(&s.exercise().question.ask),
                            &s.case.scenario.currency,
                        )
                    })
                    .unwrap_or_default();
                    (c, value)
                }),
            )
        });
        if let Some(made) = made {
            ctx.announce.set(match &made {
                Ok((c, _)) => format!(
                    "Your answer code is {}. Send it to your trainer.",
                    spelled(c)
                ),
                Err(m) => m.clone(),
            });
            let failed = made.is_err();
            code.set(Some(made));
            if !failed {
                reveal();
            }
            if failed {
                request_animation_frame(|| browser::focus("student-answer"));
            }
        }
    };
    let copied = RwSignal::new(String::new());
    let copy = move |_| {
        let Some(Ok((c, _))) = code.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            copied.set(if browser::copy_text(&c).await {
                "Copied.".into()
            } else {
                "The browser did not allow copying: select the code and copy it.".into()
            });
        });
    };

    view! {
        <section class="exercise" id="exercise" aria-labelledby="exercise-title">
            <p class="exercise-kicker">"Classroom exercise"</p>
            <h2 id="exercise-title">{title}</h2>
            <p class="exercise-task" id="exercise-task">{task}</p>
            <form
                class="student-name"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    commit_name();
                }
            >
                <div class="field">
                    <label for="student-name"><span class="label-text">"Your name"</span></label>
                    <div class="inline">
                        <input
                            type="text"
                            id="student-name"
                            autocomplete="name"
                            spellcheck="false"
                            node_ref=name_input
                            prop:value=move || student.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())
                            on:change=move |_| commit_name()
                            aria-describedby="student-numbers"
                        />
                        <button type="submit" id="student-name-use" class="secondary">
                            "Get my numbers"
                        </button>
                    </div>
                </div>
            </form>
            <p id="student-numbers" class="student-numbers" class:pending=move || !has_variant()>
                {numbers}
            </p>
            <p class="hint" id=LOCKED_NOTE_ID>{open}</p>
            <form
                class="student-answer"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit_answer();
                }
            >
                <div class="field" class:invalid=move || error().is_some()>
                    <label for="student-answer">
                        <span class="label-text">
                            "Your answer: "
                            {move || ask.with(|a| a.as_ref().map(answer::answer_label).unwrap_or_default())}
                        </span>
                        <span class="unit">{move || format!("({})", answer::unit_text(unit(), &currency()))}</span>
                    </label>
                    <div class="inline">
                        <input
                            type="text"
                            id="student-answer"
                            inputmode="decimal"
                            autocomplete="off"
                            spellcheck="false"
                            prop:value=move || answer_text.get()
                            on:input:target=move |ev| answer_text.set(ev.target().value())
                            aria-invalid=move || if error().is_some() { "true" } else { "false" }
                            aria-describedby=move || if error().is_some() { "student-answer-error" } else { "student-answer-hint" }
                        />
                        <button type="submit" id="student-answer-submit">"Get my answer code"</button>
                    </div>
                    <p class="hint" id="student-answer-hint">
                        {move || match unit() {
                            Unit::Percent => "In percent: 54.2 means 54.2%.",
                            Unit::Money => "An amount, e.g. 1,250,000.",
                            Unit::Leads => "Leads a month, e.g. 1,150.",
                            Unit::Deals => "A number of deals, e.g. 42.",
                        }}
                    </p>
                    <p class="error" id="student-answer-error" role="alert" hidden=move || error().is_none()>
                        {error}
                    </p>
                </div>
            </form>
            {move || code.get().and_then(Result::ok).map(|(c, value)| view! {
                <div class="answer-code" id="answer-code-box">
                    <p class="answer-code-label" id="answer-code-label">"Your answer code"</p>
                    <output id="answer-code" class="code" aria-labelledby="answer-code-label">{c}</output>
                    <div class="inline">
                        <button type="button" id="copy-code" class="secondary" on:click=copy>"Copy code"</button>
                        <span class="hint" role="status">{move || copied.get()}</span>
                    </div>
                    <p class="answer-code-help">
                        {if show_answer() {
                            format!("Send this code to your trainer. It holds your name and your answer ({value}).")
                        } else {
                            format!(
                                "Send this code to your trainer. It holds your name and your answer ({value}); \
                                 this page does not say whether the answer is right."
                            )
                        }}
                    </p>
                    <p class="answer-verdict" id="answer-verdict" role="status" hidden=move || verdict().is_none()>
                        {verdict}
                    </p>
                </div>
            })}
        </section>
    }
}

/// A code spelled out for a screen reader, a symbol at a time: "7 K 3 …".
fn spelled(code: &str) -> String {
    code.chars().map(String::from).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_what_the_student_may_change() {
        let s = funnel_engine::Scenario::from_json(include_str!(
            "../../../scenarios/exercise-goal.json"
        ))
        .unwrap();
        let draft = Draft::from_scenario(&s, 1, 1);
        let x = s.exercise.as_ref().unwrap();
        assert_eq!(
            open_inputs(&x.editable, &draft),
            "Fields marked “locked” are the case. You may change: Stage 4 (Proposal): conversion."
        );
        assert!(open_inputs(&[], &draft).starts_with("Every field is locked"));
        assert_eq!(spelled("7K3"), "7 K 3");
    }
}
