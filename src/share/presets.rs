//! Ready-made scenarios, compiled into the app from `scenarios/presets/`.
//!
//! A preset is a complete, reproducible example: a scenario plus the trial
//! count and seed it runs with, so everyone who loads it sees the same numbers.

use funnel_engine::Scenario;

#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable key, used in the preset selector.
    pub key: &'static str,
    pub label: &'static str,
    pub json: &'static str,
    pub trials: u64,
    pub seed: u64,
}

impl Preset {
    /// The preset's scenario (each is checked by the tests below).
    pub fn scenario(&self) -> Scenario {
        Scenario::from_json(self.json).expect("presets are valid scenarios")
    }
}

pub const PRESETS: [Preset; 5] = [
    Preset {
        key: "b2b-saas",
        label: "B2B SaaS (long cycle, open pipeline)",
        json: include_str!("../../scenarios/presets/b2b-saas.json"),
        trials: 10_000,
        seed: 1,
    },
    Preset {
        key: "high-volume-inbound",
        label: "High-volume inbound (short cycle)",
        json: include_str!("../../scenarios/presets/high-volume-inbound.json"),
        trials: 10_000,
        seed: 1,
    },
    // The answer is a textbook binomial: P(at least 40 of 100 at 50%) = 98.24%.
    // It runs the most trials the app allows, so the Monte Carlo error (about
    // 0.03 points) is small enough for the first decimal to match the book.
    Preset {
        key: "classroom",
        label: "Classroom: 100 opportunities at 50%",
        json: include_str!("../../scenarios/presets/classroom.json"),
        trials: 200_000,
        seed: 1,
    },
    // The same case as a classroom exercise (a student's view: all locked,
    // a name, an answer code); every student has the same numbers.
    Preset {
        key: "exercise-classroom",
        label: "Exercise: 100 opportunities at 50%",
        json: include_str!("../../scenarios/presets/exercise-classroom.json"),
        trials: 200_000,
        seed: 1,
    },
    // A goal exercise on the B2B funnel: each student's leads and Qualified
    // conversion vary; they change the Proposal conversion to find the goal.
    // 5,000 trials keep the goal search (the truth, and the key) quick.
    Preset {
        key: "exercise-b2b-goal",
        label: "Exercise: can the B2B funnel make the year?",
        json: include_str!("../../scenarios/presets/exercise-b2b-goal.json"),
        trials: 5_000,
        seed: 7,
    },
];

/// The scenario shown when there is nothing else to show.
pub fn default_preset() -> &'static Preset {
    &PRESETS[0]
}

pub fn by_key(key: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_scenario() {
        for p in &PRESETS {
            let s = Scenario::from_json(p.json).unwrap_or_else(|e| panic!("{}: {e}", p.key));
            assert!(!s.name.is_empty());
            assert!((1..=crate::form::MAX_APP_TRIALS).contains(&p.trials));
            assert_eq!(by_key(p.key).unwrap().key, p.key);
        }
    }

    #[test]
    fn classroom_is_the_textbook_case() {
        let s = by_key("classroom").unwrap().scenario();
        assert_eq!(s.name, "Classroom: 100 opportunities at 50%");
        assert_eq!(s.stages.len(), 1);
        assert_eq!(s.stages[0].name, "Opportunity");
        assert_eq!(
            s.stages[0].conversion,
            funnel_engine::Conversion::Fixed(0.5)
        );
        assert_eq!((s.stages[0].days, s.stages[0].open), (0.0, 100));
        assert_eq!((s.leads.per_month, s.horizon_months), (0.0, 1));
        assert_eq!((s.deal_size.median, s.deal_size.p90), (1000.0, 1000.0));
        assert_eq!(s.target.as_ref().map(|t| t.revenue), Some(40_000.0));
    }

    #[test]
    fn classroom_shows_98_2_percent() {
        let p = by_key("classroom").unwrap();
        let sim = funnel_engine::Simulation::new(&p.scenario(), p.trials, p.seed).unwrap();
        let summary = funnel_engine::Summary::new(&sim, &sim.run_all());
        let t = summary.target.unwrap();
        assert_eq!(format!("{:.1}", t.probability * 100.0), "98.2");
        // And the textbook value lies within four standard errors, the
        // tolerance of the engine's closed-form tests (two would fail one
        // correct seed in twenty).
        assert!(
            (t.probability - 0.98240).abs() < 4.0 * t.probability_se,
            "{} vs 0.98240 (se {})",
            t.probability,
            t.probability_se
        );
    }

    #[test]
    fn the_classroom_exercise_is_the_textbook_case_and_its_answer_98_2_percent() {
        let p = by_key("exercise-classroom").unwrap();
        let mut s = p.scenario();
        let x = s.exercise.take().expect("an exercise");
        assert_eq!(x.question.ask, funnel_engine::exercise::Ask::Probability);
        assert!(x.editable.is_empty() && x.variants.is_empty());
        // The funnel is the classroom preset's, at its trials and seed.
        let book = by_key("classroom").unwrap();
        s.name = book.scenario().name;
        assert_eq!(s, book.scenario());
        assert_eq!((p.trials, p.seed), (book.trials, book.seed));
        let truth = x.question.answer(&p.scenario(), p.trials, p.seed).unwrap();
        assert_eq!(format!("{:.1}", truth * 100.0), "98.2");
    }

    #[test]
    fn the_goal_exercise_varies_leads_and_one_conversion_and_every_student_can_answer() {
        use funnel_engine::exercise::{Ask, Input};
        let p = by_key("exercise-b2b-goal").unwrap();
        let s = p.scenario();
        let x = s.exercise.clone().expect("an exercise");
        assert!(matches!(x.question.ask, Ask::GoalConversion { .. }));
        let varied: Vec<Input> = x.variants.iter().map(|v| v.path).collect();
        assert_eq!(varied, [Input::LeadsPerMonth, Input::Conversion(1)]);
        assert_eq!(x.editable, [Input::Conversion(3)]);
        let mut answers = Vec::new();
        for name in ["Ana", "Ben"] {
            let v = x.variant(&s, name).unwrap();
            let truth = x.question.answer(&v.scenario, p.trials, p.seed).unwrap();
            assert!((0.0..=1.0).contains(&truth), "{name}: {truth}");
            answers.push(truth);
        }
        assert_ne!(answers[0], answers[1]);
    }

    #[test]
    fn high_volume_inbound_is_short_cycle() {
        let s = by_key("high-volume-inbound").unwrap().scenario();
        assert_eq!(s.leads.per_month, 20_000.0);
        assert!(s.stages.iter().all(|st| st.days <= 3.0));
    }
}
