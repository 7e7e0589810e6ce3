// The whole mutual-support journey in a real browser, by three people:
//
//   Hanako (owner, Japanese) signs up, starts a professional community in
//   Tokyo, creates an online event with one place and posts a pinned
//   announcement. Mei (Japanese) signs up, finds and joins the community,
//   reads the announcement and replies in Markdown, then takes the event's
//   one place and sees its meeting link. Ren (English) signs up, joins and
//   lands on the waitlist; when Mei cancels, Ren is confirmed and notified,
//   and fetches his calendar feed and the event's .ics. Hanako is told
//   about Mei's reply. Ren reports the reply, Hanako hides it from the
//   reports page, the audit log records it and Mei no longer sees it.
//   Then: CSP and asset errors, axe-core, screenshots.
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

const OWNER = { email: 'hanako.journey@example.jp', name: '山田 花子' };
const MEI = { email: 'mei.journey@example.jp', name: '鈴木 芽衣' };
const REN = { email: 'ren.journey@example.com', name: 'Ren Takahashi' };

const COMMUNITY = {
  name: '東京 Web エンジニアの会',
  description: '東京で働く Web エンジニアが、**キャリアの悩み**を相談し合う会です。',
  prefecture: '13', // 東京都
};

/** "YYYY-MM-DDTHH:MM" in Japan time, `days` from now, at `hour`:00. */
function tokyoLocal(days, hour) {
  const d = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000); // shifted to UTC+9
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(hour)}:00`;
}

const EVENT = {
  title: 'オンライン交流会：転職の体験を聞く夜',
  description: '転職した人の**体験談**を聞きます。\n\n- 自己紹介\n- 質問タイム',
  startsAt: tokyoLocal(10, 19),
  endsAt: tokyoLocal(10, 21),
  timeZone: 'Asia/Tokyo',
  onlineUrl: 'https://meet.example.jp/tsunagari-koryukai',
  capacity: '1',
};
const ANNOUNCEMENT = {
  title: '12月の交流会のお知らせ',
  body: '12月にオンライン交流会を開きます。\n\nイベントページから**申し込み**をお願いします。',
};
const REPLY = {
  body: 'はじめまして、鈴木です。**太字**で失礼します。\n\n参加したいです！',
  marker: 'はじめまして、鈴木です。',
};
const REPORT_REASON = 'Test report from the journey';
const HIDE_REASON = 'テストのため非表示';

const SEL = {
  signupForm: 'form[action="/signup"]',
  logoutButton: 'form[action="/logout"] button[type=submit]',
  flash: 'p.flash[role="status"]',
  notificationsLink: 'nav a.notifications-link',
  communityForm: 'form[action="/communities"]',
  community: (id) => `a[href="/communities/${id}"]`,
  joinButton: (id) => `form[action="/communities/${id}/join"] button[type=submit]`,
  newEvent: (id) => `a[href="/communities/${id}/events/new"]`,
  eventForm: (id) => `form[action="/communities/${id}/events"]`,
  newThread: (id) => `a[href="/communities/${id}/threads/new"]`,
  threadForm: (id) => `form[action="/communities/${id}/threads"]`,
  threadList: 'section[aria-labelledby="threads-title"] .thread-list',
  replyForm: (id) => `form[action="/threads/${id}/replies"]`,
  replies: 'ol.reply-list > li',
  rsvpButton: (id) => `form[action="/events/${id}/rsvp"] button[type=submit]`,
  cancelButton: (id) => `form[action="/events/${id}/cancel"] button[type=submit]`,
  youAre: 'main .membership-box p.you-are',
  icsLink: (id) => `main a[href="/events/${id}/event.ics"]`,
  feedButton: 'form[action="/events/feed"] button[type=submit]',
  feedUrl: 'main input.feed-url',
  notifications: 'main ul.notification-list > li',
};

const suite = journeySuite();
const { gotoIn, gotoJa, gotoEn, newContext, signUp } = suite;
let ownerContext; // CSP enforced, as a visitor gets it
let owner; // Hanako's page
let meiContext;
let mei;
let renContext;
let ren;
let ownerState; // Hanako's signed-in storage state, for the audit contexts
let renState; // Ren's, for the English audit

// What the journey learns on the way.
let communityId;
let eventId;
let threadId;
let replyId;

const { problems, watch } = problemWatcher();

const step = journey({
  pages: () => ({ owner, mei, ren }),
  logs: suite.logs,
});

suite.setUp(async () => {
  ownerContext = await newContext({ locale: 'ja-JP' });
  owner = watch(await ownerContext.newPage(), 'owner');
});

// ---------------------------------------------------------------------------
// helpers


/** Opens a page, expects 200 and the given document language. */

/** Joins the community from its page (the person must be signed in). */
async function joinCommunity(p, lang) {
  await gotoIn(p, '/communities', lang);
  const link = p.locator(`main ${SEL.community(communityId)}`).first();
  await link.waitFor({ state: 'visible' });
  await link.click();
  await p.waitForURL((u) => u.pathname === `/communities/${communityId}`);
  assert.equal(await text(p.locator('main h1')), COMMUNITY.name);
  await submitRedirect(p, p.locator(SEL.joinButton(communityId)), `/communities/${communityId}`);
  await flash(p);
  assert.equal(await p.locator(SEL.joinButton(communityId)).count(), 0, 'no join button for a member');
}

/** A link in the event's "where" that goes to the meeting URL. */
const meetingLink = (p) => p.locator(`main .event-facts a[href="${EVENT.onlineUrl}"]`);

/** The unread count part of the header's notifications link. */
const notificationsLink = (p) => p.locator(SEL.notificationsLink).first();

/** Fetches a calendar URL with the page's cookies; checks it is iCalendar. */
async function fetchCalendar(p, url) {
  const res = await p.request.get(url);
  assert.equal(res.status(), 200, `GET ${url}`);
  const type = res.headers()['content-type'] ?? '';
  assert.match(type, /^text\/calendar\b/, `${url} should be text/calendar, got "${type}"`);
  const body = await res.text();
  // Long lines are folded (CRLF + space) in iCalendar; unfold before searching.
  const unfolded = body.replace(/\r?\n[ \t]/g, '');
  assert.match(unfolded, /BEGIN:VCALENDAR/, `${url}: no BEGIN:VCALENDAR`);
  assert.match(unfolded, /BEGIN:VEVENT/, `${url}: no BEGIN:VEVENT`);
  assert.ok(unfolded.includes(EVENT.title), `${url} should contain the event title "${EVENT.title}":\n${body}`);
  return unfolded;
}

// ---------------------------------------------------------------------------
// the journey

step('the owner signs up and starts a professional community in Tokyo', async () => {
  await signUp(owner, OWNER, 'ja');
  await gotoJa(owner, '/communities/new');
  const form = owner.locator(SEL.communityForm);
  await form.locator('input[name="kind"][value="professional"]').check();
  await form.locator('input[name="name"]').fill(COMMUNITY.name);
  await form.locator('textarea[name="description"]').fill(COMMUNITY.description);
  await form.locator('select[name="prefecture"]').selectOption(COMMUNITY.prefecture);
  await form.locator('input[name="visibility"][value="public"]').check();
  await form.locator('input[name="membership"][value="open"]').check();
  const r = await submitRedirect(owner, form.locator('button[type=submit]'), /^\/communities\/\d+$/);
  communityId = Number(/(\d+)$/.exec(r.path)[1]);
  assert.equal(await text(owner.locator('main h1')), COMMUNITY.name);
  assert.match(await flash(owner), /コミュニティを作りました/);
  assert.match(await text(owner.locator('main .card-meta')), /東京都/);
  ownerState = await ownerContext.storageState();
});

step('the owner creates an online event with one place', async () => {
  await owner.locator(SEL.newEvent(communityId)).click();
  await owner.waitForURL((u) => u.pathname === `/communities/${communityId}/events/new`);
  assert.equal(await htmlLang(owner), 'ja');
  const form = owner.locator(SEL.eventForm(communityId));
  assert.equal(
    await form.locator('select[name="time_zone"]').inputValue(),
    EVENT.timeZone,
    'a Japanese organiser starts in Japan time',
  );
  await form.locator('input[name="title"]').fill(EVENT.title);
  await form.locator('textarea[name="description"]').fill(EVENT.description);
  await form.locator('input[name="starts_at"]').fill(EVENT.startsAt);
  await form.locator('input[name="ends_at"]').fill(EVENT.endsAt);
  await form.locator('select[name="time_zone"]').selectOption(EVENT.timeZone);
  await form.locator('input[name="online"]').check();
  await form.locator('input[name="online_url"]').fill(EVENT.onlineUrl);
  await form.locator('input[name="capacity"]').fill(EVENT.capacity);
  const r = await submitRedirect(owner, form.locator('button[type=submit]'), /^\/events\/\d+$/);
  eventId = Number(/(\d+)$/.exec(r.path)[1]);
  assert.match(await flash(owner), /イベントを作成しました/);
  assert.equal(await text(owner.locator('main h1')), EVENT.title);
  assert.equal(await text(owner.locator('main .prose strong')), '体験談', 'the description is rendered from Markdown');
  await meetingLink(owner).waitFor({ state: 'visible' });
  await owner.locator('main section[aria-labelledby="tools-title"]').waitFor({ state: 'visible' });
  assert.match(await text(owner.locator('main .event-facts')), /定員 ?1人/);

  await gotoJa(owner, `/communities/${communityId}`);
  const listed = owner.locator(`section[aria-labelledby="events-title"] a[href="/events/${eventId}"]`);
  assert.equal(await text(listed), EVENT.title, 'the event is listed on the community page');
});

step('the owner posts a pinned announcement', async () => {
  await owner.locator(SEL.newThread(communityId)).click();
  await owner.waitForURL((u) => u.pathname === `/communities/${communityId}/threads/new`);
  const form = owner.locator(SEL.threadForm(communityId));
  await form.locator('input[name="title"]').fill(ANNOUNCEMENT.title);
  await form.locator('textarea[name="body"]').fill(ANNOUNCEMENT.body);
  await form.locator('input[name="announcement"]').check();
  await form.locator('input[name="pinned"]').check();
  const r = await submitRedirect(owner, form.locator('button[type=submit]'), /^\/threads\/\d+$/);
  threadId = Number(/(\d+)$/.exec(r.path)[1]);
  assert.match(await flash(owner), /スレッドを投稿しました/);
  assert.equal(await text(owner.locator('main h1')), ANNOUNCEMENT.title);
  const badges = await text(owner.locator('main .thread-badges'));
  assert.match(badges, /お知らせ/);
  assert.match(badges, /固定/);
  assert.equal(await text(owner.locator('main article.thread .prose strong')), '申し込み');
});

step('Mei signs up, finds and joins the community, and sees the announcement', async () => {
  meiContext = await newContext({ locale: 'ja-JP' });
  mei = watch(await meiContext.newPage(), 'mei');
  await signUp(mei, MEI, 'ja');
  await joinCommunity(mei, 'ja');
  assert.match(await text(mei.locator(SEL.flash)), /参加しました/);
  const entry = mei.locator(`${SEL.threadList} li.thread-summary`, { hasText: ANNOUNCEMENT.title });
  await entry.waitFor({ state: 'visible' });
  const title = await text(entry.locator('.thread-title'));
  assert.match(title, /お知らせ/, 'the announcement is marked as one');
  assert.match(title, /固定/, 'and pinned');
  await entry.locator(`a[href="/threads/${threadId}"]`).click();
  await mei.waitForURL((u) => u.pathname === `/threads/${threadId}`);
  assert.equal(await text(mei.locator('main h1')), ANNOUNCEMENT.title);
});

step('Mei replies in Markdown and her reply appears rendered', async () => {
  assert.equal(await mei.locator(SEL.replies).count(), 0, 'no replies yet');
  const form = mei.locator(SEL.replyForm(threadId));
  await form.locator('textarea[name="body"]').fill(REPLY.body);
  await submitRedirect(mei, form.locator('button[type=submit]'), `/threads/${threadId}`);
  assert.match(await flash(mei), /返信を投稿しました/);
  const m = /#reply-(\d+)$/.exec(mei.url());
  assert.ok(m, `the redirect should point at the new reply (#reply-N), got ${mei.url()}`);
  replyId = Number(m[1]);
  const reply = mei.locator(`${SEL.replies}#reply-${replyId}`);
  await reply.waitFor({ state: 'visible' });
  assert.match(await text(reply.locator('.post-meta')), new RegExp(MEI.name));
  assert.equal(await text(reply.locator('.prose strong')), '太字', '**太字** should become <strong>');
  assert.match(await text(reply.locator('.prose')), new RegExp(REPLY.marker));
  assert.ok(!(await text(reply.locator('.prose'))).includes('**'), 'no raw Markdown left');
});

