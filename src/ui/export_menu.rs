//! The toolbar's "Export results" menu: the summary JSON and the per-trial
//! CSV as `funnelsim run` writes them, the funnel and open-deal tables as
//! CSV (`share::export`), and each chart on the page as SVG or PNG
//! (`browser::chart_svg`, `chart_png`).

use leptos::prelude::*;

use crate::browser;
use crate::share::export;
use crate::ui::state::{Notice, use_ctx};

#[component]
pub fn ExportMenu() -> impl IntoView {
    let ctx = use_ctx();
    // The charts on the page, listed when the menu opens (they come and go
    // with the scenario: plans, levers).
    let charts = RwSignal::new(Vec::<String>::new());
    let no_results = move || ctx.results.with(Option::is_none);
    let name = move || {
        ctx.results
            .with_untracked(|r| r.as_ref().map(|f| f.summary.name.clone()))
            .unwrap_or_default()
    };
    let failed = move |what: &str, e: String| {
        ctx.notice.set(Some(Notice {
            title: format!("Could not export {what}"),
            lines: vec![e],
            footer: String::new(),
        }))
    };
    let save =
        move |what: &'static str, file: &'static str, ext: &'static str, mime: &'static str| {
            let Some(forecast) = ctx.results.get_untracked() else {
                return;
            };
            let text = match file {
                "summary" => export::summary_json(&forecast.summary),
                "trials" => export::samples_csv(&forecast.trials),
                "funnel" => export::funnel_csv(&forecast.summary),
                _ => export::open_at_horizon_csv(&forecast.summary),
            };
            let filename = export::file_name(&name(), file, ext);
            match browser::download(&filename, &text, mime) {
                Ok(()) => ctx.announce.set(format!("Exported {what} as {filename}.")),
                Err(e) => failed(what, e),
            }
        };
    let chart = move |index: usize, title: String, png: bool| {
        let scenario = name();
        let slug = format!("chart-{}", index + 1);
        if !png {
            let filename = export::file_name(&scenario, &slug, "svg");
            match browser::chart_svg(index) {
                Some((svg, _, _)) => match browser::download(&filename, &svg, "image/svg+xml") {
                    Ok(()) => ctx
                        .announce
                        .set(format!("Exported the chart as {filename}.")),
                    Err(e) => failed("the chart", e),
                },
                None => failed("the chart", "It is no longer on the page.".into()),
            }
            return;
        }
        leptos::task::spawn_local(async move {
            let filename = export::file_name(&scenario, &slug, "png");
            match browser::chart_png(index, &title, &scenario).await {
                Ok(blob) => match browser::download_blob(&filename, &blob) {
                    Ok(()) => ctx
                        .announce
                        .set(format!("Exported the chart as {filename}.")),
                    Err(e) => failed("the chart", e),
                },
                Err(e) => failed("the chart", e.to_owned()),
            }
        });
    };

    view! {
        <details
            class="export-menu"
            id="export-menu"
            on:toggle=move |_| charts.set(browser::chart_titles())
        >
            <summary>"Export results…"</summary>
            <div class="export-items">
                <p class="muted small" hidden=move || !no_results()>"Available once the forecast is ready."</p>
                <button type="button" class="secondary" id="export-summary" disabled=no_results
                    on:click=move |_| save("the summary", "summary", "json", "application/json")>
                    "Summary (JSON)"
                </button>
                <button type="button" class="secondary" id="export-trials" disabled=no_results
                    on:click=move |_| save("every trial", "trials", "csv", "text/csv")>
                    "Every trial (CSV)"
                </button>
                <button type="button" class="secondary" id="export-funnel" disabled=no_results
                    on:click=move |_| save("the funnel table", "funnel", "csv", "text/csv")>
                    "Funnel table (CSV)"
                </button>
                <button type="button" class="secondary" id="export-open" disabled=no_results
                    on:click=move |_| save("the open deals table", "open-at-horizon", "csv", "text/csv")>
                    "Deals open at the horizon (CSV)"
                </button>
                <ul class="export-charts" aria-label="Charts">
                    {move || charts
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, title)| {
                            let t = title.clone();
                            view! {
                                <li>
                                    <span class="export-chart-title">{title.clone()}</span>
                                    <button type="button" class="secondary" data-chart=i
                                        aria-label=format!("{title}: SVG")
                                        on:click=move |_| chart(i, t.clone(), false)>"SVG"</button>
                                    <button type="button" class="secondary" data-chart=i
                                        aria-label=format!("{title}: PNG")
                                        on:click={
                                            let t = title.clone();
                                            move |_| chart(i, t.clone(), true)
                                        }>"PNG"</button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </details>
    }
}
