// The scenario library (toolbar "Library…"): three scenarios saved, the library
// after a reload, open with Undo, rename, duplicate, delete with Undo, each
// entry's link in a fresh page, export and import of the whole library (a bad
// file named and nothing lost), and a sandboxed iframe without storage.
//
//   cd tests/e2e && node --test library.test.mjs       (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { base, figures, newPage, settled, shot, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 240_000 });

const names = (page) => page.locator('#library-list .library-entry').evaluateAll(
  (lis) => lis.map((li) => li.dataset.name));
const entry = (page, name) => page.locator(`#library-list .library-entry[data-name="${name}"]`);

async function openLibrary(page) {
  await page.locator('#library').click();
  await page.locator('#library-dialog[open] #library-save').waitFor();
}

async function closeLibrary(page) {
  await page.locator('#library-close').click();
  await page.locator('#library-dialog:not([open])').waitFor({ state: 'attached' });
}

async function save(page, expected) {
  await openLibrary(page);
  await page.locator('#library-save').click();
  await page.locator('#library-status', { hasText: expected }).waitFor();
  await closeLibrary(page);
}

/** Saves the three scenarios the tests use: two alike in structure, one not. */
async function saveThree(page) {
  await page.goto(base);
  await settled(page);
  await save(page, 'Saved “B2B SaaS” in the library.');
  await typeInto(page, '#f-name', 'More leads');
  await typeInto(page, '#f-leads-per_month', '300');
  await settled(page);
  await save(page, 'Saved “More leads” in the library.');
  await page.locator('#preset').selectOption('high-volume-inbound');
  await page.locator('#load-preset').click();
  await settled(page);
  const inbound = (await page.locator('#f-name').inputValue()).trim();
  await save(page, `Saved “${inbound}” in the library.`);
  return inbound;
}

