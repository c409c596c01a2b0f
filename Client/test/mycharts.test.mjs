// MyCharts in a real Chromium against the fake gateway: drawing, live updates, resync and resume.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FakeGateway, SESSION } from './fake-gateway.mjs';
import { launch, pageWithSession, waitFor } from './helpers.mjs';

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
  // A symbol of its own per test, so no test sees another's charts.
  symbol = `SYM${++symbols}`;
  gateway.history(symbol, '1m', Array.from({ length: 40 }, (_, i) => bar(i)));
  Object.assign(gateway, { refuse: false, received: [] });
  ({ page, errors } = await pageWithSession(browser, gateway.url, SESSION));
  await page.goto(`${gateway.url}/blank.html`);
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    const { MyCharts } = await import('/mycharts.js');
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 200 } });
    window.MyCharts = MyCharts;
    client.connect();
  });
});
afterEach(async () => {
  await page.context().close();
  assert.deepEqual(errors.map(String), [], 'errors in the page');
});

/** Opens `window.chart` on a 900x560 element and waits for its snapshot. */
async function openChart(request) {
  await page.evaluate((request) => {
    const element = document.createElement('div');
    element.style.cssText = 'width: 900px; height: 560px';
    document.body.append(element);
    window.chart = new MyCharts(client, element);
    chart.request(request);
  }, { symbol, period: '1m', indicators: INDICATORS, ...request });
  await page.waitForFunction(() => window.chart.status !== 'opening' && window.chart.status !== 'idle', null, { timeout: 10000 });
}

/** The chart's data in the browser, and the fake gateway's truth for the same chart. */
async function chartAndTruth(indicators = INDICATORS) {
  const chart = await page.evaluate(() => ({ bars: chart.bars, indicators: chart.indicators, stats: chart.stats, seq: chart.seq }));
  return { chart, truth: gateway.snapshot(symbol, '1m', indicators) };
}

const updatesApplied = (n) => page.waitForFunction((n) => window.chart.stats.updates >= n, n, { timeout: 10000 });

test('a snapshot draws candles, volume and each indicator output', async () => {
  await openChart();
  const drawn = await page.evaluate(async () => {
    const echarts = await import('echarts');
    const option = echarts.getInstanceByDom(document.querySelector('div')).getOption();
    return { status: chart.status, chart: chart.chart, bars: chart.bars.length, series: option.series.map((s) => `${s.type}:${s.name}`) };
  });
  assert.deepEqual(drawn, {
    status: 'live', chart: `${symbol}|1m|SMA(5);MACD(12,26,9)`, bars: 40,
    series: [`candlestick:${symbol}`, 'bar:volume', 'line:SMA(5)', 'line:MACD macd', 'line:MACD signal', 'bar:MACD hist'],
  });
  await page.locator('div').first().screenshot({ path: `${artifacts}snapshot.png` });
});

test('an update replaces the last bar or appends a new one, with its indicator values', async () => {
  await openChart();
  gateway.bar(symbol, '1m', bar(39, 120));
  await updatesApplied(1);
  let { chart, truth } = await chartAndTruth();
  assert.equal(chart.bars.length, 40);
  assert.deepEqual(chart.bars, truth.bars);
  gateway.bar(symbol, '1m', bar(40));
  await updatesApplied(2);
  ({ chart, truth } = await chartAndTruth());
  assert.equal(chart.bars.length, 41);
  assert.deepEqual(chart, { ...chart, bars: truth.bars, indicators: truth.indicators });
});

test('each bar keeps its final flag, and an update that revises a final bar is counted as a revision', async () => {
  await openChart();
  gateway.bar(symbol, '1m', [...bar(40), 0]);
  await updatesApplied(1);
  assert.deepEqual(await page.evaluate(() => [chart.isFinal(39), chart.isFinal(40)]), [false, false]); // history of a fake without flags
  gateway.bar(symbol, '1m', [...bar(40), 1]); // closed on the server's clock
  await updatesApplied(2);
  gateway.bar(symbol, '1m', [...bar(40, 121), 1], { revision: true }); // a late quote
  await updatesApplied(3);
  const { chart, truth } = await chartAndTruth();
  assert.deepEqual([chart.bars, chart.stats.revisions], [truth.bars, 1]);
  assert.equal(await page.evaluate(() => chart.isFinal(40)), true);
});

test('a repeated update changes nothing', async () => {
  await openChart();
  gateway.bar(symbol, '1m', bar(40));
  await updatesApplied(1);
  gateway.repeatLast();
  gateway.bar(symbol, '1m', bar(41));
  await updatesApplied(2);
  const { chart, truth } = await chartAndTruth();
  assert.equal(chart.stats.updates, 2);
  assert.deepEqual(chart.bars, truth.bars);
});

test('a merged update (a slow reader\'s conflation) is applied as it is: every bar it skipped is in it', async () => {
  await openChart();
  gateway.merge(3);
  gateway.bar(symbol, '1m', bar(40, 101));
  gateway.bar(symbol, '1m', bar(41, 102));
  gateway.bar(symbol, '1m', bar(42, 103)); // one update, seq 3 following 0, with three bars
  await updatesApplied(1);
  const { chart, truth } = await chartAndTruth();
  assert.deepEqual([chart.seq, chart.bars, chart.indicators, chart.stats.resumes], [3, truth.bars, truth.indicators, 0]);
});

