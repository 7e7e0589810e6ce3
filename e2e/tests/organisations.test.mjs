// The directory of real organisations in a real browser, in Japanese:
//
//   A visitor finds the report's organisations in the directory (each marked
//   as a directory entry, not run here), filters by kind and prefecture, and
//   opens フェイスブック新潟県人会. Minami signs up and claims it (an empty
//   message is refused first, 422). Unno, made a site operator with the
//   command line, opens the claim queue and approves. The listing now links
//   to a regional alumni community that Minami owns, and Minami's home page
//   lists it and her notification. Then: CSP and asset errors, axe-core on
//   the directory, a listing, the claim form with its error, the queue and
//   the signed-in home page, and screenshots.
//
// Steps run in order against one fresh server; once a journey step fails,
// the later ones are skipped. Set E2E_SERVER_LOG=1 to see the server's log.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { axeViolations, formatViolations, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { htmlLang, journey, problemWatcher, submit, text } from '../lib/journey.mjs';
import { serverBinary } from '../lib/server.mjs';
import { journeySuite } from '../lib/suite.mjs';

const CLAIMANT = { email: 'minami.directory@example.jp', name: '南 由紀' };
const OPERATOR = { email: 'unno.directory@example.jp', name: '海野 運営' };
const LISTING = 'facebook-niigata-kenjinkai';
const MESSAGE = 'フェイスブック新潟県人会の管理人の一人です。グループの管理者一覧に名前があります。';

// Organisations the report names, one of each kind at least.
const REPORT_ORGANISATIONS = [
  '育休＆共働きコミュニティ ikumado',
  '未来をつくるkaigoカフェ',
  'ONE JAPAN',
  'モトヤフ（ヤフーのアルムナイ）',
  'TISアルムナイ',
  'フェイスブック新潟県人会',
  '飛んでるローカル豊岡',
];

const SEL = {
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  nav: 'nav a[href="/organisations"]',
  filterForm: 'form[action="/organisations"][method="get"]',
  card: (slug) => `main li.listing-card:has(a[href="/organisations/${slug}"])`,
  claimForm: (slug) => `form[action="/organisations/${slug}/claims"]`,
  alert: '[role="alert"]',
  flash: 'p.flash[role="status"]',
  approve: (id) => `form[action="/admin/claims/${id}/approve"] button[type=submit]`,
};

const suite = journeySuite();
const { goto, gotoJa, newContext, signUp } = suite;
let visitorContext;
let visitor;
let claimantContext;
let claimant;
let operatorContext;
let operator;
let claimantState;
let operatorState;
let claimId;
let communityId;

const { problems, watch } = problemWatcher();
const step = journey({
  pages: () => ({ visitor, claimant, operator }),
  logs: suite.logs,
});

suite.setUp(async () => {
  visitorContext = await newContext({ locale: 'ja-JP' });
  visitor = watch(await visitorContext.newPage(), 'visitor');
});

/** Sends the claim form with `message`; returns the submission's statuses. */
async function sendClaim(p, message) {
  const form = p.locator(SEL.claimForm(LISTING));
  await form.locator('textarea[name="message"]').fill(message);
  // The field is `required`: an empty one is checked by the server, not the browser.
  await form.evaluate((f) => f.setAttribute('novalidate', ''));
  return submit(p, form.locator('button[type=submit]'));
}

// ---------------------------------------------------------------------------

step("a visitor finds the report's organisations, each marked as a directory entry", async () => {
  await gotoJa(visitor, '/');
  const nav = visitor.locator(SEL.nav);
  assert.equal(await text(nav), '団体名簿');
  await nav.click();
  await visitor.waitForURL((u) => u.pathname === '/organisations');
  assert.equal(await text(visitor.locator('main h1')), '実在する団体の名簿');
  assert.equal(await nav.getAttribute('aria-current'), 'page');
  const main = await text(visitor.locator('main'));
  for (const name of REPORT_ORGANISATIONS) assert.ok(main.includes(name), `${name} should be listed`);
  const card = visitor.locator(SEL.card('ikumado'));
  assert.match(await text(card), /名簿の掲載のみ（このサーバーでは運営されていません）/);
  // The second page has the rest: unions and worker co-ops.
  await visitor.locator('nav.pager a[rel="next"]').click();
  await visitor.waitForURL((u) => u.searchParams.get('page') === '2');
  const second = await text(visitor.locator('main'));
  for (const name of ['UAゼンセン', '電機連合', 'モンドラゴン協同組合', '企業組合はんしんワーカーズコープ']) {
    assert.ok(second.includes(name), `${name} should be on the second page`);
  }
});

