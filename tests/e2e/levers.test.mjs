// Browser tests of bottlenecks, levers, goals, milestones, velocity and coverage
// (the build in dist/ at the repository root, or DIST=...).
//
//   cd tests/e2e && node --test levers.test.mjs       (after `trunk build --release`)
//   DIST=/tmp/levers-dist node --test levers.test.mjs
//
// The shared harness (harness.mjs): playwright-core drives Debian's Chromium, a tiny
// static server serves the build, and every test fails on any console error, uncaught
// page error, failed request or HTTP error. Screenshots go to tests/e2e/screenshots/.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  axeSource, base, browser, newPage, root, settled, shot, shots, typeInto, useHarness,
} from './harness.mjs';

// The lever sweep on a loaded machine can take a while.
useHarness({ timeout: 180_000 });

/** Waits until the levers shown are for the forecast on screen. */
async function leversDone(page) {
  await settled(page);
  await page.waitForSelector('#lever-status[data-phase="idle"] #levers-done[data-elapsed-ms]');
  await page.waitForSelector('.levers-body:not(.stale) svg.chart-tornado');
}

/** The app's link for a scenario: `#v=1&seed=S&trials=N&s=<base64url JSON>`. */
function link(scenario, trials = 10_000, seed = 1) {
  const s = Buffer.from(JSON.stringify(scenario)).toString('base64url');
  return `${base}/#v=1&seed=${seed}&trials=${trials}&s=${s}`;
}