describe('the scenario library', () => {
  test('save three, reload, open with Undo, rename, duplicate, delete, links', async () => {
    const page = await newPage();
    const inbound = await saveThree(page);

    // The library survives a reload, in the order saved.
    await page.reload();
    await settled(page);
    await openLibrary(page);
    assert.deepEqual(await names(page), ['B2B SaaS', 'More leads', inbound]);
    assert.equal(await page.locator('#library-keeping').getAttribute('data-keeping'), 'kept');
    await shot(page, 'library-dialog', false);

    // Open: the form becomes the saved scenario, with Undo back to the one before.
    await entry(page, 'More leads').locator('.library-open').click();
    await page.locator('#library-dialog:not([open])').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#f-name').inputValue(), 'More leads');
    assert.equal(await page.locator('#f-leads-per_month').inputValue(), '300');
    await page.locator('#library-opened').waitFor();
    await settled(page);
    const opened = await figures(page);
    await page.locator('#library-undo-open').click();
    assert.equal((await page.locator('#f-name').inputValue()).trim(), inbound);
    await page.locator('#library-opened').waitFor({ state: 'detached' });
    await settled(page);
    // Back, too, returns to the scenario before the one opened.
    await openLibrary(page);
    await entry(page, 'B2B SaaS').locator('.library-open').click();
    await settled(page);
    await page.goBack();
    await page.waitForFunction((n) => document.querySelector('#f-name').value.trim() === n, inbound);

    // Rename by keyboard, duplicate, delete with Undo.
    await openLibrary(page);
    await entry(page, 'More leads').locator('.library-rename').click();
    const input = entry(page, 'More leads').locator('.library-rename-input');
    await input.waitFor();
    await input.press('ControlOrMeta+a');
    await input.pressSequentially('B2B SaaS');
    await input.press('Enter');
    await page.locator('#library-status', { hasText: 'already has a scenario named “B2B SaaS”' }).waitFor();
    await input.press('ControlOrMeta+a');
    await input.pressSequentially('Double the leads');
    await input.press('Enter');
    await page.locator('#library-status', { hasText: 'Renamed “More leads” to “Double the leads”.' }).waitFor();
    await entry(page, 'Double the leads').locator('.library-duplicate').click();
    assert.deepEqual(await names(page), ['B2B SaaS', 'Double the leads', 'Double the leads (copy)', inbound]);
    await entry(page, 'Double the leads (copy)').locator('.library-delete').click();
    await page.locator('#library-undo-delete').click();
    assert.deepEqual(await names(page), ['B2B SaaS', 'Double the leads', 'Double the leads (copy)', inbound]);
    await entry(page, 'Double the leads (copy)').locator('.library-delete').click();
    await page.locator('#library-status', { hasText: 'Deleted “Double the leads (copy)”.' }).waitFor();
    assert.deepEqual(await names(page), ['B2B SaaS', 'Double the leads', inbound]);

    // Each entry is a link: in a fresh page it shows the same figures.
    const href = await entry(page, 'Double the leads').locator('.library-link').getAttribute('href');
    assert.match(href, /#v=1&seed=1&trials=10000&s=/);
    const fresh = await newPage();
    await fresh.goto(href);
    await settled(fresh);
    assert.equal(await fresh.locator('#f-name').inputValue(), 'Double the leads');
    assert.deepEqual(await figures(fresh), opened);

    // After a reload, the changes are still there.
    await page.reload();
    await settled(page);
    await openLibrary(page);
    assert.deepEqual(await names(page), ['B2B SaaS', 'Double the leads', inbound]);
  });

  test('export and import the library; a bad file is named and loses nothing', async () => {
    const page = await newPage();
    const inbound = await saveThree(page);
    await openLibrary(page);
    const dir = await mkdtemp(join(tmpdir(), 'library-'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#library-export').click()]);
    assert.equal(download.suggestedFilename(), 'scenario-library.json');
    const path = join(dir, 'scenario-library.json');
    await download.saveAs(path);
    const file = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(file.library, 'funnel-simulator');
    assert.equal(file.version, 1);
    assert.deepEqual(file.scenarios.map((s) => s.name), ['B2B SaaS', 'More leads', inbound]);
    assert.deepEqual(file.scenarios[1].run, { trials: 10000, seed: 1 });

    // Into a fresh browser (an empty library): all three.
    const other = await newPage();
    await other.goto(base);
    await settled(other);
    await openLibrary(other);
    await other.locator('#library-empty').waitFor();
    await other.setInputFiles('#library-import-file', path);
    await other.locator('#library-status', { hasText: 'Imported 3 scenarios.' }).waitFor();
    assert.deepEqual(await names(other), ['B2B SaaS', 'More leads', inbound]);

    // Again: nothing doubles. A changed scenario of a saved name comes in beside it.
    file.scenarios[1].leads.per_month = 500;
    await writeFile(path, JSON.stringify(file));
    await other.setInputFiles('#library-import-file', path);
    await other.locator('#library-status', {
      hasText: 'Imported 1 scenario. “More leads” differs from the saved scenario of that name, so it was added as “More leads (imported)”. 2 were already saved as they are.',
    }).waitFor();
    assert.deepEqual(await names(other), ['B2B SaaS', 'More leads', inbound, 'More leads (imported)']);

    // A bad file: every problem by its place, the library unchanged.
    file.version = 1;
    file.scenarios[0].stages[0].conversion = 1.5;
    file.scenarios[2].run.trials = 0;
    const bad = join(dir, 'bad-library.json');
    await writeFile(bad, JSON.stringify(file));
    await other.setInputFiles('#library-import-file', bad);
    const problems = other.locator('#library-problems');
    await problems.waitFor();
    assert.match(await problems.locator('h3').textContent(), /bad-library\.json is not a library this app can read/);
    const lines = await problems.locator('li').allTextContents();
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^scenarios\[0\]\.stages\[0\]\.conversion: /);
    assert.match(lines[1], /^scenarios\[2\]\.run\.trials: /);
    assert.match(await problems.textContent(), /Your library is unchanged\./);
    assert.deepEqual(await names(other), ['B2B SaaS', 'More leads', inbound, 'More leads (imported)']);
    await writeFile(bad, '{"library": "funnel-simulator", "version": 1, "scenarios": [');
    await other.setInputFiles('#library-import-file', bad);
    await other.locator('#library-problems li', { hasText: /^line 1, column \d+: this is not JSON/ }).waitFor();
    await shot(other, 'library-import-problems', false);
  });

  test('in a sandboxed iframe the library says it cannot keep anything, and works for the page', async () => {
    const page = await newPage();
    await page.goto(`${base}/__embed.html?src=${encodeURIComponent('/')}&sandbox=1&width=900`);
    const frame = page.frameLocator('#app');
    await frame.locator('#status[data-phase="done"] #done-note').waitFor({ timeout: 120_000 });
    await frame.locator('#library').click();
    const keeping = frame.locator('#library-keeping');
    await keeping.waitFor();
    assert.equal(await keeping.getAttribute('data-keeping'), 'unavailable');
    assert.match(await keeping.textContent(), /cannot use the browser's storage/);
    await frame.locator('#library-save').click();
    await frame.locator('#library-status', { hasText: 'Saved “B2B SaaS” in the library.' }).waitFor();
    await frame.locator('#library-list .library-entry[data-name="B2B SaaS"] .library-duplicate').click();
    assert.equal(await frame.locator('#library-list .library-entry').count(), 2);
    assert.equal(await keeping.getAttribute('data-keeping'), 'unavailable');
    // The rest of the page works: an edit reruns.
    await frame.locator('#library-close').click();
    const before = await frame.locator('#mean-revenue').textContent();
    const leads = frame.locator('#f-leads-per_month');
    await leads.click();
    await leads.press('ControlOrMeta+a');
    await leads.pressSequentially('400');
    for (let i = 0; i < 600 && (await frame.locator('#mean-revenue').textContent()) === before; i++) {
      await page.waitForTimeout(100);
    }
    assert.notEqual(await frame.locator('#mean-revenue').textContent(), before, 'the edit reran');
    await frame.locator('#status[data-phase="done"]').waitFor();
    await frame.locator('#library').click();
    await shot(page, 'library-sandboxed', false);
  });

  for (const [width, scheme] of [[1280, 'dark'], [375, 'light'], [375, 'dark']]) {
    test(`the dialog at ${width} px, ${scheme}`, async () => {
      const page = await newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      await page.goto(base);
      await settled(page);
      await save(page, 'Saved “B2B SaaS” in the library.');
      await typeInto(page, '#f-name', 'A much longer scenario name, to see how it wraps');
      await settled(page);
      await save(page, 'Saved “A much longer scenario name');
      await openLibrary(page);
      await shot(page, `library-dialog-${width}-${scheme}`, false);
      // Nothing in the dialog is wider than the screen.
      const overflow = await page.evaluate(() => {
        const d = document.getElementById('library-dialog');
        return d.scrollWidth - d.clientWidth;
      });
      assert.ok(overflow <= 1, `the dialog scrolls sideways by ${overflow} px`);
    });
  }
});
