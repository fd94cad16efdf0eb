//! The form: the scenario's fields, seasonality, stage cards, team, plans and milestones.
//! Each field is bound to one part of `ui::state::Ctx::draft`.

pub mod fields;
pub mod form;
pub mod milestones;
pub mod plans;
pub mod seasonality;
pub mod stages;
pub mod team;
