// @ts-check
// RTClient: one WebSocket to a Realtime.Orleans gateway (docs/protocol.md, section 1).
// Logs in with the Django session cookie, so the page must come from the site's origin or its proxy.
import { COMPACT_PROTOCOL, CompactReader } from './compact.js';

/**
 * @typedef {{type: string, data?: any, id?: string | number}} Frame
 * @typedef {(data: any, frame: Frame) => void} Handler
 * @typedef {'idle' | 'connecting' | 'connected' | 'reconnecting' | 'logged-out' | 'forbidden' | 'closed'} ConnectionState
 * @typedef {{userId: string, instanceId: string, heartbeatSeconds: number, maxFrameBytes: number, protocol?: string}} Welcome
 * @typedef {{initialMs?: number, maxMs?: number, factor?: number, jitter?: number}} BackoffOptions
 * @typedef {object} RTClientOptions
 * @property {string} [url] the gateway's WebSocket URL; defaults to `/ws` on the page's own origin
 * @property {string} [sessionUrl] the gateway's session check, asked after a refused handshake; defaults to `url`
 *   with an http(s) scheme and `/session` appended (`/ws/session`)
 * @property {BackoffOptions} [backoff] reconnect delays: `initialMs` (500) times `factor` (2) per failed attempt,
 *   capped at `maxMs` (15000), of which a random share up to `jitter` (0.5) is taken off
 * @property {number} [stableMs] a connection that stays up this long (10000) resets the backoff
 * @property {number} [heartbeatSeconds] application `ping` interval before `welcome` says otherwise (25)
 * @property {boolean} [compact] offer the compact form (docs/protocol.md 1.13; default true). Handlers see the JSON
 *   form's frames either way; a gateway that does not speak it simply answers in the JSON form
 * @property {typeof WebSocket} [WebSocket] the WebSocket class (tests pass their own)
 */

/** An `error` frame answering one of our requests, or the loss of the connection before the answer. */
export class RTError extends Error {
  /** @param {string} code  @param {string} message  @param {string | number | null} [ref] */
  constructor(code, message, ref = null) {
    super(`${code}: ${message}`);
    this.name = 'RTError';
    this.code = code;
    this.ref = ref;
  }
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter so that thousands of
 * browsers dropped by one gateway do not all come back in the same millisecond.
 * @param {number} attempt  @param {BackoffOptions} [options]  @param {() => number} [random]
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { initialMs = 500, maxMs = 15000, factor = 2, jitter = 0.5 } = options;
  const ceiling = Math.min(maxMs, initialMs * factor ** attempt);
  return Math.round(ceiling * (1 - jitter * random()));
}

/**
 * Delay before reconnecting after a gateway went away (1001): a random moment within the window its close reason
 * names (docs/protocol.md 1.6, `reconnect within N ms`), or within `fallbackMs` when it names none. A draining
 * gateway closes its clients a batch at a time; spreading each batch over the time to the next keeps the other
 * gateways taking them at a steady rate instead of a batch in one instant.
 * @param {string} reason  @param {number} [fallbackMs]  @param {() => number} [random]
 */
export function goingAwayDelay(reason, fallbackMs = 1000, random = Math.random) {
  const hint = /reconnect within (\d+) ms/.exec(reason ?? '');
  const window = hint ? Math.min(Number(hint[1]), 60000) : fallbackMs;
  return Math.floor(window * random());
}

// Close codes of docs/protocol.md 1.6 that change what we do next.
const GOING_AWAY = 1001;
const LOGGED_OUT = 4001;
// How long the session check may take before it counts as an outage.
const SESSION_CHECK_TIMEOUT_MS = 10000;

/**
 * What the gateway's session check (docs/protocol.md 1.1) says about a refused handshake: `401` and `403` are
 * final, anything else (`503` with its Retry-After, an unreachable gateway, `204`: the session is fine, so the
 * refusal was something passing) is retried.
 * @param {string} sessionUrl  @returns {Promise<{status: number, retryAfterMs: number}>}
 */
export async function checkSession(sessionUrl) {
  try {
    const response = await fetch(sessionUrl, {
      credentials: 'include', cache: 'no-store', signal: AbortSignal.timeout(SESSION_CHECK_TIMEOUT_MS),
    });
    const seconds = Number(response.headers.get('Retry-After'));
    return { status: response.status, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0 };
  } catch {
    return { status: 0, retryAfterMs: 0 }; // no answer at all: the gateway is down or unreachable
  }
}

