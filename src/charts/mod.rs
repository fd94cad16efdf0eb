//! SVG charts in the style of leptos-chartistry: geometry (scales, ticks,
//! bins, paths, label placement, per-chart layouts) is pure and unit-tested;
//! the components only draw a precomputed layout.
//!
//! Every chart is an `<svg>` with a `<title>` and a `<desc>` (both
//! referenced by `aria-labelledby`), a fixed-width `viewBox` scaled by
//! `width="100%"` (all drawn by `frame::ChartFrame`), and colours from CSS
//! custom properties defined in `style/charts.css`. Axes, grids and legend
//! items are drawn by `draw`. A chart is `role="img"`, or `role="group"`
//! when it holds focusable marks (`frame::mark`: the details of a bar or a
//! stage for keyboard and touch, not only in a hover `<title>`); each but
//! the tornado also offers its numbers as a table (`table::ChartTable`,
//! built from the chart's layout by its `*_table` function).

pub mod bins;
pub mod common;
pub mod debrief;
pub mod distribution;
pub mod draw;
pub mod frame;
pub mod funnel;
pub mod histogram;
pub mod leads;
pub mod medians;
pub mod months;
pub mod path;
pub mod payout;
pub mod pipeline;
pub mod scale;
pub mod season;
pub mod table;
pub mod tornado;

pub use distribution::{Distribution, DistributionChart};
pub use funnel::{FunnelChart, FunnelRow};
pub use histogram::RevenueHistogram;
pub use medians::{MedianLine, MediansChart};
pub use payout::{PayoutCurve, PayoutCurveChart};
pub use pipeline::{MilestoneMark, MonthBand, PipelineChart};
pub use tornado::{TornadoChart, TornadoRow, TornadoSide};

/// WCAG contrast of the default palette in `style/charts.css`.
#[cfg(test)]
mod contrast_tests {
    const CSS: &str = include_str!("../../style/charts.css");

    type Palette = Vec<(String, [u8; 3])>;

    /// `--chart-NAME` → `#rrggbb` (the last hex colour in its value).
    fn palette(block: &str) -> Palette {
        block
            .split(';')
            .filter_map(|decl| {
                let decl = decl.trim();
                let start = decl.find("--chart-")?;
                let (name, value) = decl[start..].split_once(':')?;
                let hash = value.rfind('#')?;
                let hex = value.get(hash + 1..hash + 7)?;
                let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                let rgb = [channel(0)?, channel(2)?, channel(4)?];
                Some((name.trim().to_string(), rgb))
            })
            .collect()
    }

    /// The stylesheet without `/* … */` comments.
    fn css() -> String {
        let mut out = String::new();
        let mut rest = CSS;
        while let Some(start) = rest.find("/*") {
            out.push_str(&rest[..start]);
            rest = rest[start..]
                .find("*/")
                .map_or("", |end| &rest[start + end + 2..]);
        }
        out.push_str(rest);
        out
    }

    fn blocks() -> (Palette, Palette) {
        let css = css();
        let dark_at = css
            .find("@media (prefers-color-scheme: dark)")
            .expect("dark block");
        let rest = &css[dark_at..];
        // The media query's block ends where the next block starts.
        let dark_end = [
            rest[1..].find("@media").map(|i| i + 1),
            rest.find(FORCED_DARK),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
        let light_start = css.find(":where(:root)").expect("light block");
        (
            palette(&css[light_start..dark_at]),
            palette(&rest[..dark_end]),
        )
    }

    /// The dark scheme a link's `theme=dark` forces (`share::flags`).
    const FORCED_DARK: &str = ":where(:root[data-theme=\"dark\"])";

    /// The forced dark palette, which must be the media query's.
    fn forced_dark() -> Palette {
        let css = css();
        let at = css.find(FORCED_DARK).expect("forced dark block");
        let rest = &css[at..];
        palette(&rest[..rest.find('}').map_or(rest.len(), |i| i + 1)])
    }

    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let f = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }

    fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    fn get(p: &[(String, [u8; 3])], name: &str) -> [u8; 3] {
        p.iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .1
    }

