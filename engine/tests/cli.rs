//! `funnelsim` as a user runs it: exit codes, messages on stderr, nothing on stdout on error.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use funnel_engine::cli::{self, FLAGS};
use funnel_engine::goal::{self, GoalLever};
use funnel_engine::{Scenario, Simulation};

fn funnelsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(args)
        .output()
        .expect("funnelsim runs")
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("funnelsim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let path = temp_dir().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn reference() -> String {
    format!("{}/../scenarios/reference.json", env!("CARGO_MANIFEST_DIR"))
}

/// Runs funnelsim, killing it if it has not finished in time: the inputs
/// these tests feed it (devices, pipes) would otherwise hang a broken build.
fn funnelsim_within(args: &[&std::ffi::OsStr], seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("funnelsim runs");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("funnelsim {args:?} still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn assert_rejected(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "stdout must be empty on error");
    assert!(
        stderr.contains(needle),
        "stderr should mention `{needle}`:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

#[test]
fn runs_the_reference_scenario() {
    let out = funnelsim(&["run", &reference(), "--trials", "2000", "--seed", "7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["trials"], 2000);
    assert_eq!(v["seed"], 7);
    for field in [
        "mean", "sd", "mean_se", "min", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "max",
    ] {
        assert!(v["revenue"][field].is_number(), "revenue.{field}");
        assert!(v["won"][field].is_number(), "won.{field}");
    }
    assert!(v["target"]["probability"].is_number());
    assert!(v["target"]["probability_se"].is_number());
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    assert!(v["months"][11]["cumulative"]["p50"].is_number());
    let stages = v["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 6);
    for key in ["entered", "advanced", "lost", "open_end"] {
        assert!(stages[0][key]["mean"].is_number(), "stages[0].{key}");
    }
    // Same seed, same bytes.
    let again = funnelsim(&["run", &reference(), "--trials=2000", "--seed=7"]);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn writes_samples() {
    let csv = std::env::temp_dir().join(format!("funnelsim-samples-{}.csv", std::process::id()));
    let out = funnelsim(&[
        "run",
        &reference(),
        "--trials",
        "50",
        "--samples",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "trial,revenue,won,lost,leads,open_end");
    assert_eq!(lines.len(), 51);
    assert!(lines[1].starts_with("0,"));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let revenue_sum: f64 = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(
        (revenue_sum / 50.0 - summary["revenue"]["mean"].as_f64().unwrap()).abs()
            < 1e-6 * revenue_sum
    );
    let _ = std::fs::remove_file(csv);
}

#[test]
fn bad_scenarios_exit_2_naming_the_field() {
    let bad = temp(
        "bad.json",
        &std::fs::read_to_string(reference())
            .unwrap()
            .replace("0.92", "1.5"),
    );
    assert_rejected(
        &funnelsim(&["run", bad.to_str().unwrap()]),
        "stages[5].conversion: must be a rate from 0 to 1",
    );
    let typo = temp(
        "typo.json",
        &std::fs::read_to_string(reference())
            .unwrap()
            .replace("\"days\": 5,", "\"dayz\": 5,"),
    );
    assert_rejected(
        &funnelsim(&["run", typo.to_str().unwrap()]),
        "unknown field",
    );
    let broken = temp("broken.json", "{ \"version\": 1, ");
    assert_rejected(
        &funnelsim(&["run", broken.to_str().unwrap()]),
        "not valid JSON",
    );
    let empty = temp("empty.json", "");
    assert_rejected(
        &funnelsim(&["run", empty.to_str().unwrap()]),
        "not valid JSON",
    );
}

#[test]
fn bad_flags_and_files_exit_2() {
    let r = reference();
    assert_rejected(&funnelsim(&["run", "/no/such/file.json"]), "cannot read");
    assert_rejected(&funnelsim(&["run", &r, "--trials", "0"]), "--trials");
    assert_rejected(&funnelsim(&["run", &r, "--trials", "lots"]), "--trials");
    assert_rejected(&funnelsim(&["run", &r, "--trials", "2000000"]), "--trials");
    assert_rejected(&funnelsim(&["run", &r, "--seed", "-1"]), "--seed");
    assert_rejected(&funnelsim(&["run", &r, "--seed"]), "--seed: needs a value");
    assert_rejected(
        &funnelsim(&["run", &r, "--colour", "red"]),
        "unknown flag `--colour`",
    );
    assert_rejected(&funnelsim(&["run"]), "missing SCENARIO.json");
    assert_rejected(&funnelsim(&["simulate", &r]), "unknown command");
    assert_rejected(&funnelsim(&[]), "missing command");
    assert_rejected(&funnelsim(&["run", &r, "--threads", "0"]), "--threads");
    assert_rejected(&funnelsim(&["run", &r, "--threads", "257"]), "--threads");
    assert_rejected(&funnelsim(&["run", &r, "--threads", "many"]), "--threads");
    assert_rejected(
        &funnelsim(&["run", &r, "--threads"]),
        "--threads: needs a value",
    );
    assert_rejected(
        &funnelsim(&["run", &r, "--sensitivity=yes"]),
        "--sensitivity: takes no value",
    );
    assert_rejected(
        &funnelsim(&["run", &r, "other.json"]),
        "unexpected argument",
    );
    assert_rejected(
        &funnelsim(&[
            "run",
            &r,
            "--trials",
            "10",
            "--samples",
            "/no/such/dir/s.csv",
        ]),
        "--samples: cannot write",
    );
}

fn scenario_with(edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reference()).unwrap()).unwrap();
    edit(&mut v);
    v.to_string()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        vec![
            "run".to_string(),
            reference(),
            "--trials".into(),
            "2000".into(),
        ],
        vec!["--help".to_string()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_funnelsim"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The read end closes before funnelsim writes: its write meets a broken pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_disk_is_an_error() {
    let Ok(full) = std::fs::File::options().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(["run", &reference(), "--trials", "100"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("funnelsim: cannot write the summary: "),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn quoted_escapes_control_characters_only() {
    assert_eq!(cli::quoted("Proposal"), "`Proposal`");
    assert_eq!(cli::quoted("Négociation ✓"), "`Négociation ✓`");
    assert_eq!(
        cli::quoted("a\nb\x1b[31m\t\r\0\u{7f}\u{9b}"),
        r"`a\nb\u{1b}[31m\t\r\0\u{7f}\u{9b}`"
    );
}

/// No raw escape character, and stderr is `lines` messages, each its own
/// `funnelsim:` line: none forged from the user's text.
fn assert_not_forged(out: &Output, lines: Option<usize>) {
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "raw ESC in stderr");
    assert!(!stderr.contains('\u{9b}'), "raw CSI in stderr");
    for line in stderr.lines() {
        assert!(line.starts_with("funnelsim: "), "{stderr}");
        assert!(!line.starts_with("funnelsim: forged"), "{stderr}");
    }
    if let Some(n) = lines {
        assert_eq!(stderr.lines().count(), n, "{stderr}");
    }
}

#[test]
fn user_text_cannot_forge_messages() {
    let evil = "x\nfunnelsim: forged\x1b[31m\u{9b}31m";
    // A path that does not exist, and a file with that name that is not a scenario.
    let missing = temp_dir().join(format!("missing{evil}.json"));
    assert_not_forged(&funnelsim(&["run", missing.to_str().unwrap()]), Some(1));
    let bad = temp(&format!("bad{evil}.json"), "{ \"version\": 1 }");
    assert_not_forged(&funnelsim(&["run", bad.to_str().unwrap()]), None);
    // A stage name, a flag's value, an unknown flag, an extra argument, a command.
    let r = reference();
    let solve = format!("conversion:{evil}");
    assert_not_forged(&funnelsim(&["run", &r, "--solve", &solve]), Some(1));
    assert_not_forged(&funnelsim(&["run", &r, "--solve", evil]), Some(1));
    assert_not_forged(&funnelsim(&["run", &r, "--trials", evil]), Some(1));
    assert_not_forged(&funnelsim(&["run", &r, &format!("--{evil}")]), Some(1));
    assert_not_forged(&funnelsim(&["run", &r, evil]), Some(1));
    assert_not_forged(&funnelsim(&[evil]), Some(1));
    let out = funnelsim(&["run", &r, "--solve", &solve]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(r"`x\nfunnelsim: forged\u{1b}[31m\u{9b}31m` is not a stage"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let out = funnelsim_within(
        &[
            std::ffi::OsStr::new("run"),
            std::ffi::OsStr::from_bytes(b"scenario-\xff.json"),
        ],
        60,
    );
    assert_rejected(&out, "argument 2 is not UTF-8 text");
}

#[test]
fn samples_never_overwrite_the_scenario() {
    let text = std::fs::read_to_string(reference()).unwrap();
    let scenario = temp("own.json", &text);
    let dir = scenario.parent().unwrap();
    let s = scenario.to_str().unwrap();
    let other_spelling = dir.join(".").join("own.json");
    let mut same = vec![s.to_owned(), other_spelling.to_str().unwrap().to_owned()];
    #[cfg(unix)]
    {
        let link = dir.join("own-link.json");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&scenario, &link).unwrap();
        same.push(link.to_str().unwrap().to_owned());
        let hard = dir.join("own-hard.json");
        let _ = std::fs::remove_file(&hard);
        std::fs::hard_link(&scenario, &hard).unwrap();
        same.push(hard.to_str().unwrap().to_owned());
    }
    for samples in &same {
        let out = funnelsim(&["run", s, "--trials", "10", "--samples", samples]);
        assert_rejected(&out, "is the scenario file");
        assert_eq!(std::fs::read_to_string(&scenario).unwrap(), text);
    }
}

#[test]
fn only_a_regular_file_of_at_most_100_mb_is_read() {
    let dev = |path: &str| funnelsim_within(&[std::ffi::OsStr::new("run"), path.as_ref()], 60);
    if Path::new("/dev/zero").exists() {
        assert_rejected(
            &dev("/dev/zero"),
            "`/dev/zero`: is a character device, not a regular file",
        );
    }
    if Path::new("/dev/urandom").exists() {
        assert_rejected(&dev("/dev/urandom"), "not a regular file");
    }
    let dir = temp_dir();
    assert_rejected(
        &dev(dir.to_str().unwrap()),
        "is a directory, not a regular file",
    );
    // Sparse files: no disk space, but the sizes are real.
    let big = dir.join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(101_000_000).unwrap();
    drop(file);
    assert_rejected(&dev(big.to_str().unwrap()), "is larger than 100 MB");
    // Exactly at the limit it is read (and is not JSON).
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(cli::MAX_SCENARIO_BYTES)
        .unwrap();
    assert_rejected(&dev(big.to_str().unwrap()), "not valid JSON");
    let _ = std::fs::remove_file(&big);
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo.json");
        let _ = std::fs::remove_file(&fifo);
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_rejected(
                &dev(fifo.to_str().unwrap()),
                "is a named pipe, not a regular file",
            );
            let _ = std::fs::remove_file(&fifo);
        } else {
            eprintln!("mkfifo failed; the named pipe case is skipped");
        }
    }
}

#[test]
fn help_lists_every_flag_the_parser_accepts() {
    let usage = cli::usage();
    for spec in FLAGS {
        assert!(
            usage.contains(spec.name),
            "{} missing from the help",
            spec.name
        );
        if let Some(short) = spec.short {
            assert!(usage.contains(short), "{short} missing from the help");
        }
        // The parser knows it: with a value where it needs one, it is no unknown flag.
        let mut args = vec!["run".to_string(), "x.json".into(), spec.name.into()];
        if spec.value.is_some() {
            args.push("1".into());
        }
        if let Err(problems) = cli::parse_args(&args) {
            assert!(
                problems.iter().all(|p| !p.contains("unknown flag")),
                "{problems:?}"
            );
        }
    }
    // A flag written into the parser by hand, outside FLAGS, would still be
    // caught: every "--flag" literal in cli.rs must appear in the help.
    let source = include_str!("../src/cli.rs");
    for literal in source.split('"').skip(1).step_by(2) {
        if let Some(rest) = literal.strip_prefix("--") {
            let flag: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !flag.is_empty() {
                assert!(
                    usage.contains(&format!("--{flag}")),
                    "--{flag} missing from the help"
                );
            }
        }
    }
    // MODEL.md's "Command line, continued", for `run`.
    for text in [
        "funnelsim run SCENARIO.json",
        "--trials N",
        "--seed S",
        "--samples FILE.csv",
        "--sensitivity",
        "--solve leads|conversion:STAGE",
        "--confidence C",
        "--threads N",
        "-h, --help",
        "funnelsim help",
    ] {
        assert!(
            usage.contains(text),
            "`{text}` missing from the help:\n{usage}"
        );
    }
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["run", "x.json", "--help"],
    ] {
        let out = funnelsim(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{usage}\n"));
        assert!(out.stderr.is_empty());
    }
}

#[test]
fn sensitivity_only_when_asked() {
    let r = reference();
    let plain = funnelsim(&["run", &r, "--trials", "300"]);
    assert!(plain.status.success());
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(
        v.get("sensitivity").is_none(),
        "no lever sweep without --sensitivity"
    );
    let swept = funnelsim(&["run", &r, "--trials", "300", "--sensitivity"]);
    assert!(swept.status.success());
    let w: serde_json::Value = serde_json::from_slice(&swept.stdout).unwrap();
    let levers = w["sensitivity"].as_array().unwrap();
    assert!(levers.len() >= 10);
    assert!(levers[0]["revenue_delta"]["mean"].is_number());
    // The sweep adds a field and changes nothing else.
    let mut w = w;
    w.as_object_mut().unwrap().remove("sensitivity");
    assert_eq!(v, w);
}

#[test]
fn any_number_of_threads_gives_the_same_bytes() {
    let team = format!(
        "{}/../scenarios/team-50-reps.json",
        env!("CARGO_MANIFEST_DIR")
    );
    // 2,500 trials: two full chunks and a part, so the threads really share the work.
    for (scenario, extra) in [
        (reference(), &["--sensitivity", "--solve", "leads"][..]),
        (team, &["--sensitivity"][..]),
    ] {
        let run = |threads: &str| {
            let mut args = vec!["run", &scenario, "--trials", "2500", "--seed", "3"];
            args.extend_from_slice(extra);
            args.extend(["--threads", threads]);
            let out = funnelsim(&args);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let one = run("1");
        assert_eq!(one, run("4"), "{scenario}: 1 thread vs 4");
        let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
        assert!(v["sensitivity"].as_array().is_some_and(|a| !a.is_empty()));
    }
}

fn goal_of(json: &str, extra: &[&str]) -> serde_json::Value {
    let path = temp(&format!("goal-{}.json", extra.len()), json);
    let mut args = vec![
        "run",
        path.to_str().unwrap(),
        "--trials",
        "300",
        "--solve",
        "leads",
    ];
    args.extend_from_slice(extra);
    let out = funnelsim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["goal"].clone()
}

#[test]
fn the_lead_search_stays_within_the_models_limit() {
    // 1e11 leads a month: twenty times that is past the limit of 1e12.
    let big = scenario_with(|v| v["leads"]["per_month"] = 1e11.into());
    let limit = Scenario::from_json(&big).unwrap().max_leads_per_month();
    let g = goal_of(&big, &[]);
    assert_eq!(g["reachable"], true, "{g}");
    assert!(g["value"].as_f64().unwrap() < 1e11);
    // A target no volume within the limit reaches: the answer says the limit stopped it.
    let unreachable = scenario_with(|v| {
        v["leads"]["per_month"] = 1e11.into();
        v["deal_size"] = serde_json::json!({ "median": 1, "p90": 2 });
        v["target"]["revenue"] = 1e15.into();
    });
    let g = goal_of(&unreachable, &["--threads", "2"]);
    assert_eq!(g["reachable"], false, "{g}");
    let value = g["value"].as_f64().unwrap();
    assert!(
        value <= limit && value > 0.999 * limit,
        "{value} vs {limit}"
    );
    assert!(
        g["message"].as_str().unwrap().contains("the model's limit"),
        "{g}"
    );
    // No leads today: the search still looks, up to 1,000 a month.
    let none = scenario_with(|v| {
        v["leads"]["per_month"] = 0.into();
        v["target"]["revenue"] = 2e6.into();
    });
    let g = goal_of(&none, &[]);
    assert_eq!(g["reachable"], true, "{g}");
    let value = g["value"].as_f64().unwrap();
    assert!(value > 0.0 && value <= 1_000.0, "{g}");
    // An unreachable answer short of the limit does not blame it.
    let far = scenario_with(|v| v["target"]["revenue"] = 1e15.into());
    let g = goal_of(&far, &[]);
    assert_eq!(g["reachable"], false);
    assert_eq!(g["value"], 20_000.0);
    assert!(!g["message"].as_str().unwrap().contains("limit"), "{g}");
}

#[test]
fn the_search_bound_is_a_valid_scenario_for_any_growth() {
    let base = Scenario::from_json(&std::fs::read_to_string(reference()).unwrap()).unwrap();
    for i in 0..400 {
        let mut s = base.clone();
        s.leads.growth_per_month = -0.5 + i as f64 * 0.013_7;
        s.horizon_months = 1 + (i % 60);
        s.leads.per_month = 1e11_f64.min(s.max_leads_per_month() * 0.5);
        let b = goal::bounds(&s, &GoalLever::Leads).unwrap();
        assert!(b.hi >= 1_000.0_f64.min(s.max_leads_per_month() * 0.99));
        assert!(b.hi <= s.max_leads_per_month());
        s.leads.per_month = b.hi;
        assert!(
            Simulation::new(&s, 1, 1).is_ok(),
            "growth {} over {} months: {}",
            s.leads.growth_per_month,
            s.horizon_months,
            b.hi
        );
    }
    assert!(goal::bounds(&base, &GoalLever::Conversion { stage: 99 }).is_err());
}

#[test]
fn samples_are_written_only_when_the_run_succeeds() {
    let csv = temp_dir().join("not-written.csv");
    let _ = std::fs::remove_file(&csv);
    let no_target = temp(
        "no-target.json",
        &scenario_with(|v| {
            v.as_object_mut().unwrap().remove("target");
        }),
    );
    let out = funnelsim(&[
        "run",
        no_target.to_str().unwrap(),
        "--trials",
        "10",
        "--solve",
        "leads",
        "--samples",
        csv.to_str().unwrap(),
    ]);
    assert_rejected(&out, "needs a target");
    assert!(!csv.exists());
}

fn exercise_file() -> String {
    format!(
        "{}/../scenarios/exercise-goal.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn key_rows(out: &Output) -> Vec<Vec<String>> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&out.stdout[..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_key_gives_each_student_the_answer_on_their_variant() {
    let students = temp(
        "students.txt",
        "Ana\n\n   Ben Okafor  \r\n\t\nchloé\n ANA \n=cmd\n",
    );
    let out = funnelsim(&[
        "key",
        &exercise_file(),
        "--students",
        students.to_str().unwrap(),
        "--trials",
        "300",
        "--seed",
        "3",
    ]);
    let rows = key_rows(&out);
    assert_eq!(
        rows[0],
        [
            "student",
            "answer",
            "leads.per_month",
            "stages[1].conversion"
        ]
    );
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    // " ANA " is Ana again: one student, one row.
    assert_eq!(names, ["Ana", "Ben Okafor", "chloé", "'=cmd"]);
    assert!(out.stdout.ends_with(b"\n") && !out.stdout.ends_with(b"\n\n"));
    let text = std::fs::read_to_string(exercise_file()).unwrap();
    let base = Scenario::from_json(&text).unwrap();
    let exercise = base.exercise.clone().unwrap();
    for row in &rows[1..] {
        // A name a spreadsheet would read as a formula is written defused.
        let name = row[0].strip_prefix('\'').unwrap_or(&row[0]);
        let variant = exercise.variant(&base, name).unwrap();
        // The answer is goal::solve on the student's variant, to the bit.
        let solved = goal::solve(
            &variant.scenario,
            &GoalLever::Conversion { stage: 3 },
            0.8,
            300,
            3,
        )
        .unwrap();
        assert!(solved.reachable);
        assert_eq!(row[1], format!("{}", solved.value), "{row:?}");
        // The columns hold the variant exactly: set them on the base funnel
        // and it is the variant again, so rerunning it reproduces the answer.
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["leads"]["per_month"] = serde_json::from_str(&row[2]).unwrap();
        v["stages"][1]["conversion"] = serde_json::from_str(&row[3]).unwrap();
        let rebuilt = Scenario::from_json(&v.to_string()).unwrap();
        assert_eq!(rebuilt, variant.scenario, "{row:?}");
        assert_eq!(
            exercise.question.answer(&rebuilt, 300, 3).unwrap(),
            solved.value
        );
        assert!(row[3].starts_with("{\"mean\":"), "{row:?}");
    }
    assert_eq!(rows[4][0], "'=cmd");
    assert_ne!(rows[1][2], rows[2][2]);
}

#[test]
fn the_key_runs_the_files_run_unless_told_and_any_threads_give_the_same_bytes() {
    let students = temp("students-2.txt", "Ana\nBen\n");
    let key = |extra: &[&str]| {
        let mut args = vec![
            "key",
            &exercise_file(),
            "--students",
            students.to_str().unwrap(),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = funnelsim(&args);
        key_rows(&out);
        out.stdout
    };
    // The file says 2,000 trials and seed 7.
    let default = key(&["--threads", "1"]);
    assert_eq!(
        default,
        key(&["--trials", "2000", "--seed", "7", "--threads", "3"])
    );
    assert_ne!(default, key(&["--trials", "2000", "--seed", "8"]));
}

#[test]
fn the_key_refuses_what_it_cannot_use() {
    let students = temp("students-3.txt", "Ana\n");
    let s = students.to_str().unwrap();
    let exercise = exercise_file();
    assert_rejected(
        &funnelsim(&["key", &reference(), "--students", s]),
        "has no exercise",
    );
    assert_rejected(&funnelsim(&["key", &exercise]), "--students: needed");
    assert_rejected(
        &funnelsim(&["key", "--students", s]),
        "missing SCENARIO.json",
    );
    assert_rejected(
        &funnelsim(&["key", &exercise, "--students", "/no/such/names.txt"]),
        "`/no/such/names.txt`: cannot read",
    );
    assert_rejected(
        &funnelsim(&["key", &exercise, "--students", s, "--samples", "x.csv"]),
        "--samples: only for `funnelsim run`",
    );
    assert_rejected(
        &funnelsim(&["run", &exercise, "--students", s]),
        "--students: only for `funnelsim key`",
    );
    let empty = temp("students-empty.txt", "\n  \n");
    assert_rejected(
        &funnelsim(&["key", &exercise, "--students", empty.to_str().unwrap()]),
        "has no names",
    );
    let long = temp(
        "students-long.txt",
        &format!("Ana\n\n{}\n", "x".repeat(201)),
    );
    assert_rejected(
        &funnelsim(&["key", &exercise, "--students", long.to_str().unwrap()]),
        "line 3: the name is longer than 200 characters",
    );
    let dir = temp_dir();
    assert_rejected(
        &funnelsim(&["key", &exercise, "--students", dir.to_str().unwrap()]),
        "is a directory",
    );
    // A bad exercise names its field, as any bad scenario does.
    let bad = temp(
        "bad-exercise.json",
        &std::fs::read_to_string(&exercise)
            .unwrap()
            .replace("\"stage\": \"Proposal\"", "\"stage\": \"Demo\""),
    );
    assert_rejected(
        &funnelsim(&["key", bad.to_str().unwrap(), "--students", s]),
        "exercise.question.stage: \"Demo\" is not a stage",
    );
}

#[test]
fn the_key_ends_quietly_on_a_closed_pipe() {
    let students = temp("students-4.txt", "Ana\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args([
            "key",
            &exercise_file(),
            "--students",
            students.to_str().unwrap(),
            "--trials",
            "200",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