/** @extends {EventTarget} Events: `state` (detail: the new ConnectionState), `welcome` (detail: Welcome). */
export class RTClient extends EventTarget {
  /** @type {Map<string, Handler>} */ #handlers = new Map();
  /** @type {Map<string, () => void>} */ #subscriptions = new Map();
  /** @type {Map<string | number, {resolve: (f: Frame) => void, reject: (e: Error) => void}>} */ #pending = new Map();
  /** @type {WebSocket | null} */ #socket = null;
  /** Handles of the current connection's compact updates. */ #compact = new CompactReader();
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;
  /** @type {ReturnType<typeof setInterval> | undefined} */ #heartbeat;
  #attempt = 0;
  #nextId = 0;
  #lastFrameAt = 0;
  #options;

  /** @type {ConnectionState} */ state = 'idle';
  /** @type {Welcome | null} */ welcome = null;
  /** Counters a status bar can show. */
  stats = {
    frames: 0, reconnects: 0, lastClose: /** @type {number | null} */ (null), rttMs: /** @type {number | null} */ (null),
    /** The session check's answer to the last refused handshake (0: no answer). */
    lastRefusal: /** @type {number | null} */ (null),
  };

  /** @param {RTClientOptions} [options] */
  constructor(options = {}) {
    super();
    this.#options = options;
    this.url = options.url ?? defaultUrl();
    this.sessionUrl = options.sessionUrl ?? sessionUrlOf(this.url);
  }

