// The demo page: a live chart at once, then pick symbols, period, indicators and renderer, open charts and watch them move.
import { RTClient } from './rtclient.js';
import { MyCharts, echartsRenderer } from './mycharts.js';
import { lightweightRenderer } from './lwcharts.js';

/** @type {Record<string, import('./mycharts.js').RendererFactory>} */
const RENDERERS = { echarts: echartsRenderer, lightweight: lightweightRenderer };

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));
const client = new RTClient();
/** @type {Set<MyCharts>} */
const charts = new Set();
let closedUpdates = 0;
// The first screen moves: the first time the server lists symbols, a chart of one of them opens by itself.
let defaultOpened = false;
// ?renderer=lightweight draws with Lightweight Charts from the start.
const wanted = new URLSearchParams(location.search).get('renderer');
if (wanted && wanted in RENDERERS) /** @type {HTMLSelectElement} */ ($('#renderer')).value = wanted;
// Handy in the console, and what the end-to-end test reads besides the page itself.
Object.assign(window, { demo: { client, charts } });

client.addEventListener('state', showConnection);
client.addEventListener('welcome', loadSymbols);
client.on('notice', (data) => showNotice(data?.text ?? JSON.stringify(data)));
client.connect();
setInterval(showConnection, 1000); // the round trip changes without an event

$('#picker').addEventListener('submit', (event) => {
  event.preventDefault();
  const checked = (/** @type {string} */ box) => [...document.querySelectorAll(`${box} input:checked`)].map((i) => /** @type {HTMLInputElement} */ (i).value);
  defaultOpened = true; // a chart asked for: the default one is no longer needed
  const other = /** @type {HTMLInputElement} */ ($('#symbol-other')).value.trim();
  const symbols = [...checked('#symbols'), ...(other ? [other] : [])];
  if (!symbols.length) return showNotice('Pick a symbol first.');
  for (const symbol of symbols) {
    openChart({
      symbol,
      period: /** @type {HTMLSelectElement} */ ($('#period')).value,
      mode: /** @type {'static' | 'dynamic'} */ (/** @type {HTMLSelectElement} */ ($('#mode')).value),
      indicators: checked('#indicators'),
    });
  }
});

