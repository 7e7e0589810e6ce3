// The worker co-op's share register and opinion box in a real browser, by
// two people:
//
//   Hanako starts a worker co-op; Taro signs up in his own browser (in
//   English) and joins it. Hanako sets the unit price (a wrong one is
//   refused first) and records Taro's subscription of units and his
//   payment. Taro sees his holding. He sends an opinion without his name
//   (an empty title is refused first); Hanako finds it among the opinions
//   waiting for a response, with no name on it, and records an answer.
//   Taro sees the answer on his opinion and a notification about it. Then:
//   CSP and asset errors, axe-core, screenshots at 360 and 1280 px.
//
// Steps run in order against one fresh server; once a journey step fails,
// the later ones are skipped instead of failing for the same reason.

import assert from 'node:assert/strict';
import path from 'node:path';

import { flash, submitRedirect } from '../lib/pages.mjs';
import { axeViolations, formatViolations, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { htmlLang, journey, problemWatcher, submit, text } from '../lib/journey.mjs';
import { journeySuite } from '../lib/suite.mjs';

const OWNER = { email: 'hanako.coop@example.jp', name: '山田 花子' };
const MEMBER = { email: 'taro.coop@example.jp', name: 'Taro Sato' };
const COOP = { name: 'ワーカーズコープ みどり', description: '地域の仕事を、みんなで出資して、一人一票で決めています。' };
const OPINION = {
  title: 'Evening training sessions',
  body: 'Training right after a night shift is hard to follow.\nCould the same session also run on a weekday afternoon?',
};
const ANSWER = '来月から、同じ研修を平日の午後にも開きます。';

const SEL = {
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  communityForm: 'form[action="/communities"]',
  alert: '[role="alert"]',
  flash: 'p.flash[role="status"]',
  joinButton: (id) => `form[action="/communities/${id}/join"] button[type=submit]`,
  priceForm: (id) => `form[action="/communities/${id}/shares/price"]`,
  entryForm: (kind) => `form#form-${kind}`,
  opinionForm: (id) => `form[action="/communities/${id}/opinions"]`,
  responseForm: (id) => `form[action="/opinions/${id}/responses"]`,
};

const suite = journeySuite();
const { newContext, signUp } = suite;
const open = suite.gotoIn;
let ownerContext;
let owner; // Hanako's page
let memberContext;
let member; // Taro's page
let ownerState;
let memberState;

let coopId;
let opinionId;
let refusedPrice; // how the refused price field tells about its error

const { problems, watch } = problemWatcher();

const step = journey({
  pages: () => ({ owner, member }),
  logs: suite.logs,
});

suite.setUp(async () => {
  ownerContext = await newContext({ locale: 'ja-JP' });
  owner = watch(await ownerContext.newPage(), 'owner');
  memberContext = await newContext({ locale: 'en-US' });
  member = watch(await memberContext.newPage(), 'member');
});

// ---------------------------------------------------------------------------
// helpers


/** How a field in error is tied to its message for assistive technology. */
async function describeErrorWiring(p, fieldSelector) {
  return p.locator(fieldSelector).evaluate((field) => {
    const ids = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    return {
      field: `${field.localName}[name="${field.name}"]#${field.id}`,
      ariaInvalid: field.getAttribute('aria-invalid'),
      describedBy: ids.map((id) => document.getElementById(id)?.textContent.trim() ?? `(missing #${id})`),
      errorMessage: field.closest('.field')?.querySelector('.field-error')?.textContent.trim() ?? null,
    };
  });
}

// ---------------------------------------------------------------------------
// the journey

step('Hanako starts a worker co-op and Taro joins it', async () => {
  await signUp(owner, OWNER, 'ja');
  await open(owner, '/communities/new', 'ja');
  const form = owner.locator(SEL.communityForm);
  await form.locator('input[name="kind"][value="worker_coop"]').check();
  await form.locator('input[name="name"]').fill(COOP.name);
  await form.locator('textarea[name="description"]').fill(COOP.description);
  await form.locator('input[name="visibility"][value="public"]').check();
  await form.locator('input[name="membership"][value="open"]').check();
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303);
  const m = /^\/communities\/(\d+)$/.exec(r.path);
  assert.ok(m, `should land on the co-op's page, got ${r.path}`);
  coopId = Number(m[1]);

  await signUp(member, MEMBER, 'en');
  await open(member, `/communities/${coopId}`, 'en');
  await submitRedirect(member, member.locator(SEL.joinButton(coopId)), `/communities/${coopId}`);
  memberState = await memberContext.storageState();
});

