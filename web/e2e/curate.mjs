// End-to-end check of the curation page (/curate) in headless Chromium.
//
//   KG_TOKEN=<write token> node web/e2e/curate.mjs <server-url> <artefact-dir>
//
// From a fresh browser profile, against a server with the curated dataset loaded that accepts
// KG_TOKEN: at 1440 px, refuses a wrong token, unlocks the page, pastes an article, makes three
// facts of its sentences (one with an entity created on the page, one recorded as the same fact
// as one the graph has from another article), saves them as one putArticle, sees their quotes
// marked in the text, reads them in the explorer and follows a quote to the article's text; at
// 390 px, drafts a fact whose quote the text lacks and is refused, beside the quote, with the
// nearest passage, and nothing is written. Writes curate.png, curate-refused-390.png and
// article.png to the artefact folder (failure-<step>.png when a step fails), prints each step,
// and exits non-zero on the first failure. Any request to another host fails the run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, steps } from './browser.mjs';

const [base, outDir] = process.argv.slice(2);
const token = process.env.KG_TOKEN;
if (!base || !outDir || !token) {
  console.error('usage: KG_TOKEN=<token> node web/e2e/curate.mjs <server-url> <artefact-dir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const origin = new URL(base).origin;

const { browser, context, offsite } = await openBrowser([origin]);
const pageErrors = [];
async function newPage(width, height) {
  const p = await context.newPage();
  await p.setViewportSize({ width, height });
  p.setDefaultTimeout(15000);
  p.on('pageerror', (err) => pageErrors.push(err.message));
  return p;
}
let page = await newPage(1440, 900);

const run = steps(pageErrors);
const step = run.step;

// api asks the server directly, without a token.
async function api(query, variables = {}) {
  const res = await fetch(`${base}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

const TEXT = [
  'Telia has chosen Ericsson for its 5G core network in Sweden.',
  'Telia and Nokia will jointly test 5G in Stockholm, the companies said.',
  '',
  'Ericsson and China Mobile formed a strategic agreement to cooperate on IoT. The deal was announced on Monday.',
].join('\n');
const SENTENCES = ['Telia has chosen Ericsson for its 5G core network in Sweden.', 'Telia and Nokia will jointly test 5G in Stockholm, the companies said.', 'Ericsson and China Mobile formed a strategic agreement to cooperate on IoT.'];

// select selects the words of the reader's text, as a reader's mouse would.
const select = (p, words) =>
  p.evaluate((words) => {
    const reader = document.querySelector('#reader');
    const at = reader.textContent.indexOf(words);
    if (at < 0) throw new Error(`the reader lacks ${words}`);
    const walker = document.createTreeWalker(reader, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = n.textContent.length;
      if (at >= seen && at <= seen + len) range.setStart(n, at - seen);
      if (at + words.length >= seen && at + words.length <= seen + len) {
        range.setEnd(n, at + words.length - seen);
        break;
      }
      seen += len;
    }
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }, words);

const card = (p, i) => p.locator(`#facts > li[data-index="${i}"]`);

// pick types into the role's first empty participant search and picks the suggestion that starts
// with name.
async function pick(p, i, role, typed, name) {
  const input = card(p, i).locator(`.participant[data-role="${role}"] .entity-search`).first();
  await input.pressSequentially(typed, { delay: 30 });
  await card(p, i).locator('.suggestions li', { hasText: new RegExp(`^${name}\\b`) }).first().click();
  await card(p, i).locator(`.participant[data-role="${role}"] .chip`, { hasText: name }).first().waitFor();
}

async function newFact(p, words, kind) {
  const n = await p.locator('#facts > li').count();
  await select(p, words);
  await p.locator('#new-fact').click();
  await card(p, n).waitFor();
  const quote = await card(p, n).locator('.quote').inputValue();
  if (quote !== words) throw new Error(`the new fact's quote is ${JSON.stringify(quote)}, want the selection ${JSON.stringify(words)}`);
  await card(p, n).locator('.kind').selectOption(kind);
  return n;
}

async function unlockPage(p) {
  await p.goto(`${base}/curate`);
  await p.locator('#unlock #token').waitFor();
  await p.locator('#token').fill(token);
  await p.locator('#unlock-go').click();
  await p.locator('#editor').waitFor();
}

// sideways is how far the page scrolls sideways, in px.
const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

try {
  await step('a fresh profile is asked for the token, and a wrong one is refused beside the field', async () => {
    await page.goto(`${base}/curate`);
    await page.locator('#unlock #token').waitFor();
    if (await page.locator('#editor').isVisible()) throw new Error('the editor shows before the token is given');
    await page.locator('#token').fill('not-the-token-at-all-0000');
    await page.locator('#unlock-go').click();
    await page.locator('[data-for="token"]', { hasText: 'not one the server accepts' }).waitFor();
    await page.locator('#token').fill(token);
    await page.locator('#unlock-go').click();
    await page.locator('#editor').waitFor();
  });

  await step('the article is pasted and its id made from the date and title', async () => {
    await page.locator('#title').fill('Telia picks Ericsson for its 5G core');
    await page.locator('#date').fill('2017-08-01');
    await page.locator('#text').fill(TEXT);
    const id = await page.locator('#article-id').inputValue();
    if (id !== '2017-08-01-telia-picks-ericsson-for-its-5g-core') throw new Error(`article id ${id}`);
    await page.locator('#reader', { hasText: 'Telia and Nokia' }).waitFor();
  });

  await step('fact 1: a selected sentence, a participant from the graph and one created on the page', async () => {
    const i = await newFact(page, SENTENCES[0], 'supply');
    await pick(page, i, 'supplier', 'Ericss', 'Ericsson');
    const customer = card(page, i).locator('.participant[data-role="customer"] .entity-search').first();
    await customer.pressSequentially('Telia', { delay: 30 });
    await card(page, i).locator('.suggestions li.create').click();
    await card(page, i).locator('.new-kind').selectOption('Company');
    await card(page, i).locator('.new-aliases').fill('Telia Company');
    await card(page, i).locator('.create-go').click();
    await card(page, i).locator('.participant[data-role="customer"] .chip', { hasText: 'Telia' }).waitFor();
    await card(page, i).locator('.add-attr').selectOption('item');
    await card(page, i).locator('.attribute[data-key="item"] input').fill('5G core network');
    await card(page, i).locator('.add-attr').selectOption('date');
    await card(page, i).locator('.attribute[data-key="date"] input').fill('August 2017');
    await card(page, i).locator('.error', { hasText: 'YYYY, YYYY-MM or YYYY-MM-DD' }).waitFor();
    await card(page, i).locator('.attribute[data-key="date"] input').fill('2017-08');
    if ((await page.locator('#reader mark.draft').count()) !== 1) throw new Error('the drafted quote is not marked in the text');
  });

  await step('fact 2: the entity created for fact 1 is offered to the next', async () => {
    const i = await newFact(page, SENTENCES[1], 'partnership');
    await pick(page, i, 'party', 'Teli', 'Telia');
    // With the keys alone: the first suggestion is the exact name.
    const nokia = card(page, i).locator('.participant[data-role="party"] .entity-search').first();
    await nokia.pressSequentially('Nokia', { delay: 30 });
    await card(page, i).locator('.suggestions li', { hasText: /^Nokia\b/ }).first().waitFor();
    await nokia.press('ArrowDown');
    await nokia.press('Enter');
    await card(page, i).locator('.participant[data-role="party"] .chip', { hasText: /^Nokia/ }).waitFor();
    await card(page, i).locator('.attribute[data-key="kind"] input, .add-attr').first().waitFor();
    await card(page, i).locator('.add-attr').selectOption('kind');
    await card(page, i).locator('.attribute[data-key="kind"] input').fill('joint test');
  });

  await step('fact 3: a fact the graph has from another article is offered as the same fact, another source', async () => {
    const i = await newFact(page, SENTENCES[2], 'partnership');
    await pick(page, i, 'party', 'Ericss', 'Ericsson');
    await pick(page, i, 'party', 'China Mob', 'China Mobile');
    await card(page, i).locator('.same-fact .accept-same').click();
    await card(page, i).locator('.same-fact.accepted', { hasText: 'partnership-ericsson-china-mobile-iot-strategic-agreement' }).waitFor();
  });

  await step('saving writes the three facts as one putArticle and marks their quotes in the text', async () => {
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: 'Saved 3 facts' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#reader mark.held').length === 3);
    // Typed values: the page shows how the server read the date, as filters compare it.
    await card(page, 0).locator('.attribute[data-key="date"] .reading', { hasText: 'read as 2017-08-01 to 2017-08-31' }).waitFor();
    const marked = await page.locator('#reader mark.held').allTextContents();
    for (const s of SENTENCES) if (!marked.includes(s)) throw new Error(`the text marks ${JSON.stringify(marked)}, not ${s}`);
    const { data } = await api(`{ relationships(filter: {relationKinds: ["partnership"]}, first: 500) { nodes { key sourceCount } } }`);
    const same = data.relationships.nodes.find((r) => r.key === 'partnership-ericsson-china-mobile-iot-strategic-agreement');
    if (same?.sourceCount !== 2) throw new Error(`the same fact has ${same?.sourceCount} sources, want 2`);
    await page.screenshot({ path: join(outDir, 'curate.png'), fullPage: true });
  });

  await step('the explorer shows the new facts with their quotes, and a quote leads to it marked in the text', async () => {
    await page.locator('#saved-explore').click();
    await page.waitForURL(/\/explore\?entity=Ericsson/);
    await page.goto(`${base}/explore?entity=Telia`);
    const quote = page.locator('#details .evidence li', { hasText: SENTENCES[1] }).first();
    await quote.waitFor();
    await page.locator('#details .sentence', { hasText: 'Nokia' }).first().waitFor();
    await quote.locator('a.in-text').click();
    await page.waitForURL(/\/article\?/);
    await page.locator('#article-text mark.focus').waitFor();
    const focused = await page.locator('#article-text mark.focus').textContent();
    if (focused !== SENTENCES[1]) throw new Error(`the article page brings ${JSON.stringify(focused)} into focus`);
    if ((await page.locator('#article-text mark.held').count()) !== 3) throw new Error('the article page does not mark the three quotes');
    if ((await page.locator('.facts-of li').count()) !== 3) throw new Error('the article page does not list the three facts');
    await page.screenshot({ path: join(outDir, 'article.png') });
  });

  await step('back on the page, the draft of the tab is as it was, and New article clears it', async () => {
    await page.goto(`${base}/curate`);
    await page.locator('#editor').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#facts > li.saved').length === 3 && document.querySelectorAll('#reader mark.held').length === 3);
    if ((await page.locator('#title').inputValue()) !== 'Telia picks Ericsson for its 5G core') throw new Error('the reloaded draft lost its title');
    await page.locator('#new-article').click();
    if ((await page.locator('#facts > li').count()) !== 0 || (await page.locator('#text').inputValue()) !== '') throw new Error('New article left the draft');
    await page.reload();
    await page.locator('#editor').waitFor();
    if ((await page.locator('#facts > li').count()) !== 0) throw new Error('the cleared draft came back on reload');
  });

  await step('the article opens again with its facts marked in its text, and saves unchanged', async () => {
    const p = await newPage(1440, 900);
    await p.goto(`${base}/curate?article=2017-08-01-telia-picks-ericsson-for-its-5g-core`);
    await p.locator('#token').fill(token);
    await p.locator('#unlock-go').click();
    await p.locator('#open-status', { hasText: 'Opened 2017-08-01-telia-picks-ericsson-for-its-5g-core: 3 facts' }).waitFor();
    await p.waitForFunction(() => document.querySelectorAll('#reader mark.held').length === 3);
    if ((await p.locator('#facts > li.saved').count()) !== 3) throw new Error('the opened article does not list its three facts');
    if ((await p.locator('#title').inputValue()) !== 'Telia picks Ericsson for its 5G core') throw new Error('the title is not filled in');
    await p.locator('#save').click();
    await p.locator('#save-status', { hasText: 'Saved 3 facts' }).waitFor();
    const { data } = await api(`{ entity(name: "Telia Company") { name aliases } }`);
    if (data.entity?.name !== 'Telia') throw new Error(`after saving again, "Telia Company" names ${JSON.stringify(data.entity)}: the alias was lost`);
    await p.close();
  });

  await step('at 390 px: a quote the text lacks is refused beside it with the nearest passage, and nothing is written', async () => {
    const phone = await newPage(390, 844);
    page = phone;
    await unlockPage(phone);
    await phone.locator('#title').fill('Telia deal, a second look');
    await phone.locator('#date').fill('2017-08-02');
    await phone.locator('#text').fill(TEXT);
    const i = await newFact(phone, 'The deal was announced on Monday.', 'partnership');
    await pick(phone, i, 'party', 'Ericss', 'Ericsson');
    await pick(phone, i, 'party', 'China Mob', 'China Mobile');
    await card(phone, i).locator('.quote').fill('The deal was signed on Monday.');
    await card(phone, i).locator('.warn').waitFor();
    await phone.locator('#save').click();
    await phone.locator('#save-status.error').waitFor();
    const err = card(phone, i).locator('.error[data-field="relationships[0].quotes[0]"]');
    await err.waitFor();
    const msg = await err.textContent();
    if (!msg.includes("is not in the article's text") || !msg.includes('The deal was announced on Monday')) throw new Error(`the quote's error says ${msg}`);
    const { data } = await api(`{ articles { key } }`);
    if (data.articles.some((a) => a.key === '2017-08-02-telia-deal-a-second-look')) throw new Error('the refused article was written');
    if ((await sideways(phone)) > 0) throw new Error(`the page scrolls ${await sideways(phone)} px sideways at 390 px`);
    await phone.screenshot({ path: join(outDir, 'curate-refused-390.png'), fullPage: true });
    await card(phone, i).locator('.use-nearest').click();
    if ((await card(phone, i).locator('.quote').inputValue()) !== 'The deal was announced on Monday.') throw new Error('the nearest passage did not become the quote');
  });

  await step('the article page fits 1440 and 390 px without scrolling sideways', async () => {
    for (const [w, h] of [[1440, 900], [390, 844]]) {
      const p = await newPage(w, h);
      await p.goto(`${base}/article?key=2017-08-01-telia-picks-ericsson-for-its-5g-core`);
      await p.locator('#article-text mark.held').first().waitFor();
      if ((await sideways(p)) > 0) throw new Error(`the article page scrolls sideways at ${w} px`);
      await p.close();
    }
    if ((await sideways(page)) > 0) throw new Error('the curation page scrolls sideways');
  });

  if (offsite.length) throw new Error(`the pages asked for other hosts: ${offsite.join(', ')}`);
  console.log('all curation steps passed');
} catch (err) {
  console.error(`FAIL ${run.current}: ${err.message}`);
  await page.screenshot({ path: join(outDir, `failure-${run.current.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => {});
  await browser.close();
  process.exit(1);
}
await browser.close();
