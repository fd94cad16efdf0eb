//! The classroom exercise (MODEL.md, "Exercise (classroom, optional section)"):
//! a task set on a funnel, which inputs a student may change, the question a
//! student answers, and how each student's funnel differs from the next.
//!
//! The engine owns three things here so that the app and `funnelsim key`
//! cannot disagree: a student's variant ([`Exercise::variant`]), the true
//! answer on it ([`Question::answer`]) and the short code a student hands in
//! ([`encode`], [`decode`]). docs/model-notes.md ("Exercise") records the
//! readings of MODEL.md taken here, the hash and the code's format.

pub mod key;

use std::fmt;

use rand::Rng;
use serde::{Serialize, Serializer};

use crate::goal::{self, GoalLever};
use crate::scenario::{
    Conversion, MAX_DAYS, MAX_DEAL_MEDIAN, MAX_DEAL_SPREAD, MAX_OPEN, MAX_REVENUE_GOAL, Scenario,
};
use crate::{FieldError, ScenarioErrors, Simulation, Summary, parallel};

/// Most entries of `editable`: more than a scenario has inputs (five a stage
/// for at most 20 stages, six more), so a longer list can only repeat itself.
pub const MAX_EDITABLE: usize = 128;
/// Most entries of `variants`: no more than the inputs that can vary (four a
/// stage for at most 20 stages, five more).
pub const MAX_VARIANTS: usize = 96;
/// Longest `title`, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest `task`, in characters: a few paragraphs, short enough for a link.
pub const MAX_TASK_CHARS: usize = 4000;
/// Longest student name, in characters, once trimmed.
pub const MAX_STUDENT_CHARS: usize = 200;

/// The optional `"exercise"` section of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exercise {
    /// Heading of the exercise; may be empty, at most [`MAX_TITLE_CHARS`].
    pub title: String,
    /// What the student is asked to do, in the teacher's words; not blank, at
    /// most [`MAX_TASK_CHARS`].
    pub task: String,
    /// The inputs a student may change; every other input is locked. Empty
    /// (or absent in the file): all locked. Unique, at most [`MAX_EDITABLE`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub editable: Vec<Input>,
    /// What the student answers.
    pub question: Question,
    /// How each student's funnel differs from the base; empty: every student
    /// gets the base funnel. Unique inputs, at most [`MAX_VARIANTS`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantSpec>,
    /// Whether the page may tell a student the true answer (and whether
    /// theirs is within the tolerance) once they hand one in. Off (and left
    /// out of the file) by default: the answer would leak to the class.
    /// Written only when on, so an exercise without it hashes as before.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub show_answer: bool,
}

/// One input of a scenario, named by its field path as in every error
/// message (`stages[3].conversion`); stages are counted from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// `leads.per_month`.
    LeadsPerMonth,
    /// `leads.growth_per_month`.
    LeadsGrowth,
    /// `leads.uncertainty_cv` (editable only: it is a spread, not a value to vary).
    LeadsUncertainty,
    /// `stages[i].conversion`.
    Conversion(usize),
    /// `stages[i].days`.
    Days(usize),
    /// `stages[i].open`.
    Open(usize),
    /// `stages[i].capacity_per_week` (editable only: a stage may have none).
    Capacity(usize),
    /// `deal_size.median`.
    DealMedian,
    /// `deal_size.p90`.
    DealP90,
    /// `target.revenue`.
    TargetRevenue,
}

impl Input {
    /// The input a field path names, or `None`. Only the canonical spelling
    /// is read (`stages[3]`, not `stages[03]`), so a path reads back as written.
    pub fn from_path(path: &str) -> Option<Input> {
        let fixed = [
            Input::LeadsPerMonth,
            Input::LeadsGrowth,
            Input::LeadsUncertainty,
            Input::DealMedian,
            Input::DealP90,
            Input::TargetRevenue,
        ];
        if let Some(input) = fixed.into_iter().find(|i| i.path() == path) {
            return Some(input);
        }
        let rest = path.strip_prefix("stages[")?;
        let (index, field) = rest.split_once("].")?;
        let canonical = !index.is_empty()
            && index.bytes().all(|b| b.is_ascii_digit())
            && (index == "0" || !index.starts_with('0'));
        if !canonical {
            return None;
        }
        let i: usize = index.parse().ok()?;
        match field {
            "conversion" => Some(Input::Conversion(i)),
            "days" => Some(Input::Days(i)),
            "open" => Some(Input::Open(i)),
            "capacity_per_week" => Some(Input::Capacity(i)),
            _ => None,
        }
    }

