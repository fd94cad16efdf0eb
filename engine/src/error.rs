//! Errors that point at a field of the scenario, so the command line and the
//! app can both say exactly what to fix.

use std::fmt;

/// One problem with one field, e.g. `stages[2].conversion.sd: must be below 0.497`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path in the scenario format, e.g. `stages[2].conversion.sd` (empty for the whole file).
    pub path: String,
    pub message: String,
}

impl FieldError {
    /// The message's control characters are escaped here, once, so that no
    /// consumer (terminal, page) ever receives a raw ANSI escape or a newline
    /// that could forge a line of its own. The path is kept as given, so the app
    /// can match it to its fields; `Display` escapes it.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: escape_control(&message.into()),
        }
    }
}

/// `name` in double quotes, with quotes, backslashes and control characters
/// escaped: how every message shows a user's name or key.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.escape_debug())
}

/// `text` with every control character escaped as Rust writes it (`\n`,
/// `\u{1b}`); other characters, accented letters and the like, stay as they are.
pub fn escape_control(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", escape_control(&self.path), self.message)
        }
    }
}

impl std::error::Error for FieldError {}

/// Every problem found in a scenario, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<FieldError>);

impl ScenarioErrors {
    /// The first error whose path is `path` or lies inside it.
    pub fn at(&self, path: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| {
            e.path == path
                || e.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}
