// The live scoreboard page in headless Chromium: a contest of its own with 1,000 teams, colored
// problems, a few judged submissions and a freeze, seeded through the API; then the page's
// rows, cells, public (frozen) and jury views, a live update without a reload, keyboard use,
// and screenshots at phone, laptop and projector sizes. Prints render and update times.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, env, eventually, launchBrowser, screenshot } from './lib.mjs';

const config = env();
const TEAM_COUNT = 1000;
const cid = `sb-${Date.now().toString(36)}`;
const contestPath = `/api/contests/${cid}`;
const teamId = (n) => `${cid}-t${String(n).padStart(4, '0')}`;
const PROBLEMS = [
  { id: 'apple', label: 'A', name: 'Apples', rgb: '#ffe14d' },   // light: wants black text
  { id: 'berry', label: 'B', name: 'Berries', rgb: '#1a237e' },  // dark: wants white text
  { id: 'cherry', label: 'C', name: 'Cherries', rgb: '#e53935' },
  { id: 'date', label: 'D', name: 'Dates', rgb: '#43a047' },
];
const SUM = 'a, b = map(int, input().split())\nprint(a + b)\n';
const WRONG = 'print(0)\n';
const LONG_NAME = 'The Extraordinarily Long-Named Team of Competitive Programmers';
const LONG_NAMED = 997;  // the team with LONG_NAME

let browser;
let admin;  // the admin's login response: {token, expires_at, role}

