// The link's view flags (MODEL.md, "Links": view=, edit=, theme=) in a host page's
// iframe; the Embed dialog's code pasted into an article; the print stylesheet; the
// exports, checked against the command line for the same link.
//
//   cd tests/e2e && node --test views.test.mjs       (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeSource, base, newPage, root, settled, shot, shots, typeInto, useHarness } from './harness.mjs';

/** WCAG 2.1 A/AA as axe-core sees `within` (of a page or a frame). */
async function axe(target, within, what) {
  await target.addScriptTag({ content: axeSource });
  const result = await target.evaluate((sel) => window.axe.run(sel, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }), within);
  const found = result.violations.map((v) => `${v.id}: ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${what}: axe-core found violations`);
  assert.ok(result.passes.length > 5, `${what}: axe-core checked`);
}

useHarness({ timeout: 240_000 });

const { run: _settings, ...b2b } = JSON.parse(await readFile(join(root, 'scenarios/presets/b2b-saas.json'), 'utf8'));
const TRIALS = 2000;

/** The app's fragment for `scenario` with view flags, e.g. `&view=histogram`. */
const fragment = (flags = '', { scenario = b2b, trials = TRIALS, seed = 1 } = {}) =>
  `#v=1&seed=${seed}&trials=${trials}&s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}${flags}`;

/** The app in the harness's host page (`/__embed.html`), which records its messages and sizes it. */
async function hosted(flags, { width = 375, sandbox = false, colorScheme = 'light', scenario } = {}) {
  const page = await newPage({ colorScheme });
  const src = `/${fragment(flags, { scenario })}`;
  await page.goto(`${base}/__embed.html?src=${encodeURIComponent(src)}&width=${width}${sandbox ? '&sandbox=1' : ''}`);
  const frame = page.frameLocator('#app');
  await frame.locator('#status[data-phase="done"] #done-note').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => window.messages.some((m) => m.type === 'funnel-sim:result'));
  const inner = page.frames().find((f) => f !== page.mainFrame());
  return { page, frame, inner };
}

const results = (page) => page.evaluate(() => window.messages.filter((m) => m.type === 'funnel-sim:result'));

/** The kinds of chart drawn and visible (`svg.chart-KIND`). */
const visibleCharts = (frame) => frame.evaluate(() => [...document.querySelectorAll('svg.chart')]
  .filter((svg) => svg.getClientRects().length > 0)
  .map((svg) => [...svg.classList].find((c) => c.startsWith('chart-')).slice('chart-'.length)));

/** The host sized the iframe from the last height message, and nothing scrolls inside. */
async function fitsItsFrame(page, inner) {
  // Let the last layout change post its height.
  await page.waitForTimeout(400);
  const last = await page.evaluate(() => window.messages.filter((m) => m.type === 'funnel-sim:height').at(-1).height);
  assert.equal(await page.evaluate(() => document.getElementById('app').getBoundingClientRect().height), last);
  const scroll = await inner.evaluate(() => ({
    height: document.documentElement.scrollHeight, view: window.innerHeight,
    width: document.documentElement.scrollWidth, across: document.documentElement.clientWidth,
  }));
  assert.ok(scroll.height <= scroll.view + 1, `scrolls down inside: ${JSON.stringify(scroll)}`);
  assert.ok(scroll.width <= scroll.across, `scrolls sideways inside: ${JSON.stringify(scroll)}`);
}

const CHARTS = {
  results: ['histogram', 'funnel', 'pipeline', 'payout', 'distribution', 'distribution', 'tornado'],
  histogram: ['histogram'],
  funnel: ['funnel'],
  pipeline: ['pipeline'],
  tornado: ['tornado'],
  plans: ['payout', 'distribution', 'distribution'],
};

