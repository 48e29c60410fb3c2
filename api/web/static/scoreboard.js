// The live scoreboard: loads the contest, its problems, teams and board, then follows the contest
// (watchContest) and patches the table in place: rows are keyed by team id, only rows whose data
// changed are re-rendered, and reordering moves the fewest rows. A board of 1,000 teams is never
// rebuilt on an update.
import {
  ApiError, announce, api, clockText, contestIdFromPath, contestState, el, reltimeMs, session,
  watchContest,
} from '/static/common.js';

const cid = contestIdFromPath();
const path = `/contests/${encodeURIComponent(cid || '')}`;
const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const me = session();
// The jury's feed carries every judgement: polling is only the safety net. The public feed
// carries none: the public view polls.
const JURY_IDLE_POLL_MS = 30000;
const PUBLIC_POLL_MS = 5000;
// Names longer than this may end in an ellipsis on a phone: they get the full name as a title.
const SHORT_NAME_CHARS = 12;

const board = {
  contest: null,
  state: null,
  problems: [],
  problemKey: null,          // The problem ids the columns show: problemKeyOf(ids).
  teams: new Map(),          // team id -> name shown
  rows: new Map(),           // team id -> {tr, rank, sig}
  clock: null,               // {contestMs, at}: contest time at performance.now() `at`
  canJury: Boolean(me && (me.role === 'jury' || me.role === 'admin')),
  juryView: false,           // Only by choice (setView), never in projector mode.
  stopWatch: null,           // Stops following the contest (watchContest); null before start.
  ownTeam: null,             // A team's login: its own row is marked.
  refreshing: false,
  again: false,
  quiet: false,              // The next patch is a view switch: no flash, its own announcement.
};

// What the browser test reads (and anyone curious, in the console).
const timings = { firstRender: null, firstRenderDom: null, lastUpdate: null, lastPatch: null,
  updates: 0, changedRows: 0 };
window.scoreboardTimings = timings;

// ---- loading ---------------------------------------------------------------------------------

async function start(attempt = 0) {
  if (!cid) {
    showError('This page needs a contest in its address: /contests/<id>/scoreboard.');
    return;
  }
  try {
    board.contest = (await api(path)).data;
    showContest();
    const { state, token } = await contestState(cid);
    board.state = state;
    $('notice').hidden = true;
    await Promise.all([loadProblems(), loadTeams(), loadOwnTeam()]);
    await refresh();
    watch(token);
    setInterval(showState, 1000);
  } catch (error) {
    if (board.contest && notStartedYet(error)) {
      waitForStart();
      return;
    }
    const delay = retryDelay(error, attempt);
    showError(`${describe(error)} Retrying in ${delay} s…`);
    setTimeout(() => start(attempt + 1), delay * 1000);
  }
}

// Before the start the public may read the contest but nothing in it (403).
function notStartedYet(error) {
  const startMs = Date.parse(board.contest.start_time);
  return error instanceof ApiError && error.status === 403 && !(startMs <= Date.now());
}

// Says when the board opens and looks again then (or every 30 s: the start may move).
function waitForStart() {
  const startMs = Date.parse(board.contest.start_time);
  setText($('state-line'), Number.isNaN(startMs) ? 'Not started · start time not set yet'
    : `Not started · starts ${dateTimeOf(board.contest.start_time)}`);
  const notice = $('notice');
  setText(notice, 'The scoreboard opens when the contest starts; this page then shows it by itself.');
  notice.hidden = false;
  hideError();
  const wait = Number.isNaN(startMs) ? 30000 : startMs - Date.now() + 500;
  setTimeout(() => start(0), Math.min(Math.max(wait, 2000), 30000));
}

// Longer waits after repeated failures; an unknown contest is not worth asking about often.
function retryDelay(error, attempt) {
  if (error instanceof ApiError && error.status === 404) return 30;
  return [2, 5, 10, 20][Math.min(attempt, 3)];
}

