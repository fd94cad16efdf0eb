// Seasonality (issue 13): the disclosure under "New leads", a preset, the
// expected-leads chart, calendar months on the pipeline's axis, the link
// round-tripping the fields, and the page's figures against `funnelsim run`
// on the exported scenario (built from CARGO_TARGET_DIR through `cargo run`).
//
//   cd tests/e2e && node --test seasonality.test.mjs       (after `trunk build --release`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { base, figures, leversSettled, link, newPage, root, settled, shot, useHarness } from './harness.mjs';

useHarness({ timeout: 240_000 });

const { run: _settings, ...reference } = JSON.parse(await readFile(join(root, 'scenarios/reference.json'), 'utf8'));
const TRIALS = 2000;
const SEED = 5;

/** The pipeline chart's x-axis labels, left to right. */
const pipelineLabels = (page) => page.evaluate(() =>
  [...document.querySelectorAll('svg.chart-pipeline text')].map((t) => t.textContent.trim()));

test('a preset and a start month reach the chart, the pipeline axis, the link and the command line', async () => {
  const page = await newPage({ acceptDownloads: true });
  await page.goto(link(reference, TRIALS, { seed: SEED }));
  await settled(page);

  // Without seasonality the disclosure is closed, says "flat", and months are numbered.
  const details = page.locator('#seasonality');
  assert.equal(await details.getAttribute('open'), null);
  assert.equal((await page.locator('#seasonality > summary').textContent()).trim(), 'Seasonality: flat');
  assert.ok((await pipelineLabels(page)).includes('M1'), 'numbered months');
  const flatFigures = await figures(page);

  await page.locator('#seasonality > summary').click();
  // Each of the twelve inputs is labelled with its month.
  assert.equal(await page.getByLabel('July, percent of an average month').inputValue(), '100');
  await page.getByRole('group', { name: 'Seasonality presets' }).getByRole('button', { name: 'Summer dip' }).click();
  await page.locator('#f-start_month').selectOption('9');
  await settled(page);
  assert.equal((await page.locator('#seasonality-words').textContent()).trim(), 'summer dip');
  assert.equal(await page.getByLabel('July, percent of an average month').inputValue(), '70');
  assert.equal(await page.getByRole('button', { name: 'Summer dip' }).getAttribute('aria-pressed'), 'true');

  // The chart: a bar per month, the first September, its table one click away.
  const bars = page.locator('svg.chart-season rect.season-bar');
  assert.equal(await bars.count(), 12);
  assert.match(await bars.nth(0).getAttribute('data-tip'), /^Month 1 \(September\): [\d,]+ leads expected$/);
  assert.match(await bars.nth(10).getAttribute('data-tip'), /^Month 11 \(July, year 2\)/);
  const labels = await pipelineLabels(page);
  assert.ok(labels.includes('Oct') && !labels.includes('M1'), `calendar months: ${labels}`);
  assert.notDeepEqual(await figures(page), flatFigures, 'the dip moves the forecast');

  for (const [width, scheme] of [[1280, 'light'], [375, 'dark']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await details.scrollIntoViewIfNeeded();
    await details.screenshot({ path: join(import.meta.dirname, 'screenshots', `seasonality-${width}-${scheme}.png`) });
  }
  await page.setViewportSize({ width: 375, height: 900 });
  const grid = await page.locator('.season-grid').boundingBox();
  assert.ok(grid.width <= 375, `the month grid fits a phone (${grid.width} px)`);
  await page.locator('svg.chart-pipeline').scrollIntoViewIfNeeded();
  await shot(page, 'seasonality-page-375-dark');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });

  // The link carries the fields: a fresh page from it shows the same figures and fields.
  await page.waitForFunction(() => location.hash.length > 0);
  await page.waitForTimeout(600);
  const url = await page.evaluate(() => location.href);
  // The leak sentence is part of the figures: both pages' lever sweeps must be done.
  await leversSettled(page);
  const figuresHere = await figures(page);
  const again = await newPage();
  await again.goto(url);
  await leversSettled(again);
  assert.deepEqual(await figures(again), figuresHere);
  assert.equal(await again.locator('#seasonality').getAttribute('open'), '', 'opens when set');
  assert.equal(await again.getByLabel('August, percent of an average month').inputValue(), '70');
  assert.equal(await again.locator('#f-start_month').inputValue(), '9');

  // The exported scenario, run by the command line, gives the page's summary.
  const dir = await mkdtemp(join(tmpdir(), 'funnel-season-'));
  const save = async (click) => {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    return { path, text: (await readFile(path)).toString() };
  };
  const file = await save(() => page.locator('#export').click());
  const saved = JSON.parse(file.text);
  assert.equal(saved.start_month, 9);
  assert.deepEqual(saved.leads.seasonality, [1.1, 1.1, 1.1, 1.1, 1.1, 0.9, 0.7, 0.7, 0.9, 1.1, 1.1, 1.1]);
  await page.locator('#export-menu > summary').click();
  const summary = await save(() => page.locator('#export-summary').click());
  const cli = execFileSync('cargo',
    ['run', '-q', '-p', 'funnel-engine', '--bin', 'funnelsim', '--', 'run', file.path,
      '--trials', String(TRIALS), '--seed', String(SEED)],
    { cwd: root, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 << 20 });
  assert.equal(summary.text, cli);
});

test('a month typed out of range is named at its field, and the last good results stay', async () => {
  const page = await newPage();
  await page.goto(link({ ...reference, start_month: 3 }, TRIALS, { seed: SEED }));
  await settled(page);
  // A start month alone opens the disclosure and names the months.
  assert.equal(await page.locator('#seasonality').getAttribute('open'), '');
  assert.ok((await pipelineLabels(page)).includes('Apr'));
  const before = await figures(page);
  const april = page.getByLabel('April, percent of an average month');
  await april.fill('1500');
  const error = page.locator('#f-leads-seasonality-3-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /^Seasonality: April: Enter a percentage of an average month from 0 to 1200/);
  assert.equal(await april.getAttribute('aria-invalid'), 'true');
  assert.equal(await april.getAttribute('aria-describedby'), 'f-leads-seasonality-3-error');
  assert.deepEqual(await figures(page), before);
});
