// Browser tests of the funnel app (the build in dist/ at the repository root).
//
//   cd tests/e2e && npm test          (after `trunk build` or `trunk build --release`)
//   DIST=/path/to/dist npm test       (another build)
//
// playwright-core drives Debian's Chromium (/usr/bin/chromium); node:test runs the tests.
// harness.mjs: a tiny static server on 127.0.0.1 serves the build; every test fails on any console
// error, uncaught page error, failed request or HTTP error. Screenshots go to
// tests/e2e/screenshots/ (not committed) for a person to look at.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  axeSource, base, browser, figures, link, newPage, root, settled, shot, typeInto, useHarness,
} from './harness.mjs';

useHarness();


// ---------- tests ----------

describe('forecast', () => {
  test('results appear, in plain words, with the link in the URL', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    // The tab names the scenario.
    assert.equal(await page.title(), 'B2B SaaS · Sales funnel forecast');
    const f = await figures(page);
    assert.match(f.mean, /^\$\d{1,3}(,\d{3})+$/);
    assert.match(f.range, /^8 in 10 trials land between \$[\d,]+ and \$[\d,]+\.$/);
    assert.match(f.chance, /^\d+(\.\d)?%$/);
    assert.match(f.error, /^give or take \d+(\.\d+)? points from the simulation itself$/);
    // The biggest leak is named once the levers are tested (they run after the headline).
    assert.match(f.leak, /named once the levers below are tested|^The biggest leak is |leak about the same/);
    assert.match(page.url(), /#v=1&seed=1&trials=10000&s=[A-Za-z0-9_-]+$/);
    // Three charts, each an image with a title.
    const charts = await page.locator('#results svg.chart').count();
    assert.ok(charts >= 3, `found ${charts} charts`);
    for (const svg of await page.locator('#results svg.chart').all()) {
      assert.ok((await svg.locator('title').count()) >= 1, 'every chart has a <title>');
    }
    // Every input has a visible label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=file]), select')]
        .filter((el) => !el.labels?.length || !el.labels[0].offsetParent)
        .map((el) => el.id));
    assert.deepEqual(unlabelled, []);
    // The live region announced the results.
    assert.match(await page.locator('#announce').textContent(), /Results updated/);
    await shot(page, 'desktop-light');
    // Tall enough for the sticky forecast column to show whole.
    await page.setViewportSize({ width: 1280, height: 3600 });
    await shot(page, 'desktop-light-tall');
    await page.locator('#help summary').click();
    await page.locator('#statistics summary').click();
    await shot(page, 'desktop-help-open');
  });

  test('editing leads per month changes the results and the URL; the URL reproduces them', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const before = await figures(page);
    const beforeUrl = page.url();
    await typeInto(page, '#f-leads-per_month', '2000');
    await page.waitForFunction(
      ([url, mean]) => location.href !== url && document.querySelector('#mean-revenue')?.textContent !== mean,
      [beforeUrl, before.mean],
    );
    await settled(page);
    const afterEdit = await figures(page);
    const url = page.url();
    assert.notEqual(url, beforeUrl);
    assert.notEqual(afterEdit.mean, before.mean);
    assert.equal(await page.inputValue('#f-leads-per_month'), '2000');

    // A fresh page (no shared state) opened at that URL shows the very same numbers.
    const fresh = await newPage();
    await fresh.goto(url);
    await settled(fresh);
    assert.deepEqual(await figures(fresh), afterEdit);
    assert.equal(await fresh.inputValue('#f-leads-per_month'), '2000');
    assert.equal(fresh.url(), url, 'opening a link does not rewrite it');

    // Back restores the earlier scenario into the form, and its numbers.
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#f-leads-per_month').value === '1000');
    await settled(page);
    assert.equal(page.url(), beforeUrl);
    assert.deepEqual(await figures(page), before);
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('#f-leads-per_month').value === '2000');
    await settled(page);
    assert.equal(page.url(), url);
    assert.deepEqual(await figures(page), afterEdit);
  });

  test('a 150% conversion shows a message at the field, keeps the last results, and no console error', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const before = await figures(page);
    const url = page.url();
    // The last stage (Contract) has a fixed rate of 92%.
    const field = '#f-stages-5-conversion';
    assert.equal(await page.inputValue(field), '92');
    await typeInto(page, field, '150');
    await page.waitForSelector(`${field}[aria-invalid="true"]`);
    const message = page.locator('#f-stages-5-conversion-error');
    await message.waitFor({ state: 'visible' });
    assert.equal(await message.textContent(), 'Stage 6 (Contract): conversion: Enter a percentage from 0 to 100');
    assert.match(await page.getAttribute(field, 'aria-describedby'), /\bf-stages-5-conversion-error\b/);
    await page.waitForSelector('#status[data-phase="invalid"]');
    assert.match(await page.locator('#stale-note').textContent(), /These results are for your last valid inputs\./);
    assert.ok(await page.locator('#results.stale').count(), 'results are marked stale');
    assert.deepEqual(await figures(page), before, 'the last good results stay');
    assert.equal(page.url(), url, 'an invalid scenario is not put in the URL');
    // The problem list takes the keyboard to the field.
    await page.locator('#stale-note button.link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-stages-5-conversion');
    await shot(page, 'invalid-150-percent');

    await typeInto(page, field, '92');
    await page.waitForSelector(`${field}[aria-invalid="false"]`);
    await settled(page);
    assert.deepEqual(await figures(page), before);
  });

  test('every preset loads; the classroom preset shows 98.2%', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const options = await page.locator('#preset option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    assert.equal(options.length, 5);
    for (const [value, label] of options) {
      const url = page.url();
      await page.selectOption('#preset', value);
      await page.click('#load-preset');
      if (value !== 'b2b-saas') await page.waitForFunction((u) => location.href !== u, url);
      await settled(page);
      const name = await page.inputValue('#f-name');
      assert.ok(label.startsWith(name.split(' (')[0]) || name.startsWith(label.split(' (')[0]), `${value}: ${name}`);
      const f = await figures(page);
      assert.match(f.mean, /^\$[\d,]+$/, value);
      if (value === 'classroom') {
        assert.equal(name, 'Classroom: 100 opportunities at 50%');
        assert.equal(f.chance, '98.2%');
        assert.equal(await page.inputValue('#f-stages-0-name'), 'Opportunity');
      }
      await shot(page, `preset-${value}`);
    }
  });

  test('a bad link says so and falls back to the example', async () => {
    const page = await newPage();
    await page.goto(`${base}/#v=1&seed=1&trials=10000&s=eyJ2ZXJzaW9uIjoxfQ`);
    await page.waitForSelector('#notice');
    assert.match(await page.locator('#notice').textContent(), /could not be read.*leads.*Showing the “B2B SaaS” example instead/s);
    await settled(page);
    assert.equal(await page.inputValue('#f-name'), 'B2B SaaS');
    // The address bar keeps the broken link (to be mended) until an edit.
    assert.equal(new URL(page.url()).hash, '#v=1&seed=1&trials=10000&s=eyJ2ZXJzaW9uIjoxfQ');
    await page.click('#dismiss-notice');
    assert.equal(await page.locator('#notice').count(), 0);
  });
});