    #[test]
    fn palettes_meet_wcag_aa() {
        let (light, dark) = blocks();
        for (theme, p) in [("light", &light), ("dark", &dark)] {
            let surface = get(p, "--chart-surface");
            let leak_bg = get(p, "--chart-leak-bg");
            for text in [
                "--chart-text",
                "--chart-muted",
                "--chart-target",
                "--chart-leak",
                "--chart-line",
            ] {
                let r = ratio(get(p, text), surface);
                assert!(r >= 4.5, "{theme}: {text} on surface is {r:.2}");
            }
            for text in ["--chart-text", "--chart-muted", "--chart-leak"] {
                let r = ratio(get(p, text), leak_bg);
                assert!(r >= 4.5, "{theme}: {text} on leak-bg is {r:.2}");
            }
            for graphic in [
                "--chart-bar",
                "--chart-bar-above",
                "--chart-band",
                "--chart-lost",
            ] {
                let r = ratio(get(p, graphic), surface);
                assert!(r >= 3.0, "{theme}: {graphic} on surface is {r:.2}");
            }
            // Lost hatching must stand out from the leak highlight and from
            // the still-open fill it sits next to.
            assert!(ratio(get(p, "--chart-lost"), leak_bg) >= 3.0, "{theme}");
            assert!(
                ratio(get(p, "--chart-lost"), get(p, "--chart-open")) >= 3.0,
                "{theme}"
            );
            for line in [
                "--chart-milestone",
                "--chart-series-1",
                "--chart-series-2",
                "--chart-series-3",
                "--chart-series-4",
                "--chart-series-5",
            ] {
                let r = ratio(get(p, line), surface);
                assert!(r >= 4.5, "{theme}: {line} on surface is {r:.2}");
            }
            for bg in ["--chart-surface", "--chart-select-bg", "--chart-hover-bg"] {
                for bar in ["--chart-gain", "--chart-loss"] {
                    let r = ratio(get(p, bar), get(p, bg));
                    assert!(r >= 3.0, "{theme}: {bar} on {bg} is {r:.2}");
                }
            }
            for bar in ["--chart-gain", "--chart-loss"] {
                let r = ratio(get(p, "--chart-on-bar"), get(p, bar));
                assert!(r >= 4.5, "{theme}: on-bar text on {bar} is {r:.2}");
            }
            for bg in ["--chart-select-bg", "--chart-hover-bg"] {
                for text in ["--chart-text", "--chart-muted"] {
                    let r = ratio(get(p, text), get(p, bg));
                    assert!(r >= 4.5, "{theme}: {text} on {bg} is {r:.2}");
                }
            }
            let r = ratio(get(p, "--chart-line"), get(p, "--chart-select-bg"));
            assert!(r >= 3.0, "{theme}: selected outline is {r:.2}");
            // Bars above the target differ in lightness, not only in hue.
            let r = ratio(get(p, "--chart-bar"), get(p, "--chart-bar-above"));
            assert!(r >= 1.8, "{theme}: bar vs bar-above is {r:.2}");
        }
    }

    #[test]
    fn both_themes_define_the_same_colours() {
        let (light, dark) = blocks();
        let names = |p: &[(String, [u8; 3])]| {
            let mut v: Vec<String> = p.iter().map(|(n, _)| n.clone()).collect();
            v.sort();
            v
        };
        assert_eq!(names(&light), names(&dark));
        assert!(light.len() >= 12);
        assert_eq!(
            forced_dark(),
            dark,
            "theme=dark must force the same colours"
        );
    }
}

/// Odd inputs never panic and never leak NaN/infinity into the drawing.
#[cfg(test)]
mod robustness_tests {
    use super::distribution::{distribution_layout, distribution_table};
    use super::funnel::{funnel_layout, funnel_table};
    use super::histogram::{histogram_layout, histogram_table};
    use super::payout::{payout_layout, payout_table};
    use super::pipeline::{pipeline_layout, pipeline_table};
    use super::tornado::tornado_layout;
    use super::*;

