//! The library as one JSON file, what Export writes, Import reads and the
//! browser stores (docs/model-notes.md, "The scenario library"):
//!
//! ```json
//! { "library": "funnel-simulator", "version": 1,
//!   "scenarios": [ <a scenario file, with its "run": {trials, seed}>, ... ] }
//! ```
//!
//! Each entry is exactly the file the toolbar's "Export JSON" writes
//! (`share::file`), so a scenario copied out of a library file by hand is a
//! scenario file. Reading is all or nothing: every problem is named, by
//! its place in the file, and nothing is added when there is one.

use serde_json::Value;

use crate::form::{DEFAULT_SEED, DEFAULT_TRIALS};
use crate::library::{Entry, MAX_ENTRIES};
use crate::share::file;

/// What `"library"` says, so that a file is known for what it is.
pub const KIND: &str = "funnel-simulator";
pub const VERSION: u64 = 1;
/// Files over this size are refused unread (the page would stall parsing
/// them); MAX_ENTRIES scenarios of the largest kind fit well inside.
pub const MAX_BYTES: f64 = 8e6;
/// At most this many problems are listed; the rest are counted.
const MAX_PROBLEMS: usize = 12;

/// Why a file is not a library: one line per problem, each naming its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryFileError(pub Vec<String>);

