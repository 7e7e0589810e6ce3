// A communities journey in a real browser, in Japanese, by two people:
//
//   Hanako (owner) finds no communities yet, signs up, starts a regional
//   alumni community (a missing prefecture is refused first), and starts a
//   branch of it. Taro signs up in his own browser, finds the community by
//   kind and prefecture, joins it and the branch, fills in his introduction
//   for the member directory and takes a volunteer role Hanako created. He
//   leaves, which takes him out of the branch too. Hanako switches to
//   English. Then: CSP and asset errors, axe-core, screenshots.
//
// Steps run in order against one fresh server; once a journey step fails,
// the later ones are skipped instead of failing for the same reason. The
// checks at the end don't stop each other. A failed journey step leaves
// screenshots/FAILED-<step>-<person>.png for each person's page.
// Set E2E_SERVER_LOG=1 to see the server's log live.

import assert from 'node:assert/strict';
import path from 'node:path';

import { flash, submitRedirect } from '../lib/pages.mjs';
import { axeViolations, formatViolations, SCREENSHOT_DIR, VIEWPORTS } from '../lib/browser.mjs';
import { htmlLang, journey, problemWatcher, submit, text } from '../lib/journey.mjs';
import { journeySuite } from '../lib/suite.mjs';

const OWNER = { email: 'hanako.communities@example.jp', name: '山田 花子' };
const MEMBER = { email: 'taro.communities@example.jp', name: '佐藤 太郎' };

const COMMUNITY = {
  name: '新潟ふるさと会 東京',
  description: '新潟出身の人、新潟が好きな人が東京で集まる会です。\n\n**年に二回**、交流会を開いています。',
  tags: 'ふるさと, 新潟, 交流会',
  prefecture: '15', // 新潟県
};
const BRANCH = { name: '新潟ふるさと会 東京 若手部' };
const OCCUPATION = '介護福祉士';
const ROLE_NAME = '受付';

const SEL = {
  navCommunities: 'nav a[href="/communities"]',
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  communityForm: 'form[action="/communities"]',
  filterForm: 'form[action="/communities"][method="get"]',
  alert: '[role="alert"]',
  flash: 'p.flash[role="status"]',
  language: (tag) => `form[action="/language"] button[name="locale"][value="${tag}"]`,
  community: (id) => `a[href="/communities/${id}"]`,
  newBranch: (id) => `a[href="/communities/new?parent=${id}"]`,
  joinButton: (id) => `form[action="/communities/${id}/join"] button[type=submit]`,
  leaveButton: (id) => `form[action="/communities/${id}/leave"] button[type=submit]`,
  memberCount: (id) => `.card-meta a[href="/communities/${id}/members"]`,
  profileLink: (id) => `a[href="/communities/${id}/profile"]`,
  profileForm: (id) => `form[action="/communities/${id}/profile"]`,
  roleForm: (id) => `form[action="/communities/${id}/roles"]`,
  subgroups: 'section[aria-labelledby="subgroups-title"]',
  directory: 'section[aria-labelledby="directory-title"]',
  roles: 'section[aria-labelledby="roles-title"]',
};

const suite = journeySuite();
const { gotoJa, newContext, signUp } = suite;
let ownerContext; // CSP enforced, as a visitor gets it
let owner; // Hanako's page
let memberContext;
let member; // Taro's page
let ownerState; // Hanako's signed-in storage state, for the audit contexts

// What the journey learns on the way.
let communityId;
let branchId;
let roleId;
let branchCountBeforeLeaving;
let refusedForm; // how the refused prefecture field tells about its error
let englishMemberCount; // the member count link as the English page shows it

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


/** The number in a community page's "メンバー N人" link. */
async function memberCount(p, id) {
  const label = await text(p.locator(SEL.memberCount(id)));
  const m = /メンバー\s*(\d+)\s*人/.exec(label);
  assert.ok(m, `member count link should read "メンバー N人", got "${label}"`);
  return Number(m[1]);
}

/**
 * How a form field in error is tied to its message, for assistive
 * technology: aria-invalid, the texts its aria-describedby points to, and
 * the error summary's links whose targets are missing.
 */
async function describeErrorWiring(p, fieldSelector) {
  return p.locator(fieldSelector).evaluate((field) => {
    const ids = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const summaryLinks = [...document.querySelectorAll('[role="alert"] a[href^="#"]')];
    return {
      field: `${field.localName}[name="${field.name}"]#${field.id}`,
      ariaInvalid: field.getAttribute('aria-invalid'),
      describedBy: ids.map((id) => document.getElementById(id)?.textContent.trim() ?? `(missing #${id})`),
      errorMessage: field.closest('.field')?.querySelector('.field-error')?.textContent.trim() ?? null,
      brokenSummaryLinks: summaryLinks
        .map((a) => a.getAttribute('href'))
        .filter((href) => !document.getElementById(decodeURIComponent(href.slice(1)))),
    };
  });
}

