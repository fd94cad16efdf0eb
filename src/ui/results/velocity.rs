//! Sales velocity and pipeline coverage (`Summary.pipeline`), each with its
//! P10 to P90 range and a sentence saying what it means.

use std::sync::Arc;

use leptos::prelude::*;

use crate::format::MISSING;
use crate::jobs::headline::Forecast;
use crate::words;

#[component]
pub fn PipelineHealth(forecast: Arc<Forecast>) -> impl IntoView {
    let s = &forecast.summary;
    view! {
        <section class="panel" id="pipeline-health" aria-labelledby="health-title">
            <h3 id="health-title">"Sales velocity and pipeline coverage"</h3>
            <ul class="key-figures">
                <li class="figure">
                    <span class="figure-label">"Sales velocity"</span>
                    <span class="figure-value" id="velocity">
                        {words::velocity::velocity_value(s).unwrap_or_else(|| MISSING.to_owned())}
                    </span>
                    <span class="figure-note">{words::velocity::velocity_range(s)}</span>
                </li>
                <li class="figure">
                    <span class="figure-label">"Pipeline coverage"</span>
                    <span class="figure-value" id="coverage">
                        {words::velocity::coverage_value(s).unwrap_or_else(|| MISSING.to_owned())}
                    </span>
                    <span class="figure-note">{words::velocity::coverage_range(s)}</span>
                </li>
            </ul>
            <p id="velocity-sentence">{words::velocity::velocity_sentence(s)}</p>
            <p id="coverage-sentence">{words::velocity::coverage_sentence(s)}</p>
        </section>
    }
}
