// RTClient in a real Chromium against the fake gateway: handler registry, requests, reconnects, heartbeats.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FakeGateway, SESSION } from './fake-gateway.mjs';
import { launch, pageWithSession, waitFor } from './helpers.mjs';

/** @type {FakeGateway} */ let gateway;
/** @type {import('playwright-core').Browser} */ let browser;
/** @type {import('playwright-core').Page} */ let page;

before(async () => {
  gateway = await new FakeGateway().start();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await gateway?.stop();
});
beforeEach(async () => {
  Object.assign(gateway, {
    refuse: false, mute: false, storeDown: false, forbidden: false, checkUnreachable: false, retryAfter: 1,
    heartbeatSeconds: 15, attempts: [], received: [], checks: [],
  });
  ({ page } = await pageWithSession(browser, gateway.url, SESSION));
  await page.goto(`${gateway.url}/blank.html`);
});
// A page left open keeps its client reconnecting, which would show up in the next test's records.
afterEach(async () => page.context().close());

/** Creates `window.client` with these options and connects it. */
async function connect(options = {}) {
  await page.evaluate(async (options) => {
    const { RTClient } = await import('/rtclient.js');
    const client = new RTClient(options);
    window.client = client;
    window.got = [];
    client.connect();
  }, options);
  await page.waitForFunction(() => window.client.state === 'connected', null, { timeout: 10000 });
}

test('a second handler for the same type is an error, as on the server', async () => {
  const message = await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    const client = new RTClient();
    client.on('notice', () => {});
    try {
      client.on('notice', () => {});
      return 'accepted';
    } catch (error) {
      return error.message;
    }
  });
  assert.match(message, /'notice' is already registered/);
});

test('welcome names the user and server pushes reach the handler of their type', async () => {
  await connect();
  const got = await page.evaluate(async () => {
    client.on('notice', (data) => got.push(['notice', data]));
    client.on('other', (data) => got.push(['other', data]));
    client.send('push', { type: 'notice', data: { text: 'hi' } });
    client.send('push', { type: 'other', data: 7 });
    await new Promise((resolve) => { const wait = () => (got.length === 2 ? resolve() : setTimeout(wait, 10)); wait(); });
    return { got, user: client.welcome.userId };
  });
  assert.deepEqual(got, { got: [['notice', { text: 'hi' }], ['other', 7]], user: '42' });
});

test('a request resolves with the reply carrying its id and rejects on an error reply', async () => {
  await connect();
  const result = await page.evaluate(async () => {
    const reply = await client.request('echo', { a: 1 });
    const error = await client.request('nonsense').catch((e) => e);
    return { reply, code: error.code, ref: error.ref };
  });
  assert.equal(result.reply.type, 'echo');
  assert.deepEqual(result.reply.data, { a: 1 });
  assert.equal(typeof result.reply.id, 'string');
  assert.equal(result.code, 'unknown_type');
  assert.equal(typeof result.ref, 'string');
  assert.deepEqual(gateway.received.map((f) => f.type).filter((type) => type !== 'ping'), ['echo', 'nonsense']);
});

test('sending while disconnected throws instead of losing the message', async () => {
  const code = await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    try {
      new RTClient().send('ping');
    } catch (error) {
      return error.code;
    }
  });
  assert.equal(code, 'not_connected');
});

test('after a drop it reconnects with exponentially growing, jittered delays', async () => {
  await connect({ backoff: { initialMs: 200, factor: 2, maxMs: 5000, jitter: 0.5 } });
  gateway.refuse = true;
  gateway.attempts = [];
  const droppedAt = Date.now();
  gateway.drop(1011, 'server error');
  await page.waitForFunction(() => window.client.state === 'reconnecting');
  await waitFor(() => gateway.attempts.length >= 4, 'four refused attempts');
  const times = [droppedAt, ...gateway.attempts];
  const gaps = times.slice(1, 5).map((t, i) => t - times[i]);
  gaps.forEach((gap, i) => {
    const ceiling = 200 * 2 ** i;
    // jitter takes off up to half; timers and the refused handshake add a little, more on a busy machine
    assert.ok(gap >= ceiling / 2 - 20 && gap <= ceiling + 300, `attempt ${i + 1} came after ${gap} ms (expected ${ceiling / 2}..${ceiling})`);
  });
  gateway.refuse = false;
  await page.waitForFunction(() => window.client.state === 'connected', null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => client.stats.reconnects), 1);
});

