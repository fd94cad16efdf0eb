//! The sensitivity analysis as a background job: the engine's
//! `job::LeverSweep` hands out one lever's run at a time, each runs through
//! `run::run` (on the workers) on the headline's seed and trials, and its
//! effect is recorded against the headline's revenue. The page only drives
//! the machine and shows progress; every answer is the engine's.

use std::sync::Arc;

use funnel_engine::job::LeverSweep;
use funnel_engine::levers::{Lever, LeverEffect, Omitted};
use funnel_engine::{Chunk, Conversion, FieldError, Scenario};

use crate::browser;
use crate::form::Run;
use crate::jobs::headline::Forecast;
use crate::run::{self, Stopped};

/// What a finished sweep leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverResults {
    /// The run the levers were pulled on (the headline's).
    pub run: Run,
    /// Every lever's effect, each way, largest effect on mean revenue first.
    pub effects: Vec<LeverEffect>,
    /// The lever moves not run, as they cannot change any trial, and why.
    pub omitted: Vec<Omitted>,
    /// Wall time of the whole sweep.
    pub elapsed_ms: f64,
}

/// How a sweep ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepEnded {
    Done(Arc<LeverResults>),
    /// A newer job took over, or the user pressed Stop.
    Cancelled,
    Refused(Vec<FieldError>),
}

/// `x` to 12 significant digits: 13200.000000000002 (12,000 x 1.1) becomes
/// 13200, so a what-if reads well in the form; the change is far below any
/// effect the model can show.
pub fn tidy_number(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// The scenario with the numbers a lever changes tidied (`tidy_number`).
pub fn tidy(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    s.leads.per_month = tidy_number(s.leads.per_month);
    s.deal_size.median = tidy_number(s.deal_size.median);
    s.deal_size.p90 = tidy_number(s.deal_size.p90);
    for stage in &mut s.stages {
        stage.days = tidy_number(stage.days);
        stage.conversion = match stage.conversion {
            Conversion::Fixed(p) => Conversion::Fixed(tidy_number(p)),
            Conversion::Estimate { mean, sd } => Conversion::Estimate {
                mean: tidy_number(mean),
                sd: tidy_number(sd),
            },
            history => history,
        };
    }
    s
}

/// Runs every lever of the headline's run. `current()` is asked between
/// chunks; `progress(levers_done, levers, fraction)` is told as trials finish.
pub async fn sweep(
    headline: Arc<Forecast>,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(usize, usize, f64),
) -> SweepEnded {
    let started = browser::now_ms();
    let run = headline.run.clone();
    // Only the headline's revenue is compared, trial by trial.
    let mut base = Chunk::new(&run.scenario, 0, 0);
    base.revenue = headline.revenue().to_vec();
    let mut sweep = LeverSweep::new(&run.scenario, run.trials, run.seed);
    let (_, levers) = sweep.progress();
    progress(0, levers, 0.0);
    while let Some((_, spec)) = sweep.next() {
        let (done, _) = sweep.progress();
        let within = |trials: u64, total: u64| trials as f64 / total.max(1) as f64;
        let changed = run::run(&spec, &current, |t, n| {
            progress(done, levers, (done as f64 + within(t, n)) / levers as f64)
        })
        .await;
        match changed {
            Ok(changed) => sweep.record(&base, &changed),
            Err(Stopped::Cancelled) => return SweepEnded::Cancelled,
            Err(Stopped::Refused(errors)) => return SweepEnded::Refused(errors),
        }
        progress(done + 1, levers, (done + 1) as f64 / levers.max(1) as f64);
    }
    if !current() {
        return SweepEnded::Cancelled;
    }
    SweepEnded::Done(Arc::new(LeverResults {
        omitted: Lever::omitted(&run.scenario),
        run,
        effects: sweep.effects(),
        elapsed_ms: browser::now_ms() - started,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(json: &str, trials: u64, seed: u64) -> Run {
        Run {
            scenario: Scenario::from_json(json).unwrap(),
            trials,
            seed,
        }
    }

    #[test]
    fn what_ifs_read_well_in_the_form() {
        let r = run(include_str!("../../scenarios/reference.json"), 10, 1);
        assert_eq!(12_000.0 * 1.1, 13_200.000000000002);
        assert_eq!(tidy_number(12_000.0 * 1.1), 13_200.0);
        assert_eq!(tidy_number(0.1 + 0.2), 0.3);
        assert_eq!(tidy_number(0.123456789), 0.123456789);
        assert_eq!(tidy_number(1.0 / 3.0), 0.333333333333);
        for lever in Lever::all(&r.scenario) {
            let s = tidy(&lever.apply(&r.scenario));
            assert!(s.validate().is_ok(), "{}", lever.lever);
            let d = crate::form::Draft::from_scenario(&s, 10, 1);
            let texts = [&d.deal_median, &d.deal_p90, &d.leads_per_month]
                .into_iter()
                .chain(
                    d.stages
                        .iter()
                        .flat_map(|st| [&st.mean, &st.sd, &st.rate, &st.days]),
                );
            for t in texts {
                let noise = t.contains("000000") || t.contains("999999");
                assert!(!noise, "{} {}: {t}", lever.lever, lever.change);
            }
        }
    }
}
