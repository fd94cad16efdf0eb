//! The classroom exercise: its section read and checked with field paths, a
//! student's variant (deterministic, clamped, pinned also in wasm32), the
//! question's answer and judge, and answer codes.

use funnel_engine::exercise::{
    self, Ask, CODE_LEN, CodeError, Exercise, Input, MAX_VARIANTS, Question, VariedValue, decode,
    encode,
};
use funnel_engine::goal::{self, GoalLever};
use funnel_engine::{Conversion, ErrorKind, Scenario, Simulation, Summary};
use serde_json::{Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

const EXERCISE: &str = include_str!("../../scenarios/exercise-goal.json");

fn base() -> (Scenario, Exercise) {
    let s = Scenario::from_json(EXERCISE).expect("the example exercise is valid");
    let x = s.exercise.clone().expect("it has an exercise");
    (s, x)
}

/// The example file with `edit` applied to its JSON.
fn edited(edit: impl Fn(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(EXERCISE).unwrap();
    edit(&mut v);
    v.to_string()
}

fn errors_of(edit: impl Fn(&mut Value)) -> funnel_engine::ScenarioErrors {
    match Scenario::from_json(&edited(edit)) {
        Ok(_) => panic!("should be refused"),
        Err(e) => e,
    }
}

/// The one error at `path`, with its kind.
fn assert_error(errors: &funnel_engine::ScenarioErrors, path: &str, kind: ErrorKind) {
    let found: Vec<_> = errors.0.iter().filter(|e| e.path == path).collect();
    assert_eq!(found.len(), 1, "one error at {path}:\n{errors}");
    assert_eq!(found[0].kind, kind, "{errors}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_example_reads_as_written() {
    let (_, x) = base();
    assert_eq!(x.title, "Can we make the year?");
    assert_eq!(x.editable, vec![Input::Conversion(3)]);
    assert_eq!(
        x.question,
        Question {
            ask: Ask::GoalConversion {
                stage: "Proposal".into(),
                confidence: 0.8
            },
            tolerance: 0.02
        }
    );
    assert_eq!(x.variants.len(), 2);
    assert_eq!(x.variants[0].path, Input::LeadsPerMonth);
    assert_eq!(x.variants[1].path, Input::Conversion(1));
    assert_eq!(x.variants[1].spread, 0.05);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn an_exercise_round_trips_through_its_json() {
    let (s, _) = base();
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    assert_eq!(Scenario::from_json(&s.to_json_pretty()).unwrap(), s);
    // Every kind of question, every input and an empty title.
    for question in [
        json!({"ask": "probability", "tolerance": 0.05}),
        json!({"ask": "revenue_mean", "tolerance": 0.1}),
        json!({"ask": "revenue_p10", "tolerance": 0.1}),
        json!({"ask": "revenue_p50", "tolerance": 0.1}),
        json!({"ask": "revenue_p90", "tolerance": 0.1}),
        json!({"ask": "won_mean", "tolerance": 0.1}),
        json!({"ask": "goal_leads", "confidence": 0.9, "tolerance": 0.05}),
    ] {
        let text = edited(|v| {
            v["exercise"]["question"] = question.clone();
            v["exercise"]["title"] = json!("");
            v["exercise"]["editable"] = json!([
                "leads.per_month",
                "leads.growth_per_month",
                "leads.uncertainty_cv",
                "stages[0].conversion",
                "stages[5].days",
                "stages[2].open",
                "stages[1].capacity_per_week",
                "deal_size.median",
                "deal_size.p90",
                "target.revenue"
            ]);
            v["exercise"]["variants"] = json!([
                {"path": "leads.growth_per_month", "spread": 0.5},
                {"path": "stages[4].days", "spread": 1.0},
                {"path": "stages[2].open", "spread": 0.25},
                {"path": "deal_size.median", "spread": 0.1},
                {"path": "deal_size.p90", "spread": 0.1},
                {"path": "target.revenue", "spread": 0.0}
            ]);
        });
        let s = Scenario::from_json(&text).unwrap();
        let back = Scenario::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        // What is written is what was read: the same fields, in the same order.
        let written: Value = serde_json::from_str(&s.to_json()).unwrap();
        let read: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(written["exercise"], read["exercise"]);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn show_answer_is_optional_off_and_written_only_when_on() {
    let (s, x) = base();
    assert!(!x.show_answer, "absent: the answer is not shown");
    // Off is not written, so exercises made before the flag hash as before.
    assert!(!s.to_json().contains("show_answer"), "{}", s.to_json());
    let on = Scenario::from_json(&edited(|v| v["exercise"]["show_answer"] = json!(true))).unwrap();
    assert!(on.exercise.as_ref().unwrap().show_answer);
    assert!(on.to_json().contains(r#""show_answer":true"#));
    assert_eq!(Scenario::from_json(&on.to_json()).unwrap(), on);
    let off =
        Scenario::from_json(&edited(|v| v["exercise"]["show_answer"] = json!(false))).unwrap();
    assert_eq!(off, s, "false reads as absent");
    let e = errors_of(|v| v["exercise"]["show_answer"] = json!("yes"));
    assert_error(&e, "exercise.show_answer", ErrorKind::WrongType);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn parse_errors_name_their_fields() {
    let e = errors_of(|v| {
        let x = &mut v["exercise"];
        x["task"] = json!(5);
        x["editable"] = json!(["stages[3].conversion", "stages[03].days", "leads.noise"]);
        x["question"] = json!({"ask": "revenue_mean", "stage": "Proposal", "tolerance": "a"});
        x["variants"] =
            json!([{"path": "leads.per_month", "spread": 0.1}, {"path": "x", "spread": "wide"}]);
        x["hint"] = json!("typo");
    });
    assert_error(&e, "exercise.task", ErrorKind::WrongType);
    assert_error(&e, "exercise.editable[1]", ErrorKind::NotOneOf);
    assert_error(&e, "exercise.editable[2]", ErrorKind::NotOneOf);
    // `stage` belongs to goal_conversion only.
    assert_error(&e, "exercise.question.stage", ErrorKind::UnknownField);
    assert_error(&e, "exercise.question.tolerance", ErrorKind::WrongType);
    assert_error(&e, "exercise.variants[1].path", ErrorKind::NotOneOf);
    assert_error(&e, "exercise.variants[1].spread", ErrorKind::WrongType);
    assert_error(&e, "exercise.hint", ErrorKind::UnknownField);
    assert_eq!(e.0.len(), 8, "{e}");

    let e = errors_of(|v| v["exercise"]["question"] = json!({"ask": "median", "stage": "X"}));
    assert_error(&e, "exercise.question.ask", ErrorKind::NotOneOf);
    assert_error(&e, "exercise.question.tolerance", ErrorKind::Missing);
    assert_eq!(e.0.len(), 2, "an unknown ask refuses no other field:\n{e}");

    let e = errors_of(|v| {
        v["exercise"]["question"] = json!({"ask": "goal_conversion", "tolerance": 0})
    });
    assert_error(&e, "exercise.question.stage", ErrorKind::Missing);
    assert_error(&e, "exercise.question.confidence", ErrorKind::Missing);

    let e = errors_of(|v| {
        v["exercise"].as_object_mut().unwrap().remove("task");
        v["exercise"].as_object_mut().unwrap().remove("question");
    });
    assert_error(&e, "exercise.task", ErrorKind::Missing);
    assert_error(&e, "exercise.question", ErrorKind::Missing);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn validation_errors_name_their_fields() {
    let e = errors_of(|v| {
        let x = &mut v["exercise"];
        x["title"] = json!("t".repeat(201));
        x["task"] = json!("   ");
        x["editable"] = json!(["stages[6].open", "deal_size.p90", "deal_size.p90"]);
        x["question"] =
            json!({"ask": "goal_conversion", "stage": "Demo", "confidence": 1, "tolerance": 1.5});
        x["variants"] = json!([
            {"path": "leads.uncertainty_cv", "spread": 0.1},
            {"path": "stages[0].capacity_per_week", "spread": 0.1},
            {"path": "stages[9].days", "spread": 0.1},
            {"path": "stages[0].days", "spread": 1.5},
            {"path": "stages[0].days", "spread": -0.1}
        ]);
    });
    assert_error(&e, "exercise.title", ErrorKind::TooLong { max: 200 });
    assert_error(&e, "exercise.task", ErrorKind::Empty);
    assert_error(&e, "exercise.editable[0]", ErrorKind::NotAnInput);
    assert_error(&e, "exercise.editable[2]", ErrorKind::NotUnique);
    assert_error(&e, "exercise.question.stage", ErrorKind::NotAStage);
    assert_error(
        &e,
        "exercise.question.confidence",
        ErrorKind::OutOfRange { min: 0.0, max: 1.0 },
    );
    assert_error(
        &e,
        "exercise.question.tolerance",
        ErrorKind::OutOfRange { min: 0.0, max: 1.0 },
    );
    assert_error(&e, "exercise.variants[0].path", ErrorKind::CannotVary);
    assert_error(&e, "exercise.variants[1].path", ErrorKind::CannotVary);
    assert_error(&e, "exercise.variants[2].path", ErrorKind::NotAnInput);
    assert_error(
        &e,
        "exercise.variants[3].spread",
        ErrorKind::OutOfRange { min: 0.0, max: 1.0 },
    );
    assert_error(&e, "exercise.variants[4].path", ErrorKind::NotUnique);
    assert_error(
        &e,
        "exercise.variants[4].spread",
        ErrorKind::OutOfRange { min: 0.0, max: 1.0 },
    );
    assert_eq!(e.0.len(), 13, "{e}");

    // Questions on the target need one, and so does varying it.
    let e = errors_of(|v| {
        v.as_object_mut().unwrap().remove("target");
        v["exercise"]["variants"] = json!([{"path": "target.revenue", "spread": 0.1}]);
    });
    assert_error(&e, "exercise.question.ask", ErrorKind::NeedsTarget);
    assert_error(&e, "exercise.variants[0].path", ErrorKind::NotAnInput);
    let e = errors_of(|v| {
        v.as_object_mut().unwrap().remove("target");
        v["exercise"]["question"] = json!({"ask": "probability", "tolerance": 0.05});
    });
    assert_error(&e, "exercise.question.ask", ErrorKind::NeedsTarget);
    // A relative tolerance has no upper bound, but is a number >= 0.
    let e = errors_of(|v| {
        v["exercise"]["question"] = json!({"ask": "won_mean", "tolerance": -0.1});
    });
    assert_error(
        &e,
        "exercise.question.tolerance",
        ErrorKind::AtLeast { min: 0.0 },
    );
    let ok = edited(|v| v["exercise"]["question"] = json!({"ask": "won_mean", "tolerance": 2.5}));
    assert!(Scenario::from_json(&ok).is_ok());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn an_over_long_list_is_refused_with_one_message() {
    let many: Vec<Value> = (0..MAX_VARIANTS + 1)
        .map(|_| json!({"path": "leads.per_month", "spread": 2}))
        .collect();
    let e = errors_of(|v| v["exercise"]["variants"] = json!(many));
    assert_eq!(e.0.len(), 1, "{e}");
    assert_error(
        &e,
        "exercise.variants",
        ErrorKind::TooMany { max: MAX_VARIANTS },
    );
    // The typed scenario (the app builds one) is held to the same limit.
    let (mut s, mut x) = base();
    x.editable = vec![Input::LeadsPerMonth; 10_000];
    s.exercise = Some(x);
    let e = s.validate().unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].path, "exercise.editable");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn variants_are_deterministic_per_normalised_name() {
    let (s, x) = base();
    let ana = x.variant(&s, "Ana").unwrap();
    assert_eq!(x.variant(&s, "Ana").unwrap(), ana);
    assert_eq!(x.variant(&s, " Ana ").unwrap(), ana);
    assert_eq!(x.variant(&s, "ana").unwrap(), ana);
    assert_eq!(x.variant(&s, "\tANA\n").unwrap(), ana);
    assert_eq!(ana.student, "ana");
    let ben = x.variant(&s, "Ben").unwrap();
    assert_ne!(ben.values, ana.values);
    assert_ne!(ben.key, ana.key);
    // Only the varied inputs change, each listed with the value the scenario has.
    let mut back = ana.scenario.clone();
    back.leads.per_month = s.leads.per_month;
    back.stages[1].conversion = s.stages[1].conversion;
    assert_eq!(back, s);
    assert_eq!(
        ana.values[0],
        (
            Input::LeadsPerMonth,
            VariedValue::Number(ana.scenario.leads.per_month)
        )
    );
    assert_eq!(
        ana.values[1],
        (
            Input::Conversion(1),
            VariedValue::Conversion(ana.scenario.stages[1].conversion)
        )
    );
    // Within the spread: 10% of the leads, 5% of the rate's mean.
    assert!((ana.scenario.leads.per_month / 1000.0 - 1.0).abs() <= 0.1);
    let m = ana.scenario.stages[1].conversion.mean();
    assert!((m / s.stages[1].conversion.mean() - 1.0).abs() <= 0.05 + 1e-12);
    // A different exercise text is a different stream.
    let mut y = x.clone();
    y.task.push('!');
    assert_ne!(y.variant(&s, "Ana").unwrap().key, ana.key);
    // No name, no variant.
    assert_eq!(x.variant(&s, "  ").unwrap_err().0[0].path, "student");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn variants_stay_within_each_inputs_range() {
    let text = edited(|v| {
        v["stages"][5]["conversion"] = json!(0.95);
        v["stages"][0]["conversion"] = json!({"mean": 0.95, "sd": 0.2});
        v["stages"][0]["days"] = json!(3000);
        v["exercise"]["variants"] = json!([
            {"path": "stages[5].conversion", "spread": 1},
            {"path": "stages[0].conversion", "spread": 1},
            {"path": "stages[1].conversion", "spread": 1},
            {"path": "stages[0].days", "spread": 1},
            {"path": "stages[1].days", "spread": 1},
            {"path": "stages[2].open", "spread": 1},
            {"path": "leads.growth_per_month", "spread": 1},
            {"path": "deal_size.median", "spread": 1},
            {"path": "deal_size.p90", "spread": 1},
            {"path": "target.revenue", "spread": 1}
        ]);
    });
    let s = Scenario::from_json(&text).unwrap();
    let x = s.exercise.clone().unwrap();
    let (mut above, mut below) = (0, 0);
    for k in 0..400 {
        let v = x.variant(&s, &format!("student {k}")).unwrap();
        let t = &v.scenario;
        assert!(t.validate().is_ok());
        let fixed = t.stages[5].conversion;
        let Conversion::Fixed(p) = fixed else {
            panic!("a fixed rate stays fixed: {fixed:?}")
        };
        assert!((0.0..=1.0).contains(&p), "{p}");
        if p == 1.0 {
            above += 1;
        }
        let Conversion::Estimate { mean, sd } = t.stages[0].conversion else {
            panic!()
        };
        assert!((0.0..=1.0).contains(&mean) && sd >= 0.0);
        assert!(sd == 0.0 || sd * sd < mean * (1.0 - mean), "{mean} {sd}");
        assert!(matches!(
            t.stages[1].conversion,
            Conversion::Estimate { .. }
        ));
        assert!((0.0..=3650.0).contains(&t.stages[0].days));
        assert!(t.stages[1].days >= 0.0 && t.stages[1].days <= 28.0);
        assert!(t.stages[2].open <= 70);
        assert!(t.leads.growth_per_month > -1.0);
        let d = t.deal_size;
        assert!(d.median > 0.0 && d.median <= d.p90 && d.p90 <= d.median * 1000.0);
        if t.stages[0].days == 3650.0 {
            below += 1;
        }
        let r = t.target.as_ref().unwrap().revenue;
        assert!((0.0..=1.0e7).contains(&r));
    }
    // The clamps were reached, not just never tested.
    assert!(above > 100 && below > 100, "{above} {below}");
}

/// One exercise and name, pinned: a change of hash, stream or clamp shows
/// here first, natively and in wasm32.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_variant_is_pinned() {
    let (s, x) = base();
    let v = x.variant(&s, "Ana").unwrap();
    let Conversion::Estimate { mean, sd } = v.scenario.stages[1].conversion else {
        panic!("{:?}", v.scenario.stages[1].conversion)
    };
    let got = [
        v.key,
        v.scenario.leads.per_month.to_bits(),
        mean.to_bits(),
        sd.to_bits(),
    ];
    assert_eq!(
        got, GOLDEN_ANA,
        "key {:#x}, leads {}, mean {mean}, sd {sd}",
        v.key, v.scenario.leads.per_month
    );
    assert_eq!(
        v.values
            .iter()
            .map(|(_, value)| value.to_text())
            .collect::<Vec<_>>(),
        [
            format!("{}", v.scenario.leads.per_month),
            format!("{{\"mean\":{mean},\"sd\":{sd}}}")
        ]
    );
    assert_eq!(encode("Ana", 0.7285).unwrap(), GOLDEN_CODE);
}

const GOLDEN_ANA: [u64; 4] = [
    10320896848439543794,
    4651450231492876621,
    4601617329755384949,
    4582800483691289882,
];
const GOLDEN_CODE: &str = "RZ8CWE2674J5";

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_answer_is_the_runs_own_figure() {
    let (s, x) = base();
    let trials = 300;
    let v = x.variant(&s, "Ana").unwrap();
    // goal_conversion: goal::solve on the variant.
    let solved = goal::solve(
        &v.scenario,
        &GoalLever::Conversion { stage: 3 },
        0.8,
        trials,
        7,
    )
    .unwrap();
    assert_eq!(
        x.question.answer(&v.scenario, trials, 7).unwrap(),
        solved.value
    );
    let sim = Simulation::new(&v.scenario, trials, 7).unwrap();
    let summary = Summary::new(&sim, &sim.run_all());
    let ask = |ask: Ask| Question {
        ask,
        tolerance: 0.1,
    };
    let p = summary.target.as_ref().unwrap().probability;
    for (q, want) in [
        (Ask::Probability, p),
        (Ask::RevenueMean, summary.revenue.mean),
        (Ask::RevenueP10, summary.revenue.p10),
        (Ask::RevenueP50, summary.revenue.p50),
        (Ask::RevenueP90, summary.revenue.p90),
        (Ask::WonMean, summary.won.mean),
    ] {
        let got = ask(q.clone()).answer(&v.scenario, trials, 7).unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "{q:?}");
    }
    let leads = ask(Ask::GoalLeads { confidence: 0.5 })
        .answer(&v.scenario, trials, 7)
        .unwrap();
    let want = goal::solve(&v.scenario, &GoalLever::Leads, 0.5, trials, 7).unwrap();
    assert_eq!(leads, want.value);
    // A target no conversion reaches: no answer, and the error says why.
    let mut far = v.scenario.clone();
    far.target.as_mut().unwrap().revenue = 1e12;
    let e = x.question.answer(&far, trials, 7).unwrap_err();
    assert_eq!(e.0[0].path, "exercise.question");
    assert!(e.0[0].message.contains("No value"), "{e}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn judging_is_absolute_for_rates_and_relative_for_the_rest() {
    let rate = Question {
        ask: Ask::GoalConversion {
            stage: "Proposal".into(),
            confidence: 0.8,
        },
        tolerance: 0.02,
    };
    assert!(rate.judge(0.47, 0.45));
    assert!(rate.judge(0.47, 0.49));
    assert!(!rate.judge(0.47, 0.4899 + 0.0002));
    assert!(!rate.judge(0.47, 0.4));
    let p = Question {
        ask: Ask::Probability,
        tolerance: 0.05,
    };
    assert!(p.judge(0.8, 0.75) && !p.judge(0.8, 0.74));
    let revenue = Question {
        ask: Ask::RevenueMean,
        tolerance: 0.05,
    };
    assert!(revenue.judge(4_000_000.0, 4_200_000.0));
    assert!(!revenue.judge(4_000_000.0, 4_200_100.0));
    assert!(revenue.judge(4_000_000.0, 3_800_000.0));
    assert!(!revenue.judge(4_000_000.0, f64::NAN));
    assert!(!revenue.judge(f64::INFINITY, f64::INFINITY));
    let leads = Question {
        ask: Ask::GoalLeads { confidence: 0.8 },
        tolerance: 0.1,
    };
    assert!(leads.judge(1000.0, 1100.0) && !leads.judge(1000.0, 1101.0));
}

/// Answers of every size and sign, as a teacher's key or a student could write them.
fn sample_answers() -> Vec<f64> {
    let mut xs = vec![
        0.0, 1.0, 0.5, 0.8005, 0.0001, 0.00005, 0.99995, 0.999_96, 1e-18, 9.99994e26,
    ];
    let mut z = 0x1234_5678_9abc_def1u64;
    for _ in 0..3000 {
        z ^= z << 13;
        z ^= z >> 7;
        z ^= z << 17;
        let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
        xs.push(unit); // probabilities and rates
        xs.push(libm::pow(10.0, unit * 40.0 - 15.0)); // 1e-15 to 1e25
        xs.push(-(unit * 5e6));
        xs.push((unit * 20_000.0).round()); // whole counts
    }
    xs
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn codes_round_trip_within_their_precision() {
    let names = ["Ana", "ben okafor", "Chloé", "李雷", "x"];
    for (i, &answer) in sample_answers().iter().enumerate() {
        let name = names[i % names.len()];
        let code = encode(name, answer).unwrap();
        assert_eq!(code.chars().count(), CODE_LEN);
        assert!(code.len() <= 16);
        assert!(
            !code.contains(['O', 'I', 'L']),
            "only Crockford's symbols: {code}"
        );
        let back = decode(&code).unwrap();
        assert!(back.is_for(name) && back.is_for(&format!("  {}  ", name.to_uppercase())));
        // Five significant digits: within 5e-5 of the value, relative, and so
        // within 5e-5 absolute for a probability; far inside the 1% and
        // 0.0005 any tolerance needs.
        let err = (back.answer - answer).abs();
        assert!(
            err <= 5.000_001e-5 * answer.abs(),
            "{answer} -> {} ({code})",
            back.answer
        );
        if (0.0..=1.0).contains(&answer) {
            assert!(err <= 0.0005 && err <= 0.01 * answer.abs());
        }
        // A code is typed the way it is read out: lower case, O for 0, L for 1.
        let sloppy = code.to_lowercase().replace('0', "o").replace('1', "l");
        assert_eq!(decode(&format!(" {sloppy} ")).unwrap(), back);
        // Encoding the decoded answer gives the same code: the digits are kept exactly.
        assert_eq!(encode(name, back.answer).unwrap(), code);
    }
    assert_eq!(
        decode(&encode("Ana", 0.7285).unwrap()).unwrap().answer,
        0.7285
    );
    assert_eq!(
        decode(&encode("Ana", 1234.5).unwrap()).unwrap().answer,
        1234.5
    );
    assert_ne!(encode("Ana", 0.5).unwrap(), encode("Ben", 0.5).unwrap());
    assert!(!decode(&encode("Ana", 0.5).unwrap()).unwrap().is_for("Ben"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_typo_and_adjacent_swap_is_caught() {
    // Every symbol a code can hold, its check symbols included.
    let symbols: Vec<char> = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U".chars().collect();
    let mut codes = Vec::new();
    for (i, &answer) in sample_answers().iter().take(400).enumerate() {
        codes.push(encode(&format!("student {i}"), answer).unwrap());
    }
    let mut tried = 0;
    for code in &codes {
        let chars: Vec<char> = code.chars().collect();
        for pos in 0..chars.len() {
            for &s in &symbols {
                if s == chars[pos] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[pos] = s;
                let typo: String = typo.into_iter().collect();
                assert!(decode(&typo).is_err(), "{code} -> {typo} was accepted");
                tried += 1;
            }
            if pos + 1 < chars.len() && chars[pos] != chars[pos + 1] {
                let mut swap = chars.clone();
                swap.swap(pos, pos + 1);
                let swap: String = swap.into_iter().collect();
                assert!(decode(&swap).is_err(), "{code} -> {swap} was accepted");
                tried += 1;
            }
        }
    }
    assert!(tried > 150_000, "{tried}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn bad_codes_say_what_is_wrong() {
    let code = encode("Ana", 0.5).unwrap();
    assert_eq!(decode("  "), Err(CodeError::Empty));
    assert_eq!(decode(&code[1..]), Err(CodeError::Length { found: 11 }));
    let mut bad = code.clone();
    bad.replace_range(2..3, "#");
    assert_eq!(
        decode(&bad),
        Err(CodeError::Character {
            found: '#',
            position: 3
        })
    );
    assert!(
        decode(&bad)
            .unwrap_err()
            .to_string()
            .contains("character 3")
    );
    let swapped: String = {
        let mut c: Vec<char> = code.chars().collect();
        let i = (0..CODE_LEN - 1).find(|&i| c[i] != c[i + 1]).unwrap();
        c.swap(i, i + 1);
        c.into_iter().collect()
    };
    let e = decode(&swapped).unwrap_err();
    assert!(
        e.to_string().contains("mistyped or two are swapped")
            || matches!(e, CodeError::Character { .. }),
        "{e}"
    );
    assert_eq!(encode(" ", 0.5), Err(CodeError::NoName));
    assert_eq!(encode("Ana", f64::NAN), Err(CodeError::Unencodable));
    assert_eq!(encode("Ana", 1e27), Err(CodeError::Unencodable));
    assert_eq!(decode(&encode("Ana", 1e-19).unwrap()).unwrap().answer, 0.0);
    assert_eq!(exercise::normalise_name("  ÀNA "), "àna");
}

/// Trials run the way the page's workers run them: fixed chunks, merged in
/// trial order.
fn run_in_chunks(spec: &funnel_engine::job::RunSpec) -> funnel_engine::Chunk {
    let sim = spec.simulation().unwrap();
    let n = sim.trials();
    let chunks = (0..n.div_ceil(100))
        .map(|i| sim.run_chunk(i * 100..((i + 1) * 100).min(n)))
        .collect();
    funnel_engine::merge(chunks).unwrap()
}

#[test]
fn an_answer_from_trials_run_elsewhere_is_the_answer() {
    // What the page does for the key: the pool runs the trials (or the goal
    // search's candidates) and the engine reads the answer off them.
    use funnel_engine::job::{Change, GoalSearch, RunSpec};
    let (s, x) = base();
    let v = x.variant(&s, "Ana").unwrap().scenario;
    let asks = [
        Ask::Probability,
        Ask::RevenueMean,
        Ask::RevenueP10,
        Ask::RevenueP50,
        Ask::RevenueP90,
        Ask::WonMean,
    ];
    for ask in asks {
        let q = Question {
            ask,
            tolerance: 0.02,
        };
        assert_eq!(q.goal(&v).unwrap(), None);
        let all = run_in_chunks(&RunSpec::new(&v, 450, 5, Change::None));
        let got = q.answer_of_trials(&v, &all).unwrap();
        assert_eq!(
            got.to_bits(),
            q.answer(&v, 450, 5).unwrap().to_bits(),
            "{q:?}"
        );
    }
    for q in [
        x.question.clone(),
        Question {
            ask: Ask::GoalLeads { confidence: 0.6 },
            tolerance: 0.05,
        },
    ] {
        let (lever, confidence) = q.goal(&v).unwrap().expect("a goal");
        let mut search = GoalSearch::new(&v, &lever, confidence, 300, 5).unwrap();
        while let Some(c) = search.next_candidate() {
            search.record(&run_in_chunks(&search.spec(c)));
        }
        let got = q.answer_of_goal(search.answer().unwrap()).unwrap();
        assert_eq!(
            got.to_bits(),
            q.answer(&v, 300, 5).unwrap().to_bits(),
            "{q:?}"
        );
        assert!(
            q.answer_of_trials(&v, &run_in_chunks(&search.spec(got)))
                .is_err()
        );
    }
    // A question about the target on a funnel without one has no answer.
    let mut none = v.clone();
    none.target = None;
    none.exercise = None;
    let q = Question {
        ask: Ask::Probability,
        tolerance: 0.02,
    };
    let all = run_in_chunks(&RunSpec::new(&none, 100, 5, Change::None));
    assert_eq!(
        q.answer_of_trials(&none, &all).unwrap_err().0[0].path,
        "exercise.question"
    );
}
