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
  constructor(status, message) {
    super(message);
    this.status = status;
  }
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
    throw new ApiError(response.status, data?.message || `${response.status} ${response.statusText}`);
  }
  return { data, headers: response.headers, status: response.status };
}

export async function login(username, password) {
  const { data } = await api('/auth/login', { method: 'POST', body: { username, password } });
  localStorage.setItem(SESSION_KEY, JSON.stringify({ ...data, username }));
  return data;
}

// The contest's state and the newest event-feed token at that moment (X-Event-Token): changes
// after the state and anything read after it arrive on a feed that starts at that token.
export async function contestState(cid) {
  const { data, headers } = await api(`/contests/${encodeURIComponent(cid)}/state`);
  return { state: data, token: headers.get('X-Event-Token') || '0' };
}

// Calls onChange(reason) when the contest may have changed, at most every `settleMs`: on each
// event of the caller's event feed after `token`, and every `pollMs` as the fallback (the public
// feed carries no judgements; a feed can drop, it is reopened from its last token).
// Returns a function that stops watching.
export function watchContest(cid, token, onChange, { pollMs = 5000, settleMs = 250 } = {}) {
  let stopped = false;
  let pending = null;
  const controller = new AbortController();
  const changed = (reason) => {
    if (stopped || pending) return;
    pending = setTimeout(() => { pending = null; if (!stopped) onChange(reason); }, settleMs);
  };
  const poll = setInterval(() => changed('poll'), pollMs);

  async function follow() {
    while (!stopped) {
      try {
        token = await readFeed(cid, token, controller.signal, () => changed('event'));
      } catch (error) {
        if (stopped) return;
      }
      await new Promise((resume) => setTimeout(resume, 2000));
    }
  }
  follow();
  return () => {
    stopped = true;
    clearInterval(poll);
    clearTimeout(pending);
    controller.abort();
  };
}

// Reads the NDJSON feed after `token` until it ends; returns the last token seen.
async function readFeed(cid, token, signal, onEvent) {
  const since = token && token !== '0' ? `?since_token=${encodeURIComponent(token)}` : '';
  const headers = {};
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  const response = await fetch(`/api/contests/${encodeURIComponent(cid)}/event-feed${since}`,
    { headers, signal, cache: 'no-store' });
  if (!response.ok || !response.body) throw new ApiError(response.status, 'event feed refused');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return token;
    buffered += value;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;  // Keep-alive.
      try {
        const event = JSON.parse(line);
        if (event.token) token = event.token;
        onEvent(event);
      } catch { /* a broken line: skip it, the poll covers what it said */ }
    }
  }
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

// CLICS RELTIME "h:mm:ss.uuu" as whole minutes (what scoreboards show).
export function minutesOf(reltime) {
  const match = /^(-?)(\d+):(\d\d):(\d\d)/.exec(reltime || '');
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] ? -minutes : minutes;
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
