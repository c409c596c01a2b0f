// @ts-check
// MyCharts: one candlestick chart (volume and indicators) drawn with Apache ECharts from the `mychart` frames of
// docs/protocol.md 1.9. The page maps the bare specifier 'echarts' to the served ESM build with an import map.
import * as echarts from 'echarts';

/**
 * @typedef {import('./rtclient.js').RTClient} RTClient
 * @typedef {import('./rtclient.js').RTError} RTError
 * @typedef {[number, number, number, number, number, number]} Bar time (open, unix ms), open, high, low, close, volume
 * @typedef {{name: string, outputs: string[], values: ((number | null)[] | null)[]}} Indicator values[j]: outputs at bar j, or null
 * @typedef {{symbol: string, period: string, mode?: 'static' | 'dynamic', indicators?: string[], count?: number}} ChartRequest
 * @typedef {'idle' | 'opening' | 'live' | 'error' | 'closed'} ChartStatus
 * @typedef {{chartId: string | null, chart: string, epoch: string, seq: number, mode: string, bars: Bar[], indicators: Indicator[]}} Snapshot
 * @typedef {{chart: string, epoch: string, seq: number, prev: number, bars: Bar[], indicators: ((number | null)[] | null)[][]}} Update
 * @typedef {{chartId: string, chart: string, epoch: string, seq: number}} Resumed
 */

// Indicators drawn over the candles on the price axis; any other indicator gets a pane of its own.
const OVERLAY = /^(MA|SMA|EMA|WMA|BOLL|BBANDS|VWAP)\b/i;
const UP = '#26a69a';
const DOWN = '#ef5350';
const FIXED_COLUMNS = 7; // time, open, high, low, close, volume, direction

/** @extends {EventTarget} Events: `change` after every snapshot, update or status change; `error` (detail: RTError). */
export class MyCharts extends EventTarget {
  /** @type {WeakMap<RTClient, Map<string, MyCharts>>} every chart of one client, by its current chartId */
  static #routes = new WeakMap();
  static #lastId = 0;

  #client;
  #echart;
  #resizer;
  /** @type {ChartRequest | null} */ #request = null;
  /** @type {(() => void) | null} */ #unsubscribe = null;
  #renderQueued = false;
  #layoutKey = '';

  chartId = MyCharts.#newId();
  /** @type {ChartStatus} */ status = 'idle';
  /** @type {string | null} the server's chart key, `SYMBOL|PERIOD|IND;...` */ chart = null;
  /** @type {string | null} */ epoch = null;
  seq = 0;
  /** @type {Bar[]} */ bars = [];
  /** @type {Indicator[]} */ indicators = [];
  /** @type {string | null} */ error = null;
  stats = { snapshots: 0, updates: 0, resumes: 0 };

  /** @param {RTClient} client  @param {HTMLElement} element */
  constructor(client, element) {
    super();
    this.#client = client;
    this.#echart = echarts.init(element);
    this.#resizer = new ResizeObserver(() => this.#echart.resize());
    this.#resizer.observe(element);
    MyCharts.#routesOf(client).set(this.chartId, this);
  }

  /**
   * Shows the requested chart: opens it, or changes the open one in place. `dynamic` (the default) keeps it live,
   * across reconnects too; `static` draws history once.
   * @param {ChartRequest} request
   */
  request(request) {
    const changing = this.#request !== null && this.status !== 'closed' && this.status !== 'error';
    this.#request = { mode: 'dynamic', indicators: [], count: 300, ...request };
    // Until the new snapshot arrives, frames of the old chart no longer apply, and there is nothing to resume.
    this.chart = null;
    this.epoch = null;
    this.#echart.showLoading();
    if (!changing) {
      this.#unsubscribe?.();
      this.#unsubscribe = this.#client.subscribe(`mychart:${this.chartId}`, () => this.#open());
      return;
    }
    this.#setStatus('opening');
    const { symbol, period, indicators, count } = this.#request;
    this.#send({ action: 'change', chartId: this.chartId, symbol, period, indicators, count });
  }

  /** @param {string[]} indicators */
  setIndicators(indicators) {
    if (!this.#request) throw new Error('request a chart first');
    this.request({ ...this.#request, indicators });
  }

  /** Stops the chart on the server; the drawing stays until `dispose`. */
  close() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.status === 'live' || this.status === 'opening') this.#closeOnServer();
    this.#setStatus('closed');
  }

  dispose() {
    this.close();
    MyCharts.#routesOf(this.#client).delete(this.chartId);
    this.#resizer.disconnect();
    this.#echart.dispose();
  }

  #open() {
    const request = /** @type {ChartRequest} */ (this.#request);
    const data = { action: 'open', chartId: this.chartId, ...request };
    if (request.mode === 'dynamic' && this.epoch !== null) {
      // The answer is `chart.resumed` and then only the updates we missed, or a snapshot when that is impossible.
      Object.assign(data, { resume: { epoch: this.epoch, seq: this.seq } });
    }
    this.#setStatus('opening');
    this.#send(data);
  }

  /** @param {object} data */
  #send(data) {
    try {
      this.#client.request('mychart', data).catch((error) => this.#failed(error));
    } catch (error) {
      this.#failed(error);
    }
  }

