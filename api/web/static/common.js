// Shared by the pages: calls to the API, the login this browser keeps, and knowing when the
// contest changed. Plain ES modules, no build step: what is here is what the browser runs.

const SESSION_KEY = 'judge.session';

// The contest id of a page at /contests/{cid}/...
export function contestIdFromPath() {
  const parts = location.pathname.split('/');
  return parts[1] === 'contests' && parts[2] ? decodeURIComponent(parts[2]) : null;
}

// {token, expires_at, role, username} of the last login in this browser, or null once expired.
export function session() {
  try {
    const saved = JSON.parse(localStorage.getItem(SESSION_KEY));
    if (saved && saved.token && Date.parse(saved.expires_at) > Date.now()) return saved;
  } catch { /* unreadable: treat as logged out */ }
  return null;
}

export function logout() {
  localStorage.removeItem(SESSION_KEY);
}

export class ApiError extends Error {
  constructor(status, message, retryAfter = 0) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;  // seconds to wait (Retry-After of a 429 or 503), 0 if not said
  }
}

// Retry-After in seconds (the API sends whole seconds, never a date); 0 when absent or not a number.
function retryAfterSeconds(headers) {
  const seconds = Number.parseInt(headers.get('Retry-After') || '', 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

// One API call. Resolves to {data, headers, status}; rejects with an ApiError carrying the API's
// own message (or a network error). A 401 forgets the login: the token expired or was revoked.
// anonymous: call without the login (the jury looking at what the public sees).
export async function api(path, { method = 'GET', body, signal, anonymous = false } = {}) {
  const headers = {};
  const current = anonymous ? null : session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // no-cache: the browser revalidates with the ETag it has (a 304 costs the server little).
  const response = await fetch(`/api${path}`, {
    method, headers, signal, cache: 'no-cache',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    if (response.status === 401 && current) logout();
    throw new ApiError(response.status, data?.message || `${response.status} ${response.statusText}`,
      retryAfterSeconds(response.headers));
  }
  return { data, headers: response.headers, status: response.status };
}

export async function login(username, password) {
  const { data } = await api('/auth/login', { method: 'POST', body: { username, password } });
  localStorage.setItem(SESSION_KEY, JSON.stringify({ ...data, username }));
  return data;
}

// The contest's state and the newest token of the caller's event feed at that moment
// (X-Event-Token; absent while the caller may see no event: '0', read from the top): changes
// after the state and anything read after it arrive on a feed that starts at that token.
export async function contestState(cid) {
  const { data, headers } = await api(`/contests/${encodeURIComponent(cid)}/state`);
  return { state: data, token: headers.get('X-Event-Token') || '0' };
}

// Calls onChange(reason) when the contest may have changed, at most every `settleMs`: on each
// event of the caller's event feed after `token`, and by polling as the fallback (the public feed
// carries no judgements; a feed can drop): every `idlePollMs` while the feed is connected, every
// `pollMs` while it is down. A dropped feed is reopened from its last token after a growing,
// jittered wait (2 s doubling to 60 s, back to 2 s after a feed that delivered something), so a
// restarted server is not hit by every page at once. A 400 (the token is unknown: the database was
// restored or the contest re-created) starts again from a fresh token and calls onChange.
// A token is of one login's feed, and another caller may not see its event (the API refuses it
// like an unknown one): when the login changed (expired, another tab), the feed starts again
// from a fresh token of the new caller the same way, without asking with the old one.
// `from`: a token read with the current login, or what a previous stop() returned.
// Returns stop(), which stops watching and returns the last token seen with its login (to watch
// again from it). Tests set globalThis.judgeTestPollMs to replace both poll intervals (to prove
// the feed works).
export function watchContest(cid, from, onChange,
  { pollMs = 5000, idlePollMs = pollMs, settleMs = 250 } = {}) {
  if (typeof globalThis.judgeTestPollMs === 'number') pollMs = idlePollMs = globalThis.judgeTestPollMs;
  let { token, owner } = typeof from === 'object' && from !== null ? from
    : { token: from, owner: feedOwner() };
  let stopped = false;
  let pending = null;
  let feedUp = false;
  let pollTimer = null;
  const controller = new AbortController();
  const changed = (reason) => {
    if (stopped || pending) return;
    pending = setTimeout(() => { pending = null; if (!stopped) onChange(reason); }, settleMs);
  };
  const schedulePoll = () => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => { changed('poll'); schedulePoll(); }, feedUp ? idlePollMs : pollMs);
  };
  const setFeedUp = (up) => {
    if (up === feedUp) return;
    feedUp = up;
    if (!stopped) schedulePoll();
  };
  schedulePoll();

  async function follow() {
    let waitMs = FEED_RETRY_MIN_MS;
    while (!stopped) {
      if (owner !== feedOwner()) await restart();
      if (stopped) return;
      const cursor = { token, delivered: false };
      let refused = false;
      try {
        await readFeed(cid, cursor, controller.signal, () => setFeedUp(true), () => changed('event'));
      } catch (error) {
        if (stopped) return;
        refused = error instanceof ApiError && error.status === 400;
      }
      token = cursor.token;
      if (refused) await restart();
      setFeedUp(false);
      if (cursor.delivered) waitMs = FEED_RETRY_MIN_MS;
      await new Promise((resume) => setTimeout(resume, waitMs / 2 + Math.random() * waitMs / 2));
      waitMs = Math.min(waitMs * 2, FEED_RETRY_MAX_MS);
    }
  }
  // A fresh token of the current login's feed; on failure the old one stays (and is tried
  // again after the next wait).
  async function restart() {
    const reader = feedOwner();
    try {
      const fresh = (await contestState(cid)).token;
      if (stopped) return;
      token = fresh;
      owner = reader;
      changed('reset');  // What happened between the old token and the new one is unknown.
    } catch { /* keep the old token */ }
  }
  follow();
  return () => {
    stopped = true;
    clearTimeout(pollTimer);
    clearTimeout(pending);
    controller.abort();
    return { token, owner };
  };
}

// Whose event feed a token is of: the login it was read with ('' for anonymous).
function feedOwner() {
  return session()?.token || '';
}

const FEED_RETRY_MIN_MS = 2000;
const FEED_RETRY_MAX_MS = 60000;
// The API sends a keep-alive line at least every 120 s: silence longer than this is a dead feed
// (a proxy or a sleeping laptop dropped it without closing it).
const FEED_SILENCE_MS = 130000;

// Reads the NDJSON feed after cursor.token until it ends, keeping cursor.token at the last token
// seen and cursor.delivered true once anything (a keep-alive too) arrived. Throws ApiError when
// the feed is refused; aborts itself after FEED_SILENCE_MS without a byte.
async function readFeed(cid, cursor, signal, onOpen, onEvent) {
  const since = cursor.token && cursor.token !== '0'
    ? `?since_token=${encodeURIComponent(cursor.token)}` : '';
  const headers = {};
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  const silence = new AbortController();
  const abort = () => silence.abort();
  signal.addEventListener('abort', abort, { once: true });
  let silenceTimer = setTimeout(abort, FEED_SILENCE_MS);
  try {
    const response = await fetch(`/api/contests/${encodeURIComponent(cid)}/event-feed${since}`,
      { headers, signal: silence.signal, cache: 'no-store' });
    if (!response.ok || !response.body) {
      if (response.status === 401 && current) logout();  // As api() does: the login is gone.
      throw new ApiError(response.status, 'event feed refused');
    }
    onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      cursor.delivered = true;
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(abort, FEED_SILENCE_MS);
      buffered += value;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) readEvent(line, cursor, onEvent);  // An empty line is a keep-alive.
      }
    }
  } finally {
    clearTimeout(silenceTimer);
    signal.removeEventListener('abort', abort);
  }
}