async function loadProblems() {
  try {
    const { data } = await api(`${path}/problems`, { anonymous: !board.juryView });
    board.problems = data.slice().sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0) ||
      String(a.label).localeCompare(String(b.label)));
  } catch (error) {
    // Before the start the public may not see the problems: a board without columns.
    if (!(error instanceof ApiError && error.status === 403)) throw error;
    board.problems = [];
  }
  showHeader();
}

// A team's own row stands out; anyone else (or a failed lookup) just sees the board.
async function loadOwnTeam() {
  if (!me || me.role !== 'team') return;
  try {
    board.ownTeam = (await api(`${path}/account`)).data?.team_id || null;
  } catch {
    board.ownTeam = null;
  }
}

async function loadTeams() {
  const { data } = await api(`${path}/teams`, { anonymous: !board.juryView });
  board.teams = new Map(data.map((team) => [team.id, team.display_name || team.name || team.id]));
}

// Follows the contest from `from` (a token, or where the last watch stopped) at the pace the
// current view needs.
function watch(from) {
  board.stopWatch = watchContest(cid, from, () => refresh(), board.juryView
    ? { pollMs: PUBLIC_POLL_MS, idlePollMs: JURY_IDLE_POLL_MS }
    : { pollMs: PUBLIC_POLL_MS });
}

// One new board; a call while one is on its way asks for another after it (never two at once).
async function refresh() {
  if (board.refreshing) {
    board.again = true;
    return;
  }
  board.refreshing = true;
  try {
    do {
      board.again = false;
      await refreshOnce();
    } while (board.again);
    hideError();
  } catch (error) {
    showError(`${describe(error)} The board shows the last data it had; retrying.`);
  } finally {
    board.refreshing = false;
  }
  if (board.juryView && !session()) loginExpired();
}

// The jury's login ran out (or a 401 ended it): the page says so and shows what it may.
function loginExpired() {
  board.canJury = false;
  const notice = $('notice');
  notice.replaceChildren('Your login expired: showing the public view. ',
    el('a', { href: 'team' }, 'Log in again'));
  notice.hidden = false;
  $('login-link').hidden = false;
  $('view-toggle').hidden = true;
  setView(false);
  showState();
}

// A board fetched for the view the page no longer shows is dropped (and the new view's asked for).
async function refreshOnce() {
  const began = performance.now();
  const view = board.juryView;
  const { data } = await api(`${path}/scoreboard`, { anonymous: !view });
  if (view !== board.juryView) {
    board.again = true;
    return;
  }
  board.state = data.state;
  board.clock = { contestMs: reltimeMs(data.contest_time) ?? 0, at: performance.now() };
  await ensureReferences(data.rows);
  if (view !== board.juryView) {
    board.again = true;
    return;
  }
  const patchBegan = performance.now();
  const changed = patchRows(data.rows);
  const done = performance.now();
  noteTimings(began, patchBegan, done, changed);
  showState();
}

// Teams or problems the page does not know yet (added during the contest): load them again.
async function ensureReferences(rows) {
  if (rows.some((row) => !board.teams.has(row.team_id))) await loadTeams();
  const key = rows.length ? problemKeyOf(rows[0].problems.map((cell) => cell.problem_id)) : null;
  if (key !== null && key !== board.problemKey) {
    await loadProblems();
    board.problemKey = key;  // Even if the problems read differ: no reload on every update.
    forgetRows();
  }
}

// Which problems, not their order: the page puts the cells in the header's order itself.
function problemKeyOf(ids) {
  return ids.slice().sort().join('\n');
}

function noteTimings(began, patchBegan, done, changed) {
  if (timings.firstRender === null) {
    timings.firstRender = done;  // ms since the navigation started
    timings.firstRenderDom = done - patchBegan;
    return;
  }
  timings.lastUpdate = done - began;
  timings.lastPatch = done - patchBegan;
  timings.updates += 1;
  timings.changedRows = changed.length;
}

// ---- the table -------------------------------------------------------------------------------

function showHeader() {
  const row = $('scoreboard').tHead.rows[0];
  while (row.cells.length > 4) row.lastElementChild.remove();
  for (const problem of board.problems) row.append(problemHeader(problem));
  board.problemKey = problemKeyOf(board.problems.map((p) => p.id));
}