test('the backoff delay is capped and never below half its ceiling', async () => {
  const delays = await page.evaluate(async () => {
    const { backoffDelay } = await import('/rtclient.js');
    const options = { initialMs: 500, maxMs: 15000, factor: 2, jitter: 0.5 };
    return [0, 1, 5, 30].flatMap((attempt) => [backoffDelay(attempt, options, () => 0), backoffDelay(attempt, options, () => 0.999999)]);
  });
  assert.deepEqual(delays, [500, 250, 1000, 500, 15000, 7500, 15000, 7500]);
});

test('a gateway going away (1001) is left within the window its close reason names, not after a backoff', async () => {
  await connect({ backoff: { initialMs: 3000 } });
  gateway.attempts = [];
  const droppedAt = Date.now();
  gateway.drop(1001, 'going away; reconnect within 300 ms');
  await waitFor(() => gateway.attempts.length >= 1, 'a reconnect attempt');
  // within the 300 ms window; timers and the handshake add a little, more on a busy machine
  assert.ok(gateway.attempts[0] - droppedAt < 300 + 400, `reconnected after ${gateway.attempts[0] - droppedAt} ms`);
  await page.waitForFunction(() => window.client.state === 'connected' && window.client.stats.reconnects === 1);
});

test('reconnects after 1001 are spread over the window the gateway names (jitter), or over a second without one', async () => {
  const delays = await page.evaluate(async () => {
    const { goingAwayDelay } = await import('/rtclient.js');
    const named = 'going away; reconnect within 200 ms';
    return [
      goingAwayDelay(named, 1000, () => 0), goingAwayDelay(named, 1000, () => 0.5), goingAwayDelay(named, 1000, () => 0.999999),
      goingAwayDelay('going away', 1000, () => 0.5), goingAwayDelay('', 1000, () => 0.999999),
      Array.from({ length: 2000 }, () => goingAwayDelay(named)),
    ];
  });
  assert.deepEqual(delays.slice(0, 5), [0, 100, 199, 500, 999]);
  const spread = /** @type {number[]} */ (delays[5]);
  assert.ok(spread.every((d) => d >= 0 && d < 200), 'every delay within the window');
  // 2,000 draws over ten 20 ms slots: each slot gets about 200; a stampede would put them all in one.
  const slots = Array.from({ length: 10 }, (_, k) => spread.filter((d) => Math.floor(d / 20) === k).length);
  assert.ok(slots.every((n) => n > 120 && n < 280), `slots ${slots}`);
});

test('a logout by the site (4001) ends the connection for good', async () => {
  await connect({ backoff: { initialMs: 50 } });
  gateway.attempts = [];
  gateway.drop(4001, 'logged out');
  await page.waitForFunction(() => window.client.state === 'logged-out');
  // A negative: give it many backoff periods to misbehave in.
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(gateway.attempts.length, 0);
});

test('without a session the login is refused (401) once, and it stops: logged-out, no retries', async () => {
  ({ page } = await pageWithSession(browser, gateway.url, null));
  await page.goto(`${gateway.url}/blank.html`);
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 100 } });
    window.client.connect();
  });
  await page.waitForFunction(() => window.client.state === 'logged-out');
  assert.deepEqual(await page.evaluate(() => [client.welcome, client.stats.lastRefusal]), [null, 401]);
  // A negative: give it many backoff periods to misbehave in.
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(gateway.attempts.length, 1);
});

