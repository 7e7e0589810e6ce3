// A union journey in a real browser, in Japanese, by two people:
//
//   Ren (organiser) starts a union and names himself a counsellor. Aoi
//   joins it, asks for career counselling by phone (forgetting the number
//   first: 422 with her words kept), and sees her request waiting. Ren
//   takes it from the counsellors' queue, sees the number and answers in the
//   private thread. Ren starts a petition; Aoi signs it, showing her name.
//   Aoi contributes to the solidarity fund and claims from it; Ren approves
//   the claim and it is paid; Aoi sees it decided and is notified. Then:
//   CSP and asset errors, axe-core on every union page (and an error
//   state), screenshots at 360 and 1280 wide.
//
// Steps run in order against one fresh server; once a journey step fails,
// the later ones are skipped. A failed step leaves
// screenshots/FAILED-<step>-<person>.png. Set E2E_SERVER_LOG=1 to see the
// server's log live.

import assert from 'node:assert/strict';
import path from 'node:path';

import { flash, submitRedirect as submitRedirectOn } from '../lib/pages.mjs';
import { axeViolations, formatViolations, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { htmlLang, journey, problemWatcher, submit, text } from '../lib/journey.mjs';
import { journeySuite } from '../lib/suite.mjs';

const ORGANISER = { email: 'ren.union@example.jp', name: '田中 蓮' };
const MEMBER = { email: 'aoi.union@example.jp', name: '佐藤 葵' };
const UNION_NAME = 'みなと地域ユニオン';
const TOPIC = '介護の仕事を続けながら、事務職への転職も考えています。';
const PHONE = '090-1234-5678';
const PETITION = '夜勤手当の引き上げを求めます';
const REASON = 'シフトを急に減らされ、今月の家賃が足りません。';

const SEL = {
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  communityForm: 'form[action="/communities"]',
  alert: '[role="alert"]',
  flash: 'p.flash[role="status"]',
};

const suite = journeySuite();
const { gotoIn, gotoJa, gotoEn, newContext, signUp } = suite;
let organiserContext;
let organiser;
let memberContext;
let member;
let organiserState;
let memberState;

let unionId;
let requestPath;
let petitionPath;
let claimPath;
let ballotClaimPath;

const { problems, watch } = problemWatcher();

const step = journey({
  pages: () => ({ organiser, member }),
  logs: suite.logs,
});

suite.setUp(async () => {
  organiserContext = await newContext({ locale: 'ja-JP' });
  organiser = watch(await organiserContext.newPage(), 'organiser');
  // The member reads the site in English, the organiser in Japanese: the
  // journey covers both languages.
  memberContext = await newContext({ locale: 'en-US' });
  member = watch(await memberContext.newPage(), 'member');
});

// ---------------------------------------------------------------------------
// helpers

/** Submits and expects 303 then 200; returns the landing path. */
const submitRedirect = async (p, button, to) => (await submitRedirectOn(p, button, to)).path;

// ---------------------------------------------------------------------------
// the journey

step('an organiser starts a union and names himself a counsellor', async () => {
  await signUp(organiser, ORGANISER);
  await gotoJa(organiser, '/communities/new');
  const form = organiser.locator(SEL.communityForm);
  await form.locator('input[name="kind"][value="union"]').check();
  await form.locator('input[name="name"]').fill(UNION_NAME);
  await form.locator('textarea[name="description"]').fill('誰でも一人から入れる地域の労働組合です。');
  await form.locator('input[name="visibility"][value="public"]').check();
  await form.locator('input[name="membership"][value="open"]').check();
  const landed = await submitRedirect(organiser, form.locator('button[type=submit]'), /^\/communities\/\d+$/);
  unionId = Number(landed.split('/').pop());

  // The community page links the union's tools.
  for (const tool of ['counselling', 'petitions', 'fund']) {
    await organiser.locator(`main a[href="/communities/${unionId}/${tool}"]`).first().waitFor({ state: 'visible' });
  }
  await organiser.locator(`main a[href="/communities/${unionId}/counselling"]`).first().click();
  await organiser.waitForURL((u) => u.pathname === `/communities/${unionId}/counselling`);
  assert.equal(await text(organiser.locator('main h1')), 'キャリア相談');
  const add = organiser.locator(`form[action="/communities/${unionId}/counsellors"]`);
  await add.locator('select[name="user_id"]').selectOption({ label: ORGANISER.name });
  await submitRedirect(organiser, add.locator('button[type=submit]'), `/communities/${unionId}/counselling`);
  assert.match(await flash(organiser), /相談員に指名しました/);
  assert.match(await text(organiser.locator('section[aria-labelledby="counsellors"]')), new RegExp(ORGANISER.name));
});

step('a member joins and asks for counselling by phone; a missing number is refused (422)', async () => {
  await signUp(member, MEMBER, 'en');
  await gotoEn(member, `/communities/${unionId}`);
  await submitRedirect(member, member.locator(`form[action="/communities/${unionId}/join"] button[type=submit]`), `/communities/${unionId}`);
  await gotoEn(member, `/communities/${unionId}/counselling`);
  const form = member.locator(`form[action="/communities/${unionId}/counselling"]`);
  await form.locator('select[name="category"]').selectOption('career_change');
  await form.locator('textarea[name="topic"]').fill(TOPIC);
  await form.locator('input[name="channel"][value="phone"]').check();
  await form.locator('textarea[name="preferred_times"]').fill('平日 19時以降');
  const r = await submit(member, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422, 'a phone call needs a number');
  const alert = member.locator(SEL.alert).first();
  await alert.waitFor({ state: 'visible' });
  assert.match(await text(alert), /phone number/);
  const again = member.locator(`form[action="/communities/${unionId}/counselling"]`);
  assert.equal(await again.locator('textarea[name="topic"]').inputValue(), TOPIC, 'her words are kept');
  assert.ok(await again.locator('input[name="channel"][value="phone"]').isChecked());
  assert.equal(await again.locator('input[name="contact"]').getAttribute('aria-invalid'), 'true');

  await again.locator('input[name="contact"]').fill(PHONE);
  requestPath = await submitRedirect(member, again.locator('button[type=submit]'), /^\/counselling\/\d+$/);
  assert.match(await flash(member), /Your request was sent to the counsellors/);
  assert.match(await text(member.locator('main .event-facts')), /Waiting for a counsellor/);
  assert.match(await text(member.locator('main .event-facts')), new RegExp(PHONE), 'she sees her own number');
});

step('the counsellor takes the request from the queue, sees the number and answers', async () => {
  await gotoJa(organiser, `/communities/${unionId}/counselling`);
  const queue = organiser.locator('section[aria-labelledby="queue-title"]');
  const item = queue.locator(`a[href="${requestPath}"]`).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
  await organiser.waitForURL((u) => u.pathname === requestPath);
  assert.doesNotMatch(await text(organiser.locator('main .event-facts')), new RegExp(PHONE), 'not before taking it');
  const assign = organiser.locator(`form[action="${requestPath}/assign"]`);
  await assign.locator('select[name="user_id"]').selectOption({ label: ORGANISER.name });
  await submitRedirect(organiser, assign.locator('button[type=submit]'), requestPath);
  assert.match(await text(organiser.locator('main .event-facts')), new RegExp(PHONE), 'the assigned counsellor sees it');
  const write = organiser.locator(`form[action="${requestPath}/messages"]`);
  await write.locator('textarea[name="body"]').fill('担当の田中です。水曜の19時にお電話します。');
  await submitRedirect(organiser, write.locator('button[type=submit]'), requestPath);

  await gotoEn(member, requestPath);
  assert.match(await text(member.locator('main .event-facts')), /With a counsellor/);
  assert.match(await text(member.locator('section[aria-labelledby="messages"]')), /水曜の19時/);
});

step('the organiser starts a petition and the member signs it, showing her name', async () => {
  await gotoJa(organiser, `/communities/${unionId}/petitions/new`);
  const form = organiser.locator(`form[action="/communities/${unionId}/petitions"]`);
  await form.locator('input[name="title"]').fill(PETITION);
  await form.locator('input[name="target"]').fill('みなと介護サービス株式会社');
  await form.locator('textarea[name="demand"]').fill('夜勤手当を**1回5,000円**に引き上げてください。');
  await form.locator('input[name="goal"]').fill('4');
  petitionPath = await submitRedirect(organiser, form.locator('button[type=submit]'), /^\/petitions\/\d+$/);

  await gotoEn(member, `/communities/${unionId}/petitions`);
  await member.locator(`a[href="${petitionPath}"]`).click();
  await member.waitForURL((u) => u.pathname === petitionPath);
  assert.equal(await text(member.locator('main .prose strong')), '1回5,000円');
  const sign = member.locator(`form[action="${petitionPath}/sign"]`);
  await sign.locator('input[name="show_name"]').check();
  await submitRedirect(member, sign.locator('button[type=submit]'), petitionPath);
  assert.match(await flash(member), /your signature is counted/);
  assert.match(await text(member.locator('#signature-count')), /1 of 4 signatures/);
  assert.match(await text(member.locator('section[aria-labelledby="supporters-title"]')), new RegExp(MEMBER.name));
  assert.match(await text(member.locator('section[aria-labelledby="milestones-title"]')), /25% — 1 signature Reached on [^%]* 50% — 2 signatures Not yet reached/);
});

step('the member contributes to the fund and claims from it', async () => {
  await gotoEn(member, `/communities/${unionId}/fund`);
  const give = member.locator(`form[action="/communities/${unionId}/fund/contributions"]`);
  await give.locator('input[name="amount"]').fill('5000');
  await submitRedirect(member, give.locator('button[type=submit]'), `/communities/${unionId}/fund`);
  assert.match(await text(member.locator('main .facts')), /¥5,000/);

  await member.locator(`a[href="/communities/${unionId}/fund/claims/new"]`).click();
  await member.waitForURL((u) => u.pathname === `/communities/${unionId}/fund/claims/new`);
  const claim = member.locator(`form[action="/communities/${unionId}/fund/claims"]`);
  await claim.locator('input[name="amount"]').fill('3000');
  await claim.locator('textarea[name="reason"]').fill(REASON);
  claimPath = await submitRedirect(member, claim.locator('button[type=submit]'), /^\/fund\/claims\/\d+$/);
  assert.match(await text(member.locator('main .event-facts')), /Waiting for a decision/);
  assert.equal(await member.locator('button[name="approve"]').count(), 0, 'a claimant does not decide');
});

step('the organiser approves the claim and it is paid', async () => {
  await gotoJa(organiser, `/communities/${unionId}/fund`);
  await organiser.locator(`section[aria-labelledby="deciders-title"] a[href="${claimPath}"]`).click();
  await organiser.waitForURL((u) => u.pathname === claimPath);
  assert.match(await text(organiser.locator('main header')), new RegExp(REASON));
  await submitRedirect(organiser, organiser.locator('button[name="approve"][value="1"]'), claimPath);
  assert.match(await flash(organiser), /給付されました/);
  assert.match(await text(organiser.locator('main .event-facts')), /給付済み/);
  organiserState = await organiserContext.storageState();
});

step('the member sees the claim decided, is notified, and the fund shows the payout without her name', async () => {
  await gotoEn(member, claimPath);
  assert.match(await text(member.locator('main .event-facts')), /Paid/);
  await gotoEn(member, '/notifications');
  assert.match(await text(member.locator('main')), /Your solidarity-fund claim for ¥3,000 was decided/);
  await gotoEn(member, `/communities/${unionId}/fund`);
  assert.match(await text(member.locator('main .facts')), /¥2,000/);
  const payouts = member.locator('section[aria-labelledby="payouts-title"]');
  assert.match(await text(payouts), /¥3,000/);
  assert.doesNotMatch(await text(payouts), new RegExp(`${MEMBER.name}|家賃`), 'payouts are anonymous');
  memberState = await memberContext.storageState();
});

step('the organiser lets the members decide claims by ballot; a new claim opens a ballot without the claimant\'s name', async () => {
  await gotoJa(organiser, `/communities/${unionId}/fund`);
  const settings = organiser.locator(`form[action="/communities/${unionId}/fund/settings"]`);
  await settings.locator('input[name="method"][value="ballot"]').check();
  await settings.locator('input[name="ballot_days"]').fill('5');
  await submitRedirect(organiser, settings.locator('button[type=submit]'), `/communities/${unionId}/fund`);
  assert.match(await text(organiser.locator('section[aria-labelledby="deciders-title"]')), /無記名投票で決めます。投票は5日間/);

  await gotoEn(member, `/communities/${unionId}/fund/claims/new`);
  assert.match(await text(member.locator('main')), /secret ballot \(5 days\)/);
  const claim = member.locator(`form[action="/communities/${unionId}/fund/claims"]`);
  await claim.locator('input[name="amount"]').fill('2000');
  await claim.locator('textarea[name="reason"]').fill('通院の交通費が続いています。');
  ballotClaimPath = await submitRedirect(member, claim.locator('button[type=submit]'), /^\/fund\/claims\/\d+$/);
  assert.match(await text(member.locator('main .event-facts')), /The members' ballot/);
  await member.locator('main .event-facts a[href^="/ballots/"]').click();
  await member.waitForURL((u) => /^\/ballots\/\d+$/.test(u.pathname));
  const ballot = await text(member.locator('main'));
  assert.match(ballot, /¥2,000/);
  assert.match(ballot, /通院の交通費が続いています。/);
  assert.doesNotMatch(ballot, new RegExp(MEMBER.name), 'the claimant is not named');
});

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

/** The union pages each person sees, by label. */
const organiserPages = () => [
  ['counselling-queue', `/communities/${unionId}/counselling`],
  ['counselling-request', requestPath],
  ['petition', petitionPath],
  ['petition-new', `/communities/${unionId}/petitions/new`],
  ['fund-organiser', `/communities/${unionId}/fund`],
  ['fund-claim', claimPath],
];
const memberPages = () => [
  ['counselling-member', `/communities/${unionId}/counselling`],
  ['petitions', `/communities/${unionId}/petitions`],
  ['fund-member', `/communities/${unionId}/fund`],
  ['fund-payouts', `/communities/${unionId}/fund/payouts`],
  ['fund-claim-new', `/communities/${unionId}/fund/claims/new`],
  ['fund-claim-ballot', ballotClaimPath],
];

/** Each person's signed-in state, pages and language. */
const readers = () => [
  [organiserState, organiserPages(), 'ja-JP', 'ja'],
  [memberState, memberPages(), 'en-US', 'en'],
];

step('axe-core finds no WCAG 2.2 AA violations on the union pages', async () => {
  assert.ok(organiserState && memberState, 'needs the signed-in states from the journey');
  const byPage = [];
  for (const [state, pages, locale, lang] of readers()) {
    const ctx = await newContext({ locale, bypassCSP: true, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const [, urlPath] of pages) {
        await gotoIn(p, urlPath, lang);
        byPage.push([`${locale} ${urlPath}`, await axeViolations(p)]);
      }
      if (state === memberState) {
        // An error state: a claim without a reason.
        await gotoIn(p, `/communities/${unionId}/fund/claims/new`, lang);
        await p.locator('input[name="amount"]').fill('0');
        const r = await submit(p, p.locator(`form[action="/communities/${unionId}/fund/claims"] button[type=submit]`));
        assert.equal(r.postStatus, 422);
        byPage.push([`${locale} fund claim (errors)`, await axeViolations(p)]);
      }
    } finally {
      await ctx.close();
    }
  }
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

step('screenshots at 360 and 1280 wide', async (t) => {
  assert.ok(organiserState && memberState, 'needs the signed-in states from the journey');
  const written = [];
  for (const [state, pages, locale, lang] of readers()) {
    const ctx = await newContext({ locale, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const vp of VIEWPORTS) {
        await p.setViewportSize(vp);
        for (const [label, urlPath] of pages) {
          await gotoIn(p, urlPath, lang);
          const name = `${lang}-${vp.width}-union-${label}.png`;
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
