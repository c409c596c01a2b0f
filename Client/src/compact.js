// @ts-check
// The compact form of the protocol (docs/protocol.md 1.13): updates arrive as arrays under a per-subscription
// handle, and are read back here into the frames of the JSON form, so everything above RTClient sees one protocol.

/** The WebSocket subprotocol that asks the gateway for the compact form. */
export const COMPACT_PROTOCOL = 'rt.compact.v2';

/** @typedef {{kind: 'chart' | 'ticker', name: string, epoch: string}} Subscription */

// A bar's seven values [time, open, high, low, close, volume, final] lead every row; the indicators follow.
const BAR_VALUES = 7;

/**
 * Reads one connection's compact updates: remembers what each handle stands for from the frames that announce it,
 * and turns each update array into the `{type, data}` frame the JSON form would have sent. Made anew per connection:
 * handles belong to one connection.
 */
export class CompactReader {
  /** @type {Map<number, Subscription>} */ #handles = new Map();

  /**
   * Notes the handle a snapshot or resumed frame announces and takes it out of `data`, which is then exactly the
   * JSON form's. @param {{type: string, data?: any}} frame
   */
  announce(frame) {
    const data = frame.data;
    if (!data || typeof data !== 'object' || typeof data.h !== 'number') return;
    const kind = frame.type.startsWith('chart.') ? 'chart' : frame.type.startsWith('ticker.') ? 'ticker' : null;
    if (kind) this.#handles.set(data.h, { kind, name: kind === 'chart' ? data.chart : data.symbol, epoch: data.epoch });
    delete data.h;
  }

  /**
   * The JSON form's frame of one compact update, or null when its handle was never announced (which the server
   * never does on a live connection: an update always follows the frame that announced its handle).
   * @param {any[]} update  @returns {{type: string, data: any} | null}
   */
  update(update) {
    const [handle, seq] = update;
    const subscription = this.#handles.get(handle);
    if (!subscription) return null;
    return subscription.kind === 'chart' ? chartUpdate(update, subscription, seq) : tickerUpdate(update, subscription, seq);
  }
}

/** `[handle, seq, rows, prev?, revision?]` → `chart.update`. @param {any[]} update  @param {Subscription} subscription  @param {number} seq */
function chartUpdate(update, { name, epoch }, seq) {
  const rows = /** @type {any[][]} */ (update[2]);
  const count = rows.length ? rows[0].length - BAR_VALUES : 0;
  const indicators = [];
  for (let k = 0; k < count; k++) {
    // One output alone comes as the bare number; null and arrays are as in the JSON form.
    indicators.push(rows.map((row) => (typeof row[BAR_VALUES + k] === 'number' ? [row[BAR_VALUES + k]] : row[BAR_VALUES + k])));
  }
  /** @type {any} */
  const data = {
    chart: name, epoch, seq, prev: update.length > 3 ? update[3] : seq - 1,
    bars: rows.map((row) => row.slice(0, BAR_VALUES)), indicators,
  };
  if (update[4] === 1) data.revision = true;
  return { type: 'chart.update', data };
}

/** `[handle, seq, price, change, prevClose, volume, time, prev?]` → `ticker.update`. @param {any[]} update  @param {Subscription} subscription  @param {number} seq */
function tickerUpdate(update, { name, epoch }, seq) {
  const [, , price, change, prevClose, volume, time] = update;
  return {
    type: 'ticker.update',
    data: { symbol: name, epoch, seq, price, change, prevClose, volume, time, prev: update.length > 7 ? update[7] : seq - 1 },
  };
}