step('Mei registers for the event, is confirmed and sees the meeting link', async () => {
  await gotoJa(mei, `/events/${eventId}`);
  assert.equal(await meetingLink(mei).count(), 0, 'the meeting link is hidden before registering');
  assert.match(await text(mei.locator('main .event-facts')), /参加を申し込むと表示されます/);
  const button = mei.locator(SEL.rsvpButton(eventId));
  assert.equal(await text(button), '参加を申し込む');
  await submitRedirect(mei, button, `/events/${eventId}`);
  assert.match(await flash(mei), /参加が確定しています/);
  assert.equal(await text(mei.locator(SEL.youAre)), '参加が確定しています。');
  await meetingLink(mei).waitFor({ state: 'visible' });
  assert.match(await text(mei.locator('main .event-facts')), /参加確定 1人/);
  await mei.locator(SEL.cancelButton(eventId)).waitFor({ state: 'visible' });
});

step('Ren signs up in English, joins and lands on the waitlist', async () => {
  renContext = await newContext({ locale: 'en-US' });
  ren = watch(await renContext.newPage(), 'ren');
  await signUp(ren, REN, 'en');
  await joinCommunity(ren, 'en');
  assert.match(await text(ren.locator(SEL.flash)), /You joined/);
  await gotoEn(ren, `/events/${eventId}`);
  const button = ren.locator(SEL.rsvpButton(eventId));
  assert.equal(await text(button), 'Join the waitlist', 'the event is full');
  await submitRedirect(ren, button, `/events/${eventId}`);
  assert.match(await flash(ren), /you are on the waitlist/i);
  assert.equal(await text(ren.locator(SEL.youAre)), 'You are on the waitlist. Places go to the waitlist in order.');
  assert.equal(await htmlLang(ren), 'en');
});

