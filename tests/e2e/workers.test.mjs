// The worker pool (src/run/pool.rs): the same figures on any number of workers, on the page
// itself and on the command line; Stop stops every worker; workers start from a sub-path and
// inside an iframe. `workers=N` in the fragment sets the pool size (ignored by the scenario).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { base, figures, leversSettled, link, newPage, root, settled, shot, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 300_000 });

const referencePath = join(root, 'scenarios', 'reference.json');
const reference = JSON.parse(await readFile(referencePath, 'utf8'));



/** Where the page's runs went: `{workers, fallback}` from #status. */
async function runner(page) {
  return page.evaluate(() => {
    const s = document.querySelector('#status');
    return { workers: s.dataset.workers, fallback: s.dataset.fallback };
  });
}

/** Counts the messages the page sends to its workers (window.__posted). */
function countPosts() {
  window.__posted = 0;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (...args) {
    window.__posted += 1;
    return post.apply(this, args);
  };
}

/** Records the job and kind of every message the page sends its workers (window.__sent). */
function recordSends() {
  window.__sent = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (msg, ...rest) {
    window.__sent.push({ kind: msg?.kind, job: String(msg?.job) });
    return post.call(this, msg, ...rest);
  };
}

/** Kills the first worker right after its third chunk is sent, as a crash would. */
function killOneWorker() {
  const Real = Worker;
  window.__spawned = 0;
  let chunks = 0;
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      window.__spawned += 1;
    }
    postMessage(...args) {
      super.postMessage(...args);
      if (++chunks === 3) {
        this.terminate();
        // Later, like a real error event: never inside the page's own call.
        setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'killed by the test' })), 0);
      }
    }
  };
}

/** Kills the worker that gets the first summary to make, with the run's pieces in its hands. */
function killTheSummarizer() {
  const Real = Worker;
  window.__spawned = 0;
  let killed = false;
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      window.__spawned += 1;
    }
    postMessage(msg, ...rest) {
      super.postMessage(msg, ...rest);
      if (!killed && msg?.kind === 'summarize') {
        killed = true;
        this.terminate();
        setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'killed by the test' })), 0);
      }
    }
  };
}

/** A browser whose Worker constructor throws, as under a strict policy. */
function noWorkers() {
  window.Worker = function Worker() {
    throw new DOMException('Workers are not allowed here', 'SecurityError');
  };
}

// The command line's mean, as the page shows money: whole dollars, grouped, halves away from 0.
function cliMean(trials, seed) {
  const out = execFileSync(
    'cargo',
    // The dev profile: the engine is built at opt-level 3 there too, and scripts/test has
    // built it already for the native tests.
    ['run', '-q', '-p', 'funnel-engine', '--bin', 'funnelsim', '--',
      'run', referencePath, '--trials', String(trials), '--seed', String(seed)],
    { cwd: root, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 << 20 },
  );
  const mean = JSON.parse(out).revenue.mean;
  return `$${(Math.sign(mean) * Math.round(Math.abs(mean))).toLocaleString('en-US')}`;
}

