// The harness every browser test file shares: a tiny static server on 127.0.0.1 for the
// build (dist/ at the repository root, or DIST=...), playwright-core driving Debian's
// Chromium, and pages that record every console error, uncaught page error, failed request
// and HTTP error, so that each test fails on any of them. Screenshots go to
// tests/e2e/screenshots/ (not committed) for a person to look at.

import { after, afterEach, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const axeSource = await readFile(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const dist = resolve(process.env.DIST ?? join(root, 'dist'));
export const shots = join(here, 'screenshots');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

// The app inside an iframe of another page, as a blog or wiki would embed it.
const framePage = (src) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Embedded</title><link rel="icon" href="data:,"></head>
<body style="margin:0"><h1 style="font:16px sans-serif">Host page</h1>
<iframe id="app" title="Sales funnel forecast" src="${src}" style="width:420px;height:900px;border:1px solid #888"></iframe>
</body></html>`;

// A host page that records the app's messages and sizes the iframe from its
// height messages, as the embed script does (embed.test.mjs).
const embedPage = (src, sandbox, width = 420) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Host</title><link rel="icon" href="data:,"></head><body style="margin:0">
<h1 style="font:16px sans-serif">A blog post</h1>
<iframe id="app" title="Sales funnel forecast" src="${src}" ${sandbox ? 'sandbox="allow-scripts"' : ''}
  style="width:${width}px;height:600px;border:0;display:block"></iframe>
<script>
  window.messages = [];
  addEventListener('message', (e) => {
    if (e.source !== document.getElementById('app').contentWindow) return;
    window.messages.push(e.data);
    if (e.data && e.data.type === 'funnel-sim:height') document.getElementById('app').style.height = e.data.height + 'px';
  });
</script></body></html>`;

// An article on someone's static site with the Embed dialog's code pasted into it
// (views.test.mjs; the README's screenshot). The code comes in `?code=`, as pasted.
const articlePage = (code) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Will we make the year? A field note</title><link rel="icon" href="data:,">
<style>
  body { margin: 0; background: #fbfaf7; color: #222; font: 18px/1.6 Georgia, "Times New Roman", serif; }
  article { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem; }
  h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.25rem; }
  .byline { color: #666; font-size: 0.9rem; margin: 0 0 1.5rem; }
  figure { margin: 1.5rem 0; }
  figcaption { color: #555; font-size: 0.85rem; }
</style></head><body><article>
<h1>Will we make the year?</h1>
<p class="byline">A field note from the sales team</p>
<p>Every quarter someone asks whether the pipeline will carry us to target. Instead of one
number, here is the range: thousands of simulated years from our funnel, computed in your
browser. Change the leads below and watch the odds move.</p>
<figure>${code}<figcaption>The forecast, live: edit the inputs to try your own numbers.</figcaption></figure>
<p>The middle of the range is what we plan around; the low end is what we staff for. If the
chance of reaching target looks thin, the levers in the full model show where to push first.</p>
</article></body></html>`;

/**
 * Serves `dir` on 127.0.0.1 (a free port); also under `/sub/path/`, `/__frame.html?src=`
 * `/__embed.html?src=&sandbox=1&width=420` and `/__article.html?code=` (an article with `code` in it).
 */
export function serve(dir) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/__embed.html') {
        res.writeHead(200, { 'content-type': types['.html'] });
        res.end(embedPage(url.searchParams.get('src') ?? '/', url.searchParams.has('sandbox'),
          Number(url.searchParams.get('width') ?? 420)));
        return;
      }
      if (url.pathname === '/__article.html') {
        res.writeHead(200, { 'content-type': types['.html'] });
        res.end(articlePage(url.searchParams.get('code') ?? ''));
        return;
      }
      if (url.pathname === '/__frame.html') {
        res.writeHead(200, { 'content-type': types['.html'] });
        res.end(framePage(url.searchParams.get('src') ?? '/'));
        return;
      }
      // The app served from a sub-path: public_url = "./" must make that work.
      const path = decodeURIComponent(url.pathname).replace(/^\/sub\/path\//, '/');
      let file = normalize(join(dir, path));
      if (file !== dir && !file.startsWith(dir + sep)) return void res.writeHead(403).end();
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) return void res.writeHead(404).end('not found');
      res.writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        // As GitHub Pages sends it: a sandboxed iframe (origin "null") may then
        // load the app's module script and wasm.
        'access-control-allow-origin': '*',
      });
      res.end(await readFile(file));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/** The server's address, e.g. `http://127.0.0.1:41234` (set once the harness starts). */
export let base;
export let browser;
let server;
let timeout = 120_000;
let contexts = [];
let problems = [];

/** Registers the file's hooks: server and browser around all tests, problem checks around each. */
export function useHarness({ timeout: ms = 120_000 } = {}) {
  timeout = ms;
  before(async () => {
    const index = await stat(join(dist, 'index.html')).catch(() => null);
    assert.ok(index, `${dist}/index.html not found: run \`trunk build\` first`);
    await mkdir(shots, { recursive: true });
    server = await serve(dist);
    base = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  beforeEach(() => {
    problems = [];
  });
  afterEach(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    contexts = [];
    const found = problems;
    problems = [];
    assert.deepEqual(found, [], 'no console errors, page errors or failed requests');
  });
}

/** A fresh page (own context: own history, storage) that records every problem. */
export async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning' && /panicked|RuntimeError/.test(m.text())) {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return page;
}

/** Waits until the results on screen are for the inputs on screen. */
export async function settled(page) {
  await page.waitForSelector('#status[data-phase="done"]');
  await page.waitForSelector('#mean-revenue');
  await page.waitForFunction(() => !document.querySelector('#results')?.classList.contains('stale'));
}

/** `settled`, and the lever sweep that follows the headline has finished too: the
 * leak sentence is then final, so figures taken now are the page's last word. */
export async function leversSettled(page) {
  await settled(page);
  await page.waitForSelector('#lever-status[data-phase="idle"] #levers-done[data-elapsed-ms]');
}

export async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** Types into a field like a person: select all, type, and let the change settle. */
export async function typeInto(page, selector, text) {
  const field = page.locator(selector);
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially(text);
}

/** A link to `scenario` as the app writes it (optionally with `workers=N`, under `path`). */
export const link = (scenario, trials, { seed = 1, workers, path = '/' } = {}) =>
  `${base}${path}#v=1&seed=${seed}&trials=${trials}&s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}` +
  (workers === undefined ? '' : `&workers=${workers}`);

/** The headline figures on screen, as text, to compare pages and runs. */
export async function figures(page) {
  return page.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent.trim() ?? null;
    return {
      mean: text('#mean-revenue'),
      median: text('#median-revenue'),
      range: text('#range-sentence'),
      range_figures: text('#range'),
      chance: text('#target-chance'),
      error: text('#target-error'),
      won: text('#deals-won'),
      leak: text('#leak-sentence'),
    };
  });
}
