//! Seasonality as typed: twelve percentages of an average month (100 =
//! average; the engine's multiplier is the percentage / 100) and the
//! calendar month the forecast starts in (MODEL.md, "Seasonality").
//!
//! A scenario without seasonality loads as twelve "100"s and is written back
//! without the field as long as they stay flat, so old links and files round
//! trip byte for byte; `start_month` is written only when chosen.

use funnel_engine::scenario::{MAX_SEASONALITY, MONTH_NAMES};
use funnel_engine::{FieldError, Scenario};

use super::{Draft, Errors, pct};

/// The percent fields' message: the engine's 0..=12 in percent.
pub const MSG_SEASON: &str =
    "Enter a percentage of an average month from 0 to 1200 (100 = an average month)";

/// Ready-made shapes of the year, each averaging 100% (docs/model-notes.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeasonPreset {
    /// Every month average.
    Flat,
    /// July and August at 70%, June and September at 90%, the other eight 110%.
    SummerDip,
    /// October 125%, November 130%, December 135%; January to September 90%.
    StrongQ4,
}

impl SeasonPreset {
    pub const ALL: [SeasonPreset; 3] = [
        SeasonPreset::Flat,
        SeasonPreset::SummerDip,
        SeasonPreset::StrongQ4,
    ];

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            SeasonPreset::Flat => "Flat",
            SeasonPreset::SummerDip => "Summer dip",
            SeasonPreset::StrongQ4 => "Strong Q4",
        }
    }

    /// Percent of an average month, January to December.
    pub fn percents(self) -> [u32; 12] {
        match self {
            SeasonPreset::Flat => [100; 12],
            SeasonPreset::SummerDip => [110, 110, 110, 110, 110, 90, 70, 70, 90, 110, 110, 110],
            SeasonPreset::StrongQ4 => [90, 90, 90, 90, 90, 90, 90, 90, 90, 125, 130, 135],
        }
    }
}

/// "Jan".."Dec".
pub fn month_short(calendar: usize) -> &'static str {
    MONTH_NAMES[calendar % 12].get(..3).unwrap_or("")
}

impl Draft {
    pub(super) fn load_seasonality(&mut self, scenario: &Scenario) {
        self.start_month = scenario.start_month;
        self.seasonality = match scenario.leads.seasonality {
            Some(m) => m.map(pct),
            None => [(); 12].map(|_| "100".to_owned()),
        };
    }

    /// Sets the twelve fields to a preset's percentages.
    pub fn set_season_preset(&mut self, preset: SeasonPreset) {
        self.seasonality = preset.percents().map(|p| p.to_string());
    }

    /// The preset the fields show now, if they show one exactly.
    pub fn season_preset(&self) -> Option<SeasonPreset> {
        SeasonPreset::ALL.into_iter().find(|p| {
            self.seasonality
                .iter()
                .zip(p.percents())
                .all(|(text, want)| super::parse_percent(text) == Some(f64::from(want) / 100.0))
        })
    }

    /// The disclosure's summary: "flat", "summer dip", "strong Q4" or "custom".
    pub fn season_words(&self) -> String {
        match self.season_preset() {
            Some(p) => p.label().to_lowercase().replace("q4", "Q4"),
            None => "custom".to_owned(),
        }
    }