describe('editing', () => {
  test('stages can be added, renamed, moved and removed by keyboard', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const names = () => page.locator('[data-testid=stage] input[id$="-name"]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(await names(), ['Lead', 'Qualified', 'Discovery', 'Proposal', 'Negotiation', 'Contract']);
    await page.focus('#add-stage');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'f-stages-6-name');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Onboarding');
    assert.deepEqual((await names()).at(-1), 'Onboarding');
    // Move it up twice with the keyboard; focus follows the button.
    const up = page.locator('[data-testid=stage]').last().locator('button', { hasText: 'Up' });
    const upId = await up.getAttribute('id');
    await page.focus(`#${upId}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, upId);
    await page.keyboard.press('Enter');
    assert.deepEqual(await names(), ['Lead', 'Qualified', 'Discovery', 'Proposal', 'Onboarding', 'Negotiation', 'Contract']);
    await settled(page);
    assert.match(await page.locator('#leak-sentence').textContent(), /named once the levers below are tested|^The biggest leak is |leak about the same/);
    await page.locator('#' + upId.replace(/-up$/, '-remove')).click();
    assert.deepEqual(await names(), ['Lead', 'Qualified', 'Discovery', 'Proposal', 'Negotiation', 'Contract']);
    // Duplicate names are caught by the engine's check and shown at the field.
    await typeInto(page, '#f-stages-1-name', 'Lead');
    await page.waitForSelector('#f-stages-1-name[aria-invalid="true"]');
    assert.match(await page.locator('#f-stages-1-name-error').textContent(), /Stage 2 \(Lead\): name: .*unique/);
    // Switching how a conversion is given keeps a sensible value.
    await typeInto(page, '#f-stages-1-name', 'Qualified');
    await page.selectOption('#f-stages-1-kind', 'fixed');
    assert.equal(await page.inputValue('#f-stages-1-conversion'), '45.02');
    await settled(page);
  });

  test('import and export of the scenario file', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const download = page.waitForEvent('download');
    await page.click('#export');
    const file = await download;
    assert.equal(file.suggestedFilename(), 'b2b-saas.json');
    const exported = JSON.parse(await readFile(await file.path(), 'utf8'));
    assert.equal(exported.name, 'B2B SaaS');
    assert.equal(exported.stages.length, 6);
    // The file carries the link's trials and seed, so importing it reruns the same figures.
    const params = new URLSearchParams(new URL(page.url()).hash.slice(1));
    assert.deepEqual(exported.run, { trials: Number(params.get('trials')), seed: Number(params.get('seed')) });

    // A broken file: every problem with its path; the scenario is kept.
    const broken = { ...exported, horizon_months: 0, stages: [{ ...exported.stages[0], conversion: 1.5, colour: 'red' }] };
    await page.setInputFiles('#import-file', {
      name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)),
    });
    await page.waitForSelector('#notice');
    const notice = await page.locator('#notice').textContent();
    assert.match(notice, /broken\.json/);
    assert.match(notice, /stages\[0\]\.colour/);
    assert.match(notice, /Your current scenario is unchanged/);
    assert.equal(await page.inputValue('#f-name'), 'B2B SaaS');

    // A good file replaces the form.
    const good = { ...exported, name: 'Imported plan', horizon_months: 6 };
    const url = page.url();
    await page.setInputFiles('#import-file', {
      name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)),
    });
    await page.waitForFunction(() => document.querySelector('#f-name').value === 'Imported plan');
    assert.equal(await page.locator('#notice').count(), 0);
    assert.equal(await page.inputValue('#f-horizon_months'), '6');
    await page.waitForFunction((u) => location.href !== u, url);
    await settled(page);
  });

  test('a link exported and imported on a fresh page gives the link\'s figures', async () => {
    // A link with its own seed and trials, not the page's defaults.
    const scenario = JSON.parse(await readFile(join(root, 'scenarios/reference.json'), 'utf8'));
    const page = await newPage();
    await page.goto(link(scenario, 20000, { seed: 12345 }));
    await settled(page);
    const fromLink = await figures(page);
    const download = page.waitForEvent('download');
    await page.click('#export');
    const text = await readFile(await (await download).path(), 'utf8');

    const fresh = await newPage();
    await fresh.goto(`${base}/`);
    await settled(fresh);
    assert.notDeepEqual(await figures(fresh), fromLink);
    await fresh.setInputFiles('#import-file', {
      name: 'exported.json', mimeType: 'application/json', buffer: Buffer.from(text),
    });
    await fresh.waitForFunction(() => document.querySelector('#f-seed').value === '12345');
    assert.equal(await fresh.inputValue('#f-trials'), '20000');
    await fresh.waitForFunction((mean) => document.querySelector('#mean-revenue')?.textContent.trim() === mean, fromLink.mean);
    await settled(fresh);
    assert.deepEqual(await figures(fresh), fromLink);
  });

  test('copy link: to the clipboard, or shown to copy by hand when the browser refuses', async () => {
    const page = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${base}/`);
    await settled(page);
    await page.click('#copy-link');
    await page.waitForSelector('.share-status[role=status]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

    const refused = await newPage();
    await refused.goto(`${base}/`);
    await settled(refused);
    await refused.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await refused.click('#copy-link');
    await refused.waitForSelector('#share-url');
    assert.equal(await refused.inputValue('#share-url'), refused.url());
    assert.equal(await refused.evaluate(() => document.activeElement.id), 'share-url');
  });

  test('more trials run only the new ones and show what a fresh run of that many shows', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    await typeInto(page, '#f-trials', '30000');
    await page.waitForFunction(() => /30,000 trials/.test(document.querySelector('#done-note')?.textContent ?? ''));
    await settled(page);
    const extended = await figures(page);
    const fresh = await newPage();
    await fresh.goto(page.url());
    await settled(fresh);
    assert.deepEqual(await figures(fresh), extended);
    // A label only: the same trials, a new summary.
    await typeInto(page, '#f-name', 'Renamed');
    await settled(page);
    assert.deepEqual(await figures(page), extended);
  });

  test('a long run shows progress and can be stopped; new seed changes the numbers', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const before = await figures(page);
    await typeInto(page, '#f-trials', '200000');
    await page.waitForSelector('#stop');
    assert.ok(await page.locator('#progress').count());
    await shot(page, 'running', false);
    await page.click('#stop');
    await page.waitForSelector('#status[data-phase="stopped"]');
    assert.deepEqual(await figures(page), before, 'stopping keeps the earlier results');
    assert.ok(await page.locator('#results.stale').count());
    await typeInto(page, '#f-trials', '2000');
    await settled(page);
    const small = await figures(page);
    assert.notDeepEqual(small, before);
    const seed = await page.inputValue('#f-seed');
    await page.click('#new-seed');
    await page.waitForFunction((s) => document.querySelector('#f-seed').value !== s, seed);
    await page.waitForFunction((m) => document.querySelector('#mean-revenue')?.textContent !== m, small.mean);
    await settled(page);
    assert.match(page.url(), new RegExp(`seed=${await page.inputValue('#f-seed')}&trials=2000&`));
  });
});

