//! Plain-language help beside the results, one click away.

use leptos::prelude::*;

#[component]
pub fn Help() -> impl IntoView {
    view! {
        <details class="panel help" id="help">
            <summary>"How to read this forecast"</summary>
            <h3>"Trials"</h3>
            <p>
                "The app plays out your funnel thousands of times, week by week. Each play is a "
                <em>"trial"</em>
                ": one possible future. The numbers describe all the trials together."
            </p>
            <h3>"P10, P50 and P90"</h3>
            <p>
                "These are percentiles of revenue over the trials. 10% of simulated outcomes lie at or below P10 "
                "(a cautious case), half at or below P50 (the median), and 90% of simulated outcomes lie at or "
                "below P90 (an optimistic case). So 8 in 10 trials land between P10 and P90."
            </p>
            <h3>"Chance of reaching the target"</h3>
            <p>
                "The share of trials whose revenue reaches the target. It is itself estimated from a finite "
                "number of trials; the “give or take” beside it is that estimate’s standard error (its Monte Carlo "
                "error) in percentage points, and tables show it as “± pts”. "
                "More trials make it smaller."
            </p>
            <h3>"Funnel view and pipeline view"</h3>
            <p>
                "The " <strong>"funnel"</strong> " adds up the whole horizon: how many deals entered each stage, "
                "what share moved on and how many were lost. The lost value is what the lost deals would have "
                "brought had they moved on, at the later stages’ average rates."
            </p>
            <p>
                "The " <strong>"pipeline"</strong> " follows time: revenue won month by month, and the deals still "
                "open when the horizon ends. Deals take time to move through the stages, so some of this "
                "period’s leads only close after it."
            </p>
            <h3>"Uncertainty and noise"</h3>
            <p>
                <strong>"Uncertainty"</strong> " is what you do not know: the true conversion rate or lead volume. "
                "It is drawn once per trial, so in one trial the rate might be 27% all year and in another 33%. "
                "Enter it as a spread, as “won X of Y” history, or, for lead volume, as how far it may be off "
                "in percent (one standard deviation as a share of the volume: its coefficient of variation, CV)."
            </p>
            <p>
                <strong>"Noise"</strong> " is chance even when the rates are known: which deals happen to close. "
                "It is drawn every week (“Random”: each week’s leads are a Poisson count around "
                "the expected number). Uncertainty usually widens the range far more than noise."
            </p>
            <h3>"Levers"</h3>
            <p>
                "Each lever moves one input 10% down and 10% up (a stage’s conversion, 50% to 45% or 55%; "
                "its days; its weekly capacity; lead volume; deal size) and replays the same trials with "
                "the same random numbers. A plan’s assumed uplift uses the same unit: +5% is 5% of the rate. "
                "Each bar is the change in average revenue; “chance” is the change in the chance of reaching "
                "the target. Because only the lever differs, even small effects are real, not luck. A move "
                "that cannot change anything is left out and the note says why: the model moves deals a week "
                "at a time, so a stage of a week or less takes a week either way."
            </p>
            <h3>"Bottlenecks"</h3>
            <p>
                "A stage with a weekly capacity that is full most weeks holds everything behind it back, "
                "whatever its conversion rate: it is named as the bottleneck. The biggest leak is another "
                "question: the stage where fewer lost deals would add the most revenue before the horizon, "
                "that is whose conversion, 10% higher, adds the most. It is rarely the top of the funnel, "
                "which loses the most deals: a better rate there pays only once those deals cross every "
                "later stage, and today’s open deals have passed it already."
            </p>
            <h3>"Incentive plans"</h3>
            <p>
                "Each plan is played out on the same trials as the others, so the difference between two "
                "plans comes from the plans, not from chance. A plan changes revenue only through the effect "
                "you assume for it. Payouts bend upward above quota, so paying everyone for the average "
                "attainment is not what the plan costs on average; the comparison shows both."
            </p>
            <h3>"Random numbers (the seed)"</h3>
            <p>
                "The “Random numbers” field is the seed that fixes them: the same scenario, trials and seed give "
                "the same results on any computer, so a copied link shows exactly these numbers. “New random "
                "numbers” shows how much the numbers move by chance alone."
            </p>
        </details>
    }
}
