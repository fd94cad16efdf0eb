//! The scenario file the toolbar exports and imports: the engine's format
//! with the run's trials and seed in its optional `run`, so that importing an
//! export reruns to the same figures as the link it came from.

use funnel_engine::{RunSettings, Scenario, ScenarioErrors};

use crate::form::Run;

/// The file text for a run.
pub fn export(run: &Run) -> String {
    run.scenario.to_file_json(RunSettings {
        trials: Some(run.trials),
        seed: Some(run.seed),
    })
}

/// Reads a file as a run. A file without trials or a seed (exports made
/// before files carried them, files written by hand) takes them from
/// `current`: the run on the page.
pub fn import(text: &str, current: (u64, u64)) -> Result<Run, ScenarioErrors> {
    let (scenario, saved) = Scenario::from_file(text)?;
    Ok(Run {
        scenario,
        trials: saved.trials.unwrap_or(current.0),
        seed: saved.seed.unwrap_or(current.1),
    })
}

/// A name as a file name's stem: ASCII letters and digits in lower case,
/// every other run of characters one `-`, none at the ends ("B2B SaaS, Q3"
/// -> "b2b-saas-q3"); empty when nothing is left. Every download the page
/// offers is named through it.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Draft;
    use crate::share::link;

    #[test]
    fn an_export_imports_as_the_run_it_came_from() {
        for p in &crate::share::presets::PRESETS {
            let run = Run {
                scenario: p.scenario(),
                trials: 4_321,
                seed: 18_446_744_073_709_551_000,
            };
            let text = export(&run);
            assert_eq!(import(&text, (10_000, 1)).unwrap(), run, "{}", p.key);
            // And through the form, as the page loads it: the same run as the link's.
            let imported = import(&text, (10_000, 1)).unwrap();
            let loaded = Draft::from_scenario(&imported.scenario, imported.trials, imported.seed);
            let from_link = link::decode(&link::encode(&run)).unwrap().unwrap();
            let linked =
                Draft::from_scenario(&from_link.scenario, from_link.trials, from_link.seed);
            assert_eq!(loaded.to_run().unwrap(), linked.to_run().unwrap());
        }
    }

    #[test]
    fn an_old_export_takes_the_page_s_trials_and_seed() {
        let p = crate::share::presets::default_preset();
        let old = p.scenario().to_json_pretty();
        let run = import(&old, (777, 9)).unwrap();
        assert_eq!((run.scenario, run.trials, run.seed), (p.scenario(), 777, 9));
    }
}
