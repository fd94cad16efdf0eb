//! The `funnelsim` command line, as functions the tests can call.
//!
//! ```text
//! funnelsim run SCENARIO.json [--trials N] [--seed S] [--samples FILE.csv] [--sensitivity]
//!                             [--solve leads|conversion:STAGE] [--confidence C] [--threads N]
//! funnelsim key SCENARIO.json --students FILE.txt [--trials N] [--seed S] [--threads N]
//! funnelsim compare A.json B.json [C.json D.json] [--trials N] [--seed S] [--threads N]
//! funnelsim calibrate DEALS.csv [--as-of YYYY-MM-DD] [--stages A,B,C] [--date-order mdy|dmy]
//! funnelsim backtest DEALS.csv --as-of YYYY-MM-DD --months N [--trials N] [--seed S] ...
//! funnelsim help               (also -h, --help)
//! ```
//!
//! `parse_args` turns the arguments into a `Command`; `run` reads the
//! scenario, simulates and returns the summary JSON. Neither prints: the
//! binary owns stdout and stderr, so that it alone decides what a failed
//! write means (a closed pipe ends quietly, anything else exits 2).
//!
//! A bad scenario, flag or file gives a list of messages, one per problem,
//! and the binary exits 2 with nothing on stdout. Every message that repeats
//! text the user chose (a path, a flag's value, a stage name) shows it through
//! `quoted`, so a newline or a terminal escape in it cannot forge a line of
//! output or recolour the terminal.
//!
//! Flags are described once, in `FLAGS`: the parser only recognises what is
//! listed there and `usage` is written from it, so the help cannot miss a flag.
//!
//! The lever sweep runs only with `--sensitivity` (one rerun per lever).
//! Trials run on `--threads` threads (default: every core); the output is the
//! same bytes for any number (see `parallel`).

use std::fmt::Write as _;
use std::io::Read as _;

use crate::parallel::{self, MAX_THREADS};
use crate::{Scenario, ScenarioErrors, Simulation, Summary};

/// The largest scenario file `run` reads: far beyond any real funnel (the
/// format allows at most 20 stages and 10 plans), small enough to hold.
pub const MAX_SCENARIO_BYTES: u64 = 100_000_000;

/// What a flag sets; the parser matches on this, so a flag in `FLAGS` cannot
/// be left unhandled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// `--trials N`: trials to run.
    Trials,
    /// `--seed S`: the run's seed.
    Seed,
    /// `--samples FILE.csv`: also write one CSV row per trial.
    Samples,
    /// `--sensitivity`: also run the lever sweep.
    Sensitivity,
    /// `--solve leads|conversion:STAGE`: the reverse funnel.
    Solve,
    /// `--confidence C`: the chance of the target `--solve` asks for.
    Confidence,
    /// `--threads N`: threads to run the trials on.
    Threads,
    /// `--students FILE.txt`: `key`'s list of names, one a line.
    Students,
    /// `--as-of YYYY-MM-DD`: calibrate on what was known that day.
    AsOf,
    /// `--stages A,B,C`: the funnel's stages, in order.
    Stages,
    /// `--date-order mdy|dmy`: how to read numeric dates.
    DateOrder,
    /// `--months N`: the backtest's forecast.
    Months,
    /// `--help` or `-h`: print the help.
    Help,
}

impl Flag {
    /// Whether `funnelsim key` takes this flag.
    pub fn for_key(self) -> bool {
        matches!(
            self,
            Flag::Trials | Flag::Seed | Flag::Threads | Flag::Students | Flag::Help
        )
    }

    /// Whether `funnelsim compare` takes this flag.
    pub fn for_compare(self) -> bool {
        matches!(self, Flag::Trials | Flag::Seed | Flag::Threads | Flag::Help)
    }

    /// Whether `funnelsim run` takes this flag.
    pub fn for_run(self) -> bool {
        !matches!(
            self,
            Flag::Students | Flag::AsOf | Flag::Stages | Flag::DateOrder | Flag::Months
        )
    }

    /// Whether `funnelsim calibrate` takes this flag.
    pub fn for_calibrate(self) -> bool {
        matches!(
            self,
            Flag::AsOf | Flag::Stages | Flag::DateOrder | Flag::Help
        )
    }

    /// Whether `funnelsim backtest` takes this flag.
    pub fn for_backtest(self) -> bool {
        self.for_calibrate()
            || matches!(
                self,
                Flag::Months | Flag::Trials | Flag::Seed | Flag::Threads
            )
    }

