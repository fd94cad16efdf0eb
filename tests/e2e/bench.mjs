// Benchmark of the WASM release build in headless Chromium (not a test: it asserts no speed).
//
//   node tests/e2e/bench.mjs [--dist DIR] [--trials N] [--timeout SECONDS]
//
// Serves DIR (default: dist/ at the repository root, from `trunk build --release`) with a
// tiny static server on 127.0.0.1, opens `/?bench&trials=N` in /usr/bin/chromium through
// playwright-core, waits for `<output id="bench">` to hold the app's JSON
// `{"trials":N,"best_ms":x,"trials_per_sec":y,"mean_revenue":z}` and prints it.

import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const opts = { dist: resolve(here, '..', '..', 'dist'), trials: 10000, timeout: 300 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [key, value] = [argv[i], argv[i + 1]];
  if (key === '--dist') { opts.dist = resolve(value); i++; }
  else if (key === '--trials') { opts.trials = Number(value); i++; }
  else if (key === '--timeout') { opts.timeout = Number(value); i++; }
  else { console.error(`bench.mjs: unknown argument ${key}`); process.exit(2); }
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function serve(root) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) { file = join(file, 'index.html'); info = await stat(file).catch(() => null); }
      if (!info && !extname(path)) { file = join(root, 'index.html'); info = await stat(file).catch(() => null); }
      if (!info) { res.writeHead(404).end('not found'); return; }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function wasmSizes(root) {
  const names = (await readdir(root)).filter((n) => n.endsWith('.wasm'));
  return Promise.all(names.map(async (n) => `${n} ${((await stat(join(root, n))).size / 1024).toFixed(0)} KiB`));
}

const index = await stat(join(opts.dist, 'index.html')).catch(() => null);
if (!index) {
  console.error(`bench.mjs: ${opts.dist}/index.html not found: run \`trunk build --release\` first`);
  process.exit(2);
}

const server = await serve(opts.dist);
const { port } = server.address();
const url = `http://127.0.0.1:${port}/?bench&trials=${opts.trials}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ],
});
let status = 0;
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is reported below with its address.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(url);
  try {
    await page.waitForFunction(() => {
      const el = document.querySelector('#bench');
      if (!el) return false;
      try { return typeof JSON.parse(el.textContent).trials_per_sec === 'number'; } catch { return false; }
    }, null, { timeout: opts.timeout * 1000, polling: 100 });
  } catch (e) {
    const body = (await page.locator('body').innerText().catch(() => '')).slice(0, 2000);
    throw new Error(`no JSON in #bench after ${opts.timeout}s at ${url}\n${problems.join('\n')}\npage text:\n${body}`);
  }
  const raw = (await page.locator('#bench').textContent()).trim();
  const r = JSON.parse(raw);
  const version = browser.version();
  console.log(`wasm (release build, Chromium ${version}): ${r.trials} trials of the reference scenario: ` +
    `best ${Number(r.best_ms).toFixed(1)} ms = ${Math.round(r.trials_per_sec)} trials/s; ` +
    `mean revenue ${Math.round(r.mean_revenue)}`);
  console.log(`wasm: ${(await wasmSizes(opts.dist)).join(', ')}`);
  console.log(`wasm raw: ${raw}`);
  for (const p of problems) console.log(`wasm note: ${p}`);
} catch (e) {
  console.error(`bench.mjs: ${e.message}`);
  status = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(status);
