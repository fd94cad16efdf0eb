//! The reverse funnel as a background job: the engine's `job::GoalSearch`
//! names one candidate at a time, each runs through `run::run` (on the
//! workers) on the headline's seed and trials, and the search records its
//! chance of the target. The page only drives the machine and shows progress;
//! the answer is the engine's, to the bit (`funnelsim --solve` runs the same).

use funnel_engine::FieldError;
use funnel_engine::goal::GoalAnswer;
use funnel_engine::job::GoalSearch;

use crate::run::{self, Stopped};

/// How a search ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchEnded {
    Done(GoalAnswer),
    Cancelled,
    Refused(Vec<FieldError>),
}

/// The share of the search done, from 0 to 0.99 until the answer is in:
/// candidates run, plus the share of the one running, over the estimate.
pub fn fraction(search: &GoalSearch, within: f64) -> f64 {
    if search.answer().is_some() {
        return 1.0;
    }
    ((search.runs() as f64 + within) / search.estimated_runs().max(1) as f64).min(0.99)
}

/// Runs `search` to its answer. `current()` is asked between chunks;
/// `progress(search, fraction)` is told as trials finish.
pub async fn search(
    mut search: GoalSearch,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(&GoalSearch, f64),
) -> SearchEnded {
    progress(&search, 0.0);
    while let Some(value) = search.next_candidate() {
        let spec = search.spec(value);
        let all = run::run(&spec, &current, |done, total| {
            progress(
                &search,
                fraction(&search, done as f64 / total.max(1) as f64),
            )
        })
        .await;
        match all {
            Ok(all) => search.record(&all),
            Err(Stopped::Cancelled) => return SearchEnded::Cancelled,
            Err(Stopped::Refused(errors)) => return SearchEnded::Refused(errors),
        }
        progress(&search, fraction(&search, 0.0));
    }
    match search.answer() {
        Some(answer) if current() => SearchEnded::Done(answer.clone()),
        _ => SearchEnded::Cancelled,
    }
}