    /// The commands that take this flag, for the message when another is given it.
    fn commands(self) -> String {
        let names: Vec<String> = [
            ("run", self.for_run()),
            ("key", self.for_key()),
            ("compare", self.for_compare()),
            ("calibrate", self.for_calibrate()),
            ("backtest", self.for_backtest()),
        ]
        .iter()
        .filter(|(_, takes)| *takes)
        .map(|(name, _)| format!("`funnelsim {name}`"))
        .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => "no command".into(),
        }
    }
}

/// The command a flag list belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sub {
    Run,
    Key,
    Compare,
    Calibrate,
    Backtest,
}

impl Sub {
    fn takes(self, flag: Flag) -> bool {
        match self {
            Sub::Run => flag.for_run(),
            Sub::Key => flag.for_key(),
            Sub::Compare => flag.for_compare(),
            Sub::Calibrate => flag.for_calibrate(),
            Sub::Backtest => flag.for_backtest(),
        }
    }
}

/// One flag as the user types it and as the help describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    /// What the flag sets.
    pub flag: Flag,
    /// The long name as typed, dashes included: `--trials`.
    pub name: &'static str,
    /// The short name, e.g. `-h`; `None` for a flag without one.
    pub short: Option<&'static str>,
    /// What the value is called in the help; `None` for a switch.
    pub value: Option<&'static str>,
    /// Help text; lines after the first are indented under it.
    pub help: &'static str,
}

/// Every flag of `funnelsim run`, in the order the help lists them.
pub const FLAGS: &[FlagSpec] = &[
    FlagSpec {
        flag: Flag::Trials,
        name: "--trials",
        short: None,
        value: Some("N"),
        help: "number of trials, 1 to 1000000 (default: the file's run.trials, else 10000)",
    },
    FlagSpec {
        flag: Flag::Seed,
        name: "--seed",
        short: None,
        value: Some("S"),
        help: "seed, a whole number 0 to 18446744073709551615 (default: the file's run.seed, else 1)",
    },
    FlagSpec {
        flag: Flag::Samples,
        name: "--samples",
        short: None,
        value: Some("FILE.csv"),
        help: "also write one CSV row per trial (never over the scenario file):\n\
               trial,revenue,won,lost,leads,open_end",
    },
    FlagSpec {
        flag: Flag::Sensitivity,
        name: "--sensitivity",
        short: None,
        value: None,
        help: "also rerun the model once per lever (conversion, days, lead volume,\n\
               deal size, capacity) and report each lever's effect; off by default",
    },
    FlagSpec {
        flag: Flag::Solve,
        name: "--solve",
        short: None,
        value: Some("leads|conversion:STAGE"),
        help: "find the leads a month, or the conversion of stage STAGE, that reach\n\
               target.revenue with the --confidence below",
    },
    FlagSpec {
        flag: Flag::Confidence,
        name: "--confidence",
        short: None,
        value: Some("C"),
        help: "for --solve: the chance of reaching the target that is asked for,\n\
               between 0 and 1 (default 0.8)",
    },
    FlagSpec {
        flag: Flag::Threads,
        name: "--threads",
        short: None,
        value: Some("N"),
        help: "threads to run the trials on, 1 to 256 (default: every core);\n\
               the output is the same for any number",
    },
    FlagSpec {
        flag: Flag::Students,
        name: "--students",
        short: None,
        value: Some("FILE.txt"),
        help: "for `key` only: the students' names, one a line (blank lines and repeats skipped)",
    },
    FlagSpec {
        flag: Flag::AsOf,
        name: "--as-of",
        short: None,
        value: Some("YYYY-MM-DD"),
        help: "for `calibrate` and `backtest`: count what was known on that day\n\
               (calibrate's default: the latest date in the file)",
    },
    FlagSpec {
        flag: Flag::Stages,
        name: "--stages",
        short: None,
        value: Some("A,B,C"),
        help: "for `calibrate` and `backtest`: the funnel's stages in order; rows of\n\
               other stages are skipped (default: the order deals enter them)",
    },
    FlagSpec {
        flag: Flag::DateOrder,
        name: "--date-order",
        short: None,
        value: Some("mdy|dmy"),
        help: "for `calibrate` and `backtest`: read 03/04/2025 month first (mdy) or\n\
               day first (dmy); needed only when no date in the file tells",
    },
    FlagSpec {
        flag: Flag::Months,
        name: "--months",
        short: None,
        value: Some("N"),
        help: "for `backtest` only: months to forecast from --as-of, 1 to 60",
    },
    FlagSpec {
        flag: Flag::Help,
        name: "--help",
        short: Some("-h"),
        value: None,
        help: "print this help (also `funnelsim help`)",
    },
];

