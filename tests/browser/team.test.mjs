// The team page end to end (issue 9): log in through the form with the keyboard, submit files,
// watch the verdicts arrive without a reload, open a submission's test runs and compile output,
// and see the scoreboard change; a second team logging in after the first sees none of its
// submissions; a jury override shows and is announced. No page errors, no console errors (a CSP
// violation is one). Screenshots at phone, laptop and projector sizes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, env, eventually, launchBrowser, login, screenshot } from './lib.mjs';

const config = env();
const CONTEST_API = `/api/contests/${config.CONTEST_ID}`;
const TEAM_PAGE = `${config.BASE_URL}/contests/${config.CONTEST_ID}/team`;
const SCOREBOARD_PAGE = `${config.BASE_URL}/contests/${config.CONTEST_ID}/scoreboard`;
const VERDICT_TIMEOUT_MS = 90000;
const SIZES = {
  phone: { width: 390, height: 844 },
  laptop: { width: 1366, height: 768 },
  projector: { width: 1920, height: 1080 },
};

const A_PLUS_B = `#include <stdio.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\\n", a + b);
    return 0;
}
`;
const A_MINUS_B = A_PLUS_B.replace('a + b', 'a - b');
const LARGEST = `#include <stdio.h>
int main(void) {
    long long n, x, best = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (long long i = 0; i < n; i++) { scanf("%lld", &x); if (i == 0 || x > best) best = x; }
    printf("%lld\\n", best);
    return 0;
}
`;
const DOES_NOT_COMPILE = 'int main( {\n';

let browser;
let page;
const problems = [];  // page errors and console errors of every page the tests open

// An API refusal (a wrong password) is logged by Chromium as a failed resource: the page shows
// it to the user, it is not a fault of the page.
const EXPECTED_CONSOLE_ERROR = /^Failed to load resource: the server responded with a status of 4\d\d/;

function watchForErrors(target) {
  target.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  target.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_CONSOLE_ERROR.test(message.text())) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
}

before(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: SIZES.laptop });
  // Polls 10 minutes apart: every verdict, override and teammate's submission these tests wait
  // for (at most 90 s) has to come from the team's event feed.
  await context.addInitScript(() => { globalThis.judgeTestPollMs = 600000; });
  context.on('page', watchForErrors);
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

