// Speed of a big run on the worker pool (not a test of speed: it prints figures and fails only
// on a console error or a run that does not finish). For each pool size it opens the
// reference scenario with `workers=N`, types TRIALS into the trials field like a person, and
// times the run from the last keystroke until the results are on screen (that includes the
// 300 ms the app waits for typing to settle); "job" is the app's own time for the run and
// its summary. `page` runs on the main thread (a browser whose Worker constructor throws).
//
//   cd tests/e2e && TRIALS=200000 WORKERS=1,2 node --test workers.bench.mjs
//
// TRIALS defaults to 200,000, the most the app's field accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { base, newPage, root, settled, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 900_000 });

const trials = Number(process.env.TRIALS ?? 200000);
const sizes = (process.env.WORKERS ?? '1,2,page').split(',');
const reference = JSON.parse(await readFile(join(root, 'scenarios', 'reference.json'), 'utf8'));
const s = Buffer.from(JSON.stringify(reference)).toString('base64url');

for (const size of sizes) {
  test(`${trials} trials, workers=${size}`, async (t) => {
    const page = await newPage();
    if (size === 'page') {
      await page.addInitScript(() => {
        window.Worker = function Worker() { throw new DOMException('no workers', 'SecurityError'); };
      });
    }
    const workers = size === 'page' ? 2 : Number(size);
    await page.goto(`${base}/#v=1&seed=1&trials=1000&s=${s}&workers=${workers}`);
    await settled(page);
    await typeInto(page, '#f-trials', String(trials));
    const t0 = Date.now();
    await page.waitForFunction(
      (n) => document.querySelector('#done-note')?.textContent.startsWith(`${n} trials`)
        && document.querySelector('#status')?.dataset.phase === 'done',
      trials.toLocaleString('en-US'),
    );
    const wall = (Date.now() - t0) / 1000;
    const note = await page.textContent('#done-note');
    const job = Number(/in ([\d.]+) s\./.exec(note)?.[1]);
    const where = await page.evaluate(() => ({ ...document.querySelector('#status').dataset }));
    assert.equal(where.fallback, size === 'page' ? 'true' : 'false');
    const line = `workers=${size}: ${trials} trials in ${wall.toFixed(2)} s from the last keystroke` +
      ` (job ${job.toFixed(1)} s; mean ${await page.textContent('#mean-revenue')})`;
    t.diagnostic(line);
  });
}