/// The help text, written from `FLAGS`.
pub fn usage() -> String {
    let lead = "usage: funnelsim run SCENARIO.json";
    let indent = " ".repeat(lead.len());
    let mut out = String::from(lead);
    let mut width = lead.len();
    for spec in FLAGS
        .iter()
        .filter(|s| s.flag != Flag::Help && s.flag.for_run())
    {
        let item = match spec.value {
            Some(v) => format!(" [{} {v}]", spec.name),
            None => format!(" [{}]", spec.name),
        };
        if width + item.len() > 88 {
            out.push('\n');
            out.push_str(&indent);
            width = indent.len();
        }
        out.push_str(&item);
        width += item.len();
    }
    out.push_str(
        "\n       funnelsim key SCENARIO.json --students FILE.txt [--trials N] [--seed S] [--threads N]",
    );
    out.push_str(
        "\n       funnelsim compare A.json B.json [C.json D.json] [--trials N] [--seed S] [--threads N]",
    );
    out.push_str(
        "\n       funnelsim calibrate DEALS.csv [--as-of YYYY-MM-DD] [--stages A,B,C] [--date-order mdy|dmy]\n\
         \x20      funnelsim backtest DEALS.csv --as-of YYYY-MM-DD --months N [--trials N] [--seed S]\n\
         \x20                                  [--threads N] [--stages A,B,C] [--date-order mdy|dmy]",
    );
    out.push_str("\n       funnelsim help\n\n");
    out.push_str(
        "`run` runs the Monte Carlo simulation of a sales funnel and prints a JSON summary on stdout.\n\
         `key` prints the answer key of the scenario's exercise as CSV: one row per student with\n\
         the true answer on the student's variant and the values that vary.\n\
         `compare` runs 2 to 4 scenarios on the same seed and trials (the flags', else the first\n\
         file's run, else 10000 and 1) and prints them side by side as JSON, each against the\n\
         first with the standard error of the difference (paired where their trials pair).\n\
         `calibrate` reads a CRM export of deals (CSV, long or wide) and prints the scenario it\n\
         counts: per stage {won, of}, days and open deals, the deal size, leads and growth.\n\
         `backtest` calibrates on what was known at --as-of, forecasts --months and prints where\n\
         the revenue actually won fell: {as_of, months, p10, p50, p90, actual, percentile}.\n\n",
    );
    for spec in FLAGS {
        let mut name = match spec.short {
            Some(short) => format!("{short}, {}", spec.name),
            None => spec.name.to_owned(),
        };
        if let Some(v) = spec.value {
            name = format!("{name} {v}");
        }
        let column = 28;
        let mut lines = spec.help.lines();
        let first = lines.next().unwrap_or_default();
        if name.len() + 2 < column {
            let _ = writeln!(out, "  {name:<w$}{first}", w = column - 2);
        } else {
            let _ = writeln!(out, "  {name}\n{:column$}{first}", "");
        }
        for line in lines {
            let _ = writeln!(out, "{:column$}{}", "", line.trim_start());
        }
    }
    out.push_str(
        "\nExit code 2 on a bad scenario, flag or file, with one message per problem on stderr\n\
         and nothing on stdout.",
    );
    out
}

/// `text` in backquotes with every control character escaped (`\n`,
/// `\u{1b}`), for messages that repeat what the user typed: a name cannot
/// then start a line of its own or send escape codes to the terminal.
/// Other characters, accented letters and the like, stay as they are.
pub fn quoted(text: &str) -> String {
    format!("`{}`", crate::error::escape_control(text))
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `funnelsim help`, `-h` or `--help`: print [`usage`].
    Help,
    /// `funnelsim run SCENARIO.json`: simulate and print the summary.
    Run(RunArgs),
    /// `funnelsim key SCENARIO.json --students FILE.txt`: the exercise's answer key.
    Key(KeyArgs),
    /// `funnelsim compare A.json B.json [C.json D.json]`: scenarios side by side.
    Compare(CompareArgs),
    /// `funnelsim calibrate DEALS.csv`: the scenario a CRM export counts.
    Calibrate(CalibrateArgs),
    /// `funnelsim backtest DEALS.csv --as-of DATE --months N`: a past forecast against its actual.
    Backtest(BacktestArgs),
}

/// The arguments of `funnelsim calibrate`.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrateArgs {
    /// Path of the deals CSV.
    pub deals: String,
    /// Count what was known on this day; `None`: the latest date in the file.
    pub as_of: Option<crate::calibrate::Date>,
    /// The stages in order; `None`: the order deals enter them.
    pub stages: Option<Vec<String>>,
    /// How to read numeric dates; `None`: from the file.
    pub date_order: Option<crate::calibrate::DateOrder>,
}

