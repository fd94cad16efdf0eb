//! The scenario: what a user says about their funnel (MODEL.md, format version 1).
//!
//! These types are plain data. Reading them from JSON, with a path in every
//! error, lives in `parse`; range checks live in `validate`.

use serde::Serialize;

/// The scenario format version this engine reads and writes (MODEL.md: version 1).
pub const FORMAT_VERSION: u32 = 1;
/// Most stages a scenario may have (at least one is needed).
pub const MAX_STAGES: usize = 20;
/// Most incentive plans a scenario may compare: each plan with an effect reruns
/// the funnel in every trial.
pub const MAX_PLANS: usize = 10;
/// Commission bands in one plan.
pub const MAX_BANDS: usize = 20;
/// Most milestones a target may have: one a month over the longest horizon.
pub const MAX_MILESTONES: usize = 60;
/// Largest median deal size; with `p90` at most `MAX_DEAL_SPREAD` times it, every
/// sum the summary forms stays far inside f64's range (MODEL.md, "Bounds").
pub const MAX_DEAL_MEDIAN: f64 = 1.0e9;
/// Largest `deal_size.p90` as a multiple of `deal_size.median`.
pub const MAX_DEAL_SPREAD: f64 = 1000.0;
/// Largest revenue target or milestone.
pub const MAX_REVENUE_GOAL: f64 = 1.0e15;
/// Quota of one rep: from 1 to this.
pub const MAX_QUOTA: f64 = 1.0e12;
/// Largest quota bonus and SPIF per deal.
pub const MAX_PAYMENT: f64 = 1.0e9;
/// Deals open today in one stage.
pub const MAX_OPEN: u64 = 1_000_000_000;
/// The longest average stay in a stage, in days (ten years).
pub const MAX_DAYS: f64 = 3650.0;
/// Longest forecast in months: `horizon_months` is 1 to this.
pub const MAX_HORIZON_MONTHS: u32 = 60;
/// Expected leads in any month of the horizon may not exceed this (MODEL.md, "Bounds").
pub const MAX_LEADS_PER_MONTH: f64 = 1.0e12;
/// Largest seasonality multiplier: a whole year's leads in one month. Bigger is
/// nearly always a percent typed as a multiplier (100 for 1.0).
pub const MAX_SEASONALITY: f64 = 12.0;
/// Names of the calendar months, January first: what `start_month` and the
/// twelve `leads.seasonality` multipliers count in.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The trials and seed a scenario file may carry (`"run": {"trials": N, "seed": S}`),
/// so that a file exported from a link reruns to the link's figures. Not part of
/// the funnel: the simulation never reads it, and `funnelsim run`'s flags override it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunSettings {
    /// Trials to run, 1 to [`crate::MAX_TRIALS`]; `None` leaves it to the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trials: Option<u64>,
    /// Seed of the run; `None` leaves it to the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// A funnel as the user describes it: one scenario file (MODEL.md, "Scenario file").
/// Every amount in it is in the scenario's `currency`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// Format version; [`FORMAT_VERSION`] in every scenario that passed validation.
    pub version: u32,
    /// Label only; empty when the file has none.
    pub name: String,
    /// Label of the currency every amount is in (`USD` when the file has none);
    /// nothing is converted.
    pub currency: String,
    /// Length of the forecast in months, 1 to [`MAX_HORIZON_MONTHS`]; the simulation
    /// runs [`Scenario::weeks`] weeks.
    pub horizon_months: u32,
    /// Calendar month the forecast starts in, 1 (January) to 12 (MODEL.md,
    /// "Seasonality"); `None` when the file has none, which reads as 1 (see
    /// [`Scenario::start_month`]) and is written back as nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_month: Option<u32>,
    /// New leads entering the first stage.
    pub leads: Leads,
    /// The stages in funnel order: leads enter the first, and a deal leaving the last
    /// forward is won. 1 to [`MAX_STAGES`].
    pub stages: Vec<Stage>,
    /// Value of one won deal.
    pub deal_size: DealSize,
    /// Revenue goal for the horizon; `None` when there is none (the summary then
    /// reports no chance of the target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Quota-carrying reps; `None` without a team (a scenario with `plans` needs one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
    /// Incentive plans to compare, at most [`MAX_PLANS`]; empty for none. Needs a `team`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Plan>,
    /// The classroom exercise built on this funnel (MODEL.md, "Exercise");
    /// `None` for an ordinary scenario. The simulation never reads it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<crate::exercise::Exercise>,
}

