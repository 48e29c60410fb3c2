// Home page: the contests this server runs, with links to each one's scoreboard and team page.
import { api, el, reltimeMs } from '/static/common.js';

// What GET state says, in words; from the clock when the state cannot be read.
function stateText(contest, state, now = Date.now()) {
  if (state) {
    if (state.finalized || state.ended) return 'Over';
    if (state.started) return state.frozen && !state.thawed ? 'Running (scoreboard frozen)' : 'Running';
    return contest.start_time ? 'Not started yet' : 'Start time not set';
  }
  const start = Date.parse(contest.start_time);
  if (Number.isNaN(start)) return 'Start time not set';
  if (now < start) return 'Not started yet';
  return now < start + (reltimeMs(contest.duration) ?? 0) ? 'Running' : 'Over';
}

// "5:00:00.000" -> "5 h", "2:30:00.000" -> "2 h 30 min".
function durationText(reltime) {
  const minutes = Math.round((reltimeMs(reltime) ?? 0) / 60000);
  const hours = Math.floor(minutes / 60);
  return [hours && `${hours} h`, minutes % 60 && `${minutes % 60} min`].filter(Boolean).join(' ') || '0 min';
}

function contestItem(contest, state) {
  const base = `/contests/${encodeURIComponent(contest.id)}`;
  const start = contest.start_time ? new Date(contest.start_time).toLocaleString() : 'not set';
  return el('li', {},
    el('h2', {}, contest.formal_name || contest.name),
    el('p', {}, `Start: ${start} · Length: ${durationText(contest.duration)} · `,
      el('strong', {}, stateText(contest, state))),
    el('p', { class: 'links' },
      el('a', { href: `${base}/scoreboard` }, 'Scoreboard'), ' · ',
      el('a', { href: `${base}/team` }, 'Team page (log in, submit)')));
}

async function main() {
  const status = document.getElementById('status');
  try {
    const { data } = await api('/contests');
    const states = await Promise.all(data.map((c) =>
      api(`/contests/${encodeURIComponent(c.id)}/state`).then((r) => r.data, () => null)));
    document.getElementById('contests').replaceChildren(
      ...data.map((contest, i) => contestItem(contest, states[i])));
    status.textContent = data.length ? '' : 'No contests yet.';
  } catch (error) {
    status.textContent = `Could not load the contests: ${error.message}`;
    status.className = 'error';
  }
}

main();