    /// The field path, as validation messages spell it.
    pub fn path(&self) -> String {
        match *self {
            Input::LeadsPerMonth => "leads.per_month".into(),
            Input::LeadsGrowth => "leads.growth_per_month".into(),
            Input::LeadsUncertainty => "leads.uncertainty_cv".into(),
            Input::Conversion(i) => format!("stages[{i}].conversion"),
            Input::Days(i) => format!("stages[{i}].days"),
            Input::Open(i) => format!("stages[{i}].open"),
            Input::Capacity(i) => format!("stages[{i}].capacity_per_week"),
            Input::DealMedian => "deal_size.median".into(),
            Input::DealP90 => "deal_size.p90".into(),
            Input::TargetRevenue => "target.revenue".into(),
        }
    }

    /// Whether `scenario` has this input: the stage exists, the target is set.
    pub fn exists_in(&self, scenario: &Scenario) -> bool {
        match *self {
            Input::Conversion(i) | Input::Days(i) | Input::Open(i) | Input::Capacity(i) => {
                i < scenario.stages.len()
            }
            Input::TargetRevenue => scenario.target.is_some(),
            _ => true,
        }
    }

    /// Whether a variant may move this input: a number with a value in every
    /// scenario that has the input. A lead spread and an optional capacity are not.
    pub fn can_vary(&self) -> bool {
        !matches!(self, Input::LeadsUncertainty | Input::Capacity(_))
    }
}

impl Serialize for Input {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.path())
    }
}

/// One entry of `variants`: this input moves by up to `spread` of its value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct VariantSpec {
    /// The input that varies; one that [`Input::can_vary`].
    pub path: Input,
    /// Relative spread, 0 to 1: the value is multiplied by `1 + spread * u`,
    /// u uniform in [-1, 1) (0.1: up to 10% either way).
    pub spread: f64,
}

/// What the student answers, and how close counts as right.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// The quantity asked for (`ask`, with `stage` and `confidence` where it takes them).
    #[serde(flatten)]
    pub ask: Ask,
    /// How far an answer may be from the truth: absolute for `probability`
    /// and `goal_conversion` (0.02 = 2 points, at most 1), relative for the
    /// rest (0.05 = 5%). Finite, >= 0.
    pub tolerance: f64,
}

/// The quantities a question may ask for (MODEL.md's `question.ask`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "ask", rename_all = "snake_case")]
pub enum Ask {
    /// The chance of the target (`target.revenue` needed), 0 to 1.
    Probability,
    /// Mean revenue over the horizon.
    RevenueMean,
    /// 10th percentile of revenue.
    RevenueP10,
    /// Median revenue.
    RevenueP50,
    /// 90th percentile of revenue.
    RevenueP90,
    /// Mean number of deals won.
    WonMean,
    /// The month-1 leads a month that reach the target with `confidence`.
    GoalLeads {
        /// The chance of the target asked for, strictly between 0 and 1.
        confidence: f64,
    },
    /// The mean conversion of `stage` that reaches the target with `confidence`.
    GoalConversion {
        /// The stage's name (a stage of the scenario).
        stage: String,
        /// The chance of the target asked for, strictly between 0 and 1.
        confidence: f64,
    },
}

impl Ask {
    /// The word in the file.
    pub fn as_str(&self) -> &'static str {
        match self {
            Ask::Probability => "probability",
            Ask::RevenueMean => "revenue_mean",
            Ask::RevenueP10 => "revenue_p10",
            Ask::RevenueP50 => "revenue_p50",
            Ask::RevenueP90 => "revenue_p90",
            Ask::WonMean => "won_mean",
            Ask::GoalLeads { .. } => "goal_leads",
            Ask::GoalConversion { .. } => "goal_conversion",
        }
    }

    /// Whether the tolerance is absolute (a probability or a rate, both 0..1)
    /// rather than relative.
    pub fn absolute_tolerance(&self) -> bool {
        matches!(self, Ask::Probability | Ask::GoalConversion { .. })
    }

    /// Whether the question needs the scenario's target.
    pub fn needs_target(&self) -> bool {
        matches!(
            self,
            Ask::Probability | Ask::GoalLeads { .. } | Ask::GoalConversion { .. }
        )
    }
}

