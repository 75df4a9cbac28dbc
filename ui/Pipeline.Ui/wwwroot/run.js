// One run: facts, actions, and tabs — the recipe's view, the compact history, the timeline, the raw history (JSON
// export), pending activities, signals, queries.
import { api, html, raw, badge, time, duration, runLink, idPath, json, esc } from './util.js';
import { recipeTab } from './recipe.js';
import { timeline } from './timeline.js';

const TABS = ['summary', 'recipe', 'history', 'timeline', 'raw', 'queries'];

export async function runView(main, id, params) {
  const runId = params.get('run') || '';
  const tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'summary';
  const q = runId ? `?run=${encodeURIComponent(runId)}` : '';
  const d = await api(`workflows/${idPath(id)}${q}`);
  const r = d.run;
  const tabLink = t => `${runLink(r.id, r.run_id)}&tab=${t}`;
  const isRecipe = r.type === 'PostTrainingWorkflow';
  main.innerHTML = html`
    <h1>${badge(r.status)} ${r.id}</h1>
    <dl class="facts" id="facts">
      <dt>Type</dt><dd>${r.type}</dd>
      <dt>Run id</dt><dd>${r.run_id}</dd>
      <dt>Task queue</dt><dd>${r.task_queue}</dd>
      <dt>Started</dt><dd>${time(r.started)}</dd>
      <dt>Closed</dt><dd>${time(r.closed) || '—'}${r.duration_seconds != null ? ` (${duration(r.duration_seconds)})` : ''}</dd>
      ${d.memo ? raw(html`<dt>Memo</dt><dd>${Object.entries(d.memo).map(([k, v]) => `${k}=${v}`).join(', ')}</dd>`) : ''}
      ${d.parent ? raw(html`<dt>Parent</dt><dd><a href="${runLink(d.parent.workflow_id, d.parent.run_id)}">${d.parent.workflow_id}</a></dd>`) : ''}
      ${d.children.length ? raw(html`<dt>Children</dt><dd>${d.children.map(c => raw(html`<a class="child" href="${runLink(c.workflow_id, c.run_id)}">${c.workflow_id}</a> ${badge(c.status || '?')} `))}</dd>`) : ''}
      ${d.continued_from ? raw(html`<dt>Continued from</dt><dd><a href="${runLink(r.id, d.continued_from)}">${d.continued_from}</a></dd>`) : ''}
      ${d.continued_to ? raw(html`<dt>Continued as</dt><dd><a href="${runLink(r.id, d.continued_to)}">${d.continued_to}</a></dd>`) : ''}
      ${d.runs.length > 1 ? raw(html`<dt>Runs of this id</dt><dd>${d.runs.map(o => raw(html`<a href="${runLink(r.id, o.run_id)}">${o.run_id.slice(0, 8)}</a> ${badge(o.status)} `))}</dd>`) : ''}
      ${d.failure ? raw(html`<dt>Failure</dt><dd class="message error" id="failure">${d.failure.message}</dd>`) : ''}
    </dl>
    ${r.status === 'running' ? raw(actions(d)) : ''}
    <div class="tabs">${TABS.filter(t => t !== 'recipe' || isRecipe).map(t => raw(html`<a href="${tabLink(t)}" class="${t === tab ? 'active' : ''}" data-tab="${t}">${t}</a>`))}</div>
    <section id="tab"></section>`;
  wireActions(main, r);
  const section = main.querySelector('#tab');
  const show = async () => {
    if (tab === 'summary') section.innerHTML = summary(d);
    else if (tab === 'recipe') await recipeTab(section, r);
    else if (tab === 'history') section.innerHTML = compact(await api(`events/${idPath(r.id)}?run=${r.run_id}`));
    else if (tab === 'timeline') section.innerHTML = timeline(await api(`events/${idPath(r.id)}?run=${r.run_id}`));
    else if (tab === 'raw') section.innerHTML = rawHistory(r, await api(`history/${idPath(r.id)}?run=${r.run_id}`));
    else if (tab === 'queries') queries(section, r, d.queries);
  };
  await show();
  // An open run's page follows it; the raw and query tabs stay put (people read them). A reason being typed and the
  // last action's answer survive the refresh.
  if (r.status !== 'running' || tab === 'raw' || tab === 'queries') return null;
  return async () => {
    const reason = main.querySelector('#reason');
    if (reason && document.activeElement === reason) return;
    const message = main.querySelector('#action-message');
    const kept = { reason: reason ? reason.value : '', cls: message ? message.className : '', text: message ? message.textContent : '' };
    await runView(main, id, params);
    const again = main.querySelector('#reason'), answer = main.querySelector('#action-message');
    if (again) again.value = kept.reason;
    if (answer) { answer.className = kept.cls; answer.textContent = kept.text; }
  };
}

function actions(d) {
  const signals = ['approve', 'reject', 'abort'].filter(s => d.signal_names.includes(s));
  return html`
    <div class="actions" id="actions">
      <input id="reason" placeholder="reason (recorded in the history)" size="40">
      ${signals.map(s => raw(html`<button data-signal="${s}">${s}</button>`))}
      <button data-action="cancel">cancel</button>
      <button data-action="terminate" class="danger">terminate</button>
      <span class="message" id="action-message"></span>
    </div>`;
}

function wireActions(main, r) {
  const message = main.querySelector('#action-message');
  for (const button of main.querySelectorAll('#actions button')) {
    button.addEventListener('click', async () => {
      const reason = main.querySelector('#reason').value || `${button.dataset.signal || button.dataset.action} from the UI`;
      const path = button.dataset.signal ? `signal/${button.dataset.signal}` : button.dataset.action;
      try {
        await api(`${path}/${idPath(r.id)}?run=${r.run_id}`, { method: 'POST', body: { reason } });
        message.className = 'message ok';
        message.textContent = `${button.textContent}: sent`;
      } catch (e) {
        message.className = 'message error';
        message.textContent = `${button.textContent}: refused (${e.status}): ${e.message}`;
      }
    });
  }
}