/** The directory entry of a person on a members page. */
const directoryEntry = (p, name) => p.locator(`${SEL.directory} li.item`, { hasText: name });

// ---------------------------------------------------------------------------
// the journey

step('a visitor finds the communities page empty, then signs up', async () => {
  await gotoJa(owner, '/');
  const nav = owner.locator(SEL.navCommunities);
  assert.equal(await text(nav), 'コミュニティ');
  await nav.click();
  await owner.waitForURL((u) => u.pathname === '/communities');
  assert.equal(await htmlLang(owner), 'ja');
  assert.equal(await nav.getAttribute('aria-current'), 'page', 'the nav link should mark the current page');
  const empty = owner.locator('main p.empty');
  await empty.waitFor({ state: 'visible' });
  assert.match(await text(empty), /まだありません/, 'empty state should say there are no communities yet');
  assert.equal(await owner.locator('main a[href="/communities/new"]').count(), 0, 'visitors get no create button');

  await signUp(owner, OWNER);
  await gotoJa(owner, '/communities');
  await owner.locator('main p.empty').waitFor({ state: 'visible' });
});

step('creating a regional alumni community without a prefecture is refused (422)', async () => {
  await owner.locator('main a[href="/communities/new"]').click();
  await owner.waitForURL((u) => u.pathname === '/communities/new');
  const form = owner.locator(SEL.communityForm);
  const kinds = await form.locator('input[name="kind"]').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(kinds, ['professional', 'corporate_alumni', 'regional_alumni', 'npo', 'worker_coop', 'union']);
  await form.locator('input[name="kind"][value="regional_alumni"]').check();
  await form.locator('input[name="name"]').fill(COMMUNITY.name);
  await form.locator('textarea[name="description"]').fill(COMMUNITY.description);
  await form.locator('input[name="tags"]').fill(COMMUNITY.tags);
  assert.equal(await form.locator('select[name="prefecture"]').inputValue(), '', 'no prefecture chosen by default');
  await form.locator('input[name="visibility"][value="public"]').check();
  await form.locator('input[name="membership"][value="open"]').check();

  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422, 'a regional alumni community needs a prefecture: expected 422');
  assert.equal(r.path, '/communities');
  const alert = owner.locator(SEL.alert).first();
  await alert.waitFor({ state: 'visible' });
  assert.notEqual(await text(alert), '', 'error summary should say something');
  const again = owner.locator(SEL.communityForm);
  assert.equal(await again.locator('input[name="name"]').inputValue(), COMMUNITY.name, 'the typed name is kept');
  assert.equal(await again.locator('textarea[name="description"]').inputValue(), COMMUNITY.description);
  assert.equal(await again.locator('input[name="tags"]').inputValue(), COMMUNITY.tags);
  assert.ok(await again.locator('input[name="kind"][value="regional_alumni"]').isChecked(), 'the kind is kept');
  refusedForm = await describeErrorWiring(owner, 'select[name="prefecture"]');
});

