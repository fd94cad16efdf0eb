//! The answer key: the class list typed or pasted, the key computed on the
//! workers (`classroom::key_job`) with progress and Stop, then a table per
//! student (their link, their values, the true answer), its CSV (the bytes
//! of `funnelsim key`) and a printable copy.

use std::sync::Arc;

use funnel_engine::exercise::Input;
use leptos::prelude::*;

use crate::browser;
use crate::classroom::builder::input_label;
use crate::classroom::format_answer;
use crate::classroom::key::{self, KeyPlan, value_text};
use crate::classroom::key_job::{self, KeyEnded};
use crate::format::count;

use super::trainer::{exercise_link, print, use_trainer};

/// A finished key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyDone {
    pub plan: KeyPlan,
    /// Each student's true answer, in the plan's order.
    pub answers: Vec<f64>,
    /// The base case's answer (the funnel without variants).
    pub base: f64,
    /// The exercise link the key was made for.
    pub link: String,
}

/// Where the key stands.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyState {
    None,
    /// The class list could not be used: each problem names its line.
    Refused(Vec<String>),
    Running {
        students: usize,
        notes: Vec<String>,
    },
    Stopped,
    Failed(String),
    Done(Arc<KeyDone>),
}

/// "Can we make the year?" -> "can-we-make-the-year-key.csv".
fn csv_name(title: &str) -> String {
    let slug = crate::share::file::slug(title);
    if slug.is_empty() {
        "answer-key.csv".into()
    } else {
        format!("{slug}-key.csv")
    }
}

