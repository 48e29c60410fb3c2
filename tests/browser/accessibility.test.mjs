// Accessibility of every page, checked by axe-core (WCAG 2.0/2.1 A and AA rules) in Chromium:
// the home page, the scoreboard (public, jury, projector), and the team page logged out and in.
// A serious or critical violation fails the test; every violation is printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { env, launchBrowser, screenshot } from './lib.mjs';

const config = env();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CONTEST = `/contests/${config.CONTEST_ID}`;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

// axe's findings on the page as it is now. The page's policy allows no injected script tags,
// but DevTools evaluation is not subject to it.
async function violations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations;
}

async function expectAccessible(page, what) {
  const found = await violations(page);
  for (const v of found) {
    console.log(`${what}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements, e.g. ` +
      `${v.nodes[0]?.target.join(' ')}; ${v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ')})`);
  }
  const severe = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(severe.map((v) => v.id), [], `${what}: serious or critical violations`);
}

async function logIn(page, username, password) {
  await page.goto(`${config.BASE_URL}${CONTEST}/team`);
  await page.evaluate(() => localStorage.clear());  // Whoever was logged in before.
  await page.reload();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

for (const scheme of ['light', 'dark']) {
  test(`every page passes axe's WCAG A/AA rules (${scheme} colors)`, async () => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();

    await page.goto(`${config.BASE_URL}/`);
    await page.locator('main a[href$="/scoreboard"]').first().waitFor();
    await expectAccessible(page, `home (${scheme})`);

    await page.goto(`${config.BASE_URL}${CONTEST}/scoreboard`);
    await page.locator('tr[data-team-id]').first().waitFor();
    await expectAccessible(page, `scoreboard, public (${scheme})`);

    await page.goto(`${config.BASE_URL}${CONTEST}/scoreboard?projector=1`);
    await page.locator('body.projector tr[data-team-id]').first().waitFor();
    await expectAccessible(page, `scoreboard, projector (${scheme})`);

    await page.goto(`${config.BASE_URL}${CONTEST}/team`);
    await page.getByLabel('Username').waitFor();
    await expectAccessible(page, `team page, logged out (${scheme})`);

    await logIn(page, config.TEAM_USER, config.TEAM_PASSWORD);
    await page.getByRole('button', { name: 'Submit' }).waitFor();
    await expectAccessible(page, `team page, logged in (${scheme})`);

    await logIn(page, config.ADMIN_USER, config.ADMIN_PASSWORD);
    await page.goto(`${config.BASE_URL}${CONTEST}/scoreboard`);
    await page.locator('tr[data-team-id]').first().waitFor();
    await expectAccessible(page, `scoreboard, jury (${scheme})`);
    await screenshot(page, `scoreboard-jury-${scheme}`);
    await context.close();
  });
}
