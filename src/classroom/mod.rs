//! The classroom exercise as the student's page sees it, as plain logic:
//! which fields are locked (`lock`), the student's case, name and variant
//! and the words for their numbers (`student`), and their answer and its
//! code (`answer`). The engine owns the exercise itself
//! (`funnel_engine::exercise`); the components are in `ui::classroom`.

pub mod answer;
pub mod lock;
pub mod student;
