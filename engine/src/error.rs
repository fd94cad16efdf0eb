//! Errors that point at a field of the scenario, so the command line and the
//! app can both say exactly what to fix.

use std::fmt;

/// One problem with one field, e.g. `stages[2].conversion.sd: must be below 0.497`.
///
/// `message` is what people read (the command line prints `path: message`);
/// `kind` is what programs read: the app words the problem in its own terms
/// from the kind and the path, never from the message's text.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Path in the scenario format, e.g. `stages[2].conversion.sd` (empty for the whole file).
    pub path: String,
    /// Which rule the field breaks, with the numbers a message about it needs.
    pub kind: ErrorKind,
    /// What is wrong, in words (control characters escaped).
    pub message: String,
}

/// Which rule a field breaks. The numbers are those of the rule as the engine
/// applied it (a bound, the limit a spread must stay below), so a caller that
/// words its own message need not work them out again from its input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorKind {
    /// The file is not JSON.
    Syntax,
    /// A field of the wrong type or shape: not a number, a whole number, text,
    /// an object or a list where the format wants one.
    WrongType,
    /// Text that is none of the words the field allows (`"poisson"` or `"fixed"`).
    NotOneOf,
    /// A required field is absent (or `null`).
    Missing,
    /// A field the format does not have (a typo must not be silently ignored).
    UnknownField,
    /// A list (or map) longer than the format allows; refused whole.
    TooMany {
        /// The most entries allowed.
        max: usize,
    },
    /// A format version this program does not read.
    Version {
        /// The version it reads.
        supported: u32,
    },
    /// The value must lie in `min..=max`.
    OutOfRange {
        /// The least value allowed.
        min: f64,
        /// The greatest value allowed.
        max: f64,
    },
    /// The value must be `min` or more.
    AtLeast {
        /// The least value allowed.
        min: f64,
    },
    /// The value must be above `min`.
    Above {
        /// The value must be greater than this.
        min: f64,
    },
    /// The value must be `max` or less.
    AtMost {
        /// The greatest value allowed.
        max: f64,
    },
    /// The value must be a rate from 0 to 1.
    NotARate,
    /// A conversion's standard deviation too wide for its mean: it must stay
    /// below `limit`, which is `sqrt(mean * (1 - mean))`.
    SpreadTooWide {
        /// The conversion's mean rate.
        mean: f64,
        /// The standard deviation must be below this.
        limit: f64,
    },
    /// Blank text or an empty list where something is needed.
    Empty,
    /// A name (or month) an earlier entry of the same list already has.
    NotUnique,
    /// A stage name that is not a stage of the funnel.
    NotAStage,
    /// Incentive plans without a team to pay.
    NeedsTeam,
    /// The first commission band does not start at 0.
    FirstBandNotAtZero,
    /// The field takes lead volume past the limit of a trillion a month
    /// within the horizon.
    LeadsPastLimit {
        /// The largest value the field may take here, when there is one to
        /// give (a plan's lead uplift; growth has none, the horizon decides).
        most: Option<f64>,
    },
    /// Text longer than the format allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A field path that names no input of this scenario (an exercise's
    /// `editable` or `variants`: a stage it does not have, a target it lacks).
    NotAnInput,
    /// An input an exercise's variants cannot move (not a number, or not one
    /// the model lets vary per student).
    CannotVary,
    /// A question that needs the scenario's target (`target.revenue`).
    NeedsTarget,
    /// Not a rule of the scenario format: a run refused for its settings, a
    /// background worker that failed, a message its caller has worded itself.
    Other,
}

impl FieldError {
    /// A problem of kind `Other`: one that is not about the scenario format
    /// (see `with_kind` for the rest).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::with_kind(path, ErrorKind::Other, message)
    }

    /// A problem of this kind at `path`.
    ///
    /// The message's control characters are escaped here, once, so that no
    /// consumer (terminal, page) ever receives a raw ANSI escape or a newline
    /// that could forge a line of its own. The path is kept as given, so the app
    /// can match it to its fields; `Display` escapes it.
    pub fn with_kind(path: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            kind,
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
#[derive(Clone, Debug, PartialEq)]
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
