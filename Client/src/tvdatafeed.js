// @ts-check
// RTDatafeed: TradingView's Charting Library datafeed (its JS API: onReady, searchSymbols, resolveSymbol, getBars,
// subscribeBars, unsubscribeBars) over an RTClient. History comes from `chart.history` pages (docs/protocol.md 1.12),
// live bars from a `mychart` chart per subscription (1.9), which resumes after reconnects. Indicators are left to the
// library: it computes its own studies from these bars.
//
//   const client = new RTClient(); client.connect();
//   new TradingView.widget({ datafeed: new RTDatafeed(client), symbol: 'AAPL', interval: '1', ... });
import { LiveChart } from './livechart.js';

/**
 * @typedef {import('./rtclient.js').RTClient} RTClient
 * @typedef {import('./livechart.js').Bar} Bar
 * @typedef {{time: number, open: number, high: number, low: number, close: number, volume: number}} TVBar a whole bar, time in unix ms
 * @typedef {{from: number, to: number, countBack: number, firstDataRequest: boolean}} PeriodParams from, to: unix seconds, `to` not included
 * @typedef {{noData?: boolean, nextTime?: number}} HistoryMetadata
 * @typedef {{symbol: string, full_name: string, description: string, exchange: string, ticker: string, type: string}} SearchResult
 * @typedef {{name: string, ticker?: string, [key: string]: any}} SymbolInfo TradingView's LibrarySymbolInfo (the fields we use)
 * @typedef {{chart: LiveChart, symbol: string, resolution: string, onTick: (bar: TVBar) => void, onReset: () => void, last: number, snapshots: number}} Subscription
 * @typedef {{pageSize?: number, connectTimeoutMs?: number}} RTDatafeedOptions `pageSize`: bars asked for when the library
 *   gives no countBack (300); `connectTimeoutMs`: how long a request waits for a connection before failing (15000)
 */

/** TradingView resolutions and the server's chart periods. */
const PERIODS = /** @type {Record<string, string>} */ ({ 1: '1m', 5: '5m', 15: '15m', 30: '30m', 60: '1h', 240: '4h', '1D': '1d', D: '1d' });
export const SUPPORTED_RESOLUTIONS = ['1', '5', '15', '30', '60', '240', '1D'];
const MAX_PAGE = 1000; // chart.history's largest page
const LIVE_BARS = 10; // bars a subscription's chart holds: the live one and a few before it, to close a race (below)

/** Calls back on a later turn, as the library requires of onReady and resolveSymbol. @param {() => void} callback */
const later = (callback) => setTimeout(callback, 0);

/** Only the fields a TradingView bar has: the final flag is ours, the library has none. @param {Bar} bar  @returns {TVBar} */
const toTV = (bar) => ({ time: bar[0], open: bar[1], high: bar[2], low: bar[3], close: bar[4], volume: bar[5] });

/** TradingView's LibrarySymbolInfo of one of our symbols: a market that never closes, in UTC, priced in cents. @param {string} symbol */
export function symbolInfo(symbol) {
  return {
    name: symbol, ticker: symbol, full_name: symbol, description: symbol, type: 'stock', session: '24x7', timezone: 'Etc/UTC',
    exchange: '', listed_exchange: '', format: 'price', minmov: 1, pricescale: 100, has_intraday: true, has_daily: true,
    has_weekly_and_monthly: false, supported_resolutions: SUPPORTED_RESOLUTIONS, intraday_multipliers: ['1', '5', '15', '30', '60', '240'],
    daily_multipliers: ['1'], volume_precision: 0, data_status: 'streaming',
  };
}

export class RTDatafeed {
  #client;
  #options;
  /** @type {Map<string, Subscription>} by the library's subscriber uid */ #subscriptions = new Map();
  /** @type {Map<string, number>} the newest bar time getBars gave per `symbol|resolution` */ #newest = new Map();
  stats = { pages: 0, ticks: 0, resets: 0 };

  /** @param {RTClient} client  @param {RTDatafeedOptions} [options] */
  constructor(client, options = {}) {
    this.#client = client;
    this.#options = options;
  }