test('a missed update makes it resume under a new chartId, missing and repeating nothing', async () => {
  await openChart();
  const firstId = await page.evaluate(() => chart.chartId);
  gateway.withhold(2);
  gateway.bar(symbol, '1m', bar(40));
  gateway.bar(symbol, '1m', bar(40, 101));
  gateway.bar(symbol, '1m', bar(41)); // follows seq 2, which we never got
  await page.waitForFunction(() => window.chart.seq === 3 && window.chart.stats.resumes === 1, null, { timeout: 10000 });
  const { chart, truth } = await chartAndTruth();
  assert.deepEqual([chart.bars, chart.indicators], [truth.bars, truth.indicators]);
  const mychart = gateway.received.filter((f) => f.type === 'mychart').map((f) => f.data);
  assert.deepEqual(mychart.slice(1).map((d) => [d.action, d.chartId === firstId, d.resume?.seq]), [['close', true, undefined], ['open', false, 0]]);
});

test('after a reconnect it resumes from its last seq: nothing missed, nothing repeated', async () => {
  await openChart();
  gateway.bar(symbol, '1m', bar(40));
  await updatesApplied(1);
  gateway.refuse = true;
  gateway.drop(1011);
  await page.waitForFunction(() => window.client.state === 'reconnecting');
  for (let i = 41; i < 44; i++) gateway.bar(symbol, '1m', bar(i)); // nobody is connected to receive these
  gateway.refuse = false;
  await page.waitForFunction(() => window.chart.seq === 4, null, { timeout: 10000 });
  const { chart, truth } = await chartAndTruth();
  assert.deepEqual([chart.bars, chart.indicators], [truth.bars, truth.indicators]);
  assert.deepEqual(chart.stats, { snapshots: 1, updates: 4, resumes: 1, revisions: 0 });
  const open = gateway.received.filter((f) => f.type === 'mychart' && f.data.action === 'open').map((f) => f.data.resume);
  assert.deepEqual(open, [undefined, { epoch: open[1].epoch, seq: 1 }]);
});

test('a snapshot pushed unasked (a restarted computation) replaces the chart and its epoch', async () => {
  await openChart();
  const epoch = await page.evaluate(() => chart.epoch);
  gateway.bar(symbol, '1m', bar(40));
  gateway.restart(symbol, '1m');
  await page.waitForFunction((epoch) => window.chart.epoch !== epoch && window.chart.stats.snapshots === 2, epoch, { timeout: 10000 });
  gateway.bar(symbol, '1m', bar(41));
  await page.waitForFunction(() => window.chart.seq === 1, null, { timeout: 10000 });
  const { chart, truth } = await chartAndTruth();
  assert.deepEqual([chart.bars, chart.indicators], [truth.bars, truth.indicators]);
});

test('changing the indicators swaps the chart in place', async () => {
  await openChart();
  await page.evaluate(() => chart.setIndicators(['EMA(20)', 'RSI(14)']));
  await page.waitForFunction(() => window.chart.chart?.endsWith('|EMA(20);RSI(14)') && window.chart.status === 'live', null, { timeout: 10000 });
  const change = gateway.received.find((f) => f.type === 'mychart' && f.data.action === 'change');
  assert.deepEqual(change.data.indicators, ['EMA(20)', 'RSI(14)']);
  gateway.bar(symbol, '1m', bar(40));
  await updatesApplied(1);
  const { chart, truth } = await chartAndTruth(['EMA(20)', 'RSI(14)']);
  assert.deepEqual(chart.indicators, truth.indicators);
});

test('a refused change shows the error, lets the old chart go, and a new request opens afresh', async () => {
  await openChart();
  await page.evaluate((symbol) => chart.request({ symbol: 'NOPE', period: '1m' }), symbol);
  await page.waitForFunction(() => window.chart.status === 'error');
  await waitFor(() => gateway.received.some((f) => f.type === 'mychart' && f.data.action === 'close'), 'the old chart let go');
  await page.evaluate((symbol) => chart.request({ symbol, period: '1m', indicators: ['SMA(5)'] }), symbol);
  await page.waitForFunction(() => window.chart.status === 'live' && window.chart.chart?.endsWith('|SMA(5)'));
  const actions = gateway.received.filter((f) => f.type === 'mychart').map((f) => [f.data.action, f.data.chartId]);
  assert.deepEqual(actions.map(([action]) => action), ['open', 'change', 'close', 'open']);
  assert.equal(actions[2][1], actions[0][1]);
  assert.notEqual(actions[3][1], actions[0][1]);
});

test('close stops the chart on the server and later updates are not applied', async () => {
  await openChart();
  await page.evaluate(() => chart.close());
  await waitFor(() => gateway.received.some((f) => f.type === 'mychart' && f.data.action === 'close'), 'the close request');
  gateway.bar(symbol, '1m', bar(40));
  gateway.drop(1011); // and it is not re-opened after a reconnect
  await page.waitForFunction(() => window.client.stats.reconnects === 1, null, { timeout: 10000 });
  await page.evaluate(() => client.request('ping')); // everything sent before the pong has been seen
  assert.deepEqual(await page.evaluate(() => [chart.status, chart.stats.updates, chart.bars.length]), ['closed', 0, 40]);
  assert.equal(gateway.received.filter((f) => f.type === 'mychart' && f.data.action === 'open').length, 1);
});

test('a static chart draws history once and is not re-opened', async () => {
  await openChart({ mode: 'static' });
  gateway.drop(1011);
  await page.waitForFunction(() => window.client.stats.reconnects === 1, null, { timeout: 10000 });
  await page.evaluate(() => client.request('ping'));
  assert.equal(gateway.received.filter((f) => f.type === 'mychart').length, 1);
  assert.equal(await page.evaluate(() => chart.bars.length), 40);
});

test("an unknown symbol shows the server's error", async () => {
  await openChart({ symbol: 'NOPE' });
  assert.deepEqual(await page.evaluate(() => [chart.status, chart.error]), ['error', "not_found: unknown symbol 'NOPE'"]);
});