step('filtering by kind and prefecture narrows the directory', async () => {
  await gotoJa(visitor, '/organisations');
  const form = visitor.locator(SEL.filterForm);
  await form.locator('select[name="kind"]').selectOption('regional_alumni');
  await form.locator('select[name="prefecture"]').selectOption('15');
  const r = await submit(visitor, form.locator('button[type=submit]'), { method: 'GET' });
  assert.equal(r.status, 200);
  const slugs = await visitor
    .locator('main li.listing-card h3 a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(slugs, [`/organisations/${LISTING}`, '/organisations/shutoken-niigata-kenjinkai']);
  await visitor.locator(`main a[href="/organisations/${LISTING}"]`).click();
  await visitor.waitForURL((u) => u.pathname === `/organisations/${LISTING}`);
  assert.equal(await text(visitor.locator('main h1')), 'フェイスブック新潟県人会');
  assert.match(await text(visitor.locator('main')), /tsunagariの上では活動していません/);
  assert.equal(await visitor.locator(SEL.claimForm(LISTING)).count(), 0, 'visitors are asked to log in first');
  await visitor.locator('main a[href^="/login?next="]').waitFor({ state: 'visible' });
});

step('Minami signs up; an empty claim is refused (422), then her claim is sent', async () => {
  claimantContext = await newContext({ locale: 'ja-JP' });
  claimant = watch(await claimantContext.newPage(), 'claimant');
  await signUp(claimant, CLAIMANT);
  await gotoJa(claimant, `/organisations/${LISTING}`);
  let r = await sendClaim(claimant, '   ');
  assert.equal(r.postStatus, 422);
  const alert = claimant.locator(SEL.alert).first();
  await alert.waitFor({ state: 'visible' });
  assert.match(await text(alert), /あなたと団体の関係を書いてください。/);
  const field = claimant.locator('textarea[name="message"]');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.match(await field.getAttribute('aria-describedby'), /error-message/);
  r = await sendClaim(claimant, MESSAGE);
  assert.equal(r.postStatus, 303);
  assert.equal(r.status, 200);
  assert.match(await text(claimant.locator(SEL.flash)), /申請を送りました/);
  assert.match(await text(claimant.locator('#claim')), /確認待ち/);
  assert.equal(await claimant.locator(SEL.claimForm(LISTING)).count(), 0, 'no second claim while one waits');
  claimantState = await claimantContext.storageState();
});

step('the queue is for site operators only; Unno, granted the role on the command line, approves', async () => {
  const r = await goto(claimant, '/admin/claims');
  assert.equal(r.status(), 403, 'a claimant is not an operator');
  operatorContext = await newContext({ locale: 'ja-JP' });
  operator = watch(await operatorContext.newPage(), 'operator');
  await signUp(operator, OPERATOR);
  const out = execFileSync(serverBinary(), ['admin', 'grant-operator', OPERATOR.email, '--database', suite.server.databaseUrl], {
    env: { ...process.env, TSUNAGARI_LOG: 'warn' },
    encoding: 'utf8',
  });
  assert.match(out, /is now a site operator/);
  await gotoJa(operator, '/');
  await operator.locator('main a[href="/admin/claims"]').click();
  await operator.waitForURL((u) => u.pathname === '/admin/claims');
  const item = operator.locator('main li.claim-item', { hasText: 'フェイスブック新潟県人会' });
  await item.waitFor({ state: 'visible' });
  assert.match(await text(item), new RegExp(CLAIMANT.name));
  assert.match(await text(item), /管理人の一人です/);
  claimId = Number((await item.getAttribute('id')).replace('claim-', ''));
  const done = await submit(operator, operator.locator(SEL.approve(claimId)));
  assert.equal(done.postStatus, 303);
  assert.equal(done.path, '/admin/claims');
  assert.match(await text(operator.locator(SEL.flash)), /コミュニティを作りました/);
  assert.match(await text(operator.locator('main')), /確認待ちの申請はありません/);
  operatorState = await operatorContext.storageState();
});

step('the listing now links to a regional alumni community that Minami owns', async () => {
  await gotoJa(visitor, `/organisations/${LISTING}`);
  assert.match(await text(visitor.locator('main .listing-head')), /tsunagariで活動中/);
  const link = visitor.locator('main .listing-head a.button[href^="/communities/"]');
  communityId = Number((await link.getAttribute('href')).split('/').pop());
  await link.click();
  await visitor.waitForURL((u) => u.pathname === `/communities/${communityId}`);
  assert.equal(await text(visitor.locator('main h1')), 'フェイスブック新潟県人会');
  assert.match(await text(visitor.locator('main .community-head')), /地域アルムナイ/);
  // Members see each other's names: Minami is its owner.
  await gotoJa(claimant, `/communities/${communityId}/members`);
  assert.match(await text(claimant.locator('main')), new RegExp(`${CLAIMANT.name}[\\s\\S]*オーナー`));
  // The directory card says so too.
  await gotoJa(visitor, '/organisations?prefecture=15');
  assert.match(await text(visitor.locator(SEL.card(LISTING))), /tsunagariで活動中/);
});

step("Minami's home page lists her community and the notification", async () => {
  await gotoJa(claimant, '/');
  assert.match(await text(claimant.locator('main')), /参加中のコミュニティ[\s\S]*フェイスブック新潟県人会/);
  assert.match(await text(claimant.locator('nav .notifications-link')), /未読 1 件/);
  await gotoJa(claimant, '/notifications');
  assert.match(await text(claimant.locator('main')), /「フェイスブック新潟県人会」の申請が承認されました/);
});

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

step('axe-core finds no WCAG 2.2 AA violations on the directory, claim, queue and home pages', async () => {
  assert.ok(claimantState && operatorState, 'needs the signed-in states from the journey');
  const byPage = [];
  const audit = async (state, pages, extra) => {
    const ctx = await newContext({ locale: 'ja-JP', bypassCSP: true, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const urlPath of pages) {
        await gotoJa(p, urlPath);
        byPage.push([`ja-JP ${urlPath}`, await axeViolations(p)]);
      }
      if (extra) await extra(p);
    } finally {
      await ctx.close();
    }
  };
  await audit(claimantState, ['/', '/organisations', '/organisations?kind=union', `/organisations/${LISTING}`], async (p) => {
    // A claim form in its error state, on a listing still unclaimed.
    await gotoJa(p, '/organisations/uazensen');
    const form = p.locator(SEL.claimForm('uazensen'));
    await form.evaluate((f) => f.setAttribute('novalidate', ''));
    await submit(p, form.locator('button[type=submit]'));
    byPage.push(['ja-JP /organisations/uazensen (errors)', await axeViolations(p)]);
  });
  await audit(operatorState, ['/admin/claims'], async (p) => {
    // The queue with a claim in it.
    const ctx2 = await newContext({ locale: 'ja-JP', storageState: claimantState });
    const q = await ctx2.newPage();
    await gotoJa(q, '/organisations/uazensen');
    const form = q.locator(SEL.claimForm('uazensen'));
    await form.locator('textarea[name="message"]').fill('UAゼンセンの組合員です。');
    await submit(q, form.locator('button[type=submit]'));
    await ctx2.close();
    await gotoJa(p, '/admin/claims');
    byPage.push(['ja-JP /admin/claims (one waiting)', await axeViolations(p)]);
  });
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

step('screenshots at 360 and 1280 wide', async (t) => {
  const written = [];
  for (const [state, shots] of [
    [claimantState, [['home', '/'], ['organisations', '/organisations'], ['organisation', `/organisations/${LISTING}`], ['organisation-unclaimed', '/organisations/uazensen']]],
    [operatorState, [['admin-claims', '/admin/claims']]],
  ]) {
    const ctx = await newContext({ locale: 'ja-JP', storageState: state });
    try {
      const p = await ctx.newPage();
      for (const vp of VIEWPORTS) {
        await p.setViewportSize(vp);
        for (const [label, urlPath] of shots) {
          await gotoJa(p, urlPath);
          const name = `ja-${vp.width}-${label}.png`;
          await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
          written.push(name);
        }
      }
    } finally {
      await ctx.close();
    }
  }
  t.diagnostic(`${written.length} screenshots in ${SCREENSHOT_DIR}`);
}, { check: true });