// An API call that must succeed with `status`.
async function must(status, path, options) {
  const r = await api(path, { token: admin.token, ...options });
  assert.equal(r.status, status, `${options?.method || 'POST'} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

function reltime(ms) {
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(ms % 1000, 3)}`;
}

async function createContest(startMs) {
  await must(201, '/api/contests', {
    body: { id: cid, name: 'Scoreboard test', start_time: new Date(startMs).toISOString(),
      duration: '5:00:00', penalty_time: 20, scoreboard_type: 'pass-fail' },
  });
  for (const [i, p] of PROBLEMS.entries()) {
    await must(201, `${contestPath}/problems`, {
      body: { ...p, ordinal: i + 1, time_limit: 2,
        test_cases: [{ input: '1 2\n', answer: '3\n', sample: true }, { input: '5 7\n', answer: '12\n' }] },
    });
  }
}

// 1,000 teams, 50 requests at a time: seconds, not minutes.
async function createTeams() {
  const numbers = Array.from({ length: TEAM_COUNT }, (_, i) => i + 1);
  for (let i = 0; i < numbers.length; i += 50) {
    await Promise.all(numbers.slice(i, i + 50).map((n) => must(201, `${contestPath}/teams`, {
      body: { id: teamId(n), name: `team${n}`,
        display_name: n === LONG_NAMED ? LONG_NAME : `Team ${String(n).padStart(4, '0')}` },
    })));
  }
}

// A submission the jury makes for a team (a proxy submit); resolves to its id.
async function submit(team, problem, source) {
  return (await submitted(team, problem, source)).id;
}

async function submitted(team, problem, source) {
  return must(202, `${contestPath}/submissions`, {
    body: { team_id: teamId(team), problem_id: problem, language_id: 'python3', source },
  });
}

async function judged(ids) {
  return eventually(`verdicts for submissions ${ids}`, async () => {
    const r = await api(`${contestPath}/judgements`, { token: admin.token });
    const done = r.body.filter((j) => ids.includes(j.submission_id) && j.judgement_type_id);
    return done.length === ids.length && done;
  }, { timeoutMs: 120000 });
}

// Freeze the public board just after `lastVisible` (a submission): it and all before it stay
// visible, everything after is hidden from the public.
async function freezeAfter(lastVisible, startMs) {
  const freezeAt = Date.parse(lastVisible.time) + 1 - startMs;
  await must(200, contestPath, {
    method: 'PATCH', body: { scoreboard_freeze_duration: reltime(5 * 3600 * 1000 - freezeAt) },
  });
}

before(async () => {
  const r = await api('/api/auth/login',
    { body: { username: config.ADMIN_USER, password: config.ADMIN_PASSWORD } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  admin = r.body;
  const startMs = Date.now() - 30 * 60 * 1000;
  await createContest(startMs);
  const began = Date.now();
  await createTeams();
  console.log(`seeded ${TEAM_COUNT} teams in ${Date.now() - began} ms`);
  const early = [
    await submit(1, 'apple', SUM),    // first to solve A
    await submit(2, 'apple', WRONG),
    await submit(3, 'berry', WRONG),  // a failed try
  ];
  await judged(early);
  const last = await submitted(2, 'apple', SUM);  // solved on the second try
  await judged([...early, last.id]);
  await freezeAfter(last, startMs);
  await judged([await submit(4, 'cherry', SUM)]);  // after the freeze: pending for the public
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

// The page's script errors and console errors (a CSP violation is one): a test ends with none.
// `expected` matches console errors the test causes on purpose (a 404 the page shows). The
// browser's own look for /favicon.ico (there is none) is not the page's error.
function collectErrors(page, expected = null) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const url = message.location()?.url || '';
    if (message.type() !== 'error' || expected?.test(message.text()) || url.endsWith('/favicon.ico')) return;
    errors.push(`console error: ${message.text()} (${url})`);
  });
  return errors;
}

// A page on the scoreboard; `jury` logs in as the admin first (the session common.js keeps);
// `pollMs` replaces the page's poll intervals (judgeTestPollMs in common.js).
async function openBoard({ jury = false, viewport = { width: 1366, height: 768 }, query = '',
  pollMs } = {}) {
  const context = await browser.newContext({ viewport });
  if (jury) {
    const saved = JSON.stringify({ ...admin, username: config.ADMIN_USER });
    await context.addInitScript((value) => localStorage.setItem('judge.session', value), saved);
  }
  if (pollMs !== undefined) {
    await context.addInitScript((ms) => { globalThis.judgeTestPollMs = ms; }, pollMs);
  }
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${config.BASE_URL}/contests/${cid}/scoreboard${query}`);
  await page.waitForFunction((n) => document.querySelectorAll('#scoreboard tbody tr').length === n,
    TEAM_COUNT, { timeout: 30000 });
  return { page, errors };
}

const cell = (page, team, problem) => {
  const column = PROBLEMS.findIndex((p) => p.id === problem) + 4;
  return page.locator(`tr[data-team-id="${teamId(team)}"] > :nth-child(${column + 1})`);
};

// Presses Tab until the element #id has the focus (a few presses at most).
async function tabTo(page, id) {
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) === id) return;
  }
  assert.fail(`Tab never reached #${id}`);
}

test('the public board: every team, colored headers, solved, first, failed and pending cells', async () => {
  const { page, errors } = await openBoard();
  const timings = await page.evaluate(() => window.scoreboardTimings);
  console.log(`1,000 teams: first render at ${timings.firstRender.toFixed(0)} ms after navigation ` +
    `(table built in ${timings.firstRenderDom.toFixed(1)} ms)`);

  const ids = await page.$$eval('#scoreboard tbody tr', (rows) => rows.map((r) => r.dataset.teamId));
  assert.deepEqual(new Set(ids), new Set(Array.from({ length: TEAM_COUNT }, (_, i) => teamId(i + 1))));
  assert.equal(await page.locator('#contest-name').innerText(), 'Scoreboard test');
  assert.match(await page.locator('#state-line').innerText(), /Frozen since .* Running · contest time 0:3\d:\d\d of 5:00:00/);
  assert.match(await page.locator('#frozen-banner').innerText(), /frozen since/i);
  // CCS: until the jury finalizes, every scoreboard says the results are not final.
  assert.match(await page.locator('#final-banner').innerText(), /results are not final/i);

  const labels = page.locator('#scoreboard thead th.problem abbr');
  assert.deepEqual(await labels.allInnerTexts(), PROBLEMS.map((p) => p.label));
  assert.equal(await labels.nth(0).getAttribute('title'), 'Apples');
  assert.equal(await labels.nth(0).evaluate((n) => getComputedStyle(n).color), 'rgb(0, 0, 0)');
  assert.equal(await labels.nth(1).evaluate((n) => getComputedStyle(n).color), 'rgb(255, 255, 255)');
  assert.equal(await labels.nth(1).evaluate((n) => getComputedStyle(n).backgroundColor), 'rgb(26, 35, 126)');

  const first = cell(page, 1, 'apple');
  assert.match(await first.getAttribute('class'), /\bfirst\b/);
  assert.match(await first.innerText(), /★/);
  assert.match(await first.getAttribute('title'), /^First to solve, at minute 3\d, 1 try$/);
  const second = cell(page, 2, 'apple');
  assert.match(await second.getAttribute('class'), /\bsolved\b/);
  assert.match(await second.locator('.main').innerText(), /^3\d$/);
  assert.equal(await second.locator('.sub').innerText(), '2 tries');
  assert.match(await cell(page, 3, 'berry').getAttribute('class'), /\bfailed\b/);
  const pending = cell(page, 4, 'cherry');
  assert.match(await pending.getAttribute('class'), /\bpending\b/);
  assert.equal(await pending.locator('.main').innerText(), '?');
  assert.equal(await page.locator('tr[data-team-id] > .rank').first().innerText(), '1');
  assert.equal(await page.locator('#view-toggle').isHidden(), true, 'no jury toggle for the public');

  await screenshot(page, 'scoreboard-laptop-public');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'scoreboard-phone');
  // On a phone the board scrolls inside its own box and the team column stays put.
  const scrolled = await page.evaluate(() => {
    const box = document.getElementById('board');
    box.scrollLeft = 200;
    const team = document.querySelector('#scoreboard tbody th.team').getBoundingClientRect();
    const rank = document.querySelector('#scoreboard tbody td.rank').getBoundingClientRect();
    return { overflow: box.scrollWidth > box.clientWidth, teamLeft: team.left,
      rankRight: rank.right, boxLeft: box.getBoundingClientRect().left, pageWidth: document.documentElement.scrollWidth };
  });
  const seen = JSON.stringify(scrolled);
  assert.ok(scrolled.overflow, 'the board is wider than a phone and scrolls');
  assert.ok(scrolled.teamLeft < scrolled.boxLeft + 80, `team column stays visible (${seen})`);
  assert.ok(scrolled.teamLeft >= scrolled.rankRight - 1, `team column does not cover the rank (${seen})`);
  assert.equal(scrolled.pageWidth, 390, 'only the board scrolls sideways, not the page');
  await screenshot(page, 'scoreboard-phone-scrolled');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the jury sees the truth, switches views by keyboard, and the board updates live', async () => {
  const { page, errors } = await openBoard({ jury: true });
  assert.equal(await page.locator('#view-label').innerText(), 'Jury view (unfrozen)');
  const truth = cell(page, 4, 'cherry');
  assert.match(await truth.getAttribute('class'), /\bfirst\b/, 'the jury sees the frozen solve');
  assert.match(await page.locator('#frozen-banner').innerText(), /jury's true board/);
  await screenshot(page, 'scoreboard-laptop-jury');

  // A submission now: the page follows it without reloading (the marker survives).
  await page.evaluate(() => { window.stillTheSamePage = true; });
  const before = await page.evaluate(() => window.scoreboardTimings.updates);
  await judged([await submit(TEAM_COUNT, 'date', SUM)]);
  const lastRow = page.locator(`tr[data-team-id="${teamId(TEAM_COUNT)}"]`);
  await eventually('the new solve on the jury board', async () =>
    /\bfirst\b/.test(await cell(page, TEAM_COUNT, 'date').getAttribute('class')), { timeoutMs: 30000 });
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no reload');
  assert.ok(Number(await lastRow.locator('.rank').innerText()) <= 5, 'the team moved up');
  const timings = await page.evaluate(() => window.scoreboardTimings);
  assert.ok(timings.updates > before);
  console.log(`1,000 teams: update (fetch + patch) ${timings.lastUpdate.toFixed(1)} ms, ` +
    `patch ${timings.lastPatch.toFixed(1)} ms, ${timings.changedRows} row(s) changed`);
  await eventually('the update announced', async () =>
    /Scoreboard updated/.test(await page.locator('#announcer').innerText()), { timeoutMs: 5000 });

  // Keyboard: Tab to the view switch, Enter shows the public (frozen) view.
  await tabTo(page, 'view-toggle');
  await page.keyboard.press('Enter');
  await eventually('the public view', async () =>
    /\bpending\b/.test(await truth.getAttribute('class')), { timeoutMs: 10000 });
  assert.equal(await page.locator('#view-toggle').getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('#view-label').innerText(), /Public view/);
  assert.match(await cell(page, TEAM_COUNT, 'date').getAttribute('class'), /\bpending\b/);

  // ... and on to projector mode.
  await tabTo(page, 'projector-toggle');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), true);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'scoreboard-projector');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), false);
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the public board on a projector: updates live (pending while frozen) and scrolls itself', async () => {
  const { page, errors } = await openBoard({ query: '?projector=1&autoscroll=1',
    viewport: { width: 1920, height: 1080 } });
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), true);
  assert.equal(await page.locator('#autoscroll-toggle').getAttribute('aria-pressed'), 'true');
  await page.evaluate(() => { window.stillTheSamePage = true; });
  await submit(500, 'berry', SUM);
  await eventually('a pending cell for the new submission', async () =>
    /\bpending\b/.test(await cell(page, 500, 'berry').getAttribute('class')), { timeoutMs: 30000 });
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no reload');
  // Auto-scroll waits a few seconds at the top, then glides down the board.
  await eventually('the board scrolling by itself', async () =>
    page.evaluate(() => document.getElementById('board').scrollTop > 20), { timeoutMs: 20000 });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the jury board follows the event feed, not only the poll', async () => {
  // Polls 10 minutes apart: only the feed can bring the new verdict in time.
  const { page, errors } = await openBoard({ jury: true, pollMs: 600000 });
  const before = await page.evaluate(() => window.scoreboardTimings.updates);
  await judged([await submit(998, 'apple', SUM)]);
  await eventually('the judged solve on the jury board (from the feed)', async () =>
    /\bsolved\b/.test(await cell(page, 998, 'apple').getAttribute('class')), { timeoutMs: 20000 });
  assert.ok(await page.evaluate(() => window.scoreboardTimings.updates) > before);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a jury login on a projector shows the public (frozen) board, without the view switch', async () => {
  const { page, errors } = await openBoard({ jury: true, query: '?projector=1',
    viewport: { width: 1920, height: 1080 } });
  const frozen = cell(page, 4, 'cherry');  // solved after the freeze: the public sees '?'
  assert.match(await frozen.getAttribute('class'), /\bpending\b/);
  assert.equal(await frozen.locator('.main').innerText(), '?');
  assert.match(await page.locator('#scoreboard caption').textContent(), /public view/);
  assert.equal(await page.locator('#view-toggle').isVisible(), false);
  assert.doesNotMatch(await page.locator('#frozen-banner').innerText(), /jury/);
  // Leaving projector mode keeps the public view: the jury view only by choice.
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#view-toggle').getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('#view-label').innerText(), /Public view/);
  await page.locator('#view-toggle').click();
  await eventually('the jury view by choice', async () =>
    /\bfirst\b/.test(await frozen.getAttribute('class')), { timeoutMs: 10000 });
  // ... and projector mode again switches back to the public view.
  await page.locator('#projector-toggle').click();
  await eventually('the public view on the projector', async () =>
    /\bpending\b/.test(await frozen.getAttribute('class')), { timeoutMs: 10000 });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a jury login that expires switches to the public view and says so', async () => {
  const { page, errors } = await openBoard({ jury: true, pollMs: 1000 });
  const frozen = cell(page, 4, 'cherry');
  assert.match(await frozen.getAttribute('class'), /\bfirst\b/);
  await page.evaluate(() => {
    const saved = JSON.parse(localStorage.getItem('judge.session'));
    saved.expires_at = new Date(Date.now() - 1000).toISOString();
    localStorage.setItem('judge.session', JSON.stringify(saved));
  });
  // The next poll (a second away) finds no login.
  await eventually('the expired-login notice', async () =>
    /Your login expired: showing the public view/.test(await page.locator('#notice').innerText()),
  { timeoutMs: 10000 });
  await eventually('the public board', async () =>
    /\bpending\b/.test(await frozen.getAttribute('class')), { timeoutMs: 10000 });
  assert.equal(await page.locator('#notice a').getAttribute('href'), 'team');
  assert.equal(await page.locator('#login-link').isVisible(), true);
  assert.equal(await page.locator('#view-label').isVisible(), false, 'no "Jury view" label left');
  assert.match(await page.locator('#scoreboard caption').textContent(), /public view/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('long team names carry the full name as a title; phones keep a short legend', async () => {
  const { page, errors } = await openBoard({ viewport: { width: 390, height: 844 } });
  const name = page.locator(`tr[data-team-id="${teamId(LONG_NAMED)}"] .team-name`);
  assert.equal(await name.getAttribute('title'), LONG_NAME);
  assert.equal(await page.locator(`tr[data-team-id="${teamId(1)}"] .team-name`).getAttribute('title'), null);
  const legend = page.locator('footer.legend');
  assert.equal(await legend.isVisible(), true);
  assert.match(await legend.innerText(), /★ 12\s+first[\s\S]*−\s+not solved[\s\S]*\?\s+pending/);
  assert.doesNotMatch(await legend.innerText(), /tries|to solve/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('an unknown contest is a readable message, not a blank page', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page, /status of 404/);
  await page.goto(`${config.BASE_URL}/contests/no-such-contest/scoreboard`);
  await eventually('the error message', async () => page.locator('#error').isVisible(), { timeoutMs: 10000 });
  assert.match(await page.locator('#error').innerText(), /no contest “no-such-contest”.*Retrying in \d+ s/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('before the start the page says when the board opens, not an error', async () => {
  const future = `${cid}-later`;
  await must(201, '/api/contests', {
    body: { id: future, name: 'Later cup', start_time: '2030-01-01T10:00:00Z', duration: '5:00:00' },
  });
  const page = await browser.newPage();
  const errors = collectErrors(page, /status of 403/);
  await page.goto(`${config.BASE_URL}/contests/${future}/scoreboard`);
  await eventually('the notice', async () => page.locator('#notice').isVisible(), { timeoutMs: 10000 });
  assert.match(await page.locator('#state-line').innerText(), /^Not started · starts /);
  assert.equal(await page.locator('#error').isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an ended contest says its results are not final until the jury finalizes them', async () => {
  const over = `${cid}-over`;
  await must(201, '/api/contests', {
    body: { id: over, name: 'Over cup', start_time: new Date(Date.now() - 6 * 3600 * 1000).toISOString(),
      duration: '5:00:00' },
  });
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${config.BASE_URL}/contests/${over}/scoreboard`);
  await eventually('the not-final banner', async () => page.locator('#final-banner').isVisible(),
    { timeoutMs: 10000 });
  assert.match(await page.locator('#final-banner').innerText(), /contest is over, but these results are not final/);
  assert.match(await page.locator('#state-line').innerText(), /^Ended /);
  await screenshot(page, 'scoreboard-not-final');
  await must(200, `/api/contests/${over}`, { method: 'PATCH', body: { finalized: true, extra_bronze: 0 } });
  await page.reload();
  await eventually('the final results', async () =>
    /^Final results/.test(await page.locator('#state-line').innerText()), { timeoutMs: 10000 });
  assert.equal(await page.locator('#final-banner').isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});
