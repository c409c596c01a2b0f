// @ts-check
// A MyCharts renderer drawing with TradingView Lightweight Charts™ (Apache-2.0; see lightweight-charts.NOTICE.txt
// beside the served build): candles, volume in a pane of its own, the server's indicator values as line series over
// the candles (moving averages, Bollinger bands, VWAP) or in panes below (MACD, RSI, ...), histograms for
// histogram outputs. The page maps the bare specifier 'lightweight-charts' to the served ESM build with an import map.
//
//   new MyCharts(client, element, { renderer: lightweightRenderer })   or   chart.setRenderer(lightweightRenderer)
import { createChart, CandlestickSeries, HistogramSeries, LineSeries } from 'lightweight-charts';
import { OVERLAY, UP, DOWN, PALETTE, seriesName, isHistogram } from './chartstyle.js';

/**
 * @typedef {import('./livechart.js').Bar} Bar
 * @typedef {import('./mycharts.js').ChartView} ChartView
 * @typedef {import('./mycharts.js').ChartRenderer} ChartRenderer
 * @typedef {import('lightweight-charts').IChartApi} IChartApi
 * @typedef {import('lightweight-charts').UTCTimestamp} UTCTimestamp
 * @typedef {{name: string, indicator: number, output: number, histogram: boolean, api: import('lightweight-charts').ISeriesApi<'Line' | 'Histogram'>}} IndicatorSeries
 */

const seconds = (/** @type {number} */ ms) => /** @type {UTCTimestamp} */ (ms / 1000);
const VOLUME_UP = `${UP}80`;
const VOLUME_DOWN = `${DOWN}80`;
const VISIBLE_BARS = 120;