step('Mei cancels; Ren is confirmed and notified', async () => {
  await gotoJa(mei, `/events/${eventId}`);
  await submitRedirect(mei, mei.locator(SEL.cancelButton(eventId)), `/events/${eventId}`);
  assert.match(await flash(mei), /参加を取り消しました/);
  assert.equal(await mei.locator(SEL.youAre).count(), 0, 'Mei no longer has a registration');
  assert.equal(await meetingLink(mei).count(), 0, 'and no longer sees the meeting link');

  await ren.reload({ waitUntil: 'load' });
  assert.equal(await htmlLang(ren), 'en');
  assert.equal(await text(ren.locator(SEL.youAre)), 'You have a place.');
  await meetingLink(ren).waitFor({ state: 'visible' });
  assert.equal(await text(notificationsLink(ren)), 'Notifications (1 unread)');

  await gotoEn(ren, '/notifications');
  const items = ren.locator(SEL.notifications);
  assert.equal(await items.count(), 1, 'one notification');
  assert.match(await text(items.first()), new RegExp(`A place opened: you are now confirmed for “${EVENT.title}”`));
});

step('Ren finds the event under "My events" with a calendar feed and an .ics file', async () => {
  await gotoEn(ren, '/events');
  const listed = ren.locator('main li.item', { has: ren.locator(`a[href="/events/${eventId}"]`) });
  assert.equal(await text(listed.locator('a')), EVENT.title);
  assert.equal(await text(listed.locator('.badge')), 'Confirmed');
  const r = await submit(ren, ren.locator(SEL.feedButton));
  assert.equal(r.status, 200, `POST /events/feed should answer 200, got ${r.status}`);
  const feedUrl = await ren.locator(SEL.feedUrl).inputValue();
  assert.match(feedUrl, /^https?:\/\/[^/]+\/calendar\/[^/]+\.ics$/, `feed URL looks wrong: ${feedUrl}`);
  const feed = await fetchCalendar(ren, feedUrl);
  assert.ok(feed.includes(EVENT.onlineUrl), 'a confirmed person\'s feed carries the meeting link');

  await gotoEn(ren, `/events/${eventId}`);
  const href = await ren.locator(SEL.icsLink(eventId)).getAttribute('href');
  await fetchCalendar(ren, suite.server.url + href);
  renState = await renContext.storageState();
});

