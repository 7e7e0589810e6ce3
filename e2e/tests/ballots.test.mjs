// A ballots journey in a real browser, in Japanese, by two people:
//
//   Hanako starts a worker co-op and puts a motion to the vote with the
//   form (a missing closing time is refused first). Taro joins, votes, and
//   changes his mind. Two short ballots, one named and one secret, are put
//   to the vote through the API; Taro votes in both in his browser, the
//   secret one showing only that he voted (and his own choice, to him), and
//   after they close he sees each result with its chart. Then: CSP and
//   asset errors, axe-core, screenshots.
//
// Steps run in order against one fresh server; once a journey step fails,
// the later ones are skipped instead of failing for the same reason.
// Set E2E_SERVER_LOG=1 to see the server's log live.

import assert from 'node:assert/strict';
import path from 'node:path';

import { flash } from '../lib/pages.mjs';
import { axeViolations, formatViolations, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { htmlLang, journey, problemWatcher, submit, text } from '../lib/journey.mjs';
import { journeySuite } from '../lib/suite.mjs';

const OWNER = { email: 'hanako.ballots@example.jp', name: '山田 花子' };
const MEMBER = { email: 'taro.ballots@example.jp', name: '佐藤 太郎' };
const COOP = 'ワーカーズコープ ひだまり';
const MOTION = { title: '配食サービスを始める', body: '平日の昼に**配食サービス**を始める案です。' };

const SEL = {
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  communityForm: 'form[action="/communities"]',
  alert: '[role="alert"]',
  flash: 'p.flash[role="status"]',
  joinButton: (id) => `form[action="/communities/${id}/join"] button[type=submit]`,
  ballotForm: (id) => `form[action="/communities/${id}/ballots"]`,
  voteForm: (id) => `form[action="/ballots/${id}/vote"]`,
  option: (id) => `input[type=radio][name="option_id"][value="${id}"]`,
  result: 'section#result',
};

const suite = journeySuite();
const { gotoIn, gotoJa, gotoEn, newContext, signUp, api } = suite;
let ownerContext;
let owner;
let memberContext;
let member;
let ownerState;
let memberState;

let communityId;
let motionId;
let openId;
let secretId;
let openBallot;
let secretBallot;
let withdrawnId;
let closesAt;
let refusedForm;

const { problems, watch } = problemWatcher();

const step = journey({
  pages: () => ({ owner, member }),
  logs: suite.logs,
});

suite.setUp(async () => {
  ownerContext = await newContext({ locale: 'ja-JP' });
  owner = watch(await ownerContext.newPage(), 'owner');
});

// ---------------------------------------------------------------------------
// helpers

/** A local date-time in Tokyo `days` from now, as the form's field takes it. */
function tokyoLocal(days, hour) {
  const date = new Date(Date.now() + days * 86_400_000);
  const ymd = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(date);
  return `${ymd}T${String(hour).padStart(2, '0')}:00`;
}

async function vote(p, ballotId, optionId, lang) {
  await gotoIn(p, `/ballots/${ballotId}`, lang);
  const form = p.locator(SEL.voteForm(ballotId));
  await form.locator(SEL.option(optionId)).check();
  const r = await submit(p, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303, `voting should redirect, got ${r.postStatus}`);
  assert.equal(r.path, `/ballots/${ballotId}`);
  return flash(p);
}

// ---------------------------------------------------------------------------
// the journey

step('the organiser starts a worker co-op', async () => {
  await signUp(owner, OWNER);
  await gotoJa(owner, '/communities/new');
  const form = owner.locator(SEL.communityForm);
  await form.locator('input[name="kind"][value="worker_coop"]').check();
  await form.locator('input[name="name"]').fill(COOP);
  await form.locator('input[name="visibility"][value="public"]').check();
  await form.locator('input[name="membership"][value="open"]').check();
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303);
  communityId = Number(/^\/communities\/(\d+)$/.exec(r.path)[1]);
});

step('a motion without a closing time is refused (422), what was typed kept', async () => {
  await gotoJa(owner, `/communities/${communityId}/ballots`);
  assert.match(await text(owner.locator('main')), /受付中の投票はありません/);
  await owner.locator(`main a[href="/communities/${communityId}/ballots/new"]`).click();
  await owner.waitForURL((u) => u.pathname === `/communities/${communityId}/ballots/new`);
  const form = owner.locator(SEL.ballotForm(communityId));
  await form.locator('input[name="title"]').fill(MOTION.title);
  await form.locator('textarea[name="body"]').fill(MOTION.body);
  assert.ok(await form.locator('input[name="kind"][value="yes_no"]').isChecked(), 'yes / no / abstain by default');
  await form.locator('input[name="quorum"]').fill('50');
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422);
  await owner.locator(SEL.alert).first().waitFor({ state: 'visible' });
  assert.match(await text(owner.locator(SEL.alert).first()), /締め切り日時を/);
  assert.equal(await form.locator('input[name="title"]').inputValue(), MOTION.title);
  assert.equal(await form.locator('textarea[name="body"]').inputValue(), MOTION.body);
  refusedForm = await form.locator('input[name="closes_at"]').evaluate((field) => ({
    ariaInvalid: field.getAttribute('aria-invalid'),
    describedBy: (field.getAttribute('aria-describedby') || '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent.trim()),
    message: field.closest('.field')?.querySelector('.field-error')?.textContent.trim(),
  }));
});

