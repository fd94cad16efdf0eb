// Benchmark of the WASM release build in headless Chromium (not a test: it asserts no speed).
//
//   node tests/e2e/bench.mjs [--dist DIR] [--dev-dist DIR] [--trials N] [--timeout SECONDS] [--workers-only]
//
// Serves DIR (default: dist/ at the repository root, from `trunk build --release`) on
// 127.0.0.1 and prints, each beside a second figure measured in the same run:
// - the engine on one core in WASM (`/?bench&trials=N`: the app's JSON in `<output id="bench">`);
// - the .wasm files, raw and gzipped;
// - a fresh page's first results (the default preset), for DIR and for --dev-dist (a
//   `trunk build` without --release: what ./scripts/serve serves);
// - with `workers=1` and `workers=2`: the lever sweep of the reference scenario at 10,000
//   trials, 1,000,000 trials from the edit to the results, and the longest main-thread task
//   meanwhile (a PerformanceObserver of long tasks).

import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { here, launchChromium, serve } from './harness.mjs';

const opts = { dist: resolve(here, '..', '..', 'dist'), devDist: null, trials: 10000, timeout: 300, workersOnly: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [key, value] = [argv[i], argv[i + 1]];
  if (key === '--dist') { opts.dist = resolve(value); i++; }
  else if (key === '--dev-dist') { opts.devDist = resolve(value); i++; }
  else if (key === '--trials') { opts.trials = Number(value); i++; }
  else if (key === '--timeout') { opts.timeout = Number(value); i++; }
  else if (key === '--workers-only') { opts.workersOnly = true; }
  else { console.error(`bench.mjs: unknown argument ${key}`); process.exit(2); }
}

const index = await stat(join(opts.dist, 'index.html')).catch(() => null);
if (!index) {
  console.error(`bench.mjs: ${opts.dist}/index.html not found: run \`trunk build --release\` first`);
  process.exit(2);
}

const reference = JSON.parse(await readFile(join(here, '..', '..', 'scenarios', 'reference.json'), 'utf8'));
const server = await serve(opts.dist);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
const link = (scenario, trials, workers) =>
  `${base}/#v=1&seed=1&trials=${trials}&s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}&workers=${workers}`;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(opts.timeout * 1000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`); });
  // Every long task of the main thread, with when it happened (in-page clock).
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: 'longtask', buffered: true });
  });
  return page;
}

async function engineOneCore() {
  const page = await newPage();
  await page.goto(`${base}/?bench&trials=${opts.trials}`);
  await page.waitForFunction(() => {
    try { return typeof JSON.parse(document.querySelector('#bench').textContent).trials_per_sec === 'number'; } catch { return false; }
  }, null, { polling: 100 });
  const raw = (await page.locator('#bench').textContent()).trim();
  const r = JSON.parse(raw);
  console.log(`wasm (release build, Chromium ${browser.version()}): ${r.trials} trials of the reference scenario on one core: ` +
    `best ${Number(r.best_ms).toFixed(1)} ms = ${Math.round(r.trials_per_sec)} trials/s; mean revenue ${Math.round(r.mean_revenue)}`);
  console.log(`wasm raw: ${raw}`);
  await page.close();
}

async function sizes() {
  const names = (await readdir(opts.dist)).filter((n) => n.endsWith('.wasm')).sort();
  for (const n of names) {
    const bytes = await readFile(join(opts.dist, n));
    console.log(`wasm size: ${n} ${kib(bytes.length)} raw, ${kib(gzipSync(bytes).length)} gzipped`);
  }
}

/** A fresh page of `dir` (the default preset, its own trials): ms from navigation to results. */
async function firstResults(dir) {
  const srv = await serve(dir);
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(opts.timeout * 1000);
      await page.goto(`http://127.0.0.1:${srv.address().port}/`);
      await page.waitForFunction(() => document.querySelector('#status')?.dataset.phase === 'done'
        && document.querySelector('#mean-revenue'), null, { polling: 20 });
      times.push(await page.evaluate(() => performance.now()));
      await page.close();
    }
    return Math.round(Math.min(...times));
  } finally {
    srv.close();
  }
}

/** Lever sweep at 10,000 trials, then 1,000,000 trials from the edit to the results. */
async function withWorkers(workers) {
  const page = await newPage();
  await page.goto(link(reference, 10000, workers));
  await page.waitForSelector('#lever-status[data-phase="idle"] #levers-done[data-elapsed-ms]');
  const sweep = Number(await page.getAttribute('#levers-done', 'data-elapsed-ms'));
  const runs = Number(await page.getAttribute('#levers-done', 'data-runs'));
  const pool = await page.getAttribute('#status', 'data-workers');
  const field = page.locator('#f-trials');
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially('100000');
  const t0 = await page.evaluate(() => performance.now());
  await field.press('0');
  await page.waitForFunction(() => document.querySelector('#f-trials').value === '1000000');
  await page.waitForFunction(() => /1,000,000 trials/.test(document.querySelector('#done-note')?.textContent ?? '')
    && document.querySelector('#status')?.dataset.phase === 'done', null, { polling: 50 });
  const t1 = await page.evaluate(() => performance.now());
  const longest = await page.evaluate((from) => Math.max(0, ...window.__long.filter(([t]) => t >= from).map(([, d]) => d)), t0);
  const mean = await page.textContent('#mean-revenue');
  for (const p of page.problems) console.log(`note (workers=${workers}): ${p}`);
  await page.close();
  return { workers, pool, runs, sweep_ms: sweep, million_ms: Math.round(t1 - t0), longest_task_ms: Math.round(longest), mean };
}

let status = 0;
try {
  if (!opts.workersOnly) {
    await engineOneCore();
    await sizes();
    const release = await firstResults(opts.dist);
    const dev = opts.devDist ? await firstResults(opts.devDist) : null;
    console.log(`fresh page to first results (default preset, best of 3): release build ${release} ms` +
      (dev === null ? '' : `; dev build, what ./scripts/serve serves, ${dev} ms`));
  }
  const one = await withWorkers(1);
  const two = await withWorkers(2);
  for (const r of [one, two]) {
    console.log(`browser, workers=${r.workers} (pool ${r.pool ?? 'n/a'}): ${r.runs} lever runs x 10,000 trials ${r.sweep_ms} ms; ` +
      `1,000,000 trials from the edit to the results ${r.million_ms} ms; longest main-thread task meanwhile ${r.longest_task_ms} ms; mean ${r.mean}`);
  }
  console.log(`browser: speed-up of 2 workers over 1: lever sweep ${(one.sweep_ms / two.sweep_ms).toFixed(2)}x, ` +
    `1,000,000 trials ${(one.million_ms / two.million_ms).toFixed(2)}x; same figures: ${one.mean === two.mean}`);
} catch (e) {
  console.error(`bench.mjs: ${e.stack ?? e.message}`);
  status = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(status);
