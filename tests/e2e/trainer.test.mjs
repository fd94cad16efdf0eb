// The trainer's Classroom panel end to end: an exercise built through the panel, its link
// (the scenario in it carries the exercise) and QR code, the answer key for a class list
// (its CSV the very bytes of `funnelsim key` for the same list, trials and seed), answer
// codes pasted into the debrief and judged, and the handout and key printed at A4 and
// Letter widths without anything cut off.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeSource, link, newPage, root, settled, shot, typeInto, useHarness } from './harness.mjs';

useHarness({ timeout: 300_000 });

const classroom = JSON.parse(await readFile(join(root, 'scenarios/presets/classroom.json'), 'utf8'));
const TRIALS = 2000;
const SEED = 7;
const CLASS = 'Ana\n\nBen Okafor\n  ana \n=Zed\n';

// Answer codes as docs/model-notes.md ("Exercise") defines them, written here again from
// the text so that the test also holds the page to the format.
function fnv1a64(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}
function answerCode(name, answer) {
  const h = fnv1a64(new TextEncoder().encode(name.trim().toLowerCase()));
  const nameHash = (h ^ (h >> 32n)) & ((1n << 31n) - 1n);
  let [sign, exponent, mantissa] = [0n, 0n, 0n];
  if (Math.abs(answer) >= 1e-18) {
    const [m, e] = Math.abs(answer).toExponential(4).split('e');
    [sign, exponent, mantissa] = [answer < 0 ? 1n : 0n, BigInt(Number(e) + 18), BigInt(m.replace('.', ''))];
  }
  const data = (nameHash << 24n) | (sign << 23n) | (exponent << 17n) | mantissa;
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let code = '';
  for (let k = 10; k >= 0; k--) code += digits[Number((data >> BigInt(5 * k)) & 31n)];
  return code + (digits + '*~$=U')[Number(data % 37n)];
}

// `funnelsim key` on the scenario of an exercise link, for the class list in `students`.
function cliKey(scenarioJson, students, dir) {
  const scenarioPath = join(dir, 'exercise.json');
  const studentsPath = join(dir, 'students.txt');
  return Promise.all([writeFile(scenarioPath, scenarioJson), writeFile(studentsPath, students)]).then(() =>
    execFileSync(
      'cargo',
      ['run', '-q', '-p', 'funnel-engine', '--bin', 'funnelsim', '--',
        'key', scenarioPath, '--students', studentsPath, '--trials', String(TRIALS), '--seed', String(SEED)],
      { cwd: root, encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 << 20 },
    ));
}

// The scenario JSON inside a link's fragment.
function scenarioOf(url) {
  const fragment = new URL(url).hash.slice(1);
  const params = Object.fromEntries(fragment.split('&').map((p) => p.split('=')));
  return { json: Buffer.from(params.s, 'base64url').toString('utf8'), params };
}

// No WCAG 2.1 A/AA problem axe-core can see in the panel.
async function accessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => axe.run('#classroom', {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n'));
  assert.deepEqual(found, [], `${what}: axe-core found violations`);
  assert.ok(result.passes.length > 10, `${what}: axe-core checked`);
}

// The print of the part marked `what`, at a paper width: nothing wider than the page,
// the QR code whole, then a screenshot and a PDF.
async function printAt(page, what, paper, width) {
  await page.setViewportSize({ width, height: 1100 });
  await page.evaluate(() => { window.printed = null; });
  await page.click(what === 'handout' ? '#print-handout' : '#print-key');
  assert.equal(await page.evaluate(() => window.printed), what, 'window.print() ran with the part marked');
  await page.emulateMedia({ media: 'print' });
  const layout = await page.evaluate((what) => {
    const part = document.querySelector(what === 'handout' ? '.classroom-handout' : '.classroom-key');
    const visible = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && !part.contains(el) && !el.contains(part);
    });
    const right = Math.max(...[...part.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right));
    return {
      shown: part.getBoundingClientRect().height > 0,
      others: visible.map((el) => el.tagName + '#' + el.id),
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      right,
    };
  }, what);
  assert.ok(layout.shown, `the ${what} prints`);
  assert.deepEqual(layout.others, [], `nothing but the ${what} prints`);
  assert.ok(layout.scroll <= layout.inner, `no sideways overflow at ${paper}: ${layout.scroll} > ${layout.inner}`);
  assert.ok(layout.right <= layout.inner + 0.5, `nothing cut off at ${paper}: ${layout.right}`);
  await shot(page, `trainer-${what}-print-${paper.toLowerCase()}`);
  const pdf = await page.pdf({ format: paper, printBackground: true });
  assert.ok(pdf.length > 1000);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => document.body.removeAttribute('data-printing'));
}