function problemHeader(problem) {
  const label = el('abbr', { class: 'problem-label', title: problem.name }, problem.label);
  paint(label, problem.rgb);
  return el('th', { scope: 'col', class: 'problem' }, label,
    el('span', { class: 'visually-hidden' }, `: ${problem.name}`));
}

// The problem's color as the background, black or white text, whichever reads better on it.
function paint(node, rgb) {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(rgb || '');
  if (!match) return;
  const luminance = relativeLuminance(match.slice(1).map((hex) => parseInt(hex, 16) / 255));
  // Contrast ratios against black (0) and white (1), as WCAG defines them.
  const onBlack = (luminance + 0.05) / 0.05;
  const onWhite = 1.05 / (luminance + 0.05);
  node.style.backgroundColor = rgb;
  node.style.color = onBlack >= onWhite ? '#000' : '#fff';
  node.classList.add('painted');
}

function relativeLuminance(channels) {
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function forgetRows() {
  $('scoreboard').tBodies[0].replaceChildren();
  board.rows.clear();
}

// Patches the table to `rows`; returns the rows whose data changed (not those only moved).
function patchRows(rows) {
  const focused = document.activeElement;
  const firstRender = board.rows.size === 0;
  const changed = [];
  const order = rows.map((row) => {
    const entry = entryFor(row.team_id);
    const sig = signature(row);
    if (entry.sig !== sig) {
      fillRow(entry.tr, row);
      if (entry.sig !== null) changed.push(entry.tr);
      entry.sig = sig;
      entry.rank = row.rank;
    } else if (entry.rank !== row.rank) {
      entry.tr.cells[0].textContent = row.rank;  // Pushed down by others: only the rank moves.
      entry.rank = row.rank;
    }
    return entry.tr;
  });
  dropRowsNotIn(rows);
  arrange($('scoreboard').tBodies[0], order);
  // Moving a row that holds the focus drops it: give it back. (The scroll position stays as it
  // is: rows are moved, never rebuilt, and setting it would force a layout of the whole table.)
  if (focused && document.activeElement !== focused && focused.isConnected) {
    focused.focus({ preventScroll: true });
  }
  if (!firstRender) afterPatch(changed);
  return changed;
}

function entryFor(teamId) {
  let entry = board.rows.get(teamId);
  if (!entry) {
    const own = teamId === board.ownTeam;
    entry = { tr: el('tr', { 'data-team-id': teamId, class: own ? 'own' : null }), rank: null,
      sig: null };
    board.rows.set(teamId, entry);
  }
  return entry;
}

function dropRowsNotIn(rows) {
  if (rows.length === board.rows.size) return;
  const keep = new Set(rows.map((row) => row.team_id));
  for (const [teamId, entry] of board.rows) {
    if (keep.has(teamId)) continue;
    entry.tr.remove();
    board.rows.delete(teamId);
  }
}

// Everything a row shows except its rank, as one string: equal strings, nothing to redraw.
function signature(row) {
  const score = row.score || {};
  let sig = `${board.teams.get(row.team_id)}|${score.num_solved}|${score.total_time}|${score.score}|${score.time}`;
  for (const c of row.problems) {
    sig += `|${c.num_judged},${c.num_pending},${c.solved},${c.score},${c.time},${c.first_to_solve}`;
  }
  return sig;
}

function fillRow(tr, row) {
  const score = row.score || {};
  const scored = score.score !== undefined;
  const name = board.teams.get(row.team_id) || row.team_id;
  tr.replaceChildren(
    el('td', { class: 'rank' }, row.rank),
    el('th', { scope: 'row', class: 'team' },
      el('span', { class: 'team-name', title: name.length > SHORT_NAME_CHARS ? name : null }, name),
      row.team_id === board.ownTeam ? el('span', { class: 'own-label' }, 'your team') : null),
    el('td', { class: 'num solved-count' }, scored ? score.score : score.num_solved),
    el('td', { class: 'num penalty' }, scored ? (score.time ?? '') : score.total_time),
    ...cellsInColumnOrder(row.problems).map(cellFor),
  );
}

// The cells in the order of the header's problems (the page sorts them by ordinal).
function cellsInColumnOrder(cells) {
  if (board.problems.length !== cells.length) return cells;
  const byProblem = new Map(cells.map((cell) => [cell.problem_id, cell]));
  const ordered = board.problems.map((problem) => byProblem.get(problem.id));
  return ordered.every(Boolean) ? ordered : cells;
}

function cellFor(cell) {
  const tries = cell.num_judged + cell.num_pending;
  const solved = cell.solved ?? cell.score > 0;
  if (!tries && !solved) return el('td', { class: 'cell' });
  const look = cellLook(cell, tries, solved);
  return el('td', { class: `cell ${look.kind}`, title: look.says },
    el('span', { class: 'main', 'aria-hidden': 'true' }, look.main),
    el('span', { class: 'sub', 'aria-hidden': 'true' }, look.sub),
    el('span', { class: 'visually-hidden' }, look.says));
}

// What a cell shows (never by color alone: a star, a question mark, a time or a dash) and says.
function cellLook(cell, tries, solved) {
  const triesText = `${tries} ${tries === 1 ? 'try' : 'tries'}`;
  if (solved && cell.first_to_solve) {
    return { kind: 'first', main: `★ ${cell.time}`, sub: triesText,
      says: `First to solve, at minute ${cell.time}, ${triesText}` };
  }
  if (solved) {
    return { kind: 'solved', main: `${cell.time}`, sub: triesText,
      says: `Solved at minute ${cell.time}, ${triesText}` };
  }
  if (cell.num_pending > 0) {
    return { kind: 'pending', main: '?', sub: triesText,
      says: `${cell.num_pending} pending, ${cell.num_judged} judged and not accepted` };
  }
  return { kind: 'failed', main: '−', sub: triesText, says: `Not solved, ${triesText}` };
}

// Puts tbody's rows in `order`, moving only the rows outside the longest run that is already in
// order: one team climbing 500 places is one move, not 500 (less layout, scroll stays put).
function arrange(tbody, order) {
  if (!tbody.firstElementChild) {
    tbody.append(...order);
    return;
  }
  const position = new Map();
  Array.from(tbody.children).forEach((tr, i) => position.set(tr, i));
  const keep = longestIncreasing(order.map((tr) => position.get(tr) ?? -1));
  let next = null;
  for (let i = order.length - 1; i >= 0; i--) {
    if (!keep.has(i)) tbody.insertBefore(order[i], next);
    next = order[i];
  }
}

// The indexes of a longest strictly increasing subsequence of `values` (ignoring -1).
function longestIncreasing(values) {
  const tails = [];           // tails[k]: index of the smallest tail of a run of length k+1
  const previous = new Array(values.length).fill(-1);
  values.forEach((value, i) => {
    if (value < 0) return;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[tails[mid]] < value) low = mid + 1; else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1];
    tails[low] = i;
  });
  const keep = new Set();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) keep.add(i);
  return keep;
}

