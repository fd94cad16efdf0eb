//! The reverse funnel as a background job: what lead volume, or what
//! conversion at one stage, reaches the target with the required confidence.
//!
//! `goal::solve` in the engine runs each candidate in one go, which would
//! freeze the page for seconds. `GoalSearch` is the same bisection, step by
//! step: every candidate runs in slices of trials (`step`), so the page can
//! yield between them. It tries the same candidates in the same order on the
//! same seed, so its answer is `goal::solve`'s to the last bit (the tests
//! hold it to that). `search` drives it on the page.

use funnel_engine::goal::{GoalAnswer, GoalLever};
use funnel_engine::sim::Adjustment;
use funnel_engine::{Conversion, FieldError, Scenario, Simulation};

use crate::browser;
use crate::draft::Run;
use crate::job::ChunkPlanner;

/// Which candidate the bisection is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leg {
    /// The upper bound: if even that misses, nothing within bounds reaches it.
    High,
    /// The lower bound: if that already reaches it, it is the answer.
    Low,
    Bisect,
}

#[derive(Clone, Debug)]
struct Candidate {
    x: f64,
    sim: Simulation,
    done: u64,
    hits: u64,
}

/// The bisection of `goal::solve`, one slice of trials at a time.
#[derive(Clone, Debug)]
pub struct GoalSearch {
    scenario: Scenario,
    lever: GoalLever,
    confidence: f64,
    trials: u64,
    seed: u64,
    target: f64,
    current: f64,
    lo: f64,
    hi: f64,
    at_hi: (f64, f64),
    leg: Leg,
    next: f64,
    candidate: Option<Candidate>,
    tried: usize,
    answer: Option<GoalAnswer>,
}

