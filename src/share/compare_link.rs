//! A comparison in the URL fragment (docs/model-notes.md, "The comparison
//! link"): `#compare=1&seed=S&trials=N&c=<scenario>&c=<scenario>[...]`,
//! 2 to 4 scenarios in the order compared, each the base64url of its compact
//! JSON as in a scenario link (`share::link`). All run on the one seed and
//! trials, as a comparison does.
//!
//! `compare=` and `c=` are keys of their own, so a scenario link
//! (`v=1&...&s=`) never reads as a comparison and a comparison never as a
//! scenario link: a build without comparisons opens one as a plain visit. A fragment is bounded
//! (`MAX_FRAGMENT`) before anything is decoded, so a hostile link costs no
//! more than a long one.

use funnel_engine::{ErrorKind, Scenario};

use crate::form::{MAX_APP_TRIALS, Run};
use crate::share::base64url;
use crate::share::link::{CUT_SHORT, LinkError};

pub const COMPARE_VERSION: u32 = 1;
/// Fewest and most scenarios a comparison holds (the engine's `compare`).
pub const MIN_SCENARIOS: usize = 2;
pub const MAX_SCENARIOS: usize = 4;
/// Longest fragment read: four large scenarios fit well inside, and some
/// browsers and chat apps cut links far shorter anyway.
pub const MAX_FRAGMENT: usize = 256 * 1024;

/// The fragment for runs compared, starting with `#`: the first run's seed
/// and trials stand for all.
pub fn encode(runs: &[Run]) -> String {
    let (seed, trials) = runs.first().map_or((0, 0), |r| (r.seed, r.trials));
    let mut fragment = format!("#compare={COMPARE_VERSION}&seed={seed}&trials={trials}");
    for run in runs {
        fragment.push_str("&c=");
        fragment.push_str(&base64url::encode(run.scenario.to_json().as_bytes()));
    }
    fragment
}

/// Whether a fragment is a comparison's (whatever its state).
pub fn is_compare(fragment: &str) -> bool {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .split('&')
        .any(|pair| pair == "compare" || pair.starts_with("compare="))
}

/// Reads a comparison's fragment: `Ok(None)` when it is not one, else the
/// runs (each with the link's seed and trials) or every problem found.
pub fn decode(fragment: &str) -> Result<Option<Vec<Run>>, LinkError> {
    if !is_compare(fragment) {
        return Ok(None);
    }
    if fragment.len() > MAX_FRAGMENT {
        return Err(LinkError(vec![format!(
            "this comparison link is {} KB long; the page reads comparison links up to {} KB",
            fragment.len() / 1024,
            MAX_FRAGMENT / 1024
        )]));
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut problems = Vec::new();
    let (mut version, mut seed, mut trials) = (None, None, None);
    let mut data = Vec::new();
    for pair in fragment.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "compare" => version = Some(value),
            "seed" => seed = Some(value),
            "trials" => trials = Some(value),
            "c" => data.push(value),
            _ => {}
        }
    }
    if version != Some(COMPARE_VERSION.to_string().as_str()) {
        problems.push(format!(
            "it was made by a different version of this app (compare={})",
            version.unwrap_or("")
        ));
    }
    let seed = match seed.map(str::parse::<u64>) {
        Some(Ok(s)) => s,
        Some(Err(_)) | None => {
            problems.push(format!(
                "the seed \"{}\" is not a whole number",
                seed.unwrap_or("")
            ));
            0
        }
    };
    let trials = match trials.map(str::parse::<u64>) {
        Some(Ok(n)) if (1..=MAX_APP_TRIALS).contains(&n) => n,
        _ => {
            problems.push(format!(
                "the number of trials \"{}\" is not from 1 to 1,000,000",
                trials.unwrap_or("")
            ));
            0
        }
    };
    if !(MIN_SCENARIOS..=MAX_SCENARIOS).contains(&data.len()) {
        problems.push(format!(
            "a comparison holds {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios; this link has {}",
            data.len()
        ));
        return Err(LinkError(problems));
    }
    let mut runs = Vec::with_capacity(data.len());
    let mut damaged = false;
    for (i, s) in data.iter().enumerate() {
        let which = i + 1;
        let json = base64url::decode(s)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "the scenario data is not text".into()));
        match json {
            Err(detail) => {
                damaged = true;
                problems.push(format!("Technical detail: scenario {which}: {detail}"));
            }
            Ok(json) => match Scenario::from_json(&json) {
                Ok(scenario) => runs.push(Run {
                    scenario,
                    trials,
                    seed,
                }),
                Err(errors) => match errors.0.iter().find(|e| e.kind == ErrorKind::Syntax) {
                    Some(syntax) => {
                        damaged = true;
                        problems.push(format!(
                            "Technical detail: scenario {which}: {}",
                            syntax.message
                        ));
                    }
                    None => problems.extend(
                        errors
                            .0
                            .iter()
                            .take(8)
                            .map(|e| format!("scenario {which} ({}): {e}", short_name(&json))),
                    ),
                },
            },
        }
    }
    if damaged {
        problems.insert(0, CUT_SHORT.into());
    }
    if problems.is_empty() {
        Ok(Some(runs))
    } else {
        Err(LinkError(problems))
    }
}