function summary(d) {
  return html`
    <h2>Pending activities</h2>
    ${d.pending_activities.length === 0 ? raw('<p class="muted">None.</p>') : raw(html`
      <table id="pending"><thead><tr><th>Activity</th><th>State</th><th class="num">Attempt</th><th>Worker</th><th>Last heartbeat</th><th>Heartbeat details</th><th>Last failure</th></tr></thead>
      <tbody>${d.pending_activities.map(p => raw(html`<tr><td>${p.activity_type} <span class="muted">#${p.seq} · ${p.task_queue}</span></td>
        <td>${badge(p.state)}</td><td class="num">${p.attempt}</td><td>${p.identity || ''}</td><td>${time(p.last_heartbeat_at)}</td>
        <td><code>${p.heartbeat_details ? JSON.stringify(p.heartbeat_details).slice(0, 300) : ''}</code></td>
        <td>${p.last_failure ? p.last_failure.message : ''}</td></tr>`))}</tbody></table>`)}
    <h2>Signals</h2>
    ${d.signals.length === 0 ? raw('<p class="muted">None received.</p>') : raw(html`
      <table id="signals"><thead><tr><th>Signal</th><th>Time</th><th>From</th><th>Input</th></tr></thead>
      <tbody>${d.signals.map(s => raw(html`<tr><td>${s.name}</td><td>${time(s.timestamp)}</td><td>${s.identity || ''}</td><td><code>${JSON.stringify(s.input)}</code></td></tr>`))}</tbody></table>`)}
    <div class="grid2">
      <div><h2>Input</h2>${json(d.input)}</div>
      <div><h2>Result</h2>${d.result ? json(d.result) : raw(`<p class="muted">${d.run.status === 'running' ? 'Still running.' : 'None.'}</p>`)}</div>
    </div>`;
}

function compact(view) {
  return html`
    <table id="compact"><thead><tr><th>#</th><th>Kind</th><th>Name</th><th>Status</th><th>Scheduled</th><th class="num">Took</th><th>Attempts</th></tr></thead>
    <tbody>${view.groups.map(g => raw(html`<tr data-name="${g.name}" data-status="${g.status}">
      <td class="muted">${g.seq}</td><td>${g.kind}</td>
      <td>${g.kind === 'child' && g.workflow_id ? raw(html`<a href="${runLink(g.workflow_id, g.run_id)}">${g.name}</a>`) : g.name} <span class="muted">${g.task_queue || ''}</span></td>
      <td>${badge(g.status)}</td><td>${time(g.scheduled)}</td>
      <td class="num">${g.closed ? duration((new Date(g.closed) - new Date(g.scheduled)) / 1000) : ''}</td>
      <td>${g.attempts.map(a => raw(html`<div class="attempt" data-outcome="${a.outcome}">attempt ${a.number}: ${badge(a.outcome)} ${a.identity ? raw(html`<span class="muted">on ${a.identity}</span>`) : ''}
        ${a.failure ? raw(html`<div class="message error">${a.failure.message}</div>`) : ''}
        ${a.next_attempt_at ? raw(html`<div class="muted">retry at ${time(a.next_attempt_at)}</div>`) : ''}</div>`))}</td></tr>`))}
    ${view.instants.map(i => raw(html`<tr data-name="${i.name || i.kind}"><td></td><td>${i.kind}</td><td>${i.name || ''}</td><td></td><td>${time(i.time)}</td><td></td>
      <td>${i.identity ? `from ${i.identity}` : ''} ${i.input ? JSON.stringify(i.input) : ''} ${i.failure ? i.failure.message : ''}</td></tr>`))}</tbody></table>`;
}

function rawHistory(r, history) {
  const href = `/api/history/${idPath(r.id)}?run=${encodeURIComponent(r.run_id)}&download=1`;
  return html`
    <p><a id="export" href="${href}" download>Export the history as JSON</a> <span class="muted">${history.events.length} events</span></p>
    <table id="raw"><thead><tr><th class="num">Id</th><th>Time</th><th>Event</th><th>Details</th></tr></thead>
    <tbody>${history.events.map(e => raw(html`<tr><td class="num">${e.event_id}</td><td>${time(e.timestamp)}</td><td>${e.event_type}</td>
      <td><code>${JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k, v]) => v !== null && !['event_id', 'timestamp', 'event_type'].includes(k)))).slice(0, 600)}</code></td></tr>`))}</tbody></table>`;
}

function queries(section, r, names) {
  section.innerHTML = names.length === 0
    ? '<p class="muted">This workflow type is not registered with the UI: its queries cannot be replayed here.</p>'
    : html`<p class="muted">Queries are answered by replaying the run's history through its workflow code, here.</p>
      <div class="actions">${names.map(n => raw(html`<button data-query="${n}">${n}</button>`))}</div><div id="query-result"></div>`;
  for (const button of section.querySelectorAll('button[data-query]')) {
    button.addEventListener('click', async () => {
      const out = section.querySelector('#query-result');
      try {
        const answer = await api(`query/${encodeURIComponent(button.dataset.query)}/${idPath(r.id)}?run=${r.run_id}`);
        out.innerHTML = html`<h3>${answer.name}</h3>${json(answer.result)}`;
      } catch (e) {
        out.innerHTML = `<p class="message error">${esc(e.message)}</p>`;
      }
    });
  }
}

