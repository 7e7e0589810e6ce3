// Helpers for journey tests: navigation and form submission that report
// statuses, a watcher for CSP violations, script errors and failed
// subresources, and ordered steps that skip after an earlier failure.
//
// accounts.test.mjs keeps its own copies of these; newer tests share them
// from here.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { SCREENSHOT_DIR, slug, VIEWPORTS } from './browser.mjs';

export const pathname = (p) => new URL(p.url()).pathname;
export const htmlLang = (p) => p.getAttribute('html', 'lang');
/** A locator's visible text with whitespace collapsed. */
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Opens `urlPath` on the server and returns the navigation's response. */
export async function goto(p, baseUrl, urlPath) {
  const res = await p.goto(baseUrl + urlPath, { waitUntil: 'load' });
  assert.ok(res, `no response for ${urlPath}`);
  return res;
}

/**
 * Clicks something that submits a form, waits until the resulting page
 * (after any redirects) has loaded, and returns the status of the request's
 * own answer and of the final document. `method` is the form's method.
 */
export async function submit(p, locator, { method = 'POST' } = {}) {
  const request = p
    .waitForRequest((r) => r.isNavigationRequest() && r.frame() === p.mainFrame() && r.method() === method)
    .catch((err) => err);
  const navigated = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame() }).catch((err) => err);
  await locator.click();
  const req = await request;
  if (req instanceof Error) {
    throw new Error(`clicking ${locator} sent no form ${method} (blocked by client-side validation?): ${req.message}`);
  }
  const nav = await navigated;
  if (nav instanceof Error) throw new Error(`the ${method} to ${req.url()} never produced a page: ${nav.message}`);
  await p.waitForLoadState('load');
  let last = req;
  while (last.redirectedTo()) last = last.redirectedTo();
  return {
    postStatus: (await req.response())?.status(),
    status: (await last.response())?.status(),
    path: pathname(p),
  };
}

/** A new browser context with the suite's timeouts. */
export async function newContext(browser, options) {
  const ctx = await browser.newContext({ viewport: VIEWPORTS[1], ...options });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

/** Page state for failure messages. */
export async function describePage(p) {
  let body = '';
  try {
    body = (await p.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 600);
  } catch {
    /* page may be gone */
  }
  return `url=${p.url()} lang=${await htmlLang(p).catch(() => '?')}\nbody: ${body}`;
}

/**
 * Collects, for every page it watches, what no single step owns: CSP
 * violations, uncaught script errors and failed subresource requests.
 */
export function problemWatcher() {
  const problems = { cspViolations: [], pageErrors: [], failedSubresources: [] };
  const watch = (page, label = '') => {
    const where = () => `${label ? `[${label}] ` : ''}${page.url()}`;
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
        problems.cspViolations.push(`${where()}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => problems.pageErrors.push(`${where()}: ${err.message}`));
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() || res.status() < 400) return;
      if (new URL(res.url()).pathname === '/favicon.ico') return;
      problems.failedSubresources.push(`${res.status()} ${req.method()} ${res.url()} (${req.resourceType()})`);
    });
    page.on('requestfailed', (req) => {
      if (req.isNavigationRequest()) return;
      // Chromium aborts requests still in flight when the page navigates
      // away (a favicon during a quick click-through): not a broken resource.
      if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.failedSubresources.push(`failed ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
    });
    return page;
  };
  return { problems, watch };
}

/**
 * Ordered journey steps. `step(name, fn)` is skipped once an earlier journey
 * step failed, and leaves screenshots/FAILED-<step>[-<page>].png of every
 * page `pages()` returns ({label: page}). A `check` step (audit,
 * screenshots) does not stop later steps when it fails itself. `logs()` adds
 * the server's stderr to failure messages.
 */
export function journey({ pages, logs }) {
  let broken = null;
  return function step(name, fn, { check = false } = {}) {
    return test(name, async (t) => {
      if (broken) {
        t.skip(`earlier step failed: ${broken}`);
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        if (!check) {
          broken = name;
          for (const [label, p] of Object.entries(pages())) {
            if (!p || p.isClosed()) continue;
            const file = path.join(SCREENSHOT_DIR, `FAILED-${slug(name)}-${label}.png`);
            await p.screenshot({ path: file, fullPage: true }).catch(() => {});
            err.message += `\n--- ${label}'s page at failure (screenshot: ${file}) ---\n${await describePage(p)}`;
          }
        }
        const serverLog = logs?.();
        if (serverLog !== undefined) {
          err.message += `\n--- server stderr (last 4000 chars) ---\n${serverLog.slice(-4000) || '(empty)'}`;
        }
        throw err;
      }
    });
  };
}
