// @ts-check
// Watchlist: the live lines of a set of symbols from the `ticker` frames of docs/protocol.md 1.10 (price, change
// since the previous day's close, day volume, time), kept across reconnects by resuming each symbol where it was.

/**
 * @typedef {import('./rtclient.js').RTClient} RTClient
 * @typedef {{symbol: string, epoch: string, seq: number, price: number, change: number | null, prevClose: number | null, volume: number, time: number}} TickerLine
 * @typedef {{maxRate?: number}} WatchlistOptions `maxRate`: at most this many updates a second per symbol (1.10), for a slow link
 */

/** @extends {EventTarget} Events: `change` (detail: the symbol whose line changed); `error` (detail: the RTError). */
export class Watchlist extends EventTarget {
  #client;
  #options;
  /** @type {Set<string>} */ #symbols = new Set();
  /** @type {(() => void) | null} */ #unsubscribe = null;
  /** @type {Map<string, TickerLine>} */ lines = new Map();
  stats = { snapshots: 0, updates: 0, resumes: 0 };

  /** One per client: it handles the client's `ticker` frames. @param {RTClient} client  @param {WatchlistOptions} [options] */
  constructor(client, options = {}) {
    super();
    this.#client = client;
    this.#options = options;
    client.on('ticker.snapshot', (/** @type {TickerLine} */ line) => this.#apply(line, true));
    client.on('ticker.update', (/** @type {TickerLine} */ line) => this.#apply(line, false));
    client.on('ticker.resumed', () => { this.stats.resumes++; });
    client.on('ticker.unsubscribed', () => {});
  }

  /** The symbols watched, in the order added. */
  get symbols() { return [...this.#symbols]; }

  /** Watches these symbols too (at most 100 in all), now and after every reconnect. @param {string[]} symbols */
  watch(symbols) {
    const added = symbols.filter((symbol) => !this.#symbols.has(symbol));
    if (!added.length) return;
    for (const symbol of added) this.#symbols.add(symbol);
    if (this.#unsubscribe) {
      if (this.#client.state === 'connected') this.#subscribe(added);
      return;
    }
    this.#unsubscribe = this.#client.subscribe('ticker', () => this.#subscribe(this.symbols));
  }

  /** Stops watching these symbols. @param {string[]} symbols */
  unwatch(symbols) {
    const removed = symbols.filter((symbol) => this.#symbols.delete(symbol));
    for (const symbol of removed) this.lines.delete(symbol);
    if (removed.length && this.#client.state === 'connected') this.#send({ action: 'unsubscribe', symbols: removed });
  }

  /** @param {string[]} symbols */
  #subscribe(symbols) {
    if (!symbols.length) return;
    // Where each line was, so a reconnect gets only what it missed (1.10).
    /** @type {Record<string, {epoch: string, seq: number}>} */
    const resume = {};
    for (const symbol of symbols) {
      const line = this.lines.get(symbol);
      if (line) resume[symbol] = { epoch: line.epoch, seq: line.seq };
    }
    this.#send({ action: 'subscribe', symbols, ...(Object.keys(resume).length ? { resume } : {}), ...(this.#options.maxRate ? { maxRate: this.#options.maxRate } : {}) });
  }

  /** @param {object} data */
  #send(data) {
    try {
      this.#client.request('ticker', data).catch((error) => this.dispatchEvent(new CustomEvent('error', { detail: error })));
    } catch (error) {
      this.dispatchEvent(new CustomEvent('error', { detail: error }));
    }
  }

  /** @param {TickerLine} line  @param {boolean} snapshot */
  #apply(line, snapshot) {
    if (!this.#symbols.has(line.symbol)) return;
    const held = this.lines.get(line.symbol);
    // An update of another epoch, or one already applied, says nothing new (each holds the whole line).
    if (!snapshot && (!held || held.epoch !== line.epoch || line.seq <= held.seq)) return;
    this.lines.set(line.symbol, line);
    if (snapshot) this.stats.snapshots++;
    else this.stats.updates++;
    this.dispatchEvent(new CustomEvent('change', { detail: line.symbol }));
  }
}