impl GoalSearch {
    /// Checks the question as `goal::solve` does (a target is needed, and a
    /// confidence strictly between 0 and 1).
    pub fn new(
        run: &Run,
        lever: GoalLever,
        confidence: f64,
    ) -> Result<GoalSearch, Vec<FieldError>> {
        let scenario = &run.scenario;
        let Some(target) = scenario.target.as_ref().map(|t| t.revenue) else {
            return Err(vec![FieldError::new(
                "target.revenue",
                "is needed to work out what it takes to reach it",
            )]);
        };
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(vec![FieldError::new(
                "confidence",
                "must be between 0 and 1 (exclusive), e.g. 0.8",
            )]);
        }
        let (current, lo, hi) = match lever {
            GoalLever::Leads => {
                let now = scenario.leads.per_month;
                (now, 0.0, (now * 20.0).max(1_000.0))
            }
            GoalLever::Conversion { stage } => match scenario.stages.get(stage) {
                Some(s) => (s.conversion.mean(), 0.0, 1.0),
                None => return Err(vec![FieldError::new("stages", "has no such stage")]),
            },
        };
        // Plans do not change the headline's revenue (each reruns the funnel
        // on its own), so the candidates leave them out, as lever runs do.
        let mut scenario = scenario.clone();
        scenario.plans.clear();
        Ok(GoalSearch {
            scenario,
            lever,
            confidence,
            trials: run.trials,
            seed: run.seed,
            target,
            current,
            lo,
            hi,
            at_hi: (0.0, 0.0),
            leg: Leg::High,
            next: hi,
            candidate: None,
            tried: 0,
            answer: None,
        })
    }

    pub fn lever(&self) -> &GoalLever {
        &self.lever
    }

    /// The answer, once the search is over.
    pub fn answer(&self) -> Option<&GoalAnswer> {
        self.answer.as_ref()
    }

    pub fn is_done(&self) -> bool {
        self.answer.is_some()
    }

    /// Candidates fully run so far.
    pub fn tried(&self) -> usize {
        self.tried
    }

    /// The candidate being run (or about to be).
    pub fn trying(&self) -> Option<f64> {
        (!self.is_done()).then_some(self.next)
    }

    /// About how many candidates the whole search runs (it settles as the
    /// interval narrows).
    pub fn estimated_candidates(&self) -> usize {
        if self.is_done() {
            return self.tried;
        }
        let halvings = |lo: f64, hi: f64| -> usize {
            let precision = match self.lever {
                GoalLever::Leads => 0.002 * hi.max(1.0),
                GoalLever::Conversion { .. } => 0.001,
            };
            let mut width = hi - lo;
            let mut n = 0;
            while width > precision && n < 64 {
                width /= 2.0;
                n += 1;
            }
            n
        };
        match self.leg {
            // High and low, then the halvings of the whole range.
            Leg::High => 2 + halvings(self.lo, self.hi),
            Leg::Low => self.tried + 1 + halvings(self.lo, self.hi),
            // The candidate running now is one of the halvings.
            Leg::Bisect => self.tried + halvings(self.lo, self.hi),
        }
    }

    /// The share of the work done, from 0 to 1 (an estimate).
    pub fn fraction(&self) -> f64 {
        if self.is_done() {
            return 1.0;
        }
        let within = self
            .candidate
            .as_ref()
            .map_or(0.0, |c| c.done as f64 / self.trials.max(1) as f64);
        ((self.tried as f64 + within) / self.estimated_candidates().max(1) as f64).min(0.99)
    }

    /// The simulation of one candidate, as `goal::solve` builds it.
    fn simulation(&self, x: f64) -> Result<Simulation, Vec<FieldError>> {
        let sim = match self.lever {
            GoalLever::Leads => {
                let mut s = self.scenario.clone();
                s.leads.per_month = x;
                Simulation::new(&s, self.trials, self.seed)
            }
            GoalLever::Conversion { stage } => {
                // Scale the drawn rate so its mean is x: the stage keeps its
                // uncertainty and every other draw stays the same.
                let mean = self.scenario.stages[stage].conversion.mean();
                let mut a = Adjustment::none(self.scenario.stages.len());
                if mean > 0.0 {
                    a.rate_scale[stage] = x / mean;
                } else {
                    a.rate_add[stage] = x;
                }
                Simulation::new(&self.scenario, self.trials, self.seed)
                    .map(|sim| sim.with_adjustment(a))
            }
        };
        sim.map_err(|e| e.0)
    }

    /// Runs up to `max_trials` trials of the current candidate (at least
    /// one); returns how many ran. A finished candidate moves the bisection on.
    pub fn step(&mut self, max_trials: u64) -> Result<u64, Vec<FieldError>> {
        if self.is_done() {
            return Ok(0);
        }
        if self.candidate.is_none() {
            self.candidate = Some(Candidate {
                x: self.next,
                sim: self.simulation(self.next)?,
                done: 0,
                hits: 0,
            });
        }
        let target = self.target;
        let trials = self.trials;
        let Some(c) = self.candidate.as_mut() else {
            return Ok(0);
        };
        let start = c.done;
        let end = (start + max_trials.max(1)).min(trials);
        let chunk = c.sim.run_chunk(start..end);
        c.hits += chunk.revenue.iter().filter(|&&r| r >= target).count() as u64;
        c.done = end;
        if end >= trials {
            let n = trials.max(1) as f64;
            let p = c.hits as f64 / n;
            let se = (p * (1.0 - p) / n).sqrt();
            let x = c.x;
            self.candidate = None;
            self.tried += 1;
            self.record(x, p, se);
        }
        Ok(end - start)
    }

    fn precise(&self) -> bool {
        let (lo, hi) = (self.lo, self.hi);
        match self.lever {
            GoalLever::Leads => hi - lo <= 0.002 * hi.max(1.0),
            GoalLever::Conversion { .. } => hi - lo <= 0.001,
        }
    }

    /// Moves the bisection on with candidate `x`'s chance of the target.
    fn record(&mut self, x: f64, p: f64, se: f64) {
        let reached = p >= self.confidence;
        match self.leg {
            Leg::High => {
                if !reached {
                    self.answer = Some(self.unreachable(p, se));
                    return;
                }
                self.at_hi = (p, se);
                self.leg = Leg::Low;
                self.next = self.lo;
                return;
            }
            Leg::Low => {
                if reached {
                    self.hi = self.lo;
                    self.at_hi = (p, se);
                    self.answer = Some(self.reachable());
                    return;
                }
                self.leg = Leg::Bisect;
            }
            Leg::Bisect => {
                if reached {
                    self.hi = x;
                    self.at_hi = (p, se);
                } else {
                    self.lo = x;
                }
            }
        }
        if self.precise() {
            self.answer = Some(self.reachable());
        } else {
            self.next = 0.5 * (self.lo + self.hi);
        }
    }

    fn what(&self) -> String {
        match self.lever {
            GoalLever::Leads => "leads per month".to_string(),
            GoalLever::Conversion { stage } => {
                format!("conversion at {}", self.scenario.stages[stage].name)
            }
        }
    }

    fn show(&self, x: f64) -> String {
        match self.lever {
            GoalLever::Leads => format!("{:.0}", x),
            GoalLever::Conversion { .. } => format!("{:.1}%", x * 100.0),
        }
    }

    fn unreachable(&self, p: f64, se: f64) -> GoalAnswer {
        GoalAnswer {
            lever: self.lever.clone(),
            confidence: self.confidence,
            reachable: false,
            value: self.hi,
            probability: p,
            probability_se: se,
            current: self.current,
            message: format!(
                "No value of {} up to {} reaches the target with {:.0}% confidence: even there the chance is {:.1}%.",
                self.what(),
                self.show(self.hi),
                self.confidence * 100.0,
                p * 100.0
            ),
        }
    }

    fn reachable(&self) -> GoalAnswer {
        GoalAnswer {
            lever: self.lever.clone(),
            confidence: self.confidence,
            reachable: true,
            value: self.hi,
            probability: self.at_hi.0,
            probability_se: self.at_hi.1,
            current: self.current,
            message: format!(
                "To reach the target with {:.0}% confidence you need {} of about {} (today: {}).",
                self.confidence * 100.0,
                self.what(),
                self.show(self.hi),
                self.show(self.current)
            ),
        }
    }
}

