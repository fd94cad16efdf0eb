//! Every sentence the results produce, as plain functions of engine data,
//! grouped by what they describe (tested natively). Numbers are formatted by
//! `crate::format`.

#[cfg(test)]
mod fixtures;
pub mod funnel;
pub mod goal;
pub mod headline;
pub mod levers;
pub mod milestones;
pub mod plans;
pub mod velocity;
