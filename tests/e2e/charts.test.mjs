// Browser tests of the charts' tables and of reading their marks without a mouse
// (the build in dist/ at the repository root; see harness.mjs).
//
//   cd tests/e2e && node --test --test-concurrency=1 charts.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeSource, base, newPage, settled, shot, useHarness } from './harness.mjs';

useHarness();

/** The frame (toggle, drawing, readout, table) around the chart `kind`. */
const frameOf = (page, kind) => page.locator('.chart-frame', { has: page.locator(`svg.chart-${kind}`) });

/** The table's caption, headers and cells, as text. */
const tableOf = (frame) => frame.locator('table').evaluate((t) => ({
  caption: t.caption?.textContent.trim() ?? '',
  columns: [...t.tHead.rows[0].cells].map((c) => ({ text: c.textContent.trim(), scope: c.getAttribute('scope') })),
  rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent.trim())),
  rowHeaders: [...t.tBodies[0].rows].map((r) => r.cells[0].tagName === 'TH' && r.cells[0].getAttribute('scope') === 'row'),
}));

/** Opens `kind`'s table, checks the swap both ways, and returns the table. */
async function openTable(page, kind) {
  const frame = frameOf(page, kind);
  const toggle = frame.getByRole('button', { name: 'Show as table' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(await frame.locator(`svg.chart-${kind}`).isVisible());
  assert.ok(!(await frame.locator('table').isVisible()));
  await toggle.click();
  const back = frame.getByRole('button', { name: 'Show as chart' });
  assert.equal(await back.getAttribute('aria-expanded'), 'true');
  assert.ok(await frame.locator('table').isVisible());
  assert.ok(!(await frame.locator(`svg.chart-${kind}`).isVisible()), 'the table replaces the drawing');
  const table = await tableOf(frame);
  assert.ok(table.caption.length > 10, `caption: ${table.caption}`);
  assert.ok(table.columns.length >= 3 && table.columns.every((c) => c.scope === 'col'), JSON.stringify(table.columns));
  assert.ok(table.rows.length > 0);
  assert.ok(table.rows.every((r) => r.length === table.columns.length), 'one cell per column');
  assert.ok(table.rowHeaders.every(Boolean), 'each row named by a row header');
  return { frame, table, back };
}

async function closeTable(page, kind, back) {
  const frame = frameOf(page, kind);
  await back.click();
  assert.equal(await frame.getByRole('button', { name: 'Show as table' }).getAttribute('aria-expanded'), 'false');
  assert.ok(await frame.locator(`svg.chart-${kind}`).isVisible());
  assert.ok(!(await frame.locator('table').isVisible()));
}

describe('charts', () => {
  test('the histogram and the funnel show as tables with the numbers drawn, and back', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);

    // Histogram: a row per bar, and each bar's details are its row.
    const bars = await page.locator('svg.chart-histogram g.chart-bin').count();
    const tips = await page.locator('svg.chart-histogram g.chart-bin[data-tip]')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-tip')));
    assert.ok(bars >= 10, `${bars} bars`);
    const h = await openTable(page, 'histogram');
    assert.deepEqual(h.table.columns.map((c) => c.text), ['Revenue', 'Trials', 'Share of trials']);
    assert.equal(h.table.rows.length, bars, 'one row per bar');
    const rowTips = h.table.rows.map(([span, trials, share]) => `${span}: ${trials} trials (${share})`);
    for (const tip of tips) assert.ok(rowTips.includes(tip), `bar "${tip}" is a row`);
    for (const [span, trials, share] of h.table.rows) {
      assert.match(span, /^\$[\d.,]+[KMB]?( to \$[\d.,]+[KMB]?)?$/);
      assert.match(trials, /^(about )?\d{1,3}(,\d{3})*$/);
      assert.match(share, /^\d+\.\d%$/);
    }
    const total = h.table.rows.reduce((n, r) => n + Number(r[1].replace(/^about |,/g, '')), 0);
    assert.ok(total > 9_000 && total <= 10_000 + h.table.rows.length, `${total} trials in the rows`);
    await shot(page, 'charts-histogram-table');
    await closeTable(page, 'histogram', h.back);

    // The biggest leak is marked once the lever sweep is done (it redraws the funnel).
    await page.waitForFunction(
      () => /^The biggest leak is |leak about the same/.test(document.querySelector('#leak-sentence')?.textContent ?? ''),
      null,
      { timeout: 180_000 },
    );
    // Funnel: a row per stage, the numbers the stage's labels show.
    const stages = await page.locator('svg.chart-funnel g.chart-stage').evaluateAll((gs) => gs.map((g) => ({
      tip: g.getAttribute('data-tip'),
      label: g.getAttribute('aria-label'),
      entered: g.querySelectorAll('text')[1]?.textContent.trim(),
    })));
    assert.ok(stages.length >= 3, `${stages.length} stages`);
    const f = await openTable(page, 'funnel');
    assert.equal(f.table.rows.length, stages.length, 'one row per stage');
    assert.equal(f.table.columns[0].text, 'Stage');
    const entered = f.table.columns.findIndex((c) => c.text === 'Deals entered');
    assert.ok(entered > 0);
    for (const [i, s] of stages.entries()) {
      const row = f.table.rows[i];
      assert.equal(s.tip, s.label, 'aria-label is the tooltip text');
      assert.ok(s.tip.startsWith(`${row[0].replace(/ \(biggest leak\)$/, '')}: ${row[entered]} deals entered`), `${s.tip} vs ${row}`);
      assert.ok(s.entered.startsWith(`${row[entered]} entered`), `${s.entered} vs ${row[entered]}`);
    }
    assert.equal(f.table.rows.filter((r) => r[0].endsWith('(biggest leak)')).length, 1);
    await shot(page, 'charts-funnel-table');
    await closeTable(page, 'funnel', f.back);

    // With both tables open, nothing axe-core can see is wrong with them.
    await frameOf(page, 'histogram').getByRole('button', { name: 'Show as table' }).click();
    await frameOf(page, 'funnel').getByRole('button', { name: 'Show as table' }).click();
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => axe.run('#results', {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const found = result.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], 'axe-core found violations');
  });

  test('the plans\' payout curves and distributions show as tables too', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    await page.locator('#plan-comparison').waitFor();
    const plans = await page.locator('#plan-comparison svg.chart-payout path.chart-series[data-tip]').count();
    assert.ok(plans >= 2, `${plans} payout lines`);
    const p = await openTable(page, 'payout');
    assert.equal(p.table.columns.length, 1 + plans, 'a column per plan');
    assert.deepEqual(p.table.rows.map((r) => r[0]), ['0%', '25%', '50%', '75%', '100%', '125%', '150%', '175%', '200%']);
    for (const r of p.table.rows) for (const c of r.slice(1)) assert.match(c, /^(\$[\d,]+|–)$/);
    // Each distribution: a row per bin drawn, a column per plan.
    const dists = page.locator('#plan-comparison .chart-frame', { has: page.locator('svg.chart-distribution') });
    const n = await dists.count();
    assert.ok(n >= 1, `${n} distributions`);
    for (let i = 0; i < n; i++) {
      const frame = dists.nth(i);
      const bins = await frame.locator('rect.chart-hover').count();
      await frame.getByRole('button', { name: 'Show as table' }).click();
      const t = await tableOf(frame);
      assert.equal(t.rows.length, bins, 'one row per bin');
      assert.equal(t.columns.length, 1 + plans);
      for (const r of t.rows) for (const c of r.slice(1)) assert.match(c, /^\d+\.\d% \([\d,]+\)$/);
    }
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const found = result.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], 'axe-core found violations');
    await frameOf(page, 'payout').scrollIntoViewIfNeeded();
    await shot(page, 'charts-plans-tables', false);
  });

  test('a bar reached by Tab, or a stage tapped, shows its details in the readout', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    const frame = frameOf(page, 'histogram');
    const readout = frame.locator('.chart-readout');
    assert.equal(await readout.getAttribute('aria-live'), 'polite');
    assert.match(await readout.textContent(), /^Tab to or tap a bar/);

    // The toggle comes just before the drawing: one Tab lands on the first bar.
    await frame.locator('.chart-toggle').focus();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement;
      return { cls: el.getAttribute('class'), tip: el.getAttribute('data-tip'), label: el.getAttribute('aria-label') };
    });
    assert.equal(first.cls, 'chart-bin', 'a bar has the focus');
    assert.match(first.tip, /^\$.+: (about )?[\d,]+ trials \(\d+\.\d%\)$/);
    assert.equal(first.label, first.tip);
    assert.equal((await readout.textContent()).trim(), first.tip);
    // Visible focus: the browser draws an outline or the stylesheet a stroke.
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      const rect = el.querySelector('rect');
      return { outline: getComputedStyle(el).outlineStyle, stroke: rect && getComputedStyle(rect).stroke };
    });
    assert.ok(ring.outline !== 'none' || (ring.stroke && ring.stroke !== 'none'), JSON.stringify(ring));
    await shot(page, 'charts-histogram-focus', false);

    // The bars are one Tab stop: arrow keys move between them, End jumps to the last.
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement.getAttribute('data-tip'));
    assert.ok(second && second !== first.tip, 'the right arrow reaches the next bar');
    assert.equal((await readout.textContent()).trim(), second);
    const stops = await frame.locator('svg [data-tip][tabindex="0"]').count();
    assert.equal(stops, 1, 'one Tab stop per chart');
    await page.keyboard.press('End');
    const last = await frame.locator('svg [data-tip]').last().getAttribute('data-tip');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-tip')), last);
    // Tab leaves the chart; Shift+Tab comes back to the bar last focused.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.closest('svg.chart-histogram')), null);
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-tip')), last);

    // A tap (a click, for this test) on a funnel stage reads it out too.
    const funnel = frameOf(page, 'funnel');
    const stage = funnel.locator('g.chart-stage').nth(1);
    await stage.click();
    assert.equal((await funnel.locator('.chart-readout').textContent()).trim(), await stage.getAttribute('data-tip'));
    // Marks keep their <title> for a mouse.
    assert.equal(await stage.locator('title').textContent(), await stage.getAttribute('data-tip'));
  });
});