function readEvent(line, cursor, onEvent) {
  try {
    const event = JSON.parse(line);
    if (event.token) cursor.token = event.token;
    onEvent(event);
  } catch { /* a broken line: skip it, the poll covers what it said */ }
}

// A DOM element: el('td', {class: 'x', 'data-id': 3}, 'text', child, ...).
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// CLICS RELTIME "(-)h:mm:ss(.uuu)" in milliseconds, or null when it is not one.
export function reltimeMs(text) {
  const match = /^(-?)(\d+):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(text || '');
  if (!match) return null;
  const ms = ((Number(match[2]) * 60 + Number(match[3])) * 60 + Number(match[4])) * 1000 +
    Number((match[5] || '0').slice(0, 3).padEnd(3, '0'));
  return match[1] ? -ms : ms;
}

// Milliseconds as a clock "h:mm:ss" (negative as 0:00:00).
export function clockText(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  return `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

// Puts `text` in an aria-live region. Re-setting the same text would not be read again: clear
// first, then set a moment later; a newer call (or '' to cancel) replaces one still waiting.
export function announce(region, text) {
  region.textContent = '';
  clearTimeout(region.announceTimer);
  if (text) region.announceTimer = setTimeout(() => { region.textContent = text; }, 100);
}

// Judgement type ids as words for people.
export const VERDICTS = {
  AC: 'Accepted', WA: 'Wrong answer', TLE: 'Time limit exceeded', RTE: 'Run-time error',
  MLE: 'Memory limit exceeded', OLE: 'Output limit exceeded', CE: 'Compile error',
  JE: 'Judging error',
};
export function verdictText(id) {
  return id ? VERDICTS[id] || id : 'Pending';
}