/// Lead volume: expected new leads a month and how they vary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leads {
    /// Expected new leads entering the first stage in month 1, in leads a month;
    /// finite, >= 0, and once grown at most [`MAX_LEADS_PER_MONTH`] in every month.
    pub per_month: f64,
    /// Compound growth of that expectation per month (0.02 = +2% a month); above -1,
    /// default 0.
    pub growth_per_month: f64,
    /// How weekly counts vary around the expectation (the model's weekly noise);
    /// default [`Noise::Poisson`].
    pub noise: Noise,
    /// Coefficient of variation of a per-trial lead multiplier (Gamma, mean 1): how
    /// unsure the volume itself is. 0 to 2; 0 (the default) is none, and below 1e-16
    /// runs as 0.
    pub uncertainty_cv: f64,
    /// Twelve multipliers of the expected volume, one per calendar month from
    /// January, each 0 to [`MAX_SEASONALITY`] (1 = an average month; not
    /// normalised); `None` is none (every month 1), written back as nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seasonality: Option<[f64; 12]>,
}

/// How weekly lead counts vary around their expectation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// `"poisson"` (the default): weekly leads are Poisson with the week's expectation.
    Poisson,
    /// `"fixed"`: weekly leads are the steps of the rounded running expectation, so
    /// totals are exact. Such scenarios run week by week.
    Fixed,
}

impl Noise {
    /// The name in the scenario file: `"poisson"` or `"fixed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Noise::Poisson => "poisson",
            Noise::Fixed => "fixed",
        }
    }
}

/// One stage of the funnel: a state a deal sits in until it moves forward or is lost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// Label; non-empty and unique among the stages (plans and `--solve` name stages by it).
    pub name: String,
    /// Share of deals leaving the stage that move forward rather than being lost (a rate 0..1).
    pub conversion: Conversion,
    /// Average days a deal spends in the stage before it leaves (forward or lost),
    /// 0 to 3650; 0 passes through in the week it arrives. The model's clock is a
    /// week, so every value from above 0 to 7 is a one-week stay (docs/model-notes.md).
    pub days: f64,
    /// Deals open in the stage today, when the forecast starts (the current
    /// pipeline); 0 to [`MAX_OPEN`], default 0.
    pub open: u64,
    /// At most this many deals can leave the stage in one week (MODEL.md, "Stage capacity");
    /// the rest wait. At least 1; `None` is no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_per_week: Option<u64>,
}

/// Share of deals leaving a stage that move forward, as the user knows it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Conversion {
    /// A known rate.
    Fixed(f64),
    /// An uncertain rate: Beta with this mean and standard deviation.
    /// `mean` is a rate 0..1; `sd` is >= 0 (0 = fixed) with `sd^2 < mean(1-mean)`.
    Estimate {
        /// The mean rate, 0 to 1.
        mean: f64,
        /// Its standard deviation, below `sqrt(mean * (1 - mean))`.
        sd: f64,
    },
    /// A rate learnt from history: Beta(won + 1, of - won + 1).
    /// `won` of the `of` past deals that left the stage moved forward; `won <= of`.
    History {
        /// Deals won.
        won: u64,
        /// Deals decided (won or lost), at least `won`.
        of: u64,
    },
}

impl Conversion {
    /// The expected rate, before any trial draws it.
    pub fn mean(&self) -> f64 {
        match *self {
            Conversion::Fixed(p) => p,
            Conversion::Estimate { mean, .. } => mean,
            Conversion::History { won, of } => (won as f64 + 1.0) / (of as f64 + 2.0),
        }
    }

    /// The same kind of knowledge moved to mean `mean` (clamped to [0, 1]),
    /// for what-ifs (levers, goal answers): a fixed rate stays fixed; an
    /// uncertain one keeps its spread where the new mean allows
    /// (`sd < sqrt(mean(1-mean))`); a history `{won, of}` becomes an estimate
    /// with the history's spread, since no whole counts have the new mean.
    pub fn with_mean(&self, mean: f64) -> Conversion {
        let mean = mean.clamp(0.0, 1.0);
        let sd = match *self {
            Conversion::Fixed(_) => return Conversion::Fixed(mean),
            Conversion::Estimate { sd, .. } => sd,
            Conversion::History { won, of } => {
                let (a, b) = (won as f64 + 1.0, of.saturating_sub(won) as f64 + 1.0);
                libm::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)))
            }
        };
        // Keep the spread valid for the new mean: sd^2 < mean(1-mean).
        let limit = libm::sqrt(mean * (1.0 - mean)) * 0.99;
        Conversion::Estimate {
            mean,
            sd: sd.min(limit),
        }
    }
}

/// Value of one won deal, in the scenario's currency: lognormal with this median
/// and 90th percentile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DealSize {
    /// Median value of a won deal; above 0, at most [`MAX_DEAL_MEDIAN`].
    pub median: f64,
    /// 90th percentile of a won deal's value: from `median` (equal: every deal is
    /// that size) to [`MAX_DEAL_SPREAD`] times it.
    pub p90: f64,
}

