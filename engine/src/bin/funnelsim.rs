//! `funnelsim run SCENARIO.json [flags]`, `funnelsim key SCENARIO.json --students FILE.txt`,
//! `funnelsim compare A.json B.json [C.json D.json]`, `funnelsim calibrate DEALS.csv`, `funnelsim backtest DEALS.csv --as-of DATE --months N`;
//! `funnelsim --help` lists the flags.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use funnel_engine::cli::{self, Command, quoted};

fn main() -> ExitCode {
    let args = match arguments() {
        Ok(args) => args,
        Err(problems) => return refuse(&problems),
    };
    let output = cli::parse_args(&args).and_then(|cmd| match cmd {
        Command::Help => Ok((cli::usage(), "the usage")),
        Command::Run(run) => cli::run(&run).map(|json| (json, "the summary")),
        Command::Key(key) => cli::key(&key).map(|csv| (csv, "the answer key")),
        Command::Compare(args) => cli::compare(&args).map(|json| (json, "the comparison")),
        Command::Calibrate(args) => cli::calibrate(&args).map(|(json, warnings)| {
            warn(&warnings);
            (json, "the scenario")
        }),
        Command::Backtest(args) => cli::backtest(&args).map(|json| (json, "the backtest")),
    });
    match output {
        Ok((text, what)) => print(&text, what),
        Err(problems) => refuse(&problems),
    }
}

/// The arguments as text; `std::env::args` would panic on one that is not UTF-8.
fn arguments() -> Result<Vec<String>, Vec<String>> {
    let mut args = Vec::new();
    let mut problems = Vec::new();
    for (i, arg) in std::env::args_os().skip(1).enumerate() {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => problems.push(format!(
                "argument {} is not UTF-8 text: {}",
                i + 1,
                quoted(&arg.to_string_lossy())
            )),
        }
    }
    if problems.is_empty() {
        Ok(args)
    } else {
        Err(problems)
    }
}

/// Writes `text` to stdout. `println!` would panic when stdout fails; here a
/// reader that went away (`funnelsim run x | head`) took all it wanted, so
/// that ends quietly, and any other failure is reported.
fn print(text: &str, what: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => refuse(&[format!("cannot write {what}: {e}")]),
    }
}

/// One line per warning on stderr; the run goes on.
fn warn(warnings: &[String]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "funnelsim: warning: {w}");
    }
    let _ = err.flush();
}

/// One line per problem on stderr, then exit 2. A failure to write stderr is
/// ignored: there is nowhere left to say it, and the exit code still tells.
fn refuse(problems: &[String]) -> ExitCode {
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = writeln!(err, "funnelsim: {p}");
    }
    let _ = err.flush();
    ExitCode::from(2)
}
