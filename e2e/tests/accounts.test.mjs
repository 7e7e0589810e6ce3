// One account journey in a real browser: sign up (with a rejected password
// first), log out, log in (with a wrong password first), switch language,
// check accessibility with axe-core, and take screenshots for humans.
//
// Steps run in order and share one browser context; once a journey step
// fails, the later ones are skipped instead of failing for the same reason.
// The checks at the end (CSP and asset errors, axe, screenshots) don't stop
// each other. A failed journey step leaves screenshots/FAILED-<step>.png.
// Set E2E_SERVER_LOG=1 to see the server's log live.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  axeViolations,
  formatViolations,
  launchChromium,
  SCREENSHOT_DIR,
  slug,
  VIEWPORTS,
} from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const EMAIL = 'hanako.e2e@example.jp';
const DISPLAY_NAME = '山田 花子';
const WEAK_PASSWORD = 'password1234';
const GOOD_PASSWORD = 'kawa-no-nagare-2026!';
const WRONG_PASSWORD = 'yama-no-kaze-2026?';

const SEL = {
  signupForm: 'form[action="/signup"]',
  loginForm: 'form[action="/login"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  loginLink: 'a[href="/login"]',
  signupLink: 'a[href="/signup"]',
  alert: '[role="alert"]',
  language: (tag) => `form[action="/language"] button[name="locale"][value="${tag}"]`,
};

let server;
let browser;
let context; // the journey's context: CSP enforced, as a visitor gets it
let page;
let signedInState; // storage state of the signed-in journey context

/** Problems seen by the journey page that no single step owns. */
const cspViolations = [];
const pageErrors = [];
const failedSubresources = [];

before(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  context = await newContext({ locale: 'ja-JP' });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      cspViolations.push(`${page.url()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() || res.status() < 400) return;
    if (new URL(res.url()).pathname === '/favicon.ico') return;
    failedSubresources.push(`${res.status()} ${req.method()} ${res.url()} (${req.resourceType()})`);
  });
  page.on('requestfailed', (req) => {
    if (req.isNavigationRequest()) return;
    failedSubresources.push(`failed ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  const exit = await server?.stop();
  if (exit && exit.code !== 0 && exit.signal === null) {
    process.stderr.write(`note: tsunagari exited with code ${exit.code} after SIGTERM\n${server.logs()}\n`);
  }
});

// ---------------------------------------------------------------------------
// helpers

const pathname = (p) => new URL(p.url()).pathname;
const htmlLang = (p) => p.getAttribute('html', 'lang');
const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

async function goto(p, urlPath) {
  const res = await p.goto(server.url + urlPath, { waitUntil: 'load' });
  assert.ok(res, `no response for ${urlPath}`);
  return res;
}

/**
 * Clicks something that submits a form, waits until the resulting page
 * (after any redirects) has loaded, and returns the status of the POST's own
 * answer and of the final document.
 */