describe('compact views in a host page', () => {
  for (const [view, charts] of Object.entries(CHARTS)) {
    test(`view=${view}: the view's charts, its headline, no page chrome, sized by its messages`, async () => {
      const { page, inner } = await hosted(`&view=${view}`, { width: view === 'histogram' ? 280 : 375 });
      if (charts.includes('tornado')) await inner.locator('svg.chart-tornado').waitFor();
      assert.deepEqual((await visibleCharts(inner)).sort(), [...charts].sort());
      assert.ok(await inner.locator('.headline .lead').isVisible(), 'the headline sentence');
      for (const chrome of ['.toolbar', '.scenario-form', '#help', '.page-header', '#goal']) {
        assert.equal(await inner.locator(chrome).filter({ visible: true }).count(), 0, chrome);
      }
      const open = inner.locator('#open-full');
      assert.equal(await open.textContent(), 'Open the full model');
      assert.equal(await open.getAttribute('target'), '_blank');
      assert.equal(await open.getAttribute('rel'), 'noopener');
      // The same run, in the full view (the scenario as the app writes it).
      const href = new URL(await open.getAttribute('href'));
      const flags = new URLSearchParams(href.hash.slice(1));
      assert.deepEqual([flags.get('v'), flags.get('seed'), flags.get('trials'), flags.get('view')], ['1', '1', String(TRIALS), 'full']);
      const scenario = JSON.parse(Buffer.from(flags.get('s'), 'base64url').toString());
      assert.deepEqual([scenario.name, scenario.stages.map((st) => st.name)], [b2b.name, b2b.stages.map((st) => st.name)]);
      await fitsItsFrame(page, inner);
      await shot(page, `embed-view-${view}`);
    });
  }

  test('in a sandboxed iframe at 280 px', async () => {
    const { page, inner } = await hosted('&view=funnel', { width: 280, sandbox: true });
    assert.deepEqual(await visibleCharts(inner), ['funnel']);
    await fitsItsFrame(page, inner);
  });

  test('the result message carries the full app\'s numbers for the same link', async () => {
    const full = await hosted('');
    const compact = await hosted('&view=histogram&theme=dark');
    const a = (await results(full.page)).at(-1);
    const b = (await results(compact.page)).at(-1);
    assert.deepEqual(b, a);
    assert.equal(a.trials, TRIALS);
    assert.ok(typeof a.probability === 'number' && a.revenue.mean > 0, JSON.stringify(a));
  });

  test('edit= shows those inputs; typing recomputes; the flags stay in the link', async () => {
    const flags = '&view=histogram&edit=leads.per_month,stages[1].conversion,stages[9].days';
    const { page, inner } = await hosted(flags, { width: 320 });
    const leads = inner.locator('.compact-inputs #f-leads-per_month');
    assert.equal(await leads.inputValue(), '1000');
    // Stage 2 gives its conversion as history: won and of.
    assert.equal(await inner.locator('.compact-inputs #f-stages-1-conversion-won').inputValue(), '180');
    assert.equal(await inner.locator('.compact-inputs #f-stages-1-conversion-of').inputValue(), '400');
    assert.match(await inner.locator('#edit-problems').textContent(), /stages\[9\]\.days.*is for stage 10, and this scenario has \d+ stages/);
    await fitsItsFrame(page, inner);
    await axe(inner, 'main', 'a compact view with inputs');

    const before = (await results(page)).at(-1);
    await typeInto(inner, '.compact-inputs #f-leads-per_month', '500');
    await page.waitForFunction((mean) => window.messages.filter((m) => m.type === 'funnel-sim:result').at(-1).revenue.mean !== mean,
      before.revenue.mean, { timeout: 60_000 });
    const after = (await results(page)).at(-1);
    assert.ok(after.revenue.mean < before.revenue.mean, `${after.revenue.mean} < ${before.revenue.mean}`);
    const hash = await inner.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(hash.includes(flags), hash);
    const scenario = JSON.parse(Buffer.from(new URLSearchParams(hash.slice(1)).get('s'), 'base64url').toString());
    assert.equal(scenario.leads.per_month, 500);
    await shot(page, 'embed-edit');
  });

  test('theme= forces the scheme; auto follows the reader', async () => {
    const background = (inner) => inner.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = 'rgb(13, 17, 23)';
    const light = 'rgb(244, 246, 249)';
    for (const [flags, scheme, expected] of [
      ['&view=histogram&theme=dark', 'light', dark],
      ['&view=histogram&theme=light', 'dark', light],
      ['&view=histogram', 'dark', dark],
      ['&view=histogram&theme=auto', 'light', light],
    ]) {
      const { page, inner } = await hosted(flags, { colorScheme: scheme });
      assert.equal(await background(inner), expected, `${flags} with ${scheme}`);
      if (flags.endsWith('dark')) await axe(inner, 'main', 'theme=dark');
      if (flags.endsWith('dark')) await shot(page, 'embed-theme-dark');
    }
  });

  test('unknown flags: said, and the full model opens', async () => {
    const page = await newPage();
    await page.goto(`${base}/${fragment('&view=charts&theme=sepia')}`);
    await settled(page);
    const notes = await page.locator('#flag-notes').textContent();
    assert.match(notes, /view=“charts”.*full model/);
    assert.match(notes, /theme=“sepia”/);
    assert.ok(await page.locator('.toolbar').isVisible());
    assert.ok(await page.locator('.scenario-form').isVisible());
  });
});

