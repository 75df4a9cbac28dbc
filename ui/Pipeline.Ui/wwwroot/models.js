// The registry: each model's versions, its aliases (champion, challenger) and each version's lineage — the dataset
// version, the run that made it (linked), its parent and package.
import { api, html, raw, time, runLink, num } from './util.js';

export async function modelsView(main) {
  const { models } = await api('models');
  main.innerHTML = html`<h1>Models</h1>
    ${models.length === 0 ? raw('<p class="muted">No registered models.</p>') : ''}
    ${models.map(m => raw(html`
      <section class="model" data-model="${m.name}">
        <h2>${m.name} <span class="muted">${Object.entries(m.aliases).map(([a, v]) => `${a} → v${v}`).join(' · ')}</span></h2>
        <table><thead><tr><th class="num">Version</th><th>Aliases</th><th>Created</th><th>Dataset</th><th>Made by</th><th>Parent</th><th>Package</th><th>Metrics</th></tr></thead>
        <tbody>${m.versions.map(v => raw(html`<tr data-version="${v.version}">
          <td class="num">${v.version}</td><td>${v.aliases.map(a => raw(html`<span class="badge alias s-${a === 'champion' ? 'promoted' : 'running'}">${a}</span> `))}</td>
          <td>${time(v.created_at)}</td><td>${v.dataset || ''}</td>
          <td>${v.workflow_id ? raw(html`<a class="made-by" href="${runLink(v.workflow_id)}">${v.workflow_id}</a>`) : raw('<span class="muted">registered as the first champion</span>')}</td>
          <td class="muted">${(v.parent || '').slice(0, 19)}</td><td class="muted">${(v.source || '').slice(0, 19)}</td>
          <td class="muted">${Object.entries(v.metrics || {}).filter(([k]) => k.includes('accuracy')).slice(0, 3).map(([k, x]) => `${k} ${num(x)}`).join(' · ')}</td></tr>`))}</tbody></table>
      </section>`))}`;
}