#[component]
pub fn KeySection() -> impl IntoView {
    let trainer = use_trainer();
    let ctx = crate::ui::state::use_ctx();
    let progress = RwSignal::new((0usize, 0.0f64));
    let state = trainer.key;

    let make = move |_| {
        let Ok(run) = trainer.built.get_untracked() else {
            state.set(KeyState::Refused(vec![
                "Fix the exercise's problems first: the key is made for its link.".into(),
            ]));
            return;
        };
        let link = exercise_link(&run);
        let plan = match key::plan(
            &run.scenario,
            run.trials,
            run.seed,
            &trainer.class_list.get_untracked(),
            &link,
        ) {
            Ok(plan) => plan,
            Err(problems) => {
                state.set(KeyState::Refused(problems));
                browser::focus("class-list");
                return;
            }
        };
        let t = trainer.token.get_value() + 1;
        trainer.token.set_value(t);
        let current = move || trainer.token.try_get_value() == Some(t);
        state.set(KeyState::Running {
            students: plan.students.len(),
            notes: plan.notes.clone(),
        });
        progress.set((0, 0.0));
        ctx.announce.set(format!(
            "Making the answer key for {} students…",
            plan.students.len()
        ));
        leptos::task::spawn_local(async move {
            let ended = key_job::compute(&plan, current, move |done, share| {
                if current() {
                    progress.set((done, share));
                }
            })
            .await;
            if !current() {
                return;
            }
            match ended {
                KeyEnded::Done { answers, base } => {
                    ctx.announce.set(format!(
                        "The answer key is ready: {} students.",
                        answers.len()
                    ));
                    state.set(KeyState::Done(Arc::new(KeyDone {
                        plan,
                        answers,
                        base,
                        link,
                    })));
                }
                KeyEnded::Cancelled => state.set(KeyState::Stopped),
                KeyEnded::Refused { student, message } => {
                    state.set(KeyState::Failed(match student {
                        Some(s) => format!("No true answer for {s}: {message}"),
                        None => format!("No true answer for the base case: {message}"),
                    }))
                }
            }
        });
    };
    let stop = move |_| {
        trainer.token.set_value(trainer.token.get_value() + 1);
        state.set(KeyState::Stopped);
    };
    let running = Memo::new(move |_| state.with(|s| matches!(s, KeyState::Running { .. })));
    let students = Memo::new(move |_| match state.get() {
        KeyState::Running { students, .. } => students,
        _ => 0,
    });

    let status = move || {
        match state.get() {
        KeyState::None => ().into_any(),
        KeyState::Refused(problems) => view! {
            <div class="notice" id="key-problems" role="alert">
                <p>"The class list cannot be used yet:"</p>
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        KeyState::Running { notes, .. } => view! {
            <Notes notes=notes />
            <div class="progress-row" id="key-status">
                <label for="key-progress">
                    {move || format!(
                        "Working out the true answers: {} of {} students…",
                        count(progress.get().0 as f64),
                        count(students.get() as f64)
                    )}
                </label>
                <progress id="key-progress" max="1" prop:value=move || progress.get().1></progress>
                <button type="button" id="stop-key" class="secondary" on:click=stop>"Stop"</button>
            </div>
        }
        .into_any(),
        KeyState::Stopped => view! { <p class="muted" id="key-status">"Stopped. Press Make the key to start again."</p> }.into_any(),
        KeyState::Failed(m) => view! { <p class="error" id="key-status" role="alert">{m}</p> }.into_any(),
        KeyState::Done(done) => view! { <KeyTable done=done /> }.into_any(),
    }
    };

    view! {
        <section class="classroom-part" aria-labelledby="key-title">
            <h3 id="key-title">"Answer key"</h3>
            <div class="field">
                <label for="class-list"><span class="label-text">"Class list"</span> <span class="unit">"(one name a line)"</span></label>
                <textarea
                    id="class-list"
                    rows="6"
                    spellcheck="false"
                    prop:value=move || trainer.class_list.get()
                    on:input:target=move |ev| trainer.class_list.set(ev.target().value())
                ></textarea>
                <p class="hint">"Names are read without case and outer spaces, as the students' page reads them. Nothing is sent anywhere."</p>
            </div>
            <button type="button" id="make-key" on:click=make disabled=move || running.get()>
                "Make the key"
            </button>
            {status}
        </section>
    }
}

#[component]
fn Notes(notes: Vec<String>) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <ul class="key-notes" id="key-notes">
                {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn KeyTable(done: Arc<KeyDone>) -> impl IntoView {
    let trainer = use_trainer();
    let (message, set_message) = signal(None::<String>);
    let stale = {
        let link = done.link.clone();
        Memo::new(move |_| {
            trainer
                .built
                .with(|b| b.as_ref().map_or(true, |run| exercise_link(run) != link))
        })
    };
    let plan = &done.plan;
    let x = &plan.exercise;
    let currency = plan.base.currency.clone();
    let inputs: Vec<Input> = x.variants.iter().map(|v| v.path).collect();
    let columns = inputs
        .iter()
        .map(|i| view! { <th scope="col" class="num">{input_label(i, &plan.base)}</th> })
        .collect_view();
    let rows = plan
        .students
        .iter()
        .zip(&done.answers)
        .map(|(s, &answer)| {
            let values = s
                .variant
                .values
                .iter()
                .map(|(i, v)| view! { <td class="num">{value_text(i, v, &currency)}</td> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{s.name.clone()}</th>
                    <td class="key-link"><a href=s.link.clone() target="_blank" rel="noopener">{format!("{}'s link", s.name)}</a></td>
                    {values}
                    <td class="num key-answer">{format_answer(&x.question.ask, answer, &currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let download = {
        let done = Arc::clone(&done);
        move |_| match done.plan.csv(&done.answers) {
            Ok(csv) => {
                let name = csv_name(&done.plan.exercise.title);
                match browser::download(&name, &csv, "text/csv") {
                    Ok(()) => set_message.set(Some(format!("Downloaded {name}."))),
                    Err(e) => set_message.set(Some(format!("Could not download the key: {e}"))),
                }
            }
            Err(e) => set_message.set(Some(format!("Could not write the key: {e}"))),
        }
    };
    let title = if x.title.is_empty() {
        plan.base.name.clone()
    } else {
        x.title.clone()
    };
    let base = format_answer(&x.question.ask, done.base, &currency);
    view! {
        <Notes notes=plan.notes.clone() />
        <p class="error" id="key-stale" hidden=move || !stale.get()>
            "The exercise has changed since this key was made: make it again for the new link."
        </p>
        <div class="inline">
            <button type="button" id="download-key" on:click=download>"Download CSV"</button>
            <button type="button" id="print-key" class="secondary" on:click=move |_| print("key")>"Print key"</button>
        </div>
        {move || message.get().map(|m| view! { <p class="share-status" role="status">{m}</p> })}
        <div class="classroom-key" id="answer-key">
            <h4 class="key-print-title">{format!("Answer key: {title}")}</h4>
            <p class="key-print-note">
                {format!(
                    "{} students, {} trials, seed {}. The base case's answer: {base}. Each student's link is the exercise link with their name.",
                    plan.students.len(),
                    count(plan.trials as f64),
                    plan.seed
                )}
            </p>
            <div class="table-wrap" role="region" aria-labelledby="key-caption" tabindex="0">
                <table class="data-table" id="key-table">
                    <caption id="key-caption">"Each student's values and true answer"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Student"</th>
                            <th scope="col" class="key-link">"Personal link"</th>
                            {columns}
                            <th scope="col" class="num">"True answer"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_names() {
        assert_eq!(
            super::csv_name("Can we make the year?"),
            "can-we-make-the-year-key.csv"
        );
        assert_eq!(super::csv_name(""), "answer-key.csv");
    }
}
