// The recipe's view of a run: stages, gate decision records, eval results with intervals, preference QC, the A/B
// window, and training curves from the tracking store.
import { api, html, raw, badge, duration, idPath, num } from './util.js';
import { lineChart, intervalBars } from './charts.js';

export async function recipeTab(section, r) {
  const v = await api(`recipe/${idPath(r.id)}?run=${r.run_id}`);
  section.innerHTML = html`
    ${v.status ? raw(html`<p id="verdict">${badge(v.status.toLowerCase())} ${v.reason}</p>`) : ''}
    ${v.current_stage ? raw(html`<p>Current stage: <b id="current-stage">${v.current_stage}</b></p>`) : ''}
    <h2>Stages</h2>${raw(stages(v.stages))}
    <h2>Gates</h2>${v.gates.length ? raw(v.gates.map(gate).join('')) : raw('<p class="muted">No gate has decided yet.</p>')}
    <h2>Training curves</h2>${raw(curves(v.curves))}
    <h2>Evaluations</h2>${v.evals.length ? raw(v.evals.map(evaluation).join('')) : raw('<p class="muted">None yet.</p>')}
    ${v.preferences ? raw(html`<h2>Preference collection</h2>${raw(counts(v.preferences))}`) : ''}
    ${v.ab ? raw(html`<h2>A/B window</h2>${raw(ab(v.ab))}`) : ''}`;
}

function stages(list) {
  return html`<table id="stages"><thead><tr><th>Stage</th><th>Status</th><th class="num">Time</th><th>Key numbers</th><th>Why</th></tr></thead>
    <tbody>${list.map(s => raw(html`<tr data-stage="${s.name}"><td>${s.name}</td><td>${badge(s.status)}</td><td class="num">${duration(s.seconds)}</td>
      <td class="muted">${Object.entries(s.metrics).slice(0, 6).map(([k, x]) => `${k} ${num(x)}`).join(' · ')}</td><td>${s.detail}</td></tr>`))}</tbody></table>`;
}

const cell = m => m ? `${num(m.value)}${m.lower != null ? ` [${num(m.lower)}, ${num(m.upper)}]` : ''}` : '—';

function gate(g) {
  const d = g.decision || {};
  if (d.error) return html`<h3>${g.stage}</h3><p class="message error">${d.error}</p>`;
  return html`
    <section class="gate" data-gate="${g.stage}">
      <h3>${g.stage} ${badge(g.status)} <span class="muted">policy ${d.policy ? d.policy.name : '?'} · ${(d.rules || []).length} rules · ${(d.failed_rules || []).length} failed</span></h3>
      <p class="muted">candidate ${d.candidate ? d.candidate.model : ''}${d.candidate && d.candidate.adapter ? ` + ${d.candidate.adapter}` : ''} · baseline ${d.baseline ? d.baseline.model : 'none'}${d.baseline && d.baseline.adapter ? ` + ${d.baseline.adapter}` : ''}
        · <a href="/api/artifacts/${encodeURIComponent(g.digest)}/decision.json" target="_blank">decision.json</a>
        · <a href="/api/artifacts/${encodeURIComponent(g.digest)}/report.html" target="_blank">report</a></p>
      <table class="rules"><thead><tr><th>Rule</th><th>Metric</th><th>Kind</th><th class="num">Threshold</th><th class="num">Baseline</th><th class="num">Candidate</th><th class="num">Margin</th><th>Verdict</th><th>Reason</th></tr></thead>
      <tbody>${(d.rules || []).map(x => raw(html`<tr data-rule="${x.name}"><td>${x.name}</td><td>${x.metric}</td><td>${x.kind}</td><td class="num">${num(x.threshold)}</td>
        <td class="num">${cell(x.baseline)}</td><td class="num">${cell(x.candidate)}</td><td class="num">${num(x.margin)}</td>
        <td class="${x.passed ? 'verdict-pass' : 'verdict-fail'}">${x.passed ? 'pass' : 'fail'}</td><td>${x.reason}</td></tr>`))}</tbody></table>
    </section>`;
}

function curves(list) {
  const charts = list.flatMap(c => Object.entries(c.series).map(([key, points]) => lineChart(key, points, c.stage)));
  if (charts.length === 0) return '<p class="muted">No training curves logged for this run.</p>';
  return `<div class="charts" id="charts">${charts.join('')}</div>`;
}

function evaluation(e) {
  const ev = e.eval || {};
  if (ev.error) return html`<h3>${e.stage}</h3><p class="message error">${ev.error}</p>`;
  const rows = (ev.suites || []).flatMap(s => Object.entries(s.metrics).map(([k, m]) => ({ suite: s.name, key: k, m })));
  const rates = rows.filter(x => x.m && x.m.value != null && x.m.value >= 0 && x.m.value <= 1 && x.m.lower != null)
    .map(x => ({ label: `${x.suite}/${x.key}`, value: x.m.value, lower: x.m.lower, upper: x.m.upper }));
  return html`
    <section class="eval" data-stage="${e.stage}">
      <h3>${e.stage} <span class="muted">${ev.model || ''}${ev.adapter ? ` + ${ev.adapter}` : ''}</span>
        · <a href="/api/artifacts/${encodeURIComponent(e.digest)}/report.html" target="_blank">report</a></h3>
      <div class="grid2"><table><thead><tr><th>Suite</th><th>Metric</th><th class="num">Value [95% interval]</th><th class="num">n</th></tr></thead>
        <tbody>${rows.map(x => raw(html`<tr><td>${x.suite}</td><td>${x.key}</td><td class="num">${cell(x.m)}</td><td class="num">${x.m ? x.m.n : ''}</td></tr>`))}</tbody></table>
        <div>${raw(rates.length ? intervalBars(rates.slice(0, 14)) : '')}</div></div>
    </section>`;
}

function counts(p) {
  return html`<p>${p.detail}</p><table id="qc"><tbody>${Object.entries(p.metrics).map(([k, x]) => raw(html`<tr><td>${k}</td><td class="num">${num(x)}</td></tr>`))}</tbody></table>`;
}

function ab(w) {
  const o = w.online;
  const variant = (name, s) => s ? html`<tr><td>${name}</td><td class="num">${s.requests}</td><td class="num">${s.feedback}</td><td class="num">${s.positive}</td>
    <td class="num">${s.feedback ? (s.positive / s.feedback * 100).toFixed(1) + '%' : '—'}</td><td class="num">${s.requests ? (s.errors / s.requests * 100).toFixed(2) + '%' : '—'}</td>
    <td class="num">${num(s.latency_p95_ms, 0)} ms</td></tr>` : '';
  return html`
    <div id="ab">
      ${w.stage ? raw(html`<p>${badge(w.stage.status)} ${w.stage.detail}</p>`) : raw('<p class="muted">The window is open.</p>')}
      ${o ? raw(html`<table><thead><tr><th>Variant</th><th class="num">Requests</th><th class="num">Feedback</th><th class="num">Positive</th><th class="num">Positive rate</th><th class="num">Errors</th><th class="num">p95 latency</th></tr></thead>
        <tbody>${raw(variant('champion', o.champion))}${raw(variant('challenger', o.challenger))}</tbody></table>`) : ''}
      ${w.stage ? raw(html`<table><tbody>${Object.entries(w.stage.metrics).map(([k, x]) => raw(html`<tr><td>${k}</td><td class="num">${num(x, 4)}</td></tr>`))}</tbody></table>`) : ''}
    </div>`;
}
