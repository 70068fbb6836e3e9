// End-to-end check of the explorer and the playground in headless Chromium.
//
//   node web/e2e/run.mjs <server-url> <artefact-dir>
//
// Drives Debian's chromium (or $KG_CHROMIUM) through playwright-core, against a running server
// with the curated dataset loaded. Writes explorer.png, explorer-expanded.png, explorer-asof.png,
// playground.png, export.png and export.json to the artefact folder (and failure-<step>.png when
// a step fails), prints each step, and exits non-zero on the first failure. Any request to a
// host other than the server fails the run: the pages must work offline.
import { mkdirSync, readFileSync } from 'node:fs';
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

  await step('the URL restores the view in a new tab', async () => {
    const url = page.url();
    const want = (await drawn()).sort();
    const other = await context.newPage();
    other.on('pageerror', (err) => pageErrors.push(err.message));
    await other.goto(url);
    await other.waitForFunction(
      (n) => window.explorer?.cy.nodes(':visible').length === n && document.querySelector('#status').textContent.includes('entities'),
      want.length,
    );
    const got = (await other.evaluate(() => window.explorer.cy.nodes(':visible').map((n) => n.data('name')))).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`restored view draws ${got.length} entities, want the ${want.length} of ${url}`);
    const label = await other.locator('#asof-label').textContent();
    if (label !== '2017-07-07') throw new Error(`restored date is ${label}, want 2017-07-07`);
    await other.close();
  });

  await step('relationship and country filters hide what they leave out', async () => {
    await page.locator('#rel-filter input[value="partnership"]').uncheck();
    await waitDrawn(['Bridge Alliance'], false);
    if (new URL(page.url()).searchParams.get('hideRel') !== 'partnership') throw new Error(`URL ${page.url()} does not hold hideRel=partnership`);
    await page.locator('#rel-filter input[value="partnership"]').check();
    await waitDrawn(['Bridge Alliance'], true);
    await page.locator('#country-filter').selectOption('China');
    await waitDrawn(['Bridge Alliance'], false);
    await waitDrawn(['Ericsson', 'China Mobile', 'China Telecom'], true);
    await page.locator('#country-filter').selectOption('');
    await waitDrawn(['Bridge Alliance'], true);
  });

  await step('path between Nokia and ZTE is highlighted', async () => {
    for (const [input, name] of [['#path-from', 'Nokia'], ['#path-to', 'ZTE']]) {
      await page.locator(input).fill('');
      await page.locator(input).pressSequentially(name, { delay: 40 });
      await page.locator(`${input} + .suggestions li`).filter({ hasText: new RegExp(`^${name}`) }).first().click();
    }
    await page.locator('#path-result', { hasText: 'hops' }).waitFor();
    const onPath = await page.evaluate(() => window.explorer.cy.nodes('.path:visible').map((n) => n.data('name')));
    for (const name of ['Nokia', 'ZTE']) if (!onPath.includes(name)) throw new Error(`path highlights ${onPath}, want ${name} among them`);
    const edges = await page.evaluate(() => window.explorer.cy.edges('.path:visible').length);
    if (edges < 1) throw new Error('no edge of the path is highlighted');
  });

  await step('the view exports as PNG and as Cytoscape JSON', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    const pngPath = join(outDir, 'export.png');
    await png.saveAs(pngPath);
    const head = readFileSync(pngPath).subarray(0, 8).toString('hex');
    if (head !== '89504e470d0a1a0a') throw new Error(`export.png does not start with the PNG signature (${head})`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
    const jsonPath = join(outDir, 'export.json');
    await json.saveAs(jsonPath);
    const data = JSON.parse(readFileSync(jsonPath, 'utf8'));
    const names = data.elements.nodes.map((n) => n.data.name);
    for (const name of ['Ericsson', 'China Mobile', 'Nokia', 'ZTE']) if (!names.includes(name)) throw new Error(`export.json lacks ${name}`);
    if (!data.elements.edges.length || !data.style?.length) throw new Error('export.json lacks edges or the stylesheet');
  });

  await step('double-clicking China Telecom re-centres on it', async () => {
    await page.locator('#path-clear').click();
    const pos = await page.evaluate(() => {
      const n = window.explorer.cy.nodes().filter((x) => x.data('name') === 'China Telecom')[0];
      const box = document.querySelector('#cy').getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.dblclick(pos.x, pos.y);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('entity') === 'China Telecom');
    await page.waitForFunction(() => window.explorer.cy.nodes('.centre').map((n) => n.data('name')).join() === 'China Telecom');
    if (new URL(page.url()).searchParams.getAll('expand').length) throw new Error(`a re-centred view keeps expansions: ${page.url()}`);
    await waitDrawn(['Ericsson'], true);
  });

  await step('the back button returns to Ericsson', async () => {
    await page.goBack();
    await page.waitForFunction(() => window.explorer.cy.nodes('.centre').map((n) => n.data('name')).join() === 'Ericsson');
    await waitDrawn(['China Telecom', 'China Mobile'], true);
    const label = await page.locator('#search').inputValue();
    if (label !== 'Ericsson') throw new Error(`the search box shows ${label}, want Ericsson`);
  });

  await step('playground loads GraphiQL', async () => {
    await page.goto(`${base}/`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
  });

  await step('playground runs a saved query', async () => {
    // The pane opens with the page; a click on its sidebar button would close it.
    await page.locator('button.saved-query').first().waitFor();
    // The first tab already holds "Partners in a country": load another one into it.
    await page.locator('button.saved-query', { hasText: 'As of a date' }).click();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.innerText.includes('PartnersAsOf'));
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => {
      // Monaco draws spaces as no-break spaces.
      const text = (document.querySelector('.graphiql-response')?.innerText ?? '').replace(/\u00a0/g, ' ');
      return /"before": \[\]/.test(text) && /"after": \[/.test(text) && text.includes('China Telecom');
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
