// A whole class, as issue 10 tells it: a trainer on a blank page loads the classroom preset,
// opens "Classroom…" and builds an exercise through the panel (title, task, a probability
// question with a tolerance, one input students may change, one value that varies per
// student), and copies its link; two students open it in fresh pages (one types a name, one
// comes by `&student=`), get their own numbers, find the rest locked, and answer (one on
// their true answer, one far off); the trainer pastes the class list into the key, then the
// two answer codes into the debrief, and sees one right and one wrong. The screenshots of
// each step go to tests/e2e/screenshots/classroom-*.png; with DOCS_SCREENSHOTS=1 they replace
// the README's walkthrough, docs/classroom-{1-panel,2-student,3-key,4-debrief}.png (a plain run
// leaves the committed files alone: the panel's link, and so its QR code, names the test's port).
//
//   cd tests/e2e && node --test --test-concurrency=1 classroom.test.mjs   (after `trunk build --release`)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { base, newPage, root, settled, shots, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 300_000 });

const doc = (name) => join(process.env.DOCS_SCREENSHOTS === '1' ? join(root, 'docs') : shots, `classroom-${name}.png`);
const TITLE = 'Make the month?';
const TASK = 'Your pipeline has its own number of open opportunities, each won with a 50% chance for $1,000. '
  + 'What is the chance of at least $40,000 this month? Try other conversions if you like, but answer for 50%.';

/** Waits until a student's form shows their variant and the forecast is for it. */
async function gotNumbers(page) {
  await page.waitForFunction(() => document.querySelector('#student-numbers')?.textContent.startsWith('Your numbers:'));
  await settled(page);
}

/** "87.3%" as 87.3. */
const percent = (text) => {
  const m = text.match(/^(\d+(?:\.\d+)?)%$/);
  assert.ok(m, `a percentage: ${text}`);
  return Number(m[1]);
};

/** The rows of a table's body, each as its cells' text. */
const rowsOf = (page, table) => page.locator(`${table} tbody tr`).evaluateAll((trs) =>
  trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

/** A screenshot of the page from the top of `first` to the bottom of `last` (element
 * locators), with a margin, as the README shows it: a part of a 1280 px page, not all of it. */
async function shotOf(page, name, first, last = first, margin = 12) {
  await page.evaluate(() => document.activeElement?.blur());
  const [top, bottom] = await Promise.all([first, last].map((l) => l.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY };
  })));
  const x = Math.max(0, Math.min(top.x, bottom.x) - margin);
  const y = Math.max(0, top.y - margin);
  const width = Math.max(top.right, bottom.right) + margin - x;
  await page.screenshot({ path: doc(name), fullPage: true, clip: { x, y, width, height: bottom.bottom + margin - y } });
}

/** A student answers and reads the code the page gives. */
async function answer(page, value) {
  await typeInto(page, '#student-answer', value);
  await page.click('#student-answer-submit');
  await page.locator('#answer-code').waitFor();
  const code = (await page.locator('#answer-code').textContent()).trim();
  assert.equal(code.length, 12, `a 12-character code: ${code}`);
  return code;
}