step('the owner is told that Mei replied to the announcement', async () => {
  await gotoJa(owner, '/notifications');
  const item = owner.locator(SEL.notifications, { hasText: ANNOUNCEMENT.title });
  assert.equal(await item.count(), 1, 'one notification about the thread');
  assert.match(await text(item), new RegExp(`「${ANNOUNCEMENT.title}」に返信がありました`));
});

step('Ren reports Mei\'s reply', async () => {
  await gotoEn(ren, `/threads/${threadId}`);
  const reply = ren.locator(`${SEL.replies}#reply-${replyId}`);
  const tool = reply.locator('details.post-tool', { has: ren.locator(`form[action="/replies/${replyId}/report"]`) });
  await tool.locator('summary').click();
  const form = tool.locator(`form[action="/replies/${replyId}/report"]`);
  await form.locator('input[name="reason"]').fill(REPORT_REASON);
  await submitRedirect(ren, form.locator('button[type=submit]'), `/threads/${threadId}`);
  assert.match(await flash(ren), /Thank you/);
});

step('the owner hides the reply from the reports page; the audit log shows it', async () => {
  await gotoJa(owner, `/communities/${communityId}/reports`);
  const report = owner.locator('main li.report', { hasText: REPORT_REASON });
  await report.waitFor({ state: 'visible' });
  assert.match(await text(report), /返信/);
  assert.match(await text(report), new RegExp(`通報者：${REN.name}`));
  assert.match(await text(report.locator('blockquote')), new RegExp(REPLY.marker));
  await report.locator('input[name="reason"]').fill(HIDE_REASON);
  await submitRedirect(
    owner,
    report.locator('button[name="action"][value="hide"]'),
    `/communities/${communityId}/reports`,
  );
  assert.match(await flash(owner), /操作記録に残りました/);

  await owner.locator(`main a[href="/communities/${communityId}/audit"]`).click();
  await owner.waitForURL((u) => u.pathname === `/communities/${communityId}/audit`);
  const row = owner.locator('main table.audit-log tbody tr', { hasText: '投稿を非表示にした' });
  assert.equal(await row.count(), 1, 'one "hid a post" entry');
  const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.textContent.replace(/\s+/g, ' ').trim()));
  assert.equal(cells[1], OWNER.name, 'who');
  assert.equal(cells[3], `返信 #${replyId}`, 'target');
  assert.equal(cells[4], HIDE_REASON, 'reason');

  // Organisers still see it, marked.
  await gotoJa(owner, `/threads/${threadId}`);
  const hidden = owner.locator(`${SEL.replies}#reply-${replyId}`);
  assert.match(await text(hidden.locator('.post-meta')), /非表示/);
});