function afterPatch(changed) {
  if (board.quiet) {
    board.quiet = false;
    announce($('announcer'), board.juryView ? 'Showing the jury view.' : 'Showing the public view.');
    return;
  }
  if (!changed.length) return;
  for (const tr of changed) flash(tr);
  announce($('announcer'), `Scoreboard updated: ${changed.length} ${changed.length === 1 ? 'team' : 'teams'} changed.`);
}

// A short highlight of a changed row (a fade, or a still highlight for reduced motion: CSS).
// No forced layout here (a reflow of 1,000 rows costs tens of ms): a row still lit restarts its
// fade in the next frame.
function flash(tr) {
  if (tr.classList.contains('flash')) {
    tr.classList.remove('flash');
    requestAnimationFrame(() => tr.classList.add('flash'));
  } else {
    tr.classList.add('flash');
  }
  clearTimeout(tr.flashTimer);
  tr.flashTimer = setTimeout(() => tr.classList.remove('flash'), 2500);
}

// ---- contest, state line and banner -----------------------------------------------------------

function showContest() {
  const name = board.contest.formal_name || board.contest.name || cid;
  $('contest-name').textContent = name;
  document.title = `${name} · Scoreboard`;
  showState();
}

function showState() {
  if (!board.state || !board.contest) return;
  setText($('state-line'), stateText());
  showBanner();
  showView();
}