/// What the user wants to reach by the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// Revenue goal for the whole horizon, in the scenario's currency; 0 to
    /// [`MAX_REVENUE_GOAL`]. A trial reaches it with revenue >= this.
    pub revenue: f64,
    /// Cumulative revenue goals along the way (optional; see docs/model-notes.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

/// Revenue booked by the end of `month` (from 1), cumulative.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Milestone {
    /// Month of the horizon, from 1; the goal is judged at its end. Unique, 1 to
    /// `horizon_months`.
    pub month: u32,
    /// Cumulative revenue goal by the end of `month`, in the scenario's currency;
    /// 0 to [`MAX_REVENUE_GOAL`].
    pub revenue: f64,
}

/// Quota-carrying reps (MODEL.md, "Team and incentive plans").
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Team {
    /// Number of quota-carrying reps, 1 to [`MAX_REPS`].
    pub reps: u32,
    /// Bookings each rep is expected to close over the horizon, in the scenario's
    /// currency; 1 to [`MAX_QUOTA`].
    pub quota: f64,
    /// Per trial, rep r gets weight exp(skill_sd * z_r), z standard normal, and each
    /// won deal goes to a rep with chance proportional to it. 0 to 2; 0 = all equal.
    pub skill_sd: f64,
}

/// Most reps a team may have: `team.reps` is 1 to this.
pub const MAX_REPS: u32 = 500;

/// An incentive plan: what it pays and the behaviour the user assumes it buys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Label; non-empty and unique among the plans.
    pub name: String,
    /// Commission bands, by attainment from 0 upward in increasing `from`; 1 to
    /// [`MAX_BANDS`].
    pub commission: Vec<CommissionBand>,
    /// How the bands' rates combine; default [`Tiers::Marginal`].
    pub tiers: Tiers,
    /// Paid to each rep whose attainment reaches 1, in the scenario's currency; 0 to
    /// [`MAX_PAYMENT`], default 0.
    pub quota_bonus: f64,
    /// Bookings above `cap * quota` earn no commission; `None` is no cap. At least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Paid per deal that moves forward out of one stage; `None` is no SPIF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spif: Option<Spif>,
    /// The behaviour the user assumes the plan buys; all zeros (the default) is none.
    pub effect: Effect,
}

/// From `from` (attainment, 1.0 = quota) upward, `rate` on bookings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CommissionBand {
    /// Attainment (bookings / quota; 1.0 = quota) where the band starts: 0 for the
    /// first band, above the previous band's for each later one.
    pub from: f64,
    /// Commission rate on bookings in the band, 0..1 (0.08 = 8%).
    pub rate: f64,
}

/// How a plan's commission bands combine (`"marginal"` or `"retroactive"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tiers {
    /// Each rate applies to the bookings inside its band (like tax brackets).
    Marginal,
    /// The rate of the highest band reached applies to all bookings.
    Retroactive,
}

/// Paid for each deal that moves forward out of `stage` during the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spif {
    /// Name of the stage deals move forward out of; must be a stage of the scenario.
    pub stage: String,
    /// Paid per such deal, in the scenario's currency; 0 to [`MAX_PAYMENT`].
    pub per_deal: f64,
}

/// Relative uplifts: 0.05 multiplies a stage's conversion by 1.05 (capped at 1).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Effect {
    /// Stage name to uplift, in the order written; each uplift above -1.
    #[serde(serialize_with = "ordered_map")]
    pub conversion: Vec<(String, f64)>,
    /// Relative uplift of lead volume (0.1 = x1.1 on each trial's lead multiplier);
    /// above -1, default 0, and the plan's volume obeys [`MAX_LEADS_PER_MONTH`].
    pub leads: f64,
}

impl Effect {
    /// Whether the plan changes nothing (every uplift 0), so its trials need no
    /// rerun of the funnel.
    pub fn is_none(&self) -> bool {
        self.leads == 0.0 && self.conversion.iter().all(|(_, u)| *u == 0.0)
    }
}