  /**
   * Registers the handler of one server message type. A second handler for the same type is a programming
   * error, exactly as on the server, so it throws instead of silently replacing the first.
   * @param {string} type  @param {Handler} handler  @returns {() => void} removes the handler
   */
  on(type, handler) {
    if (this.#handlers.has(type)) throw new Error(`a handler for '${type}' is already registered`);
    this.#handlers.set(type, handler);
    return () => { if (this.#handlers.get(type) === handler) this.#handlers.delete(type); };
  }

  /**
   * Keeps something open on the server across reconnects (a chart, a channel): `open` runs now when connected
   * and again after every `welcome`, where it re-sends whatever it needs (with resume positions).
   * @param {string} key  @param {() => void} open  @returns {() => void} forgets the subscription
   */
  subscribe(key, open) {
    if (this.#subscriptions.has(key)) throw new Error(`subscription '${key}' already exists`);
    this.#subscriptions.set(key, open);
    if (this.state === 'connected') open();
    return () => { if (this.#subscriptions.get(key) === open) this.#subscriptions.delete(key); };
  }

  /**
   * Opens the connection; it then stays open, reconnecting as needed, until `close()`, a logout (4001), a session
   * the gateway refuses (401: `logged-out`) or a page origin it refuses (403: `forbidden`).
   */
  connect() {
    if (this.#socket || this.state === 'reconnecting') return;
    this.#attempt = 0;
    this.#open();
  }

  /** Closes for good: no reconnect. */
  close() {
    clearTimeout(this.#timer);
    this.#setState('closed');
    this.#socket?.close(1000, 'client closed');
  }

  /**
   * Sends `{type, data, id}` and returns the id. Throws when not connected: a message sent into a dead socket
   * would be lost silently, so callers that must survive reconnects use `subscribe`.
   * @param {string} type  @param {any} [data]  @param {string | number} [id]
   */
  send(type, data, id = `r${++this.#nextId}`) {
    if (this.state !== 'connected' || !this.#socket) throw new RTError('not_connected', 'the client is not connected', id);
    this.#socket.send(JSON.stringify(data === undefined ? { type, id } : { type, data, id }));
    return id;
  }

  /**
   * Sends a frame and resolves with the first reply carrying its id (rejects on an `error` reply or when the
   * connection drops first). The reply also goes to the handler of its type, if there is one.
   * @param {string} type  @param {any} [data]  @returns {Promise<Frame>}
   */
  request(type, data) {
    return new Promise((resolve, reject) => {
      const id = this.send(type, data);
      this.#pending.set(id, { resolve, reject });
    });
  }

  #open() {
    this.#setState(this.welcome || this.#attempt > 0 ? 'reconnecting' : 'connecting');
    const Socket = this.#options.WebSocket ?? WebSocket;
    const socket = this.#options.compact === false ? new Socket(this.url) : new Socket(this.url, [COMPACT_PROTOCOL]);
    this.#socket = socket;
    this.#compact = new CompactReader();
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#closed(socket, event.code, !opened, event.reason);
    // An error is always followed by close; the browser hides the HTTP status (401 looks like a network error).
    socket.onerror = () => {};
  }

  /** @param {any} text */
  #receive(text) {
    this.#lastFrameAt = Date.now();
    this.stats.frames++;
    /** @type {Frame} */
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      console.warn('RTClient: a frame that is not JSON was ignored');
      return;
    }
    if (Array.isArray(frame)) {
      const update = this.#compact.update(frame);
      if (!update) {
        console.warn('RTClient: an update on a handle never announced was ignored', frame);
        return;
      }
      frame = update;
    } else {
      this.#compact.announce(frame);
    }
    if (frame.type === 'welcome') return this.#welcomed(frame.data);
    const pending = frame.id !== undefined ? this.#pending.get(frame.id) : undefined;
    if (pending) {
      this.#pending.delete(/** @type {string | number} */ (frame.id));
      if (frame.type === 'error') {
        pending.reject(new RTError(frame.data?.code, frame.data?.message, frame.id));
        return;
      }
      pending.resolve(frame);
    }
    const handler = this.#handlers.get(frame.type);
    if (handler) handler(frame.data, frame);
    else if (!pending) console.warn(`RTClient: no handler for '${frame.type}'`, frame.data);
  }

  /** @param {Welcome} welcome */
  #welcomed(welcome) {
    if (this.welcome) this.stats.reconnects++;
    this.welcome = welcome;
    this.#setState('connected');
    // Only a connection that stays up a while proves the server is healthy; one that is accepted and then
    // dropped at once (1013 at connect) must keep backing off instead of hammering the cluster.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => { this.#attempt = 0; }, this.#options.stableMs ?? 10000);
    this.#startHeartbeat(welcome.heartbeatSeconds ?? this.#options.heartbeatSeconds ?? 25);
    this.dispatchEvent(new CustomEvent('welcome', { detail: welcome }));
    for (const [key, open] of this.#subscriptions) {
      try {
        open();
      } catch (error) {
        console.error(`RTClient: re-opening '${key}' failed`, error);
      }
    }
  }

  // The server's WebSocket pings are answered by the browser itself, but a browser never notices a peer that
  // vanished without a FIN. An application ping each interval, and silence for two intervals, catch that.
  /** @param {number} seconds */
  #startHeartbeat(seconds) {
    clearInterval(this.#heartbeat);
    const socket = this.#socket;
    const ping = () => {
      if (socket !== this.#socket || this.state !== 'connected') return;
      if (Date.now() - this.#lastFrameAt > 2 * seconds * 1000) {
        // Closing a dead TCP connection waits for a handshake that never comes, so give up on it right away.
        socket?.close(4000, 'heartbeat timeout');
        if (socket) this.#closed(socket, 4000, false);
        return;
      }
      const sent = Date.now();
      this.request('ping').then(() => { this.stats.rttMs = Date.now() - sent; }, () => {});
    };
    this.#heartbeat = setInterval(ping, seconds * 1000);
    ping(); // the round trip is known from the start
  }

  /**
   * @param {WebSocket} socket  @param {number} code  @param {boolean} refused the handshake itself failed
   * @param {string} [reason] the close frame's reason
   */
  #closed(socket, code, refused, reason = '') {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.stats.lastClose = code;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#timer);
    for (const [id, pending] of this.#pending) pending.reject(new RTError('disconnected', `connection closed (${code})`, id));
    this.#pending.clear();
    if (this.state === 'closed') return;
    if (code === LOGGED_OUT) {
      this.#setState('logged-out');
      return;
    }
    this.#setState('reconnecting');
    if (refused) {
      this.#afterRefusal();
      return;
    }
    // 1001: this gateway is going away and any other one will do, so the first retry comes within the window the
    // gateway asked for rather than after a backoff.
    this.#retry(code === GOING_AWAY && this.#attempt === 0 ? goingAwayDelay(reason) : backoffDelay(this.#attempt, this.#options.backoff));
  }

  // A refused handshake looks the same to a page whatever the status was, so ask the gateway why: only a bad
  // session or a foreign page is final; an outage of the session store (503) must not log anybody out.
  async #afterRefusal() {
    const { status, retryAfterMs } = await checkSession(this.sessionUrl);
    if (this.state !== 'reconnecting' || this.#socket) return; // closed or reconnected meanwhile
    this.stats.lastRefusal = status;
    if (status === 401) {
      this.#setState('logged-out');
      return;
    }
    if (status === 403) {
      this.#setState('forbidden');
      return;
    }
    const backoff = backoffDelay(this.#attempt, this.#options.backoff);
    // Retry-After is a floor, spread out so that every page told the same time does not come back in one instant.
    this.#retry(Math.max(backoff, Math.round(retryAfterMs * (1 + 0.5 * Math.random()))));
  }

  /** @param {number} delay */
  #retry(delay) {
    this.#attempt++;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#open(), delay);
  }

  /** @param {ConnectionState} state */
  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }
}

/** `ws://host/ws` → `http://host/ws/session`. @param {string} url */
function sessionUrlOf(url) {
  const http = new URL(url, globalThis.location?.href);
  http.protocol = http.protocol === 'wss:' ? 'https:' : 'http:';
  http.pathname = `${http.pathname.replace(/\/$/, '')}/session`;
  return http.href;
}

function defaultUrl() {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/ws`;
}
