// End to end: a bar closes on the server's clock, in the browser library. The demo page in headless Chromium opens
// its default chart by itself (the only symbol the test's cluster has); the bar the test's quote opened must show as
// forming (final 0) and then, with no further quote, as final (1) once its minute and the grace are over
// (docs/protocol.md 1.9). Driven by Tests/Browser/BarClosePageTests.cs, which checks the timing.
//
//   node e2e/barclose.e2e.mjs <gateway url> <session key> <symbol> <bar time, unix ms> <timeout ms>
//   stdout: READY forming, then READY final; FAIL <step>: <why> and exit 1 otherwise
import { launch, pageWithSession } from '../test/helpers.mjs';

const [url, session, symbol, barArg, timeoutArg] = process.argv.slice(2);
if (!timeoutArg) throw new Error('usage: barclose.e2e.mjs <gateway url> <session key> <symbol> <bar time> <timeout ms>');
const bar = Number(barArg);
const browser = await launch();
const { page, errors } = await pageWithSession(browser, url, session);
page.setDefaultTimeout(30_000);
let step = 'open the demo page and its default chart';

try {
  await page.goto(`${url}/`);
  await page.waitForFunction((symbol) => {
    const chart = [...demo.charts][0];
    return chart?.status === 'live' && chart.chart?.startsWith(`${symbol}|1m|`);
  }, symbol);

  step = `the bar at ${bar} is there, forming`;
  const forming = await page.evaluate((bar) => {
    const chart = [...demo.charts][0];
    const index = chart.bars.findIndex((b) => b[0] === bar);
    return { index, last: chart.bars.length - 1, final: index < 0 ? null : chart.isFinal(index) };
  }, bar);
  if (forming.index !== forming.last || forming.final !== false) throw new Error(`found ${JSON.stringify(forming)}`);
  console.log('READY forming');

  step = `the bar at ${bar} becomes final with no quote`;
  await page.waitForFunction((bar) => {
    const chart = [...demo.charts][0];
    const index = chart.bars.findIndex((b) => b[0] === bar);
    return index >= 0 && chart.isFinal(index);
  }, bar, { timeout: Number(timeoutArg) });
  const stats = await page.evaluate(() => [...demo.charts][0].stats);
  if (stats.revisions !== 0) throw new Error(`a close is not a revision: ${JSON.stringify(stats)}`);
  if (errors.length) throw errors[0];
  console.log('READY final');
  await browser.close();
} catch (error) {
  console.log(`FAIL ${step}: ${/** @type {Error} */ (error).message}`);
  await browser.close();
  process.exit(1);
}
