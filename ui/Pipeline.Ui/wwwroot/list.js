// The workflow list: filters (status, type, id, dataset, time range) kept in the URL, paging, auto-refresh while a
// listed run is open.
import { api, html, raw, badge, time, duration, runLink, esc } from './util.js';

const STATUSES = ['', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'continued_as_new'];
const PAGE = 25;

export async function listView(main, params) {
  const filters = Object.fromEntries(['status', 'type', 'id', 'dataset', 'from', 'to'].map(k => [k, params.get(k) || '']));
  const offset = Number(params.get('offset') || 0);
  main.innerHTML = html`
    <h1>Workflows</h1>
    <form class="filters" id="filters">
      <label>Status <select name="status">${STATUSES.map(s => raw(`<option value="${s}"${s === filters.status ? ' selected' : ''}>${s || 'any'}</option>`))}</select></label>
      <label>Type <input name="type" value="${filters.type}" placeholder="PostTrainingWorkflow"></label>
      <label>Workflow id contains <input name="id" value="${filters.id}" placeholder="arith-demo@v1"></label>
      <label>Dataset <input name="dataset" value="${filters.dataset}" placeholder="arith-demo@v1"></label>
      <label>Started after (UTC) <input name="from" type="datetime-local" value="${filters.from}"></label>
      <label>Started before (UTC) <input name="to" type="datetime-local" value="${filters.to}"></label>
      <button type="submit">Filter</button> <button type="button" id="clear">Clear</button>
    </form>
    <div id="rows"></div>`;
  const form = main.querySelector('#filters');
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    location.hash = `#/?${next}`;
  });
  main.querySelector('#clear').addEventListener('click', () => { location.hash = '#/'; });

  const load = async () => {
    const query = new URLSearchParams({ limit: PAGE, offset });
    for (const [k, v] of Object.entries(filters)) if (v) query.set(k, k === 'from' || k === 'to' ? `${v}Z` : v);
    const page = await api(`workflows?${query}`);
    main.querySelector('#rows').innerHTML = rows(page, filters, offset);
    return page.items.some(r => r.status === 'running');
  };
  const open = await load();
  return open ? load : null;
}

function rows(page, filters, offset) {
  if (page.items.length === 0) return '<p class="muted" id="empty">No workflow runs match.</p>';
  const link = o => { const p = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)); p.set('offset', o); return `#/?${p}`; };
  return html`
    <table id="workflows">
      <thead><tr><th>Status</th><th>Type</th><th>Workflow id</th><th>Run id</th><th>Dataset</th><th>Started</th><th>Closed</th><th class="num">Duration</th></tr></thead>
      <tbody>${page.items.map(r => raw(html`<tr data-status="${r.status}" data-id="${r.id}">
        <td>${badge(r.status)}</td><td>${r.type}</td><td><a href="${runLink(r.id, r.run_id)}">${r.id}</a></td>
        <td class="muted">${r.run_id.slice(0, 8)}</td><td>${r.dataset || ''}</td><td>${time(r.started)}</td><td>${time(r.closed)}</td>
        <td class="num">${duration(r.duration_seconds)}</td></tr>`))}</tbody>
    </table>
    <div class="pager">
      ${offset > 0 ? raw(`<a href="${esc(link(Math.max(0, offset - page.limit)))}">← newer</a>`) : ''}
      <span class="muted">${offset + 1}–${offset + page.items.length}</span>
      ${page.has_more ? raw(`<a id="older" href="${esc(link(offset + page.limit))}">older →</a>`) : ''}
    </div>`;
}
