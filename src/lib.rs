//! The browser app: a sales leader describes their funnel and sees a Monte
//! Carlo revenue forecast, recomputed in the page.
//!
//! Plain logic lives in small modules with one job each (`draft`, `link`,
//! `base64url`, `insights`, `job`, `presets`, `bench`); `browser` holds the few
//! calls into the browser; `ui` holds the components.

pub mod base64url;
pub mod bench;
pub mod browser;
pub mod charts;
pub mod draft;
pub mod format;
pub mod goal_search;
pub mod insights;
pub mod job;
pub mod lever_insights;
pub mod levers_job;
pub mod link;
pub mod plan_insights;
pub mod presets;
pub mod run;
pub mod ui;

pub use ui::App;
