// @ts-check
// MyCharts: one candlestick chart (volume and indicators) drawn from the `mychart` frames of docs/protocol.md 1.9.
// The data side is a LiveChart; the drawing is a renderer: Apache ECharts by default (this module), or TradingView's
// Lightweight Charts (lwcharts.js). The page maps the bare specifiers 'echarts' (and 'lightweight-charts', when it
// uses that renderer) to the served ESM builds with an import map.
import * as echarts from 'echarts';
import { LiveChart } from './livechart.js';
import { OVERLAY, UP, DOWN, seriesName, isHistogram } from './chartstyle.js';

export { LiveChart };

/**
 * @typedef {import('./rtclient.js').RTClient} RTClient
 * @typedef {import('./livechart.js').Bar} Bar
 * @typedef {import('./livechart.js').Indicator} Indicator
 * @typedef {import('./livechart.js').ChartRequest} ChartRequest
 * @typedef {import('./livechart.js').ChartStatus} ChartStatus
 * @typedef {{chart: string | null, symbol: string, period: string, bars: Bar[], indicators: Indicator[]}} ChartView what a renderer draws
 * @typedef {{full: boolean, from: number}} Change `full`: draw everything afresh (a snapshot, another chart, bars dropped
 *   from the front); otherwise only the bars from index `from` on changed
 * @typedef {{bars: Bar[], series: Record<string, (number | null)[]>}} Drawn what a renderer holds: bars and each indicator
 *   series by its name, a value per bar (null where none), for tests and anyone comparing renderers
 * @typedef {object} ChartRenderer draws a ChartView into an element
 * @property {(view: ChartView, change: Change) => void} draw
 * @property {() => void} showLoading
 * @property {() => void} hideLoading
 * @property {(message: string) => void} showError
 * @property {() => Drawn} drawn
 * @property {() => void} dispose
 * @typedef {(element: HTMLElement) => ChartRenderer} RendererFactory
 * @typedef {{renderer?: RendererFactory, maxRate?: number}} MyChartsOptions `maxRate`: the default of every request's (1.9, Cadence)
 */

const FIXED_COLUMNS = 7; // time, open, high, low, close, volume, direction

/** @extends {EventTarget} Events: `change` after every snapshot, update or status change; `error` (detail: RTError). */
export class MyCharts extends EventTarget {
  #data;
  #element;
  /** @type {ChartRenderer} */ #view;
  /** @type {number | undefined} */ #maxRate;
  /** @type {Change | null} */ #pending = null;
  #renderQueued = false;

