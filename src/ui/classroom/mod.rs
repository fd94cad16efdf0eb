//! The classroom: the trainer's panel (`trainer`, `trainer_form`, `key`,
//! `debrief`, `qr`). The student's side lives beside it.

pub mod debrief;
pub mod key;
pub mod qr;
pub mod trainer;
pub mod trainer_form;