describe('classroom: a whole class', () => {
  test('a trainer builds an exercise from a blank page, two students answer, the key and the debrief judge them', async () => {
    // The trainer: the default page, then the classroom case from the toolbar's examples.
    const trainer = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await trainer.goto(`${base}/`);
    await settled(trainer);
    await trainer.selectOption('#preset', 'classroom');
    const blank = trainer.url();
    await trainer.click('#load-preset');
    await trainer.waitForFunction((u) => location.href !== u, blank);
    await settled(trainer);
    assert.equal(await trainer.locator('#exercise').count(), 0, 'the trainer is no student');

    // Classroom… opens the panel; the exercise is built through its fields.
    await trainer.getByRole('button', { name: 'Classroom…' }).click();
    await trainer.waitForSelector('#classroom');
    await typeInto(trainer, '#f-cx-exercise-title', TITLE);
    await trainer.fill('#f-cx-exercise-task', TASK);
    assert.equal(await trainer.inputValue('#f-cx-exercise-question-ask'), 'probability');
    await typeInto(trainer, '#f-cx-exercise-question-tolerance', '2');
    await trainer.check('input[data-path="stages[0].conversion"]');
    await trainer.click('#add-variant');
    await trainer.selectOption('#f-cx-exercise-variants-0-path', 'stages[0].open');
    await typeInto(trainer, '#f-cx-exercise-variants-0-spread', '20');
    await trainer.waitForSelector('#exercise-link');
    assert.equal(await trainer.locator('#exercise-problems').count(), 0);
    assert.equal(await trainer.textContent('#preview-title'), TITLE);
    assert.match(await trainer.textContent('#preview-editable'), /Students may change: Stage 1 \(Opportunity\): conversion\./);

    // Copy link puts the very link of the field on the clipboard.
    const url = await trainer.inputValue('#exercise-link');
    await trainer.click('#copy-exercise-link');
    await trainer.waitForSelector('.share-status:has-text("Link copied.")');
    assert.equal(await trainer.evaluate(() => navigator.clipboard.readText()), url);
    assert.match(url, /#v=1&/);
    await shotOf(trainer, '1-panel', trainer.locator('.classroom-part:has(#exercise-form-title)'),
      trainer.locator('.classroom-part:has(#exercise-link-title)'));

    // Two students, each in a fresh browser: Ana types her name, Ben comes by his link.
    const ana = await newPage();
    await ana.goto(url);
    await settled(ana);
    assert.equal((await ana.locator('#exercise-title').textContent()).trim(), TITLE);
    assert.equal((await ana.locator('#exercise-task').textContent()).trim(), TASK);
    await typeInto(ana, '#student-name', 'Ana');
    await ana.keyboard.press('Enter');
    await gotNumbers(ana);
    const ben = await newPage();
    await ben.goto(`${url}&student=Ben%20Okafor`);
    await gotNumbers(ben);
    assert.equal(await ben.inputValue('#student-name'), 'Ben Okafor');

    // Their own numbers: the open opportunities differ, and the page says so.
    const open = { Ana: Number(await ana.inputValue('#f-stages-0-open')), 'Ben Okafor': Number(await ben.inputValue('#f-stages-0-open')) };
    assert.notEqual(open.Ana, open['Ben Okafor']);
    for (const [page, name] of [[ana, 'Ana'], [ben, 'Ben Okafor']]) {
      const numbers = await page.locator('#student-numbers').textContent();
      assert.match(numbers, /^Your numbers: Stage 1 \(Opportunity\): open today [\d,]+ \(the case: 100\)\.$/, name);
      assert.ok(numbers.includes(`open today ${open[name]} `), `${name}'s list names their open count ${open[name]}: ${numbers}`);
      assert.ok(open[name] !== 100 && Math.abs(open[name] - 100) <= 20, `${name}'s open ${open[name]} within 20%`);
    }
    assert.notEqual(await ana.locator('#target-chance').textContent(), await ben.locator('#target-chance').textContent());

    // Locked fields are read-only, and say so; the one the exercise opens is not.
    for (const page of [ana, ben]) {
      for (const id of ['f-stages-0-open', 'f-deal_size-median', 'f-target-revenue', 'f-horizon_months']) {
        const field = page.locator(`#${id}`);
        assert.equal(await field.getAttribute('readonly'), '', `${id} read-only`);
        assert.equal(await field.getAttribute('aria-readonly'), 'true', `${id} aria-readonly`);
      }
      const editable = page.locator('#f-stages-0-conversion');
      assert.equal(await editable.getAttribute('readonly'), null);
      assert.equal(await editable.getAttribute('aria-readonly'), null);
    }
    const locked = await ben.inputValue('#f-stages-0-open');
    await ben.locator('#f-stages-0-open').click();
    await ben.keyboard.type('9');
    assert.equal(await ben.inputValue('#f-stages-0-open'), locked, 'a locked field does not take typing');

    // The trainer's key for the class list: both students, their values and true answers.
    await trainer.fill('#class-list', 'Ana\nBen Okafor\n');
    await trainer.click('#make-key');
    await trainer.waitForSelector('#key-table');
    const key = await rowsOf(trainer, '#key-table');
    assert.deepEqual(key.map((r) => [r[0], r[1]]), [['Ana', "Ana's link"], ['Ben Okafor', "Ben Okafor's link"]]);
    assert.deepEqual(key.map((r) => Number(r[2].replace(/,/g, ''))), [open.Ana, open['Ben Okafor']],
      'the key has the values the students see');
    const truth = Object.fromEntries(key.map((r) => [r[0], percent(r[3])]));
    // The true answer is the chance each student's own page shows.
    assert.equal(percent((await ana.locator('#target-chance').textContent()).trim().split(/\s/)[0]), truth.Ana);
    await shotOf(trainer, '3-key', trainer.locator('.classroom-part:has(#key-title)'));

    // Ana answers her true answer; Ben is 30 points off.
    const anaCode = await answer(ana, String(truth.Ana));
    const benAnswer = truth['Ben Okafor'] > 50 ? truth['Ben Okafor'] - 30 : truth['Ben Okafor'] + 30;
    const benCode = await answer(ben, benAnswer.toFixed(1));
    assert.notEqual(anaCode, benCode);
    assert.equal(await ana.locator('#answer-verdict').isVisible(), false, 'the page does not say who is right');
    // Ana's page at her answer: the task, her numbers, her code, and the form below, locked
    // but for the conversion.
    await shotOf(ana, '2-student', ana.locator('#exercise'), ana.locator('fieldset:has(#f-stages-0-open)').first());

    // The debrief: the codes as students hand them in (one with a name, one bare).
    await trainer.fill('#answer-codes', `Ana: ${anaCode}\n${benCode}\n`);
    await trainer.waitForSelector('#debrief-table');
    const judged = await rowsOf(trainer, '#debrief-table');
    assert.deepEqual(judged.map((r) => [r[0], r[3]]), [['Ana', 'right'], ['Ben Okafor', 'wrong']]);
    assert.equal(percent(judged[0][1]), truth.Ana);
    assert.equal(percent(judged[1][1]), Number(benAnswer.toFixed(1)));
    assert.deepEqual(judged.map((r) => percent(r[2])), [truth.Ana, truth['Ben Okafor']]);
    assert.match(await trainer.textContent('#debrief-summary'), /2 of 2 students handed in a code; 1 of them is right/);
    assert.equal(await trainer.locator('#debrief-problems').count(), 0);
    assert.equal(await trainer.locator('.chart-debrief .debrief-tick').count(), 2);
    await shotOf(trainer, '4-debrief', trainer.locator('.classroom-part:has(#debrief-title)'));
  });
});
