//! The debrief: the class's answer codes pasted in, each judged against the
//! student's true answer from the key (`classroom::debrief`), as a table and
//! on the chart of the class's true answers (`charts::debrief`).

use leptos::prelude::*;

use crate::charts::debrief::{Answered, DebriefChart, debrief_layout, debrief_table};
use crate::classroom::debrief::{Truth, debrief};
use crate::classroom::{builder, format_answer};

use super::key::KeyState;
use super::trainer::use_trainer;

#[component]
pub fn DebriefSection() -> impl IntoView {
    let trainer = use_trainer();
    let done = Memo::new(move |_| match trainer.key.get() {
        KeyState::Done(done) => Some(done),
        _ => None,
    });
    let result = Memo::new(move |_| {
        let done = done.get()?;
        let truths: Vec<Truth> = done
            .plan
            .students
            .iter()
            .zip(&done.answers)
            .map(|(s, &truth)| Truth {
                student: s.name.clone(),
                truth,
            })
            .collect();
        Some((
            done.clone(),
            trainer
                .codes
                .with(|c| debrief(&done.plan.exercise.question, &truths, c)),
        ))
    });

    let body = move || {
        let Some((done, d)) = result.get() else {
            return view! {
                <p class="muted" id="debrief-waiting">
                    "Make the answer key first: each code is judged against that student's true answer."
                </p>
            }
            .into_any();
        };
        let x = &done.plan.exercise;
        let ask = x.question.ask.clone();
        let currency = done.plan.base.currency.clone();
        let label = {
            let ask = ask.clone();
            let currency = currency.clone();
            move |v: f64| format_answer(&ask, v, &currency)
        };
        let (handed, right) = d.tally();
        let within = if builder::tolerance_in_points(ask.as_str()) {
            format!("within {} points", crate::form::pct(x.question.tolerance))
        } else {
            format!("within {}%", crate::form::pct(x.question.tolerance))
        };
        let are = if right == 1 { "is" } else { "are" };
        let summary = format!(
            "{handed} of {} students handed in a code; {right} of them {are} right ({within} of their own true answer).",
            d.rows.len()
        );
        let answered: Vec<Answered> = d
            .rows
            .iter()
            .filter_map(|r| {
                r.answer.map(|(a, _)| Answered {
                    student: r.student.clone(),
                    answer: a,
                    truth: r.truth,
                    right: r.right == Some(true),
                })
            })
            .collect();
        let truths: Vec<f64> = d.rows.iter().map(|r| r.truth).collect();
        let bounds = if x.question.ask.absolute_tolerance() {
            (0.0, 1.0)
        } else {
            (0.0, f64::INFINITY)
        };
        let chart = debrief_layout(&truths, &answered, Some(done.base), bounds, &label).map(|layout| {
            let table = debrief_table(&answered, &label);
            view! {
                <DebriefChart
                    layout=layout
                    table=table
                    title=format!("The class's answers against their true answers: {}", builder::ask_label(ask.as_str()))
                    desc="Bars: how many students' funnels have a true answer in each range (the luck of the draw). Line: the base case. Ticks: each student's answer, up if right, down if wrong (judgement)."
                />
            }
        });
        let rows = d
            .rows
            .iter()
            .map(|r| {
                let (answer, verdict, class) = match (r.answer, r.right) {
                    (Some((a, _)), Some(true)) => (label(a), "right", "verdict-right"),
                    (Some((a, _)), _) => (label(a), "wrong", "verdict-wrong"),
                    (None, _) => ("—".to_string(), "no code", "verdict-none"),
                };
                view! {
                    <tr>
                        <th scope="row">{r.student.clone()}</th>
                        <td class="num">{answer}</td>
                        <td class="num">{label(r.truth)}</td>
                        <td class=class>{verdict}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {(!d.problems.is_empty()).then(|| view! {
                <div class="notice" id="debrief-problems" role="alert">
                    <p>"Some lines could not be used:"</p>
                    <ul>{d.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            <p id="debrief-summary" role="status">{summary}</p>
            {chart}
            <div class="table-wrap" role="region" aria-labelledby="debrief-caption" tabindex="0">
                <table class="data-table" id="debrief-table">
                    <caption id="debrief-caption">"Each student's answer against their true answer"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Student"</th>
                            <th scope="col" class="num">"Answer"</th>
                            <th scope="col" class="num">"True answer"</th>
                            <th scope="col">"Right?"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="classroom-part" aria-labelledby="debrief-title">
            <h3 id="debrief-title">"Debrief"</h3>
            <div class="field">
                <label for="answer-codes">
                    <span class="label-text">"Answer codes"</span>
                    <span class="unit">"(one a line, with or without the name before it)"</span>
                </label>
                <textarea
                    id="answer-codes"
                    rows="6"
                    spellcheck="false"
                    prop:value=move || trainer.codes.get()
                    on:input:target=move |ev| trainer.codes.set(ev.target().value())
                ></textarea>
            </div>
            {body}
        </section>
    }
}
