// End to end: the demo page in headless Chromium against a real gateway, step by step with the xunit test that
// owns the cluster (Tests/Browser/ChartPageTests.cs). Each `READY <step>` line on stdout hands over to the test,
// which answers on stdin with the next command once it has pushed quotes or restarted the gateway.
// Any failed step prints `FAIL <step>: <why>`, saves a screenshot of what the page showed and exits 1.
//
// The page opens a live chart by itself (drawn with ECharts); the test opens a second one drawn with Lightweight
// Charts. Both live through the steps and must end equal to a static snapshot, in their data and in what is drawn.
// The watchlist beside them shows the symbol's line, live, equal to its day bars. With a page query such as
// `maxRate=1` the page asks for that cadence, and no chart or line may get two updates less than 0.7 s apart.
//
//   node e2e/chart.e2e.mjs <gateway url> <session key> <symbol> <screenshot.png> [page query]
//   stdin:  EXPECT <bars> <last bar time, unix ms> <last close>   wait until every live chart shows exactly that
//           LINE <price> <volume> <previous close | null>         wait until the watchlist row shows exactly that
//           RESTARTED                                             wait until the page reconnected and resumed
//           FINISH                                                compare with a fresh snapshot, screenshots, exit
import { createInterface } from 'node:readline';
import { launch, pageWithSession } from '../test/helpers.mjs';