step('with a closing time the motion is put to the vote', async () => {
  const form = owner.locator(SEL.ballotForm(communityId));
  await form.locator('input[name="closes_at"]').fill(tokyoLocal(7, 18));
  await form.locator('input[name="threshold"][value="two_thirds"]').check();
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303, `creating should redirect, got ${r.postStatus}`);
  motionId = Number(/^\/ballots\/(\d+)$/.exec(r.path)[1]);
  assert.match(await flash(owner), /投票を作成しました/);
  assert.equal(await text(owner.locator('main h1')), MOTION.title);
  assert.equal(await text(owner.locator('main .prose strong')), '配食サービス');
  assert.match(await text(owner.locator('main')), /3分の2以上/);
});

step('a member joins, votes on the motion and changes their vote', async () => {
  // The member reads the site in English, the owner in Japanese.
  memberContext = await newContext({ locale: 'en-US' });
  member = watch(await memberContext.newPage(), 'member');
  await suite.signUp(member, MEMBER, 'en');
  await gotoEn(member, `/communities/${communityId}`);
  const r = await submit(member, member.locator(SEL.joinButton(communityId)));
  assert.equal(r.postStatus, 303);
  // Joining after the opening gives no vote in it.
  await gotoEn(member, `/ballots/${motionId}`);
  assert.match(await text(member.locator('section#vote')), /members when the ballot opened/);
  assert.equal(await member.locator(SEL.voteForm(motionId)).count(), 0);

  // Ballots opened from now on include the member: two short ones, by API.
  closesAt = new Date(Date.now() + 20_000);
  const created = [];
  for (const secret of [false, true]) {
    const res = await api(OWNER, 'POST', `/api/v1/communities/${communityId}/ballots`, {
      title: secret ? '理事の選任（無記名）' : '交流会の会場',
      options: secret ? ['山田さん', '鈴木さん'] : ['あおぞら食堂', '地区センター'],
      abstain_option: true,
      closes_at: closesAt.toISOString(),
      secret,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    created.push(res.body);
  }
  [openBallot, secretBallot] = created;
  openId = openBallot.id;
  secretId = secretBallot.id;

  assert.match(await vote(member, openId, openBallot.options[0].id, 'en'), /Your vote is recorded/);
  assert.match(await text(member.locator('section#vote .you-are')), /Your current vote: あおぞら食堂/);
  assert.match(await vote(member, openId, openBallot.options[1].id, 'en'), /Your vote is changed/);
  assert.match(await text(member.locator('section#vote .you-are')), /地区センター/);
  assert.ok(await member.locator(SEL.option(openBallot.options[1].id)).isChecked(), 'the current choice is selected');
  assert.match(await text(member.locator(SEL.result)), /when the ballot closes/, 'no result while it is open');
});

step('a secret vote: the voter sees their own choice, the organiser only the turnout', async () => {
  assert.match(await vote(member, secretId, secretBallot.options[0].id, 'en'), /Your vote is recorded/);
  assert.match(await text(member.locator('main')), /Secret ballot/);
  assert.match(await text(member.locator('section#vote')), /stored without your name/);
  const ownVote = await api(OWNER, 'PUT', `/api/v1/ballots/${secretId}/vote`, { option_id: secretBallot.options[0].id });
  assert.equal(ownVote.status, 200);
  await api(OWNER, 'PUT', `/api/v1/ballots/${openId}/vote`, { option_id: openBallot.options[1].id });

  await gotoJa(owner, `/ballots/${secretId}`);
  assert.match(await text(owner.locator('main')), /メンバー 2人中 2人が投票/);
  assert.equal(await owner.locator(`${SEL.result} svg`).count(), 0, 'no running count of a secret ballot, even for organisers');
  const hidden = await api(OWNER, 'GET', `/api/v1/ballots/${secretId}/result`);
  assert.equal(hidden.status, 403);
  ownerState = await ownerContext.storageState();
});

step('after the close the member sees both results with their charts', async () => {
  const wait = closesAt.getTime() - Date.now() + 1500;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  await gotoEn(member, `/ballots/${openId}`);
  const open = member.locator(SEL.result);
  assert.match(await text(open), /Passed\./);
  assert.match(await text(open), /Votes counted 2/);
  const chart = open.locator('svg[role="img"]');
  assert.match(await chart.locator('desc').textContent(), /地区センター: 2 votes \(100%\)/);
  assert.match(await text(member.locator('section#vote')), /地区センター/, 'a named vote stays visible to the voter');

  await gotoEn(member, `/ballots/${secretId}`);
  const secret = member.locator(SEL.result);
  assert.match(await text(secret), /Passed\./);
  assert.match(await secret.locator('svg desc').textContent(), /山田さん: 2 votes \(100%\)/);
  assert.equal(await member.locator('#proposal-title').count(), 0, 'a ballot without a text has no empty proposal section');
  assert.equal(await text(member.locator('section#vote .you-are')), 'You voted.', 'after the close the secret choice is gone, even for the voter');
  assert.equal(await member.locator(SEL.voteForm(secretId)).count(), 0, 'no voting after the close');

  await gotoEn(member, `/communities/${communityId}/ballots`);
  assert.match(await text(member.locator('section[aria-labelledby="section-closed"]')), /理事の選任/);
  assert.match(await text(member.locator('section[aria-labelledby="section-open"]')), new RegExp(MOTION.title));
  memberState = await memberContext.storageState();
});

step('the owner withdraws a ballot that has not opened; without a reason it is refused (422)', async () => {
  const opensAt = new Date(Date.now() + 2 * 86_400_000);
  const res = await api(OWNER, 'POST', `/api/v1/communities/${communityId}/ballots`, {
    title: '来年度の当番表',
    opens_at: opensAt.toISOString(),
    closes_at: new Date(opensAt.getTime() + 86_400_000).toISOString(),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  withdrawnId = res.body.id;
  await gotoJa(owner, `/ballots/${withdrawnId}`);
  const form = owner.locator(`form[action="/ballots/${withdrawnId}/withdraw"]`);
  assert.equal((await submit(owner, form.locator('button[type=submit]'))).postStatus, 422);
  const again = owner.locator(`form[action="/ballots/${withdrawnId}/withdraw"]`);
  assert.match(await text(again.locator('.field-error')), /取り下げの理由/);
  assert.equal(await again.locator('textarea[name="reason"]').getAttribute('aria-invalid'), 'true');
  await again.locator('textarea[name="reason"]').fill('総会の日程が変わったため');
  const r = await submit(owner, again.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303);
  assert.match(await flash(owner), /投票を取り下げました/);
  assert.match(await text(owner.locator('section#withdrawn')), /総会の日程が変わったため/);
  assert.equal(await owner.locator(SEL.voteForm(withdrawnId)).count(), 0, 'nobody votes in it');
  await gotoJa(owner, `/communities/${communityId}/ballots`);
  assert.match(await text(owner.locator('section[aria-labelledby="section-withdrawn"]')), /来年度の当番表/);
});

step('the refused closing time is marked invalid and described by its error message', async () => {
  assert.ok(refusedForm, 'needs the refused form from the journey');
  assert.equal(refusedForm.ariaInvalid, 'true');
  assert.ok(refusedForm.message, 'an error message next to the field');
  assert.ok(refusedForm.describedBy.includes(refusedForm.message), JSON.stringify(refusedForm));
}, { check: true });

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

step('axe-core finds no WCAG 2.2 AA violations on the ballot pages', async () => {
  assert.ok(ownerState && memberState, 'needs the signed-in states from the journey');
  const byPage = [];
  for (const [who, state, pages, locale, lang] of [
    ['owner', ownerState, [`/communities/${communityId}/ballots/new`, `/ballots/${motionId}`, `/ballots/${withdrawnId}`, `/communities/${communityId}/ballots`], 'ja-JP', 'ja'],
    ['member', memberState, [`/communities/${communityId}/ballots`, `/ballots/${openId}`, `/ballots/${secretId}`], 'en-US', 'en'],
  ]) {
    const ctx = await newContext({ locale, bypassCSP: true, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const urlPath of pages) {
        await gotoIn(p, urlPath, lang);
        byPage.push([`${who} ${urlPath}`, await axeViolations(p)]);
      }
      if (who === 'owner') {
        await gotoJa(p, `/communities/${communityId}/ballots/new`);
        const r = await submit(p, p.locator(`${SEL.ballotForm(communityId)} button[type=submit]`));
        assert.equal(r.postStatus, 422);
        byPage.push(['owner ballot form (errors)', await axeViolations(p)]);
      }
    } finally {
      await ctx.close();
    }
  }
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

step('screenshots at 360 and 1280 wide', async (t) => {
  assert.ok(memberState, 'needs the signed-in state from the journey');
  const written = [];
  const ctx = await newContext({ locale: 'en-US', storageState: memberState });
  try {
    const p = await ctx.newPage();
    for (const vp of VIEWPORTS) {
      await p.setViewportSize(vp);
      for (const [label, urlPath] of [
        ['ballots', `/communities/${communityId}/ballots`],
        ['ballot-open', `/ballots/${motionId}`],
        ['ballot-result', `/ballots/${secretId}`],
        ['ballot-withdrawn', `/ballots/${withdrawnId}`],
      ]) {
        await gotoEn(p, urlPath);
        const name = `en-${vp.width}-${label}.png`;
        await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
        written.push(name);
      }
    }
  } finally {
    await ctx.close();
  }
  t.diagnostic(`${written.length} screenshots in ${SCREENSHOT_DIR}`);
}, { check: true });