/** The scenario a page's URL holds. */
function scenarioOf(url) {
  const s = new URL(url).hash.match(/[#&]s=([A-Za-z0-9_-]+)/)[1];
  return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
}

const reference = JSON.parse(await readFile(join(root, 'scenarios', 'reference.json'), 'utf8'));

// ---------- tests ----------

describe('levers', () => {
  test('the tornado appears after the headline, ranked, with the biggest lever in words', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    // The sweep runs after the headline, with its progress in words.
    await page.waitForSelector('#lever-status[data-phase="running"]');
    assert.match(await page.locator('label[for="lever-progress"]').textContent(), /^Testing levers (\d+ of \d+|…)$/);
    await page.waitForFunction(() => /^Testing levers \d+ of \d+$/.test(document.querySelector('label[for="lever-progress"]')?.textContent ?? ''));
    await leversDone(page);

    const sentence = await page.locator('#lever-sentence').textContent();
    // Both ways: what 10% more does, and what 10% less does.
    const money = String.raw`\$[\d.]+[KM]?`;
    assert.match(
      sentence,
      new RegExp(String.raw`^The biggest lever is [A-Z][a-z]+ [a-z]+: .+ \(.+ → .+\) (adds|costs) about ${money} \(give or take ${money}\) on average and [+-][\d.]+ points? of chance of reaching the target; .+ \(.+ → .+\) (adds|costs) about ${money}\.$`),
    );
    const caption = await page.locator('#lever-caption').textContent();
    assert.match(caption, /change in mean revenue, with each input 10% lower and 10% higher/);
    assert.match(caption, /change in the chance of reaching \$5M/);
    assert.match(caption, /same 10,000 trials and random numbers/);
    assert.match(await page.locator('#levers-done').textContent(), /^Tested 12 levers, each both ways, on 10,000 trials a run in [\d.]+ s\.$/);

    // Two bars per lever (10% lower, 10% higher), the top 8 levers first.
    const bars = () => page.locator('svg.chart-tornado g.chart-lever').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
    let labels = await bars();
    assert.equal(labels.length, 16, 'the top 8 levers, both ways');
    await page.click('#levers-show-all');
    labels = await bars();
    assert.equal(labels.length, 24, '6 conversions, 4 stages longer than a week, leads, deal size; both ways');
    assert.equal(await page.getAttribute('#levers-show-all', 'aria-expanded'), 'true');
    const top = sentence.match(/^The biggest lever is (.+?):/)[1];
    assert.ok(labels[0].startsWith(top), `${labels[0]} vs ${top}`);
    // Rows ranked by reach (the larger of their two effects), each both ways.
    const rows = new Map();
    for (const l of labels) {
      const m = l.match(/^(.+?), ([+-]10%), .*mean revenue ([+-]?)\$([\d.]+)([KM]?)/);
      assert.ok(m, l);
      const size = Number(m[4]) * { '': 1, K: 1e3, M: 1e6 }[m[5]];
      assert.ok(size > 0, `no bar is zero: ${l}`);
      const row = rows.get(m[1]) ?? {};
      row[m[2]] = (m[3] === '-' ? -1 : 1) * size;
      rows.set(m[1], row);
    }
    const reach = [...rows.values()].map((r) => Math.max(Math.abs(r['-10%']), Math.abs(r['+10%'])));
    for (let i = 1; i < reach.length; i++) assert.ok(reach[i - 1] >= reach[i] * 0.999, `ranked: ${[...rows.keys()][i]}`);
    for (const [name, r] of rows) assert.ok('-10%' in r && '+10%' in r, `${name} both ways`);
    // Conversion up adds, down costs; fewer days adds.
    assert.ok(rows.get('Proposal conversion')['+10%'] > 0 && rows.get('Proposal conversion')['-10%'] < 0);
    assert.ok(rows.get('Proposal days')['-10%'] > 0);
    // The stages of a week or less have no bar, and the note says why.
    assert.ok(![...rows.keys()].some((k) => k === 'Lead days' || k === 'Contract days'));
    assert.match(await page.locator('#levers-omitted').textContent(), /^Not shown: Lead days \(the model moves deals a week at a time, so 10% more or fewer than 5 days is still one week\); Contract days /);
    await page.locator('#levers').scrollIntoViewIfNeeded();
    await shot(page, 'levers-desktop-light', false);
  });

  test('a new edit cancels the sweep; Stop stops it; typing stays responsive', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    await page.waitForSelector('#stop-levers');
    // Long tasks while the sweep runs: chunks are sized to about 25 ms.
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask', buffered: false });
    });
    const t0 = Date.now();
    await typeInto(page, '#f-leads-per_month', '1200');
    const typing = Date.now() - t0;
    // The edit cancelled the sweep; the new forecast then starts a new one.
    await settled(page);
    await page.waitForSelector('#stop-levers');
    await page.click('#stop-levers');
    await page.waitForSelector('#lever-status[data-phase="stopped"]');
    assert.equal(await page.locator('.levers-body').count(), 0, 'no levers yet for these inputs');
    await page.click('#run-levers');
    await leversDone(page);
    const longest = await page.evaluate(() => Math.max(0, ...window.__long));
    console.log(`typing 4 characters during the sweep took ${typing} ms; longest task ${longest.toFixed(0)} ms`);
    assert.ok(longest < 400, `longest main-thread task ${longest} ms`);
  });

  test('selecting a lever applies the what-if; Undo and Back restore the form', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await leversDone(page);
    const url = page.url();
    assert.equal(await page.inputValue('#f-stages-0-conversion-mean'), '30');

    // By keyboard: Tab to the lever's "10% lower" bar and press Enter.
    const lever = page.locator('svg.chart-tornado g.chart-lever[aria-label*=". Lead conversion -10% (30% → 27%):"]');
    await lever.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#f-stages-0-conversion-mean').value === '27');
    await page.waitForFunction((u) => location.href !== u, url);
    const whatIf = page.url();
    assert.equal(scenarioOf(whatIf).stages[0].conversion.mean, 0.27);
    assert.match(await page.locator('#what-if-note').textContent(), /What-if applied: Lead conversion -10% \(30% → 27%\)\./);
    assert.equal(await lever.getAttribute('aria-pressed'), 'true');
    await settled(page);
    await page.locator('#levers').screenshot({ path: join(shots, 'panel-levers-what-if.png') });

    // Undo restores the form (and the URL follows).
    await page.click('#undo-what-if');
    await page.waitForFunction(() => document.querySelector('#f-stages-0-conversion-mean').value === '30');
    assert.equal(await page.locator('#what-if-note').count(), 0);
    await settled(page);
    await page.waitForFunction((u) => location.href === u, url);

    // By mouse, then the browser's Back button.
    await leversDone(page);
    await page.locator('svg.chart-tornado g.chart-lever[aria-label*=". Deal size +10% ($12,000 → $13,200):"]').click();
    await page.waitForFunction(() => document.querySelector('#f-deal_size-median').value === '13200');
    await page.waitForFunction((u) => location.href !== u, url);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#f-deal_size-median').value === '12000');
    await page.waitForFunction(() => !document.querySelector('#what-if-note'));
    await settled(page);
  });

  test('timing: the sensitivity analysis of the reference scenario at 10,000 trials', async () => {
    const page = await newPage();
    // In-page clock: when the headline first shows as done, and when the tornado first appears.
    await page.addInitScript(() => {
      window.__t = {};
      new MutationObserver(() => {
        const now = performance.now();
        if (!window.__t.headline && document.querySelector('#status[data-phase="done"] #done-note')?.textContent) window.__t.headline = now;
        if (!window.__t.tornado && document.querySelector('svg.chart-tornado')) window.__t.tornado = now;
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.goto(link(reference));
    await leversDone(page);
    await page.click('#levers-show-all');
    const t = await page.evaluate(() => window.__t);
    const reported = Number(await page.getAttribute('#levers-done', 'data-elapsed-ms'));
    const levers = await page.locator('svg.chart-tornado g.chart-lever').count();
    const headline = await page.locator('#done-note').textContent();
    const timing = {
      scenario: 'scenarios/reference.json',
      trials: 10_000,
      levers,
      sweep_ms: reported,
      headline_to_tornado_ms: Math.round(t.tornado - t.headline),
      headline,
    };
    console.log(`sensitivity timing: ${JSON.stringify(timing)}`);
    await writeFile(join(shots, 'levers-timing.json'), JSON.stringify(timing, null, 2));
    assert.equal(levers, 24);
    assert.ok(reported > 0 && t.tornado > t.headline, JSON.stringify(timing));
  });
});

describe('bottlenecks', () => {
  test('capacity 2 on Discovery makes it the bottleneck, named in a sentence; the field is checked', async () => {
    const page = await newPage();
    await page.goto(link(reference));
    await settled(page);
    assert.equal(await page.locator('#bottleneck-sentence').count(), 0, 'no capacity, no bottleneck sentence');
    // The biggest leak waits for the levers, then the sentence and the chart name one stage.
    assert.match(await page.locator('#leak-sentence').textContent(), /named once the levers below are tested|^The biggest leak is /);
    await leversDone(page);
    const leak = await page.locator('#leak-sentence').textContent();
    const named = leak.match(/^The biggest leak is ([A-Za-z]+): if 10% more of its deals moved on \(\d+% → \d+%\), revenue would be about \$[\d.]+[KM]? higher on average, more than at any other stage\.$/);
    assert.ok(named, leak);
    assert.notEqual(named[1], 'Lead', 'not the top of the funnel just for losing the most deals');
    const boxed = await page.locator('svg.chart-funnel .chart-stage-leak .chart-stage-name, svg.chart-funnel .chart-stage-leak text').first().textContent();
    assert.ok(boxed.startsWith(named[1]), `chart marks ${boxed}, sentence names ${named[1]}`);
    assert.equal(await page.inputValue('#f-stages-2-capacity_per_week'), '');

    await typeInto(page, '#f-stages-2-capacity_per_week', '0');
    await page.waitForSelector('#f-stages-2-capacity_per_week[aria-invalid="true"]');
    assert.equal(
      await page.locator('#f-stages-2-capacity_per_week-error').textContent(),
      'Stage 3 (Discovery): capacity: Enter a whole number of deals a week, 1 or more (or leave empty for no limit)',
    );
    await typeInto(page, '#f-stages-2-capacity_per_week', '2');
    await page.waitForSelector('#f-stages-2-capacity_per_week[aria-invalid="false"]');
    await settled(page);
    assert.match(
      await page.locator('#bottleneck-sentence').textContent(),
      /^Discovery is the bottleneck: its team is at capacity in (9\d|100)% of weeks, whatever its conversion rate/,
    );
    assert.equal(scenarioOf(page.url()).stages[2].capacity_per_week, 2);
    const row = await page.locator('#capacity-table tbody tr').allTextContents();
    assert.equal(row.length, 1);
    assert.match(row[0], /^Discovery\s*2 a week\s*bottleneck\s*\d+%\s*\d+%/);
    // The drop-off table: a row per stage and the total.
    assert.equal(await page.locator('#dropoff-table tbody tr').count(), 6);
    assert.match(await page.locator('#dropoff-table tfoot').textContent(), /All stages.*100\.0%.*\$/);
    await page.locator('#funnel-title').scrollIntoViewIfNeeded();
    await shot(page, 'bottleneck-capacity');

    // The same scenario from a link.
    const fresh = await newPage();
    const withCapacity = structuredClone(reference);
    withCapacity.stages[2].capacity_per_week = 2;
    await fresh.goto(link(withCapacity));
    await settled(fresh);
    assert.equal(await fresh.inputValue('#f-stages-2-capacity_per_week'), '2');
    assert.match(await fresh.locator('#bottleneck-sentence').textContent(), /^Discovery is the bottleneck/);
    // A capacity lever is offered too.
    await leversDone(fresh);
    assert.equal(await fresh.locator('g.chart-lever[aria-label*=". Discovery capacity +10% (2 → 3 a week):"]').count(), 1);
    assert.equal(await fresh.locator('g.chart-lever[aria-label*=". Discovery capacity -10% (2 → 1 a week):"]').count(), 1);
    // The banner and the capacity table name the same bottleneck; the chart marks the leak the sentence names.
    const leakNow = await fresh.locator('#leak-sentence').textContent();
    const leakStage = leakNow.match(/^The biggest leak is ([A-Za-z]+):|^([A-Za-z]+) and [A-Za-z]+ leak about the same/);
    assert.ok(leakStage, leakNow);
    const marked = await fresh.locator('svg.chart-funnel .chart-stage-leak text').first().textContent();
    assert.ok(marked.startsWith(leakStage[1] ?? leakStage[2]), `${marked} vs ${leakNow}`);
  });
});

describe('goals, milestones, velocity and coverage', () => {
  test('the goal panel answers for the default preset and applies the answer as a what-if', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    assert.equal(await page.inputValue('#goal-confidence'), '80');
    await page.click('#find-goal');
    await page.waitForSelector('#goal-progress');
    await page.waitForSelector('#goal-answer');
    const answer = await page.locator('#goal-answer').textContent();
    assert.match(answer, /^To reach \$5,000,000 with 80% confidence you need about [\d,]+ leads a month \(today: 1,000 leads a month\); there the chance is (8\d|9\d)\.\d% \(give or take [\d.]+ points from the simulation itself\)\.$/);
    const leads = answer.match(/about ([\d,]+) leads/)[1].replace(/,/g, '');
    await page.locator('#goal').scrollIntoViewIfNeeded();
    await shot(page, 'goal-answer', false);

    await page.click('#apply-goal');
    await page.waitForFunction((n) => document.querySelector('#f-leads-per_month').value === n, leads);
    assert.match(await page.locator('#goal #what-if-note').textContent(), new RegExp(`Lead volume ${Number(leads).toLocaleString('en-US')} a month`));
    await settled(page);
    // On the new inputs the chance is about the confidence asked for.
    const chance = parseFloat(await page.locator('#target-chance').textContent());
    assert.ok(chance >= 78 && chance <= 86, `chance ${chance}%`);
    await page.click('#goal #undo-what-if');
    await page.waitForFunction(() => document.querySelector('#f-leads-per_month').value === '1000');

    // Conversion at one stage, at another confidence.
    await typeInto(page, '#goal-confidence', '150');
    await page.waitForSelector('#goal-confidence[aria-invalid="true"]');
    await typeInto(page, '#goal-confidence', '50');
    await page.selectOption('#goal-lever', { label: 'Conversion at Proposal' });
    await settled(page);
    await page.click('#find-goal');
    await page.waitForFunction(() => /conversion at Proposal of about [\d.]+%/.test(document.querySelector('#goal-answer')?.textContent ?? ''));
    assert.match(await page.locator('#goal-answer').textContent(), /with 50% confidence/);
  });

  test('milestones in the form, on the pipeline chart and in a table; velocity and coverage in words', async () => {
    const page = await newPage();
    await page.goto(link(reference));
    await settled(page);
    assert.match(
      await page.locator('#velocity-sentence').textContent(),
      /^Sales velocity: the deals open today turn into about \$[\d.]+K of revenue a day \(deals open today × win rate × average deal ÷ cycle length: 249 × [\d.]+% × \$[\d.]+K ÷ 55 days\)\.$/,
    );
    assert.match(
      await page.locator('#coverage-sentence').textContent(),
      /^Pipeline coverage: the deals open today are worth 0\.77× the target; weighted by each deal's chance of closing, 0\.\d\d×\.$/,
    );
    assert.match(await page.locator('#pipeline-health').textContent(), /P10 to P90: \$[\d.]+K to \$[\d.]+K a day\..*0\.77×Weighted 0\.\d+×; P10 to P90: 0\.\d+× to 0\.\d+×\./s);
    assert.equal(await page.locator('#milestone-table').count(), 0);

    await page.click('#add-milestone');
    await page.waitForFunction(() => document.activeElement?.id === 'f-target-milestones-0-month');
    await page.click('#add-milestone');
    assert.equal(await page.inputValue('#f-target-milestones-1-month'), '6');
    await typeInto(page, '#f-target-milestones-1-revenue', '2000000');
    await settled(page);
    const rows = await page.locator('#milestone-table tbody tr').allTextContents();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^End of month 3\s*\$1,250,000\s*\d+\.\d%/);
    assert.match(rows[1], /^End of month 6\s*\$2,000,000\s*\d+\.\d%/);
    assert.equal(await page.locator('svg .chart-milestones .chart-milestone-group').count(), 2);
    assert.deepEqual(scenarioOf(page.url()).target.milestones, [{ month: 3, revenue: 1250000 }, { month: 6, revenue: 2000000 }]);

    // A month past the horizon is marked at its field.
    await typeInto(page, '#f-target-milestones-1-month', '13');
    await page.waitForSelector('#f-target-milestones-1-month[aria-invalid="true"]');
    assert.equal(
      await page.locator('#f-target-milestones-1-month-error').textContent(),
      'Milestone 2: month: Enter a month from 1 to 12 (within the horizon)',
    );
    await typeInto(page, '#f-target-milestones-1-month', '6');
    await settled(page);
    await page.locator('#pipeline-title').scrollIntoViewIfNeeded();
    await shot(page, 'milestones', false);
    await page.locator('#milestone-0-remove, [data-testid=milestone] button.danger').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=milestone]').length === 1);
  });
});

