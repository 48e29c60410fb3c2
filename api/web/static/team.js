// Team page: log in, submit a file, watch the verdict arrive, look at the team's own submissions.
import {
  announce, api, clockText, contestIdFromPath, contestState, el, login, logout, reltimeMs, session,
  verdictText, watchContest,
} from '/static/common.js';

const cid = contestIdFromPath();
const contestPath = `/contests/${encodeURIComponent(cid)}`;
const $ = (id) => document.getElementById(id);

const page = {
  contest: null,
  state: null,
  problems: new Map(),   // id -> problem
  languages: [],
  teamId: null,          // the team whose submissions the table shows
  token: null,           // the login they were read with (another tab may log in as someone else)
  rows: new Map(),       // submission id -> {submission, judgement, row, detailsRow, ...}
  lastSent: null,        // the submission the status line below the form talks about
  stopWatch: null,
  clock: null,
  sending: false,        // a submission is on its way
  askedFor: null,        // the contest phase the clock last asked the state for
  clockOffsetMs: 0,      // the API's clock minus this computer's (from the Date header)
  generation: 0,         // bumped when the account changes: older answers are dropped
  refreshing: null,      // the running refresh (a promise), never two at once
  again: false,          // a refresh was asked for while one ran
  loginWait: null,       // the countdown (interval) while logins are refused (429)
};

// --- small formatting helpers ----------------------------------------------------------------

