//! The scenario in the page's URL fragment (which browsers never send to a
//! server): `#v=1&seed=S&trials=N&s=<base64url of the compact scenario JSON>`.
//!
//! Some keys are not part of the run: `workers=N` sets the size of the
//! page's worker pool (tests and benchmarks), and the view flags (`view=`,
//! `edit=`, `theme=`, `share::flags`) say how the page looks. `decode`
//! ignores them like any unknown key, and `encode_keeping` carries them over
//! when the app rewrites the URL. `student=NAME` (MODEL.md, "Links")
//! pre-fills a student's name in an exercise; `decode` ignores it too, and
//! `encode_student` writes it.

use funnel_engine::{ErrorKind, Scenario};

use crate::form::{DEFAULT_SEED, DEFAULT_TRIALS, MAX_APP_TRIALS, Run};
use crate::share::base64url;

pub const LINK_VERSION: u32 = 1;

/// The fragment for a run, starting with `#`.
pub fn encode(run: &Run) -> String {
    format!(
        "#v={LINK_VERSION}&seed={}&trials={}&s={}",
        run.seed,
        run.trials,
        base64url::encode(run.scenario.to_json().as_bytes())
    )
}

/// The fragment for a run, keeping the view flags and `workers=N` of
/// `current` (the fragment being replaced) so that an edit does not lose
/// them. Flags the page does not know are not carried over.
pub fn encode_keeping(run: &Run, current: &str) -> String {
    let mut fragment = encode(run);
    fragment.push_str(&crate::share::flags::read(current).0.to_fragment());
    if let Some(n) = workers(current) {
        fragment.push_str(&format!("&workers={n}"));
    }
    fragment
}

/// The `workers=N` of a fragment, when N is a whole number.
pub fn workers(fragment: &str) -> Option<usize> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .split('&')
        .filter_map(|pair| pair.strip_prefix("workers="))
        .find_map(|n| n.parse::<usize>().ok())
}

/// What `student=` escapes: everything but letters, digits and `-._~`, so
/// that a name with `&`, `=`, `#`, spaces or accents stays one value.
const NAME_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The fragment for a student's view of an exercise: the case as it was
/// given (`run`), the `workers=N` of `current`, and the student's name when
/// there is one. The name is the last key, so an older build reads the
/// rest as before.
pub fn encode_student(run: &Run, name: &str, current: &str) -> String {
    let mut fragment = encode_keeping(run, current);
    if !name.trim().is_empty() {
        fragment.push_str(&student_param(name));
    }
    fragment
}

/// The `student=NAME` of a fragment, percent-decoded (a `+` read as a
/// space, as in a form's query), or `None` when absent, blank or not text.
pub fn student(fragment: &str) -> Option<String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let raw = fragment
        .split('&')
        .filter_map(|pair| pair.strip_prefix("student="))
        .next_back()?
        .replace('+', " ");
    let name = percent_encoding::percent_decode_str(&raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    (!name.trim().is_empty()).then_some(name)
}

/// The `&student=NAME` of a student's exercise link (MODEL.md "Links"): the
/// name in UTF-8 with every byte but `A-Z a-z 0-9 - . _ ~` percent-encoded
/// (a space as `%20`), so that no `&`, `#`, `=` or space in a name can
/// break the fragment; `student` (and `decodeURIComponent`) read it back.
pub fn student_param(name: &str) -> String {
    format!(
        "&student={}",
        percent_encoding::utf8_percent_encode(name, NAME_ESCAPED)
    )
}

/// Why a link could not be read: one line per problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub Vec<String>);

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

