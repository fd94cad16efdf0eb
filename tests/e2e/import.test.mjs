// "Import deals (CSV)": a CRM export read in the page, its calibration report,
// "Use these numbers" and Undo, what the data is worth and a backtest, each
// checked against `funnelsim calibrate` / `backtest` on the same file.
//
//   cd tests/e2e && node --test import.test.mjs       (after `trunk build --release`)

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { axeSource, base, newPage, root, settled, shot, shots, useHarness } from './harness.mjs';

useHarness({ timeout: 180_000 });

const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const cli = join(target, 'debug', 'funnelsim');
const scenarios = join(root, 'scenarios');

before(() => {
  if (!existsSync(cli)) {
    execFileSync('cargo', ['build', '-p', 'funnel-engine', '--bin', 'funnelsim'], { cwd: root, stdio: 'inherit' });
  }
});

/** The import panel alone (the page is long): what a person checks. */
const panelShot = (page, name) => page.locator('#import-panel').screenshot({ path: join(shots, `${name}.png`) });

const funnelsim = (...args) => JSON.parse(execFileSync(cli, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));

async function importFile(page, file) {
  await page.goto(`${base}/`);
  await settled(page);
  await page.setInputFiles('#import-deals-file', file);
  await page.locator('#import-report').waitFor();
}

/** The report's per-stage {name, won, of}, as the page counted them. */
const reportRows = (page) => page.$$eval('#import-stage-table tbody tr', (rows) => rows.map((r) => ({
  name: r.dataset.stage,
  won: Number(r.querySelector('.import-rate').dataset.won),
  of: Number(r.querySelector('.import-rate').dataset.of),
})));

const cliRows = (scenario) => scenario.stages.map((s) => ({ name: s.name, won: s.conversion.won, of: s.conversion.of }));

/** The form's stages as {name, won, of} (after "Use these numbers": every conversion is won of decided). */
const formRows = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid="stage"]')].map((_, i) => ({
  name: document.querySelector(`#f-stages-${i}-name`).value,
  won: Number(document.querySelector(`#f-stages-${i}-conversion-won`)?.value),
  of: Number(document.querySelector(`#f-stages-${i}-conversion-of`)?.value),
})));

