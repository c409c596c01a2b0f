// End to end: the demo page in headless Chromium against a real gateway, step by step with the xunit test that
// owns the cluster (Tests/Browser/ChartPageTests.cs). Each `READY <step>` line on stdout hands over to the test,
// which answers on stdin with the next command once it has pushed quotes or restarted the gateway.
// Any failed step prints `FAIL <step>: <why>`, saves a screenshot of what the page showed and exits 1.
//
//   node e2e/chart.e2e.mjs <gateway url> <session key> <symbol> <screenshot.png>
//   stdin:  EXPECT <bars> <last bar time, unix ms> <last close>   wait until the live chart shows exactly that
//           RESTARTED                                             wait until the page reconnected and resumed
//           FINISH                                                compare with a fresh snapshot, screenshot, exit
import { createInterface } from 'node:readline';
import { launch, pageWithSession } from '../test/helpers.mjs';

const [url, session, symbol, screenshot] = process.argv.slice(2);
if (!screenshot) throw new Error('usage: chart.e2e.mjs <gateway url> <session key> <symbol> <screenshot.png>');
const TIMEOUT = 30_000;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const browser = await launch();
const { page, errors } = await pageWithSession(browser, url, session);
page.setDefaultTimeout(TIMEOUT);
page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`));
let step = 'open the demo page';

try {
  await page.goto(`${url}/`);
  await page.locator('#connection[data-state="connected"]').waitFor();
  await text('#user', '42');
  // Every state the page goes through from here on, to tell a reconnect from a connection that never dropped.
  await page.evaluate(() => demo.client.addEventListener('state', (e) => (window.states ??= []).push(e.detail)));

  step = `open a dynamic ${symbol} chart`;
  await page.getByRole('checkbox', { name: symbol, exact: true }).check();
  await page.selectOption('#period', '1m');
  await page.selectOption('#mode', 'dynamic');
  for (const indicator of ['SMA(5)', 'BOLL', 'MACD']) await page.getByRole('checkbox', { name: indicator, exact: true }).check();
  await page.click('#open');
  const live = page.locator('.card').first();
  await page.waitForFunction(() => document.querySelector('.card')?.dataset.status === 'live');
  const bars = await live.locator('.bars').textContent();
  ready(`chart-open ${bars} ${await lastBar()}`);

  for (let command = await next(); command[0] !== 'FINISH'; command = await next()) {
    if (command[0] === 'EXPECT') {
      const [, count, time, close] = command;
      step = `see ${count} bars, the last at ${time} closing at ${close}`;
      await page.waitForFunction(([count, time, close]) => {
        const chart = [...demo.charts][0];
        const last = chart.bars[chart.bars.length - 1];
        return chart.bars.length === count && last[0] === time && last[4] === close;
      }, [Number(count), Number(time), Number(close)]);
      await text('.card .bars', count); // and the page shows it, not just the data behind it
      await page.waitForFunction((close) => document.querySelector('.card .last')?.textContent?.endsWith(` ${close}`), close);
      ready(`seen ${count}`);
    } else if (command[0] === 'RESTARTED') {
      step = 'reconnect after the gateway restarted and resume the chart';
      await page.waitForFunction(() => demo.client.state === 'connected' && demo.client.stats.reconnects >= 1);
      const seen = await page.evaluate(() => window.states ?? []);
      if (!seen.includes('reconnecting')) throw new Error(`the page never showed reconnecting: ${seen.join(', ')}`);
      await text('#reconnects', '1');
      await page.waitForFunction(() => [...demo.charts][0].stats.resumes >= 1);
      ready('resumed');
    } else {
      throw new Error(`unknown command ${command.join(' ')}`);
    }
  }

  step = 'match a fresh snapshot of the same chart: nothing missed, nothing repeated';
  await page.selectOption('#mode', 'static');
  await page.click('#open');
  await page.waitForFunction(() => document.querySelector('.card')?.dataset.status === 'live' && demo.charts.size === 2);
  const mismatch = await page.evaluate(() => {
    const [resumed, fresh] = [...demo.charts];
    if (JSON.stringify(resumed.bars) !== JSON.stringify(fresh.bars)) return `bars differ:\n${JSON.stringify(resumed.bars.slice(-5))}\n${JSON.stringify(fresh.bars.slice(-5))}`;
    const close = (/** @type {any} */ a, /** @type {any} */ b) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));
    for (const [i, indicator] of resumed.indicators.entries()) {
      const other = fresh.indicators[i].values;
      // A bar inside the lookback has a null row, or a row of nulls: the same thing.
      const j = indicator.values.findIndex((outputs, j) => indicator.outputs.some((_, k) => !close(outputs?.[k] ?? null, other[j]?.[k] ?? null)));
      if (j >= 0) return `${indicator.name} differs at bar ${j}: ${JSON.stringify(indicator.values[j])} vs ${JSON.stringify(other[j])}`;
    }
    return null;
  });
  if (mismatch) throw new Error(mismatch);
  const stats = await page.evaluate(() => ({ ...[...demo.charts][0].stats, reconnects: demo.client.stats.reconnects }));
  console.log(`STATS ${JSON.stringify(stats)}`);

  step = 'save the screenshot';
  if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  await page.evaluate(() => new Promise(requestAnimationFrame)); // the last update is painted
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`SCREENSHOT ${screenshot}`);
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
    const chart = [...demo.charts][0];
    return chart.bars[chart.bars.length - 1]?.join(' ');
  });
}