describe('page quality', () => {
  test('375 px wide: no horizontal scrolling, also with errors and help open', async () => {
    const page = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await page.goto(`${base}/`);
    await settled(page);
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok((await width()) <= 375, `scrollWidth ${await width()}`);
    await shot(page, 'mobile-375');
    await page.locator('#help summary').click();
    await page.locator('#statistics summary').click();
    await typeInto(page, '#f-stages-3-conversion-mean', '150');
    await page.waitForSelector('#status[data-phase="invalid"]');
    assert.ok((await width()) <= 375, `scrollWidth ${await width()} with errors and details open`);
    await shot(page, 'mobile-375-invalid');
  });

  for (const scheme of ['light', 'dark']) {
    test(`no WCAG 2.1 A/AA violations (axe-core), ${scheme} scheme, with an error and everything open`, async () => {
      const page = await newPage({ colorScheme: scheme });
      await page.goto(`${base}/`);
      await settled(page);
      await page.locator('#help summary').click();
      await page.locator('#statistics summary').click();
      const check = async (what) => {
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }));
        const found = result.violations.map((v) =>
          `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n'));
        assert.deepEqual(found, [], `${what}: axe-core found violations`);
        assert.ok(result.passes.length > 10, `${what}: axe-core checked (${result.passes.length} rules passed)`);
      };
      await check('results');
      await typeInto(page, '#f-stages-5-conversion', '150');
      await page.waitForSelector('#status[data-phase="invalid"]');
      await check('with an invalid field');
    });
  }

  test('dark scheme and reduced motion', async () => {
    const page = await newPage({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.goto(`${base}/`);
    await settled(page);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(244, 246, 249)', 'dark background');
    await shot(page, 'desktop-dark');
  });

  test('works inside an iframe and from a sub-path', async () => {
    const page = await newPage();
    await page.goto(`${base}/__frame.html?src=${encodeURIComponent('/sub/path/')}`);
    const frame = page.frameLocator('#app');
    await frame.locator('#status[data-phase="done"]').waitFor();
    assert.match(await frame.locator('#mean-revenue').textContent(), /^\$/);
    const inner = page.frames().find((f) => f.url().includes('/sub/path/'));
    assert.ok(inner, 'the app frame');
    assert.ok(await inner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await shot(page, 'iframe');
  });

  test('bench mode reports timing as JSON', async () => {
    const page = await newPage();
    await page.goto(`${base}/?bench&trials=500`);
    await page.waitForSelector('#bench');
    const r = JSON.parse(await page.locator('#bench').textContent());
    assert.equal(r.trials, 500);
    assert.ok(r.best_ms > 0 && r.trials_per_sec > 0 && r.mean_revenue > 0, JSON.stringify(r));
  });
});