step('choosing Niigata creates the community and shows it', async () => {
  const form = owner.locator(SEL.communityForm);
  await form.locator('select[name="prefecture"]').selectOption(COMMUNITY.prefecture);
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303, `creating should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200);
  const m = /^\/communities\/(\d+)$/.exec(r.path);
  assert.ok(m, `should land on /communities/{id}, got ${r.path}`);
  communityId = Number(m[1]);
  assert.equal(await text(owner.locator('main h1')), COMMUNITY.name);
  assert.match(await flash(owner), /コミュニティを作りました/);
  assert.match(await text(owner.locator('main .community-head .kind-label')), /地域アルムナイ/);
  assert.match(await text(owner.locator('main .card-meta')), /新潟県/);
  assert.equal(await memberCount(owner, communityId), 1);
  // The description is rendered from Markdown.
  assert.equal(await text(owner.locator('main .prose strong')), '年に二回');
  // The owner can't leave without handing over, but the page offers the button.
  await owner.locator(SEL.leaveButton(communityId)).waitFor({ state: 'visible' });
});

step('the owner starts a branch, listed under 支部・部 on the parent page', async () => {
  await owner.locator(SEL.newBranch(communityId)).click();
  await owner.waitForURL((u) => u.pathname === '/communities/new' && u.searchParams.get('parent') === String(communityId));
  assert.match(await text(owner.locator('main h1')), new RegExp(COMMUNITY.name), 'the title names the parent');
  const form = owner.locator(SEL.communityForm);
  assert.ok(
    await form.locator('input[name="kind"][value="regional_alumni"]').isChecked(),
    "a branch starts with its parent's kind",
  );
  assert.equal(await form.locator('select[name="prefecture"]').inputValue(), COMMUNITY.prefecture, "and its parent's prefecture");
  await form.locator('input[name="name"]').fill(BRANCH.name);
  await form.locator('textarea[name="description"]').fill('20代・30代の集まりです。');
  const r = await submit(owner, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 303, `creating the branch should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200);
  const m = /^\/communities\/(\d+)$/.exec(r.path);
  assert.ok(m, `should land on /communities/{id}, got ${r.path}`);
  branchId = Number(m[1]);
  assert.notEqual(branchId, communityId);
  assert.equal(await text(owner.locator('main h1')), BRANCH.name);
  await flash(owner);
  await owner.locator(`main .breadcrumb ${SEL.community(communityId)}`).waitFor({ state: 'visible' });

  await gotoJa(owner, `/communities/${communityId}`);
  const section = owner.locator(SEL.subgroups);
  assert.equal(await text(section.locator('h2')), '支部・部');
  const link = section.locator(SEL.community(branchId));
  await link.waitFor({ state: 'visible' });
  assert.equal(await text(link), BRANCH.name);
});

step('a second person finds the community by kind and prefecture and joins it', async () => {
  memberContext = await newContext({ locale: 'ja-JP' });
  member = watch(await memberContext.newPage(), 'member');
  await signUp(member, MEMBER);

  await gotoJa(member, '/communities');
  const filters = member.locator(SEL.filterForm);
  await filters.locator('select[name="kind"]').selectOption('regional_alumni');
  await filters.locator('select[name="prefecture"]').selectOption(COMMUNITY.prefecture);
  const r = await submit(member, filters.locator('button[type=submit]'), { method: 'GET' });
  assert.equal(r.status, 200);
  assert.equal(r.path, '/communities');
  const query = new URL(member.url()).searchParams;
  assert.equal(query.get('kind'), 'regional_alumni');
  assert.equal(query.get('prefecture'), COMMUNITY.prefecture);
  // The filters show what was chosen.
  assert.equal(await member.locator(`${SEL.filterForm} select[name="kind"]`).inputValue(), 'regional_alumni');
  assert.equal(await member.locator(`${SEL.filterForm} select[name="prefecture"]`).inputValue(), COMMUNITY.prefecture);

  const link = member.locator(`main ${SEL.community(communityId)}`).first();
  await link.waitFor({ state: 'visible' });
  await link.click();
  await member.waitForURL((u) => u.pathname === `/communities/${communityId}`);
  assert.equal(await text(member.locator('main h1')), COMMUNITY.name);
  assert.equal(await member.locator(SEL.leaveButton(communityId)).count(), 0, 'not a member yet');

  await submitRedirect(member, member.locator(SEL.joinButton(communityId)), `/communities/${communityId}`);
  assert.match(await flash(member), /参加しました/);
  assert.equal(await text(member.locator(SEL.memberCount(communityId))), 'メンバー 2人');
  await member.locator(SEL.leaveButton(communityId)).waitFor({ state: 'visible' });
  assert.equal(await member.locator(SEL.joinButton(communityId)).count(), 0, 'no join button for a member');
});

step('the second person joins the branch too', async () => {
  const link = member.locator(`${SEL.subgroups} ${SEL.community(branchId)}`);
  await link.click();
  await member.waitForURL((u) => u.pathname === `/communities/${branchId}`);
  assert.equal(await memberCount(member, branchId), 1);
  await submitRedirect(member, member.locator(SEL.joinButton(branchId)), `/communities/${branchId}`);
  assert.match(await flash(member), /参加しました/);
  assert.equal(await memberCount(member, branchId), 2);
  await member.locator(SEL.leaveButton(branchId)).waitFor({ state: 'visible' });
});

