// Small helpers shared by the views: API calls, HTML building with escaping, formatting.

export const TOKEN_KEY = 'pipeline.ui.token';

export async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json', ...(options.headers || {}) };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && options.method && options.method !== 'GET') headers['Authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/${path}`, { ...options, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(data && (data.detail || data.title) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

// A workflow id in a path: each segment encoded, the slashes kept (the API's {**id} routes take them as they are).
export const idPath = id => id.split('/').map(encodeURIComponent).join('/');

export const runLink = (id, runId) => `#/run/${idPath(id)}${runId ? `?run=${encodeURIComponent(runId)}` : ''}`;

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = value => String(value ?? '').replace(/[&<>"']/g, c => ESCAPES[c]);

// html`<td>${x}</td>`: interpolated values are escaped unless wrapped in raw().
export function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), '');
}
const RAW = Symbol('raw');
export const raw = text => ({ [RAW]: text });
function render(v) {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && RAW in v) return v[RAW];
  return esc(v);
}

export const badge = status => raw(`<span class="badge s-${esc(status)}">${esc(status)}</span>`);

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function num(v, digits = 3) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

export const json = value => raw(`<pre>${esc(JSON.stringify(value, null, 2))}</pre>`);

export function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}
