//! The view flags of a link (MODEL.md, "Links"): `view=` (what is shown),
//! `edit=PATH,PATH` (the inputs shown beside a compact view) and `theme=`.
//! They are not part of the run: `link::decode` ignores them, and the app
//! carries them over when it rewrites the fragment after an edit.
//!
//! A value this build does not know is not an error that stops the page:
//! the link still opens, in the full view (or the reader's scheme), and the
//! page says what it could not follow. Embeds in the wild keep working.

/// What the page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    /// The whole app: form, results, levers, goal.
    #[default]
    Full,
    /// The results only, without the form.
    Results,
    Histogram,
    Funnel,
    Pipeline,
    Tornado,
    Plans,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Full,
        View::Results,
        View::Histogram,
        View::Funnel,
        View::Pipeline,
        View::Tornado,
        View::Plans,
    ];

    /// The flag's value in the link.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Full => "full",
            View::Results => "results",
            View::Histogram => "histogram",
            View::Funnel => "funnel",
            View::Pipeline => "pipeline",
            View::Tornado => "tornado",
            View::Plans => "plans",
        }
    }

    /// What the embed dialog calls it.
    pub fn label(self) -> &'static str {
        match self {
            View::Full => "The full model (form and results)",
            View::Results => "The results only",
            View::Histogram => "One chart: how revenue could turn out",
            View::Funnel => "One chart: the funnel",
            View::Pipeline => "One chart: the pipeline over time",
            View::Tornado => "One chart: the levers",
            View::Plans => "The incentive plans compared",
        }
    }

    pub fn parse(value: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == value)
    }

    /// Every view but the full one: no toolbar, no form, no help.
    pub fn is_compact(self) -> bool {
        self != View::Full
    }
}

/// The colour scheme: the reader's (`auto`), or forced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "The reader's (light or dark)",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn parse(value: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// The root's `data-theme` attribute (style/main.css, charts.css honour
    /// it); none for `auto`, where the media query decides.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            t => Some(t.as_str()),
        }
    }
}

/// The view flags of a link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub view: View,
    /// Field paths in the engine's format (`leads.per_month`,
    /// `stages[2].conversion`), in the link's order, without repeats. Each
    /// one's shape is checked here; whether the scenario has that stage is
    /// checked where the inputs are drawn (`ui::views::inputs`).
    pub edit: Vec<String>,
    pub theme: Theme,
}

/// The longest `edit=` list read: a link is not a way to build a form of
/// thousands of inputs.
pub const MAX_EDIT: usize = 12;

/// The shapes of path `edit=` may name: the inputs a compact view can show
/// (each index written `[]`).
pub const EDITABLE: &[&str] = &[
    "horizon_months",
    "leads.per_month",
    "leads.growth_per_month",
    "leads.uncertainty_cv",
    "stages[].conversion",
    "stages[].conversion.mean",
    "stages[].conversion.sd",
    "stages[].conversion.won",
    "stages[].conversion.of",
    "stages[].days",
    "stages[].open",
    "stages[].capacity_per_week",
    "deal_size.median",
    "deal_size.p90",
    "target.revenue",
    "team.reps",
    "team.quota",
    "team.skill_sd",
    "trials",
];

impl Flags {
    /// The flags as they go into a fragment: `&view=…&edit=…&theme=…`, each
    /// only when it is not the default (a plain link stays as it was).
    pub fn to_fragment(&self) -> String {
        let mut out = String::new();
        if self.view != View::Full {
            out.push_str("&view=");
            out.push_str(self.view.as_str());
        }
        if !self.edit.is_empty() {
            out.push_str("&edit=");
            out.push_str(&self.edit.join(","));
        }
        if self.theme != Theme::Auto {
            out.push_str("&theme=");
            out.push_str(self.theme.as_str());
        }
        out
    }
}