/// The scenario's name as its JSON says, for a message (at most 40 characters).
fn short_name(json: &str) -> String {
    let name = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "unnamed".into());
    name.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::link;

    fn runs() -> Vec<Run> {
        crate::share::presets::PRESETS
            .iter()
            .take(3)
            .map(|p| Run {
                scenario: p.scenario(),
                trials: 4_000,
                seed: 77,
            })
            .collect()
    }

    #[test]
    fn round_trips_and_stays_apart_from_scenario_links() {
        let r = runs();
        let fragment = encode(&r);
        assert!(fragment.starts_with("#compare=1&seed=77&trials=4000&c="));
        assert!(
            fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"#=&-_".contains(&b))
        );
        assert_eq!(decode(&fragment).unwrap().unwrap(), r);
        // A scenario link is not a comparison, and a comparison is no scenario link.
        let single = link::encode(&r[0]);
        assert!(!is_compare(&single));
        assert_eq!(decode(&single), Ok(None));
        assert_eq!(link::decode(&fragment), Ok(None));
        assert_eq!(decode(""), Ok(None));
        // The first run's seed and trials stand for all.
        let mut mixed = r.clone();
        mixed[1].seed = 5;
        assert_eq!(decode(&encode(&mixed)).unwrap().unwrap(), r);
    }

    #[test]
    fn hostile_and_damaged_links_are_refused_with_a_reason() {
        let r = runs();
        let good = encode(&r);
        let one = encode(&r[..1]);
        assert_eq!(
            decode(&one).unwrap_err().0,
            ["a comparison holds 2 to 4 scenarios; this link has 1"]
        );
        let five = format!("{good}&c=a&c=b");
        assert!(decode(&five).unwrap_err().0[0].contains("this link has 5"));
        let cut = &good[..good.len() - 7];
        let e = decode(cut).unwrap_err().0;
        assert_eq!(e[0], CUT_SHORT);
        assert!(e[1].starts_with("Technical detail: scenario 3: "), "{e:?}");
        let e = decode("#compare=2&seed=x&trials=0&c=&c=").unwrap_err().0;
        assert!(e[1].contains("compare=2"), "{e:?}");
        assert!(e[2].contains("\"x\""), "{e:?}");
        assert!(e[3].contains("\"0\""), "{e:?}");
        let huge = format!("#compare=1&c={}", "A".repeat(MAX_FRAGMENT));
        assert!(decode(&huge).unwrap_err().0[0].contains("up to 256 KB"));
        // Many keys, no scenarios: refused at once.
        let keys = format!("#compare=1{}", "&x".repeat(100_000));
        assert!(decode(&keys).is_err());
        // A valid JSON scenario that fails validation names the scenario and field.
        let mut bad = r[0].scenario.clone();
        bad.horizon_months = 0;
        let fragment = format!(
            "{}&c={}",
            encode(&r[..1]),
            base64url::encode(bad.to_json().as_bytes())
        );
        let e = decode(&fragment).unwrap_err().0;
        assert!(
            e[0].starts_with("scenario 2 (B2B SaaS): horizon_months"),
            "{e:?}"
        );
    }
}