/** The indicators ticked in the picker. */
function checkedIndicators() {
  return [...document.querySelectorAll('#indicators input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
}

/** @param {import('./mycharts.js').ChartRequest} request */
function openChart(request) {
  const card = /** @type {HTMLElement} */ (/** @type {HTMLTemplateElement} */ ($('#chart-card')).content.firstElementChild?.cloneNode(true));
  const find = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (card.querySelector(selector));
  const field = /** @type {HTMLInputElement} */ (find('.indicators'));
  const element = find('.chart');
  const size = (/** @type {string[]} */ indicators) => { element.style.height = `${340 + 90 * MyCharts.paneCount(indicators)}px`; };
  size(request.indicators ?? []);
  $('#charts').prepend(card);

  const renderer = /** @type {HTMLSelectElement} */ ($('#renderer')).value;
  const chart = new MyCharts(client, element, { renderer: RENDERERS[renderer] });
  charts.add(chart);
  const choice = /** @type {HTMLSelectElement} */ (find('.renderer'));
  choice.value = renderer;
  card.dataset.renderer = renderer;
  choice.addEventListener('change', () => {
    chart.setRenderer(RENDERERS[choice.value]);
    card.dataset.renderer = choice.value;
  });
  find('.title').textContent = `${request.symbol} · ${request.period}${request.mode === 'static' ? ' · static' : ''}`;
  field.value = (request.indicators ?? []).join('; ');
  chart.addEventListener('change', () => showChart(card, chart));
  chart.request(request);

  find('.edit').addEventListener('submit', (event) => {
    event.preventDefault();
    const indicators = field.value.split(';').map((s) => s.trim()).filter(Boolean);
    size(indicators);
    chart.setIndicators(indicators);
  });
  find('.close').addEventListener('click', () => {
    closedUpdates += chart.stats.updates;
    charts.delete(chart);
    chart.dispose();
    card.remove();
    showConnection();
  });
}

/** @param {HTMLElement} card  @param {MyCharts} chart */
function showChart(card, chart) {
  const set = (/** @type {string} */ selector, /** @type {any} */ value) => { /** @type {HTMLElement} */ (card.querySelector(selector)).textContent = String(value); };
  const last = chart.bars[chart.bars.length - 1];
  card.dataset.status = chart.status;
  set('.status', chart.error ?? chart.status);
  set('.bars', chart.bars.length);
  set('.updates', chart.stats.updates);
  set('.seq', chart.epoch ? chart.seq : '–');
  set('.resumes', chart.stats.resumes);
  set('.last', last ? `${new Date(last[0]).toISOString().slice(11, 16)} ${last[4]}` : '–');
  showConnection();
}

function showConnection() {
  $('#connection').dataset.state = client.state;
  $('#state').textContent = client.state;
  $('#user').textContent = client.welcome?.userId ?? '–';
  $('#reconnects').textContent = String(client.stats.reconnects);
  $('#updates').textContent = String([...charts].reduce((sum, chart) => sum + chart.stats.updates, closedUpdates));
  $('#rtt').textContent = client.stats.rttMs === null ? '–' : `${client.stats.rttMs} ms`;
  if (client.state === 'logged-out') showNotice('Not logged in, or logged out by the site: log in on the site and reload.');
  else if (client.state === 'forbidden') showNotice('The gateway does not accept pages from this origin (Gateway:AllowedOrigins).');
  else if (client.state === 'reconnecting' && client.stats.lastRefusal === 503) showNotice('The login service is unavailable; retrying.');
  else if (client.state === 'reconnecting' && !client.welcome) showNotice('Cannot reach the gateway; retrying.');
  else if (client.state === 'connected' && $('#notice').dataset.kind === 'connection') $('#notice').hidden = true;
}

async function loadSymbols() {
  const box = $('#symbols');
  try {
    const { data } = await client.request('symbols');
    const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value));
    box.replaceChildren(...data.symbols.map((/** @type {string} */ symbol) => {
      const label = document.createElement('label');
      label.innerHTML = `<input type="checkbox" name="symbol">`;
      const input = /** @type {HTMLInputElement} */ (label.firstElementChild);
      input.value = symbol;
      input.checked = checked.has(symbol);
      label.append(symbol);
      return label;
    }));
    if (!data.symbols.length) {
      box.innerHTML = '<span class="hint">no quotes yet; start the demo feed</span>';
      // Ask again until there are some, so the first chart still opens by itself.
      if (!defaultOpened) setTimeout(() => { if (client.state === 'connected' && !defaultOpened) loadSymbols(); }, 3000);
    } else if (!defaultOpened) {
      openDefaultChart(data.symbols);
    }
  } catch (error) {
    box.innerHTML = `<span class="hint">symbols unavailable (${/** @type {Error} */ (error).message}); type one</span>`;
  }
}

/**
 * The chart a newcomer sees without a click: AAPL (or the first symbol) live, one-minute bars, the indicators ticked in
 * the picker. Only on the first load, and only when no chart is open yet.
 * @param {string[]} symbols
 */
function openDefaultChart(symbols) {
  defaultOpened = true;
  if (charts.size > 0) return;
  const symbol = symbols.includes('AAPL') ? 'AAPL' : symbols[0];
  const box = /** @type {HTMLInputElement | null} */ ([...document.querySelectorAll('#symbols input')].find((i) => /** @type {HTMLInputElement} */ (i).value === symbol) ?? null);
  if (box) box.checked = true;
  openChart({ symbol, period: /** @type {HTMLSelectElement} */ ($('#period')).value, mode: 'dynamic', indicators: checkedIndicators() });
}

/** @param {string} text */
function showNotice(text) {
  const notice = $('#notice');
  notice.textContent = text;
  notice.dataset.kind = /log in|connect/i.test(text) ? 'connection' : 'message';
  notice.hidden = false;
}