/** @param {HTMLElement} element  @returns {ChartRenderer} */
export function lightweightRenderer(element) {
  const holder = document.createElement('div');
  holder.style.cssText = 'position: relative; width: 100%; height: 100%';
  const legend = document.createElement('div');
  legend.style.cssText = 'position: absolute; top: 4px; left: 8px; z-index: 3; font: 11px system-ui, sans-serif; color: #6b7280; pointer-events: none';
  const notice = document.createElement('div');
  notice.style.cssText = 'position: absolute; inset: 0; z-index: 4; display: none; align-items: center; justify-content: center; font: 13px system-ui, sans-serif; background: rgba(255,255,255,0.7)';
  holder.append(legend, notice);
  element.append(holder);

  /** @type {IChartApi | null} */ let chart = null;
  /** @type {import('lightweight-charts').ISeriesApi<'Candlestick'> | null} */ let candles = null;
  /** @type {import('lightweight-charts').ISeriesApi<'Histogram'> | null} */ let volume = null;
  /** @type {IndicatorSeries[]} */ let lines = [];
  let layoutKey = '';
  // What the series hold: their first and last bar times and how many, to tell an update from a redraw.
  let drawnFirst = NaN;
  let drawnLast = NaN;

  /** @param {string} text  @param {string} color */
  const show = (text, color) => {
    notice.textContent = text;
    notice.style.color = color;
    notice.style.display = text ? 'flex' : 'none';
  };

  /** A new chart for another layout: series are made once per chart key and then only fed. @param {ChartView} view */
  function build(view) {
    chart?.remove();
    chart = createChart(holder, {
      autoSize: true,
      layout: { attributionLogo: true, fontSize: 11, textColor: '#1d2330', background: { color: '#ffffff' } },
      grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
      timeScale: { timeVisible: view.period !== '1d', secondsVisible: false, rightOffset: 4 },
    });
    candles = chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN,
    }, 0);
    volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false, title: 'volume' }, 1);
    const panes = view.indicators.filter((ind) => !OVERLAY.test(ind.name));
    lines = [];
    let color = 0;
    view.indicators.forEach((indicator, i) => {
      const pane = OVERLAY.test(indicator.name) ? 0 : 2 + panes.indexOf(indicator);
      indicator.outputs.forEach((output, k) => {
        const histogram = isHistogram(output);
        const name = seriesName(indicator, output);
        const options = { color: PALETTE[color++ % PALETTE.length], lastValueVisible: false, priceLineVisible: false, title: pane === 0 ? '' : name };
        const api = histogram
          ? chart?.addSeries(HistogramSeries, options, pane)
          : chart?.addSeries(LineSeries, { ...options, lineWidth: 1, crosshairMarkerVisible: false }, pane);
        if (api) lines.push({ name, indicator: i, output: k, histogram, api });
      });
    });
    // The candles get most of the height; volume and each indicator pane share the rest.
    const [main, ...below] = chart.panes();
    main?.setStretchFactor(Math.max(2, 3 - panes.length / 2));
    for (const pane of below) pane.setStretchFactor(0.8);
    legend.replaceChildren(...lines.filter((line) => OVERLAY.test(view.indicators[line.indicator].name)).map((line) => {
      const item = document.createElement('span');
      item.style.cssText = `margin-right: 10px; color: ${line.api.options().color}`;
      item.textContent = `— ${line.name}`;
      return item;
    }));
    drawnFirst = drawnLast = NaN;
  }

  /** The points of bar `j` for every series. @param {ChartView} view  @param {number} j */
  function points(view, j) {
    const bar = view.bars[j];
    const time = seconds(bar[0]);
    return {
      candle: { time, open: bar[1], high: bar[2], low: bar[3], close: bar[4] },
      volume: { time, value: bar[5], color: bar[4] >= bar[1] ? VOLUME_UP : VOLUME_DOWN },
      lines: lines.map((line) => {
        const value = view.indicators[line.indicator].values[j]?.[line.output];
        if (value === null || value === undefined) return { time }; // no value (the lookback): a gap, not a zero
        return line.histogram ? { time, value, color: value >= 0 ? VOLUME_UP : VOLUME_DOWN } : { time, value };
      }),
    };
  }

  return {
    draw(view, change) {
      if (`${view.chart}` !== layoutKey || !chart) {
        layoutKey = `${view.chart}`;
        build(view);
      }
      show('', '');
      const bars = view.bars;
      const first = bars.length ? bars[0][0] : NaN;
      const from = Math.max(0, Math.min(change.from, bars.length));
      // Lightweight Charts updates only its newest point (or appends after it): anything else is a redraw.
      const incremental = !change.full && bars.length > 0 && first === drawnFirst && from < bars.length && bars[from][0] >= drawnLast;
      if (incremental) {
        for (let j = from; j < bars.length; j++) {
          const p = points(view, j);
          candles?.update(p.candle);
          volume?.update(p.volume);
          lines.forEach((line, n) => line.api.update(p.lines[n]));
        }
      } else {
        const all = bars.map((_, j) => points(view, j));
        candles?.setData(all.map((p) => p.candle));
        volume?.setData(all.map((p) => p.volume));
        lines.forEach((line, n) => line.api.setData(all.map((p) => p.lines[n])));
      }
      // A new chart starts on its newest 120 bars (as the ECharts renderer does), all of them when fewer; after that
      // the user's scrolling and zoom are left alone.
      if (!incremental && Number.isNaN(drawnFirst) && bars.length > 0) {
        if (bars.length <= VISIBLE_BARS) chart?.timeScale().fitContent();
        else chart?.timeScale().setVisibleLogicalRange({ from: bars.length - VISIBLE_BARS, to: bars.length + 3 });
      }
      drawnFirst = first;
      drawnLast = bars.length ? bars[bars.length - 1][0] : NaN;
    },
    showLoading: () => show('loading…', '#6b7280'),
    hideLoading: () => show('', ''),
    showError(message) {
      chart?.remove();
      chart = null;
      layoutKey = '';
      legend.replaceChildren();
      show(message, DOWN);
    },
    drawn() {
      const held = candles?.data() ?? [];
      const volumes = volume?.data() ?? [];
      /** @type {Record<string, (number | null)[]>} */
      const series = {};
      // A series leaves out the gaps at its start (an indicator's lookback): line its points up with the candles by time.
      for (const line of lines) {
        const values = new Map(line.api.data().map((point) => [Number(point.time), 'value' in point ? point.value : null]));
        series[line.name] = held.map((point) => values.get(Number(point.time)) ?? null);
      }
      return {
        bars: held.map((point, j) => /** @type {Bar} */ ([
          Number(point.time) * 1000,
          'open' in point ? point.open : NaN, 'high' in point ? point.high : NaN, 'low' in point ? point.low : NaN, 'close' in point ? point.close : NaN,
          (volumes[j] && 'value' in volumes[j]) ? volumes[j].value : NaN,
        ])),
        series,
      };
    },
    dispose() {
      chart?.remove();
      chart = null;
      holder.remove();
    },
  };
}