step('a unit price that is not a number is refused (422), 50,000 yen is saved', async () => {
  await open(owner, `/communities/${coopId}/shares`, 'ja');
  assert.equal(await text(owner.locator('main h1')), '出資の記録');
  const form = owner.locator(SEL.priceForm(coopId));
  await form.locator('input[name="unit_price"]').fill('五万');
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422);
  const again = owner.locator(SEL.priceForm(coopId));
  assert.equal(await again.locator('input[name="unit_price"]').inputValue(), '五万', 'the typed value is kept');
  refusedPrice = await describeErrorWiring(owner, `${SEL.priceForm(coopId)} input[name="unit_price"]`);
  await again.locator('input[name="unit_price"]').fill('50,000');
  await submitRedirect(owner, again.locator('button[type=submit]'), `/communities/${coopId}/shares`);
  assert.match(await flash(owner), /1口の金額を保存しました/);
  assert.match(await text(owner.locator('section[aria-labelledby="totals-title"]')), /1口 50,000円/);
});

step("Hanako records Taro's subscription of 2 units and his payment", async () => {
  const subscribe = owner.locator(SEL.entryForm('subscribe'));
  await subscribe.locator('select[name="member_id"]').selectOption({ label: MEMBER.name });
  await subscribe.locator('input[name="units"]').fill('2');
  await subscribe.locator('input[name="note"]').fill('加入時の出資');
  await submitRedirect(owner, subscribe.locator('button[type=submit]'), `/communities/${coopId}/shares`);
  assert.match(await flash(owner), /記録しました/);
  const payment = owner.locator(SEL.entryForm('payment'));
  await payment.locator('select[name="member_id"]').selectOption({ label: MEMBER.name });
  await payment.locator('input[name="amount"]').fill('100000');
  await submitRedirect(owner, payment.locator('button[type=submit]'), `/communities/${coopId}/shares`);
  const register = owner.locator('section[aria-labelledby="register-title"] tbody tr', { hasText: MEMBER.name });
  assert.match(await text(register), /2口 100,000円 100,000円 0円/);
  const ledger = owner.locator('section#ledger tbody tr');
  assert.equal(await ledger.count(), 2, 'two entries on the ledger');
  assert.match(await text(owner.locator('section[aria-labelledby="totals-title"]')), /100,000円/);
  ownerState = await ownerContext.storageState();
});

step('Taro sees his holding, not the register', async () => {
  await open(member, `/communities/${coopId}/shares`, 'en');
  const mine = member.locator('section[aria-labelledby="mine-title"]');
  const holding = await text(mine);
  assert.match(holding, /2 units/);
  assert.match(holding, /¥100,000/);
  assert.equal(await member.locator('section[aria-labelledby="register-title"]').count(), 0, 'members do not see the register');
  assert.equal(await member.locator(SEL.entryForm('subscribe')).count(), 0, 'nor the entry forms');
});

step('Taro applies for one more unit himself: 0 is refused (422) with his note kept, 1 is recorded', async () => {
  const form = member.locator('section#subscribe form');
  await form.locator('input[name="units"]').fill('0');
  await form.locator('input[name="note"]').fill('second year');
  assert.equal((await submit(member, form.locator('button[type=submit]'))).postStatus, 422);
  const refused = member.locator('section#subscribe form');
  assert.match(await text(refused.locator('.error-summary')), /whole number of units/);
  assert.equal(await refused.locator('input[name="note"]').inputValue(), 'second year', 'the note is kept');
  await refused.locator('input[name="units"]').fill('1');
  await submitRedirect(member, refused.locator('button[type=submit]'), `/communities/${coopId}/shares`);
  assert.match(await flash(member), /Your subscription is recorded/);
  const holding = await text(member.locator('section[aria-labelledby="mine-title"]'));
  assert.match(holding, /3 units/);
  assert.match(holding, /¥50,000/, 'one unit still to pay');
  assert.match(holding, /second year/);
});

step('an opinion without a title is refused (422); sent without his name, it is received', async () => {
  await open(member, `/communities/${coopId}/opinions`, 'en');
  const form = member.locator(SEL.opinionForm(coopId));
  assert.match(await text(form), /only the site operator can see it/, 'the form says who can see the name');
  await form.locator('textarea[name="body"]').fill(OPINION.body);
  await form.locator('input[name="anonymous"]').check();
  const r = await submit(member, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422);
  const again = member.locator(SEL.opinionForm(coopId));
  assert.equal(await again.locator('textarea[name="body"]').inputValue(), OPINION.body, 'the typed opinion is kept');
  assert.ok(await again.locator('input[name="anonymous"]').isChecked(), 'the choice to hide the name is kept');
  await member.locator(SEL.alert).first().waitFor({ state: 'visible' });
  await again.locator('input[name="title"]').fill(OPINION.title);
  const sent = await submitRedirect(member, again.locator('button[type=submit]'));
  const m = /^\/opinions\/(\d+)$/.exec(sent.path);
  assert.ok(m, `should land on the opinion, got ${sent.path}`);
  opinionId = Number(m[1]);
  assert.equal(await text(member.locator('main h1')), OPINION.title);
  assert.match(await text(member.locator('main header .badge')), /Received/);
  assert.match(await text(member.locator('main header')), /others see no name/);
});

