//! The `funnelsim` command line, as functions the tests can call.

use std::fmt::Write as _;

use crate::{Scenario, Simulation, Summary};

pub const USAGE: &str =
    "usage: funnelsim run SCENARIO.json [--trials N] [--seed S] [--samples FILE.csv]

Runs the Monte Carlo simulation of a sales funnel and prints a JSON summary.
  --trials N        number of trials, 1 to 1000000 (default 10000)
  --seed S          seed, a whole number 0 to 18446744073709551615 (default 1)
  --samples FILE    also write one CSV row per trial: trial,revenue,won,lost,leads,open_end
Exit code 2 on a bad scenario, flag or file, with one message per problem on stderr.";

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Help,
    Run(RunArgs),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunArgs {
    pub scenario: String,
    pub trials: u64,
    pub seed: u64,
    pub samples: Option<String>,
    pub solve: Option<String>,
    pub confidence: f64,
}

pub fn parse_args(args: &[String]) -> Result<Command, Vec<String>> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some(other) => return Err(vec![format!("unknown command `{other}`\n{USAGE}")]),
        None => return Err(vec![format!("missing command\n{USAGE}")]),
    }
    let mut scenario = None;
    let mut trials = crate::DEFAULT_TRIALS;
    let mut seed = crate::DEFAULT_SEED;
    let mut samples = None;
    let mut solve = None;
    let mut confidence = 0.8;
    let mut problems = Vec::new();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name}: needs a value"))
        };
        match flag {
            "--trials" => match value("--trials").and_then(|v| {
                v.parse::<u64>()
                    .ok()
                    .filter(|t| (1..=crate::MAX_TRIALS).contains(t))
                    .ok_or_else(|| {
                        format!(
                            "--trials: `{v}` is not a whole number from 1 to {}",
                            crate::MAX_TRIALS
                        )
                    })
            }) {
                Ok(t) => trials = t,
                Err(e) => problems.push(e),
            },
            "--seed" => match value("--seed").and_then(|v| {
                v.parse::<u64>().map_err(|_| {
                    format!("--seed: `{v}` is not a whole number from 0 to {}", u64::MAX)
                })
            }) {
                Ok(s) => seed = s,
                Err(e) => problems.push(e),
            },
            "--samples" => match value("--samples") {
                Ok(path) => samples = Some(path),
                Err(e) => problems.push(e),
            },
            "--solve" => match value("--solve") {
                Ok(v) => solve = Some(v),
                Err(e) => problems.push(e),
            },
            "--confidence" => match value("--confidence").and_then(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|c| *c > 0.0 && *c < 1.0)
                    .ok_or_else(|| {
                        format!("--confidence: `{v}` is not a number between 0 and 1, e.g. 0.8")
                    })
            }) {
                Ok(c) => confidence = c,
                Err(e) => problems.push(e),
            },
            "-h" | "--help" => return Ok(Command::Help),
            f if f.starts_with('-') => problems.push(format!("unknown flag `{f}`")),
            file if scenario.is_none() => scenario = Some(file.to_owned()),
            extra => problems.push(format!(
                "unexpected argument `{extra}` (one scenario file only)"
            )),
        }
    }
    if scenario.is_none() {
        problems.push("missing SCENARIO.json".into());
    }
    match (scenario, problems.is_empty()) {
        (Some(scenario), true) => Ok(Command::Run(RunArgs {
            scenario,
            trials,
            seed,
            samples,
            solve,
            confidence,
        })),
        _ => Err(problems),
    }
}

/// Runs the command; on success returns the summary JSON.
pub fn run(args: &RunArgs) -> Result<String, Vec<String>> {
    let text = std::fs::read_to_string(&args.scenario)
        .map_err(|e| vec![format!("{}: cannot read: {e}", args.scenario)])?;
    let scenario = Scenario::from_json(&text).map_err(|errors| {
        errors
            .0
            .iter()
            .map(|e| format!("{}: {e}", args.scenario))
            .collect::<Vec<_>>()
    })?;
    let problems = |errors: crate::ScenarioErrors| -> Vec<String> {
        errors.0.iter().map(|e| e.to_string()).collect()
    };
    let goal_lever = match &args.solve {
        Some(text) => Some(
            crate::goal::parse_lever(text, &scenario).map_err(|e| vec![format!("--solve: {e}")])?,
        ),
        None => None,
    };
    if goal_lever.is_some() && scenario.target.is_none() {
        return Err(vec![format!(
            "--solve: {}: the scenario needs a target (target.revenue) to solve for",
            args.scenario
        )]);
    }
    let sim = Simulation::new(&scenario, args.trials, args.seed).map_err(problems)?;
    let all = sim.run_all();
    if let Some(path) = &args.samples {
        std::fs::write(path, samples_csv(&all))
            .map_err(|e| vec![format!("--samples: cannot write {path}: {e}")])?;
    }
    let mut summary = Summary::new(&sim, &all);
    summary.sensitivity =
        crate::levers::sensitivity(&scenario, &all, args.trials, args.seed).map_err(problems)?;
    if let Some(lever) = goal_lever {
        summary.goal = Some(
            crate::goal::solve(&scenario, &lever, args.confidence, args.trials, args.seed)
                .map_err(problems)?,
        );
    }
    Ok(summary.to_json_pretty())
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