fn ordered_map<S: serde::Serializer>(pairs: &[(String, f64)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl Scenario {
    /// Reads and validates a scenario; every problem comes back with its field path.
    /// A file's `run` is checked and dropped (see [`Scenario::from_file`]).
    pub fn from_json(text: &str) -> Result<Scenario, crate::ScenarioErrors> {
        Self::from_file(text).map(|(scenario, _)| scenario)
    }

    /// Reads and validates a scenario file with the trials and seed it may carry.
    pub fn from_file(text: &str) -> Result<(Scenario, RunSettings), crate::ScenarioErrors> {
        let (scenario, run) = crate::parse::parse(text)?;
        scenario.validate()?;
        Ok((scenario, run))
    }

    /// The scenario file, pretty-printed, with `run` last when it says anything:
    /// what an export writes, so that the file reproduces the run.
    pub fn to_file_json(&self, run: RunSettings) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            #[serde(flatten)]
            scenario: &'a Scenario,
            #[serde(skip_serializing_if = "is_empty")]
            run: RunSettings,
        }
        fn is_empty(run: &RunSettings) -> bool {
            *run == RunSettings::default()
        }
        serde_json::to_string_pretty(&File {
            scenario: self,
            run,
        })
        .unwrap_or_default()
    }

    /// The scenario in its file format, pretty-printed.
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The scenario in its file format, on one line (for links).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// How much the expected lead volume grows from month 1 to its largest month
    /// (at least 1): `per_month` times this must stay within `MAX_LEADS_PER_MONTH`.
    /// Measured over `horizon_months` steps of growth, one more than the horizon
    /// has, so that the bound holds with room to spare.
    /// With seasonality, times its largest multiplier (at least 1): a bound
    /// for any calendar month, whatever `start_month`.
    pub fn peak_lead_factor(&self) -> f64 {
        let months = self.horizon_months.min(MAX_HORIZON_MONTHS) as f64;
        let growth = libm::pow(1.0 + self.leads.growth_per_month, months).max(1.0);
        match &self.leads.seasonality {
            None => growth,
            Some(season) => growth * season.iter().fold(1.0, |a: f64, &b| a.max(b)),
        }
    }

    /// The calendar month the forecast starts in, 1 to 12 (1 when the file says none).
    pub fn start_month(&self) -> u32 {
        self.start_month.unwrap_or(1)
    }

    /// Calendar month (0 = January) of month `month` (from 0) of the horizon.
    pub fn calendar_month(&self, month: usize) -> usize {
        (self.start_month().clamp(1, 12) as usize - 1 + month) % 12
    }

    /// The seasonality multiplier of month `month` (from 0) of the horizon:
    /// `seasonality[(start_month - 1 + month) mod 12]`, 1 without seasonality.
    pub fn season_factor(&self, month: usize) -> f64 {
        match &self.leads.seasonality {
            None => 1.0,
            Some(season) => season[self.calendar_month(month)],
        }
    }

    /// The largest `leads.per_month` this scenario's growth allows.
    pub fn max_leads_per_month(&self) -> f64 {
        MAX_LEADS_PER_MONTH / self.peak_lead_factor()
    }

    /// Weeks in the horizon: `round(horizon_months * 52 / 12)`.
    pub fn weeks(&self) -> usize {
        weeks_in(self.horizon_months)
    }
}

/// `round(months * 52 / 12)`, halves away from zero, in integers.
pub fn weeks_in(months: u32) -> usize {
    ((months as usize * 52 * 2 + 12) / 24).max(1)
}

/// Month (from 0) that week `w` (from 0) belongs to: `floor(w * 12 / 52)`.
pub fn month_of_week(week: usize) -> usize {
    week * 12 / 52
}

#[cfg(test)]
mod tests {
    use super::Conversion;

    #[test]
    fn with_mean_keeps_the_kind_of_knowledge() {
        assert_eq!(
            Conversion::Fixed(0.3).with_mean(0.35),
            Conversion::Fixed(0.35)
        );
        assert_eq!(
            Conversion::Fixed(0.9).with_mean(1.2),
            Conversion::Fixed(1.0)
        );
        assert_eq!(
            Conversion::Fixed(0.1).with_mean(-0.5),
            Conversion::Fixed(0.0)
        );
        let e = Conversion::Estimate {
            mean: 0.3,
            sd: 0.05,
        };
        assert_eq!(
            e.with_mean(0.4),
            Conversion::Estimate {
                mean: 0.4,
                sd: 0.05
            }
        );
    }

    #[test]
    fn with_mean_keeps_the_spread_valid() {
        // Near 1 the old spread is too wide for a Beta: it shrinks to fit.
        let e = Conversion::Estimate { mean: 0.5, sd: 0.2 }.with_mean(0.98);
        let Conversion::Estimate { mean, sd } = e else {
            panic!("{e:?}")
        };
        assert_eq!(mean, 0.98);
        assert!(sd * sd < mean * (1.0 - mean), "{sd}");
        // At the edge no spread is left.
        assert_eq!(
            Conversion::Estimate { mean: 0.5, sd: 0.2 }.with_mean(1.0),
            Conversion::Estimate { mean: 1.0, sd: 0.0 }
        );
    }

    #[test]
    fn with_mean_turns_a_history_into_an_estimate_with_its_spread() {
        // Beta(4, 8): mean 1/3, variance 4*8 / (12^2 * 13).
        let h = Conversion::History { won: 3, of: 10 };
        let sd = libm::sqrt(32.0 / (144.0 * 13.0));
        assert_eq!(h.with_mean(0.4), Conversion::Estimate { mean: 0.4, sd });
        assert_eq!(h.with_mean(h.mean()).mean(), h.mean());
    }
}
