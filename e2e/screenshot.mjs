#!/usr/bin/env node
// Screenshots of a running tsunagari, for people to look at.
//
//   node e2e/screenshot.mjs <base-url> <outdir>
//
// env PATHS   comma-separated paths (default "/,/signup,/login")
// env COOKIE  optional "name=value; name2=value2" sent with every request,
//             e.g. a session cookie copied from a browser, to see signed-in pages
// env CHROMIUM_PATH  default /usr/bin/chromium
//
// Each path is taken full page at 360 and 1280 wide, with the browser's
// language set to ja-JP and to en-US: <outdir>/<locale>-<width>-<slug>.png

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { launchChromium, slug, VIEWPORTS } from './lib/browser.mjs';

const [baseArg, outArg] = process.argv.slice(2);
if (!baseArg || !outArg) {
  console.error('usage: node e2e/screenshot.mjs <base-url> <outdir>\n  env PATHS=/,/signup,/login  COOKIE="name=value; ..."');
  process.exit(2);
}
const base = new URL(baseArg);
const outDir = path.resolve(outArg);
const paths = (process.env.PATHS || '/,/signup,/login')
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean)
  .map((p) => (p.startsWith('/') ? p : `/${p}`));
const cookies = (process.env.COOKIE || '')
  .split(';')
  .map((c) => c.trim())
  .filter(Boolean)
  .map((c) => {
    const i = c.indexOf('=');
    return { name: c.slice(0, i), value: c.slice(i + 1), url: base.origin };
  });

mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
let failures = 0;
try {
  for (const locale of ['ja-JP', 'en-US']) {
    const context = await browser.newContext({ locale, viewport: VIEWPORTS[1] });
    if (cookies.length) await context.addCookies(cookies);
    const page = await context.newPage();
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      for (const p of paths) {
        const file = path.join(outDir, `${locale}-${vp.width}-${slug(p)}.png`);
        try {
          const res = await page.goto(new URL(p, base).href, { waitUntil: 'load', timeout: 30_000 });
          await page.screenshot({ path: file, fullPage: true });
          console.log(`${res?.status() ?? '---'} ${file}`);
        } catch (err) {
          failures++;
          console.error(`failed ${locale} ${vp.width} ${p}: ${err.message.split('\n')[0]}`);
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
