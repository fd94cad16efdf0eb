//! The classroom exercise on the page: what a student sees (`student`:
//! the task, their name and numbers, the answer and its code, and the locks
//! the form's fields read). The logic is plain, in `crate::classroom`.

pub mod student;