impl Question {
    /// The true answer on `scenario` (a student's variant) at `trials` and
    /// `seed`: read from the run's [`Summary`], or for a goal the value
    /// `goal::solve` settles on (unrounded: leads a month, or a rate 0..1).
    /// A goal no value within the search's bounds reaches has no answer: the
    /// error says so in the search's own words.
    pub fn answer(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
    ) -> Result<f64, ScenarioErrors> {
        self.answer_by(
            scenario,
            trials,
            seed,
            |sim| Ok(sim.run_all()),
            |lever, confidence| goal::solve(scenario, lever, confidence, trials, seed),
        )
    }

    /// [`Question::answer`] with the trials on `threads` threads: the same
    /// bits for any number (see `parallel`).
    pub fn answer_threads(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
        threads: usize,
    ) -> Result<f64, parallel::Error> {
        self.answer_by(
            scenario,
            trials,
            seed,
            |sim| Ok(parallel::run_parallel(sim, threads)?),
            |lever, confidence| {
                goal::solve_threads(scenario, lever, confidence, trials, seed, threads)
            },
        )
    }

    fn answer_by<E: From<ScenarioErrors>>(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
        run_all: impl Fn(&Simulation) -> Result<crate::Chunk, E>,
        solve: impl Fn(&GoalLever, f64) -> Result<goal::GoalAnswer, E>,
    ) -> Result<f64, E> {
        match self.goal(scenario)? {
            Some((lever, confidence)) => Ok(self.answer_of_goal(&solve(&lever, confidence)?)?),
            None => {
                let sim = Simulation::new(scenario, trials, seed)?;
                Ok(self.answer_of_trials(scenario, &run_all(&sim)?)?)
            }
        }
    }

    /// What a goal question searches for on `scenario`: the lever and the
    /// confidence; `None` for a question read from one run's trials.
    pub fn goal(&self, scenario: &Scenario) -> Result<Option<(GoalLever, f64)>, ScenarioErrors> {
        Ok(match &self.ask {
            Ask::GoalLeads { confidence } => Some((GoalLever::Leads, *confidence)),
            Ask::GoalConversion { stage, confidence } => {
                let Some(i) = scenario.stages.iter().position(|s| &s.name == stage) else {
                    return Err(question_error(format!(
                        "{} is not a stage of this funnel",
                        crate::error::quote(stage)
                    )));
                };
                Some((GoalLever::Conversion { stage: i }, *confidence))
            }
            _ => None,
        })
    }

    /// The answer of a question that is not a goal, read from the trials
    /// of one run of `scenario` (all of them, merged in trial order: a run
    /// made anywhere, on threads or on the page's workers), as the run's
    /// [`Summary`] computes it (`target.probability`, `revenue`, `won`).
    pub fn answer_of_trials(
        &self,
        scenario: &Scenario,
        all: &crate::Chunk,
    ) -> Result<f64, ScenarioErrors> {
        use crate::stats::Stats;
        Ok(match &self.ask {
            Ask::Probability => {
                let Some(t) = &scenario.target else {
                    return Err(question_error(
                        "asks for the chance of the target, and the scenario has none".into(),
                    ));
                };
                Summary::target_probability(all, t.revenue)
            }
            Ask::RevenueMean => Stats::of(&all.revenue).mean,
            Ask::RevenueP10 => Stats::of(&all.revenue).p10,
            Ask::RevenueP50 => Stats::of(&all.revenue).p50,
            Ask::RevenueP90 => Stats::of(&all.revenue).p90,
            Ask::WonMean => Stats::of_counts(&all.won).mean,
            Ask::GoalLeads { .. } | Ask::GoalConversion { .. } => {
                return Err(question_error(
                    "is a goal: its answer comes from the goal search, not one run".into(),
                ));
            }
        })
    }

    /// The answer of a goal question from the goal search's answer: the
    /// value it settles on, unrounded; none when no value within the
    /// search's bounds reaches the target (the search's sentence says so).
    pub fn answer_of_goal(&self, answer: &goal::GoalAnswer) -> Result<f64, ScenarioErrors> {
        if answer.reachable {
            Ok(answer.value)
        } else {
            Err(question_error(answer.message.clone()))
        }
    }