test('a page whose origin the gateway refuses (403) stops: forbidden', async () => {
  gateway.forbidden = true;
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 100 } });
    window.client.connect();
  });
  await page.waitForFunction(() => window.client.state === 'forbidden');
  assert.equal(await page.evaluate(() => client.stats.lastRefusal), 403);
  assert.equal(gateway.attempts.length, 1);
});

test('a session store outage (503) is retried no sooner than Retry-After, and it connects once the store is back', async () => {
  gateway.storeDown = true;
  gateway.retryAfter = 1;
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 100 } });
    window.states = [];
    window.client.addEventListener('state', (e) => window.states.push(e.detail));
    window.client.connect();
  });
  await waitFor(() => gateway.attempts.length >= 3, 'three refused attempts', 15000);
  const gaps = gateway.attempts.slice(1, 3).map((t, i) => t - gateway.attempts[i]);
  // The backoff alone would wait 100 ms at most; Retry-After (1 s, spread up to 1.5 s) is the floor.
  gaps.forEach((gap) => assert.ok(gap >= 1000 && gap <= 1500 + 500, `retried after ${gap} ms`));
  assert.equal(await page.evaluate(() => client.stats.lastRefusal), 503);
  gateway.storeDown = false;
  await page.waitForFunction(() => window.client.state === 'connected', null, { timeout: 10000 });
  const states = await page.evaluate(() => window.states);
  assert.ok(!states.includes('logged-out') && !states.includes('forbidden'), states.join(', '));
});

test('a session check that gets no answer is an outage too: it keeps retrying with backoff', async () => {
  gateway.refuse = true;
  gateway.checkUnreachable = true;
  await page.evaluate(async () => {
    const { RTClient } = await import('/rtclient.js');
    window.client = new RTClient({ backoff: { initialMs: 50, maxMs: 100 } });
    window.client.connect();
  });
  await waitFor(() => gateway.attempts.length >= 3 && gateway.checks.length >= 3, 'three refusals, each checked');
  assert.deepEqual(await page.evaluate(() => [client.state, client.stats.lastRefusal]), ['reconnecting', 0]);
  Object.assign(gateway, { refuse: false, checkUnreachable: false });
  await page.waitForFunction(() => window.client.state === 'connected', null, { timeout: 10000 });
});

test('it pings every heartbeat and measures the round trip', async () => {
  gateway.heartbeatSeconds = 1;
  await connect();
  await page.waitForFunction(() => window.client.stats.rttMs !== null, null, { timeout: 5000 });
  assert.ok(gateway.received.some((f) => f.type === 'ping'));
});

test('a silent server is given up after two heartbeats and reconnected', async () => {
  gateway.heartbeatSeconds = 1;
  await connect({ backoff: { initialMs: 50 } });
  gateway.mute = true;
  await page.waitForFunction(() => window.client.stats.lastClose === 4000, null, { timeout: 6000 });
  gateway.mute = false;
  await page.waitForFunction(() => window.client.state === 'connected' && window.client.stats.reconnects >= 1, null, { timeout: 5000 });
});

test('subscriptions are opened at once and again after every reconnect', async () => {
  await connect({ backoff: { initialMs: 50 } });
  await page.evaluate(() => client.subscribe('s', () => client.send('echo', { n: client.stats.reconnects })));
  await waitFor(() => gateway.received.some((f) => f.type === 'echo'), 'the first open');
  gateway.drop(1011);
  await waitFor(() => gateway.received.filter((f) => f.type === 'echo').length === 2, 'the open after the reconnect');
  assert.deepEqual(gateway.received.filter((f) => f.type === 'echo').map((f) => f.data), [{ n: 0 }, { n: 1 }]);
  const duplicate = await page.evaluate(() => { try { client.subscribe('s', () => {}); } catch (e) { return e.message; } });
  assert.match(duplicate, /already exists/);
});
