// Helpers for the browser tests: the environment tests/browser/run sets, Debian's Chromium
// (headless, driven by playwright-core, never a downloaded browser), screenshots and an API client
// for seeding and asserting.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const REQUIRED_ENV = [
  'BASE_URL', 'CONTEST_ID', 'PROBLEM_ID', 'TEAM_USER', 'TEAM_PASSWORD', 'ADMIN_USER',
  'ADMIN_PASSWORD', 'BROWSER_ARTIFACTS',
];

// env(): the variables tests/browser/run sets, all of them or a clear error naming the missing.
export function env() {
  const missing = REQUIRED_ENV.filter((name) => !process.env[name]);
  if (missing.length) {
    throw new Error(`missing environment: ${missing.join(', ')}; run the browser tests through ` +
      'tests/browser/run (scripts/test runs it as the ctest test browser.pages)');
  }
  return Object.fromEntries(REQUIRED_ENV.map((name) => [name, process.env[name]]));
}

// launchBrowser(): headless Chromium. --no-sandbox because tests run as root (Chromium's own
// sandbox refuses root); the rest keeps it from reaching out to the network on its own.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// screenshot(page, name): the whole page as BROWSER_ARTIFACTS/<name>.png (CI keeps them).
export async function screenshot(page, name) {
  const dir = env().BROWSER_ARTIFACTS;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

// api(path, {token, method, body}): one request to the API under test. Returns
// {status, headers, body} with body parsed as JSON when it is JSON, else the text.
export async function api(path, { token, method, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(env().BASE_URL + path, {
    method: method || (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') || '').includes('json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

// login(username, password): a bearer token, or an error with the API's answer.
export async function login(username, password) {
  const r = await api('/api/auth/login', { body: { username, password } });
  if (r.status !== 200 || !r.body.token) {
    throw new Error(`login as ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body.token;
}

// eventually(what, fn, {timeoutMs, intervalMs}): fn's first truthy result, polled; an error
// naming `what` (and fn's last result) when the time is up.
export async function eventually(what, fn, { timeoutMs = 60000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}` +
    (last === undefined ? '' : ` (last: ${JSON.stringify(last)})`));
}