    /// The answer read from a run's summary (the run of the student's
    /// variant at the exercise's trials and seed; the same number as
    /// [`Question::answer_of_trials`] on that run's trials), or `None` for a goal,
    /// which takes a search rather than one run (`goal::solve`, or
    /// `job::GoalSearch` step by step).
    pub fn read(&self, summary: &Summary) -> Option<Result<f64, ScenarioErrors>> {
        Some(Ok(match &self.ask {
            Ask::Probability => match &summary.target {
                Some(t) => t.probability,
                None => {
                    return Some(Err(question_error(
                        "asks for the chance of the target, and the scenario has none".into(),
                    )));
                }
            },
            Ask::RevenueMean => summary.revenue.mean,
            Ask::RevenueP10 => summary.revenue.p10,
            Ask::RevenueP50 => summary.revenue.p50,
            Ask::RevenueP90 => summary.revenue.p90,
            Ask::WonMean => summary.won.mean,
            Ask::GoalLeads { .. } | Ask::GoalConversion { .. } => return None,
        }))
    }

    /// Whether `answer` counts as right against `truth`: within `tolerance`,
    /// absolute or relative to the truth as [`Ask::absolute_tolerance`] says.
    /// A number that is no number (NaN, infinity) is never right.
    pub fn judge(&self, truth: f64, answer: f64) -> bool {
        if !(truth.is_finite() && answer.is_finite()) {
            return false;
        }
        let allowed = if self.ask.absolute_tolerance() {
            self.tolerance
        } else {
            self.tolerance * truth.abs()
        };
        // A hair over the tolerance, so that an answer typed exactly at its
        // edge (0.45 against 0.47 with 0.02) is not lost to binary rounding.
        (answer - truth).abs() <= allowed * (1.0 + 1e-9) + f64::MIN_POSITIVE
    }
}

/// A student's name as the exercise reads it: trimmed and case-folded with
/// `str::to_lowercase` (Unicode's full lowercase mapping), so " Ana " and
/// "ana" are one student.
pub fn normalise_name(student: &str) -> String {
    student.trim().to_lowercase()
}

/// FNV-1a 64: small, stable across platforms and versions, and written down
/// in docs/model-notes.md so that anyone can recompute a variant's seed.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a variant set one input to, as the variant's scenario holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VariedValue {
    /// A number: leads, growth, days, deal size, target.
    Number(f64),
    /// A whole number: deals open today.
    Count(u64),
    /// A conversion, of the kind the stage's became (see `Conversion::with_mean`).
    Conversion(Conversion),
}

impl VariedValue {
    /// The value as the scenario file writes it: a number in its shortest
    /// form that reads back to the same bits (Rust's `{}`), a conversion as
    /// its JSON (`0.41`, or `{"mean":0.41,"sd":0.048}`).
    pub fn to_text(&self) -> String {
        match self {
            VariedValue::Number(x) => format!("{x}"),
            VariedValue::Count(n) => format!("{n}"),
            VariedValue::Conversion(c) => serde_json::to_string(c).unwrap_or_default(),
        }
    }
}

/// One student's funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The name as the exercise read it ([`normalise_name`]).
    pub student: String,
    /// The key of the stream the moves were drawn from (see [`Exercise::variant`]).
    pub key: u64,
    /// The base scenario with the variants applied (its exercise kept).
    pub scenario: Scenario,
    /// Each varied input and its value in `scenario`, in the order of `variants`.
    pub values: Vec<(Input, VariedValue)>,
}

/// Marks the bytes hashed for a variant, so that no other hash of the same
/// scenario text could give the same key.
const VARIANT_DOMAIN: &[u8] = b"funnel-sim exercise variant v1\0";

