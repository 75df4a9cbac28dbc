// Line charts as inline SVG, drawn here from the tracking store's points: no library, no build step.

const W = 320, H = 170, PAD = { l: 42, r: 8, t: 8, b: 22 };

const fmt = v => Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : +v.toPrecision(3);

// points: [[step, value], …] → <figure> with an <svg class="chart"> whose <path class="line"> has one vertex a point.
export function lineChart(title, points, caption = '') {
  const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)], [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) x1 = x0 + 1;
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const sx = x => PAD.l + (x - x0) / (x1 - x0) * (W - PAD.l - PAD.r);
  const sy = y => H - PAD.b - (y - y0) / (y1 - y0) * (H - PAD.t - PAD.b);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
  const ticks = [y0, (y0 + y1) / 2, y1];
  const grid = ticks.map(t => `<line class="grid" x1="${PAD.l}" x2="${W - PAD.r}" y1="${sy(t)}" y2="${sy(t)}"/>` +
    `<text x="${PAD.l - 4}" y="${sy(t) + 3}" text-anchor="end">${fmt(t)}</text>`).join('');
  const safe = String(title).replace(/[<>&"]/g, '');
  return `<figure class="chart" data-metric="${safe}" data-points="${points.length}">
    <svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${safe} by step">
      ${grid}
      <line class="axis" x1="${PAD.l}" x2="${W - PAD.r}" y1="${H - PAD.b}" y2="${H - PAD.b}"/>
      <line class="axis" x1="${PAD.l}" x2="${PAD.l}" y1="${PAD.t}" y2="${H - PAD.b}"/>
      <text x="${PAD.l}" y="${H - 6}">${x0}</text><text x="${W - PAD.r}" y="${H - 6}" text-anchor="end">step ${x1}</text>
      <path class="line" d="${d}"/>
    </svg>
    <figcaption>${safe}${caption ? ` · ${String(caption).replace(/[<>&"]/g, '')}` : ''} · last ${fmt(ys[ys.length - 1])}</figcaption>
  </figure>`;
}

// Horizontal bars with an interval each: [{label, value, lower, upper}] on [0, 1].
export function intervalBars(rows) {
  const rowH = 20, w = 460, left = 210, right = 52;
  const sx = v => left + Math.max(0, Math.min(1, v)) * (w - left - right);
  const body = rows.map((r, i) => {
    const y = i * rowH + 4;
    const ci = r.lower != null && r.upper != null
      ? `<line class="axis" x1="${sx(r.lower)}" x2="${sx(r.upper)}" y1="${y + 7}" y2="${y + 7}"/>` : '';
    return `<text x="${left - 6}" y="${y + 11}" text-anchor="end">${String(r.label).replace(/[<>&"]/g, '')}</text>
      <rect x="${left}" y="${y + 2}" width="${sx(r.value) - left}" height="10" fill="#8fb3e8"/>${ci}
      <text x="${w - right + 4}" y="${y + 11}">${(r.value * 100).toFixed(1)}%</text>`;
  }).join('');
  // Drawn at its own pixel size (not scaled to the column), so labels keep the page's text size.
  const h = rows.length * rowH + 8;
  return `<svg class="chart bars" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}</svg>`;
}
