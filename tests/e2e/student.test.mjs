// A student's view of a classroom exercise: the exercise's link opened as two students (one
// types a name, one comes by `student=`), each with their own numbers; locked fields are
// read-only and say so to a screen reader, the open one edits and reruns; an answer gives a
// 12-character code that decodes (checked here in JS) to the student's name and answer;
// a reload keeps the name. Screenshots student-*.png, light and dark, 1280 and 375 px.
//
//   cd tests/e2e && node --test --test-concurrency=1 student.test.mjs   (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { axeSource, link, newPage, root, settled, shot, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 240_000 });

const exercise = JSON.parse(readFileSync(join(root, 'scenarios', 'exercise-goal.json'), 'utf8'));
delete exercise.run; // a link carries trials and seed itself
const exerciseLink = () => link(exercise, 2000, { seed: 7 });

// The answer code (docs/model-notes.md, "Exercise"), read independently of the app.
const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECKS = DIGITS + '*~$=U';
function fnv1a64(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}
const nameHash = (name) => {
  const h = fnv1a64(name.trim().toLowerCase());
  return Number((h ^ (h >> 32n)) & 0x7fffffffn);
};
function decode(code) {
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{11}[0-9A-HJKMNP-TV-Z*~$=U]$/, `Crockford base32: ${code}`);
  let data = 0n;
  for (const c of code.slice(0, 11)) data = (data << 5n) | BigInt(DIGITS.indexOf(c));
  assert.equal(Number(data % 37n), CHECKS.indexOf(code[11]), `check symbol of ${code}`);
  const mantissa = Number(data & 0x1ffffn);
  const exponent = Number((data >> 17n) & 63n) - 18 - 4;
  const sign = (data >> 23n) & 1n ? -1 : 1;
  return { nameHash: Number(data >> 24n), answer: sign * mantissa * 10 ** exponent };
}

/** The scenario a link holds. */
const caseOf = (url) => JSON.parse(Buffer.from(new URL(url).hash.match(/&s=([^&]+)/)[1], 'base64url').toString());
const numbers = (page) => page.locator('#student-numbers').textContent();
const leads = (page) => page.inputValue('#f-leads-per_month');
const qualified = (page) => page.inputValue('#f-stages-1-conversion-mean');

/** Waits until the form shows a variant (its numbers are named) and the forecast is for it. */
async function gotNumbers(page) {
  await page.waitForFunction(() => document.querySelector('#student-numbers')?.textContent.startsWith('Your numbers:'));
  await settled(page);
}

