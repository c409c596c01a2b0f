// Both renderers of MyCharts (ECharts, Lightweight Charts) in a real Chromium against the fake gateway: each draws
// candles, volume and every indicator output, follows live updates (a revised bar, new bars, merged updates, history
// trimmed at the requested count) and ends holding exactly what a static snapshot of the same chart holds.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FakeGateway, SESSION } from './fake-gateway.mjs';
import { launch, pageWithSession } from './helpers.mjs';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const INDICATORS = ['SMA(5)', 'MACD(12,26,9)'];
const artifacts = fileURLToPath(new URL('../../artifacts/client-tests/', import.meta.url));

/** @type {FakeGateway} */ let gateway;
/** @type {import('playwright-core').Browser} */ let browser;
/** @type {import('playwright-core').Page} */ let page;
/** @type {Error[]} */ let errors;
let symbol = '';
let symbols = 0;

/** A plausible bar `i` minutes after T0. @returns {[number, number, number, number, number, number]} */
function bar(i, close = 100 + Math.sin(i / 3) * 4 + i * 0.1) {
  const open = close - Math.cos(i) * 1.5;
  return [T0 + i * MINUTE, open, Math.max(open, close) + 0.8, Math.min(open, close) - 0.8, close, 1000 + (i * 37) % 500];
}

before(async () => {
  gateway = await new FakeGateway().start();
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});
after(async () => {
  await browser?.close();
  await gateway?.stop();
});
beforeEach(async () => {
  symbol = `LWC${++symbols}`;
  gateway.history(symbol, '1m', Array.from({ length: 40 }, (_, i) => bar(i)));
  ({ page, errors } = await pageWithSession(browser, gateway.url, SESSION));
  await page.goto(`${gateway.url}/blank.html`);
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    const { MyCharts, echartsRenderer } = await import('/mycharts.js');
    const { lightweightRenderer } = await import('/lwcharts.js');
    Object.assign(window, { MyCharts, renderers: { echarts: echartsRenderer, lightweight: lightweightRenderer }, charts: {} });
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 200 } });
    client.connect();
  });
});
afterEach(async () => {
  await page.context().close();
  assert.deepEqual(errors.map(String), [], 'errors in the page');
});

/** Opens `charts[name]` drawn by `renderer` on an element of its own and waits for its snapshot. */
async function open(name, renderer, request = {}) {
  await page.evaluate(({ name, renderer, request }) => {
    const element = document.createElement('div');
    element.id = name;
    element.style.cssText = 'width: 900px; height: 520px';
    document.body.append(element);
    charts[name] = new MyCharts(client, element, { renderer: renderers[renderer] });
    charts[name].request(request);
  }, { name, renderer, request: { symbol, period: '1m', indicators: INDICATORS, ...request } });
  await page.waitForFunction((name) => window.charts[name].status === 'live', name, { timeout: 10000 });
}

/** What the chart's renderer holds, after the pending frame is painted. */
async function drawn(name) {
  await page.evaluate(() => new Promise(requestAnimationFrame));
  return page.evaluate((name) => charts[name].drawn(), name);
}

/** The fake gateway's truth in the shape `drawn()` has: bars, and each indicator output by series name. */
function truth(count = Infinity) {
  const { bars, indicators } = gateway.snapshot(symbol, '1m', INDICATORS);
  const first = Math.max(0, bars.length - count);
  const series = {};
  for (const ind of indicators) {
    ind.outputs.forEach((output, k) => {
      const name = ind.outputs.length > 1 ? `${ind.name.replace(/\(.*/, '')} ${output}` : ind.name;
      series[name] = ind.values.slice(first).map((v) => v?.[k] ?? null);
    });
  }
  return { bars: bars.slice(first), series };
}

/** Lightweight Charts keeps numbers as given; both must hold the truth exactly (nulls where an indicator has none). */
function assertDrawn(actual, expected, what) {
  assert.deepEqual(actual.bars, expected.bars, `${what}: bars`);
  assert.deepEqual(Object.keys(actual.series).sort(), Object.keys(expected.series).sort(), `${what}: series`);
  for (const name of Object.keys(expected.series)) assert.deepEqual(actual.series[name], expected.series[name], `${what}: ${name}`);
}

