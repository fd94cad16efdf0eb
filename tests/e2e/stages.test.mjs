// Browser tests of the stage list: a stage inserted where the user is, moved by keyboard, and
// the results panel's list of problems (each bullet on the line of its message).
//
//   cd tests/e2e && node --test --test-concurrency=1 stages.test.mjs   (after `trunk build`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { base, figures, newPage, settled, shot, shots, typeInto, useHarness } from './harness.mjs';

useHarness();

const names = (page) =>
  page.locator('[data-testid=stage] input[id$="-name"]').evaluateAll((els) => els.map((e) => e.value));

const money = (text) => Number(text.replace(/[^\d.]/g, ''));

/** The headline's standard error of the mean revenue, from the statistics table. */
const meanSe = (page) => page.evaluate(() => {
  const th = [...document.querySelectorAll('th[scope=row]')]
    .find((h) => h.textContent.trim() === 'Standard error of the mean');
  return th?.nextElementSibling?.textContent.trim() ?? null;
});

/** Waits until the page has run the edited scenario (its link changed) and shows its results. */
async function rerun(page, url) {
  await page.waitForFunction((u) => location.href !== u, url);
  await settled(page);
}

describe('stages', () => {
  test('a stage inserted after stage 2 is third, and leaves the forecast as it was', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    assert.deepEqual(await names(page), ['Lead', 'Qualified', 'Discovery', 'Proposal', 'Negotiation', 'Contract']);
    const before = await figures(page);
    const seBefore = money(await meanSe(page));
    const url = page.url();

    const addAfter = page.locator('[data-testid=stage]').nth(1).locator('button[id$="-add-after"]');
    assert.equal(await addAfter.getAttribute('aria-label'), 'Add stage after Qualified');
    await addAfter.focus();
    await page.keyboard.press('Enter');
    // The keyboard goes to the new stage's name.
    await page.waitForFunction(() => document.activeElement?.id === 'f-stages-2-name');
    assert.deepEqual(await names(page), ['Lead', 'Qualified', 'Stage 3', 'Discovery', 'Proposal', 'Negotiation', 'Contract']);
    assert.equal(await page.locator('#stage-status').textContent(), 'Added Stage 3 at position 3 of 7.');
    // A neutral stage: every deal moves on, at once, none open today.
    assert.equal(await page.inputValue('#f-stages-2-conversion'), '100');
    assert.equal(await page.inputValue('#f-stages-2-days'), '0');
    assert.equal(await page.inputValue('#f-stages-2-open'), '0');

    await rerun(page, url);
    const after = await figures(page);
    // Later stages draw from other random streams now: the mean moves by Monte Carlo error only.
    const seAfter = money(await meanSe(page));
    const tolerance = 4 * Math.hypot(seBefore, seAfter);
    assert.ok(
      Math.abs(money(after.mean) - money(before.mean)) <= tolerance,
      `${before.mean} -> ${after.mean} (tolerance ${tolerance})`,
    );
    assert.ok(tolerance < 0.05 * money(before.mean), `tolerance ${tolerance}`);
    assert.equal(after.chance === null, before.chance === null);
  });

  test('a stage moves down twice by keyboard, focus staying on its button, each move announced', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await settled(page);
    await page.locator('[data-testid=stage]').nth(1).locator('button[id$="-add-after"]').click();
    await page.waitForFunction(() => document.activeElement?.id === 'f-stages-2-name');

    const card = page.locator('[data-testid=stage]').nth(2);
    const down = card.locator('button[id$="-down"]');
    const downId = await down.getAttribute('id');
    assert.equal(await down.getAttribute('aria-label'), 'Move Stage 3 down');
    assert.equal(await card.locator('button[id$="-up"]').getAttribute('aria-label'), 'Move Stage 3 up');
    // The ends cannot move further.
    assert.ok(await page.locator('[data-testid=stage]').first().locator('button[id$="-up"]').isDisabled());
    assert.ok(await page.locator('[data-testid=stage]').last().locator('button[id$="-down"]').isDisabled());

    const url = page.url();
    await page.focus(`#${downId}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (id) => document.activeElement?.id === id && document.querySelector('#f-stages-3-name')?.value === 'Stage 3',
      downId,
    );
    assert.equal(await page.locator('#stage-status').textContent(), 'Stage 3 moved to position 4 of 7.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (id) => document.activeElement?.id === id && document.querySelector('#f-stages-4-name')?.value === 'Stage 3',
      downId,
    );
    assert.deepEqual(await names(page), ['Lead', 'Qualified', 'Discovery', 'Proposal', 'Stage 3', 'Negotiation', 'Contract']);
    assert.equal(await page.locator('#stage-status').textContent(), 'Stage 3 moved to position 5 of 7.');
    assert.equal(await page.getAttribute('#stage-status', 'aria-live'), 'polite');
    await rerun(page, url);
    await shot(page, 'stages-inserted-and-moved');
    await page.locator('fieldset.stages').screenshot({ path: join(shots, 'stages-list.png') });

    // Down at the last place: the keyboard goes to the same stage's Up button.
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (id) => document.activeElement?.id === id && document.querySelector('#f-stages-5-name')?.value === 'Stage 3',
      downId,
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (id) => document.activeElement?.id === id.replace(/-down$/, '-up')
        && document.querySelector('#f-stages-6-name')?.value === 'Stage 3',
      downId,
    );
    assert.equal(await page.locator('#stage-status').textContent(), 'Stage 3 moved to position 7 of 7.');
  });

  test('each problem in the results has its bullet on the line of its message', async () => {
    // Narrow, so that the messages wrap.
    const page = await newPage({ viewport: { width: 400, height: 900 } });
    await page.goto(`${base}/`);
    await settled(page);
    await typeInto(page, '#f-stages-0-conversion-mean', '150');
    await typeInto(page, '#f-leads-per_month', 'lots');
    await page.waitForSelector('#status[data-phase="invalid"]');
    await page.waitForFunction(() => document.querySelectorAll('#stale-note .problems li').length === 2);

    const lines = await page.locator('#stale-note .problems li').evaluateAll((items) => items.map((li) => {
      const button = li.querySelector('button');
      const range = document.createRange();
      range.selectNodeContents(button);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      // The bullet sits on the baseline of the item's first line box; an empty inline put
      // first in the item sits on that same baseline, where it can be measured.
      const probe = document.createElement('span');
      probe.textContent = '\u200b';
      li.prepend(probe);
      const line = probe.getBoundingClientRect();
      probe.remove();
      const box = button.getBoundingClientRect();
      return {
        text: button.textContent.trim(),
        lineTop: line.top,
        textTop: rects[0].top,
        lefts: [...new Set(rects.map((r) => Math.round(r.left)))],
        tops: [...new Set(rects.map((r) => Math.round(r.top)))],
        buttonLeft: box.left,
        liLeft: li.getBoundingClientRect().left,
      };
    }));
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => l.tops.length > 1), `a message wraps at this width: ${JSON.stringify(lines)}`);
    for (const l of lines) {
      assert.ok(Math.abs(l.lineTop - l.textTop) < 2, `bullet on the first line of “${l.text}”: ${JSON.stringify(l)}`);
      // Wrapped lines start under the message's own first letter, not under the bullet.
      assert.deepEqual(l.lefts, [Math.round(l.buttonLeft)], `“${l.text}” wraps under itself`);
      assert.ok(l.buttonLeft >= l.liLeft - 0.5, JSON.stringify(l));
    }
    await page.locator('#stale-note').screenshot({ path: join(shots, 'stages-problems.png') });
    await shot(page, 'stages-problems-narrow');
  });
});