/// The value a what-if sets: leads rounded up to a whole number, a rate
/// rounded up to a tenth of a point (so the confidence still holds).
pub fn applied_value(answer: &GoalAnswer) -> f64 {
    match answer.lever {
        GoalLever::Leads => answer.value.ceil(),
        GoalLever::Conversion { .. } => ((answer.value * 1000.0 - 1e-9).ceil() / 1000.0).min(1.0),
    }
}

/// The scenario with the answer applied as a what-if: the lead volume set,
/// or the stage's conversion moved to the answer (an uncertain rate keeps
/// its spread where the new mean allows; a history becomes a mean and spread).
pub fn apply(scenario: &Scenario, answer: &GoalAnswer) -> Scenario {
    let mut s = scenario.clone();
    let value = applied_value(answer);
    match answer.lever {
        GoalLever::Leads => s.leads.per_month = value,
        GoalLever::Conversion { stage } => {
            if let Some(st) = s.stages.get_mut(stage) {
                st.conversion = with_mean(&st.conversion, value);
            }
        }
    }
    s
}

/// A conversion with mean `mean`, its spread kept where the mean allows.
pub fn with_mean(c: &Conversion, mean: f64) -> Conversion {
    let mean = mean.clamp(0.0, 1.0);
    let sd = match *c {
        Conversion::Fixed(_) => return Conversion::Fixed(mean),
        Conversion::Estimate { sd, .. } => sd,
        Conversion::History { won, of } => {
            let (a, b) = (won as f64 + 1.0, (of - won.min(of)) as f64 + 1.0);
            (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt()
        }
    };
    let limit = (mean * (1.0 - mean)).sqrt() * 0.99;
    Conversion::Estimate {
        mean,
        sd: sd.min(limit),
    }
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchEnded {
    Done(GoalAnswer),
    Cancelled,
    Refused(Vec<FieldError>),
}

/// Runs `search` in chunks, yielding to the browser between them.
/// `current()` is asked before each chunk; `progress(search)` is told after each.
pub async fn search(
    mut search: GoalSearch,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(&GoalSearch),
) -> SearchEnded {
    let mut planner = ChunkPlanner::new(25.0);
    progress(&search);
    while !search.is_done() {
        browser::sleep(0).await;
        if !current() {
            return SearchEnded::Cancelled;
        }
        let t0 = browser::now_ms();
        let ran = match search.step(planner.size()) {
            Ok(n) => n,
            Err(errors) => return SearchEnded::Refused(errors),
        };
        planner.next(ran, browser::now_ms() - t0);
        progress(&search);
    }
    match search.answer {
        Some(answer) if current() => SearchEnded::Done(answer),
        _ => SearchEnded::Cancelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::goal;

    fn run(json: &str, trials: u64) -> Run {
        Run {
            scenario: Scenario::from_json(json).unwrap(),
            trials,
            seed: 1,
        }
    }

    fn drive(mut s: GoalSearch, size: u64) -> (GoalAnswer, usize) {
        let mut last = 0.0;
        while !s.is_done() {
            assert!(s.trying().is_some());
            s.step(size).unwrap();
            assert!(s.fraction() >= last || s.fraction() > 0.0);
            last = s.fraction();
        }
        assert_eq!(s.fraction(), 1.0);
        (s.answer().unwrap().clone(), s.tried())
    }

    #[test]
    fn stepwise_search_gives_the_engines_answer() {
        let r = run(include_str!("../scenarios/reference.json"), 400);
        let levers = [
            GoalLever::Leads,
            GoalLever::Conversion { stage: 0 },
            GoalLever::Conversion { stage: 1 },
            GoalLever::Conversion { stage: 5 },
        ];
        for lever in levers {
            for confidence in [0.8, 0.5, 0.999] {
                let expected =
                    goal::solve(&r.scenario, &lever, confidence, r.trials, r.seed).unwrap();
                let s = GoalSearch::new(&r, lever.clone(), confidence).unwrap();
                let (answer, tried) = drive(s, 150);
                assert_eq!(answer, expected, "{lever:?} at {confidence}");
                assert!(tried >= 1);
            }
        }
    }

    #[test]
    fn plans_do_not_change_the_answer() {
        // The default preset has a team and two plans; the search leaves the
        // plans out and still gives the engine's answer.
        let preset = crate::presets::default_preset();
        let r = Run {
            scenario: preset.scenario(),
            trials: 200,
            seed: 1,
        };
        assert!(!r.scenario.plans.is_empty());
        let expected = goal::solve(&r.scenario, &GoalLever::Leads, 0.8, 200, 1).unwrap();
        let s = GoalSearch::new(&r, GoalLever::Leads, 0.8).unwrap();
        assert_eq!(drive(s, 64).0, expected);
    }

    #[test]
    fn the_estimate_of_candidates_is_close() {
        let r = run(include_str!("../scenarios/reference.json"), 200);
        let s = GoalSearch::new(&r, GoalLever::Conversion { stage: 2 }, 0.8).unwrap();
        // 2 bounds + 10 halvings of 0..1 down to 0.1 pt.
        assert_eq!(s.estimated_candidates(), 12);
        let (_, tried) = drive(s, 10_000);
        assert!((10..=13).contains(&tried), "{tried}");
    }

    #[test]
    fn an_unreachable_goal_says_so() {
        // One stage of 100 open deals at most: revenue cannot pass 100 deals' worth.
        let r = run(include_str!("../scenarios/presets/classroom.json"), 500);
        let mut scenario = r.scenario.clone();
        scenario.target.as_mut().unwrap().revenue = 1.0e9;
        let r = Run { scenario, ..r };
        let s = GoalSearch::new(&r, GoalLever::Conversion { stage: 0 }, 0.8).unwrap();
        let (answer, tried) = drive(s, 1000);
        assert!(!answer.reachable);
        assert_eq!(tried, 1, "only the upper bound is tried");
        assert_eq!(
            answer,
            goal::solve(
                &r.scenario,
                &GoalLever::Conversion { stage: 0 },
                0.8,
                500,
                1
            )
            .unwrap()
        );
    }

    #[test]
    fn bad_questions_are_refused() {
        let mut r = run(include_str!("../scenarios/reference.json"), 100);
        assert_eq!(
            GoalSearch::new(&r, GoalLever::Leads, 1.0).unwrap_err()[0].path,
            "confidence"
        );
        assert_eq!(
            GoalSearch::new(&r, GoalLever::Conversion { stage: 9 }, 0.8).unwrap_err()[0].path,
            "stages"
        );
        r.scenario.target = None;
        assert_eq!(
            GoalSearch::new(&r, GoalLever::Leads, 0.8).unwrap_err()[0].path,
            "target.revenue"
        );
    }

    #[test]
    fn answers_apply_as_a_what_if() {
        let r = run(include_str!("../scenarios/reference.json"), 100);
        let answer = |lever, value| GoalAnswer {
            lever,
            confidence: 0.8,
            reachable: true,
            value,
            probability: 0.8,
            probability_se: 0.01,
            current: 0.0,
            message: String::new(),
        };
        let s = apply(&r.scenario, &answer(GoalLever::Leads, 1234.2));
        assert_eq!(s.leads.per_month, 1235.0);
        // Estimate: the mean moves, the spread stays.
        let s = apply(
            &r.scenario,
            &answer(GoalLever::Conversion { stage: 0 }, 0.41234),
        );
        assert_eq!(
            s.stages[0].conversion,
            Conversion::Estimate {
                mean: 0.413,
                sd: 0.04
            }
        );
        // History becomes a mean and spread; a fixed rate stays fixed.
        let s = apply(
            &r.scenario,
            &answer(GoalLever::Conversion { stage: 1 }, 0.5),
        );
        assert!(matches!(s.stages[1].conversion, Conversion::Estimate { mean, .. } if mean == 0.5));
        let s = apply(
            &r.scenario,
            &answer(GoalLever::Conversion { stage: 5 }, 0.9999),
        );
        assert_eq!(s.stages[5].conversion, Conversion::Fixed(1.0));
        assert!(s.validate().is_ok());
        // At 100% an uncertain rate has no room for spread.
        let s = apply(
            &r.scenario,
            &answer(GoalLever::Conversion { stage: 0 }, 1.0),
        );
        assert_eq!(
            s.stages[0].conversion,
            Conversion::Estimate { mean: 1.0, sd: 0.0 }
        );
        assert!(s.validate().is_ok());
    }
}