function frozenNow() {
  const s = board.state;
  return Boolean(s.frozen && !s.thawed && !s.finalized);
}

function stateText() {
  const s = board.state;
  const c = board.contest;
  if (s.finalized) return `Final results · ended ${clockOf(s.ended)}`;
  if (s.ended) return `Ended ${clockOf(s.ended)}${frozenNow() ? ' · results not yet revealed' : ''}`;
  if (!s.started) {
    return c.start_time ? `Not started · starts ${dateTimeOf(c.start_time)}`
      : 'Not started · start time not set yet';
  }
  const running = `Running · contest time ${clockText(contestMs())} of ${clockText(reltimeMs(c.duration) ?? 0)}`;
  return frozenNow() ? `Frozen since ${freezeText()} · ${running}` : running;
}

// CCS "Finalizing the Contest": until the jury finalizes, every scoreboard warns that its
// results are not final (state.finalized is null).
function showFinalBanner() {
  const s = board.state;
  const banner = $('final-banner');
  banner.hidden = !s.started || Boolean(s.finalized);
  if (banner.hidden) return;
  setText(banner, s.ended
    ? 'The contest is over, but these results are not final: the jury has not finalized them yet.'
    : 'Results are not final: the standings change until the jury finalizes the results.');
}

function showBanner() {
  showFinalBanner();
  const banner = $('frozen-banner');
  banner.hidden = !frozenNow();
  if (banner.hidden) return;
  banner.classList.toggle('jury', board.juryView);
  setText(banner, board.juryView
    ? `Frozen for the public since ${freezeText()}. You are looking at the jury's true board.`
    : `Scoreboard frozen since ${freezeText()}: submissions made after that show as pending (?) ` +
      'until the results are revealed.');
}

// The clock redraws every second: writing only what changed keeps a reader's selection.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function freezeText() {
  const c = board.contest;
  const freezeAt = (reltimeMs(c.duration) ?? 0) - (reltimeMs(c.scoreboard_freeze_duration) ?? 0);
  return `${clockOf(board.state.frozen)} (contest time ${clockText(freezeAt)})`;
}

function showView() {
  const label = $('view-label');
  label.hidden = !board.canJury;
  setText(label, board.juryView ? 'Jury view (unfrozen)' : 'Public view (as contestants see it)');
  label.classList.toggle('jury', board.juryView);
  setText($('scoreboard').caption,
    `Standings, ${board.juryView ? 'jury view (unfrozen)' : 'public view'}`);
}

// ---- time ------------------------------------------------------------------------------------

function contestMs() {
  if (!board.clock) return 0;
  const elapsed = board.clock.contestMs + (performance.now() - board.clock.at);
  return Math.min(elapsed, reltimeMs(board.contest.duration) ?? Infinity);
}

function clockOf(time) {
  return time ? new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
}

function dateTimeOf(time) {
  return new Date(time).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

// ---- errors ----------------------------------------------------------------------------------

function describe(error) {
  if (error instanceof ApiError && error.status === 404) {
    return `There is no contest “${cid}” here (${error.message}).`;
  }
  if (error instanceof ApiError) return `The server answered ${error.status}: ${error.message}.`;
  return `Cannot reach the judge (${error.message}).`;
}

function showError(text) {
  const box = $('error');
  setText(box, text);  // The same text again is not a new alert.
  box.hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

// ---- controls: view, projector, auto-scroll ---------------------------------------------------

function setUpControls() {
  const params = new URLSearchParams(location.search);
  $('login-link').hidden = Boolean(me);
  const toggle = $('view-toggle');
  toggle.hidden = !board.canJury;
  toggle.addEventListener('click', () => setView(!board.juryView));
  $('projector-toggle').addEventListener('click', () => setProjector(!projectorOn()));
  $('autoscroll-toggle').addEventListener('click', () => setAutoScroll(!scrolling.on));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && projectorOn()) setProjector(false);
  });
  for (const type of ['wheel', 'touchstart', 'keydown']) {
    $('board').addEventListener(type, () => { scrolling.pausedUntil = performance.now() + 10000; },
      { passive: true });
  }
  setProjector(params.get('projector') === '1', { keepUrl: true });
  setView(board.canJury && !projectorOn());
  if (params.get('autoscroll') === '1') setAutoScroll(true);
}