/// The library file's text for these entries.
pub fn write(entries: &[Entry]) -> String {
    let scenarios: Vec<Value> = entries
        .iter()
        .map(|e| {
            // The scenario file is JSON the engine wrote; it always reads back.
            serde_json::from_str(&file::export(&e.run)).unwrap_or(Value::Null)
        })
        .collect();
    let doc = serde_json::json!({
        "library": KIND,
        "version": VERSION,
        "scenarios": scenarios,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Reads a library file. A single scenario file (what "Export JSON"
/// writes) reads as a library of one.
pub fn read(text: &str) -> Result<Vec<Entry>, LibraryFileError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        LibraryFileError(vec![format!(
            "line {}, column {}: this is not JSON ({})",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )])
    })?;
    let Some(object) = doc.as_object() else {
        return Err(LibraryFileError(vec![
            "this is not a library file: it should be an object with \"library\": \"funnel-simulator\""
                .into(),
        ]));
    };
    let Some(kind) = object.get("library") else {
        if object.contains_key("stages") {
            return read_entry(text, "").map(|e| vec![e]).map_err(|mut lines| {
                lines.truncate(MAX_PROBLEMS);
                LibraryFileError(lines)
            });
        }
        return Err(LibraryFileError(vec![
            "this is not a library file: it has no \"library\": \"funnel-simulator\"".into(),
        ]));
    };
    let mut problems = Vec::new();
    if kind.as_str() != Some(KIND) {
        problems.push(format!(
            "library: {kind} is not \"{KIND}\"; this file is not a library of this app"
        ));
    }
    match object.get("version") {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) if v.as_u64().is_some_and(|n| n > VERSION) => problems.push(format!(
            "version: {v} was written by a newer version of this app, which reads version {VERSION}"
        )),
        Some(v) => problems.push(format!(
            "version: {v} is not a version this app reads ({VERSION})"
        )),
        None => problems.push(format!(
            "version: missing (this app reads version {VERSION})"
        )),
    }
    let scenarios = match object.get("scenarios") {
        Some(Value::Array(list)) if list.len() > MAX_ENTRIES => {
            problems.push(format!(
                "scenarios: {} scenarios; a library holds at most {MAX_ENTRIES}",
                list.len()
            ));
            &[][..]
        }
        Some(Value::Array(list)) => &list[..],
        Some(_) => {
            problems.push("scenarios: should be a list of scenarios".into());
            &[][..]
        }
        None => {
            problems.push("scenarios: missing".into());
            &[][..]
        }
    };
    if !problems.is_empty() {
        return Err(LibraryFileError(problems));
    }
    let mut entries = Vec::with_capacity(scenarios.len());
    for (i, value) in scenarios.iter().enumerate() {
        match read_entry(&value.to_string(), &format!("scenarios[{i}]")) {
            Ok(entry) => entries.push(entry),
            Err(lines) => problems.extend(lines),
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        let more = problems.len().saturating_sub(MAX_PROBLEMS);
        problems.truncate(MAX_PROBLEMS);
        if more > 0 {
            problems.push(format!("and {more} more problems"));
        }
        Err(LibraryFileError(problems))
    }
}

/// One scenario file, its problems' paths under `at`. Trials and seed a
/// file leaves out are the page's defaults: an entry always reruns the same.
fn read_entry(text: &str, at: &str) -> Result<Entry, Vec<String>> {
    file::import(text, (DEFAULT_TRIALS, DEFAULT_SEED))
        .map(|run| Entry { run })
        .map_err(|errors| {
            errors
                .0
                .iter()
                .map(|e| match (at.is_empty(), e.path.is_empty()) {
                    (true, _) => e.to_string(),
                    (false, true) => format!("{at}: {}", e.message),
                    (false, false) => format!("{at}.{}: {}", e.path, e.message),
                })
                .collect()
        })
}

/// serde_json's message without its " at line L column C" (said first).
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Library, test_run};

    fn library() -> Library {
        let mut l = Library::default();
        l.save(&test_run("Base", 1000.0)).unwrap();
        l.save(&test_run("More leads", 1100.0)).unwrap();
        let mut odd = test_run("Odd seed", 900.0);
        odd.seed = u64::MAX;
        odd.trials = 123;
        l.save(&odd).unwrap();
        l
    }

    #[test]
    fn a_library_reads_back_as_written() {
        let l = library();
        let text = write(l.entries());
        assert!(text.starts_with("{\n  \"library\": \"funnel-simulator\",\n  \"version\": 1,"));
        assert_eq!(read(&text).unwrap(), l.entries());
        assert_eq!(read(&write(&[])).unwrap(), []);
    }

    #[test]
    fn each_entry_is_a_scenario_file() {
        let l = library();
        let doc: Value = serde_json::from_str(&write(l.entries())).unwrap();
        let second = doc["scenarios"][2].to_string();
        let run = file::import(&second, (1, 1)).unwrap();
        assert_eq!(run, l.entries()[2].run);
        // And a scenario file imports as a library of one.
        let one = read(&file::export(&run)).unwrap();
        assert_eq!(one, [Entry { run }]);
    }

    fn problems(text: &str) -> Vec<String> {
        read(text).unwrap_err().0
    }

    #[test]
    fn bad_files_name_what_is_wrong() {
        let p = problems("{\"library\": \"funnel-simulator\",\n \"version\": 1, \"scenarios\": [}");
        assert!(
            p[0].starts_with("line 2, column 30: this is not JSON"),
            "{p:?}"
        );
        assert!(problems("[1, 2]")[0].contains("not a library file"));
        assert!(problems("{\"name\": \"x\"}")[0].contains("no \"library\""));
        assert_eq!(
            problems("{\"library\": \"x\", \"version\": 2, \"scenarios\": {}}"),
            [
                "library: \"x\" is not \"funnel-simulator\"; this file is not a library of this app",
                "version: 2 was written by a newer version of this app, which reads version 1",
                "scenarios: should be a list of scenarios",
            ]
        );
        let too_many = format!(
            "{{\"library\": \"funnel-simulator\", \"version\": 1, \"scenarios\": [{}]}}",
            vec!["{}"; MAX_ENTRIES + 1].join(",")
        );
        assert_eq!(
            problems(&too_many),
            ["scenarios: 201 scenarios; a library holds at most 200"]
        );
    }

    #[test]
    fn a_bad_scenario_is_named_by_its_place() {
        let l = library();
        let mut doc: Value = serde_json::from_str(&write(l.entries())).unwrap();
        doc["scenarios"][1]["stages"][0]["conversion"] = serde_json::json!(1.5);
        doc["scenarios"][2]["run"]["trials"] = serde_json::json!(0);
        let p = problems(&doc.to_string());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("scenarios[1].stages[0].conversion: "),
            "{p:?}"
        );
        assert!(p[1].starts_with("scenarios[2].run.trials: "), "{p:?}");
        // Many bad entries: the list stays short.
        let mut doc: Value = serde_json::from_str(&write(&[])).unwrap();
        doc["scenarios"] = Value::Array(vec![serde_json::json!({}); 30]);
        let p = problems(&doc.to_string());
        assert_eq!(p.len(), MAX_PROBLEMS + 1);
        assert!(p[MAX_PROBLEMS].starts_with("and "), "{p:?}");
    }
}
