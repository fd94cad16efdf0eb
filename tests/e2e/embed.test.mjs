// The page inside another page's iframe tells its host what MODEL.md says
// ("Links"): `funnel-sim:height` whenever its height changes and
// `funnel-sim:result` after each finished run. Hosts size the iframe from
// the first and quote the second, so both are checked against what the
// page shows, also in a sandboxed iframe (opaque origin, no storage).
//
//   cd tests/e2e && node --test embed.test.mjs       (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { base, newPage, shot, useHarness } from './harness.mjs';

useHarness({ timeout: 180_000 });

async function embedded(sandbox) {
  const page = await newPage();
  // The host page (harness.mjs, `/__embed.html`) records the messages and sizes the iframe.
  await page.goto(`${base}/__embed.html?src=${encodeURIComponent('/')}${sandbox ? '&sandbox=1' : ''}`);
  const frame = page.frameLocator('#app');
  await frame.locator('#status[data-phase="done"] #done-note').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => window.messages.some((m) => m.type === 'funnel-sim:result'));
  return { page, frame };
}

describe('embedded in another page', () => {
  for (const sandbox of [false, true]) {
    test(sandbox ? 'in a sandboxed iframe (allow-scripts only)' : 'in an iframe', async () => {
      const { page, frame } = await embedded(sandbox);
      const messages = await page.evaluate(() => window.messages);
      const result = messages.filter((m) => m.type === 'funnel-sim:result').at(-1);
      assert.deepEqual(Object.keys(result).sort(), ['probability', 'revenue', 'seed', 'trials', 'type']);
      assert.equal(result.seed, 1);
      assert.equal(result.trials, 10_000);
      assert.deepEqual(Object.keys(result.revenue).sort(), ['mean', 'p10', 'p50', 'p90']);
      assert.ok(result.revenue.p10 <= result.revenue.p50 && result.revenue.p50 <= result.revenue.p90);
      // The figures are the ones on the page.
      const shown = `$${Math.round(result.revenue.mean).toLocaleString('en-US')}`;
      assert.equal((await frame.locator('#mean-revenue').textContent()).trim(), shown);
      assert.equal((await frame.locator('#target-chance').textContent()).trim(), `${(result.probability * 100).toFixed(1)}%`);

      // The host follows the height messages, and nothing scrolls inside the iframe.
      const heights = messages.filter((m) => m.type === 'funnel-sim:height').map((m) => m.height);
      assert.ok(heights.length >= 1 && heights.every((h) => Number.isInteger(h) && h > 0), JSON.stringify(heights));
      await page.waitForTimeout(300);
      const last = await page.evaluate(() => window.messages.filter((m) => m.type === 'funnel-sim:height').at(-1).height);
      assert.equal(await page.evaluate(() => document.getElementById('app').getBoundingClientRect().height), last);
      const inner = page.frames().find((f) => f !== page.mainFrame());
      const scroll = await inner.evaluate(() => ({ content: document.documentElement.scrollHeight, view: window.innerHeight }));
      assert.ok(scroll.content <= scroll.view + 1, `scrolls inside: ${JSON.stringify(scroll)}`);

      // An edit inside the embed: a new result message with the new figures.
      const before = messages.filter((m) => m.type === 'funnel-sim:result').length;
      const trials = frame.locator('#f-trials');
      await trials.click();
      await trials.press('ControlOrMeta+a');
      await trials.pressSequentially('2000');
      await page.waitForFunction((n) => window.messages.filter((m) => m.type === 'funnel-sim:result').length > n
        && window.messages.filter((m) => m.type === 'funnel-sim:result').at(-1).trials === 2000, before, { timeout: 60_000 });
      if (!sandbox) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, 'embed-host-sized', false);
      }
    });
  }
});