// The jury view only for a jury login and never on a projector (the room must not see the truth
// behind the freeze). After the start the watch restarts at the new view's pace, from its token.
async function setView(jury) {
  jury = jury && board.canJury && !projectorOn();
  const toggle = $('view-toggle');
  toggle.setAttribute('aria-pressed', String(!jury));
  if (jury === board.juryView) return;
  board.juryView = jury;
  if (!board.stopWatch) return;  // Not started: start() reads the view when it gets there.
  board.quiet = true;
  showState();
  watch(board.stopWatch());
  await refresh();
}

function projectorOn() {
  return document.body.classList.contains('projector');
}

function setProjector(on, { keepUrl = false } = {}) {
  document.body.classList.toggle('projector', on);
  const button = $('projector-toggle');
  button.setAttribute('aria-pressed', String(on));
  button.textContent = on ? 'Exit projector mode' : 'Projector mode';
  $('autoscroll-toggle').hidden = !on;
  if (on) setView(false);
  if (!on) setAutoScroll(false);
  if (keepUrl) return;
  const url = new URL(location.href);
  if (on) url.searchParams.set('projector', '1'); else url.searchParams.delete('projector');
  history.replaceState(null, '', url);
}

// Slow auto-scroll for a projector: down through the board, a pause at the bottom, back to the
// top, a pause, again. Reduced motion: a screenful at a time instead of a glide.
const scrolling = { on: false, phase: 'top', since: 0, position: 0, last: 0, pausedUntil: 0 };
const PAUSE_MS = 5000;
const PIXELS_PER_SECOND = 40;

function setAutoScroll(on) {
  scrolling.on = on;
  $('autoscroll-toggle').setAttribute('aria-pressed', String(on));
  if (!on) return;
  Object.assign(scrolling, { phase: 'top', since: performance.now(), position: $('board').scrollTop,
    last: performance.now() });
  requestAnimationFrame(scrollStep);
}

function scrollStep(now) {
  if (!scrolling.on) return;
  const scroller = $('board');
  const bottom = scroller.scrollHeight - scroller.clientHeight;
  const elapsed = now - scrolling.last;
  scrolling.last = now;
  if (now < scrolling.pausedUntil) {
    scrolling.position = scroller.scrollTop;
  } else if (scrolling.phase !== 'down') {
    if (now - scrolling.since >= PAUSE_MS) nextPhase(scroller, now);
  } else if (scrolling.position >= bottom - 1) {
    Object.assign(scrolling, { phase: 'bottom', since: now });
  } else {
    const step = reducedMotion.matches
      ? (now - scrolling.since >= PAUSE_MS ? scroller.clientHeight * 0.9 : 0)
      : (PIXELS_PER_SECOND * elapsed) / 1000;
    if (step && reducedMotion.matches) scrolling.since = now;
    scrolling.position = Math.min(bottom, scrolling.position + step);
    scroller.scrollTop = scrolling.position;
  }
  requestAnimationFrame(scrollStep);
}

function nextPhase(scroller, now) {
  if (scrolling.phase === 'bottom') {
    scroller.scrollTop = 0;
    Object.assign(scrolling, { phase: 'top', since: now, position: 0 });
  } else {
    Object.assign(scrolling, { phase: 'down', since: now, position: scroller.scrollTop });
  }
}

setUpControls();
start();
