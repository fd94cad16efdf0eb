// Links a hostile (or just unlucky) user can send: each must open to results, or to a
// progress bar that can be stopped, without freezing or crashing the page (docs/bounds.md).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { link, newPage, settled, shot, useHarness } from './harness.mjs';

useHarness();

describe('hostile links', () => {
  test('a fixed deal size with a team and 1e12 leads a month opens to results', async () => {
    // Once, every won deal was valued and assigned one at a time: no trial finished.
    const page = await newPage();
    await page.goto(link({
      version: 1,
      name: 'A trillion leads',
      horizon_months: 60,
      leads: { per_month: 1e12 },
      stages: [{ name: 'Lead', conversion: 1, days: 0 }],
      deal_size: { median: 1000, p90: 1000 },
      team: { reps: 1, quota: 1e6 },
      plans: [{ name: 'Flat', commission: [{ from: 0, rate: 0.1 }] }],
    }, 10000));
    await settled(page);
    const mean = await page.textContent('#mean-revenue');
    assert.match(mean, /\$/, mean);
    assert.ok(await page.locator('#plan-comparison').count(), 'the plan is compared');
    await shot(page, 'hostile-trillion-leads', false);
  });

  test('500 reps, 5 plans and 200,000 trials run with a progress bar that stops', async () => {
    // Once needed 4.75 GB: every rep's attainment in every trial, kept and cloned.
    const plans = [0, 1, 2, 3, 4].map((k) => ({
      name: `Plan ${k + 1}`,
      commission: [{ from: 0, rate: 0.08 }, { from: 1, rate: 0.12 }],
      quota_bonus: 2000,
      effect: { conversion: { Proposal: 0.01 * k }, leads: 0.02 * k },
    }));
    const page = await newPage();
    await page.goto(link({
      version: 1,
      name: 'Big team',
      horizon_months: 12,
      leads: { per_month: 20000 },
      stages: [
        { name: 'Lead', conversion: 0.3, days: 5 },
        { name: 'Proposal', conversion: 0.5, days: 10 },
      ],
      deal_size: { median: 12000, p90: 30000 },
      target: { revenue: 1e8 },
      team: { reps: 500, quota: 250000, skill_sd: 0.3 },
      plans,
    }, 200000));
    await page.waitForSelector('#stop');
    const progress = () => page.evaluate(() => Number(document.querySelector('#progress')?.value ?? 0));
    const first = await progress();
    await page.waitForFunction((p) => Number(document.querySelector('#progress')?.value ?? 0) > p, first);
    await shot(page, 'hostile-big-team-running', false);
    // The page answers while it runs: the form can be scrolled to and read.
    assert.equal(await page.inputValue('#f-trials'), '200000');
    await page.click('#stop');
    await page.waitForSelector('#status[data-phase="stopped"]');
  });

  test('a run too big for the browser\'s memory names trials, and fewer trials run', async () => {
    // 1,000,000 trials of 60 months would hold 528 MB of trials on the page, twice on a worker.
    const scenario = {
      version: 1,
      name: 'Five years',
      horizon_months: 60,
      leads: { per_month: 100 },
      stages: [{ name: 'Lead', conversion: 0.2, days: 10 }],
      deal_size: { median: 1000, p90: 3000 },
    };
    const page = await newPage();
    await page.goto(link(scenario, 1000000));
    await page.waitForSelector('#status[data-phase="invalid"]');
    assert.match(
      await page.textContent('#f-trials-error'),
      /^Trials: At most 508,000 trials for 60 months in the browser \(its memory\); the command line runs more$/,
    );
    await page.locator('#f-trials').fill('508000');
    await settled(page);
    assert.match(await page.textContent('#done-note'), /^508,000 trials with random numbers 1, in /);
  });
});
