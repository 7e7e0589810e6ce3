// The self-check in a real browser, in Japanese, at phone width, by a new
// visitor on a server with the demo data:
//
//   Mei opens the self-check from the navigation, answers the five pages
//   (a time allocation that does not add up to 100 is refused first and
//   the numbers she typed stay), sees her result with its three charts and
//   the national figures, signs up at the end — her answers come with her —
//   and joins the first recommended community with one click. Her result is
//   hers alone: another browser gets the login page, and then a 404.
//   Then: CSP and asset errors, axe-core, screenshots at 360 px and desktop.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';

import { axeViolations, formatViolations, launchChromium, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import {
  goto as gotoOn,
  htmlLang,
  journey,
  newContext as newContextOn,
  problemWatcher,
  submit,
  text,
} from '../lib/journey.mjs';
import { startServer } from '../lib/server.mjs';

const PERSON = { email: 'mei.selfcheck@example.jp', name: '小林 芽衣', password: 'kawa-no-nagare-2026!' };

let server;
let browser;
let context;
let page;
let resultPath;
let joinedCommunity;

const { problems, watch } = problemWatcher();
const step = journey({ pages: () => ({ visitor: page }), logs: () => server?.logs() });
const goto = (p, urlPath) => gotoOn(p, server.url, urlPath);

before(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startServer({ extraArgs: ['--demo'] });
  browser = await launchChromium();
  context = await newContextOn(browser, { locale: 'ja-JP', viewport: VIEWPORTS[0] });
  page = watch(await context.newPage(), 'visitor');
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** Fills the five shares of an allocation question. */
async function fillShares(form, id, values) {
  const keys = ['family', 'work', 'learning', 'community', 'personal'];
  for (const [i, key] of keys.entries()) {
    await form.locator(`input[name="${id}.${key}"]`).fill(String(values[i]));
  }
}

async function next(form, expectedPath) {
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303, `saving ${expectedPath}'s previous page should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200);
  assert.equal(r.path, expectedPath);
}

step('a visitor starts the self-check from the navigation, in Japanese', async () => {
  const res = await goto(page, '/');
  assert.equal(res.status(), 200);
  assert.equal(await htmlLang(page), 'ja');
  // At 360 px the navigation must still offer the self-check.
  await page.locator('nav a[href="/self-check"]').click();
  await page.waitForURL((u) => u.pathname === '/self-check');
  assert.match(await text(page.locator('main')), /72%/, 'the introduction shows the national isolation figure');
  assert.match(await text(page.locator('main')), /あなただけ/, 'the introduction says answers are private');
  await page.locator('main a[href="/self-check/about"]').first().click();
  await page.waitForURL((u) => u.pathname === '/self-check/about');
  assert.match(await text(page.locator('.sc-progress')), /1 \/ 5/);
});

step('about you, and the seventeen life-career actions', async () => {
  let form = page.locator('form.sc-form');
  await form.locator('input[name="occupation"][value="care"]').check();
  await form.locator('select[name="current_prefecture"]').selectOption('13');
  await form.locator('input[name="preferred_format"][value="online"]').check();
  await next(form, '/self-check/actions');

  form = page.locator('form.sc-form');
  const actions = await form.locator('fieldset.sc-question').count();
  assert.equal(actions, 17, 'seventeen life-career actions are asked');
  for (const fieldset of await form.locator('fieldset.sc-question').all()) {
    await fieldset.locator('input[value="none"]').check();
  }
  await form.locator('input[name="future_learning"][value="gave_up"]').check();
  await form.locator('input[name="job_change"][value="want_unreachable"]').check();
  await next(form, '/self-check/time');
});

step('an allocation that does not add up to 100 is refused and kept (422)', async () => {
  const form = page.locator('form.sc-form');
  await fillShares(form, 'allocation_wished', [30, 30, 20, 10, 20]); // 110
  const total = page.locator('[data-allocation="allocation_wished"] [data-total]');
  assert.equal(await text(total), '110', 'the live total adds up as she types');
  await fillShares(form, 'allocation_actual', [20, 60, 5, 0, 15]);
  await form.locator('input[name="allocation_satisfaction"][value="2"]').check();
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422);
  const alert = page.locator('[role="alert"]');
  await alert.waitFor({ state: 'visible' });
  assert.match(await text(alert), /100/, 'the error says the shares must add up to 100');
  const again = page.locator('form.sc-form');
  assert.equal(await again.locator('input[name="allocation_wished.family"]').inputValue(), '30', 'typed numbers are kept');
  assert.equal(await again.locator('input[name="allocation_actual.work"]').inputValue(), '60');
  assert.ok(await again.locator('input[name="allocation_satisfaction"][value="2"]').isChecked());
  assert.ok(await page.locator('#field-allocation_wished.has-error').isVisible());

  await again.locator('input[name="allocation_wished.learning"]').fill('10');
  await next(again, '/self-check/adaptability');
});

step('adaptability and support pages, then the result', async () => {
  let form = page.locator('form.sc-form');
  for (const fieldset of await form.locator('fieldset.sc-question').all()) {
    await fieldset.locator('input[value="4"]').check();
  }
  await next(form, '/self-check/support');
  form = page.locator('form.sc-form');
  await form.locator('input[name="support_consult"][value="employer"]').check();
  await form.locator('input[name="schemes_known"][value="training_benefit"]').check();
  await form.locator('input[name="relation_base"][value="yes"]').check();
  await form.locator('input[name="relation_quest"][value="no"]').check();
  await next(form, '/self-check/preview');

  const main = page.locator('main');
  assert.match(await text(main), /キャリアの孤立/, 'no tie outside the employer is called career isolation');
  assert.match(await text(main), /37%/, 'the national figure for giving up is shown');
  assert.match(await text(main), /n=4259/, 'the source names its sample size');
  for (const id of ['gap-chart', 'adaptability-chart', 'support-chart']) {
    const svg = page.locator(`svg[aria-labelledby^="${id}-title"]`);
    assert.equal(await svg.getAttribute('role'), 'img', `${id} is an image`);
    assert.notEqual((await svg.locator('title').textContent()).trim(), '', `${id} has a title`);
  }
  const desc = await page.locator('#gap-chart-desc').textContent();
  assert.match(desc, /30%/, 'the chart description carries the numbers');
  const first = page.locator('.sc-recommendation').first();
  assert.match(await text(first), /介護/, 'the care community comes first for a care worker who gave up learning');
  assert.equal(await page.locator('.sc-recommendation form').count(), 0, 'a visitor gets no join buttons yet');
  const schemes = page.locator('.sc-schemes a[href^="/public-help/"]');
  assert.ok((await schemes.count()) > 0, 'public schemes that fit are linked');
  assert.match(await text(page.locator('.sc-schemes')), /教育訓練/, 'giving up learning suggests the training benefits');
});

step('signing up keeps the answers and saves the result', async () => {
  await page.locator('main a[href="/signup"]').first().click();
  await page.waitForURL((u) => u.pathname === '/signup');
  const form = page.locator('form[action="/signup"]');
  await form.locator('input[name="email"]').fill(PERSON.email);
  await form.locator('input[name="display_name"]').fill(PERSON.name);
  await form.locator('input[name="password"]').fill(PERSON.password);
  const r = await submit(page, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303);
  assert.match(r.path, /^\/self-check\/results\/\d+$/, 'sign-up leads to the saved result');
  resultPath = r.path;
  assert.match(await text(page.locator('p.flash')), /保存/);
  assert.match(await text(page.locator('main')), /キャリアの孤立/, 'the same answers were saved');
});

step('one click joins the first recommended community', async () => {
  const first = page.locator('.sc-recommendation-community').first();
  const href = await first.locator('h3 a').getAttribute('href');
  joinedCommunity = href;
  const r = await submit(page, first.locator('form button[type=submit]'));
  assert.equal(r.postStatus, 303);
  assert.equal(r.path, href, 'joining lands on the community page');
  assert.ok(await page.locator(`form[action="${href}/leave"]`).count() > 0, 'she is now a member (can leave)');
});

step('the result is private', async () => {
  const other = await newContextOn(browser, { locale: 'ja-JP' });
  const stranger = await other.newPage();
  const res = await stranger.goto(server.url + resultPath);
  assert.equal(new URL(stranger.url()).pathname, '/login', 'a signed-out browser is sent to log in');
  assert.equal(res.status(), 200);
  await other.close();
});

step('pages pass axe-core and look right at 360 px and desktop', async () => {
  // axe-core is injected as a script, so the audit uses its own context
  // with bypassCSP, signed in as Mei.
  const audit = await newContextOn(browser, { locale: 'ja-JP', bypassCSP: true, storageState: await context.storageState() });
  const page = await audit.newPage();
  const pages = ['/self-check', '/self-check/time', resultPath, '/self-check/history'];
  const byPage = {};
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const urlPath of pages) {
      const res = await goto(page, urlPath);
      assert.equal(res.status(), 200, urlPath);
      if (viewport === VIEWPORTS[0]) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${urlPath} scrolls sideways at 360 px by ${overflow}px`);
        const violations = await axeViolations(page);
        if (violations.length) byPage[urlPath] = violations;
      }
      const name = `self-check-${urlPath.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${viewport.width}.png`;
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
    }
  }
  await audit.close();
  assert.deepEqual(byPage, {}, formatViolations(Object.entries(byPage)));
}, { check: true });

step('no CSP violations or failed assets', async () => {
  assert.deepEqual(problems, { cspViolations: [], failedSubresources: [], pageErrors: [] });
}, { check: true });
