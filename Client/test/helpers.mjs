// Test helpers: headless Chromium from Debian's package driven by playwright-core (no browser download, no
// network), and waiting on conditions.
import { chromium } from 'playwright-core';

export const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Launches a fresh headless browser (playwright gives it a fresh temporary profile). */
export function launch() {
  return chromium.launch({
    executablePath,
    // Without the background-networking switches Chromium keeps dialling Google's services and stalls on a
    // closed network; QUIC and the GPU are of no use headless.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page with the Django session cookie set for `url`'s host, as the site would have set it at login.
 * Errors inside the page are collected so a test can fail on them.
 * @param {import('playwright-core').Browser} browser  @param {string} url  @param {string | null} session
 */
export async function pageWithSession(browser, url, session) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (session) await context.addCookies([{ name: 'sessionid', value: session, url, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  /** @type {Error[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { page, errors };
}

/** Waits on a condition in this process with a deadline, instead of sleeping a guessed time. */
export async function waitFor(/** @type {() => boolean} */ condition, /** @type {string} */ what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