describe('the Embed dialog', () => {
  test('builds the code; pasted into an article, it shows the chosen view, sized', async () => {
    const page = await newPage();
    await page.goto(`${base}/${fragment()}`);
    await settled(page);
    await page.locator('#embed').click();
    const dialog = page.locator('#embed-dialog');
    assert.ok(await dialog.evaluate((d) => d.open));
    await page.waitForFunction(() => document.activeElement?.id === 'embed-view');
    await page.locator('#embed-view').selectOption('histogram');
    await page.locator('#embed-dialog [data-path="leads.per_month"]').check();
    await page.locator('#embed-dialog [data-path="stages[2].conversion"]').check();
    await page.locator('#embed-width-280').check();
    const preview = page.frameLocator('#embed-preview');
    await preview.locator('main.compact[data-view="histogram"] #mean-revenue').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('#embed-preview').evaluate((f) => f.getBoundingClientRect().width), 280);
    await shot(page, 'embed-dialog', false);
    await axe(page, '#embed-dialog', 'the Embed dialog');
    const code = await page.locator('#embed-code').inputValue();
    const script = await page.locator('#embed-script').inputValue();
    assert.match(code, /^<iframe id="funnel-sim-[0-9a-f]{8}" src="[^"]+&amp;view=histogram&amp;edit=leads\.per_month,stages\[2\]\.conversion" title="Sales funnel forecast: B2B SaaS" width="100%" height="560" loading="lazy"/);
    assert.match(script, /^<script>[\s\S]*funnel-sim:height[\s\S]*<\/script>$/);

    await page.keyboard.press('Escape');
    assert.equal(await dialog.evaluate((d) => d.open), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'embed');

    const article = await newPage({ viewport: { width: 900, height: 900 } });
    await article.goto(`${base}/__article.html?code=${encodeURIComponent(`${code}\n${script}`)}`);
    const embed = article.frameLocator('iframe');
    await embed.locator('main.compact[data-view="histogram"] #status[data-phase="done"]').waitFor({ timeout: 120_000 });
    assert.ok(await embed.locator('.compact-inputs #f-leads-per_month').isVisible());
    await article.waitForTimeout(500);
    const sized = await article.evaluate(() => {
      const f = document.querySelector('iframe');
      return { frame: f.getBoundingClientRect().height, content: f.contentDocument?.documentElement.getBoundingClientRect().height };
    });
    assert.ok(Math.abs(sized.frame - Math.ceil(sized.content)) <= 1 && sized.frame !== 560, JSON.stringify(sized));
    await shot(article, 'embed-article');
  });
});