step('the second person introduces themselves in the member directory', async () => {
  await gotoJa(member, `/communities/${communityId}/members`);
  await member.locator(SEL.profileLink(communityId)).click();
  await member.waitForURL((u) => u.pathname === `/communities/${communityId}/profile`);
  const form = member.locator(SEL.profileForm(communityId));
  await form.locator('input[name="occupation"]').fill(OCCUPATION);
  await form.locator('select[name="name_visibility"]').selectOption('everyone');
  await submitRedirect(member, form.locator('button[type=submit]'), `/communities/${communityId}/members`);
  assert.match(await flash(member), /自己紹介を保存しました/);
  const entry = directoryEntry(member, MEMBER.name);
  await entry.waitFor({ state: 'visible' });
  assert.match(await text(entry), new RegExp(`職業：${OCCUPATION}`));

  // The choices stick.
  await gotoJa(member, `/communities/${communityId}/profile`);
  assert.equal(await form.locator('input[name="occupation"]').inputValue(), OCCUPATION);
  assert.equal(await form.locator('select[name="name_visibility"]').inputValue(), 'everyone');

  // The owner sees it in the directory too.
  await gotoJa(owner, `/communities/${communityId}/members`);
  assert.match(await text(directoryEntry(owner, MEMBER.name)), new RegExp(`職業：${OCCUPATION}`));
});

step('the owner creates a volunteer role and the second person takes it', async () => {
  const form = owner.locator(SEL.roleForm(communityId));
  await form.locator('input[name="name"]').fill(ROLE_NAME);
  await submitRedirect(owner, form.locator('button[type=submit]'), `/communities/${communityId}/members`);
  await flash(owner);
  const role = owner.locator(`${SEL.roles} li.item`, { hasText: ROLE_NAME });
  await role.waitFor({ state: 'visible' });
  assert.match(await text(role), /担当者募集中/);
  const action = await role
    .locator(`form[action^="/communities/${communityId}/roles/"]`)
    .first()
    .getAttribute('action');
  const m = new RegExp(`^/communities/${communityId}/roles/(\\d+)$`).exec(action);
  assert.ok(m, `role form action should be /communities/${communityId}/roles/{id}, got ${action}`);
  roleId = Number(m[1]);

  await gotoJa(member, `/communities/${communityId}/members`);
  const take = member.locator(
    `form[action="/communities/${communityId}/roles/${roleId}"]:has(input[type=hidden][name="action"][value="take"]) button[type=submit]`,
  );
  assert.equal(await text(take), '引き受ける');
  await submitRedirect(member, take, `/communities/${communityId}/members`);
  await flash(member);
  const taken = member.locator(`${SEL.roles} li.item`, { hasText: ROLE_NAME });
  assert.match(await text(taken), new RegExp(`担当：${MEMBER.name}`));
  // The role shows as a badge in the directory, and can be given up.
  assert.match(await text(directoryEntry(member, MEMBER.name)), new RegExp(ROLE_NAME));
  await taken
    .locator(`form[action="/communities/${communityId}/roles/${roleId}"]:has(input[name="action"][value="leave"])`)
    .waitFor();

  await gotoJa(owner, `/communities/${communityId}/members`);
  assert.match(
    await text(owner.locator(`${SEL.roles} li.item`, { hasText: ROLE_NAME })),
    new RegExp(`担当：${MEMBER.name}`),
  );
});

step('leaving the community also leaves its branch', async () => {
  await gotoJa(member, `/communities/${branchId}`);
  branchCountBeforeLeaving = await memberCount(member, branchId);
  assert.equal(branchCountBeforeLeaving, 2);

  await gotoJa(member, `/communities/${communityId}`);
  await submitRedirect(member, member.locator(SEL.leaveButton(communityId)), `/communities/${communityId}`);
  assert.match(await flash(member), /抜けました/);
  assert.equal(await text(member.locator(SEL.memberCount(communityId))), 'メンバー 1人');
  await member.locator(SEL.joinButton(communityId)).waitFor({ state: 'visible' });
  assert.equal(await member.locator(SEL.leaveButton(communityId)).count(), 0);

  await gotoJa(member, `/communities/${branchId}`);
  assert.equal(
    await memberCount(member, branchId),
    branchCountBeforeLeaving - 1,
    'leaving the parent should take the person out of its branch too',
  );
  assert.equal(await member.locator(SEL.leaveButton(branchId)).count(), 0, 'no longer a member of the branch');

  // Gone from the directory, and the volunteer role is free again.
  await gotoJa(owner, `/communities/${communityId}/members`);
  assert.equal(await directoryEntry(owner, MEMBER.name).count(), 0, 'gone from the directory');
  assert.match(
    await text(owner.locator(`${SEL.roles} li.item`, { hasText: ROLE_NAME })),
    /担当者募集中/,
    'a person who left should no longer hold a volunteer role',
  );
});

