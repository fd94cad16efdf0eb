//! The page's components: `edit` (the form), `results` (what the forecast
//! says), the toolbar and help; their state and the controller are in `state`.

pub mod classroom;
mod edit;
mod embed_dialog;
mod export_menu;
mod help;
mod import;
mod library;
mod results;
pub mod state;
mod toolbar;
mod views;

use leptos::prelude::*;

use crate::bench::{self, Bench};
use crate::browser;
use state::Ctx;

/// The whole page: the benchmark when the URL asks for it, else the forecaster.
#[component]
pub fn App() -> impl IntoView {
    match bench::requested(&browser::search()) {
        Some(trials) => view! { <Bench trials=trials /> }.into_any(),
        None => view! { <Forecaster /> }.into_any(),
    }
}

/// Inside an iframe: the host page hears the page's height as it changes
/// and the figures of each finished run (`share::embed`).
fn tell_the_host(ctx: Ctx) {
    use crate::share::embed;
    browser::watch_height(|h| browser::post_to_parent(&embed::height_message(h)));
    Effect::new(move |_| {
        if let Some(forecast) = ctx.results.get() {
            browser::post_to_parent(&embed::result_message(&forecast.summary));
        }
    });
}

#[component]
fn Forecaster() -> impl IntoView {
    let ctx = Ctx::start();
    provide_context(ctx);
    provide_context(state::levers::Levers::start(ctx));
    provide_context(classroom::trainer::Trainer::new(ctx));
    if browser::in_frame() {
        tell_the_host(ctx);
    }
    // The link's view flags (`share::flags`): read once, as the page opens.
    let (flags, flag_problems) = crate::share::flags::read(&browser::hash());
    browser::set_root_attribute("data-theme", flags.theme.attribute());
    if flags.view.is_compact() {
        return view! { <views::Compact flags=flags problems=flag_problems /> }.into_any();
    }
    view! {
        <a class="skip-link" href="#results-title" on:click=|ev| {
            ev.prevent_default();
            browser::focus("results-title");
        }>"Skip to the forecast"</a>
        <header class="page-header">
            <h1>"Sales funnel forecast"</h1>
            <p class="intro">
                "Describe your funnel: leads, stages and deal sizes. "
                "The forecast below simulates thousands of possible futures and updates as you type. "
                "Nothing leaves your browser."
            </p>
        </header>
        <views::FlagNotes problems=flag_problems />
        <main class="layout">
            <div class="inputs">
                <toolbar::Toolbar />
                <classroom::student::StudentPanel />
                <edit::form::ScenarioForm />
                <results::MiniSummary />
            </div>
            <div class="outputs">
                <views::print::PrintTitle />
                <results::Results />
                <results::levers::LeversPanel />
                <results::goal::GoalPanel />
                <views::print::PrintInputs />
            </div>
        </main>
        <classroom::trainer::ClassroomPanel />
    }
    .into_any()
}