    /// The multipliers, read; `None` inside when they are flat and the
    /// loaded scenario had none (so nothing is written). Problems go to `e`.
    pub(super) fn read_seasonality(&self, e: &mut Errors) -> Option<Option<[f64; 12]>> {
        let mut season = [0.0; 12];
        let mut ok = true;
        for (i, (text, slot)) in self.seasonality.iter().zip(season.iter_mut()).enumerate() {
            match e.percent(text, &format!("leads.seasonality[{i}]"), MSG_SEASON, |x| {
                (0.0..=MAX_SEASONALITY * 100.0).contains(&x)
            }) {
                Some(x) => *slot = x,
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let flat = season.iter().all(|&x| x == 1.0);
        Some(if flat && self.base.leads.seasonality.is_none() {
            None
        } else {
            Some(season)
        })
    }

    /// The engine's seasonality and start-month messages in the form's words.
    pub(super) fn reword_season(&self, err: &FieldError) -> Option<FieldError> {
        let path = err.path.as_str();
        let message = if path.starts_with("leads.seasonality") {
            MSG_SEASON.to_owned()
        } else if path == "start_month" {
            "Choose the month the forecast starts in".to_owned()
        } else {
            return None;
        };
        Some(FieldError::with_kind(err.path.clone(), err.kind, message))
    }
}

/// The month a seasonality field is for, from its path: `leads.seasonality[3]` -> 3 (April).
pub fn season_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("leads.seasonality[")?;
    rest[..rest.find(']')?].parse().ok().filter(|&i| i < 12)
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::ErrorKind;

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    #[test]
    fn presets_average_an_average_month() {
        for p in SeasonPreset::ALL {
            assert_eq!(p.percents().iter().sum::<u32>(), 1200, "{p:?}");
        }
    }

    #[test]
    fn no_seasonality_loads_flat_and_is_written_back_as_none() {
        let s = reference();
        let d = Draft::from_scenario(&s, 1000, 1);
        assert_eq!(d.season_preset(), Some(SeasonPreset::Flat));
        assert_eq!(d.season_words(), "flat");
        let back = d.to_scenario().unwrap();
        assert_eq!(back.leads.seasonality, None);
        assert_eq!(back.start_month, None);
        assert_eq!(back.to_json(), s.to_json());
    }

    #[test]
    fn a_preset_and_a_start_month_reach_the_scenario_as_multipliers() {
        let mut d = Draft::from_scenario(&reference(), 1000, 1);
        d.set_season_preset(SeasonPreset::SummerDip);
        d.start_month = Some(9);
        assert_eq!(d.season_words(), "summer dip");
        let s = d.to_scenario().unwrap();
        assert_eq!(s.start_month, Some(9));
        assert_eq!(
            s.leads.seasonality,
            Some([1.1, 1.1, 1.1, 1.1, 1.1, 0.9, 0.7, 0.7, 0.9, 1.1, 1.1, 1.1])
        );
        // Loaded again, the fields read as typed and the scenario is the same bits.
        let again = Draft::from_scenario(&s, 1000, 1);
        assert_eq!(again.seasonality[6], "70");
        assert_eq!(again.to_scenario().unwrap().to_json(), s.to_json());
        // Back to flat: a scenario loaded with seasonality keeps the field (all 1).
        let mut flat = again.clone();
        flat.set_season_preset(SeasonPreset::Flat);
        assert_eq!(
            flat.to_scenario().unwrap().leads.seasonality,
            Some([1.0; 12])
        );
        // Typed by hand: custom.
        let mut custom = again;
        custom.seasonality[0] = "105".into();
        assert_eq!(custom.season_words(), "custom");
    }

    #[test]
    fn a_bad_month_is_named_by_its_path() {
        let mut d = Draft::from_scenario(&reference(), 1000, 1);
        d.seasonality[3] = "-5".into();
        d.seasonality[11] = "lots".into();
        d.seasonality[5] = "1300".into();
        let errors = d.to_scenario().unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "leads.seasonality[3]",
                "leads.seasonality[5]",
                "leads.seasonality[11]"
            ]
        );
        assert!(errors.iter().all(|e| e.message == MSG_SEASON));
        assert_eq!(season_at("leads.seasonality[11]"), Some(11));
        assert_eq!(season_at("leads.seasonality[12]"), None);
    }

    #[test]
    fn the_engine_limit_on_volume_reads_in_form_words() {
        let mut d = Draft::from_scenario(&reference(), 1000, 1);
        d.leads_per_month = "1e11".into();
        d.growth = "0".into();
        d.seasonality[11] = "1200".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(errors[0].path, "leads.per_month", "{errors:?}");
        assert!(
            errors[0].message.contains("growth and seasonality"),
            "{errors:?}"
        );
        let e = FieldError::with_kind(
            "start_month",
            ErrorKind::OutOfRange {
                min: 1.0,
                max: 12.0,
            },
            "x",
        );
        assert!(d.reword_season(&e).unwrap().message.contains("month"));
        assert_eq!(month_short(0), "Jan");
        assert_eq!(month_short(11), "Dec");
    }
}
