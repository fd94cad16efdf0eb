//! The classroom on the page: what a student sees (`student`: the task,
//! their name and numbers, the answer and its code, and the locks the
//! form's fields read) and the trainer's panel (`trainer`, `trainer_form`,
//! `key`, `debrief`, `qr`). The logic is plain, in `crate::classroom`.

pub mod debrief;
pub mod key;
pub mod qr;
pub mod student;
pub mod trainer;
pub mod trainer_form;
