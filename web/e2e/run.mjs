// End-to-end check of the explorer and the playground in headless Chromium.
//
//   node web/e2e/run.mjs <server-url> <artefact-dir> [<generated-server-url>]
//
// Drives Debian's chromium (or $KG_CHROMIUM) through playwright-core, against a running server
// with the curated dataset loaded, from a fresh browser profile; with a third argument, also
// measures the labels of a 500-node neighbourhood on a server holding a generated graph (the
// bench/synth graph of 20,000 quads: "Company 0" at depth 2). Writes explorer.png,
// explorer-expanded.png, explorer-asof.png, explorer-large.png, explorer-generated.png,
// explorer-<width>.png, playground-first.png, playground.png, export.png and export.json to the
// artefact folder (and failure-<step>.png when a step fails), prints each step and the label
// measurements, and exits non-zero on the first failure. Any request to a host other than the
// servers fails the run: the pages must work offline.
//
// The explorer is read through its DOM only: the drawn entities are the entries of #drawn, whose
// data attributes say where each one and its label are drawn.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, steps } from './browser.mjs';

const [base, outDir, generated] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node web/e2e/run.mjs <server-url> <artefact-dir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const origins = [base, generated].filter(Boolean).map((u) => new URL(u).origin);
const STEP_TIMEOUT = 20000;

const { browser, context, offsite } = await openBrowser(origins);
const page = await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
const pageErrors = [];
page.on('pageerror', (err) => pageErrors.push(err.message));
page.on('console', (msg) => {
  if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
});
// The API requests the explorer makes, by their body.
const queries = [];
context.on('request', (req) => {
  const from = (() => {
    try {
      return new URL(req.frame().url()).pathname;
    } catch {
      return '';
    }
  })();
  if (req.method() === 'POST' && new URL(req.url()).pathname === '/query' && from === '/explore') queries.push(req.postData() ?? '');
});

const run = steps(pageErrors);
const step = run.step;

// drawn returns the names of the entities the explorer draws.
const drawn = (p = page) => p.evaluate(() => [...document.querySelectorAll('#drawn li')].map((li) => li.textContent));

// waitDrawn waits until each of names is drawn (present) or not.
async function waitDrawn(names, present, p = page) {
  await p.waitForFunction(
    ([names, present]) => {
      const visible = new Set([...document.querySelectorAll('#drawn li')].map((li) => li.textContent));
      return names.every((n) => visible.has(n) === present);
    },
    [names, present],
  );
}

// entry is the #drawn entry of the entity called name (any name when empty) whose data-state
// holds the word state.
const entry = (name, state = '', p = page) => {
  const all = p.locator(`#drawn li${state ? `[data-state~="${state}"]` : ''}`);
  const exact = new RegExp('^' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
  return name ? all.filter({ hasText: exact }) : all;
};

// at is where an entity is drawn on the page: its entry's data-x and data-y from the graph's corner.
async function at(loc, p = page) {
  const li = loc.first();
  const [x, y, box] = await Promise.all([li.getAttribute('data-x'), li.getAttribute('data-y'), p.locator('#cy').boundingBox()]);
  return { x: box.x + Number(x), y: box.y + Number(y) };
}

// waitState waits until the entity called name is drawn with the word state in its data-state.
const waitState = (name, state, p = page) => entry(name, state, p).first().waitFor({ state: 'attached' });

// settled waits for the status line to report a drawn view.
const settled = (p = page) => p.waitForFunction(() => / entities, /.test(document.querySelector('#status').textContent));

// responseText is GraphiQL's response pane as text; Monaco draws spaces as no-break spaces.
const responseText = () => page.evaluate(() => (document.querySelector('.graphiql-response')?.innerText ?? '').replace(/\u00a0/g, ' '));

// labelFigures measures the drawn graph from #drawn: nodes, labels drawn (not left out to avoid
// a collision), overlapping pairs among the drawn labels and among all labels had every one been
// drawn, and the smallest drawn label height on screen in pixels.
const labelFigures = (p) =>
  p.evaluate(() => {
    const items = [...document.querySelectorAll('#drawn li')].map((li) => {
      const [x1, y1, x2, y2] = li.dataset.labelBox.split(' ').map(Number);
      return { box: { x1, y1, x2, y2 }, shown: li.dataset.label === 'shown', px: Number(li.dataset.labelPx), group: li.dataset.state.includes('group'), name: li.textContent };
    });
    const pairs = (bb) => {
      let o = 0;
      for (let i = 0; i < bb.length; i++) for (let j = i + 1; j < bb.length; j++) {
        const a = bb[i], b = bb[j];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) o++;
      }
      return o;
    };
    const labelled = items.filter((it) => it.shown);
    return {
      nodes: items.length,
      edges: Number(document.querySelector('#drawn').dataset.edges),
      groups: items.filter((it) => it.group).map((it) => it.name),
      labels: labelled.length,
      overlaps: pairs(labelled.map((it) => it.box)),
      overlapsIfAllDrawn: pairs(items.map((it) => it.box)),
      minLabelPx: Math.min(...labelled.map((it) => it.px)),
    };
  });

