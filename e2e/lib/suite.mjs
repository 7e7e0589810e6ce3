// The set-up every journey file shares: one tsunagari server and one
// Chromium, started before the first step and stopped after the last, and
// the helpers bound to them (open a page, sign up, call the JSON API).
//
// Call `journeySuite()` at the top of a test file and give it the file's
// own set-up with `suite.setUp(fn)`, not with another `before`: node:test
// does not wait for one top-level `before` hook before starting the next,
// so the set-up runs inside the suite's hook, after the server and the
// browser are up.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';

import { launchChromium, SCREENSHOT_DIR } from './browser.mjs';
import { goto, newContext } from './journey.mjs';
import { gotoIn, PASSWORD, signUpIn } from './pages.mjs';
import { startServer } from './server.mjs';

/** Starts and stops the server and browser around the file's tests. */
export function journeySuite(serverOptions = {}) {
  const setUps = [];
  const tokens = {};
  const suite = {
    server: undefined,
    browser: undefined,
    /** Opens `urlPath`; returns the navigation's response. */
    goto: (p, urlPath) => goto(p, suite.server.url, urlPath),
    /** Opens `urlPath` and expects 200 in `lang`. */
    gotoIn: (p, urlPath, lang) => gotoIn(p, suite.server.url, urlPath, lang),
    gotoJa: (p, urlPath) => gotoIn(p, suite.server.url, urlPath, 'ja'),
    gotoEn: (p, urlPath) => gotoIn(p, suite.server.url, urlPath, 'en'),
    /** A browser context with the suite's timeouts. */
    newContext: (options) => newContext(suite.browser, options),
    /** Signs `person` up through /signup in `lang`. */
    signUp: (p, person, lang) => signUpIn(p, suite.server.url, person, lang),
    /** The server's log so far, for failure messages. */
    logs: () => suite.server?.logs(),
    /** Adds set-up that runs, in order, once the server and browser are up. */
    setUp: (fn) => setUps.push(fn),
    /** A JSON API call as a person, with a token made from their password once. */
    api: async (person, method, urlPath, body) => {
      if (!tokens[person.email]) {
        const res = await fetch(`${suite.server.url}/api/v1/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: person.email, password: PASSWORD, label: 'e2e' }),
        });
        assert.equal(res.status, 201, 'token issued');
        tokens[person.email] = (await res.json()).token;
      }
      const res = await fetch(`${suite.server.url}${urlPath}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[person.email]}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
  };

  before(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    suite.server = await startServer(serverOptions);
    suite.browser = await launchChromium();
    for (const fn of setUps) await fn();
  });

  after(async () => {
    await suite.browser?.close().catch(() => {});
    const exit = await suite.server?.stop();
    if (exit && exit.code !== 0 && exit.signal === null) {
      process.stderr.write(`note: tsunagari exited with code ${exit.code} after SIGTERM\n${suite.server.logs()}\n`);
    }
  });

  return suite;
}
