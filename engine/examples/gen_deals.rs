//! Writes synthetic CRM exports (long and wide CSV) from a scenario, deal by
//! deal (`funnel_engine::calibrate::synth`). The shipped examples come from:
//!
//! ```text
//! cargo run -p funnel-engine --example gen_deals -- scenarios/deals-source.json \
//!     --start 2024-01-01 --end 2025-12-31 --seed 1 \
//!     --long scenarios/deals-long.csv --wide scenarios/deals-wide.csv --wide-dates mdy
//! ```

use std::process::ExitCode;

use funnel_engine::Scenario;
use funnel_engine::calibrate::dates::{Date, DateOrder};
use funnel_engine::calibrate::synth::{self, DateForm};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_deals: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut it = args.into_iter();
    let mut source = None;
    let (mut start, mut end, mut seed) = (None, None, 1u64);
    let (mut long, mut wide, mut wide_dates) = (None, None, DateForm::Iso);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg}: needs a value"));
        match arg.as_str() {
            "--start" => start = Date::parse_iso(&value()?),
            "--end" => end = Date::parse_iso(&value()?),
            "--seed" => seed = value()?.parse().map_err(|_| "--seed: a whole number")?,
            "--long" => long = Some(value()?),
            "--wide" => wide = Some(value()?),
            "--wide-dates" => {
                let v = value()?;
                wide_dates = match v.as_str() {
                    "iso" => DateForm::Iso,
                    other => DateForm::Numeric(
                        DateOrder::parse(other).ok_or("--wide-dates: iso, mdy or dmy")?,
                    ),
                }
            }
            _ if source.is_none() && !arg.starts_with('-') => source = Some(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let usage = "usage: gen_deals SCENARIO.json --start YYYY-MM-DD --end YYYY-MM-DD [--seed S] [--long FILE] [--wide FILE] [--wide-dates iso|mdy|dmy]";
    let (Some(source), Some(start), Some(end)) = (source, start, end) else {
        return Err(usage.into());
    };
    let text = std::fs::read_to_string(&source).map_err(|e| format!("{source}: {e}"))?;
    let scenario = Scenario::from_json(&text).map_err(|e| format!("{source}: {e:?}"))?;
    let deals = synth::generate(&scenario, start, end, seed);
    let stages: Vec<String> = scenario.stages.iter().map(|s| s.name.clone()).collect();
    if let Some(path) = long {
        std::fs::write(&path, synth::long_csv(&stages, &deals, DateForm::Iso))
            .map_err(|e| format!("{path}: {e}"))?;
    }
    if let Some(path) = wide {
        std::fs::write(&path, synth::wide_csv(&stages, &deals, wide_dates))
            .map_err(|e| format!("{path}: {e}"))?;
    }
    eprintln!("gen_deals: {} deals from {start} to {end}", deals.len());
    Ok(())
}
