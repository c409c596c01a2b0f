// End to end: cross-site WebSocket hijacking, tried in headless Chromium against real gateways
// (Tests/Browser/OriginPageTests.cs owns the cluster). The browser holds the user's Django session cookie for
// 127.0.0.1. A page served from another port of 127.0.0.1 is another origin but the same site, so Chromium sends that
// (SameSite=Lax) cookie with its WebSocket upgrades: only the gateway's origin policy can stop it.
//
//   node e2e/origin.e2e.mjs <gateway url> <gateway url that allows the foreign origin> <session key> <foreign port>
//
// Prints `DONE` when every step held, or `FAIL <step>: <why>` and exits 1.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { launch, pageWithSession } from '../test/helpers.mjs';

const [url, permissiveUrl, session, foreignPort] = process.argv.slice(2);
if (!foreignPort) throw new Error('usage: origin.e2e.mjs <gateway url> <permissive gateway url> <session key> <foreign port>');
const TIMEOUT = 30_000;
/** @type {import('node:http').Server} */
let foreignServer;
const foreign = await serveForeignSite(Number(foreignPort));
const browser = await launch();
const { page, errors } = await pageWithSession(browser, url, session);
page.setDefaultTimeout(TIMEOUT);
page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`));
let step = 'open the foreign page';

try {
  await page.goto(`${foreign}/`);
  await page.waitForFunction(() => 'RTClient' in window);

  step = 'a foreign page opens /ws with the user\'s cookie: refused before any frame';
  const raw = await page.evaluate((ws) => new Promise((resolve) => {
    const socket = new WebSocket(ws);
    const frames = [];
    socket.onmessage = (event) => frames.push(String(event.data));
    socket.onclose = (event) => resolve({ code: event.code, frames });
  }), wsOf(url));
  if (raw.frames.length || raw.code !== 1006) throw new Error(`expected a refused handshake, got close ${raw.code} after ${JSON.stringify(raw.frames)}`);

  step = 'RTClient on the foreign page learns it is forbidden and stops';
  await page.evaluate((ws) => {
    const client = new window.RTClient({ url: ws, backoff: { initialMs: 50, maxMs: 100 } });
    window.client = client;
    client.connect();
  }, wsOf(url));
  await page.waitForFunction(() => window.client.state === 'forbidden');
  const refusal = await page.evaluate(() => [window.client.welcome, window.client.stats.lastRefusal]);
  if (refusal[0] !== null || refusal[1] !== 403) throw new Error(`welcome ${JSON.stringify(refusal[0])}, refusal ${refusal[1]}`);

  step = 'the same foreign page on a gateway that lists its origin logs in: the cookie did go with the upgrade';
  await page.evaluate((ws) => {
    window.client.close();
    window.allowed = new window.RTClient({ url: ws });
    window.allowed.connect();
  }, wsOf(permissiveUrl));
  await page.waitForFunction(() => window.allowed.state === 'connected');
  const user = await page.evaluate(() => window.allowed.welcome?.userId);
  if (user !== '42') throw new Error(`logged in as ${user}`);
  await page.evaluate(() => window.allowed.close());

  step = 'the demo page on the gateway\'s own origin logs in';
  await page.goto(`${url}/`);
  await page.locator('#connection[data-state="connected"]').waitFor();
  await page.waitForFunction(() => document.querySelector('#user')?.textContent?.trim() === '42');

  if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  console.log('DONE');
} catch (error) {
  console.log(`FAIL ${step}: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await new Promise((resolve) => foreignServer.close(resolve));
}

/** @param {string} http */
function wsOf(http) {
  return `${http.replace(/^http/, 'ws')}/ws`;
}

/**
 * The other origin: a page with the browser library on it, as another site of the same domain would serve it.
 * @param {number} port
 */
async function serveForeignSite(port) {
  // RTClient and the module it imports (the compact form's reader), as a site embedding the library serves them.
  const library = new Map(await Promise.all(['rtclient.js', 'compact.js'].map(async (file) =>
    /** @type {[string, Buffer]} */ ([`/${file}`, await readFile(new URL(`../src/${file}`, import.meta.url))]))));
  const page = '<!doctype html><meta charset="utf-8"><title>another origin</title>'
    + '<script type="module">import { RTClient } from "/rtclient.js"; window.RTClient = RTClient;</script><body>another origin';
  foreignServer = createServer((req, res) => {
    const module = library.get(req.url ?? '');
    if (module) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(module);
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  await new Promise((resolve) => foreignServer.listen(port, '127.0.0.1', () => resolve(undefined)));
  return `http://127.0.0.1:${port}`;
}
