// The demo page: a live chart and the watchlist at once, then pick symbols, period, indicators and renderer, open
// charts and watch them move.
import { RTClient } from './rtclient.js';
import { MyCharts, echartsRenderer } from './mycharts.js';
import { lightweightRenderer } from './lwcharts.js';
import { Watchlist } from './watchlist.js';

/** @type {Record<string, import('./mycharts.js').RendererFactory>} */
const RENDERERS = { echarts: echartsRenderer, lightweight: lightweightRenderer };

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));
const client = new RTClient();
/** @type {Set<MyCharts>} */
const charts = new Set();
/** @type {Map<MyCharts, HTMLElement>} each chart's card */
const cards = new Map();
let closedUpdates = 0;
// The first screen moves: the first time the server lists symbols, a chart of one of them opens by itself.
let defaultOpened = false;
const params = new URLSearchParams(location.search);
// ?renderer=lightweight draws with Lightweight Charts from the start.
const wanted = params.get('renderer');
if (wanted && wanted in RENDERERS) /** @type {HTMLSelectElement} */ ($('#renderer')).value = wanted;
// ?maxRate=1: at most one update a second per chart and per watchlist line, as a phone on a slow link would ask.
const maxRate = Number(params.get('maxRate')) || undefined;
const watchlist = new Watchlist(client, { maxRate });
watchlist.addEventListener('change', queueWatchlist);
watchlist.addEventListener('error', (event) => showNotice(`watchlist: ${/** @type {CustomEvent} */ (event).detail.message}`));
// Handy in the console, and what the end-to-end test reads besides the page itself.
Object.assign(window, { demo: { client, charts, watchlist } });

client.addEventListener('state', showConnection);
client.addEventListener('welcome', loadSymbols);
client.on('notice', (data) => showNotice(data?.text ?? JSON.stringify(data)));
client.connect();
setInterval(showConnection, 1000); // the round trip changes without an event
setInterval(showWatching, 2000); // presence is counted every 2 s on the server (docs/protocol.md 1.11)

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
  const chart = new MyCharts(client, element, { renderer: RENDERERS[renderer], maxRate });
  charts.add(chart);
  cards.set(chart, card);
  card.dataset.mode = request.mode ?? 'dynamic';
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
    cards.delete(chart);
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
    // The watchlist shows every symbol the feed has (up to the 100 one connection may watch).
    watchlist.watch(data.symbols.slice(0, 100));
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

let watchlistQueued = false;

// A burst of quotes changes lines faster than a screen refreshes: redraw the table at most once per frame.
function queueWatchlist() {
  if (watchlistQueued) return;
  watchlistQueued = true;
  requestAnimationFrame(() => {
    watchlistQueued = false;
    showWatchlist();
  });
}

function showWatchlist() {
  const body = /** @type {HTMLTableSectionElement} */ ($('#watchlist tbody'));
  const rows = watchlist.symbols.filter((symbol) => watchlist.lines.has(symbol)).map((symbol) => {
    const line = /** @type {import('./watchlist.js').TickerLine} */ (watchlist.lines.get(symbol));
    let row = /** @type {HTMLTableRowElement | null} */ (body.querySelector(`tr[data-symbol="${CSS.escape(symbol)}"]`));
    if (!row) {
      row = document.createElement('tr');
      row.dataset.symbol = symbol;
      row.innerHTML = '<td class="symbol"></td><td class="price"></td><td class="change"></td><td class="volume"></td><td class="time"></td>';
    }
    const cell = (/** @type {string} */ name) => /** @type {HTMLElement} */ (row?.querySelector(`.${name}`));
    const change = cell('change');
    cell('symbol').textContent = symbol;
    cell('price').textContent = String(line.price);
    change.textContent = line.change === null ? '–' : `${line.change > 0 ? '+' : ''}${round(line.change)}${line.prevClose ? ` (${round(100 * line.change / line.prevClose)}%)` : ''}`;
    change.className = `change ${line.change === null || line.change === 0 ? '' : line.change > 0 ? 'up' : 'down'}`;
    cell('volume').textContent = line.volume.toLocaleString('en-US');
    cell('time').textContent = new Date(line.time).toISOString().slice(11, 19);
    if (row.dataset.seq !== String(line.seq)) {
      row.dataset.seq = String(line.seq);
      row.classList.remove('flash');
      void row.offsetWidth; // restarts the flash on a row that just flashed
      row.classList.add('flash');
    }
    return row;
  });
  if (rows.length) body.replaceChildren(...rows);
}

/** Two decimals, without trailing zeros. @param {number} value */
function round(value) {
  return String(Math.round(value * 100) / 100);
}

/** "N watching" on each live chart: how many connections, on every gateway, watch its chart (protocol 1.11). */
async function showWatching() {
  const keys = [...new Set([...charts].filter((chart) => chart.chart && cards.get(chart)?.dataset.mode === 'dynamic').map((chart) => /** @type {string} */ (chart.chart)))];
  if (client.state !== 'connected' || !keys.length) return;
  try {
    const { data } = await client.request('presence', { charts: keys });
    for (const [chart, card] of cards) {
      // A static chart is history read once: nobody "watches" it.
      const count = chart.chart && card.dataset.mode === 'dynamic' ? data.charts?.[chart.chart] : undefined;
      /** @type {HTMLElement} */ (card.querySelector('.watching')).textContent = count === undefined ? '–' : String(count);
    }
  } catch {
    // Presence is a nicety: the next round asks again.
  }
}
