// Smoke test of the whole path the page tests build on: the stack tests/browser/run starts
// (API, worker, Postgres, Redis), headless Chromium reaching the API, and a submission judged AC.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, env, eventually, launchBrowser, login, screenshot } from './lib.mjs';

// The page the browser opens: the API's own information (Chromium shows the JSON as text). The
// pages themselves have their own tests (scoreboard, team, accessibility).
const PAGE_PATH = '/api';

const A_PLUS_B_IN_C = `#include <stdio.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\\n", a + b);
    return 0;
}
`;

const config = env();
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('the browser opens the API and shows its version', async () => {
  const page = await browser.newPage();
  const response = await page.goto(config.BASE_URL + PAGE_PATH);
  assert.equal(response.status(), 200);
  // Chromium shows a JSON response as text in a <pre> (under its "Pretty-print" box).
  const shown = JSON.parse(await page.locator('pre').first().innerText());
  assert.match(shown.version, /^\d{4}-\d{2}$/, 'CLICS version like 2023-06');
  assert.equal(shown.provider.name, 'contest-judge');
  await screenshot(page, 'smoke-api');
  await page.close();
});

test('the demo contest is listed', async () => {
  const r = await api('/api/contests');
  assert.equal(r.status, 200);
  assert.ok(r.body.some((c) => c.id === config.CONTEST_ID), `contest ${config.CONTEST_ID} listed`);
});

test('a correct submission by the team is judged AC', async () => {
  const token = await login(config.TEAM_USER, config.TEAM_PASSWORD);
  const contest = `/api/contests/${config.CONTEST_ID}`;
  const submitted = await api(`${contest}/submissions`, {
    token,
    body: { problem_id: config.PROBLEM_ID, language_id: 'c', source: A_PLUS_B_IN_C },
  });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const submissionId = submitted.body.id;

  const verdict = await eventually(`a verdict for submission ${submissionId}`, async () => {
    const r = await api(`${contest}/judgements`, { token });
    assert.equal(r.status, 200);
    const done = r.body.find((j) => j.submission_id === submissionId && j.judgement_type_id);
    return done?.judgement_type_id;
  }, { timeoutMs: 60000 });
  assert.equal(verdict, 'AC');

  // The same judgement through the browser: what a team's page will show once it lands.
  const page = await browser.newPage({ extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  await page.goto(`${config.BASE_URL}${contest}/judgements`);
  assert.match(await page.locator('pre').first().innerText(), /"judgement_type_id":\s*"AC"/);
  await screenshot(page, 'smoke-judgements');
  await page.close();
});
