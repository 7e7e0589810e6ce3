import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8090';
const [out, width, lang] = process.argv.slice(2);
const tok = await (await fetch(base + '/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'sato.aoi@example.jp', password: 'tsunagari-demo-2026' }) })).json();
const q = await (await fetch(base + '/api/v1/self-check/questionnaire')).json();
const answers = {};
for (const item of q.items) {
  if (item.type === 'single' && item.required) answers[item.id] = item.section === 'actions' ? 'none' : 'yes';
  if (item.type === 'likert') answers[item.id] = 4;
  if (item.type === 'allocation') answers[item.id] = item.id.endsWith('wished') ? { family: 30, work: 30, learning: 15, community: 10, personal: 15 } : { family: 20, work: 60, learning: 5, community: 0, personal: 15 };
}
answers.relation_quest = 'no';
answers.side_job = 'gave_up';
answers.relocation = 'want';
answers.home_prefecture = '15';
answers.support_consult = ['employer', 'union'];
answers.support_options = ['hobby_circle'];
for (let i = 0; i < 2; i++) {
  const r = await fetch(base + '/api/v1/self-check/results', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + tok.token }, body: JSON.stringify({ answers }) });
  var res = await r.json();
  answers.fc1 = 2; answers.cu2 = 5;
}
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: Number(width), height: 900 }, locale: lang });
await p.goto(base + '/login');
await p.fill('input[name=email]', 'sato.aoi@example.jp');
await p.fill('input[name=password]', 'tsunagari-demo-2026');
await p.click('form[action="/login"] button[type=submit]');
await p.waitForLoadState('load');
await p.goto(base + '/self-check/results/' + res.id);
const els = await p.locator('figure.sc-chart').all();
for (const [i, el] of els.entries()) await el.screenshot({ path: `${out}-${i}.png` });
await p.goto(base + '/self-check/history');
await p.locator('figure.sc-chart').first().screenshot({ path: `${out}-history.png` });
await p.screenshot({ path: `${out}-historypage.png`, fullPage: true });
await b.close();
