// A stand-in gateway speaking docs/protocol.md section 1 (login, frames, charts) and serving the built client.
// The real gateway is tested end to end elsewhere; this one lets the browser tests produce, on demand, what the
// real cluster does only under load or failure: refused logins, drops with any close code, conflated updates.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import { WebSocketServer } from 'ws';

export const SESSION = 'fake-session-key';
// The sources as they are, and ECharts from node_modules: the tests need no build step.
const sources = fileURLToPath(new URL('../src/', import.meta.url));
const echartsFile = fileURLToPath(new URL('../node_modules/echarts/dist/echarts.esm.min.js', import.meta.url));
const lightweightFile = fileURLToPath(new URL('../node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.mjs', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const BLANK = '<!doctype html><meta charset="utf-8"><script type="importmap">{"imports":{"echarts":"/echarts.esm.min.js","lightweight-charts":"/lightweight-charts.esm.min.js"}}</script><body>';

/** @typedef {[number, number, number, number, number, number]} Bar */

export class FakeGateway {
  /** Upgrade attempts (ms timestamps), refused or not. */
  attempts = [];
  /** Every frame clients sent, parsed. */
  received = [];
  /** While true, upgrades are answered 503 (a gateway that is down). */
  refuse = false;
  /** While true, the session store is out: upgrades and the session check answer 503 with `retryAfter`. */
  storeDown = false;
  /** Seconds in the Retry-After of a 503 for `storeDown`. */
  retryAfter = 1;
  /** While true, the page's origin is refused: upgrades and the session check answer 403. */
  forbidden = false;
  /** While true, the session check drops its connection without an answer. */
  checkUnreachable = false;
  /** Session checks asked (ms timestamps). */
  checks = [];
  /** While true, frames are read but never answered (a peer that vanished without closing). */
  mute = false;
  heartbeatSeconds = 15;
  /** @type {Set<import('ws').WebSocket>} */ sockets = new Set();
  /** @type {Map<string, Bar[]>} history by `SYMBOL|PERIOD` */ #bars = new Map();
  /** @type {Map<string, {key: string, indicators: string[], epoch: string, seq: number, log: any[], merged?: any}>} */ #charts = new Map();
  #withhold = 0;
  #merge = 0;

  async start(port = 0) {
    this.http = createServer((req, res) => this.#serve(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
    await new Promise((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.http.address().port}`;
    return this;
  }

  async stop() {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    await new Promise((resolve) => this.http.close(resolve));
  }

  /** Closes every connection with this code, as the real gateway does on drain (1001) or logout (4001). */
  drop(code, reason = '') {
    for (const socket of this.sockets) socket.close(code, reason);
  }

  /** Sets a symbol's history for one period. @param {string} symbol @param {string} period @param {Bar[]} bars */
  history(symbol, period, bars) {
    this.#bars.set(`${symbol}|${period}`, bars.map((bar) => [...bar]));
  }

  /** The next `count` updates are computed but not sent: updates lost on the way. */
  withhold(count) {
    this.#withhold = count;
  }

  /**
   * Upserts one bar and pushes `chart.update` (that bar and its indicators) to every chart on that symbol and period;
   * `revision`: the update says it changes a final bar (protocol 1.9). @param {Bar} bar
   */
  bar(symbol, period, bar, { revision = false } = {}) {
    const bars = this.#bars.get(`${symbol}|${period}`) ?? [];
    const last = bars[bars.length - 1];
    if (last && last[0] === bar[0]) bars[bars.length - 1] = [...bar];
    else bars.push([...bar]);
    this.#bars.set(`${symbol}|${period}`, bars);
    const withheld = this.#withhold > 0;
    if (withheld) this.#withhold--;
    const merging = this.#merge > 1;
    if (merging) this.#merge--;
    for (const chart of this.#charts.values()) {
      if (!chart.key.startsWith(`${symbol}|${period}|`)) continue;
      const values = indicatorValues(bars, chart.indicators);
      const n = bars.length;
      const seq = ++chart.seq;
      let update = {
        chart: chart.key, epoch: chart.epoch, seq, prev: seq - 1,
        bars: bars.slice(-1),
        indicators: values.map((ind) => ind.values.slice(n - 1, n)),
        ...(revision ? { revision: true } : {}),
      };
      chart.log.push(update);
      if (chart.log.length > 256) chart.log.shift();
      if (withheld) continue;
      if (chart.merged) update = mergeUpdates(chart.merged, update);
      chart.merged = merging ? update : null;
      if (merging) continue;
      for (const socket of this.sockets) {
        for (const key of socket.charts.values()) if (key === chart.key) send(socket, { type: 'chart.update', data: update });
      }
    }
  }

  /** The next `count` updates of each chart go out as one, merged as a slow reader's queue merges them. */
  merge(count) {
    this.#merge = count;
  }

  /** Sends the last update of every chart again: a repeat the client must ignore. */
  repeatLast() {
    for (const chart of this.#charts.values()) {
      const update = chart.log[chart.log.length - 1];
      if (!update) continue;
      for (const socket of this.sockets) {
        for (const key of socket.charts.values()) if (key === chart.key) send(socket, { type: 'chart.update', data: update });
      }
    }
  }

  /** Restarts the computation of every chart on this symbol and period: new epoch, an unasked snapshot to viewers. */
  restart(symbol, period) {
    for (const chart of this.#charts.values()) {
      if (!chart.key.startsWith(`${symbol}|${period}|`)) continue;
      Object.assign(chart, { epoch: crypto.randomUUID().replaceAll('-', ''), seq: 0, log: [] });
      const { bars, indicators } = this.snapshot(symbol, period, chart.indicators);
      const data = { chartId: null, chart: chart.key, symbol, period, mode: 'dynamic', epoch: chart.epoch, seq: 0, bars, indicators };
      for (const socket of this.sockets) if ([...socket.charts.values()].includes(chart.key)) send(socket, { type: 'chart.snapshot', data });
    }
  }

  /** What a fresh snapshot of this chart holds: the truth a client's copy must equal. */
  snapshot(symbol, period, indicators) {
    const bars = this.#bars.get(`${symbol}|${period}`) ?? [];
    return { bars, indicators: indicatorValues(bars, indicators) };
  }

  async #serve(req, res) {
    const path = new URL(req.url, 'http://x').pathname;
    // An empty page with the client's modules at hand, for tests that build their own clients.
    if (path === '/blank.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(BLANK);
    if (path === '/ws/session') return this.#checkSession(req, res);
    try {
      const file = path === '/echarts.esm.min.js' ? echartsFile
        : path === '/lightweight-charts.esm.min.js' ? lightweightFile
          : sources + (path === '/' ? 'index.html' : path.slice(1).replaceAll('..', ''));
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(path || '.html')] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  }

  // The gateway's GET /ws/session: why an upgrade was (or would be) refused.
  #checkSession(req, res) {
    this.checks.push(Date.now());
    if (this.checkUnreachable) return req.socket.destroy();
    if (this.forbidden) return res.writeHead(403).end();
    if (this.storeDown) return res.writeHead(503, { 'retry-after': String(this.retryAfter) }).end();
    res.writeHead(sessionOf(req) === SESSION ? 204 : 401).end();
  }

  #upgrade(req, socket, head) {
    this.attempts.push(Date.now());
    const refuse = (status, text) => socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    if (this.forbidden) return refuse(403, 'Forbidden');
    if (this.refuse) return refuse(503, 'Service Unavailable');
    if (this.storeDown) return refuse(503, 'Service Unavailable');
    if (sessionOf(req) !== SESSION) return refuse(401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.charts = new Map();
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (text) => this.#message(ws, JSON.parse(String(text))));
      send(ws, { type: 'welcome', data: { userId: '42', instanceId: crypto.randomUUID().replaceAll('-', ''), heartbeatSeconds: this.heartbeatSeconds, maxFrameBytes: 65536 } });
    });
  }

  #message(ws, frame) {
    this.received.push(frame);
    if (this.mute) return;
    const reply = (type, data) => send(ws, { type, data, id: frame.id });
    const error = (code, message) => send(ws, { type: 'error', data: { code, message, ref: frame.id ?? null }, id: frame.id });
    if (frame.type === 'ping') return reply('pong', { time: Date.now() });
    if (frame.type === 'echo') return reply('echo', frame.data);
    if (frame.type === 'push') return send(ws, frame.data); // the test asks for a push of its own making
    if (frame.type === 'symbols') return reply('symbols', { symbols: [...new Set([...this.#bars.keys()].map((k) => k.split('|')[0]))].sort() });
    if (frame.type !== 'mychart') return error('unknown_type', `no handler for '${frame.type}'`);
    const { action, chartId } = frame.data ?? {};
    if (action === 'close') {
      if (!ws.charts.delete(chartId)) return error('not_found', `chart '${chartId}' is not open`);
      return reply('chart.closed', { chartId });
    }
    const open = action === 'open';
    if (open && ws.charts.has(chartId)) return error('invalid_data', `'chartId' ${chartId} is already open`);
    if (!open && !ws.charts.has(chartId)) return error('not_found', `chart '${chartId}' is not open`);
    const { symbol, period, indicators = [], mode = 'dynamic', resume } = frame.data;
    if (!this.#bars.has(`${symbol}|${period}`)) return error('not_found', `unknown symbol '${symbol}'`);
    const key = `${symbol}|${period}|${indicators.join(';')}`;
    let chart = this.#charts.get(key);
    if (!chart) this.#charts.set(key, chart = { key, indicators, epoch: crypto.randomUUID().replaceAll('-', ''), seq: 0, log: [] });
    if (mode === 'dynamic') ws.charts.set(chartId, key);
    const missed = resume?.epoch === chart.epoch ? chart.log.filter((u) => u.seq > resume.seq) : null;
    if (missed && (missed.length === chart.seq - resume.seq)) {
      reply('chart.resumed', { chartId, chart: key, epoch: chart.epoch, seq: resume.seq });
      for (const update of missed) send(ws, { type: 'chart.update', data: update });
      return;
    }
    const { bars, indicators: values } = this.snapshot(symbol, period, indicators);
    reply('chart.snapshot', { chartId, chart: key, symbol, period, mode, epoch: chart.epoch, seq: chart.seq, bars, indicators: values });
  }
}

function sessionOf(req) {
  return /(?:^|;\s*)sessionid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
}

function send(ws, frame) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

/**
 * Made-up but deterministic indicators: MACD-like names get three outputs, the rest a 5-bar mean of closes.
 * Bars before a mean exists have a null row, as the real server sends them; MACD's have a row of nulls.
 */
function indicatorValues(bars, names) {
  const mean = (j) => (j < 4 ? null : bars.slice(j - 4, j + 1).reduce((s, b) => s + b[4], 0) / 5);
  return names.map((name) => /^MACD/i.test(name)
    ? { name, outputs: ['macd', 'signal', 'hist'], values: bars.map((b, j) => (mean(j) === null ? [null, null, null] : [b[4] - mean(j), 0, b[4] - mean(j)])) }
    : { name, outputs: ['value'], values: bars.map((_, j) => (mean(j) === null ? null : [mean(j)])) });
}

/** Two updates as one: every bar either changed (the newer wins), following the older one's `prev`. */
function mergeUpdates(older, newer) {
  const byTime = new Map();
  older.bars.forEach((bar, k) => byTime.set(bar[0], { bar, outputs: older.indicators.map((ind) => ind[k]) }));
  newer.bars.forEach((bar, k) => byTime.set(bar[0], { bar, outputs: newer.indicators.map((ind) => ind[k]) }));
  const points = [...byTime.values()].sort((a, b) => a.bar[0] - b.bar[0]);
  return {
    ...newer,
    prev: older.prev,
    bars: points.map((p) => p.bar),
    indicators: newer.indicators.map((_, i) => points.map((p) => p.outputs[i])),
  };
}
