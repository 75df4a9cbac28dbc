// The audit UI: a hash router over four views. Everything it shows comes from the JSON API under /api.
import { TOKEN_KEY, api, parseHash, esc } from './util.js';
import { listView } from './list.js';
import { runView } from './run.js';
import { modelsView } from './models.js';

const main = document.getElementById('main');
let timer = null;

// Views return an optional refresh callback; the router calls it on the server's refresh interval while it asks.
async function route() {
  clearInterval(timer);
  const { path, params } = parseHash();
  try {
    let refresh = null;
    if (path.startsWith('/run/')) refresh = await runView(main, decodeURIComponent(path.slice(5)), params);
    else if (path === '/models') await modelsView(main);
    else refresh = await listView(main, params);
    if (refresh) timer = setInterval(refresh, (window.refreshSeconds || 5) * 1000);
  } catch (e) {
    main.innerHTML = `<p class="message error">${esc(e.message)}</p>`;
  }
}

async function start() {
  const token = document.getElementById('token');
  token.value = sessionStorage.getItem(TOKEN_KEY) || '';
  token.addEventListener('change', () => {
    if (token.value) sessionStorage.setItem(TOKEN_KEY, token.value); else sessionStorage.removeItem(TOKEN_KEY);
  });
  try {
    const info = await api('info');
    window.refreshSeconds = info.refresh_seconds;
    document.getElementById('store').textContent = `${info.store}${info.actions_enabled ? '' : ' · read-only'}`;
  } catch (e) { /* the views report the API's state */ }
  window.addEventListener('hashchange', route);
  await route();
}

start();
