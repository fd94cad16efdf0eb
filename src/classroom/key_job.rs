//! The answer key as a background job: each student's true answer, one
//! after the other, on the worker pool through `run::run` (a goal question
//! through the engine's `GoalSearch`, as `jobs::goal` drives it). The page
//! runs the trials; the engine turns them into the answer
//! (`Question::answer_of_trials`, `answer_of_goal`), the same functions
//! `funnelsim key` ends in, so both give the same bits.

use funnel_engine::Scenario;
use funnel_engine::exercise::Question;
use funnel_engine::job::{Change, GoalSearch, RunSpec};

use crate::jobs::goal::{self, SearchEnded};
use crate::run::{self, Stopped};

use super::key::KeyPlan;

/// How a key job ended.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyEnded {
    /// Each student's answer in the plan's order, and the base case's.
    Done { answers: Vec<f64>, base: f64 },
    /// Stopped, or a newer key took over.
    Cancelled,
    /// A student (or the base case, `None`) has no answer: the message says why.
    Refused {
        student: Option<String>,
        message: String,
    },
}

/// Why one answer could not be had.
enum Failed {
    Cancelled,
    Refused(String),
}

/// The answer of `question` on `scenario`, its trials on the pool;
/// `progress(share)` says how far this one answer is, 0 to 1.
async fn answer(
    question: &Question,
    scenario: &Scenario,
    trials: u64,
    seed: u64,
    current: &impl Fn() -> bool,
    progress: &mut impl FnMut(f64),
) -> Result<f64, Failed> {
    let words = |errors: Vec<funnel_engine::FieldError>| {
        Failed::Refused(
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    match question.goal(scenario).map_err(|e| words(e.0))? {
        Some((lever, confidence)) => {
            let search = GoalSearch::new(scenario, &lever, confidence, trials, seed)
                .map_err(|e| words(e.0))?;
            match goal::search(search, current, |_, share| progress(share)).await {
                SearchEnded::Done(found) => question.answer_of_goal(&found).map_err(|e| words(e.0)),
                SearchEnded::Cancelled => Err(Failed::Cancelled),
                SearchEnded::Refused(errors) => Err(words(errors)),
            }
        }
        None => {
            let spec = RunSpec::new(scenario, trials, seed, Change::None);
            let all = run::run(&spec, current, |done, total| {
                progress(done as f64 / total.max(1) as f64)
            })
            .await;
            match all {
                Ok(all) => question
                    .answer_of_trials(scenario, &all)
                    .map_err(|e| words(e.0)),
                Err(Stopped::Cancelled) => Err(Failed::Cancelled),
                Err(Stopped::Refused(errors)) => Err(words(errors)),
            }
        }
    }
}

/// The share of a key done after `done` whole answers and `within` of the
/// next, of `total` (the students and the base case).
pub fn fraction(done: usize, within: f64, total: usize) -> f64 {
    ((done as f64 + within.clamp(0.0, 1.0)) / total.max(1) as f64).min(1.0)
}

/// Computes the key of `plan`: the base case first (what the debrief draws
/// the class against), then every student. `current()` is asked between
/// chunks; `progress(answers done, share of the whole key)` as trials finish.
pub async fn compute(
    plan: &KeyPlan,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(usize, f64),
) -> KeyEnded {
    let question = &plan.exercise.question;
    let total = plan.students.len() + 1;
    let ended = |failed: Failed, student: Option<String>| match failed {
        Failed::Cancelled => KeyEnded::Cancelled,
        Failed::Refused(message) => KeyEnded::Refused { student, message },
    };
    progress(0, 0.0);
    let base = match answer(
        question,
        &plan.base,
        plan.trials,
        plan.seed,
        &current,
        &mut |share| progress(0, fraction(0, share, total)),
    )
    .await
    {
        Ok(x) => x,
        Err(f) => return ended(f, None),
    };
    let mut answers = Vec::with_capacity(plan.students.len());
    for (k, student) in plan.students.iter().enumerate() {
        let done = k + 1;
        let got = answer(
            question,
            &student.variant.scenario,
            plan.trials,
            plan.seed,
            &current,
            &mut |share| progress(k, fraction(done, share, total)),
        )
        .await;
        match got {
            Ok(x) => answers.push(x),
            Err(f) => return ended(f, Some(student.name.clone())),
        }
        progress(done, fraction(done + 1, 0.0, total));
    }
    if !current() {
        return KeyEnded::Cancelled;
    }
    KeyEnded::Done { answers, base }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_the_base_case_and_every_student() {
        assert_eq!(fraction(0, 0.0, 4), 0.0);
        assert_eq!(fraction(1, 0.5, 4), 0.375);
        assert_eq!(fraction(4, 0.0, 4), 1.0);
        assert_eq!(fraction(4, 3.0, 4), 1.0);
    }
}