impl Exercise {
    /// The funnel of `student` in this exercise on `scenario` (the base, as
    /// the teacher wrote it: never a student's edited copy).
    ///
    /// The key is FNV-1a 64 of `VARIANT_DOMAIN`, the base scenario's one-line
    /// JSON (`Scenario::to_json`, with this exercise in it), a zero byte and
    /// the normalised name; it seeds `rng::keyed_rng`. Each entry of
    /// `variants`, in order, takes one draw u = uniform in [-1, 1) and
    /// multiplies its input by `1 + spread * u`, clamped to the input's valid
    /// range given the rest of the scenario (docs/model-notes.md lists each).
    pub fn variant(&self, scenario: &Scenario, student: &str) -> Result<Variant, ScenarioErrors> {
        let name = normalise_name(student);
        if name.is_empty() {
            return Err(student_error("is empty: a student's name is needed"));
        }
        if name.chars().count() > MAX_STUDENT_CHARS {
            return Err(student_error(&format!(
                "is longer than {MAX_STUDENT_CHARS} characters"
            )));
        }
        let mut base = scenario.clone();
        base.exercise = Some(self.clone());
        base.validate()?;
        let mut bytes = VARIANT_DOMAIN.to_vec();
        bytes.extend_from_slice(base.to_json().as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(name.as_bytes());
        let key = fnv1a64(&bytes);
        let mut rng = crate::rng::keyed_rng(key);
        let mut s = base;
        for spec in &self.variants {
            // 53 random bits: every draw is exact, and u = -1 is possible, 1 is not.
            let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * 2.0 - 1.0;
            move_input(&mut s, spec.path, 1.0 + spec.spread * u);
        }
        s.validate()?;
        let values = self
            .variants
            .iter()
            .map(|spec| (spec.path, value_of(&s, spec.path)))
            .collect();
        Ok(Variant {
            student: name,
            key,
            scenario: s,
            values,
        })
    }
}

fn question_error(message: String) -> ScenarioErrors {
    ScenarioErrors(vec![FieldError::new("exercise.question", message)])
}

fn student_error(message: &str) -> ScenarioErrors {
    ScenarioErrors(vec![FieldError::new("student", message)])
}

/// Multiplies `input` by `factor` (0 to 2), clamped to what the scenario
/// allows given its other values. Each input changes only itself, so the
/// values a variant lists are all it changed.
fn move_input(s: &mut Scenario, input: Input, factor: f64) {
    // Deal sizes must stay above 0: at most a thousandfold smaller.
    let positive = factor.max(1e-3);
    match input {
        Input::LeadsPerMonth => {
            // A few ulps below the limit, as the goal search's bound: the limit
            // times the growth factor may round to just above a trillion.
            let limit = s.max_leads_per_month() * (1.0 - 4.0 * f64::EPSILON);
            s.leads.per_month = (s.leads.per_month * factor).clamp(0.0, limit);
        }
        Input::LeadsGrowth => {
            let from = s.leads.growth_per_month;
            let to = (from * factor).max(from.min(-0.99));
            s.leads.growth_per_month = to;
            // More growth may carry this volume past the lead limit: go back
            // toward the base value (valid) until it fits, by bisection.
            if !(s.leads.per_month <= s.max_leads_per_month()) {
                let (mut ok, mut bad) = (from, to);
                for _ in 0..64 {
                    let mid = ok + (bad - ok) / 2.0;
                    s.leads.growth_per_month = mid;
                    if s.leads.per_month <= s.max_leads_per_month() {
                        ok = mid;
                    } else {
                        bad = mid;
                    }
                }
                s.leads.growth_per_month = ok;
            }
        }
        Input::Conversion(i) => {
            if let Some(st) = s.stages.get_mut(i) {
                st.conversion = st.conversion.with_mean(st.conversion.mean() * factor);
            }
        }
        Input::Days(i) => {
            if let Some(st) = s.stages.get_mut(i) {
                st.days = (st.days * factor).clamp(0.0, MAX_DAYS);
            }
        }
        Input::Open(i) => {
            if let Some(st) = s.stages.get_mut(i) {
                let moved = libm::round(st.open as f64 * factor);
                st.open = (moved.max(0.0) as u64).min(MAX_OPEN);
            }
        }
        Input::DealMedian => {
            let d = &mut s.deal_size;
            // The P90 stays: the median keeps below it and within a thousandth of it.
            let lo = d.p90 / MAX_DEAL_SPREAD;
            d.median = (d.median * positive).clamp(lo, d.p90.min(MAX_DEAL_MEDIAN));
        }
        Input::DealP90 => {
            let d = &mut s.deal_size;
            d.p90 = (d.p90 * positive).clamp(d.median, d.median * MAX_DEAL_SPREAD);
        }
        Input::TargetRevenue => {
            if let Some(t) = &mut s.target {
                t.revenue = (t.revenue * factor).clamp(0.0, MAX_REVENUE_GOAL);
            }
        }
        // Refused by validation; nothing to move.
        Input::LeadsUncertainty | Input::Capacity(_) => {}
    }
}

fn value_of(s: &Scenario, input: Input) -> VariedValue {
    use VariedValue::{Count, Number};
    let stage = |i: usize| &s.stages[i];
    match input {
        Input::LeadsPerMonth => Number(s.leads.per_month),
        Input::LeadsGrowth => Number(s.leads.growth_per_month),
        Input::LeadsUncertainty => Number(s.leads.uncertainty_cv),
        Input::Conversion(i) => VariedValue::Conversion(stage(i).conversion),
        Input::Days(i) => Number(stage(i).days),
        Input::Open(i) => Count(stage(i).open),
        Input::Capacity(i) => Count(stage(i).capacity_per_week.unwrap_or(0)),
        Input::DealMedian => Number(s.deal_size.median),
        Input::DealP90 => Number(s.deal_size.p90),
        Input::TargetRevenue => Number(s.target.as_ref().map_or(0.0, |t| t.revenue)),
    }
}

// ---------------------------------------------------------------------------
// Answer codes

/// Characters of a code: 11 data symbols, then one check symbol.
pub const CODE_LEN: usize = 12;
const DATA_LEN: usize = CODE_LEN - 1;
/// Crockford's base32: digits and letters without I, L, O and U.
const DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Crockford's check symbols: the 32 digits and `*~$=U` for 32 to 36.
const CHECKS: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
/// Significant decimal digits an answer keeps.
pub const CODE_DIGITS: u32 = 5;
const MANTISSA_MIN: u64 = 10_000;
const MANTISSA_MAX: u64 = 99_999;
/// The decimal exponent field (6 bits) stores the leading digit's exponent plus this.
const EXPONENT_BIAS: i32 = 18;
/// Largest exponent of the leading digit: answers are below 1e27. With the
/// bias, every answer is its digits times a power of ten of at most 22,
/// which doubles hold exactly, so decoding rounds once.
const MAX_EXPONENT: i32 = 26;
const NAME_BITS: u32 = 31;

/// A decoded answer code: whose it claims to be and the answer it holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnswerCode {
    /// 31 bits of the hash of the student's normalised name ([`name_hash`]).
    pub name_hash: u32,
    /// The answer, as the decimal of [`CODE_DIGITS`] significant digits it was
    /// rounded to (the nearest double to it).
    pub answer: f64,
}

