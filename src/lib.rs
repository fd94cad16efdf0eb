//! The browser app: a sales leader describes their funnel and sees a Monte
//! Carlo revenue forecast, computed in the page's workers.
//!
//! The folders are the layers, each using only those before it in this
//! list: `format` (money, percent and counts as people read them), `form`
//! (the typed text of the form and the scenario it reads as), `share` (the
//! scenario in and out of the page: links, presets), `library` (scenarios
//! saved in the browser, their file and their keeping), `run` (where trials
//! run: the worker pool, or the page), `jobs` (what the page asks for: the
//! headline run, the lever sweep, the goal search), `classroom` (the
//! exercise as plain logic: a student's locks, variant and answer; the
//! trainer's exercise, answer key and debrief), `charts` (geometry as pure
//! functions, components that only draw), `words` (every sentence the
//! results produce, and the rows of their tables and charts), `ui`
//! (components, and in `ui::state` the signals and the controller).
//! `browser` holds the few calls into the browser; `bench` is the `?bench`
//! page.

pub mod bench;
pub mod browser;
pub mod calibration;
pub mod charts;
pub mod classroom;
pub mod form;
pub mod format;
pub mod jobs;
pub mod library;
pub mod run;
pub mod share;
pub mod ui;
pub mod words;

pub use ui::App;
