//! What-ifs the user applied (a lever, a goal's answer), the latest last, and
//! how each is taken back: Undo restores the form as it was, and Back to the
//! link before it takes it away. Plain data, tested natively.

use std::sync::Arc;

use crate::form::{Draft, Run};

/// Which panel applied a what-if.
#[derive(Clone, Debug, PartialEq)]
pub enum WhatIfSource {
    /// Lever `index` of the levers computed for `run`.
    Lever {
        index: usize,
        run: Arc<Run>,
    },
    Goal,
}

/// A what-if the user applied, and how to take it back.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The form before the what-if, restored by "Undo what-if".
    pub before: Draft,
    /// What that form read as (when Back returns to it, the what-if is gone).
    pub before_run: Option<Run>,
    pub label: String,
    pub source: WhatIfSource,
}

/// The stack of applied what-ifs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WhatIfs(Vec<WhatIf>);

impl WhatIfs {
    pub fn push(&mut self, what_if: WhatIf) {
        self.0.push(what_if);
    }

    /// The latest what-if.
    pub fn last(&self) -> Option<&WhatIf> {
        self.0.last()
    }

    /// Undo: the latest what-if, taken off (its `before` is the form to restore).
    pub fn undo(&mut self) -> Option<WhatIf> {
        self.0.pop()
    }

    /// Back (or forward) landed on `run`: if that is the form the latest
    /// what-if replaced, the what-if is gone. Returns whether it was.
    pub fn returned_to(&mut self, run: &Run) -> bool {
        let back = self
            .0
            .last()
            .is_some_and(|w| w.before_run.as_ref() == Some(run));
        if back {
            self.0.pop();
        }
        back
    }

    /// The latest what-if applied by the goal panel (`goal`) or by a lever.
    pub fn latest_from(&self, goal: bool) -> Option<&WhatIf> {
        self.0
            .last()
            .filter(|w| matches!(w.source, WhatIfSource::Goal) == goal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::test_run as run;

    fn what_if(before: &Run, label: &str, source: WhatIfSource) -> WhatIf {
        WhatIf {
            before: Draft::from_scenario(&before.scenario, before.trials, before.seed),
            before_run: Some(before.clone()),
            label: label.into(),
            source,
        }
    }

    #[test]
    fn undo_restores_the_form_before_the_latest() {
        let (a, b) = (run(1000.0), run(1100.0));
        let mut w = WhatIfs::default();
        w.push(what_if(&a, "first", WhatIfSource::Goal));
        w.push(what_if(
            &b,
            "second",
            WhatIfSource::Lever {
                index: 0,
                run: Arc::new(b.clone()),
            },
        ));
        assert!(w.latest_from(false).is_some());
        assert!(
            w.latest_from(true).is_none(),
            "the goal's is not the latest"
        );
        let undone = w.undo().unwrap();
        assert_eq!(undone.label, "second");
        assert_eq!(undone.before.to_run().unwrap(), b);
        assert_eq!(w.latest_from(true).unwrap().label, "first");
    }

    #[test]
    fn back_to_the_form_before_takes_the_what_if_away() {
        let (a, b) = (run(1000.0), run(1100.0));
        let mut w = WhatIfs::default();
        w.push(what_if(&a, "lever", WhatIfSource::Goal));
        // Back to some other link: the what-if stays.
        assert!(!w.returned_to(&b));
        assert!(w.last().is_some());
        assert!(w.returned_to(&a));
        assert!(w.last().is_none());
        assert!(!w.returned_to(&a), "nothing more to take away");
    }
}