describe('classroom: the trainer', () => {
  test('build an exercise, its link and QR code, the key against funnelsim key, the debrief, the prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainer-'));
    const page = await newPage({ acceptDownloads: true });
    // Printing is the browser's dialog: record that it was asked for, and with what marked.
    await page.addInitScript(() => {
      window.print = () => { window.printed = document.body.getAttribute('data-printing'); };
    });
    await page.goto(link(classroom, TRIALS, { seed: SEED }));
    await settled(page);
    assert.equal(await page.locator('#classroom').count(), 0, 'closed, the panel is one button');
    await page.click('#open-classroom');
    await page.waitForSelector('#classroom');
    assert.equal(await page.getAttribute('#open-classroom', 'aria-expanded'), 'true');

    // Without a task there is no link, and the problem names its field.
    await typeInto(page, '#f-cx-exercise-task', ' ');
    await page.waitForSelector('#exercise-problems');
    assert.match(await page.textContent('#exercise-problems'), /Task: must not be empty/);
    assert.equal(await page.locator('#exercise-link').count(), 0);

    await typeInto(page, '#f-cx-exercise-title', 'Make the month?');
    await page.fill('#f-cx-exercise-task', 'Change only the conversion. What is the chance of at least $40,000?');
    assert.equal(await page.inputValue('#f-cx-exercise-question-ask'), 'probability');
    await typeInto(page, '#f-cx-exercise-question-tolerance', '2');
    await page.check('input[data-path="stages[0].conversion"]');
    await page.click('#add-variant');
    await page.selectOption('#f-cx-exercise-variants-0-path', 'stages[0].conversion');
    await typeInto(page, '#f-cx-exercise-variants-0-spread', '10');
    await page.click('#add-variant');
    await page.selectOption('#f-cx-exercise-variants-1-path', 'stages[0].open');
    // A bad spread names its row.
    await typeInto(page, '#f-cx-exercise-variants-1-spread', '150');
    await page.waitForSelector('#exercise-problems');
    assert.match(await page.textContent('#exercise-problems'), /Value that varies 2: spread: must be from 0% to 100%/);
    await typeInto(page, '#f-cx-exercise-variants-1-spread', '20');
    await page.waitForSelector('#exercise-link');

    // The preview: title, task, what is editable, an example student's own values.
    assert.equal(await page.textContent('#preview-title'), 'Make the month?');
    assert.match(await page.textContent('#preview-task'), /Change only the conversion/);
    assert.match(await page.textContent('#preview-editable'), /Students may change: Stage 1 \(Opportunity\): conversion\./);
    assert.match(await page.textContent('#preview-variant'), /Ana's own values/);
    assert.equal(await page.locator('#preview-variant tbody tr').count(), 2);

    // The link carries the scenario with its exercise, at the page's seed and trials.
    const url = await page.inputValue('#exercise-link');
    const { json, params } = scenarioOf(url);
    assert.equal(params.seed, String(SEED));
    assert.equal(params.trials, String(TRIALS));
    const scenario = JSON.parse(json);
    assert.deepEqual(scenario.exercise, {
      title: 'Make the month?',
      task: 'Change only the conversion. What is the chance of at least $40,000?',
      editable: ['stages[0].conversion'],
      question: { ask: 'probability', tolerance: 0.02 },
      variants: [{ path: 'stages[0].conversion', spread: 0.1 }, { path: 'stages[0].open', spread: 0.2 }],
    });
    assert.equal(await page.locator('#exercise-qr svg path.qr-dark').count(), 1);
    await shot(page, 'trainer-panel');

    // The link opens (the student's page is another file's business: here it must load).
    const student = await newPage();
    await student.goto(url);
    await settled(student);
    await student.close();

    // A large class shows its progress and stops on Stop.
    await page.fill('#class-list', Array.from({ length: 400 }, (_, i) => `Student ${i + 1}`).join('\n'));
    await page.click('#make-key');
    await page.waitForSelector('#key-progress');
    assert.match(await page.textContent('#key-status'), /Working out the true answers: \d+ of 400 students/);
    await page.click('#stop-key');
    await page.waitForSelector('#key-status:has-text("Stopped")');
    assert.equal(await page.locator('#key-table').count(), 0);

    // The key for a class list with a blank line and a repeat.
    await page.fill('#class-list', CLASS);
    await page.click('#make-key');
    await page.waitForSelector('#key-table');
    assert.match(await page.textContent('#key-notes'), /Line 4: “ana” is the same student as “Ana” on line 1/);
    const names = await page.locator('#key-table tbody th').allTextContents();
    assert.deepEqual(names, ['Ana', 'Ben Okafor', '=Zed']);
    const href = await page.getAttribute('#key-table tbody tr:nth-child(2) a', 'href');
    assert.equal(href, `${url}&student=Ben%20Okafor`);
    const download = page.waitForEvent('download');
    await page.click('#download-key');
    const csv = await readFile(await (await download).path(), 'utf8');
    const expected = await cliKey(json, CLASS, dir);
    assert.equal(csv, expected, 'the page\'s key is the bytes of funnelsim key');
    assert.match(csv, /^'=Zed,/m, 'a name a spreadsheet would run is defused');
    await shot(page, 'trainer-key');

    // Codes: Ana right, Ben off by 10 points, a typo, and one from nobody on the list.
    const truths = Object.fromEntries(csv.trim().split('\n').slice(1).map((l) => {
      const [name, answer] = l.split(',');
      return [name, Number(answer)];
    }));
    const ana = answerCode('Ana', truths.Ana);
    const ben = answerCode('Ben Okafor', Math.min(1, truths['Ben Okafor'] + 0.1));
    const typo = ana.slice(0, 3) + (ana[3] === 'A' ? 'B' : 'A') + ana.slice(4);
    await page.fill('#answer-codes', [`Ana, ${ana}`, ben, typo, answerCode('Dan', 0.5)].join('\n'));
    await page.waitForSelector('#debrief-table');
    const rows = await page.locator('#debrief-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => [r[0], r[3]]), [['Ana', 'right'], ['Ben Okafor', 'wrong'], ['=Zed', 'no code']]);
    assert.equal(rows[0][1], rows[0][2], 'Ana answered her own truth');
    const problems = await page.textContent('#debrief-problems');
    assert.match(problems, /Line 3: the code does not check out/);
    assert.match(problems, /Line 4: the code matches no student on the class list/);
    assert.match(await page.textContent('#debrief-summary'), /2 of 3 students handed in a code; 1 of them is right/);
    assert.equal(await page.locator('.chart-debrief .debrief-tick').count(), 2);
    assert.equal(await page.locator('.chart-debrief .debrief-right').count(), 1);
    await page.locator('.chart-debrief').scrollIntoViewIfNeeded();
    await accessible(page, 'the panel with its key and debrief, light');
    await page.locator('.classroom-part:has(#debrief-title)').screenshot({ path: join(root, 'tests/e2e/screenshots/trainer-debrief.png') });

    // The handout and the key on paper: A4 is 210 mm (794 px), Letter 8.5 in (816 px).
    for (const [paper, width] of [['A4', 794], ['Letter', 816]]) {
      await printAt(page, 'handout', paper, width);
      await printAt(page, 'key', paper, width);
    }
  });

  test('a goal question\'s key runs the goal search on the workers and matches funnelsim key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainer-goal-'));
    const b2b = JSON.parse(await readFile(join(root, 'scenarios/exercise-goal.json'), 'utf8'));
    delete b2b.exercise;
    delete b2b.run;
    const page = await newPage({ acceptDownloads: true, colorScheme: 'dark' });
    await page.goto(link(b2b, TRIALS, { seed: SEED }));
    await settled(page);
    await page.click('#open-classroom');
    await page.fill('#f-cx-exercise-task', 'Change only the Proposal conversion. What rate gives an 80% chance of $5M?');
    await page.selectOption('#f-cx-exercise-question-ask', 'goal_conversion');
    await page.selectOption('#f-cx-exercise-question-stage', 'Proposal');
    await typeInto(page, '#f-cx-exercise-question-confidence', '80');
    assert.equal(await page.inputValue('#f-cx-exercise-question-tolerance'), '2');
    await page.check('input[data-path="stages[3].conversion"]');
    await page.click('#add-variant');
    await page.selectOption('#f-cx-exercise-variants-0-path', 'leads.per_month');
    await page.waitForSelector('#exercise-link');
    const { json } = scenarioOf(await page.inputValue('#exercise-link'));
    assert.deepEqual(JSON.parse(json).exercise.question,
      { ask: 'goal_conversion', stage: 'Proposal', confidence: 0.8, tolerance: 0.02 });
    const students = 'Ana\nBen\n';
    await page.fill('#class-list', students);
    await page.click('#make-key');
    await page.waitForSelector('#key-table');
    const download = page.waitForEvent('download');
    await page.click('#download-key');
    const csv = await readFile(await (await download).path(), 'utf8');
    assert.equal(csv, await cliKey(json, students, dir));
    assert.match(await page.textContent('#key-table'), /True answer/);
    await accessible(page, 'the panel with a goal key, dark');
    await shot(page, 'trainer-goal-key-dark');
    // On a phone the panel fits the screen; the key's table scrolls inside its region.
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than a 375 px screen (${overflow} px over)`);
    await page.locator('#classroom').screenshot({ path: join(root, 'tests/e2e/screenshots/trainer-375.png') });
  });
});
