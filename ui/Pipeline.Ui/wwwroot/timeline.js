// The timeline: one lane per activity, timer and child workflow; a bar per attempt (failed ones red, so a retry
// shows as a red bar then another), ticks for signals and other instants.
import { html, raw, esc, duration } from './util.js';

export function timeline(view) {
  const start = new Date(view.start).getTime();
  const ends = view.groups.flatMap(g => [g.closed, ...g.attempts.map(a => a.ended)]).filter(Boolean).map(t => new Date(t).getTime());
  const end = view.end ? new Date(view.end).getTime() : Math.max(Date.now(), ...ends);
  const span = Math.max(1, end - start);
  const pct = t => `${((new Date(t).getTime() - start) / span * 100).toFixed(3)}%`;
  const width = (a, b) => `${Math.max(0.6, (new Date(b).getTime() - new Date(a).getTime()) / span * 100).toFixed(3)}%`;
  const bars = g => {
    if (g.kind !== 'activity') {
      const stop = g.closed || new Date(end).toISOString();
      return `<div class="bar ${g.kind}" style="left:${pct(g.scheduled)};width:${width(g.scheduled, stop)}" title="${esc(g.name)} ${esc(g.status)}"></div>`;
    }
    const attempts = g.attempts.length ? g.attempts : [{ number: 1, started: g.scheduled, ended: null, outcome: g.status }];
    return attempts.map((a, i) => {
      const from = a.started || g.scheduled, to = a.ended || new Date(end).toISOString();
      // The wait between a failed attempt and its retry (the retry policy's backoff), drawn as a thin line.
      const next = attempts[i + 1];
      const backoff = a.ended && next && next.started
        ? `<div class="bar backoff" style="left:${pct(a.ended)};width:${width(a.ended, next.started)}" title="backoff before attempt ${next.number}"></div>` : '';
      return `<div class="bar ${esc(a.outcome)}" data-attempt="${a.number}" style="left:${pct(from)};width:${width(from, to)}"
        title="${esc(g.name)} attempt ${a.number}: ${esc(a.outcome)}${a.failure ? ` — ${esc(a.failure.message)}` : ''}"></div>${backoff}`;
    }).join('');
  };
  return html`
    <div class="timeline" id="timeline">
      <p class="muted">${new Date(start).toISOString()} → ${view.end ? new Date(end).toISOString() : 'now'} (${duration(span / 1000)})</p>
      ${view.groups.map(g => raw(html`<div class="row" data-name="${g.name}" data-kind="${g.kind}">
        <div class="label">${g.name} ${g.attempts.length > 1 ? raw(html`<span class="badge s-retrying">${g.attempts.length} attempts</span>`) : ''}</div>
        <div class="lane">${raw(bars(g))}</div></div>`))}
      ${view.instants.length ? raw(html`<div class="row"><div class="label">signals, markers</div><div class="lane">
        ${view.instants.map(i => raw(`<div class="tick" style="left:${pct(i.time)}" title="${esc(i.kind)} ${esc(i.name || '')}"></div>`))}</div></div>`) : ''}
    </div>`;
}