function memoryText(kib) {
  if (kib === null || kib === undefined) return '—';
  return kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib} KiB`;
}

function runTimeText(seconds) {
  return seconds === null || seconds === undefined ? '—' : `${seconds.toFixed(3)} s`;
}

// A judging error is not a verdict on the team's code (API.md: it counts as pending): the jury
// looks at it and judges again.
const JUDGING_ERROR = 'JE';

// Color class for a verdict; the text always says the same (color is never the only signal).
function verdictClass(id) {
  if (!id || id === JUDGING_ERROR) return 'verdict verdict-wait';
  return id === 'AC' ? 'verdict verdict-ok' : 'verdict verdict-bad';
}

// What the table and the announcements say of a submission's verdict (null: being judged).
function verdictWords(id) {
  if (id === JUDGING_ERROR) return 'Judging error — the jury will look at it';
  return id ? verdictText(id) : 'Judging';
}

function problemLabel(problemId) {
  return page.problems.get(problemId)?.label || problemId;
}

// --- which part of the page shows ------------------------------------------------------------

function show(section) {
  for (const id of ['login-section', 'not-team', 'team-section']) $(id).hidden = id !== section;
  $('logout').hidden = section === 'login-section';
}

function showLogin(message = '') {
  stopFollowing();
  clearTeamView();
  show('login-section');
  $('title').textContent = page.contest ? page.contest.name : 'Team';
  $('contest-line').textContent = 'Team page: log in to submit and see your verdicts.';
  $('login-error').textContent = message;
  $('username').focus();
}

async function onLogin(event) {
  event.preventDefault();
  const button = $('login-button');
  button.disabled = true;
  $('login-error').textContent = '';
  try {
    await login($('username').value.trim(), $('password').value);
    $('password').value = '';
    await showAccount();
  } catch (error) {
    $('login-error').textContent = `Could not log in: ${error.message}`;
    if (error.status === 429 && error.retryAfter > 0) waitBeforeLogin(error.retryAfter);
    $('password').select();
  } finally {
    if (!page.loginWait) button.disabled = false;
  }
}

// Too many failed logins (or the server busy checking passwords): the API refuses every login
// until Retry-After has passed, so the button waits that long and counts down the seconds.
function waitBeforeLogin(seconds) {
  const button = $('login-button');
  const until = Date.now() + seconds * 1000;
  clearInterval(page.loginWait);
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      button.disabled = true;
      button.textContent = `Log in (wait ${left} s)`;
      return;
    }
    clearInterval(page.loginWait);
    page.loginWait = null;
    button.disabled = false;
    button.textContent = 'Log in';
  };
  page.loginWait = setInterval(tick, 1000);
  tick();
}

function onLogout() {
  logout();
  showLogin();
}

// Forgets everything shown of a team: the next login (maybe another team) starts empty, and
// answers still on their way for the old one are dropped.
function clearTeamView() {
  page.generation += 1;
  page.teamId = null;
  page.token = null;
  page.rows.clear();
  page.lastSent = null;
  $('submissions').tBodies[0].replaceChildren();
  $('no-subs').hidden = false;
  announce($('announce'), '');
  setSubmitStatus('');
}

// Logged in: a team gets the submit form and its submissions; jury and admin get a pointer.
async function showAccount() {
  let account;
  const token = session()?.token || null;
  try {
    ({ data: account } = await api(`${contestPath}/account`));
  } catch (error) {
    showLogin(error.status === 401 ? 'Your login expired: please log in again.' : error.message);
    return;
  }
  if (account?.team_id !== page.teamId) {
    stopFollowing();
    clearTeamView();
  }
  page.token = token;
  if (!account?.team_id) {
    show('not-team');
    $('not-team-role').textContent = `${session()?.username || account?.username} (${account?.type || 'not a team'})`;
    return;
  }
  page.teamId = account.team_id;
  await showTeam(account.team_id);
}

// The login in this browser changed (another tab logged in, out, or as someone else).
function onSessionChanged() {
  const token = session()?.token || null;
  if (token === page.token) return;
  if (token) showAccount();
  else showLogin('You are logged out (the login expired, or another tab logged out).');
}

async function showTeam(teamId) {
  const generation = page.generation;
  const [team, languages, current] = await Promise.all([
    api(`${contestPath}/teams/${encodeURIComponent(teamId)}`).then((r) => r.data, () => null),
    api(`${contestPath}/languages`).then((r) => r.data, () => []),
    contestState(cid).catch(() => ({ state: null, token: '0' })),
    loadProblems(),
  ]);
  if (generation !== page.generation) return;  // Logged out or in as someone else meanwhile.
  page.state = current.state;
  $('title').textContent = team?.display_name || team?.name || teamId;
  document.title = `${$('title').textContent} · ${page.contest?.name || cid}`;
  fillLanguages(languages);
  startClock();
  show('team-section');
  updateSubmitOpen();
  await startFollowing(current.token);
}

// --- the contest clock in the header ---------------------------------------------------------

// Now by the API's clock: a contestant's clock that is off does not move the contest's end.
function serverNow() {
  return Date.now() + page.clockOffsetMs;
}

// Corrects the clock from a response's Date header (whole seconds: only an offset larger than
// that rounding is worth correcting).
function learnClockOffset(headers) {
  const date = Date.parse(headers?.get('Date') || '');
  if (Number.isNaN(date)) return;
  const offset = date + 500 - Date.now();
  page.clockOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
}

function contestLine(now = serverNow()) {
  const name = page.contest?.name || cid;
  const state = page.state;
  const start = Date.parse(page.contest?.start_time);
  if (state?.ended || state?.finalized) return `${name} · Contest over`;
  if (!state?.started) {
    return Number.isNaN(start) ? `${name} · Not started` : `${name} · Starts in ${clockText(start - now)}`;
  }
  const end = start + (reltimeMs(page.contest.duration) ?? 0);
  const frozen = state.frozen && !state.thawed ? ' · Scoreboard frozen' : '';
  return `${name} · Running · ${clockText(end - now)} left${frozen}`;
}

function tick() {
  $('contest-line').textContent = contestLine();
  askStateAtBoundary();
}

// The contest's start or end time passed by the clock but the state read says otherwise: read
// it again now (the submit form opens or closes) instead of waiting for the next poll.
function askStateAtBoundary() {
  const start = Date.parse(page.contest?.start_time);
  if (Number.isNaN(start) || !page.state || !page.teamId) return;
  const now = serverNow();
  const end = start + (reltimeMs(page.contest.duration) ?? 0);
  const due = now >= end ? 'ended' : now >= start ? 'started' : 'before';
  const known = page.state.ended ? 'ended' : page.state.started ? 'started' : 'before';
  if (due === known || due === page.askedFor) return;
  page.askedFor = due;
  refresh();
}

// --- following the contest -------------------------------------------------------------------

function startClock() {
  clearInterval(page.clock);
  tick();
  page.clock = setInterval(tick, 1000);
}

// Follows the contest from the feed token read with the state (nothing in between is missed).
async function startFollowing(token) {
  if (page.stopWatch) page.stopWatch();
  await refresh();
  // A short poll while the feed is down, a slow one while it works (it tells of each change).
  page.stopWatch = watchContest(cid, token, refresh, { pollMs: 5000, idlePollMs: 30000 });
}

function stopFollowing() {
  if (page.stopWatch) page.stopWatch();
  clearInterval(page.clock);
  page.stopWatch = null;
  page.clock = null;
}

// Reads the team's submissions and current judgements and patches the table. Never two at once
// (their answers could arrive out of order and show an older verdict): one asked for meanwhile
// runs once after the running one.
function refresh() {
  if (page.refreshing) {
    page.again = true;
    return page.refreshing;
  }
  page.refreshing = (async () => {
    try {
      do {
        page.again = false;
        await refreshOnce();
      } while (page.again);
    } finally {
      page.refreshing = null;
    }
  })();
  return page.refreshing;
}

async function refreshOnce() {
  if (!page.teamId) return;
  if ((session()?.token || null) !== page.token) {
    onSessionChanged();
    return;
  }
  const generation = page.generation;
  try {
    const [submissions, judgements, state] = await Promise.all([
      api(`${contestPath}/submissions`).then((r) => r.data),
      api(`${contestPath}/judgements`).then((r) => r.data),
      api(`${contestPath}/state`),
    ]);
    if (generation !== page.generation) return;  // Asked for a team no longer shown.
    learnClockOffset(state.headers);
    page.state = state.data;
    updateSubmitOpen();
    // Problems are hidden from teams until the start: read them once it has started.
    if (!page.problems.size && page.state.started) await loadProblems();
    if (generation !== page.generation) return;
    showSubmissions(submissions, judgements);
  } catch (error) {
    if (generation !== page.generation) return;
    if (error.status === 401) showLogin('Your login expired: please log in again.');
    // Other failures (network, a restart): the next event or poll tries again.
  }
}

function showSubmissions(submissions, judgements) {
  const current = new Map();
  for (const j of judgements) if (j.current !== false) current.set(j.submission_id, j);
  const changes = [];
  for (const s of submissions) {
    if (s.team_id !== undefined && s.team_id !== page.teamId) continue;  // Not this team's.
    const change = upsertRow(s, current.get(s.id) || null);
    if (change) changes.push(change);
  }
  orderRows();
  if (!changes.length) return;
  announce($('announce'), changes.map((c) => c.text).join('. '));
  const last = changes.find((c) => c.id === page.lastSent);
  if (last) setSubmitStatus(`${last.text}.`);
}

// --- the submit form -------------------------------------------------------------------------

async function loadProblems() {
  const problems = await api(`${contestPath}/problems`).then((r) => r.data, () => []);
  fillProblems(problems || []);
}

function fillProblems(problems) {
  page.problems = new Map(problems.map((p) => [p.id, p]));
  const sorted = [...problems].sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
  replaceOptions($('problem'),
    el('option', { value: '' }, sorted.length ? 'Choose a problem' : 'No problems yet'),
    ...sorted.map((p) => el('option', { value: p.id }, `${p.label} — ${p.name}`)));
}

// New options for a select, keeping the choice made (e.g. before a re-login) while it exists.
function replaceOptions(select, ...options) {
  const chosen = select.value;
  select.replaceChildren(...options);
  if (chosen && options.some((o) => o.value === chosen)) select.value = chosen;
}

function fillLanguages(languages) {
  page.languages = languages;
  replaceOptions($('language'),
    el('option', { value: '' }, 'Choose a language'),
    ...languages.map((l) => el('option', { value: l.id }, l.name)));
}

function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

// Picks the language from the file's extension, unless the chosen one already fits it.
function onFileChosen() {
  const file = $('source').files[0];
  if (!file) return;
  const extension = extensionOf(file.name);
  const fitting = page.languages.filter((l) => (l.extensions || []).includes(extension));
  if (fitting.length && !fitting.some((l) => l.id === $('language').value)) {
    $('language').value = fitting[0].id;
  }
  showEntryPoint();
}

// Several files (a .zip) in a language that runs a named file or class: the API guesses which
// one, the team can name it when the guess is refused.
function showEntryPoint() {
  const file = $('source').files[0];
  const language = page.languages.find((l) => l.id === $('language').value);
  const wanted = Boolean(file && extensionOf(file.name) === 'zip' && language?.entry_point_name);
  $('entry-point-field').hidden = !wanted;
  if (wanted) $('entry-point-name').textContent = language.entry_point_name;
}

function base64Of(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip holding one stored (uncompressed) file: the API then keeps the file's own name, which
// Java needs (a public class Solution must be in Solution.java); plain text would get the
// language's default name.
function zipOneFile(name, data) {
  const nameBytes = new TextEncoder().encode(name);
  const crc = crc32(data);
  const header = (signature, central) => {
    const view = new DataView(new ArrayBuffer(central ? 46 : 30));
    view.setUint32(0, signature, true);
    let at = 4;
    if (central) { view.setUint16(at, 20, true); at += 2; }  // Made by.
    for (const [value, bytes] of [[20, 2], [0x0800, 2], [0, 2], [0, 2], [0x21, 2], [crc, 4],
      [data.length, 4], [data.length, 4], [nameBytes.length, 2], [0, 2]]) {
      if (bytes === 2) view.setUint16(at, value, true); else view.setUint32(at, value, true);
      at += bytes;
    }
    return new Uint8Array(view.buffer);  // Central: comment, disk, attributes, offset stay 0.
  };
  const local = header(0x04034b50, false);
  const central = header(0x02014b50, true);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, central.length + nameBytes.length, true);
  end.setUint32(16, local.length + nameBytes.length + data.length, true);
  return new Uint8Array(
    [...local, ...nameBytes, ...data, ...central, ...nameBytes, ...new Uint8Array(end.buffer)]);
}

// A name the API takes as a file name (no folders, no control characters).
function isPlainFileName(name) {
  return /^[^\\/:\x00-\x1f\x7f]{1,255}$/.test(name) && name !== '.' && name !== '..';
}

// A .zip (several files) goes as the API's files:[{data}] as it is; one source file goes in a
// zip of its own to keep its name, as text (named by the language's default) when the name is
// not a plain file name with one of the language's extensions (the compiler takes only those).
async function sourceOf(file, language) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (extensionOf(file.name) === 'zip') {
    return { files: [{ data: base64Of(bytes), mime: 'application/zip' }] };
  }
  if (isPlainFileName(file.name) && (language?.extensions || []).includes(extensionOf(file.name))) {
    return { files: [{ data: base64Of(zipOneFile(file.name, bytes)), mime: 'application/zip' }] };
  }
  return { source: await file.text() };
}

function setSubmitStatus(text, isError = false) {
  const status = $('submit-status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

async function onSubmit(event) {
  event.preventDefault();
  const file = $('source').files[0];
  const problemId = $('problem').value;
  const languageId = $('language').value;
  if (!problemId || !languageId || !file) {
    setSubmitStatus('Choose a problem, a file and a language first.', true);
    return;
  }
  const button = $('submit-button');
  button.disabled = true;
  page.sending = true;
  setSubmitStatus('Sending…');
  const generation = page.generation;
  try {
    const body = { problem_id: problemId, language_id: languageId, ...(await sourceOf(file, page.languages.find((l) => l.id === languageId))) };
    const entryPoint = $('entry-point').value.trim();
    if (!$('entry-point-field').hidden && entryPoint) body.entry_point = entryPoint;
    const { data } = await api(`${contestPath}/submissions`, { method: 'POST', body });
    if (generation !== page.generation) return;  // Logged out meanwhile: not for this view.
    page.lastSent = data.id;
    // A refresh may have shown it (and its verdict) already: do not set it back to pending.
    if (!page.rows.has(data.id)) upsertRow(data, null);
    orderRows();
    $('source').value = '';
    showEntryPoint();
    setSubmitStatus(`Submission ${data.id} for ${problemLabel(data.problem_id)} sent: waiting for the verdict.`);
  } catch (error) {
    if (generation === page.generation) setSubmitStatus(`Not submitted: ${error.message}`, true);
  } finally {
    page.sending = false;
    updateSubmitOpen();
  }
}

const SUBMIT_CONTROLS = ['problem', 'source', 'language', 'entry-point', 'submit-button'];

// The form is open while the contest runs; before and after it says why it is not.
function updateSubmitOpen() {
  const state = page.state;
  let closed = '';
  if (state?.ended || state?.finalized) closed = 'The contest is over: submissions are closed.';
  else if (state && !state.started) closed = 'The contest has not started: you can submit once it starts.';
  for (const id of SUBMIT_CONTROLS) $(id).disabled = Boolean(closed) || (id === 'submit-button' && page.sending);
  $('submit-closed').textContent = closed;
  $('submit-closed').hidden = !closed;
}

// --- the submissions table -------------------------------------------------------------------

// Adds or updates one submission's row. Returns {id, text} saying what changed when this
// submission's verdict changed since it was shown ("Submission 17 for A: Accepted", or "now
// Wrong answer (was Accepted)" after a rejudge or a jury override), else null.
function upsertRow(submission, judgement) {
  let entry = page.rows.get(submission.id);
  if (!entry) {
    entry = createRow(submission);
    page.rows.set(submission.id, entry);
  }
  const before = entry.verdict;
  const verdict = judgement?.judgement_type_id || null;
  const changed = entry.judgement?.id !== judgement?.id || before !== verdict;
  entry.submission = submission;
  entry.judgement = judgement;
  if (!changed && entry.rendered) return null;
  entry.verdict = verdict;
  renderVerdict(entry);
  if (entry.open) loadDetails(entry);
  const wasShown = entry.rendered;
  entry.rendered = true;
  if (!wasShown || before === verdict) return null;
  return { id: submission.id, text: changeText(submission, before, verdict) };
}

function changeText(submission, before, verdict) {
  const subject = `Submission ${submission.id} for ${problemLabel(submission.problem_id)}`;
  if (!before) return `${subject}: ${verdictWords(verdict)}`;
  if (!verdict) return `${subject}: being judged again (was ${verdictWords(before)})`;
  return `${subject}: now ${verdictWords(verdict)} (was ${verdictWords(before)})`;
}

function createRow(submission) {
  const detailsId = `details-${submission.id}`;
  const button = el('button', {
    type: 'button', class: 'secondary details-button', 'aria-expanded': 'false',
    'aria-controls': detailsId,
    'aria-label': `Details of submission ${submission.id}`,
  }, 'Details');
  const verdictCell = el('td', { class: 'verdict-cell' });
  const problem = page.problems.get(submission.problem_id);
  const languageName = page.languages.find((l) => l.id === submission.language_id)?.name ||
    submission.language_id;
  const row = el('tr', { 'data-submission': submission.id },
    el('td', { class: 'num' }, clockText(reltimeMs(submission.contest_time) ?? 0)),
    el('td', {}, el('abbr', { title: problem?.name || submission.problem_id }, problemLabel(submission.problem_id)),
      el('span', { class: 'inline-language' }, ` · ${languageName}`)),
    el('td', { class: 'language' }, languageName),
    verdictCell,
    el('td', {}, button));
  const body = el('div', { class: 'details-body' });
  const detailsRow = el('tr', { id: detailsId, class: 'details-row', hidden: true },
    el('td', { colspan: 5 }, body));
  const entry = { submission, judgement: null, verdict: null, row, detailsRow, verdictCell, body, button, open: false, rendered: false };
  button.addEventListener('click', () => toggleDetails(entry));
  return entry;
}

function renderVerdict(entry) {
  const judging = entry.judgement || entry.verdict;
  const text = judging ? verdictWords(entry.verdict) : 'Pending';
  entry.verdictCell.replaceChildren(el('span', { class: verdictClass(entry.verdict) }, text));
}

// Newest first. Inserts or moves only the rows out of place (a new submission goes on top, the
// others stay), and gives focus back to a button that moving took it from.
function orderRows() {
  const tbody = $('submissions').tBodies[0];
  const entries = [...page.rows.values()].sort((a, b) =>
    (Date.parse(b.submission.time) - Date.parse(a.submission.time)) || (Number(b.submission.id) - Number(a.submission.id)));
  const wanted = entries.flatMap((e) => [e.row, e.detailsRow]);
  const focused = tbody.contains(document.activeElement) ? document.activeElement : null;
  wanted.forEach((node, i) => {
    if (tbody.children[i] !== node) tbody.insertBefore(node, tbody.children[i] || null);
  });
  while (tbody.children.length > wanted.length) tbody.lastElementChild.remove();
  if (focused && focused.isConnected && document.activeElement !== focused) {
    focused.focus({ preventScroll: true });
  }
  $('no-subs').hidden = entries.length > 0;
}

function toggleDetails(entry) {
  entry.open = !entry.open;
  entry.button.setAttribute('aria-expanded', String(entry.open));
  entry.detailsRow.hidden = !entry.open;
  if (entry.open) loadDetails(entry);
}

// The test runs this team may see, and the compiler's messages of its own compile error.
async function loadDetails(entry) {
  const judgement = entry.judgement;
  if (!judgement || !entry.verdict) {
    entry.body.replaceChildren(el('p', { class: 'muted' }, 'Not judged yet.'));
    return;
  }
  if (entry.verdict === JUDGING_ERROR) {
    entry.body.replaceChildren(el('p', { class: 'muted' },
      'Judging failed for a reason that is not your code: the jury will look at it.'));
    return;
  }
  const parts = [];
  if (judgement.compile_output) {
    parts.push(el('h3', {}, 'Compiler output'), el('pre', { class: 'compile-output' }, judgement.compile_output));
  }
  let runs = [];
  try {
    ({ data: runs } = await api(`${contestPath}/runs?judgement_id=${encodeURIComponent(judgement.id)}`));
  } catch (error) {
    parts.push(el('p', { class: 'error' }, `Could not load the test runs: ${error.message}`));
  }
  if (entry.judgement !== judgement) return; // A newer judgement arrived meanwhile.
  if (runs.length) parts.push(runsTable(entry.submission, runs));
  else if (!judgement.compile_output) parts.push(el('p', { class: 'muted' }, 'No test runs.'));
  entry.body.replaceChildren(...parts);
}

function runsTable(submission, runs) {
  const sorted = [...runs].sort((a, b) => a.ordinal - b.ordinal);
  return el('table', { class: 'runs' },
    el('caption', {}, `Test runs of submission ${submission.id}`),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Test'), el('th', { scope: 'col' }, 'Verdict'),
      el('th', { scope: 'col' }, 'Time'), el('th', { scope: 'col' }, 'Memory'))),
    el('tbody', {}, sorted.map((run) => el('tr', {},
      el('td', { class: 'num' }, run.ordinal),
      el('td', {}, el('span', { class: verdictClass(run.judgement_type_id) }, verdictWords(run.judgement_type_id))),
      el('td', { class: 'num' }, runTimeText(run.run_time)),
      el('td', { class: 'num' }, memoryText(run.memory_kib))))));
}

// --- start -----------------------------------------------------------------------------------

async function main() {
  if (!cid) return;
  for (const id of ['scoreboard-link', 'not-team-link']) $(id).href = `${contestPath}/scoreboard`;
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  $('submit-form').addEventListener('submit', onSubmit);
  $('source').addEventListener('change', onFileChosen);
  $('language').addEventListener('change', showEntryPoint);
  // The login is shared by the tabs of this browser: follow a change made in another one.
  window.addEventListener('storage', onSessionChanged);
  try {
    ({ data: page.contest } = await api(contestPath));
    $('title').textContent = page.contest.name;
    document.title = `Team · ${page.contest.name}`;
  } catch (error) {
    $('contest-line').textContent = `Unknown contest: ${error.message}`;
  }
  if (session()) await showAccount();
  else showLogin();
}

main();