/// Reads the view flags of a fragment (with or without its `#`), and what
/// the page could not follow, one sentence each. Never fails: an unknown
/// value falls back to the default.
pub fn read(fragment: &str) -> (Flags, Vec<String>) {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut flags = Flags::default();
    let mut problems = Vec::new();
    for pair in fragment.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let value = percent_decode(value);
        match key {
            "view" => match View::parse(&value) {
                Some(v) => flags.view = v,
                None => problems.push(format!(
                    "This link asks for view={}, which this page does not know, so it shows the full model. The views are {}.",
                    quoted(&value),
                    View::ALL.map(View::as_str).join(", ")
                )),
            },
            "theme" => match Theme::parse(&value) {
                Some(t) => flags.theme = t,
                None => problems.push(format!(
                    "This link asks for theme={}, which this page does not know, so it follows your browser's light or dark setting. The themes are auto, light and dark.",
                    quoted(&value)
                )),
            },
            "edit" => {
                for path in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if flags.edit.iter().any(|p| p == path) {
                        continue;
                    }
                    if flags.edit.len() == MAX_EDIT {
                        problems.push(format!(
                            "This link lists more than {MAX_EDIT} inputs to show (edit=); the page shows the first {MAX_EDIT}."
                        ));
                        break;
                    }
                    if is_editable(path) {
                        flags.edit.push(path.to_owned());
                    } else {
                        problems.push(format!(
                            "This link asks to show the input {} (edit=), which is not one this page can show beside a compact view.",
                            quoted(path)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    (flags, problems)
}

/// Whether `path` has one of the shapes in [`EDITABLE`], indices written
/// as plain whole numbers (`stages[2].days`, not `stages[02].days`).
pub fn is_editable(path: &str) -> bool {
    let mut shape = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        shape.push_str(&rest[..=open]);
        let Some(close) = rest[open..].find(']') else {
            return false;
        };
        let index = &rest[open + 1..open + close];
        let plain = !index.is_empty()
            && index.len() <= 2
            && index.bytes().all(|b| b.is_ascii_digit())
            && (index == "0" || !index.starts_with('0'));
        if !plain {
            return false;
        }
        rest = &rest[open + close..];
    }
    shape.push_str(rest);
    EDITABLE.contains(&shape.as_str())
}

/// A value from the link as the page quotes it back: short, and only
/// printable characters (a link is anyone's text).
fn quoted(value: &str) -> String {
    let mut shown: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        shown.push('…');
    }
    format!("“{shown}”")
}

/// `%5B` -> `[`: hosts and link shorteners may escape the brackets and
/// commas of `edit=`. Anything that is not a valid escape stays as it is.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flags_is_the_full_view_in_the_reader_s_scheme() {
        for fragment in ["", "#", "#v=1&seed=1&trials=100&s=e30", "#workers=2"] {
            assert_eq!(read(fragment), (Flags::default(), vec![]), "{fragment}");
        }
        assert_eq!(Flags::default().to_fragment(), "");
    }

    #[test]
    fn every_view_and_theme_reads_back_from_its_fragment() {
        for view in View::ALL {
            for theme in Theme::ALL {
                let flags = Flags {
                    view,
                    edit: vec!["leads.per_month".into(), "stages[2].conversion".into()],
                    theme,
                };
                let fragment = format!("#v=1{}", flags.to_fragment());
                assert_eq!(read(&fragment), (flags, vec![]), "{fragment}");
            }
        }
        assert_eq!(
            read("#v=1&view=histogram&edit=leads.per_month,stages[2].conversion&theme=dark").0,
            Flags {
                view: View::Histogram,
                edit: vec!["leads.per_month".into(), "stages[2].conversion".into()],
                theme: Theme::Dark,
            }
        );
        assert!(View::Histogram.is_compact() && View::Results.is_compact());
        assert!(!View::Full.is_compact());
        assert_eq!(Theme::Auto.attribute(), None);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }

    #[test]
    fn unknown_values_fall_back_and_say_so() {
        let (flags, problems) = read("#view=charts&theme=sepia&s=e30");
        assert_eq!(flags, Flags::default());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("view=“charts”"), "{}", problems[0]);
        assert!(problems[0].contains("full model"), "{}", problems[0]);
        assert!(problems[0].contains("histogram"), "{}", problems[0]);
        assert!(problems[1].contains("theme=“sepia”"), "{}", problems[1]);

        // A hostile value is quoted short and without control characters.
        let (_, problems) = read(&format!("#view={}%0A", "x".repeat(500)));
        assert!(problems[0].chars().count() < 260, "{}", problems[0]);
        assert!(!problems[0].contains('\n'));
    }

    #[test]
    fn edit_paths_are_checked_one_by_one() {
        let (flags, problems) = read(
            "#edit=leads.per_month,leads.colour,stages[1].days,stages[x].days,stages[01].days,,leads.per_month",
        );
        assert_eq!(flags.edit, ["leads.per_month", "stages[1].days"]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("“leads.colour”"), "{problems:?}");
        // Escaped brackets and commas read as themselves.
        let (flags, problems) = read("#edit=stages%5B2%5D.conversion%2Cdeal_size.median");
        assert_eq!(flags.edit, ["stages[2].conversion", "deal_size.median"]);
        assert!(problems.is_empty());
        // A broken escape stays as it is (and is then no path).
        let (flags, problems) = read("#edit=leads.per_month%2");
        assert!(flags.edit.is_empty() && problems.len() == 1);
    }

    #[test]
    fn a_long_edit_list_is_cut_with_a_message() {
        let list: Vec<String> = (0..20).map(|i| format!("stages[{i}].days")).collect();
        let (flags, problems) = read(&format!("#edit={}", list.join(",")));
        assert_eq!(flags.edit.len(), MAX_EDIT);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn the_shapes_of_paths() {
        for ok in [
            "leads.per_month",
            "stages[0].conversion",
            "stages[19].conversion.sd",
            "team.reps",
            "trials",
        ] {
            assert!(is_editable(ok), "{ok}");
        }
        for bad in [
            "",
            "stages",
            "stages[].days",
            "stages[1]",
            "stages[1.days",
            "stages[123].days",
            "name",
            "seed",
            "leads.per_month.x",
            "plans[0].cap",
        ] {
            assert!(!is_editable(bad), "{bad}");
        }
    }
}