/// The arguments of `funnelsim backtest`.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestArgs {
    /// What to calibrate (`as_of` is always set).
    pub calibrate: CalibrateArgs,
    /// Months to forecast from the as-of date.
    pub months: u32,
    /// Trials of the forecast; default 10,000.
    pub trials: u64,
    /// Its seed; default 1.
    pub seed: u64,
    /// Threads to run the trials on; the output is the same for any number.
    pub threads: usize,
}

/// The arguments of `funnelsim compare`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareArgs {
    /// Paths of the scenario files, 2 to 4, the first the base.
    pub scenarios: Vec<String>,
    /// Trials of every run; `None`: the first file's `run.trials`, else 10,000.
    pub trials: Option<u64>,
    /// Seed of every run; `None`: the first file's `run.seed`, else 1.
    pub seed: Option<u64>,
    /// Threads to run the trials on; the output is the same for any number.
    pub threads: usize,
}

/// The arguments of `funnelsim key`.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyArgs {
    /// Path of the scenario file (with an `exercise`).
    pub scenario: String,
    /// Path of the students' names, one a line.
    pub students: String,
    /// Trials of every student's run; `None`: the file's `run.trials`, else 10,000.
    pub trials: Option<u64>,
    /// Seed of every student's run; `None`: the file's `run.seed`, else 1.
    pub seed: Option<u64>,
    /// Threads to run the trials on; the output is the same for any number.
    pub threads: usize,
}

/// The arguments of `funnelsim run`; [`RunArgs::new`] gives the defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct RunArgs {
    /// Path of the scenario file.
    pub scenario: String,
    /// Trials to run, 1 to [`crate::MAX_TRIALS`]; `None`: the file's
    /// `run.trials`, else 10,000.
    pub trials: Option<u64>,
    /// Seed of the run; `None`: the file's `run.seed`, else 1.
    pub seed: Option<u64>,
    /// Path of the per-trial CSV to write; `None` writes none.
    pub samples: Option<String>,
    /// Whether to run the lever sweep (one rerun per lever); off by default.
    pub sensitivity: bool,
    /// The lever to solve for, as typed (`leads` or `conversion:STAGE`); `None`
    /// solves nothing.
    pub solve: Option<String>,
    /// Chance of the target `--solve` asks for, strictly between 0 and 1; default 0.8.
    pub confidence: f64,
    /// Threads to run the trials on, 1 to [`MAX_THREADS`]; default every core.
    /// The output is the same for any number.
    pub threads: usize,
}

impl RunArgs {
    /// The defaults of `funnelsim run SCENARIO`.
    pub fn new(scenario: impl Into<String>) -> RunArgs {
        RunArgs {
            scenario: scenario.into(),
            trials: None,
            seed: None,
            samples: None,
            sensitivity: false,
            solve: None,
            confidence: 0.8,
            threads: parallel::default_threads(),
        }
    }
}