impl AnswerCode {
    /// Whether the code was made for `student` (any spelling that normalises
    /// to the same name). One other name in two billion matches by chance:
    /// the code is not secret, this only catches a code handed in under the
    /// wrong name.
    pub fn is_for(&self, student: &str) -> bool {
        self.name_hash == name_hash(student)
    }
}

/// What is wrong with an answer code, in words a student can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// No name to make a code for.
    NoName,
    /// An answer a code cannot hold: not a number, infinite, or 1e27 or more.
    Unencodable,
    /// Nothing was typed.
    Empty,
    /// The code has the wrong number of characters.
    Length {
        /// Characters found.
        found: usize,
    },
    /// A character that is not in codes.
    Character {
        /// The character.
        found: char,
        /// Its position, from 1.
        position: usize,
    },
    /// The check symbol does not match: a character mistyped or two swapped.
    Check,
    /// The characters check out but hold no answer: not a code this program made.
    NoAnswer,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CodeError::NoName => f.write_str("a student's name is needed to make a code"),
            CodeError::Unencodable => {
                f.write_str("the answer must be a number below 1e27 to fit in a code")
            }
            CodeError::Empty => f.write_str("the code is empty"),
            CodeError::Length { found } => {
                write!(f, "the code has {found} characters; a code has {CODE_LEN}")
            }
            CodeError::Character { found, position } => write!(
                f,
                "character {position} ({}) is not used in codes",
                crate::error::escape_control(&found.to_string())
            ),
            CodeError::Check => f.write_str(
                "the code does not check out: a character is mistyped or two are swapped",
            ),
            CodeError::NoAnswer => f.write_str("the code holds no answer: it was not made here"),
        }
    }
}

impl std::error::Error for CodeError {}

/// 31 bits of FNV-1a 64 of the normalised name, high and low halves folded.
pub fn name_hash(student: &str) -> u32 {
    let h = fnv1a64(normalise_name(student).as_bytes());
    ((h ^ (h >> 32)) & ((1u64 << NAME_BITS) - 1)) as u32
}

