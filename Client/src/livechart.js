// @ts-check
// LiveChart: the data of one `mychart` chart (docs/protocol.md 1.9), nothing drawn. It opens the chart, applies
// snapshots and updates, resumes after reconnects and re-opens when it missed something, so `bars` and `indicators`
// always equal what a fresh snapshot would hold. MyCharts draws one; the TradingView datafeed feeds the library from one.

/**
 * @typedef {import('./rtclient.js').RTClient} RTClient
 * @typedef {[number, number, number, number, number, number, (0 | 1)?]} Bar time (open, unix ms), open, high, low, close,
 *   volume, final: 1 once the bar is closed (its period over, or a later bar opened), 0 while it forms (protocol 1.9)
 * @typedef {{name: string, outputs: string[], values: ((number | null)[] | null)[]}} Indicator values[j]: outputs at bar j, or null
 * @typedef {{symbol: string, period: string, mode?: 'static' | 'dynamic', indicators?: string[], count?: number, maxRate?: number}} ChartRequest
 *   `maxRate`: at most this many updates a second (1.9, Cadence), for a slow link; every bar still arrives
 * @typedef {'idle' | 'opening' | 'live' | 'error' | 'closed'} ChartStatus
 * @typedef {{chartId: string | null, chart: string, epoch: string, seq: number, mode: string, bars: Bar[], indicators: Indicator[]}} Snapshot
 * @typedef {{chart: string, epoch: string, seq: number, prev: number, bars: Bar[], indicators: ((number | null)[] | null)[][], revision?: boolean}} Update
 * @typedef {{chartId: string, chart: string, epoch: string, seq: number}} Resumed
 * @typedef {{unasked: boolean}} SnapshotDetail a snapshot replaced everything; `unasked`: the server pushed it (its
 *   history changed underneath, a backfill or a restarted computation): whatever was derived from the old bars is stale
 * @typedef {{from: number, bars: Bar[], trimmed: number, revision: boolean}} UpdateDetail `bars` changed or became final
 *   (oldest first); `from`: the index of the first of them in `bars` after `trimmed` bars were dropped from the front
 *   to keep the requested count; `revision`: they change a bar that was final (a late quote, a repair)
 */

/**
 * @extends {EventTarget}
 * Events: `snapshot` (detail: SnapshotDetail), `update` (detail: UpdateDetail), `status` after every status change,
 * `error` (detail: the RTError) when the server refused the chart.
 */
export class LiveChart extends EventTarget {
  /** @type {WeakMap<RTClient, Map<string, LiveChart>>} every chart of one client, by its current chartId */
  static #routes = new WeakMap();
  static #lastId = 0;

  #client;
  /** @type {ChartRequest | null} */ #request = null;
  /** @type {(() => void) | null} */ #unsubscribe = null;

  chartId = LiveChart.#newId();
  /** @type {ChartStatus} */ status = 'idle';
  /** @type {string | null} the server's chart key, `SYMBOL|PERIOD|IND;...` */ chart = null;
  /** @type {string | null} */ epoch = null;
  seq = 0;
  /** @type {Bar[]} */ bars = [];
  /** @type {Indicator[]} */ indicators = [];
  /** @type {string | null} */ error = null;
  stats = { snapshots: 0, updates: 0, resumes: 0, revisions: 0 };

  /** @param {RTClient} client */
  constructor(client) {
    super();
    this.#client = client;
    LiveChart.#routesOf(client).set(this.chartId, this);
  }

