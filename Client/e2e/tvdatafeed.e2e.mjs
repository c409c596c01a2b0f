// End to end: RTDatafeed (src/tvdatafeed.js) driven exactly as TradingView's Charting Library drives a datafeed,
// against a real gateway and silo owned by Tests/Browser/TradingViewDatafeedTests.cs. The Charting Library is not on
// npm, so this harness plays it, following its documented contract:
//   - onReady and resolveSymbol answer on a later turn (never synchronously);
//   - getBars: the first request (firstDataRequest, `to` about now, countBack), then pages to the left with `to` set to
//     the oldest bar held, until the datafeed answers noData; bars ascending, no time twice, never newer than `to`
//     except on the first request;
//   - subscribeBars per subscriber uid with whole bars: a tick's time is never older than the newest bar held, and
//     during a switch the library subscribes the new uid before it unsubscribes the old one, so two subscriptions of
//     one symbol and resolution live side by side;
//   - onResetCacheNeededCallback makes it ask getBars again.
// The test drives the steps on stdin; each finished step prints `READY <step>`, a failure `FAIL <step>: <why>` (exit 1).
//
//   node e2e/tvdatafeed.e2e.mjs <gateway url> <session key> <symbol>
//   stdin:  PAGE <resolution> <bars> <first time> <last time>   page the history until noData; expect exactly that
//           SUBSCRIBE <uid> <resolution>                        subscribeBars, wait for its first tick
//           UNSUBSCRIBE <uid>                                   unsubscribeBars; that uid gets nothing more
//           EXPECT <uid,uid,..> <time> <o> <h> <l> <c> <v>      wait until each uid's bar at that time is exactly that
//           RESTARTED                                           wait for the reconnect and every subscription resumed
//           LATEST <resolution> <time> <o> <h> <l> <c> <v>      a first getBars request ends with exactly that bar
//           FINISH                                              print STATS and DONE
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { RTClient } from '../src/rtclient.js';
import { RTDatafeed } from '../src/tvdatafeed.js';

const [url, session, symbol] = process.argv.slice(2);
if (!symbol) throw new Error('usage: tvdatafeed.e2e.mjs <gateway url> <session key> <symbol>');
const TIMEOUT = 30_000;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const client = new RTClient({
  url: `${url.replace(/^http/, 'ws')}/ws?sessionid=${session}`,
  WebSocket: /** @type {any} */ (WebSocket),
  backoff: { initialMs: 100, maxMs: 1000 },
});
const datafeed = new RTDatafeed(client);
/** Everything the library has been given, per subscriber uid. @type {Map<string, {resolution: string, bars: Map<number, any>, ticks: number, resets: number, last: number}>} */
const subscribers = new Map();
/** @type {string[]} */
const problems = [];
let step = 'connect';