/// `10^k` times `a`, with one rounding for |k| <= 22 (powers of ten up to
/// 1e22 are exact doubles), by a division for negative k.
fn scale10(a: f64, k: i32) -> f64 {
    let p = libm::pow(10.0, f64::from(k.unsigned_abs()));
    if k >= 0 { a * p } else { a / p }
}

/// The code of `student`'s `answer`: [`CODE_LEN`] characters of Crockford's
/// base32, the last a check symbol (format: docs/model-notes.md, "Exercise").
/// The answer keeps [`CODE_DIGITS`] significant digits; magnitudes below
/// 1e-18 are kept as 0.
pub fn encode(student: &str, answer: f64) -> Result<String, CodeError> {
    if normalise_name(student).is_empty() {
        return Err(CodeError::NoName);
    }
    if !answer.is_finite() {
        return Err(CodeError::Unencodable);
    }
    let (sign, exponent, mantissa) = if answer.abs() < 1e-18 {
        (0u64, 0u64, 0u64)
    } else {
        let a = answer.abs();
        let digits = CODE_DIGITS as i32 - 1;
        let mut e = libm::floor(libm::log10(a)) as i32;
        let mut m = libm::round(scale10(a, digits - e));
        // log10 may be off by one near a power of ten, and rounding may carry.
        if m > MANTISSA_MAX as f64 {
            e += 1;
            m = libm::round(scale10(a, digits - e));
        } else if m < MANTISSA_MIN as f64 {
            e -= 1;
            m = libm::round(scale10(a, digits - e));
        }
        let field = e + EXPONENT_BIAS;
        if !(0..=MAX_EXPONENT + EXPONENT_BIAS).contains(&field) {
            return Err(CodeError::Unencodable);
        }
        (u64::from(answer < 0.0), field as u64, m as u64)
    };
    let data = (u64::from(name_hash(student)) << 24) | (sign << 23) | (exponent << 17) | mantissa;
    let mut code = String::with_capacity(CODE_LEN);
    for k in (0..DATA_LEN).rev() {
        code.push(DIGITS[((data >> (5 * k)) & 31) as usize] as char);
    }
    code.push(CHECKS[(data % 37) as usize] as char);
    Ok(code)
}

/// Reads a code typed by a student: surrounding spaces ignored, lower case
/// read as upper, O as 0 and I or L as 1 (Crockford's reading rules).
pub fn decode(code: &str) -> Result<AnswerCode, CodeError> {
    let chars: Vec<char> = code.trim().chars().collect();
    if chars.is_empty() {
        return Err(CodeError::Empty);
    }
    if chars.len() != CODE_LEN {
        return Err(CodeError::Length { found: chars.len() });
    }
    let symbol = |c: char, alphabet: &[u8]| {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        alphabet.iter().position(|&a| a as char == c)
    };
    let mut data = 0u64;
    for (i, &c) in chars[..DATA_LEN].iter().enumerate() {
        let Some(v) = symbol(c, DIGITS) else {
            return Err(CodeError::Character {
                found: c,
                position: i + 1,
            });
        };
        data = (data << 5) | v as u64;
    }
    let last = chars[DATA_LEN];
    let Some(check) = symbol(last, CHECKS) else {
        return Err(CodeError::Character {
            found: last,
            position: CODE_LEN,
        });
    };
    if data % 37 != check as u64 {
        return Err(CodeError::Check);
    }
    let mantissa = data & 0x1_ffff;
    let exponent = (data >> 17) & 63;
    let negative = (data >> 23) & 1 == 1;
    let name_hash = (data >> 24) as u32;
    let answer = if mantissa == 0 {
        if exponent != 0 || negative {
            return Err(CodeError::NoAnswer);
        }
        0.0
    } else {
        if !(MANTISSA_MIN..=MANTISSA_MAX).contains(&mantissa)
            || exponent as i32 > MAX_EXPONENT + EXPONENT_BIAS
        {
            return Err(CodeError::NoAnswer);
        }
        let e = exponent as i32 - EXPONENT_BIAS - (CODE_DIGITS as i32 - 1);
        let a = scale10(mantissa as f64, e);
        if negative { -a } else { a }
    };
    Ok(AnswerCode { name_hash, answer })
}