  /** @param {any} error */
  #failed(error) {
    // A lost connection is not the chart's fault: the subscription re-opens it after the next welcome.
    if (error?.code === 'disconnected' || error?.code === 'not_connected') return;
    if (error?.code === 'unavailable' && this.#unsubscribe) {
      setTimeout(() => { if (this.status === 'opening' && this.#client.state === 'connected') this.#open(); }, 2000);
      return;
    }
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    // A failed change leaves the old chart open on the server: let it go, and open afresh under a new id next time.
    this.#renew();
    this.error = error?.message ?? String(error);
    this.#echart.hideLoading();
    this.#echart.setOption({ title: { text: this.error, left: 'center', top: 'middle', textStyle: { color: DOWN, fontSize: 13 } } }, { notMerge: true });
    this.#layoutKey = '';
    this.#setStatus('error');
    this.dispatchEvent(new CustomEvent('error', { detail: error }));
  }

  /** @param {Snapshot} snapshot */
  #snapshot(snapshot) {
    // Pushed unasked (chartId null) when the server restarted the chart's computation: live views take it.
    if (snapshot.chartId === null && this.#request?.mode !== 'dynamic') return;
    Object.assign(this, { chart: snapshot.chart, epoch: snapshot.epoch, seq: snapshot.seq, bars: snapshot.bars, indicators: snapshot.indicators, error: null });
    this.stats.snapshots++;
    if (snapshot.mode === 'static') {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    }
    this.#echart.hideLoading();
    this.#setStatus('live');
    this.#render();
  }

  /** @param {Resumed} resumed */
  #resumed(resumed) {
    this.chart = resumed.chart;
    this.stats.resumes++;
    this.#setStatus('live');
  }

  /** @param {Update} update */
  #update(update) {
    // While (re-)opening, what the server pushes before its answer is covered by the snapshot or the replay.
    if (update.chart !== this.chart || this.status !== 'live' || this.#request?.mode !== 'dynamic') return;
    if (update.seq <= this.seq && update.epoch === this.epoch) return; // already held (a repeat, or older)
    // An update carries every bar changed since `prev`: it applies to any state from `prev` to `seq`. Another epoch
    // means we missed its snapshot, a later `prev` that we missed updates: either way, resume or re-open.
    if (update.epoch !== this.epoch || update.prev > this.seq) {
      this.#renew();
      this.#open();
      return;
    }
    update.bars.forEach((bar, k) => this.#upsert(bar, update.indicators.map((outputs) => outputs[k])));
    this.seq = update.seq;
    this.stats.updates++;
    this.#queueRender();
  }

  // A chartId stays taken on the server until closed, so re-opening on the same connection needs a new one.
  #renew() {
    this.#closeOnServer();
    const routes = MyCharts.#routesOf(this.#client);
    routes.delete(this.chartId);
    this.chartId = MyCharts.#newId();
    routes.set(this.chartId, this);
  }

  // Best effort: when not connected, or not open there, the server holds nothing to close.
  #closeOnServer() {
    try {
      this.#client.request('mychart', { action: 'close', chartId: this.chartId }).catch(() => {});
    } catch {
      // not connected
    }
  }

  /** A bar at a time we hold replaces ours, a later one appends; history stays at the requested length. */
  #upsert(/** @type {Bar} */ bar, /** @type {((number | null)[] | null)[]} */ outputs) {
    let j = this.bars.length - 1;
    while (j >= 0 && this.bars[j][0] > bar[0]) j--;
    const replace = j >= 0 && this.bars[j][0] === bar[0];
    const at = replace ? j : j + 1;
    this.bars.splice(at, replace ? 1 : 0, bar);
    this.indicators.forEach((indicator, i) => indicator.values.splice(at, replace ? 1 : 0, outputs[i]));
    const excess = this.bars.length - (this.#request?.count ?? 300);
    if (excess > 0) {
      this.bars.splice(0, excess);
      for (const indicator of this.indicators) indicator.values.splice(0, excess);
    }
  }