test('Lightweight Charts draws candles, volume, line and histogram series in panes, with TradingView\'s attribution', async () => {
  await open('lw', 'lightweight');
  assertDrawn(await drawn('lw'), truth(), 'the snapshot');
  const layout = await page.evaluate(() => ({
    canvases: document.querySelectorAll('#lw canvas').length,
    logo: !!document.querySelector('#lw a[href*="tradingview.com"]'),
    legend: document.querySelector('#lw')?.textContent,
  }));
  assert.ok(layout.logo, 'the attribution link to tradingview.com is on the chart');
  assert.match(layout.legend ?? '', /SMA\(5\)/);
  assert.ok(layout.canvases >= 6, `${layout.canvases} canvases: three panes (candles, volume, MACD) are drawn`);
  await page.locator('#lw').screenshot({ path: `${artifacts}lightweight-snapshot.png` });
});

test('both renderers follow live updates and end equal to a static snapshot', async () => {
  await open('ec', 'echarts', { count: 45 });
  await open('lw', 'lightweight', { count: 45 });
  gateway.bar(symbol, '1m', bar(39, 121)); // the live bar revised
  gateway.bar(symbol, '1m', bar(40)); // a new bar
  gateway.merge(3);
  for (let i = 41; i < 44; i++) gateway.bar(symbol, '1m', bar(i)); // three bars in one merged update
  for (let i = 44; i < 52; i++) { gateway.bar(symbol, '1m', bar(i)); gateway.bar(symbol, '1m', bar(i, 100 + i / 2)); } // past the count: trimmed
  await page.waitForFunction(() => charts.ec.seq === 21 && charts.lw.seq === 21, null, { timeout: 10000 });
  await open('static', 'echarts', { mode: 'static' });

  // The live charts hold the newest 45 bars (their count); the static snapshot all of them.
  const fresh = await drawn('static');
  const tail = { bars: fresh.bars.slice(-45), series: Object.fromEntries(Object.entries(fresh.series).map(([k, v]) => [k, v.slice(-45)])) };
  assertDrawn(fresh, truth(), 'the static snapshot, drawn');
  assertDrawn(await drawn('ec'), tail, 'ECharts, live');
  assertDrawn(await drawn('lw'), tail, 'Lightweight Charts, live');
  await page.locator('#ec').screenshot({ path: `${artifacts}echarts-live.png` });
  await page.locator('#lw').screenshot({ path: `${artifacts}lightweight-live.png` });
});

test('a chart switches renderer in place and goes on updating', async () => {
  await open('c', 'echarts');
  await page.evaluate(() => charts.c.setRenderer(renderers.lightweight));
  assertDrawn(await drawn('c'), truth(), 'after the switch');
  gateway.bar(symbol, '1m', bar(40));
  await page.waitForFunction(() => charts.c.seq === 1, null, { timeout: 10000 });
  assertDrawn(await drawn('c'), truth(), 'after an update');
  await page.evaluate(() => charts.c.setRenderer(renderers.echarts));
  assertDrawn(await drawn('c'), truth(), 'back on ECharts');
});

test('changing the indicators rebuilds the Lightweight Charts series', async () => {
  await open('lw', 'lightweight');
  await page.evaluate(() => charts.lw.setIndicators(['EMA(20)', 'RSI(14)']));
  await page.waitForFunction(() => window.charts.lw.chart?.endsWith('|EMA(20);RSI(14)'), null, { timeout: 10000 });
  const held = await drawn('lw');
  assert.deepEqual(Object.keys(held.series), ['EMA(20)', 'RSI(14)']);
  assert.equal(held.bars.length, 40);
});

test("an unknown symbol shows the server's error on Lightweight Charts", async () => {
  await page.evaluate(() => {
    const element = document.createElement('div');
    element.id = 'bad';
    element.style.cssText = 'width: 600px; height: 300px';
    document.body.append(element);
    charts.bad = new MyCharts(client, element, { renderer: renderers.lightweight });
    charts.bad.request({ symbol: 'NOPE', period: '1m' });
  });
  await page.waitForFunction(() => window.charts.bad.status === 'error');
  assert.match(await page.locator('#bad').textContent() ?? '', /unknown symbol 'NOPE'/);
});