step('Hanako finds it waiting, with no name on it, and records an answer', async () => {
  await open(owner, `/communities/${coopId}/opinions`, 'ja');
  const waiting = owner.locator('section[aria-labelledby="unanswered-title"] li', { hasText: OPINION.title });
  await waiting.waitFor({ state: 'visible' });
  const entry = await text(waiting);
  assert.match(entry, /匿名/);
  assert.ok(!entry.includes(MEMBER.name), 'an anonymous author is not named to organisers');
  await waiting.locator('a').click();
  await owner.waitForURL((u) => u.pathname === `/opinions/${opinionId}`);
  assert.ok(!(await text(owner.locator('main'))).includes(MEMBER.name));
  const form = owner.locator(SEL.responseForm(opinionId));
  await form.locator('select[name="status"]').selectOption('adopted');
  await form.locator('textarea[name="body"]').fill(ANSWER);
  await submitRedirect(owner, form.locator('button[type=submit]'), `/opinions/${opinionId}`);
  assert.match(await flash(owner), /回答を記録しました/);
  const history = await text(owner.locator('section#history'));
  assert.match(history, /採用/);
  assert.ok(history.includes(ANSWER));
  assert.ok(history.includes(OWNER.name), 'the response says who gave it');
});

step('Taro sees the recorded answer and a notification about it', async () => {
  await open(member, `/opinions/${opinionId}`, 'en');
  assert.match(await text(member.locator('main header .badge')), /Adopted/);
  const history = await text(member.locator('section#history'));
  assert.ok(history.includes(ANSWER), 'the answer is shown to the member');
  assert.match(await text(member.locator('main header')), /First response after/);
  const bell = member.locator('a.notifications-link');
  assert.match(await text(bell), /1/);
  await bell.click();
  await member.waitForURL((u) => u.pathname === '/notifications');
  assert.match(await text(member.locator('main')), new RegExp(`responded to your opinion “${OPINION.title}”`));
  memberState = await memberContext.storageState();
});

step('the refused price is marked invalid and described by its error message', async () => {
  assert.ok(refusedPrice, 'needs the refused form from the journey');
  const w = refusedPrice;
  assert.ok(w.errorMessage, `expected an error message next to ${w.field}`);
  assert.equal(w.ariaInvalid, 'true');
  assert.ok(w.describedBy.includes(w.errorMessage), `aria-describedby should include "${w.errorMessage}": ${JSON.stringify(w.describedBy)}`);
}, { check: true });

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

step('axe-core finds no WCAG 2.2 AA violations on the co-op tools', async () => {
  assert.ok(ownerState && memberState, 'needs the signed-in states from the journey');
  const byPage = [];
  for (const [who, state, locale, lang] of [
    ['owner', ownerState, 'ja-JP', 'ja'],
    ['member', memberState, 'en-US', 'en'],
  ]) {
    const ctx = await newContext({ locale, bypassCSP: true, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const urlPath of [`/communities/${coopId}/shares`, `/communities/${coopId}/opinions`, `/opinions/${opinionId}`]) {
        await open(p, urlPath, lang);
        byPage.push([`${who} ${urlPath}`, await axeViolations(p)]);
      }
      if (who === 'owner') {
        // Error states: a refused entry and a refused response.
        await open(p, `/communities/${coopId}/shares`, lang);
        const refund = p.locator(SEL.entryForm('refund'));
        await refund.locator('input[name="units"]').fill('9');
        assert.equal((await submit(p, refund.locator('button[type=submit]'))).postStatus, 422);
        byPage.push([`${who} shares (errors)`, await axeViolations(p)]);
        await open(p, `/opinions/${opinionId}`, lang);
        const form = p.locator(SEL.responseForm(opinionId));
        await form.locator('select[name="status"]').selectOption('declined');
        assert.equal((await submit(p, form.locator('button[type=submit]'))).postStatus, 422);
        byPage.push([`${who} opinion (errors)`, await axeViolations(p)]);
      } else {
        await open(p, `/communities/${coopId}/shares`, lang);
        const own = p.locator('section#subscribe form');
        await own.locator('input[name="units"]').fill('many');
        assert.equal((await submit(p, own.locator('button[type=submit]'))).postStatus, 422);
        byPage.push([`${who} own subscription (errors)`, await axeViolations(p)]);
      }
    } finally {
      await ctx.close();
    }
  }
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

step('screenshots at 360 and 1280 wide', async (t) => {
  assert.ok(ownerState && memberState, 'needs the signed-in states from the journey');
  const written = [];
  for (const [who, state, locale, lang] of [
    ['owner', ownerState, 'ja-JP', 'ja'],
    ['member', memberState, 'en-US', 'en'],
  ]) {
    const ctx = await newContext({ locale, storageState: state });
    try {
      const p = await ctx.newPage();
      for (const vp of VIEWPORTS) {
        await p.setViewportSize(vp);
        for (const [label, urlPath] of [
          ['shares', `/communities/${coopId}/shares`],
          ['opinions', `/communities/${coopId}/opinions`],
          ['opinion', `/opinions/${opinionId}`],
        ]) {
          await open(p, urlPath, lang);
          const name = `${lang}-${vp.width}-coop-${label}-${who}.png`;
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