  /** @param {RTClient} client  @param {HTMLElement} element  @param {MyChartsOptions} [options] */
  constructor(client, element, options = {}) {
    super();
    this.#element = element;
    this.#maxRate = options.maxRate;
    this.#view = (options.renderer ?? echartsRenderer)(element);
    this.#data = new LiveChart(client);
    this.#data.addEventListener('status', () => {
      if (this.#data.status === 'error') this.#view.showError(this.#data.error ?? 'error');
      this.dispatchEvent(new CustomEvent('change'));
    });
    this.#data.addEventListener('error', (event) => this.dispatchEvent(new CustomEvent('error', { detail: /** @type {CustomEvent} */ (event).detail })));
    this.#data.addEventListener('snapshot', () => {
      this.#view.hideLoading();
      this.#pending = null;
      this.#render({ full: true, from: 0 });
    });
    this.#data.addEventListener('update', (event) => {
      const { from, trimmed } = /** @type {CustomEvent<import('./livechart.js').UpdateDetail>} */ (event).detail;
      const earlier = this.#pending;
      this.#pending = { full: trimmed > 0 || (earlier?.full ?? false), from: Math.min(from, earlier ? earlier.from - trimmed : Infinity) };
      this.#queueRender();
    });
  }

  get chartId() { return this.#data.chartId; }
  get status() { return this.#data.status; }
  /** the server's chart key, `SYMBOL|PERIOD|IND;...` */
  get chart() { return this.#data.chart; }
  get epoch() { return this.#data.epoch; }
  get seq() { return this.#data.seq; }
  get bars() { return this.#data.bars; }
  get indicators() { return this.#data.indicators; }
  get error() { return this.#data.error; }
  /** Whether bar `index` is closed (protocol 1.9); the last bar forms until its period is over. @param {number} index */
  isFinal(index) { return this.#data.isFinal(index); }
  get stats() { return this.#data.stats; }

  /**
   * Shows the requested chart: opens it, or changes the open one in place. `dynamic` (the default) keeps it live,
   * across reconnects too; `static` draws history once.
   * @param {ChartRequest} request
   */
  request(request) {
    this.#view.showLoading();
    this.#data.request(this.#maxRate !== undefined && request.maxRate === undefined ? { ...request, maxRate: this.#maxRate } : request);
  }

  /** @param {string[]} indicators */
  setIndicators(indicators) {
    if (!this.#data.requested) throw new Error('request a chart first');
    this.request({ ...this.#data.requested, indicators });
  }

  /** Draws with another renderer from now on (ECharts, Lightweight Charts), in the same element. @param {RendererFactory} renderer */
  setRenderer(renderer) {
    this.#view.dispose();
    this.#element.replaceChildren();
    this.#view = renderer(this.#element);
    if (this.#data.chart !== null) this.#render({ full: true, from: 0 });
    else if (this.#data.status === 'error') this.#view.showError(this.#data.error ?? 'error');
    else if (this.#data.status === 'opening') this.#view.showLoading();
  }

  /** What the renderer holds: bars and indicator series by name. @returns {Drawn} */
  drawn() {
    return this.#view.drawn();
  }

  /** Stops the chart on the server; the drawing stays until `dispose`. */
  close() {
    this.#data.close();
  }

  dispose() {
    this.#data.dispose();
    this.#view.dispose();
  }

  // Quotes can arrive far faster than a screen refreshes: draw at most once per frame, only the data.
  #queueRender() {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    requestAnimationFrame(() => {
      this.#renderQueued = false;
      const change = this.#pending;
      this.#pending = null;
      if (change) this.#render(change);
    });
  }

  /** @param {Change} change */
  #render(change) {
    const request = this.#data.requested;
    this.#view.draw({ chart: this.#data.chart, symbol: request?.symbol ?? '', period: request?.period ?? '1m', bars: this.#data.bars, indicators: this.#data.indicators }, change);
    this.dispatchEvent(new CustomEvent('change'));
  }

  /** How many panes below volume these indicators need, so a page can size the chart's element. @param {string[]} indicators */
  static paneCount(indicators) {
    return indicators.filter((name) => !OVERLAY.test(name)).length;
  }
}

/** Draws with Apache ECharts: one dataset, candles and overlays, volume, then one pane per other indicator. @type {RendererFactory} */
export function echartsRenderer(element) {
  const chart = echarts.init(element);
  const resizer = new ResizeObserver(() => chart.resize());
  resizer.observe(element);
  let layoutKey = '';
  return {
    draw(view) {
      // The six values of a bar: anything a bar carries after them is not drawn and must not shift the columns.
      const source = view.bars.map((bar, j) => [...bar.slice(0, 6), bar[4] >= bar[1] ? 1 : -1,
        ...view.indicators.flatMap((ind) => ind.values[j] ?? ind.outputs.map(() => null))]);
      // ECharts diffs one dataset cheaply, so every change redraws it whole; only another chart changes the layout.
      if (`${view.chart}` === layoutKey) {
        chart.setOption({ dataset: { source } });
      } else {
        layoutKey = `${view.chart}`;
        chart.setOption(echartsOption(view, source), { notMerge: true });
      }
    },
    showLoading: () => chart.showLoading(),
    hideLoading: () => chart.hideLoading(),
    showError(message) {
      chart.hideLoading();
      chart.setOption({ title: { text: message, left: 'center', top: 'middle', textStyle: { color: DOWN, fontSize: 13 } } }, { notMerge: true });
      layoutKey = '';
    },
    drawn() {
      const option = /** @type {any} */ (chart.getOption());
      /** @type {any[][]} */
      const source = option.dataset?.[0]?.source ?? [];
      /** @type {Record<string, (number | null)[]>} */
      const series = {};
      for (const s of option.series ?? []) {
        if (s.type === 'candlestick' || s.name === 'volume') continue;
        const column = Array.isArray(s.encode.y) ? s.encode.y[0] : s.encode.y;
        series[s.name] = source.map((row) => row[column] ?? null);
      }
      return { bars: source.map((row) => /** @type {Bar} */ (row.slice(0, 6))), series };
    },
    dispose() {
      resizer.disconnect();
      chart.dispose();
    },
  };
}

/** The whole ECharts option for a chart. @param {ChartView} view  @param {any[][]} source */
function echartsOption(view, source) {
  const panes = view.indicators.filter((ind) => !OVERLAY.test(ind.name));
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
  const period = view.period;
  const xAxis = grids.map((_, g) => ({
    type: 'category', gridIndex: g, boundaryGap: true, axisLine: { onZero: false, show: g === grids.length - 1 },
    axisLabel: { show: g === grids.length - 1, formatter: (/** @type {string} */ v) => formatTime(Number(v), period) },
    axisTick: { show: g === grids.length - 1 }, axisPointer: { label: { show: g === grids.length - 1 } },
  }));
  // Prices and oscillators fit their range; volume keeps its zero so bar heights compare.
  const yAxis = grids.map((_, g) => ({ scale: g !== 1, gridIndex: g, splitNumber: g === 0 ? 5 : 2, axisLabel: { fontSize: 10 } }));
  /** @type {any[]} */
  const series = [
    { type: 'candlestick', name: view.symbol, encode: { x: 0, y: [1, 4, 3, 2] }, itemStyle: { color: UP, color0: DOWN, borderColor: UP, borderColor0: DOWN } },
    { type: 'bar', name: 'volume', xAxisIndex: 1, yAxisIndex: 1, encode: { x: 0, y: 5 } },
  ];
  let column = FIXED_COLUMNS;
  for (const indicator of view.indicators) {
    const pane = OVERLAY.test(indicator.name) ? 0 : 2 + panes.indexOf(indicator);
    for (const output of indicator.outputs) {
      const name = seriesName(indicator, output);
      const bar = isHistogram(output);
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

/** @param {number} time  @param {string} period */
function formatTime(time, period) {
  const iso = new Date(time).toISOString();
  return period.endsWith('d') ? iso.slice(0, 10) : period.endsWith('h') ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}