  // Quotes can arrive far faster than a screen refreshes: draw at most once per frame, only the data.
  #queueRender() {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    requestAnimationFrame(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  #render() {
    const source = this.bars.map((bar, j) => [...bar, bar[4] >= bar[1] ? 1 : -1,
      ...this.indicators.flatMap((ind) => ind.values[j] ?? ind.outputs.map(() => null))]);
    const layoutKey = `${this.chart}`;
    if (layoutKey === this.#layoutKey) {
      this.#echart.setOption({ dataset: { source } });
    } else {
      this.#layoutKey = layoutKey;
      this.#echart.setOption(this.#option(source), { notMerge: true });
    }
    this.dispatchEvent(new CustomEvent('change'));
  }

  /** The whole ECharts option: candles and overlays, volume, then one pane per other indicator. @param {any[][]} source */
  #option(source) {
    const panes = this.indicators.filter((ind) => !OVERLAY.test(ind.name));
    const paneHeight = Math.min(16, 44 / (panes.length || 1));
    const volumeTop = 80 - paneHeight * panes.length;
    const paneTops = [volumeTop, ...panes.map((_, p) => volumeTop + paneHeight * (p + 1))];
    const grids = [
      { top: 28, bottom: `${100 - volumeTop + 4}%` },
      ...paneTops.map((top) => ({ top: `${top}%`, height: `${paneHeight - 4}%` })),
    ].map((grid) => ({ left: 56, right: 16, ...grid }));
    // The legend names what is drawn over the candles; each pane below carries its own name.
    const titles = ['volume', ...panes.map((ind) => ind.name)].map((text, p) => ({
      text, left: 62, top: `${paneTops[p] - 1}%`, textStyle: { fontSize: 11, fontWeight: 'normal', color: '#6b7280' },
    }));
    /** @type {string[]} */
    const overlays = [];
    const period = this.#request?.period ?? '1m';
    const xAxis = grids.map((_, g) => ({
      type: 'category', gridIndex: g, boundaryGap: true, axisLine: { onZero: false, show: g === grids.length - 1 },
      axisLabel: { show: g === grids.length - 1, formatter: (/** @type {string} */ v) => formatTime(Number(v), period) },
      axisTick: { show: g === grids.length - 1 }, axisPointer: { label: { show: g === grids.length - 1 } },
    }));
    // Prices and oscillators fit their range; volume keeps its zero so bar heights compare.
    const yAxis = grids.map((_, g) => ({ scale: g !== 1, gridIndex: g, splitNumber: g === 0 ? 5 : 2, axisLabel: { fontSize: 10 } }));
    /** @type {any[]} */
    const series = [
      { type: 'candlestick', name: this.#request?.symbol, encode: { x: 0, y: [1, 4, 3, 2] }, itemStyle: { color: UP, color0: DOWN, borderColor: UP, borderColor0: DOWN } },
      { type: 'bar', name: 'volume', xAxisIndex: 1, yAxisIndex: 1, encode: { x: 0, y: 5 } },
    ];
    let column = FIXED_COLUMNS;
    for (const indicator of this.indicators) {
      const pane = OVERLAY.test(indicator.name) ? 0 : 2 + panes.indexOf(indicator);
      for (const output of indicator.outputs) {
        const name = indicator.outputs.length > 1 ? `${indicator.name.replace(/\(.*/, '')} ${output}` : indicator.name;
        const bar = /hist/i.test(output);
        if (pane === 0) overlays.push(name);
        series.push({ type: bar ? 'bar' : 'line', name, xAxisIndex: pane, yAxisIndex: pane, encode: { x: 0, y: column++ }, showSymbol: false, lineStyle: { width: 1.2 } });
      }
    }
    return {
      animation: false,
      dataset: { source },
      title: titles,
      legend: { top: 4, left: 56, type: 'scroll', itemWidth: 16, itemGap: 8, textStyle: { fontSize: 11 }, data: overlays },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' } },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      visualMap: { show: false, seriesIndex: 1, dimension: 6, pieces: [{ value: 1, color: UP }, { value: -1, color: DOWN }] },
      grid: grids,
      xAxis,
      yAxis,
      dataZoom: [{ type: 'inside', xAxisIndex: xAxis.map((_, i) => i), startValue: Math.max(0, source.length - 120) }],
      series,
    };
  }

  /** How many panes below volume these indicators need, so a page can size the chart's element. @param {string[]} indicators */
  static paneCount(indicators) {
    return indicators.filter((name) => !OVERLAY.test(name)).length;
  }

  /** @param {ChartStatus} status */
  #setStatus(status) {
    this.status = status;
    this.dispatchEvent(new CustomEvent('change'));
  }

  static #newId() {
    return `c${++MyCharts.#lastId}`;
  }

  /** The chart frames of one client go to its charts: registered once per client, routed by chartId or key. */
  /** @param {RTClient} client */
  static #routesOf(client) {
    let routes = MyCharts.#routes.get(client);
    if (routes) return routes;
    const byId = /** @type {Map<string, MyCharts>} */ (new Map());
    // A frame naming a chartId is for that chart; one without (updates, unasked snapshots) for every view of its key.
    const targets = (/** @type {{chartId?: string | null, chart: string}} */ data) => (data.chartId != null
      ? [byId.get(data.chartId)].filter((chart) => chart !== undefined)
      : [...byId.values()].filter((chart) => chart.chart === data.chart));
    client.on('chart.snapshot', (/** @type {Snapshot} */ data) => { for (const chart of targets(data)) chart.#snapshot(data); });
    client.on('chart.resumed', (/** @type {Resumed} */ data) => { for (const chart of targets(data)) chart.#resumed(data); });
    client.on('chart.update', (/** @type {Update} */ data) => { for (const chart of targets(data)) chart.#update(data); });
    client.on('chart.closed', () => {}); // the answer to our own close; the chart already shows it is closed
    MyCharts.#routes.set(client, byId);
    return byId;
  }
}

/** @param {number} time  @param {string} period */
function formatTime(time, period) {
  const iso = new Date(time).toISOString();
  return period.endsWith('d') ? iso.slice(0, 10) : period.endsWith('h') ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}
