//! The true answer of an exercise's question on one student's funnel, as a
//! background job: one run on the workers (`run::run`) read by the engine's
//! `Question::read`, or for a goal the engine's `GoalSearch` step by step
//! (`jobs::goal`). The same bits as `Question::answer` and `funnelsim key`.

use funnel_engine::FieldError;
use funnel_engine::exercise::{Ask, Question};
use funnel_engine::goal::GoalLever;
use funnel_engine::job::{Change, GoalSearch, RunSpec};

use crate::form::Run;
use crate::jobs::goal::{self, SearchEnded};
use crate::run::{self, Stopped};

/// How the job ended.
#[derive(Clone, Debug, PartialEq)]
pub enum TruthEnded {
    Done(f64),
    Cancelled,
    /// No answer: the engine refused, or no value reaches the goal.
    Refused(String),
}

fn refused(errors: &[FieldError]) -> TruthEnded {
    TruthEnded::Refused(
        errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The answer to `question` on `run` (a student's variant, unedited).
pub async fn truth(run: &Run, question: &Question, current: impl Fn() -> bool) -> TruthEnded {
    let goal = match &question.ask {
        Ask::GoalLeads { confidence } => Some((GoalLever::Leads, *confidence)),
        Ask::GoalConversion { stage, confidence } => {
            match run.scenario.stages.iter().position(|s| &s.name == stage) {
                Some(i) => Some((GoalLever::Conversion { stage: i }, *confidence)),
                None => {
                    return TruthEnded::Refused(format!("{stage} is not a stage of this funnel"));
                }
            }
        }
        _ => None,
    };
    if let Some((lever, confidence)) = goal {
        let search = match GoalSearch::new(&run.scenario, &lever, confidence, run.trials, run.seed)
        {
            Ok(s) => s,
            Err(e) => return refused(&e.0),
        };
        return match goal::search(search, &current, |_, _| {}).await {
            SearchEnded::Done(a) if a.reachable => TruthEnded::Done(a.value),
            SearchEnded::Done(a) => TruthEnded::Refused(a.message),
            SearchEnded::Cancelled => TruthEnded::Cancelled,
            SearchEnded::Refused(e) => refused(&e),
        };
    }
    // The summary needs every month, which the page does not hold: the
    // run keeps its pieces and a worker summarises them (as the headline).
    let spec = RunSpec::new(&run.scenario, run.trials, run.seed, Change::None);
    let kept = match run::run_kept(&spec, 0, &current, |_, _| {}).await {
        Ok(kept) => kept,
        Err(Stopped::Cancelled) => return TruthEnded::Cancelled,
        Err(Stopped::Refused(e)) => return refused(&e),
    };
    let summary = match run::summarize(&spec, &kept.pieces, &current).await {
        Ok(Some(summary)) => summary,
        Ok(None) => return TruthEnded::Cancelled,
        Err(Stopped::Cancelled) => return TruthEnded::Cancelled,
        Err(Stopped::Refused(e)) => return refused(&e),
    };
    match question.read(&summary) {
        Some(Ok(x)) => TruthEnded::Done(x),
        Some(Err(e)) => refused(&e.0),
        None => TruthEnded::Refused("a goal takes a search".into()),
    }
}
