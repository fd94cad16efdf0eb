//! `funnelsim` as a user runs it: exit codes, messages on stderr, nothing on stdout on error.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn funnelsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(args)
        .output()
        .expect("funnelsim runs")
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("funnelsim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn reference() -> String {
    format!("{}/../scenarios/reference.json", env!("CARGO_MANIFEST_DIR"))
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
