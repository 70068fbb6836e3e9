// End-to-end check of the explorer and the playground in headless Chromium.
//
//   node web/e2e/run.mjs <server-url> <artefact-dir>
//
// Drives Debian's chromium (or $KG_CHROMIUM) through playwright-core, against a running server
// with the curated dataset loaded. Writes explorer.png, explorer-expanded.png, explorer-asof.png
// and playground.png to the artefact folder (and failure-<step>.png when a step fails), prints
// each step, and exits non-zero on the first failure. Any request to a host other than the
// server fails the run: the pages must work offline.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node web/e2e/run.mjs <server-url> <artefact-dir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const origin = new URL(base).origin;
const STEP_TIMEOUT = 20000;

const browser = await chromium.launch({
  executablePath: process.env.KG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Without the background-networking flags Chromium reaches for Google's hosts at start.
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
// launch() gives every run a new, empty profile.
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
const offsite = [];
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
  offsite.push(url);
  return route.abort();
});
const page = await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
const pageErrors = [];
page.on('pageerror', (err) => pageErrors.push(err.message));
page.on('console', (msg) => {
  if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
});

let current = '';
async function step(name, fn) {
  current = name;
  const t0 = Date.now();
  await fn();
  if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join('; ')}`);
  console.log(`ok   ${name} (${Date.now() - t0} ms)`);
}

// drawn returns the names of the entities the explorer draws (visible, not filtered out).
const drawn = () => page.evaluate(() => window.explorer.cy.nodes(':visible').map((n) => n.data('name')));

async function waitDrawn(names, present) {
  await page.waitForFunction(
    ([names, present]) => {
      const cy = window.explorer?.cy;
      if (!cy) return false;
      const visible = new Set(cy.nodes(':visible').map((n) => n.data('name')));
      return names.every((n) => visible.has(n) === present);
    },
    [names, present],
  );
}

try {
  await step('explorer loads', async () => {
    await page.goto(`${base}/explore`);
    await page.locator('#search').waitFor();
    await page.waitForFunction(() => document.querySelector('#asof').max !== '0');
  });

  await step('search suggests Ericsson as you type', async () => {
    await page.locator('#search').pressSequentially('Ericss', { delay: 40 });
    const option = page.locator('#search-list li', { hasText: 'Ericsson' }).first();
    await option.waitFor();
    await option.click();
  });

  await step('Ericsson neighborhood draws China Telecom and China Mobile', async () => {
    await waitDrawn(['Ericsson', 'China Telecom', 'China Mobile'], true);
    const url = new URL(page.url());
    if (url.searchParams.get('entity') !== 'Ericsson') throw new Error(`URL ${page.url()} does not hold entity=Ericsson`);
    await page.locator('#details h2', { hasText: 'Ericsson' }).waitFor();
    await page.locator('#details .evidence blockquote').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'explorer.png') });
  });

  await step('clicking China Mobile expands it', async () => {
    const before = (await drawn()).length;
    const pos = await page.evaluate(() => {
      const n = window.explorer.cy.nodes().filter((x) => x.data('name') === 'China Mobile')[0];
      const box = document.querySelector('#cy').getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction(() =>
      window.explorer.cy.nodes().some((n) => n.data('name') === 'China Mobile' && n.hasClass('expanded')),
    );
    await page.waitForFunction((before) => window.explorer.cy.nodes(':visible').length > before, before);
    await page.locator('#details h2', { hasText: 'China Mobile' }).waitFor();
    if (!new URL(page.url()).searchParams.getAll('expand').includes('China Mobile')) {
      throw new Error(`URL ${page.url()} does not hold expand=China Mobile`);
    }
    // Let the layout settle before the picture.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'explorer-expanded.png') });
  });

  await step('date slider before 2017-07-07 removes those partners', async () => {
    const slider = page.locator('#asof');
    await slider.focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 1000; i++) {
      const label = await page.locator('#asof-label').textContent();
      if (label === '2017-07-06') break;
      if (label !== 'latest' && label < '2017-07-06') throw new Error(`the slider went past 2017-07-06 to ${label}`);
      await page.keyboard.press('ArrowLeft');
    }
    await page.waitForFunction(() => new URL(location.href).searchParams.get('asOf') === '2017-07-06');
    await waitDrawn(['China Telecom', 'China Mobile'], false);
    await page.screenshot({ path: join(outDir, 'explorer-asof.png') });
  });

  await step('one day later they are back', async () => {
    await page.keyboard.press('ArrowRight');
    await waitDrawn(['Ericsson', 'China Telecom', 'China Mobile'], true);
  });

  await step('playground loads GraphiQL', async () => {
    await page.goto(`${base}/`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
  });

  await step('playground runs a saved query', async () => {
    await page.getByRole('button', { name: /Saved queries/ }).click();
    await page.locator('button.saved-query', { hasText: 'Partners in a country' }).click();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.innerText.includes('PartnersInACountry'));
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => {
      // Monaco draws spaces as no-break spaces.
      const text = (document.querySelector('.graphiql-response')?.innerText ?? '').replace(/\u00a0/g, ' ');
      return text.includes('China Telecom') && text.includes('China Mobile');
    });
    await page.screenshot({ path: join(outDir, 'playground.png') });
  });

  if (offsite.length) {
    current = 'offline';
    throw new Error(`the pages asked for other hosts: ${[...new Set(offsite)].join(', ')}`);
  }
  console.log('ok   no request left the server');
} catch (err) {
  console.error(`FAIL ${current}: ${err.message.split('\n')[0]}`);
  await page.screenshot({ path: join(outDir, `failure-${current.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