step('Mei, a plain member, no longer sees the hidden reply', async () => {
  await gotoJa(mei, `/threads/${threadId}`);
  assert.equal(await mei.locator(`#reply-${replyId}`).count(), 0, 'the hidden reply is gone for members');
  assert.ok(!(await text(mei.locator('main'))).includes(REPLY.marker), 'its text is not on the page');
});

step('no CSP violations, script errors or failed subresources on the journey', async () => {
  assert.deepEqual(problems.cspViolations, [], 'Content-Security-Policy violations');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.failedSubresources, [], 'failed subresource requests');
}, { check: true });

// axe needs an injected script, which the site's CSP (rightly) forbids, so
// the audit uses its own context with bypassCSP, signed in as the owner.
step('axe-core finds no WCAG 2.2 AA violations on the event, thread and moderation pages', async () => {
  assert.ok(ownerState && eventId && threadId, 'needs the community, event and thread from the journey');
  const byPage = [];
  const ctx = await newContext({ locale: 'ja-JP', bypassCSP: true, storageState: ownerState });
  try {
    const p = await ctx.newPage();
    const pages = [
      `/events/${eventId}`,
      `/communities/${communityId}/events/new`,
      `/threads/${threadId}`,
      `/communities/${communityId}/threads/new`,
      '/notifications',
      '/events',
      `/communities/${communityId}/reports`,
      `/communities/${communityId}/audit`,
    ];
    for (const urlPath of pages) {
      await gotoJa(p, urlPath);
      assert.equal(await p.locator(SEL.logoutButton).count(), 1, `expected to be signed in on ${urlPath}`);
      byPage.push([`ja-JP ${urlPath}`, await axeViolations(p)]);
    }
    // Error states are where accessibility bugs hide.
    for (const [urlPath, form] of [
      [`/communities/${communityId}/events/new`, SEL.eventForm(communityId)],
      [`/communities/${communityId}/threads/new`, SEL.threadForm(communityId)],
    ]) {
      await gotoJa(p, urlPath);
      const r = await submit(p, p.locator(`${form} button[type=submit]`));
      assert.equal(r.postStatus, 422, `an empty form from ${urlPath} should be refused with 422`);
      byPage.push([`ja-JP ${urlPath} (errors)`, await axeViolations(p)]);
    }
  } finally {
    await ctx.close();
  }
  if (renState) {
    const en = await newContext({ locale: 'en-US', bypassCSP: true, storageState: renState });
    try {
      const p = await en.newPage();
      for (const urlPath of [`/events/${eventId}`, `/threads/${threadId}`, '/notifications', '/events']) {
        await gotoEn(p, urlPath);
        byPage.push([`en-US (Ren) ${urlPath}`, await axeViolations(p)]);
      }
    } finally {
      await en.close();
    }
  }
  const total = byPage.reduce((n, [, v]) => n + v.length, 0);
  assert.equal(total, 0, `axe-core found ${total} violation(s):${formatViolations(byPage)}`);
}, { check: true });

// Screenshots are for humans; nothing is asserted about them.
step('screenshots at 360 and 1280 wide', async (t) => {
  assert.ok(ownerState && eventId && threadId, 'needs the community, event and thread from the journey');
  const written = [];
  const ctx = await newContext({ locale: 'ja-JP', storageState: ownerState });
  try {
    const p = await ctx.newPage();
    const shots = [
      ['event', `/events/${eventId}`],
      ['thread', `/threads/${threadId}`],
      ['notifications', '/notifications'],
      ['my-events', '/events'],
    ];
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
  t.diagnostic(`${written.length} screenshots in ${SCREENSHOT_DIR}`);
}, { check: true });