/** Buttons a reader could see (print media: none). */
const visibleButtons = (page) => page.evaluate(() => [...document.querySelectorAll('button, summary, select, input')]
  .filter((b) => b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden')
  .map((b) => b.outerHTML.slice(0, 80)));

/** How many pages a PDF has. */
const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe('print', () => {
  test('the full app on paper: name, figures, charts, key inputs, seed, trials, link; no controls', async () => {
    // As wide as A4 paper inside its margins, in the dark scheme (paper is light anyway).
    const page = await newPage({ colorScheme: 'dark', viewport: { width: 718, height: 1000 } });
    await page.goto(`${base}/${fragment('', { seed: 42 })}`);
    await settled(page);
    await page.locator('#lever-sentence').waitFor();
    await page.emulateMedia({ media: 'print' });
    assert.deepEqual(await visibleButtons(page), []);
    assert.equal(await page.locator('#print-title').textContent(), 'B2B SaaS');
    const inputs = await page.locator('#print-inputs').textContent();
    for (const part of ['Random numbers42', `Trials${TRIALS.toLocaleString('en-US')}`, 'Leads per month1,000']) {
      assert.ok(inputs.includes(part), `${part} in ${inputs}`);
    }
    assert.ok((await page.locator('#print-link').textContent()).includes(`/#v=1&seed=42&trials=${TRIALS}&s=`));
    assert.ok(await page.locator('#mean-revenue').isVisible());
    const charts = await visibleCharts(page);
    for (const kind of ['histogram', 'funnel', 'pipeline', 'tornado', 'payout']) assert.ok(charts.includes(kind), `${kind} in ${charts}`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    await shot(page, 'print-full');
    for (const format of ['A4', 'Letter']) {
      const n = pages(await page.pdf({ format, printBackground: true }));
      assert.ok(n >= 1 && n <= 2, `${format}: ${n} pages`);
    }
  });

  test('a compact view prints as itself', async () => {
    const page = await newPage({ viewport: { width: 718, height: 1000 } });
    await page.goto(`${base}/${fragment('&view=funnel&edit=leads.per_month&theme=dark')}`);
    await settled(page);
    await page.emulateMedia({ media: 'print' });
    assert.deepEqual(await visibleCharts(page), ['funnel']);
    assert.deepEqual((await visibleButtons(page)).filter((b) => !b.startsWith('<input')), []);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    await shot(page, 'print-compact');
    assert.equal(pages(await page.pdf({ format: 'A4' })), 1);
  });
});

describe('exports', () => {
  test('every export downloads; the JSON and trials CSV are the command line\'s for the same link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'funnel-export-'));
    const page = await newPage({ acceptDownloads: true });
    const seed = 7;
    await page.goto(`${base}/${fragment('', { seed, trials: 3000 })}`);
    await settled(page);
    await page.locator('#lever-sentence').waitFor();
    const save = async (click) => {
      const [download] = await Promise.all([page.waitForEvent('download'), click()]);
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), path, bytes: await readFile(path) };
    };
    // The scenario as the app exports it: what the command line runs.
    const scenario = await save(() => page.locator('#export').click());
    await page.locator('#export-menu > summary').click();
    const summary = await save(() => page.locator('#export-summary').click());
    const trials = await save(() => page.locator('#export-trials').click());
    const funnel = await save(() => page.locator('#export-funnel').click());
    const open = await save(() => page.locator('#export-open').click());
    assert.deepEqual([summary.name, trials.name, funnel.name, open.name],
      ['b2b-saas-summary.json', 'b2b-saas-trials.csv', 'b2b-saas-funnel.csv', 'b2b-saas-open-at-horizon.csv']);

    const samples = join(dir, 'cli-samples.csv');
    const cli = execFileSync('cargo',
      ['run', '-q', '-p', 'funnel-engine', '--bin', 'funnelsim', '--', 'run', scenario.path,
        '--trials', '3000', '--seed', String(seed), '--samples', samples],
      { cwd: root, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 << 20 });
    assert.equal(summary.bytes.toString(), cli);
    assert.equal(trials.bytes.toString(), await readFile(samples, 'utf8'));

    const rows = funnel.bytes.toString().trim().split('\n');
    assert.equal(rows[0], 'stage,entered,moved_on,lost,conversion,lost_value');
    assert.equal(rows.length, 1 + b2b.stages.length);
    const cliSummary = JSON.parse(cli);
    assert.equal(Number(rows[1].split(',')[1]), cliSummary.stages[0].entered.mean);
    assert.equal(open.bytes.toString().split('\n')[0], 'stage,deals,value,weighted_value');

    const charts = page.locator('#export-menu .export-charts li');
    const n = await charts.count();
    assert.ok(n >= 5, `${n} charts listed`);
    for (let i = 0; i < n; i += 1) {
      const svg = await save(() => charts.nth(i).getByRole('button', { name: /SVG$/ }).click());
      const text = svg.bytes.toString();
      assert.match(text, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(text, /style="[^"]*fill:/, 'styles inline');
      const png = await save(() => charts.nth(i).getByRole('button', { name: /PNG$/ }).click());
      assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
      if (i === 0) await copyFile(png.path, join(shots, 'embed-export-chart.png'));
    }
  });
});