async function submit(p, locator) {
  const request = p
    .waitForRequest((r) => r.isNavigationRequest() && r.frame() === p.mainFrame() && r.method() === 'POST')
    .catch((err) => err);
  const navigated = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame() }).catch((err) => err);
  await locator.click();
  const req = await request;
  if (req instanceof Error) {
    throw new Error(`clicking ${locator} sent no form POST (blocked by client-side validation?): ${req.message}`);
  }
  const nav = await navigated;
  if (nav instanceof Error) throw new Error(`the POST to ${req.url()} never produced a page: ${nav.message}`);
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
async function newContext(options) {
  const ctx = await browser.newContext({ viewport: VIEWPORTS[1], ...options });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

/** Page state for failure messages. */
async function describePage(p) {
  let body = '';
  try {
    body = (await p.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 600);
  } catch {
    /* page may be gone */
  }
  return `url=${p.url()} lang=${await htmlLang(p).catch(() => '?')}\nbody: ${body}`;
}

let broken = null;
/**
 * A journey step: skipped once an earlier journey step failed; screenshot on
 * failure. A `check` step (audit, screenshots) does not stop later steps when
 * it fails itself.
 */
function step(name, fn, { check = false } = {}) {
  return test(name, async (t) => {
    if (broken) {
      t.skip(`earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      if (!check) broken = name;
      if (!check && page && !page.isClosed()) {
        const file = path.join(SCREENSHOT_DIR, `FAILED-${slug(name)}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        err.message += `\n--- page at failure (screenshot: ${file}) ---\n${await describePage(page)}`;
      }
      if (server) err.message += `\n--- server stderr (last 4000 chars) ---\n${server.logs().slice(-4000) || '(empty)'}`;
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------
// the journey

step('home page is in Japanese for a ja-JP browser and links to signup', async () => {
  const res = await goto(page, '/');
  assert.equal(res.status(), 200);
  assert.equal(await htmlLang(page), 'ja');
  assert.ok((await page.locator(SEL.signupLink).count()) >= 2, 'expected a header link and a call-to-action to /signup');
  // Prefer the call-to-action in the page body; fall back to any link.
  const cta = page.locator(`main ${SEL.signupLink}`);
  const link = (await cta.count()) > 0 ? cta.first() : page.locator(SEL.signupLink).first();
  await link.click();
  await page.waitForURL((u) => u.pathname === '/signup');
  assert.equal(await htmlLang(page), 'ja');
  await page.locator(SEL.signupForm).waitFor();
});

step('signup rejects a weak password and keeps what was typed', async () => {
  const form = page.locator(SEL.signupForm);
  await form.locator('input[name="email"]').fill(EMAIL);
  await form.locator('input[name="display_name"]').fill(DISPLAY_NAME);
  await form.locator('input[name="password"]').fill(WEAK_PASSWORD);
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422, 'weak password should be answered with 422');
  assert.equal(r.path, '/signup');
  const alert = page.locator(SEL.alert).first();
  await alert.waitFor({ state: 'visible' });
  assert.notEqual(await text(alert), '', 'error summary should say something');
  const again = page.locator(SEL.signupForm);
  assert.equal(await again.locator('input[name="email"]').inputValue(), EMAIL);
  assert.equal(await again.locator('input[name="display_name"]').inputValue(), DISPLAY_NAME);
  assert.equal(await again.locator('input[name="password"]').inputValue(), '', 'the password must not be echoed back');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'journey-signup-weak-password.png'), fullPage: true });
});

step('signup with a good password signs in and lands on /', async () => {
  const form = page.locator(SEL.signupForm);
  await form.locator('input[name="password"]').fill(GOOD_PASSWORD);
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.ok(r.postStatus >= 300 && r.postStatus < 400, `signup should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200);
  assert.equal(r.path, '/');
  await page.locator(SEL.logoutButton).waitFor({ state: 'visible' });
  assert.equal(await htmlLang(page), 'ja');
});

step('logout shows the login link again', async () => {
  const r = await submit(page, page.locator(SEL.logoutButton));
  assert.equal(r.status, 200);
  await page.locator(SEL.loginLink).first().waitFor({ state: 'visible' });
  assert.equal(await page.locator(SEL.logoutButton).count(), 0, 'logout button should be gone');
});

step('login rejects a wrong password and keeps the email', async () => {
  await goto(page, '/login');
  const form = page.locator(SEL.loginForm);
  await form.locator('input[name="email"]').fill(EMAIL);
  await form.locator('input[name="password"]').fill(WRONG_PASSWORD);
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.ok(r.postStatus >= 400 && r.postStatus < 500, `wrong password should be a 4xx page, got ${r.postStatus}`);
  assert.equal(r.path, '/login');
  await page.locator(SEL.alert).first().waitFor({ state: 'visible' });
  const again = page.locator(SEL.loginForm);
  assert.equal(await again.locator('input[name="email"]').inputValue(), EMAIL);
  assert.equal(await again.locator('input[name="password"]').inputValue(), '', 'the password must not be echoed back');
  assert.equal(await page.locator(SEL.logoutButton).count(), 0, 'must not be signed in');
});

step('login with the right password lands on / signed in', async () => {
  const form = page.locator(SEL.loginForm);
  await form.locator('input[name="password"]').fill(GOOD_PASSWORD);
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.ok(r.postStatus >= 300 && r.postStatus < 400, `login should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200);
  assert.equal(r.path, '/');
  await page.locator(SEL.logoutButton).waitFor({ state: 'visible' });
});

step('language switch: English, then back to Japanese', async () => {
  let r = await submit(page, page.locator(SEL.language('en')));
  assert.equal(r.status, 200);
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await text(page.locator(SEL.logoutButton)), 'Log out');
  assert.equal(await page.locator(SEL.language('en')).getAttribute('aria-pressed'), 'true');

  // The choice sticks across navigation.
  await goto(page, '/settings');
  assert.equal(await htmlLang(page), 'en');

  r = await submit(page, page.locator(SEL.language('ja')));
  assert.equal(r.status, 200);
  assert.equal(await htmlLang(page), 'ja');
  assert.equal(await text(page.locator(SEL.logoutButton)), 'ログアウト');
  await goto(page, '/');
  assert.equal(await htmlLang(page), 'ja');
  signedInState = await context.storageState();
});

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(pageErrors, [], 'uncaught page errors');
  assert.deepEqual(failedSubresources, [], 'failed subresource requests');
}, { check: true });