describe('page quality with the new panels', () => {
  for (const scheme of ['light', 'dark']) {
    test(`desktop and 375 px, ${scheme}: no WCAG A/AA violations, no horizontal scrolling`, async () => {
      const scenario = structuredClone(reference);
      scenario.stages[2].capacity_per_week = 2;
      scenario.target.milestones = [{ month: 3, revenue: 900000 }, { month: 9, revenue: 3000000 }];
      for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['mobile-375', { width: 375, height: 812 }]]) {
        const page = await newPage({ colorScheme: scheme, viewport, ...(name === 'mobile-375' ? { isMobile: true, hasTouch: true } : {}) });
        await page.goto(link(scenario));
        await leversDone(page);
        await page.click('#find-goal');
        await page.waitForSelector('#goal-answer');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${name}: scrollWidth ${width}`);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }));
        const found = result.violations.map((v) =>
          `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n'));
        assert.deepEqual(found, [], `${name} ${scheme}: axe-core found violations`);
        if (name === 'desktop') {
          // The sticky forecast column scrolls on its own: show it whole.
          await page.setViewportSize({ width: 1280, height: 6400 });
        }
        // Each new panel on its own, to look at closely.
        for (const id of ['levers', 'goal', 'pipeline-health', 'funnel', 'milestones-form']) {
          const panel = {
            funnel: page.locator('section.panel[aria-labelledby="funnel-title"]'),
            'milestones-form': page.locator('fieldset', { has: page.locator('#milestones-title') }),
          }[id] ?? page.locator(`#${id}`);
          await panel.screenshot({ path: join(shots, `panel-${id}-${name}-${scheme}.png`) });
        }
        await page.locator('[data-testid=stage]').nth(2).screenshot({ path: join(shots, `panel-stage-${name}-${scheme}.png`) });
        await shot(page, `levers-${name}-${scheme}`);
      }
    });
  }
});