describe('import deals', () => {
  test('the long export: report, use these numbers, undo', async () => {
    const page = await newPage();
    const file = join(scenarios, 'deals-long.csv');
    await importFile(page, file);
    assert.match(await page.textContent('#import-found'), /long layout/);
    const expected = funnelsim('calibrate', file);
    assert.deepEqual(await reportRows(page), cliRows(expected));
    assert.match(await page.textContent('#import-deal-size'), /won deals with an amount/);
    await page.locator('.chart-leads').waitFor();
    await panelShot(page, 'import-long-report');

    const nameBefore = await page.inputValue('#f-stages-0-name');
    await page.click('#import-apply');
    await page.locator('#import-undo').waitFor();
    assert.deepEqual(await formRows(page), cliRows(expected));
    await settled(page);
    await shot(page, 'import-long-applied');

    await page.click('#import-undo');
    await page.waitForFunction((n) => document.querySelector('#f-stages-0-name').value === n, nameBefore);
    assert.equal(await page.locator('#import-undo').count(), 0);
  });

  test('the wide export: report, what the data is worth, backtest', async () => {
    const page = await newPage();
    const file = join(scenarios, 'deals-wide.csv');
    await importFile(page, file);
    assert.match(await page.textContent('#import-found'), /wide layout/);
    const expected = funnelsim('calibrate', file);
    assert.deepEqual(await reportRows(page), cliRows(expected));

    await page.click('#worth-run');
    await page.locator('#worth-result').waitFor();
    assert.match(await page.textContent('#worth-result'), /known exactly.*width/s);

    const asOf = await page.inputValue('#backtest-as-of');
    assert.match(asOf, /^\d{4}-\d{2}-\d{2}$/);
    await page.click('#backtest-run');
    const result = page.locator('#backtest-result');
    await result.waitFor();
    const cliBacktest = funnelsim('backtest', file, '--as-of', asOf, '--months', '3');
    assert.equal(Number(await result.getAttribute('data-percentile')), cliBacktest.percentile);
    assert.equal(Number(await result.getAttribute('data-actual')), cliBacktest.actual);
    assert.match(await result.textContent(), /The forecast made on \d+ \w+ \d{4} for the next 3 months put the revenue actually won/);
    await panelShot(page, 'import-wide-backtest');
  });

  test('unusual headers mapped by hand', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const long = readFileSync(join(scenarios, 'deals-long.csv'), 'utf8');
    const renamed = long.replace(/^[^\n]*/, 'Opportunity,Phase,Since,Value,Outcome,Close date');
    await page.setInputFiles('#import-deals-file', { name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(renamed) });
    await page.locator('#import-found').waitFor();
    assert.match(await page.textContent('#import-found'), /No layout was recognised/);
    assert.equal(await page.locator('#import-report').count(), 0);
    await page.selectOption('#map-deal', '0');
    await page.selectOption('#map-stage', '1');
    await page.selectOption('#map-entered', '2');
    await page.selectOption('#map-amount', '3');
    await page.selectOption('#map-status', '4');
    await page.selectOption('#map-closed', '5');
    await panelShot(page, 'import-mapping');
    await page.click('#import-read');
    await page.locator('#import-report').waitFor();
    assert.deepEqual(await reportRows(page), cliRows(funnelsim('calibrate', join(scenarios, 'deals-long.csv'))));
  });

  test('a bad file names the line and column', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const bad = 'deal_id,stage,entered,status\nA,Lead,2024-01-01,won\nB,Lead,2024-02-30,lost\n';
    await page.setInputFiles('#import-deals-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const problems = page.locator('#import-problems');
    await problems.waitFor();
    assert.match(await problems.textContent(), /Line 3, column 3 \(“entered”\): no such day/);
    await panelShot(page, 'import-bad-file');
  });

  for (const scheme of ['light', 'dark']) {
    test(`the panel has no WCAG 2.1 A/AA violations (axe-core), ${scheme} scheme`, async () => {
      const page = await newPage({ colorScheme: scheme });
      await importFile(page, join(scenarios, 'deals-wide.csv'));
      await page.locator('.import-mapping summary').click();
      await page.click('#worth-run');
      await page.locator('#worth-result').waitFor();
      await page.click('#backtest-run');
      await page.locator('#backtest-result').waitFor();
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => axe.run('#import-panel', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }));
      const found = result.violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n'));
      assert.deepEqual(found, [], 'axe-core found violations');
      assert.ok(result.passes.length > 10, `axe-core checked (${result.passes.length} rules passed)`);
      await panelShot(page, `import-panel-${scheme}`);
    });
  }

  test('a 60,000-row export reads in steps: progress shown, no long freeze', async (t) => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const [header, ...rows] = readFileSync(join(scenarios, 'deals-long.csv'), 'utf8').trim().split('\n');
    // Nine copies of every deal under new ids: the same history, nine times the rows.
    const big = [header, ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((k) => rows.map((r) => r.replace(/^D/, `C${k}-`)))].join('\n');
    assert.ok(big.split('\n').length > 60_000);
    await page.evaluate(() => {
      window.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longest = Math.max(window.longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    await page.setInputFiles('#import-deals-file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
    await page.locator('#import-progress').waitFor();
    // From here on the page reads the rows in steps; before, the file crossed into the
    // page (playwright's setInputFiles and the browser's File.text(), one task each).
    const before = await page.evaluate(() => { const l = window.longest; window.longest = 0; return l; });
    await page.locator('#import-report').waitFor();
    const longest = await page.evaluate(() => window.longest);
    t.diagnostic(`longest task: ${before} ms taking the file in, ${longest} ms reading and counting it`);
    // Counting is one call (about 75 ms for these 60,000 rows on the 2-core test machine).
    assert.ok(longest < 250, `the longest task while reading took ${longest} ms`);
    const first = (await reportRows(page))[0];
    const expected = cliRows(funnelsim('calibrate', join(scenarios, 'deals-long.csv')))[0];
    assert.deepEqual(first, { name: expected.name, won: expected.won * 9, of: expected.of * 9 });
  });
});