// team1's row of the public scoreboard: {num_solved, solved: Set of problem ids}.
async function team1OnScoreboard() {
  const r = await api(`${CONTEST_API}/scoreboard`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const row = r.body.rows.find((x) => x.team_id === config.TEAM_USER);
  return {
    num_solved: row ? row.score.num_solved : 0,
    solved: new Set((row?.problems || []).filter((p) => p.solved).map((p) => p.problem_id)),
  };
}

// Submits through the form; returns the new submission's id (from the page's status line).
async function submitFile(problemId, fileName, source, languageId) {
  await page.getByLabel('Problem').selectOption(problemId);
  await page.getByLabel(/Source file/).setInputFiles({
    name: fileName, mimeType: 'text/plain', buffer: Buffer.from(source),
  });
  // The language follows the file's extension.
  assert.equal(await page.getByLabel('Language').inputValue(), languageId);
  await page.getByRole('button', { name: 'Submit' }).press('Enter');
  const status = page.locator('#submit-status');
  await status.filter({ hasText: /Submission \d+ for/ }).waitFor();
  return /Submission (\d+) for/.exec(await status.innerText())[1];
}

function rowOf(submissionId) {
  return page.locator(`tr[data-submission="${submissionId}"]`);
}

async function waitForVerdict(submissionId, verdict) {
  await rowOf(submissionId).locator('.verdict', { hasText: verdict })
    .waitFor({ timeout: VERDICT_TIMEOUT_MS });
}

// Opens a submission's details with the keyboard; returns the details row.
async function openDetails(submissionId) {
  const button = rowOf(submissionId).getByRole('button', { name: /Details/ });
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const details = page.locator(`#details-${submissionId}`);
  await details.waitFor();
  return details;
}

test('a wrong password shows the API\'s message', async () => {
  const refused = await api('/api/auth/login', {
    body: { username: config.TEAM_USER, password: 'not-the-password' },
  });
  assert.equal(refused.status, 401);
  await page.goto(TEAM_PAGE);
  await page.getByLabel('Username').fill(config.TEAM_USER);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByLabel('Password').press('Enter');
  await page.locator('#login-error').filter({ hasText: refused.body.message }).waitFor();
  assert.equal(await page.locator('#login-error').getAttribute('aria-live'), 'assertive');
  await screenshot(page, 'team-login-refused');
});

// The API's 429 (too many failed logins, or busy checking passwords) is mocked here: a real one
// would refuse this address's logins to the tests that follow (tests/e2e/login_throttle_test.cc
// tests the API's side).
test('a refused login (429) says when to retry, and the button waits until then', async () => {
  const message = 'too many failed logins for this account; retry in 3 s';
  await page.route('**/api/auth/login', (route) => route.fulfill({
    status: 429,
    contentType: 'application/json',
    headers: { 'Retry-After': '3' },
    body: JSON.stringify({ code: 429, message }),
  }));
  try {
    await page.goto(TEAM_PAGE);
    await page.getByLabel('Username').fill(config.TEAM_USER);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('Password').press('Enter');
    await page.locator('#login-error').filter({ hasText: message }).waitFor();
    const button = page.locator('#login-button');
    assert.equal(await button.isDisabled(), true);
    assert.match(await button.innerText(), /^Log in \(wait [1-3] s\)$/);
    await screenshot(page, 'team-login-throttled');
    await page.waitForFunction(() => !document.getElementById('login-button').disabled, null,
      { timeout: 10000 });
    assert.equal(await button.innerText(), 'Log in');
  } finally {
    await page.unroute('**/api/auth/login');
  }
});

test('a team logs in with the keyboard, submits, and watches verdicts arrive', async () => {
  const before = await team1OnScoreboard();
  const scoreboard = await openScoreboard();
  assert.equal(await scoreboard.solvedShown(), before.num_solved);
  await page.goto(TEAM_PAGE);
  await page.getByLabel('Username').fill(config.TEAM_USER);
  await page.getByLabel('Password').fill(config.TEAM_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Team One' }).waitFor();
  await page.locator('#contest-line').filter({ hasText: /Running · \d+:\d\d:\d\d left/ }).waitFor();
  // Set on the page now, still there at the end: nothing reloaded the page.
  await page.evaluate(() => { window.notReloaded = true; });

  // Hold back the judgements until the new row was seen pending.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const judgements = `**${CONTEST_API}/judgements`;
  await page.route(judgements, async (route) => { await held; await route.continue(); });
  const accepted = await submitFile(config.PROBLEM_ID, 'sum.c', A_PLUS_B, 'c');
  assert.equal(await rowOf(accepted).locator('.verdict').innerText(), 'Pending');
  release();
  await page.unroute(judgements);

  await waitForVerdict(accepted, 'Accepted');
  await page.locator('#announce').filter({ hasText: `Submission ${accepted} for A: Accepted` }).waitFor();
  const runs = (await openDetails(accepted)).locator('table.runs tbody tr');
  await runs.first().waitFor();
  const [ordinal, verdict, time, memory] = await runs.first().locator('td').allInnerTexts();
  assert.equal(ordinal, '1');
  assert.match(verdict, /Accepted/);
  assert.match(time, /^\d+\.\d{3} s$/);
  assert.match(memory, /^\d+(\.\d)? (KiB|MiB)$/);
  // The file went with its own name (in a one-file zip), not the language's default one.
  const token = await login(config.TEAM_USER, config.TEAM_PASSWORD);
  const files = await api(`${CONTEST_API}/submissions/${accepted}/files`, { token });
  assert.equal(files.status, 200);
  assert.ok(files.body.includes('sum.c'), 'the stored zip names sum.c');

  const broken = await submitFile(config.PROBLEM_ID, 'broken.c', DOES_NOT_COMPILE, 'c');
  await waitForVerdict(broken, 'Compile error');
  const compilerOutput = (await openDetails(broken)).locator('pre.compile-output');
  await compilerOutput.waitFor();
  assert.match(await compilerOutput.innerText(), /error/);

  const wrong = await submitFile(config.PROBLEM_ID, 'minus.c', A_MINUS_B, 'c');
  await waitForVerdict(wrong, 'Wrong answer');
  const wrongRuns = (await openDetails(wrong)).locator('table.runs tbody tr', { hasText: 'Wrong answer' });
  await wrongRuns.first().waitFor();

  // Newest first.
  const order = await page.locator('tr[data-submission]').evaluateAll(
    (rows) => rows.map((row) => row.dataset.submission));
  assert.deepEqual(order.slice(0, 3), [wrong, broken, accepted]);

  // The scoreboard counts a problem team1 had not solved before this test: sum, unless another
  // test solved it first (then B, through the same form).
  if (before.solved.has(config.PROBLEM_ID)) {
    const largest = await submitFile('max', 'largest.c', LARGEST, 'c');
    await waitForVerdict(largest, 'Accepted');
  }
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  for (const [name, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    await screenshot(page, `team-${name}`);
  }
  await page.setViewportSize(SIZES.laptop);

  await eventually('team1 solving one more problem on the scoreboard', async () =>
    (await team1OnScoreboard()).num_solved === before.num_solved + 1);
  // The board page opened before the submission follows it without a reload.
  await eventually('the scoreboard page counting team1\'s new solve', async () =>
    (await scoreboard.solvedShown()) === before.num_solved + 1);
  await scoreboard.board.close();

  // Logged in (same browser context), the scoreboard marks the team's own row, and only it.
  const ownBoard = await page.context().newPage();
  await ownBoard.goto(SCOREBOARD_PAGE);
  await ownBoard.locator(`tr.own[data-team-id="${config.TEAM_USER}"]`, { hasText: 'your team' })
    .waitFor();
  assert.equal(await ownBoard.locator('tr.own').count(), 1);
  await ownBoard.close();
});

// The scoreboard page, open in a tab of its own, and team1's solved count as that page shows it.
async function openScoreboard() {
  const board = await browser.newPage({ viewport: SIZES.laptop });
  watchForErrors(board);
  await board.goto(SCOREBOARD_PAGE);
  const solved = board.locator(`tr[data-team-id="${config.TEAM_USER}"] .solved-count`);
  await solved.waitFor();
  return { board, solvedShown: async () => Number(await solved.innerText()) };
}

test('the phone layout keeps the page within the screen', async () => {
  await page.setViewportSize(SIZES.phone);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.setViewportSize(SIZES.laptop);
});

// An account of a second team of the demo contest (made once): {username, password, token}.
const TEAM2 = { id: 'team-page-2', name: 'Team Page Two', username: 'team-page-2', password: 'team-page-2-password' };

async function createTeam2() {
  const admin = await login(config.ADMIN_USER, config.ADMIN_PASSWORD);
  const team = await api(`${CONTEST_API}/teams`, {
    token: admin, body: { id: TEAM2.id, name: TEAM2.name, display_name: TEAM2.name },
  });
  assert.equal(team.status, 201, JSON.stringify(team.body));
  const user = await api('/api/users', {
    token: admin,
    body: { username: TEAM2.username, password: TEAM2.password, role: 'team', team_id: TEAM2.id },
  });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  return admin;
}

async function logInOn(target, username, password) {
  await target.getByLabel('Username').fill(username);
  await target.getByLabel('Password').fill(password);
  await target.getByLabel('Password').press('Enter');
}

test('a second team never sees the first team\'s submissions; a jury override is announced', async () => {
  const admin = await createTeam2();
  const team1Rows = await page.locator('tr[data-submission]').count();
  assert.ok(team1Rows > 0, 'team1 has submissions on the page');
  await page.evaluate(() => { window.notReloaded = true; });
  const chosen = [await page.getByLabel('Problem').inputValue(), await page.getByLabel('Language').inputValue()];

  // Another tab logs out (the login is shared): this one shows the login form, then team 2
  // logs in here.
  const other = await page.context().newPage();
  await other.goto(TEAM_PAGE);
  await other.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').waitFor();
  await other.close();
  await logInOn(page, TEAM2.username, TEAM2.password);
  await page.getByRole('heading', { level: 1, name: TEAM2.name }).waitFor();
  await page.locator('#no-subs').waitFor();
  assert.equal(await page.locator('tr[data-submission]').count(), 0, 'team1\'s submissions are gone');
  // The problem and language chosen before stay chosen.
  assert.deepEqual([await page.getByLabel('Problem').inputValue(),
    await page.getByLabel('Language').inputValue()], chosen);

  const accepted = await submitFile(config.PROBLEM_ID, 'sum.c', A_PLUS_B, 'c');
  await waitForVerdict(accepted, 'Accepted');
  assert.equal(await page.locator('tr[data-submission]').count(), 1);

  // A teammate submits from another machine while a Details button has the focus: the new row
  // goes on top and the focus stays where it was.
  const details = rowOf(accepted).getByRole('button', { name: /Details/ });
  await details.focus();
  const token2 = await login(TEAM2.username, TEAM2.password);
  const sent = await api(`${CONTEST_API}/submissions`, {
    token: token2, body: { problem_id: config.PROBLEM_ID, language_id: 'c', source: DOES_NOT_COMPILE },
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await waitForVerdict(sent.body.id, 'Compile error');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    `Details of submission ${accepted}`, 'the Details button kept the focus');

  // The jury overrides the accepted verdict: the open page shows and announces it.
  const judgements = await api(`${CONTEST_API}/judgements`, { token: admin });
  const judgement = judgements.body.find((j) => j.submission_id === accepted && j.current !== false);
  const put = await api(`${CONTEST_API}/judgements/${judgement.id}`, {
    token: admin, method: 'PUT', body: { judgement_type_id: 'WA' },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await waitForVerdict(accepted, 'Wrong answer');
  await page.locator('#announce')
    .filter({ hasText: `Submission ${accepted} for A: now Wrong answer (was Accepted)` }).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
});

// A contest of its own with a team account: {cid, username, password}.
async function contestWithTeam(id, startMs, duration) {
  const admin = await login(config.ADMIN_USER, config.ADMIN_PASSWORD);
  const must = async (path, body) => {
    const r = await api(path, { token: admin, body });
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
  };
  await must('/api/contests', { id, name: `Contest ${id}`, start_time: new Date(startMs).toISOString(),
    duration, penalty_time: 20, scoreboard_type: 'pass-fail' });
  await must(`/api/contests/${id}/teams`, { id: `${id}-team`, name: `Team of ${id}` });
  await must('/api/users', { username: `${id}-team`, password: `${id}-password`, role: 'team', team_id: `${id}-team` });
  return { cid: id, username: `${id}-team`, password: `${id}-password` };
}

test('the submit form is closed, saying why, before the start and after the end', async () => {
  const now = Date.now();
  const cases = [
    [await contestWithTeam('team-page-later', now + 3600e3, '1:00:00'), /has not started/],
    [await contestWithTeam('team-page-over', now - 7200e3, '1:00:00'), /contest is over/],
  ];
  for (const [contest, why] of cases) {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${config.BASE_URL}/contests/${contest.cid}/team`);
    await logInOn(page, contest.username, contest.password);
    await page.locator('#submit-closed').filter({ hasText: why }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Submit' }).isDisabled(), true);
    assert.equal(await page.getByLabel('Problem').isDisabled(), true);
  }
  await page.goto(TEAM_PAGE);
});

test('log out, and a jury login is pointed at the scoreboard', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').waitFor();
  await page.getByLabel('Username').fill(config.ADMIN_USER);
  await page.getByLabel('Password').fill(config.ADMIN_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  const note = page.locator('#not-team');
  await note.filter({ hasText: 'This page is for teams' }).waitFor();
  assert.equal(await note.getByRole('link', { name: 'scoreboard' }).getAttribute('href'),
    `/contests/${config.CONTEST_ID}/scoreboard`);
  await page.getByRole('button', { name: 'Log out' }).click();
});

test('the home page lists the contest with links to its pages', async () => {
  await page.goto(`${config.BASE_URL}/`);
  const item = page.locator('#contests li', { hasText: 'Demo Contest' });
  await item.waitFor();
  assert.equal(await item.getByRole('link', { name: 'Scoreboard' }).getAttribute('href'),
    `/contests/${config.CONTEST_ID}/scoreboard`);
  assert.equal(await item.getByRole('link', { name: /Team page/ }).getAttribute('href'),
    `/contests/${config.CONTEST_ID}/team`);
  assert.match(await item.innerText(), /Running/);
  await screenshot(page, 'home');
});

test('no page errors and no console errors (a CSP violation is one)', () => {
  assert.deepEqual(problems, []);
});
