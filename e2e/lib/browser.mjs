// Launching Debian's Chromium through playwright-core, and running axe-core.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { E2E_DIR } from './server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const VIEWPORTS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

export const SCREENSHOT_DIR = path.join(E2E_DIR, 'screenshots');

let axeSource;
function axeScript() {
  axeSource ??= readFileSync(path.join(E2E_DIR, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page's current document and returns its violations.
 * The site's CSP forbids inline scripts, so the page must belong to a
 * context created with `bypassCSP: true`.
 */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeScript() });
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.length > 200 ? `${n.html.slice(0, 200)}…` : n.html,
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
}

/** Human-readable report of axe violations, keyed by a page label. */
export function formatViolations(byPage) {
  const out = [];
  for (const [label, violations] of byPage) {
    if (violations.length === 0) continue;
    out.push(`\n== ${label}: ${violations.length} violation(s)`);
    for (const v of violations) {
      out.push(`  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}`);
      for (const n of v.nodes) {
        out.push(`    - ${n.target}\n      ${n.html}`);
        if (n.summary) out.push(`      ${n.summary.replace(/\n/g, '\n      ')}`);
      }
    }
  }
  return out.join('\n');
}

/** "/" -> "home", "/settings/profile?x=1" -> "settings_profile_x_1" */
export function slug(urlPath) {
  const s = urlPath.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return s || 'home';
}