    const SPECIAL: [f64; 12] = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1e-300,
        4_912_169.0,
        -2.5e6,
        1e15,
        f64::MAX,
        f64::NAN,
        f64::INFINITY,
    ];

    /// Deterministic pseudo-random picks from `SPECIAL` (xorshift).
    fn picks(seed: u64, n: usize) -> Vec<f64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                SPECIAL[(x % SPECIAL.len() as u64) as usize]
            })
            .collect()
    }

    fn clean(s: &str) {
        assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
    }

    /// A table with a cell per column and only numbers people can read.
    fn clean_table(t: &table::ChartTable) {
        assert!(t.is_rectangular(), "{t:?}");
        clean(&t.caption);
        t.rows.iter().flatten().for_each(|c| clean(c));
    }

    #[test]
    fn layouts_survive_odd_input() {
        for seed in 0..200u64 {
            let v = picks(seed, (seed % 9) as usize);
            let p = picks(seed + 1000, 4);
            let target = (seed % 3 != 0).then_some(p[3]);

            let h = histogram_layout(&v, v.len() as u64, target, [p[0], p[1], p[2]], "USD");
            assert!(h.height.is_finite());
            for s in h.bars.iter().flat_map(|b| &b.segments) {
                assert!(s.x.is_finite() && s.y.is_finite() && s.width >= 0.0 && s.height >= 0.0);
            }
            for m in &h.markers {
                assert!(m.x.is_finite() && m.label_x.is_finite() && m.label_y.is_finite());
            }
            assert!(h.ticks.iter().all(|t| t.pos.is_finite()));
            clean(&h.desc);
            clean_table(&histogram_table(&h));

            let rows: Vec<FunnelRow> = v
                .chunks(3)
                .enumerate()
                .map(|(i, c)| FunnelRow {
                    name: format!("S{i}"),
                    entered: c[0],
                    advanced: *c.get(1).unwrap_or(&0.0),
                    lost: *c.get(2).unwrap_or(&0.0),
                    conversion: p[0],
                    lost_value: p[1],
                })
                .collect();
            let f = funnel_layout(&rows, Some(seed as usize % 4), "EUR");
            for s in f.stages.iter().flat_map(|s| &s.segments) {
                assert!(s.x.is_finite() && s.width.is_finite() && s.width >= 0.0);
            }
            clean(&f.desc);
            clean_table(&funnel_table(&f, "EUR"));

            let months: Vec<MonthBand> = v
                .iter()
                .enumerate()
                .map(|(i, &x)| MonthBand {
                    month: i + (seed as usize % 2),
                    p10: x,
                    p50: p[(i + 1) % 4],
                    p90: p[i % 4],
                    mean: x,
                })
                .collect();
            let marks: Vec<MilestoneMark> = v
                .iter()
                .enumerate()
                .map(|(i, &x)| MilestoneMark {
                    month: i,
                    revenue: x,
                    probability: p[i % 4],
                })
                .collect();
            let pl = pipeline_layout(&months, target, &marks, "CHF");
            for path in [&pl.band, &pl.upper, &pl.lower, &pl.median] {
                clean(path);
            }
            assert!(pl.y_ticks.iter().all(|t| t.pos.is_finite()));
            assert!(pl.x_ticks.iter().all(|t| t.pos.is_finite()));
            assert!(pl.dots.iter().all(|d| d.x.is_finite() && d.y.is_finite()));
            for m in &pl.milestones {
                assert!(m.x.is_finite() && m.y.is_finite());
                assert!(m.label_x.is_finite() && m.label_y.is_finite());
            }
            clean(&pl.desc);
            clean_table(&pipeline_table(&pl, "CHF"));

            let levers: Vec<TornadoRow> = v
                .iter()
                .enumerate()
                .map(|(i, &x)| TornadoRow {
                    lever: format!("L{i}"),
                    now: String::new(),
                    down: (i % 3 != 0).then(|| TornadoSide {
                        index: 2 * i,
                        change: "-10%".into(),
                        values: String::new(),
                        delta: -x,
                        se: p[i % 4],
                        probability_delta: target,
                    }),
                    up: Some(TornadoSide {
                        index: 2 * i + 1,
                        change: "+10%".into(),
                        values: String::new(),
                        delta: x,
                        se: p[(i + 1) % 4],
                        probability_delta: target,
                    }),
                })
                .collect();
            let t = tornado_layout(&levers, Some(seed as usize % 5), "USD");
            assert!(t.zero_x.is_finite() && t.height.is_finite());
            for s in t.levers.iter().flat_map(|l| &l.sides) {
                assert!(s.bar_x.is_finite() && s.bar_width.is_finite() && s.bar_width >= 0.0);
                assert!(s.value_x.is_finite());
                if let Some((a, b)) = s.whisker {
                    assert!(a.is_finite() && b.is_finite() && a <= b);
                }
            }
            assert!(t.ticks.iter().all(|t| t.pos.is_finite()));
            clean(&t.desc);
            clean_table(&tornado::tornado_table(&levers, "USD"));

            let curves: Vec<PayoutCurve> = (0..(seed as usize % 3))
                .map(|k| PayoutCurve {
                    name: format!("P{k}"),
                    points: v
                        .iter()
                        .zip(&p)
                        .map(|(&a, &b)| (a.abs().min(3.0), b))
                        .collect(),
                })
                .collect();
            let pc = payout_layout(&curves, p[0], "USD");
            for c in &pc.curves {
                clean(&c.path);
                clean(&c.summary);
            }
            assert!(pc.y_ticks.iter().all(|t| t.pos.is_finite()));
            clean(&pc.desc);
            clean_table(&payout_table(&pc, "USD"));

            let series: Vec<Distribution> = (0..(seed as usize % 3))
                .map(|k| Distribution {
                    name: format!("S{k}"),
                    values: picks(seed + k as u64 * 77, (seed % 7) as usize),
                })
                .collect();
            let marker = (seed % 2 == 0).then_some((p[1], "Quota"));
            let currency = (seed % 3 == 0).then_some("EUR");
            let d = distribution_layout(&series, currency, marker, "X");
            for s in &d.series {
                clean(&s.outline);
                clean(&s.area);
            }
            for h in &d.hovers {
                assert!(h.x.is_finite() && h.width.is_finite() && h.width >= 0.0);
            }
            if let Some(m) = &d.marker {
                assert!(m.x.is_finite() && m.label_x.is_finite());
            }
            assert!(d.y_ticks.iter().all(|t| t.pos.is_finite()));
            assert!(d.x_ticks.iter().all(|t| t.pos.is_finite()));
            clean(&d.desc);
            clean_table(&distribution_table(&d));
        }
    }
}
