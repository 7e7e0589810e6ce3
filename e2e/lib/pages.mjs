// Steps every journey takes on the site's own pages: open a page in a
// language, sign up, read the one-time notice, submit a form that
// redirects. Each checks what a person would notice going wrong.

import assert from 'node:assert/strict';

import { goto, htmlLang, submit, text } from './journey.mjs';

/** The password every journey's people sign up with. */
export const PASSWORD = 'kawa-no-nagare-2026!';

const SIGNUP_FORM = 'form[action="/signup"]';
const LOGOUT_BUTTON = 'form[action="/logout"] button[type=submit]';
const FLASH = 'p.flash[role="status"]';

/** Opens `urlPath` on the server at `baseUrl`; expects 200 in `lang`. */
export async function gotoIn(p, baseUrl, urlPath, lang) {
  const res = await goto(p, baseUrl, urlPath);
  assert.equal(res.status(), 200, `GET ${urlPath}`);
  assert.equal(await htmlLang(p), lang, `${urlPath} should be in lang="${lang}"`);
  return res;
}

/** Signs `person` ({email, name}) up through /signup and checks they land signed in. */
export async function signUpIn(p, baseUrl, person, lang = 'ja') {
  await gotoIn(p, baseUrl, '/signup', lang);
  const form = p.locator(SIGNUP_FORM);
  await form.locator('input[name="email"]').fill(person.email);
  await form.locator('input[name="display_name"]').fill(person.name);
  await form.locator('input[name="password"]').fill(PASSWORD);
  const r = await submit(p, form.locator('button[type=submit]'));
  assert.ok(r.postStatus >= 300 && r.postStatus < 400, `signup should redirect, got ${r.postStatus}`);
  assert.equal(r.status, 200, `the page after signing up should be 200, got ${r.status}`);
  await p.locator(LOGOUT_BUTTON).waitFor({ state: 'visible' });
}

/** The one-time notice after a redirect. */
export async function flash(p) {
  const notice = p.locator(FLASH);
  await notice.waitFor({ state: 'visible' });
  return text(notice);
}

/**
 * Submits a button and expects 303 and then 200 at `to` (a path, a RegExp
 * of paths, or nothing to accept any). Returns the submit result.
 */
export async function submitRedirect(p, button, to) {
  const r = await submit(p, button);
  assert.equal(r.postStatus, 303, `POST should answer 303, got ${r.postStatus}`);
  assert.equal(r.status, 200, `the page after the redirect should be 200, got ${r.status}`);
  if (to instanceof RegExp) assert.match(r.path, to);
  else if (to) assert.equal(r.path, to);
  return r;
}
