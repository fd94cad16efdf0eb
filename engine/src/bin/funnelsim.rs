//! `funnelsim run SCENARIO.json [--trials N] [--seed S] [--samples FILE.csv]`

use std::process::ExitCode;

use funnel_engine::cli::{self, Command};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse_args(&args).and_then(|cmd| match cmd {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Run(run) => cli::run(&run).map(|json| println!("{json}")),
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            for p in problems {
                eprintln!("funnelsim: {p}");
            }
            ExitCode::from(2)
        }
    }
}
