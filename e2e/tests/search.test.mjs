// Search in a real browser, on the demo data: a visitor types 介護 into the
// header's box on the home page and lands on the results, which include
// the care community; a half-width ｷｬﾘｱ finds キャリア; the search page
// passes axe-core in both languages; screenshots at 360 px and 1280 px.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, formatViolations, launchChromium, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

let server;
let browser;

before(async () => {
  // Bigrams alone: the dictionary mode is covered by the Rust tests.
  server = await startServer({ extraArgs: ['--demo'], env: { TSUNAGARI_SEARCH_DICTIONARY: '' } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the header box finds the care community, its events and threads', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.fill('#header-search-q', '介護');
  await Promise.all([page.waitForURL(/\/search\?q=/), page.click('form.header-search button[type=submit]')]);
  const results = page.locator('.result-list .result');
  assert.ok((await results.count()) >= 2, 'several results');
  const titles = await page.locator('.result-title').allInnerTexts();
  assert.ok(titles.some((t) => t.includes('介護')), titles.join(' / '));
  assert.ok((await page.locator('.result-snippet mark').count()) > 0, 'matches are highlighted');
  const types = await page.locator('.result-type .badge').allInnerTexts();
  assert.ok(types.includes('コミュニティ'), types.join(' / '));

  // Half-width katakana finds the full-width word.
  await page.goto(`${server.url}/search?q=${encodeURIComponent('ｷｬﾘｱ')}`);
  assert.ok((await page.locator('.result-list .result').count()) > 0, 'ｷｬﾘｱ finds キャリア');
  await context.close();
});

test('the search page is accessible in both languages; screenshots', async () => {
  const byPage = [];
  const dir = path.join(SCREENSHOT_DIR, 'search');
  mkdirSync(dir, { recursive: true });
  for (const locale of ['ja-JP', 'en-US']) {
    const context = await browser.newContext({ locale, bypassCSP: true });
    const page = await context.newPage();
    for (const query of ['介護', 'desgin']) {
      await page.goto(`${server.url}/search?q=${encodeURIComponent(query)}`);
      byPage.push([`${locale} /search?q=${query}`, await axeViolations(page)]);
    }
    await page.goto(`${server.url}/search?q=${encodeURIComponent('介護')}`);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: path.join(dir, `search-${locale}-${viewport.width}.png`), fullPage: true });
    }
    await context.close();
  }
  const report = formatViolations(byPage);
  assert.equal(report, '', report);
});