const [url, session, symbol, screenshot, query = ''] = process.argv.slice(2);
const maxRate = Number(new URLSearchParams(query).get('maxRate')) || 0;
// Two updates of one chart or line closer than this break the cadence the page asked for (less what a loaded machine
// may have delayed the first of them).
const SHORTEST_GAP_MS = maxRate ? 700 / maxRate : 0;
if (!screenshot) throw new Error('usage: chart.e2e.mjs <gateway url> <session key> <symbol> <screenshot.png>');
const TIMEOUT = 30_000;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const browser = await launch();
const { page, errors } = await pageWithSession(browser, url, session);
page.setDefaultTimeout(TIMEOUT);
page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`));
// When each update frame reached the page's socket, per chart or symbol: the cadence as the browser sees it.
await page.addInitScript(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    /** @param {ConstructorParameters<typeof WebSocket>} args */
    constructor(...args) {
      super(...args);
      // A compact update (docs/protocol.md 1.13) names its chart or symbol by the handle its snapshot announced.
      /** @type {Map<number, string>} */
      const handles = new Map();
      this.addEventListener('message', (event) => {
        const frame = JSON.parse(event.data);
        if (typeof frame.data?.h === 'number') handles.set(frame.data.h, frame.type.startsWith('ticker.') ? `ticker ${frame.data.symbol}` : frame.data.chart);
        const key = Array.isArray(frame) ? handles.get(frame[0])
          : frame.type === 'chart.update' ? frame.data.chart : frame.type === 'ticker.update' ? `ticker ${frame.data.symbol}` : null;
        if (key) ((/** @type {any} */ (window).arrivals ??= {})[key] ??= []).push(performance.now());
      });
    }
  };
});
let step = 'open the demo page';

try {
  await page.goto(`${url}/${query ? `?${query}` : ''}`);
  await page.locator('#connection[data-state="connected"]').waitFor();
  await text('#user', '42');
  // The library offers the compact form by default (docs/protocol.md 1.13); everything below checks it stays exact.
  const protocol = await page.evaluate(() => demo.client.welcome?.protocol);
  if (protocol !== 'rt.compact.v2') throw new Error(`the page speaks ${protocol ?? 'the JSON form'}, not rt.compact.v2`);
  // Every state the page goes through from here on, to tell a reconnect from a connection that never dropped.
  await page.evaluate(() => demo.client.addEventListener('state', (e) => (window.states ??= []).push(e.detail)));

  step = 'the page opens a live chart by itself, with no click';
  await page.waitForFunction(() => demo.charts.size === 1 && document.querySelector('.card')?.dataset.status === 'live');
  const opened = await page.evaluate(() => ({ title: document.querySelector('.card .title')?.textContent, renderer: document.querySelector('.card')?.dataset.renderer }));
  if (!opened.title?.startsWith(`${symbol} · 1m`) || opened.renderer !== 'echarts') throw new Error(`the first chart is ${JSON.stringify(opened)}`);

  step = 'the page shows the watchlist by itself, with a line for the symbol';
  await page.waitForFunction((symbol) => demo.watchlist.lines.has(symbol) && document.querySelector(`#watchlist tr[data-symbol="${symbol}"] .price`)?.textContent === String(demo.watchlist.lines.get(symbol).price), symbol);

  step = `open a dynamic ${symbol} chart drawn with Lightweight Charts`;
  await page.getByRole('checkbox', { name: symbol, exact: true }).check();
  await page.selectOption('#period', '1m');
  await page.selectOption('#mode', 'dynamic');
  await page.selectOption('#renderer', 'lightweight');
  for (const indicator of ['SMA(5)', 'BOLL', 'MACD']) await page.getByRole('checkbox', { name: indicator, exact: true }).check();
  await page.click('#open');
  const live = page.locator('.card').first();
  await page.waitForFunction(() => demo.charts.size === 2 && document.querySelector('.card')?.dataset.status === 'live');
  const bars = await live.locator('.bars').textContent();
  ready(`chart-open ${bars} ${await lastBar()}`);

  for (let command = await next(); command[0] !== 'FINISH'; command = await next()) {
    if (command[0] === 'EXPECT') {
      const [, count, time, close] = command;
      step = `see ${count} bars, the last at ${time} closing at ${close}`;
      await page.waitForFunction(([count, time, close]) => [...demo.charts].every((chart) => {
        const last = chart.bars[chart.bars.length - 1];
        return chart.bars.length === count && last[0] === time && last[4] === close;
      }), [Number(count), Number(time), Number(close)]);
      await text('.card .bars', count); // and the page shows it, not just the data behind it
      await page.waitForFunction((close) => document.querySelector('.card .last')?.textContent?.endsWith(` ${close}`), close);
      ready(`seen ${count}`);
    } else if (command[0] === 'LINE') {
      const [, price, volume, prevClose] = command;
      step = `see the watchlist line ${price} ${volume} ${prevClose}`;
      const expected = { price: Number(price), volume: Number(volume), prevClose: prevClose === 'null' ? null : Number(prevClose) };
      await page.waitForFunction(([symbol, expected]) => {
        const line = demo.watchlist.lines.get(symbol);
        const row = document.querySelector(`#watchlist tr[data-symbol="${symbol}"]`);
        return line && line.price === expected.price && line.volume === expected.volume && line.prevClose === expected.prevClose
          && line.change === (expected.prevClose === null ? null : line.price - expected.prevClose)
          && row?.querySelector('.price')?.textContent === String(expected.price) && row?.querySelector('.volume')?.textContent === expected.volume.toLocaleString('en-US');
      }, /** @type {const} */ ([symbol, expected]));
      const updates = await page.evaluate(() => demo.watchlist.stats.updates);
      if (updates < 1) throw new Error('the watchlist line never updated, only its snapshot came');
      ready('line');
    } else if (command[0] === 'RESTARTED') {
      step = 'reconnect after the gateway restarted and resume the chart';
      await page.waitForFunction(() => demo.client.state === 'connected' && demo.client.stats.reconnects >= 1);
      const seen = await page.evaluate(() => window.states ?? []);
      if (!seen.includes('reconnecting')) throw new Error(`the page never showed reconnecting: ${seen.join(', ')}`);
      await text('#reconnects', '1');
      await page.waitForFunction(() => [...demo.charts].every((chart) => chart.stats.resumes >= 1));
      ready('resumed');
    } else {
      throw new Error(`unknown command ${command.join(' ')}`);
    }
  }

  step = 'match a fresh snapshot of the same chart: nothing missed, nothing repeated, in the data and in the drawing';
  await page.selectOption('#mode', 'static');
  await page.selectOption('#renderer', 'echarts');
  await page.click('#open');
  await page.waitForFunction(() => document.querySelector('.card')?.dataset.status === 'live' && demo.charts.size === 3);
  await page.evaluate(() => new Promise(requestAnimationFrame)); // every queued update is drawn
  const mismatch = await page.evaluate(() => {
    const all = [...demo.charts];
    const fresh = all[all.length - 1];
    const close = (/** @type {any} */ a, /** @type {any} */ b) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));
    for (const [n, live] of all.slice(0, -1).entries()) {
      if (JSON.stringify(live.bars) !== JSON.stringify(fresh.bars)) return `chart ${n}: bars differ:\n${JSON.stringify(live.bars.slice(-5))}\n${JSON.stringify(fresh.bars.slice(-5))}`;
      for (const indicator of live.indicators) {
        const other = fresh.indicators.find((/** @type {any} */ i) => i.name === indicator.name)?.values;
        if (!other) return `chart ${n}: the static chart has no ${indicator.name}`;
        // A bar inside the lookback has a null row, or a row of nulls: the same thing.
        const j = indicator.values.findIndex((/** @type {any} */ outputs, /** @type {number} */ j) => indicator.outputs.some((/** @type {any} */ _, /** @type {number} */ k) => !close(outputs?.[k] ?? null, other[j]?.[k] ?? null)));
        if (j >= 0) return `chart ${n}: ${indicator.name} differs at bar ${j}: ${JSON.stringify(indicator.values[j])} vs ${JSON.stringify(other[j])}`;
      }
      // What the renderer holds is what the snapshot holds.
      const drawn = live.drawn();
      if (JSON.stringify(drawn.bars) !== JSON.stringify(fresh.bars.map((/** @type {number[]} */ b) => b.slice(0, 6)))) return `chart ${n}: the drawn bars differ:\n${JSON.stringify(drawn.bars.slice(-3))}\n${JSON.stringify(fresh.bars.slice(-3))}`;
      for (const [name, values] of Object.entries(drawn.series)) {
        const [indicator, output] = live.indicators.flatMap((/** @type {any} */ i) => i.outputs.map((/** @type {string} */ o, /** @type {number} */ k) => [i, k, o]))
          .filter(([i, , o]) => (i.outputs.length > 1 ? `${i.name.replace(/\(.*/, '')} ${o}` : i.name) === name)[0] ?? [];
        if (!indicator) return `chart ${n}: a drawn series ${name} that is no indicator`;
        const other = fresh.indicators.find((/** @type {any} */ i) => i.name === indicator.name).values;
        const j = values.findIndex((v, j) => !close(v, other[j]?.[/** @type {number} */ (output)] ?? null));
        if (j >= 0) return `chart ${n}: drawn ${name} differs at bar ${j}: ${values[j]} vs ${JSON.stringify(other[j])}`;
      }
    }
    return null;
  });
  if (mismatch) throw new Error(mismatch);
  const stats = await page.evaluate(() => [...demo.charts].slice(0, -1).map((chart) => ({ ...chart.stats, reconnects: demo.client.stats.reconnects })));
  console.log(`STATS ${JSON.stringify(stats)}`);
  const arrivals = /** @type {Record<string, number[]>} */ (await page.evaluate(() => /** @type {any} */ (window).arrivals ?? {}));
  const gaps = Object.fromEntries(Object.entries(arrivals).map(([key, times]) => [key, times.slice(1).map((t, i) => Math.round(t - times[i]))]));
  console.log(`ARRIVALS ${JSON.stringify(Object.fromEntries(Object.entries(arrivals).map(([key, times]) => [key, times.length])))} shortest gaps ${JSON.stringify(Object.fromEntries(Object.entries(gaps).map(([key, g]) => [key, Math.min(...g)])))}`);
  if (maxRate) {
    step = `no chart and no line got two updates less than ${SHORTEST_GAP_MS} ms apart (maxRate ${maxRate})`;
    for (const [key, g] of Object.entries(gaps)) {
      const short = g.filter((gap) => gap < SHORTEST_GAP_MS);
      if (short.length) throw new Error(`${key}: updates ${short.join(', ')} ms apart`);
    }
    if (Object.keys(arrivals).filter((key) => !key.startsWith('ticker ')).length < 2) throw new Error(`updates of fewer than two charts arrived: ${JSON.stringify(Object.keys(arrivals))}`);
  }

  step = 'every live chart shows how many watch it (presence, reported every 2 s)';
  await page.waitForFunction(() => [...document.querySelectorAll('.card[data-mode="dynamic"] .watching')].every((e) => Number(e.textContent) >= 1));

  step = 'save the screenshot';
  if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  await page.evaluate(() => new Promise(requestAnimationFrame)); // the last update is painted
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`SCREENSHOT ${screenshot}`);
  // Each renderer's live chart on its own: the default ECharts one (the oldest card, last in the page) and ours.
  for (const [renderer, card] of [['lightweight', page.locator('.card').nth(1)], ['echarts', page.locator('.card').nth(2)]]) {
    const path = screenshot.replace(/\.png$/, `-${renderer}.png`);
    await /** @type {import('playwright-core').Locator} */ (card).screenshot({ path });
    console.log(`SCREENSHOT ${path}`);
  }
  console.log('DONE');
} catch (error) {
  console.log(`FAIL ${step}: ${error instanceof Error ? error.message : error}`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-failed.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdin.destroy();
}

/** @param {string} what */
function ready(what) {
  console.log(`READY ${what}`);
}

/** The next command from the test, split into words. */
async function next() {
  const { value, done } = await lines.next();
  if (done) throw new Error('the test closed stdin before FINISH');
  return String(value).trim().split(/\s+/);
}

/** Waits until the element shows exactly this text. @param {string} selector @param {string} expected */
async function text(selector, expected) {
  await page.waitForFunction(([selector, expected]) => document.querySelector(selector)?.textContent?.trim() === expected, [selector, expected]);
}

async function lastBar() {
  return page.evaluate(() => {
    const chart = [...demo.charts][1];
    return chart.bars[chart.bars.length - 1]?.join(' ');
  });
}