describe('a student in an exercise', () => {
  test('two students get their own numbers, locked fields stay locked, the open one reruns', async () => {
    // Ana types her name.
    const ana = await newPage();
    await ana.goto(exerciseLink());
    await settled(ana);
    assert.equal((await ana.locator('#exercise-title').textContent()).trim(), exercise.exercise.title);
    assert.equal((await ana.locator('#exercise-task').textContent()).trim(), exercise.exercise.task);
    assert.match(await numbers(ana), /Enter your name to get your own numbers/);
    // Until a name is given the case itself runs.
    assert.equal(await leads(ana), '1000');
    await typeInto(ana, '#student-name', 'Ana');
    await ana.keyboard.press('Enter');
    await gotNumbers(ana);
    const anaNumbers = await numbers(ana);
    assert.match(anaNumbers, /^Your numbers: Leads per month [\d,.]+ \(the case: 1,000\); Stage 2 \(Qualified\): conversion [\d.]+% \(the case: 45\.0%\)\.$/);
    const anaLeads = Number(await leads(ana));
    assert.ok(anaLeads !== 1000 && Math.abs(anaLeads - 1000) <= 100, `Ana's leads ${anaLeads}`);
    // The URL keeps the case as given and her name.
    assert.match(ana.url(), /&student=Ana$/);
    assert.deepEqual(caseOf(ana.url()), exercise);

    // Ben comes by his personal link.
    const ben = await newPage();
    await ben.goto(`${exerciseLink()}&student=Ben`);
    await gotNumbers(ben);
    assert.equal(await ben.inputValue('#student-name'), 'Ben');
    assert.notEqual(await numbers(ben), anaNumbers);
    assert.notEqual(await leads(ben), await leads(ana));
    assert.notEqual(await qualified(ben), await qualified(ana));

    // Locked: read-only, said to a screen reader, and typing changes nothing.
    for (const id of ['f-name', 'f-horizon_months', 'f-leads-per_month', 'f-leads-growth_per_month',
      'f-stages-1-conversion-mean', 'f-stages-3-days', 'f-stages-0-name', 'f-deal_size-median',
      'f-target-revenue', 'f-trials', 'f-seed']) {
      const field = ben.locator(`#${id}`);
      assert.equal(await field.getAttribute('readonly'), '', `${id} read-only`);
      assert.equal(await field.getAttribute('aria-readonly'), 'true', `${id} aria-readonly`);
      assert.match(await field.getAttribute('aria-describedby'), /exercise-locked-note/, id);
    }
    const before = await leads(ben);
    await ben.locator('#f-leads-per_month').click();
    await ben.keyboard.type('9');
    assert.equal(await leads(ben), before, 'a locked field does not take typing');
    for (const id of ['f-leads-noise', 'f-stages-0-kind']) {
      assert.ok(await ben.locator(`#${id}`).isDisabled(), `${id} disabled`);
    }
    assert.ok(await ben.locator('#team').evaluate((f) => f.disabled), 'the team is fixed');
    assert.ok(await ben.locator('#plans').evaluate((f) => f.disabled), 'the plans are fixed');
    for (const sel of ['#add-stage', '.stage-actions', '#new-seed', '#add-milestone']) {
      assert.equal(await ben.locator(sel).first().isVisible(), false, `${sel} hidden`);
    }
    assert.match(await ben.locator('#exercise-locked-note').textContent(), /You may change: Stage 4 \(Proposal\): conversion\./);

    // Open: the Proposal conversion edits and the forecast follows.
    const open = ben.locator('#f-stages-3-conversion-mean');
    assert.equal(await open.getAttribute('readonly'), null);
    assert.equal(await open.getAttribute('aria-readonly'), null);
    assert.equal(await ben.locator('#f-stages-3-kind').isDisabled(), false);
    const chance = await ben.locator('#target-chance').textContent();
    const url = ben.url();
    await typeInto(ben, '#f-stages-3-conversion-mean', '75');
    await ben.waitForFunction((c) => {
      const now = document.querySelector('#target-chance')?.textContent;
      return now && now !== c && !document.querySelector('#results')?.classList.contains('stale');
    }, chance);
    await settled(ben);
    // An edit leaves the link alone: it holds the case and the name, not the edit.
    assert.equal(ben.url(), url);
    assert.deepEqual(caseOf(ben.url()), exercise);

    // A bad answer names the field; a good one gives the code.
    await typeInto(ben, '#student-answer', 'about half');
    await ben.click('#student-answer-submit');
    const error = ben.locator('#student-answer-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /^Your answer: .*enter a percentage from 0 to 100/);
    assert.equal(await ben.getAttribute('#student-answer', 'aria-invalid'), 'true');
    await typeInto(ben, '#student-answer', '66.5');
    await ben.click('#student-answer-submit');
    await ben.locator('#answer-code').waitFor();
    const code = (await ben.locator('#answer-code').textContent()).trim();
    assert.equal(code.length, 12);
    const decoded = decode(code);
    assert.equal(decoded.nameHash, nameHash('Ben'));
    assert.notEqual(decoded.nameHash, nameHash('Ana'));
    assert.ok(Math.abs(decoded.answer - 0.665) < 1e-12, `${decoded.answer}`);
    assert.match(await ben.locator('#answer-code-box').textContent(), /Send this code to your trainer/);
    assert.doesNotMatch(await ben.locator('#exercise').textContent(), /\b(correct|wrong|right answer)\b/i);
    assert.equal(await ben.locator('#answer-verdict').isVisible(), false, 'the answer is not shown');
    assert.equal(await ben.getAttribute('#student-answer', 'aria-invalid'), 'false');

    // A reload keeps the name, and so the numbers.
    const benNumbers = await numbers(ben);
    await ben.reload();
    await gotNumbers(ben);
    assert.equal(await ben.inputValue('#student-name'), 'Ben');
    assert.equal(await numbers(ben), benNumbers);

    // Ana's reload too, after she came by typing.
    await ana.reload();
    await gotNumbers(ana);
    assert.equal(await numbers(ana), anaNumbers);
  });

  test('the same name gives the same numbers however typed; the case preset has no variants', async () => {
    const a = await newPage();
    await a.goto(`${exerciseLink()}&student=${encodeURIComponent('  ANA ')}`);
    await gotNumbers(a);
    const b = await newPage();
    await b.goto(`${exerciseLink()}&student=ana`);
    await gotNumbers(b);
    assert.equal(await numbers(a), await numbers(b));

    // The published case as a preset: everything locked, one answer for all.
    await b.selectOption('#preset', 'exercise-classroom');
    const url = b.url();
    await b.click('#load-preset');
    await b.waitForFunction((u) => location.href !== u, url);
    await settled(b);
    assert.equal((await b.locator('#exercise-title').textContent()).trim(), '100 opportunities at 50%');
    assert.equal(await numbers(b), 'Every student has the same numbers in this exercise.');
    assert.equal(await b.inputValue('#student-name'), 'ana', 'the name stays for the next exercise');
    assert.match(await b.locator('#target-chance').textContent(), /98\.2%/);
    assert.match(await b.locator('#exercise-locked-note').textContent(), /Every field is locked/);
    assert.equal(await b.getAttribute('#f-stages-0-conversion', 'aria-readonly'), 'true');
    // Another exercise is a new entry in the history: Back returns to the first, name and all.
    await b.goBack();
    await gotNumbers(b);
    assert.equal((await b.locator('#exercise-title').textContent()).trim(), exercise.exercise.title);
    assert.equal(await numbers(b), await numbers(a));
  });

  test('a what-if moves only what the exercise opens', async () => {
    const page = await newPage();
    await page.goto(`${exerciseLink()}&student=Ben`);
    await gotNumbers(page);
    await page.waitForSelector('#lever-status[data-phase="idle"] #levers-done[data-elapsed-ms]', { timeout: 200_000 });
    const leadsBefore = await leads(page);
    const qualifiedBefore = await qualified(page);

    // A goal on the lead volume, a locked input: not applied, and it says so.
    await page.click('#find-goal');
    await page.waitForSelector('#goal-answer');
    await page.click('#apply-goal');
    await page.locator('#notice').waitFor();
    assert.match(await page.locator('#notice').textContent(), /was not applied.*only inputs this exercise locks/s);
    assert.equal(await leads(page), leadsBefore);
    await page.click('#dismiss-notice');

    // A lever on the Proposal conversion, the open input: applied, the locked numbers kept to the bit.
    const proposal = await page.inputValue('#f-stages-3-conversion-mean');
    const lever = page.locator('svg.chart-tornado g.chart-lever[aria-label*=". Proposal conversion +10%"]');
    await lever.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((p) => document.querySelector('#f-stages-3-conversion-mean').value !== p, proposal);
    assert.equal(await leads(page), leadsBefore);
    assert.equal(await qualified(page), qualifiedBefore);
    assert.equal(await page.locator('#notice').count(), 0);
  });

  test('an exercise that shows the answer says it, and whether the student is within the tolerance', async () => {
    const book = JSON.parse(readFileSync(join(root, 'scenarios', 'presets', 'exercise-classroom.json'), 'utf8'));
    book.exercise.show_answer = true;
    const page = await newPage();
    await page.goto(`${link(book, 200000)}&student=Ana`);
    await settled(page);
    await typeInto(page, '#student-answer', '90');
    await page.click('#student-answer-submit');
    const verdict = page.locator('#answer-verdict');
    await page.waitForFunction(() => document.querySelector('#answer-verdict')?.textContent.startsWith('The answer on your numbers: '));
    assert.equal(await verdict.textContent(), 'The answer on your numbers: 98.2%. Yours (90.0%) is not within 1 point of it.');
    // The answer is the forecast's own figure.
    assert.match(await page.locator('#target-chance').textContent(), /98\.2%/);
    await typeInto(page, '#student-answer', '98');
    await page.click('#student-answer-submit');
    await page.waitForFunction(() => document.querySelector('#answer-verdict')?.textContent.includes('(98.0%) is within'));
  });

  test('screenshots and axe: light and dark, 1280 and 375 px', async () => {
    for (const scheme of ['light', 'dark']) {
      for (const width of [1280, 375]) {
        const page = await newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
        await page.goto(`${exerciseLink()}&student=Chlo%C3%A9`);
        await gotNumbers(page);
        await typeInto(page, '#student-answer', '66');
        await page.click('#student-answer-submit');
        await page.locator('#answer-code').waitFor();
        const where = `${scheme} ${width}`;
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${where}: ${overflow}px wider than the screen`);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }));
        const found = result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(found, [], `${where}: axe`);
        // A window taller than the panel: an element screenshot taller than the
        // window is stitched, with the phone's sticky bar drawn into it.
        const bottom = await page.locator('#exercise').evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
        await page.setViewportSize({ width, height: Math.ceil(bottom) + 200 });
        await page.locator('#exercise').screenshot({ path: join(root, 'tests', 'e2e', 'screenshots', `student-${scheme}-${width}.png`) });
        // The form's first panels: locked fields as they look, the open conversion among them.
        await page.setViewportSize({ width, height: 2400 });
        await page.locator('.scenario-form').screenshot({ path: join(root, 'tests', 'e2e', 'screenshots', `student-form-${scheme}-${width}.png`) });
      }
    }
  });
});