  /** What was last requested (with its defaults filled in), or null. @returns {Readonly<Required<ChartRequest>> | null} */
  get requested() {
    return /** @type {Required<ChartRequest> | null} */ (this.#request);
  }

  /**
   * Opens the requested chart, or changes the open one in place. `dynamic` (the default) keeps it live, across
   * reconnects too; `static` loads history once.
   * @param {ChartRequest} request
   */
  request(request) {
    const changing = this.#request !== null && this.status !== 'closed' && this.status !== 'error';
    this.#request = { mode: 'dynamic', indicators: [], count: 300, ...request };
    // Until the new snapshot arrives, frames of the old chart no longer apply, and there is nothing to resume.
    this.chart = null;
    this.epoch = null;
    if (!changing) {
      this.#unsubscribe?.();
      this.#unsubscribe = this.#client.subscribe(`mychart:${this.chartId}`, () => this.#open());
      return;
    }
    this.#setStatus('opening');
    const { symbol, period, indicators, count, maxRate } = this.#request;
    this.#send({ action: 'change', chartId: this.chartId, symbol, period, indicators, count, maxRate });
  }

  /** @param {string[]} indicators */
  setIndicators(indicators) {
    if (!this.#request) throw new Error('request a chart first');
    this.request({ ...this.#request, indicators });
  }

  /** Whether bar `index` of `bars` is closed: its values change only by a revision from now on. @param {number} index */
  isFinal(index) {
    return this.bars[index]?.[6] === 1;
  }

  /** Stops the chart on the server; the data stays. */
  close() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.status === 'live' || this.status === 'opening') this.#closeOnServer();
    this.#setStatus('closed');
  }

  /** Closes it and forgets it: frames for it are no longer routed here. */
  dispose() {
    this.close();
    LiveChart.#routesOf(this.#client).delete(this.chartId);
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
    this.#setStatus('live');
    this.dispatchEvent(new CustomEvent('snapshot', { detail: /** @type {SnapshotDetail} */ ({ unasked: snapshot.chartId === null }) }));
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
    let from = Infinity;
    let trimmed = 0;
    update.bars.forEach((bar, k) => {
      const { at, dropped } = this.#upsert(bar, update.indicators.map((outputs) => outputs[k]));
      from = Math.min(from - dropped, at);
      trimmed += dropped;
    });
    this.seq = update.seq;
    this.stats.updates++;
    const revision = update.revision === true;
    if (revision) this.stats.revisions++;
    const detail = /** @type {UpdateDetail} */ ({ from: Math.max(0, Math.min(from, this.bars.length)), bars: update.bars, trimmed, revision });
    this.dispatchEvent(new CustomEvent('update', { detail }));
  }

  // A chartId stays taken on the server until closed, so re-opening on the same connection needs a new one.
  #renew() {
    this.#closeOnServer();
    const routes = LiveChart.#routesOf(this.#client);
    routes.delete(this.chartId);
    this.chartId = LiveChart.#newId();
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

  /**
   * A bar at a time we hold replaces ours, a later one appends; history stays at the requested length.
   * @param {Bar} bar  @param {((number | null)[] | null)[]} outputs  @returns {{at: number, dropped: number}}
   */
  #upsert(bar, outputs) {
    let j = this.bars.length - 1;
    while (j >= 0 && this.bars[j][0] > bar[0]) j--;
    const replace = j >= 0 && this.bars[j][0] === bar[0];
    const at = replace ? j : j + 1;
    this.bars.splice(at, replace ? 1 : 0, bar);
    this.indicators.forEach((indicator, i) => indicator.values.splice(at, replace ? 1 : 0, outputs[i]));
    const excess = Math.max(0, this.bars.length - (this.#request?.count ?? 300));
    if (excess > 0) {
      this.bars.splice(0, excess);
      for (const indicator of this.indicators) indicator.values.splice(0, excess);
    }
    return { at: Math.max(0, at - excess), dropped: excess };
  }

  /** @param {ChartStatus} status */
  #setStatus(status) {
    this.status = status;
    this.dispatchEvent(new CustomEvent('status'));
  }

  static #newId() {
    return `c${++LiveChart.#lastId}`;
  }

  /** The chart frames of one client go to its charts: registered once per client, routed by chartId or key. */
  /** @param {RTClient} client */
  static #routesOf(client) {
    let routes = LiveChart.#routes.get(client);
    if (routes) return routes;
    const byId = /** @type {Map<string, LiveChart>} */ (new Map());
    // A frame naming a chartId is for that chart; one without (updates, unasked snapshots) for every view of its key.
    const targets = (/** @type {{chartId?: string | null, chart: string}} */ data) => (data.chartId != null
      ? [byId.get(data.chartId)].filter((chart) => chart !== undefined)
      : [...byId.values()].filter((chart) => chart.chart === data.chart));
    client.on('chart.snapshot', (/** @type {Snapshot} */ data) => { for (const chart of targets(data)) chart.#snapshot(data); });
    client.on('chart.resumed', (/** @type {Resumed} */ data) => { for (const chart of targets(data)) chart.#resumed(data); });
    client.on('chart.update', (/** @type {Update} */ data) => { for (const chart of targets(data)) chart.#update(data); });
    client.on('chart.closed', () => {}); // the answer to our own close; the chart already shows it is closed
    LiveChart.#routes.set(client, byId);
    return byId;
  }
}