/// Reads a fragment (with or without its `#`). `Ok(None)` when the fragment
/// holds no scenario at all (a plain visit).
pub fn decode(fragment: &str) -> Result<Option<Run>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.trim().is_empty() {
        return Ok(None);
    }
    let mut version = None;
    let mut seed = None;
    let mut trials = None;
    let mut data = None;
    for pair in fragment.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "v" => version = Some(value),
            "seed" => seed = Some(value),
            "trials" => trials = Some(value),
            "s" => data = Some(value),
            _ => {}
        }
    }
    let mut problems = Vec::new();
    if version.is_none() && data.is_none() {
        return Ok(None);
    }
    match version {
        Some(v) if v == LINK_VERSION.to_string() => {}
        Some(v) => problems.push(format!(
            "it was made by a different version of this app (v={v})"
        )),
        None => problems.push("it has no version (v=1)".into()),
    }
    let seed = match seed {
        None => DEFAULT_SEED,
        Some(s) => s.parse::<u64>().unwrap_or_else(|_| {
            problems.push(format!("the seed \"{s}\" is not a whole number"));
            DEFAULT_SEED
        }),
    };
    let trials = match trials {
        None => DEFAULT_TRIALS,
        Some(t) => match t.parse::<u64>() {
            Ok(n) if (1..=MAX_APP_TRIALS).contains(&n) => n,
            _ => {
                problems.push(format!(
                    "the number of trials \"{t}\" is not from 1 to 1,000,000"
                ));
                DEFAULT_TRIALS
            }
        },
    };
    let scenario = match data {
        None => {
            problems.push("it holds no scenario (s=...)".into());
            None
        }
        Some(s) => match base64url::decode(s) {
            Err(e) => {
                cut_short(&mut problems, &e.to_string());
                None
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => {
                    cut_short(&mut problems, "the scenario data is not text");
                    None
                }
                Ok(json) => match Scenario::from_json(&json) {
                    Ok(s) => Some(s),
                    Err(errors) => {
                        match errors.0.iter().find(|e| e.kind == ErrorKind::Syntax) {
                            Some(syntax) => cut_short(&mut problems, &syntax.message),
                            None => {
                                problems.extend(errors.0.iter().map(|e| format!("scenario {e}")))
                            }
                        }
                        None
                    }
                },
            },
        },
    };
    match scenario {
        Some(scenario) if problems.is_empty() => Ok(Some(Run {
            scenario,
            trials,
            seed,
        })),
        _ => Err(LinkError(problems)),
    }
}

/// What a link that no longer reads as JSON says: in the user's words first
/// (a copy that lost its end is by far the likeliest cause), the parser's
/// words second, for whoever fixes it by hand.
pub const CUT_SHORT: &str = "This link is cut short or damaged: it was probably truncated when it was copied. Copy the whole link again from where it was shared.";