step('the community page in English says "Regional alumni"', async () => {
  await gotoJa(owner, `/communities/${communityId}`);
  let r = await submit(owner, owner.locator(SEL.language('en')));
  assert.equal(r.status, 200);
  assert.equal(r.path, `/communities/${communityId}`, 'the language switch returns to the same page');
  assert.equal(await htmlLang(owner), 'en');
  assert.match(await text(owner.locator('main .community-head .kind-label')), /Regional alumni/);
  assert.equal(await text(owner.locator('main h1')), COMMUNITY.name);
  englishMemberCount = await text(owner.locator(SEL.memberCount(communityId)));

  r = await submit(owner, owner.locator(SEL.language('ja')));
  assert.equal(r.status, 200);
  assert.equal(await htmlLang(owner), 'ja');
  assert.match(await text(owner.locator('main .community-head .kind-label')), /地域アルムナイ/);
  ownerState = await ownerContext.storageState();
});

// axe can't tell whether an error message belongs to its field; people
// using a screen reader need that link when they land on the field.
step('the refused prefecture is marked invalid and described by its error message', async () => {
  assert.ok(refusedForm, 'needs the refused form from the journey');
  const w = refusedForm;
  assert.ok(w.errorMessage, `expected an error message next to ${w.field}`);
  assert.deepEqual(w.brokenSummaryLinks, [], 'error summary links must point at existing fields');
  assert.equal(w.ariaInvalid, 'true', `${w.field} should have aria-invalid="true"`);
  assert.ok(
    w.describedBy.includes(w.errorMessage),
    `${w.field}'s aria-describedby should include its error message "${w.errorMessage}"; it points to ${JSON.stringify(w.describedBy)}`,
  );
}, { check: true });

step('in English, one member is "1 member"', async () => {
  assert.ok(englishMemberCount, 'needs the English community page from the journey');
  assert.equal(englishMemberCount, '1 member');
}, { check: true });

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

/** Fills the community form the way that is refused (no prefecture). */
async function submitWithoutPrefecture(p) {
  const form = p.locator(SEL.communityForm);
  await form.locator('input[name="kind"][value="regional_alumni"]').check();
  await form.locator('input[name="name"]').fill(COMMUNITY.name);
  await form.locator('select[name="prefecture"]').selectOption('');
  const r = await submit(p, form.locator('button[type=submit]'));
  assert.equal(r.postStatus, 422);
}

// axe needs an injected script, which the site's CSP (rightly) forbids, so
// the audit uses its own context with bypassCSP, signed in as the owner.
step('axe-core finds no WCAG 2.2 AA violations on the community pages', async () => {
  assert.ok(ownerState, 'needs the signed-in state from the journey');
  const byPage = [];
  const ctx = await newContext({ locale: 'ja-JP', bypassCSP: true, storageState: ownerState });
  try {
    const p = await ctx.newPage();
    const pages = [
      '/communities',
      `/communities?kind=regional_alumni&prefecture=${COMMUNITY.prefecture}`,
      '/communities/new',
      `/communities/${communityId}`,
      `/communities/${branchId}`,
      `/communities/${communityId}/members`,
      `/communities/${communityId}/profile`,
    ];
    for (const urlPath of pages) {
      await gotoJa(p, urlPath);
      assert.equal(await p.locator(SEL.logoutButton).count(), 1, `expected to be signed in on ${urlPath}`);
      byPage.push([`ja-JP ${urlPath}`, await axeViolations(p)]);
    }
    // Error states are where accessibility bugs hide.
    await gotoJa(p, '/communities/new');
    await submitWithoutPrefecture(p);
    byPage.push(['ja-JP /communities/new (errors)', await axeViolations(p)]);
  } finally {
    await ctx.close();
  }
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

// Screenshots are for humans; nothing is asserted about them.
step('screenshots at 360 and 1280 wide', async (t) => {
  assert.ok(ownerState, 'needs the signed-in state from the journey');
  const written = [];
  const ctx = await newContext({ locale: 'ja-JP', storageState: ownerState });
  try {
    const p = await ctx.newPage();
    const shots = [
      ['communities', '/communities'],
      ['community', `/communities/${communityId}`],
      ['community-members', `/communities/${communityId}/members`],
    ];
    for (const vp of VIEWPORTS) {
      await p.setViewportSize(vp);
      for (const [label, urlPath] of shots) {
        await gotoJa(p, urlPath);
        const name = `ja-${vp.width}-${label}.png`;
        await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
        written.push(name);
      }
      await gotoJa(p, '/communities/new');
      await submitWithoutPrefecture(p);
      const name = `ja-${vp.width}-communities_new-errors.png`;
      await p.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
      written.push(name);
    }
  } finally {
    await ctx.close();
  }
  t.diagnostic(`${written.length} screenshots in ${SCREENSHOT_DIR}`);
}, { check: true });