try {
  await step('playground on a fresh profile runs its first tab with ▶', async () => {
    await page.goto(`${base}/`);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.innerText.includes('PartnersInACountry'));
    await page.waitForFunction(() => document.querySelector('.graphiql-editor-tool .monaco-editor, .graphiql-editor-tool')?.innerText.includes('Ericsson'));
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => /"partners": \[/.test((document.querySelector('.graphiql-response')?.innerText ?? '').replace(/\u00a0/g, ' ')));
    const text = await responseText();
    if (text.includes('"errors"')) throw new Error(`the first tab answered with errors: ${text.slice(0, 300)}`);
    if (!text.includes('China')) throw new Error(`the first tab's answer names no partner in China: ${text.slice(0, 300)}`);
    await page.screenshot({ path: join(outDir, 'playground-first.png') });
  });

  await step('explorer loads, without a global for tests and without fetching every article', async () => {
    await page.goto(`${base}/explore`);
    await page.locator('#search').waitFor();
    if (await page.evaluate(() => 'explorer' in window)) throw new Error('the explorer publishes a window.explorer global');
  });

  await step('search suggests Ericsson as you type', async () => {
    await page.locator('#search').pressSequentially('Ericss', { delay: 40 });
    const option = page.locator('#search-list li', { hasText: 'Ericsson' }).first();
    await option.waitFor();
    await option.click();
  });

  await step('Ericsson neighborhood draws China Telecom and China Mobile', async () => {
    await waitDrawn(['Ericsson', 'China Telecom', 'China Mobile'], true);
    await waitState('Ericsson', 'centre');
    const url = new URL(page.url());
    if (url.searchParams.get('entity') !== 'Ericsson') throw new Error(`URL ${page.url()} does not hold entity=Ericsson`);
    await page.locator('#details h2', { hasText: 'Ericsson' }).waitFor();
    await page.locator('#details .evidence blockquote').first().waitFor();
    // Facts are sentences from the roles: Ericsson is one of the owners, not the owner of China Telecom.
    await page.locator('#details .sentence', { hasText: 'Ericsson and China Telecom own China Telecom IoT Open Platform' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'explorer.png') });
  });

  await step('a click on China Mobile shows its facts at once and expands nothing', async () => {
    const pos = await at(entry('China Mobile'));
    await page.mouse.click(pos.x, pos.y);
    await page.locator('#details h2', { hasText: 'China Mobile' }).waitFor({ timeout: 2000 });
    // A click waits for no second one: nothing else follows it.
    await page.waitForTimeout(600);
    if (await entry('China Mobile', 'expanded').count()) throw new Error('a single click expanded China Mobile');
    if (new URL(page.url()).searchParams.getAll('expand').length) throw new Error(`a single click changed the URL to ${page.url()}`);
  });

  await step('Expand draws China Mobile\'s neighbours', async () => {
    const before = (await drawn()).length;
    await page.locator('#expand').click();
    await waitState('China Mobile', 'expanded');
    await page.waitForFunction((before) => document.querySelectorAll('#drawn li').length > before, before);
    if (!new URL(page.url()).searchParams.getAll('expand').includes('China Mobile')) {
      throw new Error(`URL ${page.url()} does not hold expand=China Mobile`);
    }
    await page.locator('#expand', { hasText: 'Expanded' }).waitFor();
    // Let the layout settle before the picture.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'explorer-expanded.png') });
  });

  await step('date slider before 2017-07-07 removes those partners', async () => {
    const slider = page.locator('#asof');
    await slider.focus();
    await page.keyboard.press('End');
    await page.locator('#asof-label', { hasText: 'latest' }).waitFor();
    // The slider stops on the dates the view changes on: step back to the last one before 2017-07-07.
    let label = 'latest';
    for (let i = 0; i < 50 && (label === 'latest' || label >= '2017-07-07'); i++) {
      await page.keyboard.press('ArrowLeft');
      label = await page.locator('#asof-label').textContent();
    }
    if (label === 'latest' || label >= '2017-07-07') throw new Error(`the slider does not go before 2017-07-07 (it shows ${label})`);
    await page.waitForFunction((label) => new URL(location.href).searchParams.get('asOf') === label, label);
    await waitDrawn(['China Telecom', 'China Mobile'], false);
    await page.screenshot({ path: join(outDir, 'explorer-asof.png') });
  });

  await step('one stop later they are back', async () => {
    await page.keyboard.press('ArrowRight');
    await page.locator('#asof-label', { hasText: '2017-07-07' }).waitFor();
    await waitDrawn(['Ericsson', 'China Telecom', 'China Mobile'], true);
    if (!queries.length) throw new Error('no request of the explorer was seen');
    const articles = queries.filter((q) => /\barticles(Connection)?\b/.test(q));
    if (articles.length) throw new Error(`the explorer asked for articles: ${articles[0].slice(0, 200)}`);
  });

  await step('the URL restores the view in a new tab', async () => {
    const url = page.url();
    const want = (await drawn()).sort();
    const other = await context.newPage();
    other.on('pageerror', (err) => pageErrors.push(err.message));
    await other.goto(url);
    await other.waitForFunction(
      (n) => document.querySelectorAll('#drawn li').length === n && document.querySelector('#status').textContent.includes('entities'),
      want.length,
    );
    const got = (await drawn(other)).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`restored view draws ${got.length} entities, want the ${want.length} of ${url}`);
    const label = await other.locator('#asof-label').textContent();
    if (label !== '2017-07-07') throw new Error(`restored date is ${label}, want 2017-07-07`);
    await other.close();
  });

  await step('relationship and country filters are the server\'s', async () => {
    const asked = (pattern) => page.waitForRequest((req) => req.url().endsWith('/query') && pattern.test(req.postData() ?? ''));
    let req = asked(/"filter":\{"relationKinds":\[[^\]]*\]/);
    await page.locator('#rel-filter input[value="partnership"]').uncheck();
    const body = JSON.parse((await req).postData());
    if (body.variables.filter.relationKinds.includes('partnership')) throw new Error('the filter asks for the hidden kind');
    await waitDrawn(['Bridge Alliance'], false);
    if (new URL(page.url()).searchParams.get('hideRel') !== 'partnership') throw new Error(`URL ${page.url()} does not hold hideRel=partnership`);
    await page.locator('#rel-filter input[value="partnership"]').check();
    await waitDrawn(['Bridge Alliance'], true);
    req = asked(/"filter":\{"country":"China"\}/);
    await page.locator('#country-filter').selectOption('China');
    await req;
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
    await page.waitForFunction(() => {
      const r = document.querySelector('#path-result').getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight - 40;
    });
    for (const name of ['Nokia', 'ZTE']) await waitState(name, 'path');
    const edges = Number(await page.locator('#drawn').getAttribute('data-path-edges'));
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

  await step('a double-click on China Telecom expands it; Centre here re-centres on it', async () => {
    await page.locator('#path-clear').click();
    await page.waitForFunction(() => document.querySelector('#drawn').dataset.pathEdges === '0');
    const pos = await at(entry('China Telecom'));
    await page.mouse.dblclick(pos.x, pos.y);
    await waitState('China Telecom', 'expanded');
    await page.waitForFunction(() => new URL(location.href).searchParams.getAll('expand').includes('China Telecom'));
    await page.locator('#details h2', { hasText: 'China Telecom' }).waitFor();
    await page.locator('#recentre').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('entity') === 'China Telecom');
    await waitState('China Telecom', 'centre');
    if (new URL(page.url()).searchParams.getAll('expand').length) throw new Error(`a re-centred view keeps expansions: ${page.url()}`);
    await waitDrawn(['Ericsson'], true);
  });

  await step('the back button returns to Ericsson', async () => {
    await page.goBack();
    await waitState('Ericsson', 'centre');
    await waitDrawn(['China Telecom', 'China Mobile'], true);
    const label = await page.locator('#search').inputValue();
    if (label !== 'Ericsson') throw new Error(`the search box shows ${label}, want Ericsson`);
  });

  await step('the drawn entities are a list the keyboard reaches: Enter shows one\'s facts', async () => {
    const button = entry('China Telecom').locator('button');
    await button.focus();
    const box = await page.locator('#drawn').boundingBox();
    if (!box || box.width < 100) throw new Error(`the focused list of drawn entities is ${box?.width ?? 0} px wide`);
    await page.keyboard.press('Enter');
    await page.locator('#details h2', { hasText: 'China Telecom' }).waitFor();
    if (!(await page.evaluate(() => document.activeElement?.textContent === 'China Telecom'))) throw new Error('the list lost the focus');
  });

  await step('a failed expansion is named in the status line', async () => {
    await page.goto(`${base}/explore?entity=Ericsson&expand=No+Such+Entity`);
    await page.locator('#status.error', { hasText: 'could not expand No Such Entity' }).waitFor();
    await waitDrawn(['Ericsson', 'China Mobile'], true);
  });

  await step('China Mobile at depth 2: grouped leaves, no overlapping labels, none under 10 px', async () => {
    await page.goto(`${base}/explore?entity=China+Mobile&depth=2`);
    await settled();
    await page.waitForTimeout(300);
    const before = await labelFigures(page);
    console.log(`     China Mobile, depth 2: ${JSON.stringify(before)}`);
    if (before.overlaps !== 0) throw new Error(`${before.overlaps} pairs of drawn labels overlap`);
    if (before.minLabelPx < 10) throw new Error(`a drawn label is ${before.minLabelPx.toFixed(1)} px high`);
    if (!before.groups.length) throw new Error('no leaves are grouped');
    await page.screenshot({ path: join(outDir, 'explorer-large.png') });
    // A group node draws its next page of members.
    const pos = await at(entry('', 'group'));
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction((n) => document.querySelectorAll('#drawn li').length > n, before.nodes);
    await page.waitForTimeout(300);
    const after = await labelFigures(page);
    console.log(`     after opening ${before.groups[0]}: ${JSON.stringify(after)}`);
    if (after.overlaps !== 0) throw new Error(`${after.overlaps} pairs of drawn labels overlap after opening a group`);
  });

  if (generated) {
    await step('a generated 500-node neighbourhood: no overlapping labels, none under 10 px', async () => {
      await page.goto(`${generated}/explore?entity=Company+0&depth=2`);
      await settled();
      await page.waitForTimeout(300);
      const status = await page.locator('#status').textContent();
      const m = await labelFigures(page);
      console.log(`     Company 0 of the generated graph, depth 2 (${status}): ${JSON.stringify({ ...m, groups: m.groups.length })}`);
      if (!/^500 entities/.test(status)) throw new Error(`the generated neighbourhood has ${status}, want 500 entities`);
      if (m.overlaps !== 0) throw new Error(`${m.overlaps} pairs of drawn labels overlap`);
      if (m.minLabelPx < 10) throw new Error(`a drawn label is ${m.minLabelPx.toFixed(1)} px high`);
      await page.screenshot({ path: join(outDir, 'explorer-generated.png') });
    });
  }

  for (const [width, height] of [[390, 844], [1024, 768], [1440, 900]]) {
    await step(`at ${width} px the graph fills its column and nothing scrolls sideways`, async () => {
      const p = await context.newPage();
      p.on('pageerror', (err) => pageErrors.push(err.message));
      await p.setViewportSize({ width, height });
      await p.goto(`${base}/explore?entity=Ericsson`);
      await settled(p);
      await p.waitForTimeout(300);
      const m = await p.evaluate(() => ({
        cy: document.querySelector('#cy').getBoundingClientRect().width,
        cyHeight: document.querySelector('#cy').getBoundingClientRect().height,
        scroll: document.documentElement.scrollWidth,
        inner: innerWidth,
      }));
      if (m.cy <= 0 || m.cyHeight <= 0) throw new Error(`the graph is ${m.cy}×${m.cyHeight} px`);
      if (m.scroll > m.inner) throw new Error(`the page is ${m.scroll} px wide in a ${m.inner} px window`);
      if (width < 760 && m.cy < m.inner - 2) throw new Error(`the graph is ${m.cy} px wide in a ${m.inner} px window`);
      await p.screenshot({ path: join(outDir, `explorer-${width}.png`) });
      if (width < 760) {
        // Facts and filters are drawers: closed at first, opened from the bar.
        if (await p.locator('#details').isVisible()) throw new Error('the facts cover the graph before they are asked for');
        await p.locator('#facts-toggle').click();
        await p.locator('#details h2', { hasText: 'Ericsson' }).waitFor({ state: 'visible' });
        await p.waitForTimeout(300);
        await p.screenshot({ path: join(outDir, `explorer-${width}-facts.png`) });
        await p.locator('#panel .close').click();
        await p.locator('#filters-toggle').click();
        await p.locator('#country-filter').waitFor({ state: 'visible' });
        await p.waitForTimeout(300);
        await p.screenshot({ path: join(outDir, `explorer-${width}-filters.png`) });
        const scroll = await p.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
        if (!scroll) throw new Error('an open drawer makes the page scroll sideways');
      }
      await p.close();
    });
  }

  await step('playground: a saved query loads and runs with one click', async () => {
    await page.goto(`${base}/`);
    await page.locator('.graphiql-container').waitFor();
    // The pane opens with the page; a click on its sidebar button would close it.
    await page.locator('button.saved-query', { hasText: 'As of a date' }).click();
    await page.waitForFunction(() => {
      const text = (document.querySelector('.graphiql-response')?.innerText ?? '').replace(/\u00a0/g, ' ');
      return /"before": \[\]/.test(text) && /"after": \[/.test(text) && text.includes('China Telecom');
    });
    await page.screenshot({ path: join(outDir, 'playground.png') });
  });

  if (offsite.length) {
    run.current = 'offline';
    throw new Error(`the pages asked for other hosts: ${[...new Set(offsite)].join(', ')}`);
  }
  console.log('ok   no request left the server');
} catch (err) {
  console.error(`FAIL ${run.current}: ${err.message.split('\n')[0]}`);
  await page.screenshot({ path: join(outDir, `failure-${run.current.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