fn cut_short(problems: &mut Vec<String>, detail: &str) {
    problems.push(CUT_SHORT.into());
    problems.push(format!("Technical detail: {detail}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> Run {
        Run {
            scenario: Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap(),
            trials: 12_345,
            seed: 987_654_321_012,
        }
    }

    #[test]
    fn round_trips_exactly() {
        let r = run();
        let link = encode(&r);
        assert!(link.starts_with("#v=1&seed=987654321012&trials=12345&s="));
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"#=&-_".contains(&b))
        );
        assert_eq!(decode(&link).unwrap().unwrap(), r);
        assert_eq!(decode(&link[1..]).unwrap().unwrap(), r);
        for p in &crate::share::presets::PRESETS {
            let r = Run {
                scenario: p.scenario(),
                trials: p.trials,
                seed: p.seed,
            };
            assert_eq!(decode(&encode(&r)).unwrap().unwrap(), r);
        }
    }

    #[test]
    fn a_students_name_is_percent_encoded() {
        assert_eq!(student_param("Ana"), "&student=Ana");
        assert_eq!(
            student_param("Zoë O'Brien & co=#1"),
            "&student=Zo%C3%AB%20O%27Brien%20%26%20co%3D%231"
        );
        // A student's link still reads as the run it extends.
        let r = run();
        let link = format!("{}{}", encode(&r), student_param("Ben"));
        assert_eq!(decode(&link).unwrap().unwrap(), r);
    }

    #[test]
    fn the_worker_count_is_kept_and_ignored_by_decode() {
        let r = run();
        let with = format!("{}&workers=2", encode(&r));
        assert_eq!(workers(&with), Some(2));
        assert_eq!(decode(&with).unwrap().unwrap(), r);
        assert_eq!(workers("#workers=16"), Some(16));
        assert_eq!(decode("#workers=3"), Ok(None), "no scenario: a plain visit");
        assert_eq!(workers(&encode(&r)), None);
        assert_eq!(workers("#workers=two"), None);
        let other = Run {
            seed: 5,
            ..r.clone()
        };
        let rewritten = encode_keeping(&other, &with);
        assert!(rewritten.ends_with("&workers=2"), "{rewritten}");
        assert_eq!(decode(&rewritten).unwrap().unwrap(), other);
        assert_eq!(encode_keeping(&other, &encode(&r)), encode(&other));
        // Junk in the key is not carried over.
        assert_eq!(
            encode_keeping(&other, "#workers=1;alert(1)"),
            encode(&other)
        );
    }

    #[test]
    fn a_students_name_rides_along_and_old_readers_ignore_it() {
        let r = run();
        for name in ["Ana", "Ana María López", "a&b=c#d+e%f", "Zoë 李", "  Ben "] {
            let link = encode_student(&r, name, "#workers=2");
            assert_eq!(student(&link).as_deref(), Some(name), "{link}");
            assert_eq!(decode(&link).unwrap().unwrap(), r, "{link}");
            assert_eq!(workers(&link), Some(2));
            assert!(
                link.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"#=&-_%.~".contains(&b)),
                "{link}"
            );
        }
        // No name, no key: the link is the case's.
        assert_eq!(encode_student(&r, " ", ""), encode(&r));
        assert_eq!(student(&encode(&r)), None);
        // Typed by hand: + as a space, blank or broken as none.
        assert_eq!(
            student("#v=1&student=Ana+Lopez").as_deref(),
            Some("Ana Lopez")
        );
        assert_eq!(student("#student=%20"), None);
        assert_eq!(student("#student=%FF"), None);
        assert_eq!(student("#student=Ana&student=Ben").as_deref(), Some("Ben"));
    }

    #[test]
    fn the_view_flags_are_kept_and_ignored_by_decode() {
        let r = run();
        let with = format!(
            "{}&view=histogram&edit=leads.per_month,stages[2].conversion&theme=dark&workers=3",
            encode(&r)
        );
        assert_eq!(decode(&with).unwrap().unwrap(), r);
        let other = Run {
            seed: 5,
            ..r.clone()
        };
        let rewritten = encode_keeping(&other, &with);
        assert_eq!(
            rewritten,
            format!(
                "{}&view=histogram&edit=leads.per_month,stages[2].conversion&theme=dark&workers=3",
                encode(&other)
            )
        );
        assert_eq!(decode(&rewritten).unwrap().unwrap(), other);
        // Unknown values are dropped when the page rewrites the link.
        let odd = format!("{}&view=charts&theme=dark", encode(&r));
        assert_eq!(
            encode_keeping(&other, &odd),
            format!("{}&theme=dark", encode(&other))
        );
    }

    #[test]
    fn empty_fragment_is_no_link() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#"), Ok(None));
        assert_eq!(decode("#results"), Ok(None));
    }

    #[test]
    fn defaults_for_missing_seed_and_trials() {
        let r = run();
        let s = base64url::encode(r.scenario.to_json().as_bytes());
        let decoded = decode(&format!("#v=1&s={s}")).unwrap().unwrap();
        assert_eq!((decoded.trials, decoded.seed), (10_000, 1));
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let link = encode(&run());
        let cut = &link[..link.len() - 7];
        let err = decode(cut).unwrap_err();
        assert!(
            err.to_string().contains("cut short") || err.to_string().contains("scenario"),
            "{err}"
        );

        assert!(
            decode("#v=2&s=e30")
                .unwrap_err()
                .to_string()
                .contains("different version")
        );
        assert!(
            decode("#v=1&s=!!")
                .unwrap_err()
                .to_string()
                .contains("damaged")
        );

        let s = base64url::encode(br#"{"version":1,"horizon_months":12}"#);
        let err = decode(&format!("#v=1&s={s}")).unwrap_err();
        assert!(err.0.iter().any(|m| m.contains("leads")), "{err}");

        // Cut short inside the JSON: the plain words first, the parser's after.
        let json = run().scenario.to_json();
        let cut = format!(
            "#v=1&s={}",
            base64url::encode(&json.as_bytes()[..json.len() / 2])
        );
        let err = decode(&cut).unwrap_err();
        assert_eq!(err.0[0], CUT_SHORT, "{err}");
        assert!(
            err.0[1].starts_with("Technical detail: not valid JSON: EOF"),
            "{err}"
        );
        assert_eq!(err.0.len(), 2, "{err}");

        let good = encode(&run()).replace("trials=12345", "trials=1000001");
        assert!(decode(&good).unwrap_err().to_string().contains("trials"));
    }
}
