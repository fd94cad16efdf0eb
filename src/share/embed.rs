//! What the page tells the page that embeds it (MODEL.md, "Links"): inside
//! an iframe it posts `{type: "funnel-sim:height", height}` whenever its
//! height changes and `{type: "funnel-sim:result", seed, trials, revenue:
//! {mean, p10, p50, p90}, probability}` after each finished run. These
//! messages are a public interface: embeds in the wild read them.
//!
//! Built here as JSON text (plain data, tested natively); `browser` turns
//! the text into an object and posts it.

use funnel_engine::Summary;
use serde_json::{Value, json};

/// The `type` of the height message.
pub const HEIGHT: &str = "funnel-sim:height";
/// The `type` of the result message.
pub const RESULT: &str = "funnel-sim:result";

/// The largest integer a JavaScript number holds exactly (2^53).
const EXACT_IN_JS: u64 = 1 << 53;

/// `{type: "funnel-sim:height", height}`, the height in CSS pixels, whole.
pub fn height_message(height: f64) -> String {
    let height = if height.is_finite() && height > 0.0 {
        height.ceil()
    } else {
        0.0
    };
    json!({ "type": HEIGHT, "height": height as u64 }).to_string()
}

/// `{type: "funnel-sim:result", seed, trials, revenue: {mean, p10, p50, p90},
/// probability}` for a finished run; `probability` (of the target, 0..1)
/// only with a target. A seed above 2^53 would lose digits as a JavaScript
/// number, so it is sent as a decimal string then (the page's own seeds are
/// below 10^9; a link may carry any).
pub fn result_message(summary: &Summary) -> String {
    let seed = if summary.seed <= EXACT_IN_JS {
        json!(summary.seed)
    } else {
        Value::String(summary.seed.to_string())
    };
    let r = &summary.revenue;
    let mut message = json!({
        "type": RESULT,
        "seed": seed,
        "trials": summary.trials,
        "revenue": { "mean": r.mean, "p10": r.p10, "p50": r.p50, "p90": r.p90 },
    });
    if let Some(t) = &summary.target {
        message["probability"] = json!(t.probability);
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::{Scenario, Simulation};

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    fn summary(s: &Scenario, trials: u64) -> Summary {
        let sim = Simulation::new(s, trials, 1).unwrap();
        Summary::new(&sim, &sim.run_all())
    }

    #[test]
    fn the_result_message_carries_the_headline_figures() {
        let s = summary(&reference(), 500);
        let v: Value = serde_json::from_str(&result_message(&s)).unwrap();
        assert_eq!(v["type"], "funnel-sim:result");
        assert_eq!(v["seed"], 1);
        assert_eq!(v["trials"], 500);
        for (key, x) in [
            ("mean", s.revenue.mean),
            ("p10", s.revenue.p10),
            ("p50", s.revenue.p50),
            ("p90", s.revenue.p90),
        ] {
            assert_eq!(v["revenue"][key].as_f64(), Some(x), "{key}");
        }
        assert_eq!(
            v["probability"].as_f64(),
            Some(s.target.as_ref().unwrap().probability)
        );
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["probability", "revenue", "seed", "trials", "type"]);
    }

    #[test]
    fn no_target_no_probability_and_big_seeds_keep_their_digits() {
        let mut s = summary(&reference(), 200);
        s.target = None;
        s.seed = u64::MAX;
        let v: Value = serde_json::from_str(&result_message(&s)).unwrap();
        assert!(v.get("probability").is_none());
        assert_eq!(v["seed"], "18446744073709551615");
        s.seed = 1 << 53;
        let v: Value = serde_json::from_str(&result_message(&s)).unwrap();
        assert_eq!(v["seed"].as_u64(), Some(1 << 53));
    }

    #[test]
    fn heights_are_whole_pixels() {
        assert_eq!(
            height_message(1234.2),
            r#"{"type":"funnel-sim:height","height":1235}"#
        );
        assert_eq!(
            height_message(f64::NAN),
            r#"{"type":"funnel-sim:height","height":0}"#
        );
    }
}