/// The arguments after the program name; every problem found, not just the
/// first, so one attempt shows everything to fix.
pub fn parse_args(args: &[String]) -> Result<Command, Vec<String>> {
    let mut it = args.iter();
    let sub = match it.next().map(String::as_str) {
        Some("run") => Sub::Run,
        Some("key") => Sub::Key,
        Some("compare") => Sub::Compare,
        Some("calibrate") => Sub::Calibrate,
        Some("backtest") => Sub::Backtest,
        Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some(other) => {
            return Err(vec![format!(
                "unknown command {}: the commands are `run`, `key`, `compare`, `calibrate` and `backtest` (see `funnelsim --help`)",
                quoted(other)
            )]);
        }
        None => {
            return Err(vec![
                "missing command: try `funnelsim run SCENARIO.json` or `funnelsim --help`".into(),
            ]);
        }
    };
    let mut scenario = None;
    let mut compared = Vec::new();
    let key = sub == Sub::Key;
    let mut students = None;
    let mut as_of = None;
    let mut stages = None;
    let mut date_order = None;
    let mut months = None;
    let mut run = RunArgs::new(String::new());
    let mut problems = Vec::new();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let Some(spec) = FLAGS
            .iter()
            .find(|s| s.name == name || s.short == Some(name))
        else {
            if name.starts_with('-') {
                problems.push(format!("unknown flag {}", quoted(name)));
            } else if sub == Sub::Compare {
                compared.push(arg.clone());
            } else if scenario.is_none() {
                scenario = Some(arg.clone());
            } else {
                problems.push(format!(
                    "unexpected argument {} (one {} file only)",
                    quoted(arg),
                    if matches!(sub, Sub::Run | Sub::Key) {
                        "scenario"
                    } else {
                        "deals"
                    }
                ));
            }
            continue;
        };
        let flag = spec.name;
        let v = match (spec.value, inline) {
            (Some(_), Some(v)) => v,
            (Some(_), None) => match it.next() {
                Some(v) => v.clone(),
                None => {
                    problems.push(format!("{flag}: needs a value"));
                    continue;
                }
            },
            (None, Some(_)) => {
                problems.push(format!("{flag}: takes no value"));
                continue;
            }
            (None, None) => String::new(),
        };
        if !sub.takes(spec.flag) {
            problems.push(format!("{flag}: only for {}", spec.flag.commands()));
            continue;
        }
        match spec.flag {
            Flag::Trials => match v
                .parse::<u64>()
                .ok()
                .filter(|t| (1..=crate::MAX_TRIALS).contains(t))
            {
                Some(t) => run.trials = Some(t),
                None => problems.push(format!(
                    "{flag}: {} is not a whole number from 1 to {}",
                    quoted(&v),
                    crate::MAX_TRIALS
                )),
            },
            Flag::Seed => match v.parse::<u64>() {
                Ok(s) => run.seed = Some(s),
                Err(_) => problems.push(format!(
                    "{flag}: {} is not a whole number from 0 to {}",
                    quoted(&v),
                    u64::MAX
                )),
            },
            Flag::Samples => run.samples = Some(v),
            Flag::Sensitivity => run.sensitivity = true,
            Flag::Solve => run.solve = Some(v),
            Flag::Confidence => match v.parse::<f64>().ok().filter(|c| *c > 0.0 && *c < 1.0) {
                Some(c) => run.confidence = c,
                None => problems.push(format!(
                    "{flag}: {} is not a number between 0 and 1, e.g. 0.8",
                    quoted(&v)
                )),
            },
            Flag::Threads => match v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_THREADS).contains(n))
            {
                Some(n) => run.threads = n,
                None => problems.push(format!(
                    "{flag}: {} is not a whole number from 1 to {MAX_THREADS}",
                    quoted(&v)
                )),
            },
            Flag::Students => students = Some(v),
            Flag::AsOf => match crate::calibrate::Date::parse_iso(&v) {
                Some(d) => as_of = Some(d),
                None => problems.push(format!("{flag}: {} is not a date YYYY-MM-DD", quoted(&v))),
            },
            Flag::Stages => {
                let names: Vec<String> = v.split(',').map(|s| s.trim().to_string()).collect();
                if names.iter().any(String::is_empty) {
                    problems.push(format!(
                        "{flag}: {} has an empty stage name; list them as A,B,C",
                        quoted(&v)
                    ));
                } else {
                    stages = Some(names);
                }
            }
            Flag::DateOrder => match crate::calibrate::DateOrder::parse(&v) {
                Some(o) => date_order = Some(o),
                None => problems.push(format!(
                    "{flag}: {} is neither `mdy` (month first) nor `dmy` (day first)",
                    quoted(&v)
                )),
            },
            Flag::Months => match v
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=crate::scenario::MAX_HORIZON_MONTHS).contains(m))
            {
                Some(m) => months = Some(m),
                None => problems.push(format!(
                    "{flag}: {} is not a whole number from 1 to {}",
                    quoted(&v),
                    crate::scenario::MAX_HORIZON_MONTHS
                )),
            },
            Flag::Help => return Ok(Command::Help),
        }
    }
    if sub == Sub::Compare {
        let count = compared.len();
        if !(crate::compare::MIN_SCENARIOS..=crate::compare::MAX_SCENARIOS).contains(&count) {
            problems.push(format!(
                "`compare` takes {} to {} scenario files (A.json B.json [C.json D.json]), not {count}",
                crate::compare::MIN_SCENARIOS,
                crate::compare::MAX_SCENARIOS
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        return Ok(Command::Compare(CompareArgs {
            scenarios: compared,
            trials: run.trials,
            seed: run.seed,
            threads: run.threads,
        }));
    }
    if matches!(sub, Sub::Calibrate | Sub::Backtest) {
        if scenario.is_none() {
            problems.push("missing DEALS.csv".into());
        }
        if sub == Sub::Backtest {
            if as_of.is_none() {
                problems.push("--as-of: needed: the day the forecast is made, YYYY-MM-DD".into());
            }
            if months.is_none() {
                problems.push("--months: needed: months to forecast, 1 to 60".into());
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let calibrate = CalibrateArgs {
            deals: scenario.unwrap_or_default(),
            as_of,
            stages,
            date_order,
        };
        if sub == Sub::Calibrate {
            return Ok(Command::Calibrate(calibrate));
        }
        return Ok(Command::Backtest(BacktestArgs {
            calibrate,
            months: months.unwrap_or(1),
            trials: run.trials.unwrap_or(crate::DEFAULT_TRIALS),
            seed: run.seed.unwrap_or(crate::DEFAULT_SEED),
            threads: run.threads,
        }));
    }
    if key {
        if students.is_none() {
            problems.push("--students: needed: a file of names, one a line".into());
        }
        return match (scenario, students) {
            (Some(path), Some(students)) if problems.is_empty() => Ok(Command::Key(KeyArgs {
                scenario: path,
                students,
                trials: run.trials,
                seed: run.seed,
                threads: run.threads,
            })),
            (None, _) => {
                problems.push("missing SCENARIO.json".into());
                Err(problems)
            }
            _ => Err(problems),
        };
    }
    match scenario {
        Some(path) if problems.is_empty() => Ok(Command::Run(RunArgs {
            scenario: path,
            ..run
        })),
        Some(_) => Err(problems),
        None => {
            problems.push("missing SCENARIO.json".into());
            Err(problems)
        }
    }
}

/// Runs the command; on success returns the summary JSON. Nothing is written
/// (not even `--samples`) unless every part of the run succeeded.
pub fn run(args: &RunArgs) -> Result<String, Vec<String>> {
    let path = &args.scenario;
    if let Some(samples) = &args.samples {
        if same_file(path, samples) {
            return Err(vec![format!(
                "--samples: {} is the scenario file; writing the samples there would overwrite it",
                quoted(samples)
            )]);
        }
    }
    let (scenario, trials, seed) = load(path, args.trials, args.seed)?;
    let goal_lever = match &args.solve {
        Some(text) => Some(
            crate::goal::parse_lever(text, &scenario).map_err(|e| vec![format!("--solve: {e}")])?,
        ),
        None => None,
    };
    if goal_lever.is_some() && scenario.target.is_none() {
        return Err(vec![format!(
            "--solve: {}: the scenario needs a target (target.revenue) to solve for",
            quoted(path)
        )]);
    }
    let sim = Simulation::new(&scenario, trials, seed).map_err(problems)?;
    let all = parallel::run_parallel(&sim, args.threads).map_err(bug)?;
    let mut summary = Summary::new(&sim, &all);
    if args.sensitivity {
        summary.sensitivity = parallel::sensitivity(&scenario, &all, trials, seed, args.threads)
            .map_err(parallel_problems)?;
    }
    if let Some(lever) = goal_lever {
        summary.goal = Some(
            crate::goal::solve_threads(
                &scenario,
                &lever,
                args.confidence,
                trials,
                seed,
                args.threads,
            )
            .map_err(parallel_problems)?,
        );
    }
    if let Some(samples) = &args.samples {
        std::fs::write(samples, samples_csv(&all))
            .map_err(|e| vec![format!("--samples: cannot write {}: {e}", quoted(samples))])?;
    }
    Ok(summary.to_json_pretty())
}

/// Runs `funnelsim compare`: every scenario on the same seed and trials, on
/// `threads` threads, and the comparison JSON (`compare::Comparison`).
/// Memory: one full run at a time; of each finished run only its summary
/// and per-trial revenue are kept.
pub fn compare(args: &CompareArgs) -> Result<String, Vec<String>> {
    let count = args.scenarios.len();
    if !(crate::compare::MIN_SCENARIOS..=crate::compare::MAX_SCENARIOS).contains(&count) {
        return Err(vec![crate::compare::CompareError::Count(count).to_string()]);
    }
    // Every file read and checked before any run, so one attempt shows every
    // problem. The first file's run settings, if the flags leave them open,
    // are every run's.
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    let mut settings = (args.trials, args.seed);
    for path in &args.scenarios {
        match load(path, settings.0, settings.1) {
            Ok((scenario, trials, seed)) => {
                settings = (Some(trials), Some(seed));
                loaded.push((path, scenario));
            }
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let trials = settings.0.unwrap_or(crate::DEFAULT_TRIALS);
    let seed = settings.1.unwrap_or(crate::DEFAULT_SEED);
    let mut runs = Vec::new();
    for (path, scenario) in &loaded {
        let sim = Simulation::new(scenario, trials, seed).map_err(|errors| {
            errors
                .0
                .iter()
                .map(|e| format!("{}: {e}", quoted(path)))
                .collect::<Vec<_>>()
        })?;
        let all = parallel::run_parallel(&sim, args.threads).map_err(bug)?;
        let summary = Summary::new(&sim, &all);
        runs.push((summary, all.revenue));
    }
    let names: Vec<String> = loaded
        .iter()
        .map(|(path, scenario)| compare_name(path, scenario))
        .collect();
    let entries: Vec<crate::compare::Entry<'_>> = loaded
        .iter()
        .zip(&runs)
        .zip(&names)
        .map(
            |(((_, scenario), (summary, revenue)), name)| crate::compare::Entry {
                name,
                scenario,
                revenue,
                summary,
            },
        )
        .collect();
    crate::compare::Comparison::from_runs(&entries)
        .map(|c| c.to_json_pretty())
        .map_err(|e| vec![format!("internal error (a bug, please report it): {e}")])
}

/// A compared scenario's name: its own, else its file's name without `.json`.
fn compare_name(path: &str, scenario: &Scenario) -> String {
    if !scenario.name.trim().is_empty() {
        return scenario.name.clone();
    }
    std::path::Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// The largest deals file `calibrate` and `backtest` read: some million rows.
pub const MAX_DEALS_BYTES: u64 = 200_000_000;

/// The deals file read and checked, every problem prefixed with its path.
fn load_deals(args: &CalibrateArgs) -> Result<crate::calibrate::Deals, Vec<String>> {
    let path = &args.deals;
    let text = read_text(path, MAX_DEALS_BYTES, "a deals file").map_err(|e| vec![e])?;
    let options = crate::calibrate::Options {
        layout: None,
        stages: args.stages.clone(),
        date_order: args.date_order,
        as_of: args.as_of,
    };
    crate::calibrate::read(&text, &options).map_err(|p| file_problems(path, &p))
}

fn file_problems(path: &str, problems: &[crate::calibrate::Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}: {p}", quoted(path)))
        .collect()
}

/// Runs `funnelsim calibrate`: the scenario JSON, and the report's warnings
/// (for stderr; they do not stop it).
pub fn calibrate(args: &CalibrateArgs) -> Result<(String, Vec<String>), Vec<String>> {
    let deals = load_deals(args)?;
    let counts =
        crate::calibrate::count(&deals, args.as_of).map_err(|p| file_problems(&args.deals, &p))?;
    let report = crate::calibrate::Report::new(&counts);
    let stem = std::path::Path::new(&args.deals)
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let scenario = report
        .scenario(
            &format!("Calibrated from {stem} as of {}", report.as_of),
            12,
        )
        .map_err(|p| file_problems(&args.deals, &p))?;
    let warnings = report
        .warnings
        .iter()
        .map(|w| format!("{}: {w}", quoted(&args.deals)))
        .collect();
    Ok((scenario.to_json_pretty(), warnings))
}

/// Runs `funnelsim backtest`: `{as_of, months, p10, p50, p90, actual, percentile}`.
pub fn backtest(args: &BacktestArgs) -> Result<String, Vec<String>> {
    let deals = load_deals(&args.calibrate)?;
    let Some(as_of) = args.calibrate.as_of else {
        return Err(vec!["--as-of: needed".into()]);
    };
    let plan = crate::calibrate::backtest::plan(&deals, as_of, args.months)
        .map_err(|p| file_problems(&args.calibrate.deals, &p))?;
    let sim = Simulation::new(&plan.scenario, args.trials, args.seed).map_err(problems)?;
    let all = parallel::run_parallel(&sim, args.threads).map_err(bug)?;
    let result = crate::calibrate::backtest::judge(as_of, args.months, &all.revenue, plan.actual);
    serde_json::to_string_pretty(&result).map_err(csv_bug)
}

/// The largest students file `key` reads (some ten thousand names and more).
pub const MAX_STUDENTS_BYTES: u64 = 1_000_000;

/// Runs `funnelsim key`: the answer key as CSV, `student,answer` and one
/// column per variant path, a row per student of the students file
/// (`exercise::key::read_class`: the name as first typed, trimmed; blank
/// lines and a name listed before skipped), without the last line's newline
/// (the binary ends every output with one).
pub fn key(args: &KeyArgs) -> Result<String, Vec<String>> {
    let path = &args.scenario;
    let (scenario, trials, seed) = load(path, args.trials, args.seed)?;
    let Some(exercise) = &scenario.exercise else {
        return Err(vec![format!(
            "{}: has no exercise: `key` needs a scenario with an \"exercise\" section",
            quoted(path)
        )]);
    };
    let list = &args.students;
    let names = read_text(list, MAX_STUDENTS_BYTES, "a students list").map_err(|e| vec![e])?;
    let class = crate::exercise::key::read_class(&names);
    let mut problems: Vec<String> = class
        .too_long
        .iter()
        .map(|line| {
            format!(
                "{}: line {line}: the name is longer than {} characters",
                quoted(list),
                crate::exercise::MAX_STUDENT_CHARS
            )
        })
        .collect();
    if class.students.is_empty() && problems.is_empty() {
        problems.push(format!("{}: has no names", quoted(list)));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for student in &class.students {
        let (name, at) = (
            &student.name,
            format!("{}: line {}", quoted(list), student.line),
        );
        let variant = exercise
            .variant(&scenario, name)
            .map_err(|e| e.0.iter().map(|e| format!("{at}: {e}")).collect::<Vec<_>>())?;
        let answer = exercise
            .question
            .answer_threads(&variant.scenario, trials, seed, args.threads)
            .map_err(|e| {
                parallel_problems(e)
                    .into_iter()
                    .map(|p| format!("{at} ({}): {p}", quoted(name)))
                    .collect::<Vec<_>>()
            })?;
        rows.push(crate::exercise::key::KeyRow {
            student: name.clone(),
            answer,
            values: variant.values.into_iter().map(|(_, v)| v).collect(),
        });
    }
    let mut text = crate::exercise::key::csv(exercise, &rows).map_err(csv_bug)?;
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

fn csv_bug(e: impl std::fmt::Display) -> Vec<String> {
    vec![format!("internal error (a bug, please report it): {e}")]
}

fn problems(errors: ScenarioErrors) -> Vec<String> {
    errors.0.iter().map(|e| e.to_string()).collect()
}

fn bug(e: parallel::RunError) -> Vec<String> {
    vec![format!("internal error (a bug, please report it): {e}")]
}

fn parallel_problems(e: parallel::Error) -> Vec<String> {
    match e {
        parallel::Error::Scenario(errors) => problems(errors),
        parallel::Error::Run(e) => bug(e),
    }
}

/// Whether writing `samples` would overwrite `scenario`: the same path once
/// links and `..` are resolved, or (on Unix) a hard link to the same file.
fn same_file(scenario: &str, samples: &str) -> bool {
    match (
        std::fs::canonicalize(scenario),
        std::fs::canonicalize(samples),
    ) {
        (Ok(a), Ok(b)) => a == b || same_inode(scenario, samples),
        _ => scenario == samples,
    }
}

#[cfg(unix)]
fn same_inode(a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &str, _: &str) -> bool {
    false
}

/// The scenario file's text. Only a regular file is read: opening a named
/// pipe waits for a writer and a device such as `/dev/zero` never ends, so the
/// kind is checked before opening. The size is checked from the metadata and
/// again while reading, in case the file grows in between.
/// The scenario file at `path`, read and checked, with the trials and seed
/// to run it with: the flags', else the run an exported file carries, else
/// the defaults.
fn load(
    path: &str,
    trials: Option<u64>,
    seed: Option<u64>,
) -> Result<(Scenario, u64, u64), Vec<String>> {
    let text = read_text(path, MAX_SCENARIO_BYTES, "a scenario").map_err(|e| vec![e])?;
    let (scenario, saved) = Scenario::from_file(&text).map_err(|errors| {
        errors
            .0
            .iter()
            .map(|e| format!("{}: {e}", quoted(path)))
            .collect::<Vec<_>>()
    })?;
    let trials = trials.or(saved.trials).unwrap_or(crate::DEFAULT_TRIALS);
    let seed = seed.or(saved.seed).unwrap_or(crate::DEFAULT_SEED);
    Ok((scenario, trials, seed))
}

/// A regular file of at most `max` bytes of UTF-8 text; `what` names it in
/// the message when it is too large.
fn read_text(path: &str, max: u64, what: &str) -> Result<String, String> {
    let q = quoted(path);
    let cannot = |e: std::io::Error| format!("{q}: cannot read: {e}");
    let not_regular = |t: std::fs::FileType| match kind(t) {
        Some(kind) => format!("{q}: is {kind}, not a regular file"),
        None => format!("{q}: is not a regular file"),
    };
    let too_large = || {
        format!(
            "{q}: is larger than {} MB ({max} bytes), too large for {what}",
            max / 1_000_000
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    if meta.len() > max {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    // The path may have been replaced between the check and the open.
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{q}: cannot read: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// What a file that is not a regular file is, in words.
fn kind(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    None
}

/// One row per trial: `trial,revenue,won,lost,leads,open_end`.
pub fn samples_csv(all: &crate::Chunk) -> String {
    let mut out = String::with_capacity(all.len() * 48 + 40);
    out.push_str("trial,revenue,won,lost,leads,open_end\n");
    for i in 0..all.len() {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            all.start + i as u64,
            all.revenue[i],
            all.won[i],
            all.lost[i],
            all.leads[i],
            all.open_end[i]
        );
    }
    out
}