try {
  client.connect();
  await until(() => client.state === 'connected', 'the connection');

  step = 'onReady answers later with the resolutions';
  const config = await callsBackLater((done) => datafeed.onReady(done));
  expect(JSON.stringify(config.supported_resolutions) === JSON.stringify(['1', '5', '15', '30', '60', '240', '1D']), `resolutions ${config.supported_resolutions}`);

  step = 'searchSymbols finds the symbol';
  const found = await new Promise((resolve) => datafeed.searchSymbols(symbol.slice(0, 3).toLowerCase(), '', '', resolve));
  expect(found.some((/** @type {any} */ s) => s.symbol === symbol && s.ticker === symbol), `search found ${JSON.stringify(found)}`);

  step = 'resolveSymbol answers later, and an unknown symbol is an error';
  const info = await callsBackLater((done) => datafeed.resolveSymbol(symbol, done, (/** @type {string} */ e) => done({ error: e })));
  expect(info.name === symbol && info.has_intraday && info.session === '24x7', `resolved ${JSON.stringify(info)}`);
  const unknown = await callsBackLater((done) => datafeed.resolveSymbol('NOSUCHSYMBOL', () => done({}), (/** @type {string} */ e) => done({ error: e })));
  expect(unknown.error === 'unknown_symbol', `an unknown symbol resolved: ${JSON.stringify(unknown)}`);

  for (let command = await next(); command[0] !== 'FINISH'; command = await next()) {
    const [verb, ...args] = command;
    if (verb === 'PAGE') {
      const [resolution, count, first, last] = args;
      step = `page the ${resolution} history until noData`;
      const bars = await pageUntilNoData(info, resolution);
      expect(bars.length === Number(count), `${bars.length} bars, not ${count}`);
      expect(bars[0]?.time === Number(first) && bars[bars.length - 1]?.time === Number(last),
        `bars from ${bars[0]?.time} to ${bars[bars.length - 1]?.time}, not ${first} to ${last}`);
      ready(`page ${resolution} ${bars.length}`);
    } else if (verb === 'SUBSCRIBE') {
      const [uid, resolution] = args;
      step = `subscribe ${uid} to ${resolution}`;
      // As the library does: the first getBars of a resolution comes before its subscription.
      const held = await firstRequest(info, resolution, 300);
      subscribe(uid, resolution, held);
      await until(() => (subscribers.get(uid)?.ticks ?? 0) > 0, `the first tick of ${uid}`);
      ready(`subscribed ${uid}`);
    } else if (verb === 'UNSUBSCRIBE') {
      const [uid] = args;
      step = `unsubscribe ${uid}`;
      datafeed.unsubscribeBars(uid);
      /** @type {any} */ (subscribers.get(uid)).closedAt = subscribers.get(uid)?.ticks;
      ready(`unsubscribed ${uid}`);
    } else if (verb === 'EXPECT') {
      const [uids, ...values] = args;
      const bar = values.map(Number);
      step = `see the bar ${values.join(' ')} on ${uids}`;
      for (const uid of uids.split(',')) {
        await until(() => same(subscribers.get(uid)?.bars.get(bar[0]), bar), `${uid}'s bar at ${bar[0]}: it holds ${JSON.stringify(subscribers.get(uid)?.bars.get(bar[0]))}`);
      }
      ready(`seen ${uids}`);
    } else if (verb === 'RESTARTED') {
      step = 'reconnect after the gateway restarted and resume every subscription';
      await until(() => client.state === 'connected' && client.stats.reconnects >= 1, 'the reconnect');
      await until(() => datafeed.subscriptions.every((s) => s.status === 'live'), 'every subscription live again');
      ready('resumed');
    } else if (verb === 'LATEST') {
      const [resolution, ...values] = args;
      const bar = values.map(Number);
      step = `a first ${resolution} request ends with ${values.join(' ')}`;
      const bars = await firstRequest(info, resolution, 10);
      expect(same(bars[bars.length - 1], bar), `the newest bar is ${JSON.stringify(bars[bars.length - 1])}`);
      ready('latest');
    } else {
      throw new Error(`unknown command ${command.join(' ')}`);
    }
  }

  step = 'finish';
  for (const [uid, s] of subscribers) {
    const closedAt = /** @type {any} */ (s).closedAt;
    expect(closedAt === undefined || closedAt === s.ticks, `${uid} got ${s.ticks - closedAt} ticks after it was unsubscribed`);
  }
  if (problems.length) throw new Error(problems.join('; '));
  for (const uid of subscribers.keys()) datafeed.unsubscribeBars(uid);
  console.log(`STATS ${JSON.stringify({ ...datafeed.stats, reconnects: client.stats.reconnects, subscribers: Object.fromEntries([...subscribers].map(([uid, s]) => [uid, { ticks: s.ticks, resets: s.resets }])) })}`);
  console.log('DONE');
} catch (error) {
  console.log(`FAIL ${step}: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  client.close();
  process.stdin.destroy();
}

/** The library's subscribeBars, checking every tick as the library would. @param {string} uid  @param {string} resolution  @param {any[]} held */
function subscribe(uid, resolution, held) {
  const state = { resolution, bars: new Map(held.map((b) => [b.time, b])), ticks: 0, resets: 0, last: held.length ? held[held.length - 1].time : -Infinity };
  subscribers.set(uid, state);
  datafeed.subscribeBars(librarySymbol(), resolution, (bar) => {
    if (subscribers.get(uid) !== state) return;
    state.ticks++;
    if (bar.time < state.last) problems.push(`${uid} got a tick at ${bar.time}, older than its newest bar ${state.last}`);
    if (![bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume].every(Number.isFinite)) problems.push(`${uid} got a bar that is not whole: ${JSON.stringify(bar)}`);
    state.last = Math.max(state.last, bar.time);
    state.bars.set(bar.time, bar);
  }, uid, () => {
    // The library drops what it holds and asks getBars again.
    state.resets++;
    firstRequest(librarySymbol(), resolution, 300).then((bars) => {
      state.bars = new Map(bars.map((b) => [b.time, b]));
      state.last = bars.length ? bars[bars.length - 1].time : -Infinity;
    }, (error) => problems.push(`${uid}'s reload failed: ${error}`));
  });
}