describe('worker pool', () => {
  test('one worker, two workers, the page itself and the command line give the same figures', async () => {
    const seen = {};
    for (const workers of [1, 2]) {
      const page = await newPage();
      await page.goto(link(reference, 50000, { workers }));
      await settled(page);
      assert.deepEqual(await runner(page), { workers: String(workers), fallback: 'false' });
      assert.equal(await page.locator('#fallback-note').count(), 0);
      seen[workers] = await figures(page);
      if (workers === 2) await shot(page, 'workers-2-reference-50k');
    }
    assert.deepEqual(seen[2], seen[1]);
    for (const value of Object.values(seen[1])) assert.ok(value, 'every figure is shown');

    const page = await newPage();
    await page.addInitScript(noWorkers);
    await page.goto(link(reference, 50000, { workers: 2 }));
    await settled(page);
    assert.deepEqual(await runner(page), { workers: '0', fallback: 'true' });
    assert.match(
      await page.textContent('#fallback-note'),
      /^Running on the page itself: this browser did not start background workers\.$/,
    );
    await shot(page, 'workers-fallback', false);
    assert.deepEqual(await figures(page), seen[1], 'the page itself gives the same figures');

    assert.equal(seen[1].mean, cliMean(50000, 1), 'the command line gives the same mean');
  });

  test('a seed above 2^53 reaches the workers whole (BigInt on the wire)', async () => {
    const seed = '18446744073709551615';
    const pages = [];
    for (const blocked of [false, true]) {
      const page = await newPage();
      if (blocked) await page.addInitScript(noWorkers);
      await page.goto(link(reference, 5000, { seed, workers: 2 }));
      await settled(page);
      assert.equal((await runner(page)).fallback, String(blocked));
      assert.equal(await page.inputValue('#f-seed'), seed);
      pages.push(await figures(page));
    }
    assert.deepEqual(pages[0], pages[1]);
  });

  test('Stop during a 200,000-trial run stops every worker; the next edit runs to the end', async () => {
    const page = await newPage();
    await page.addInitScript(countPosts);
    await page.goto(link(reference, 2000, { workers: 2 }));
    await leversSettled(page);
    assert.deepEqual(await runner(page), { workers: '2', fallback: 'false' });
    const before = await figures(page);

    await typeInto(page, '#f-trials', '200000');
    await page.waitForSelector('#stop');
    await page.waitForFunction(() => Number(document.querySelector('#progress')?.value ?? 0) > 0);
    await shot(page, 'workers-running', false);
    await page.click('#stop');
    await page.waitForSelector('#status[data-phase="stopped"]');
    // Chunks already handed out may still come back; nothing new is sent after that.
    await page.waitForTimeout(300);
    const posted = await page.evaluate(() => window.__posted);
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.__posted), posted, 'no work sent after Stop');
    assert.equal(await page.getAttribute('#status', 'data-phase'), 'stopped');
    assert.equal(await page.locator('#progress').count(), 0, 'no more progress');
    assert.deepEqual(await figures(page), before, 'the earlier results stay');

    await typeInto(page, '#f-trials', '3000');
    await settled(page);
    assert.ok(await page.evaluate((p) => window.__posted > p, posted), 'the next run went to the workers');
    assert.match(await page.textContent('#done-note'), /^3,000 trials with random numbers 1, in /);
    assert.match(page.url(), /&trials=3000&s=[A-Za-z0-9_-]+&workers=2$/, 'the edit kept workers=2');
  });

  test('typing during a 1,000,000-trial run keeps every keystroke, and the edit cancels the run', async () => {
    const page = await newPage();
    await page.addInitScript(recordSends);
    await page.goto(link(reference, 2000, { workers: 2 }));
    await leversSettled(page);
    const before = await figures(page);

    await typeInto(page, '#f-trials', '1000000');
    await page.waitForFunction(() => Number(document.querySelector('#progress')?.value ?? 0) > 0.01);
    assert.deepEqual(await figures(page), before, 'the earlier results stay while the run is in flight');
    const { jobs, sent } = await page.evaluate(() => ({
      jobs: [...new Set(window.__sent.filter((m) => m.kind === 'run').map((m) => m.job))],
      sent: window.__sent.length,
    }));
    const running = jobs.at(-1);

    // As fast as the keyboard goes: each key is its own input event and its own edit.
    const leads = page.locator('#f-leads-per_month');
    await leads.click();
    await leads.press('ControlOrMeta+a');
    await leads.pressSequentially('1234567');
    assert.equal(await leads.inputValue(), '1234567', 'every keystroke is in the field');
    await shot(page, 'workers-typing-during-1m', false);

    await settled(page);
    const after = await page.evaluate((n) => window.__sent.slice(n), sent);
    assert.ok(
      after.some((m) => m.kind === 'run' && m.job !== running),
      'the edit started a run of its own',
    );
    // Chunks handed out before the edit may finish; none is sent for the old run after it.
    const late = after.findIndex((m) => m.job !== running);
    assert.ok(late >= 0);
    assert.deepEqual(
      after.slice(late).filter((m) => m.job === running),
      [],
      'no work for the cancelled run once the edit is in',
    );
    assert.match(await page.textContent('#done-note'), /^1,000,000 trials with random numbers 1, in /);
    assert.equal(await leads.inputValue(), '1234567');
    assert.match(page.url(), /workers=2$/);
    assert.notDeepEqual(await figures(page), before);
  });

  test('a worker that dies mid-run is replaced and its work runs again, to the same figures', async () => {
    const clean = await newPage();
    await clean.goto(link(reference, 20000, { workers: 2 }));
    await settled(clean);
    const expected = await figures(clean);

    const page = await newPage();
    await page.addInitScript(killOneWorker);
    await page.goto(link(reference, 20000, { workers: 2 }));
    await settled(page);
    assert.equal(await page.evaluate(() => window.__spawned), 3, 'two workers and one replacement');
    assert.deepEqual(await runner(page), { workers: '2', fallback: 'false' });
    assert.deepEqual(await figures(page), expected);

    // Dead with the pieces it was summarising: they are gone, so the run runs again.
    const again = await newPage();
    await again.addInitScript(killTheSummarizer);
    await again.goto(link(reference, 20000, { workers: 2 }));
    await settled(again);
    assert.equal(await again.evaluate(() => window.__spawned), 3, 'two workers and one replacement');
    assert.deepEqual(await figures(again), expected);
  });

  test('workers start from a sub-path and inside an iframe', async () => {
    const plain = await newPage();
    await plain.goto(link(reference, 20000, { workers: 2 }));
    await settled(plain);
    const expected = await figures(plain);

    const sub = await newPage();
    await sub.goto(link(reference, 20000, { workers: 2, path: '/sub/path/' }));
    await settled(sub);
    assert.deepEqual(await runner(sub), { workers: '2', fallback: 'false' });
    assert.deepEqual(await figures(sub), expected);

    const host = await newPage();
    const src = link(reference, 20000, { workers: 2, path: '/sub/path/' }).slice(base.length);
    await host.goto(`${base}/__frame.html?src=${encodeURIComponent(src)}`);
    const frame = await (await host.waitForSelector('#app')).contentFrame();
    await settled(frame);
    assert.deepEqual(await runner(frame), { workers: '2', fallback: 'false' });
    assert.deepEqual(await figures(frame), expected);
    await shot(host, 'workers-iframe');
  });
});
