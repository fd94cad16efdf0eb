// Every preset as a reader sees it: light and dark, 1280 and 375 px wide, with
// the charts, sentences and levers checked for what a person would notice
// (nothing wider than the screen, the leak the sentence names is the one the
// chart marks, every chart offers its table, axe finds nothing), and
// screenshots of each panel to look at.
//
//   cd tests/e2e && node --test presets.test.mjs       (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { axeSource, base, newPage, settled, shot, shots, useHarness } from './harness.mjs';

// Four views of a preset, each with its lever sweep, on a loaded machine.
useHarness({ timeout: 600_000 });

const PRESETS = ['b2b-saas', 'high-volume-inbound', 'classroom', 'exercise-classroom', 'exercise-b2b-goal'];
const VIEWS = [
  { scheme: 'light', width: 1280 },
  { scheme: 'dark', width: 1280 },
  { scheme: 'light', width: 375 },
  { scheme: 'dark', width: 375 },
];
// The panels to look at, by the id of their heading.
const PANELS = ['dist-title', 'funnel-title', 'pipeline-title', 'levers-title', 'plans-title'];

async function openPreset(page, key) {
  await page.goto(`${base}/`);
  await settled(page);
  if (key !== 'b2b-saas') {
    const url = page.url();
    await page.selectOption('#preset', key);
    await page.click('#load-preset');
    await page.waitForFunction((u) => location.href !== u, url);
    await settled(page);
  }
  // The lever sweep follows the headline; the biggest leak waits for it.
  await page.waitForSelector('#lever-status[data-phase="idle"] #levers-done[data-elapsed-ms]', { timeout: 240_000 });
  await page.waitForSelector('.levers-body:not(.stale) svg.chart-tornado');
}

describe('every preset, light and dark, desktop and phone', () => {
  for (const key of PRESETS) {
    test(key, async () => {
      for (const { scheme, width } of VIEWS) {
        const page = await newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
        await openPreset(page, key);
        const where = `${key} ${scheme} ${width}`;

        // Nothing is wider than the screen.
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${where}: ${overflow}px wider than the screen`);

        // The tab names the scenario.
        const name = await page.inputValue('#f-name');
        assert.ok((await page.title()).startsWith(name.slice(0, 20)), `${where}: title ${await page.title()}`);

        // The leak the sentence names is the stage the chart marks, and never
        // a stage picked only for losing the most deals.
        const leak = (await page.locator('#leak-sentence').textContent()).trim();
        const named = leak.match(/^The biggest leak is (.+?): if 10% more|^(.+?) and .+? leak about the same|^(No stage's better rate)/);
        assert.ok(named, `${where}: ${leak}`);
        const marked = await page.locator('svg.chart-funnel .chart-stage-leak .chart-stage-name').allTextContents();
        if (named[3]) {
          assert.deepEqual(marked, [], `${where}: no leak, none marked`);
        } else {
          assert.equal(marked.length, 1, `${where}: one stage marked`);
          assert.ok(marked[0].startsWith(named[1] ?? named[2]), `${where}: chart ${marked[0]}, sentence ${leak}`);
        }

        // Every lever bar moves revenue; every chart has its table.
        const bars = await page.locator('svg.chart-tornado g.chart-lever').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
        assert.ok(bars.length >= 2, `${where}: ${bars.length} lever bars`);
        for (const b of bars) assert.doesNotMatch(b, /mean revenue \$0[ .,]/, `${where}: a zero bar: ${b}`);
        const charts = await page.locator('.outputs svg.chart').count();
        const toggles = await page.locator('.outputs .chart-toggle').count();
        assert.equal(toggles, charts, `${where}: ${toggles} table toggles for ${charts} charts`);

        if (width === 1280) {
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(() => axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          }));
          const found = result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
          assert.deepEqual(found, [], `${where}: axe`);
        }

        const tag = `preset-${key}-${scheme}-${width}`;
        await shot(page, tag);
        for (const heading of PANELS) {
          const panel = page.locator(`section:has(> #${heading})`);
          if ((await panel.count()) === 0) continue;
          // A window tall enough for the whole panel: an element screenshot
          // taller than the window is stitched, with the sticky bar drawn into it.
          const height = await panel.evaluate((el) => el.getBoundingClientRect().height);
          if (height === 0) continue; // not shown for this preset
          await page.setViewportSize({ width, height: Math.ceil(height) + 240 });
          await panel.scrollIntoViewIfNeeded();
          await panel.screenshot({ path: join(shots, `${tag}-${heading.replace(/-title$/, '')}.png`) });
        }
        await page.context().close();
      }
    });
  }
});