  /** @param {(configuration: object) => void} callback */
  onReady(callback) {
    later(() => callback({
      supported_resolutions: SUPPORTED_RESOLUTIONS, exchanges: [], symbols_types: [],
      supports_marks: false, supports_timescale_marks: false, supports_time: false,
    }));
  }

  /**
   * Symbols starting with the user's input first, then those containing it (case-insensitive).
   * @param {string} userInput  @param {string} _exchange  @param {string} _symbolType  @param {(result: SearchResult[]) => void} onResult
   */
  searchSymbols(userInput, _exchange, _symbolType, onResult) {
    const query = userInput.trim().toUpperCase();
    this.#symbols().then((symbols) => {
      const found = symbols.map((symbol) => ({ symbol, at: symbol.toUpperCase().indexOf(query) })).filter((s) => s.at >= 0)
        .sort((a, b) => (a.at === 0 ? 0 : 1) - (b.at === 0 ? 0 : 1) || (a.symbol < b.symbol ? -1 : 1))
        .slice(0, 50)
        .map(({ symbol }) => ({ symbol, full_name: symbol, description: symbol, exchange: '', ticker: symbol, type: 'stock' }));
      onResult(found);
    }, () => onResult([]));
  }

  /**
   * @param {string} symbolName  @param {(info: SymbolInfo) => void} onResolve  @param {(reason: string) => void} onError
   */
  resolveSymbol(symbolName, onResolve, onError) {
    const symbol = symbolName.includes(':') ? symbolName.slice(symbolName.lastIndexOf(':') + 1) : symbolName;
    this.#symbols().then(
      (symbols) => later(() => (symbols.includes(symbol) ? onResolve(symbolInfo(symbol)) : onError('unknown_symbol'))),
      (error) => later(() => onError(String(error?.message ?? error))));
  }

  /**
   * A page of history: the newest `countBack` bars before `to` (TradingView gives countBack priority over `from`), or
   * on the first request the newest bars of all. No bars: `noData`, and the library stops scrolling back.
   * @param {SymbolInfo} info  @param {string} resolution  @param {PeriodParams} periodParams
   * @param {(bars: TVBar[], meta: HistoryMetadata) => void} onResult  @param {(reason: string) => void} onError
   */
  getBars(info, resolution, periodParams, onResult, onError) {
    const period = PERIODS[resolution];
    if (!period) {
      later(() => onError(`unsupported resolution ${resolution}`));
      return;
    }
    const symbol = info.ticker ?? info.name;
    const count = Math.min(MAX_PAGE, Math.max(1, Math.round(periodParams.countBack || this.#options.pageSize || 300)));
    // The first request's `to` is the browser's clock: ask for the newest bars instead, the live one included.
    const before = periodParams.firstDataRequest ? undefined : periodParams.to * 1000;
    this.#request('chart.history', { symbol, period, before, count }).then(({ data }) => {
      this.stats.pages++;
      const bars = /** @type {Bar[]} */ (data.bars).map(toTV);
      if (bars.length > 0 && periodParams.firstDataRequest) this.#newest.set(`${symbol}|${resolution}`, bars[bars.length - 1].time);
      onResult(bars, bars.length === 0 ? { noData: true } : { noData: false });
    }, (error) => onError(String(error?.message ?? error)));
  }

  /**
   * Live bars, whole, for one subscriber uid. Two subscriptions of one symbol and resolution (the library keeps the
   * old one a while during a switch) are independent: each gets every bar until it is unsubscribed. After a reconnect
   * the chart resumes and its missed bars arrive in order; when the server's history changed underneath (a restarted
   * computation, a backfill, a revised older bar) the library is told to reload (`onResetCacheNeededCallback`).
   * @param {SymbolInfo} info  @param {string} resolution  @param {(bar: TVBar) => void} onTick  @param {string} uid
   * @param {() => void} onResetCacheNeededCallback
   */
  subscribeBars(info, resolution, onTick, uid, onResetCacheNeededCallback) {
    const period = PERIODS[resolution];
    if (!period) return;
    this.unsubscribeBars(uid);
    const symbol = info.ticker ?? info.name;
    const chart = new LiveChart(this.#client);
    /** @type {Subscription} */
    const subscription = {
      chart, symbol, resolution, onTick, onReset: onResetCacheNeededCallback,
      // The library holds bars up to the newest getBars gave; a bar closed between that answer and this chart's
      // snapshot is sent from the snapshot, so nothing falls between the two.
      last: this.#newest.get(`${symbol}|${resolution}`) ?? -Infinity,
      snapshots: 0,
    };
    chart.addEventListener('snapshot', () => {
      if (subscription.snapshots++ > 0) {
        // Not our first snapshot: the server rebuilt the chart, so bars the library holds may have changed.
        this.#reset(subscription);
      }
      // Not knowing what the library holds (no first getBars, or after a reset), only the newest bar is safe to send.
      this.#deliver(subscription, subscription.last === -Infinity ? chart.bars.slice(-1) : chart.bars.filter((bar) => bar[0] >= subscription.last));
    });
    chart.addEventListener('update', (event) => {
      const { bars } = /** @type {CustomEvent<import('./livechart.js').UpdateDetail>} */ (event).detail;
      // A revision (protocol 1.9) of the newest bar the library holds is an ordinary tick of that bar, and a bar sent
      // again only to mark it final is too. A bar before it that changed (a repair, rare) cannot be a tick: the
      // library takes no older bar, only a reload.
      if (bars.some((bar) => bar[0] < subscription.last)) {
        this.#reset(subscription);
      }
      this.#deliver(subscription, bars.filter((bar) => bar[0] >= subscription.last));
    });
    chart.request({ symbol, period, mode: 'dynamic', count: LIVE_BARS });
    this.#subscriptions.set(uid, subscription);
  }

  /** @param {string} uid */
  unsubscribeBars(uid) {
    const subscription = this.#subscriptions.get(uid);
    if (!subscription) return;
    this.#subscriptions.delete(uid);
    subscription.chart.dispose();
  }

  /** The subscriber uids with their symbol and resolution, for a status line or a test. */
  get subscriptions() {
    return [...this.#subscriptions].map(([uid, s]) => ({ uid, symbol: s.symbol, resolution: s.resolution, status: s.chart.status }));
  }

  /** @param {Subscription} subscription  @param {Bar[]} bars oldest first */
  #deliver(subscription, bars) {
    for (const bar of bars) {
      if (!this.#isLive(subscription)) return;
      subscription.last = bar[0];
      this.stats.ticks++;
      subscription.onTick(toTV(bar));
    }
  }

  /** @param {Subscription} subscription */
  #reset(subscription) {
    if (!this.#isLive(subscription)) return;
    this.stats.resets++;
    subscription.last = -Infinity;
    subscription.onReset();
  }

  /** @param {Subscription} subscription */
  #isLive(subscription) {
    return [...this.#subscriptions.values()].includes(subscription);
  }

  /** @returns {Promise<string[]>} */
  async #symbols() {
    const { data } = await this.#request('symbols');
    return data.symbols;
  }

  /**
   * A request that waits for a connection and is sent again when the connection drops before the answer.
   * @param {string} type  @param {any} [data]
   */
  async #request(type, data) {
    for (let attempt = 0; ; attempt++) {
      await this.#connected();
      try {
        return await this.#client.request(type, data);
      } catch (error) {
        const code = /** @type {any} */ (error)?.code;
        if ((code === 'disconnected' || code === 'not_connected') && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** @returns {Promise<void>} */
  #connected() {
    const client = this.#client;
    if (client.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        client.removeEventListener('welcome', done);
        resolve();
      };
      const timer = setTimeout(() => {
        client.removeEventListener('welcome', done);
        reject(new Error(`not connected (${client.state})`));
      }, this.#options.connectTimeoutMs ?? 15000);
      client.addEventListener('welcome', done);
    });
  }
}