// axe needs an injected script, which the site's CSP (rightly) forbids, so
// the audit uses its own contexts with bypassCSP.
step('axe-core finds no WCAG 2.2 AA violations', async () => {
  const byPage = [];

  for (const locale of ['ja-JP', 'en-US']) {
    const anon = await newContext({ locale, bypassCSP: true });
    try {
      const p = await anon.newPage();
      for (const urlPath of ['/', '/signup', '/login']) {
        await goto(p, urlPath);
        byPage.push([`${locale} ${urlPath}`, await axeViolations(p)]);
      }
      // Error states are where accessibility bugs hide.
      await goto(p, '/signup');
      const form = p.locator(SEL.signupForm);
      await form.locator('input[name="email"]').fill('not-an-email');
      await form.locator('input[name="password"]').fill(WEAK_PASSWORD);
      await submit(p, form.locator('button[type=submit]'));
      byPage.push([`${locale} /signup (errors)`, await axeViolations(p)]);
    } finally {
      await anon.close();
    }
  }

  const signedIn = await newContext({ locale: 'ja-JP', bypassCSP: true, storageState: signedInState });
  try {
    const p = await signedIn.newPage();
    for (const urlPath of ['/', '/settings']) {
      await goto(p, urlPath);
      assert.equal(await p.locator(SEL.logoutButton).count(), 1, `expected to be signed in on ${urlPath}`);
      byPage.push([`ja-JP ${urlPath} (signed in)`, await axeViolations(p)]);
    }
  } finally {
    await signedIn.close();
  }

  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

// Screenshots are for humans; nothing is asserted about them.
step('screenshots at 360 and 1280 wide, Japanese and English', async (t) => {
  const written = [];
  for (const lang of ['ja', 'en']) {
    for (const signedIn of [false, true]) {
      const ctx = await newContext({
        locale: lang === 'ja' ? 'ja-JP' : 'en-US',
        ...(signedIn ? { storageState: signedInState } : {}),
      });
      try {
        const p = await ctx.newPage();
        // Choose the language explicitly: a signed-in person's saved choice
        // may win over Accept-Language.
        await goto(p, '/');
        if ((await htmlLang(p)) !== lang) await submit(p, p.locator(SEL.language(lang)));
        const shots = signedIn ? ['/settings', '/'] : ['/', '/login', '/signup'];
        for (const vp of VIEWPORTS) {
          await p.setViewportSize(vp);
          for (const urlPath of shots) {
            const name = `${lang}-${vp.width}-${slug(urlPath)}${signedIn && urlPath === '/' ? '-signed-in' : ''}.png`;
            await goto(p, urlPath);
            await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
            written.push(name);
          }
          if (!signedIn) {
            await goto(p, '/signup');
            const form = p.locator(SEL.signupForm);
            await form.locator('input[name="email"]').fill(EMAIL);
            await form.locator('input[name="display_name"]').fill(DISPLAY_NAME);
            await form.locator('input[name="password"]').fill(WEAK_PASSWORD);
            await submit(p, form.locator('button[type=submit]'));
            const name = `${lang}-${vp.width}-signup-errors.png`;
            await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
            written.push(name);
          }
        }
      } finally {
        await ctx.close();
      }
    }
  }
  t.diagnostic(`${written.length} screenshots in ${SCREENSHOT_DIR}`);
}, { check: true });