/** The SymbolInfo the library passes back: the resolved one, of which the datafeed reads the ticker. */
function librarySymbol() {
  return { name: symbol, ticker: symbol };
}

/** @param {any} symbolInfo  @param {string} resolution  @param {number} countBack @returns {Promise<any[]>} */
function firstRequest(symbolInfo, resolution, countBack) {
  const now = Math.floor(Date.now() / 1000);
  return getBars(symbolInfo, resolution, { from: now - countBack * 60, to: now, countBack, firstDataRequest: true }).then(({ bars }) => bars);
}

/** The first request, then pages to the left until noData, checking each page as the library would. @param {any} symbolInfo @param {string} resolution */
async function pageUntilNoData(symbolInfo, resolution) {
  let bars = await firstRequest(symbolInfo, resolution, 50);
  for (let pages = 0; ; pages++) {
    if (pages > 200) throw new Error('paging never ended with noData');
    const to = bars[0].time / 1000;
    const page = await getBars(symbolInfo, resolution, { from: to - 50 * 60, to, countBack: 50, firstDataRequest: false });
    if (page.meta.noData) {
      expect(page.bars.length === 0, 'bars with noData');
      return bars;
    }
    expect(page.bars.every((/** @type {any} */ b) => b.time < to * 1000), `a page reached past 'to' ${to}`);
    bars = [...page.bars, ...bars];
  }
}

/** @param {any} symbolInfo  @param {string} resolution  @param {any} periodParams  @returns {Promise<{bars: any[], meta: any}>} */
function getBars(symbolInfo, resolution, periodParams) {
  return new Promise((resolve, reject) => datafeed.getBars(symbolInfo, resolution, periodParams, (bars, meta) => {
    for (let i = 1; i < bars.length; i++) {
      if (bars[i].time <= bars[i - 1].time) reject(new Error(`bars out of order at ${bars[i].time}`));
    }
    resolve({ bars, meta });
  }, (reason) => reject(new Error(reason))));
}

/** Calls `call` with a callback and checks it is called on a later turn, not synchronously. @param {(done: (value: any) => void) => void} call */
function callsBackLater(call) {
  return new Promise((resolve, reject) => {
    let returned = false;
    call((value) => (returned ? resolve(value) : reject(new Error('called back synchronously'))));
    returned = true;
  });
}

/** @param {any} bar  @param {number[]} expected */
function same(bar, expected) {
  if (!bar) return false;
  const values = [bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume];
  return values.every((v, i) => Math.abs(v - expected[i]) <= 1e-9 * Math.max(1, Math.abs(expected[i])));
}

/** @param {boolean} condition  @param {string} why */
function expect(condition, why) {
  if (!condition) throw new Error(why);
}

/** @param {() => boolean} condition  @param {string} what */
async function until(condition, what) {
  const deadline = Date.now() + TIMEOUT;
  while (!condition()) {
    if (problems.length) throw new Error(problems.join('; '));
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** @param {string} what */
function ready(what) {
  console.log(`READY ${what}`);
}

async function next() {
  const { value, done } = await lines.next();
  if (done) throw new Error('the test closed stdin before FINISH');
  return String(value).trim().split(/\s+/);
}
