// The explorer at /explore: search an entity, draw its neighborhood, expand and re-centre,
// filter, move through time, read the evidence and find paths. Everything it shows comes from
// the public GraphQL API (api.js holds the queries). This module wires the others together:
// state.js holds the state, model.js merges what is fetched, graph.js draws it, panels.js,
// slider.js and suggest.js are the controls around it.
import './style.css';
import { gql, neighborhood, filterOf, vocabularyOf, ENTITY, PATH, VOCABULARY } from './api.js';
import { state, read, write, startOver } from './state.js';
import { emptyModel, emptyPath, merge, keepComponent, relationshipCount, pathOverlay } from './model.js';
import { cy, draw, clear, select as selectNode, visible, drawnKinds, onNodes } from './graph.js';
import { status, describeError, detailsMessage, showEntity, flashRelationship, pathMessage, showPath, setDrawer, showFilters } from './panels.js';
import { syncSlider, attachSlider } from './slider.js';
import { attachSuggestions } from './suggest.js';
import { PAGE } from './group.js';

const $ = (sel) => document.querySelector(sel);

Object.assign(state.view, read(location.search));

// The kinds and countries of the graph, asked for once: the filters offer them, and a filter
// that hides a kind names the others to the server.
const vocabulary = gql(VOCABULARY)
  .then((data) => (state.vocabulary = vocabularyOf(data)))
  .catch((err) => {
    status(`kinds and countries: ${describeError(err)}`, { error: true });
    return { entityKinds: [], relationKinds: [], countries: [] };
  });

// filter is the API Filter for the filters chosen (null for none).
async function filter() {
  const v = state.view;
  return filterOf(v, v.hideRel.size || v.hideKind.size ? await vocabulary : null);
}

// saveState writes the view to the URL. A new centre is a new history entry, so the back button
// returns to the previous entity; other changes edit the current entry.
function saveState(newEntry = false) {
  const url = `${location.pathname}${write(state.view)}`;
  if (newEntry) history.pushState(null, '', url);
  else if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  document.title = state.view.entity ? `${state.view.entity} · telegraph explorer` : 'telegraph · explorer';
}

function refreshFilters() {
  showFilters(state.view, drawnKinds(), state.vocabulary?.countries ?? [], () => {
    saveState();
    reload();
  });
}

// ---- loading the view ----------------------------------------------------------------

let loadSeq = 0;

/**
 * reload draws the view the state describes: the centre's neighborhood, then each expanded
 * entity's, all filtered and dated by the server. An expansion that fails is named in the
 * status line.
 */
async function reload(newEntry = false) {
  const seq = ++loadSeq;
  const v = state.view;
  saveState(newEntry);
  if (!v.entity) {
    state.model = emptyModel();
    state.centreId = '';
    clear();
    status('');
    return;
  }
  status(`loading ${v.entity}…`, { alone: cy.nodes().empty() });
  const failed = [];
  let graphs;
  try {
    const f = await filter();
    const opts = { filter: f, asOf: v.asOf };
    graphs = await Promise.all([
      neighborhood(v.entity, { ...opts, depth: v.depth }),
      ...v.expanded.map((name) =>
        neighborhood(name, opts).catch((err) => {
          failed.push(`${name} (${describeError(err)})`);
          return null;
        }),
      ),
    ]);
  } catch (err) {
    if (seq !== loadSeq) return;
    state.model = emptyModel();
    state.centreId = '';
    clear();
    status(
      err.code === 'NOT_FOUND' ? `No entity is called “${v.entity}”: type part of a name or alias and pick a suggestion.` : describeError(err),
      { error: true, alone: true },
    );
    detailsMessage('Search an entity to draw its neighborhood.');
    return;
  }
  if (seq !== loadSeq) return;
  const [main, ...rest] = graphs;
  // Asked for by an alias: the view is named by the canonical name.
  v.entity = main.centre.name;
  $('#search').value = v.entity;
  state.model = emptyModel();
  state.centreId = main.centre.id;
  state.expandedIds.clear();
  state.dates = new Set(main.centre.sources.map((a) => a.date));
  state.truncated = main.truncated;
  merge(state.model, main);
  for (const g of rest) {
    if (!g) continue;
    merge(state.model, g);
    state.expandedIds.add(g.centre.id);
    for (const a of g.centre.sources) state.dates.add(a.date);
    state.truncated ||= g.truncated;
  }
  saveState();
  // An expanded entity that no longer connects to the centre leaves the drawing but stays in the
  // URL, so it comes back when the date moves forward.
  keepComponent(state.model, state.centreId);
  if (!state.model.nodes.has(state.selectedId)) state.selectedId = null;
  state.path = emptyPath();
  draw();
  refreshFilters();
  syncSlider();
  const problems = failed.length ? ` — could not expand ${failed.join(', ')}` : '';
  if (state.model.nodes.size === 0) {
    status(`${v.entity} has no facts ${v.asOf ? `as of ${v.asOf}` : 'in the graph'}${problems}.`, { error: failed.length > 0, alone: true });
  } else {
    const when = v.asOf ? `as of ${v.asOf}` : 'latest';
    const filtered = v.hideRel.size || v.hideKind.size || v.country ? ', filtered' : '';
    const cut = state.truncated ? ' — truncated, more were in reach' : '';
    status(`${state.model.nodes.size} entities, ${relationshipCount(state.model)} relationships (${when}${filtered})${cut}${problems}`, { error: failed.length > 0 });
  }
  showDetails(state.selectedId ?? state.centreId);
  if (v.from && v.to) findPath(false);
}

/** expand adds an entity's one-hop neighborhood to the view. */
async function expand(id) {
  const node = state.model.nodes.get(id);
  if (!node || id === state.centreId || state.expandedIds.has(id)) return;
  const seq = loadSeq;
  status(`expanding ${node.name}…`);
  let g;
  try {
    g = await neighborhood(node.name, { filter: await filter(), asOf: state.view.asOf });
  } catch (err) {
    status(`could not expand ${node.name}: ${describeError(err)}`, { error: true });
    return;
  }
  // A new view was asked for meanwhile.
  if (seq !== loadSeq) return;
  const before = state.model.nodes.size;
  merge(state.model, g);
  state.expandedIds.add(id);
  for (const a of g.centre.sources) state.dates.add(a.date);
  if (!state.view.expanded.includes(g.centre.name)) state.view.expanded.push(g.centre.name);
  saveState();
  draw();
  refreshFilters();
  syncSlider();
  status(`${node.name}: ${state.model.nodes.size - before} more entities; ${state.model.nodes.size} in view`);
  if (state.selectedId === id) showDetails(id);
}

/** openGroup draws the next page of a group of leaves ("show more"). */
function openGroup(id) {
  state.openGroups.set(id, (state.openGroups.get(id) ?? 0) + PAGE);
  draw();
  const g = visible().groups.find((x) => x.id === id);
  const hub = state.model.nodes.get(g?.hub)?.name ?? '';
  if (g) status(`${hub}: ${g.shown} of ${g.members.length} drawn; the rest are behind “${cy.getElementById(id).data('name') ?? ''}”`);
}

/** recentre makes an entity, by name, the centre of a fresh view. */
function recentre(name) {
  state.view.entity = name;
  startOver();
  $('#search').value = name;
  reload(true);
}

// ---- facts panel ---------------------------------------------------------------------

let detailsSeq = 0;

/** select shows an entity's facts and marks it in the drawing. */
function select(id) {
  if (id === state.selectedId && $('#details').dataset.id === id) return;
  state.selectedId = id;
  selectNode(id);
  showDetails(id);
}

/** showDetails fills the facts panel with a drawn entity's facts, by id. */
async function showDetails(id) {
  const name = state.model.nodes.get(id)?.name ?? (id === state.centreId ? state.view.entity : '');
  const box = $('#details');
  box.dataset.id = id ?? '';
  if (!name) {
    detailsMessage('Search an entity to draw its neighborhood.');
    return;
  }
  $('#facts-toggle').textContent = `Facts: ${name}`;
  if (!$('#path-from').value) $('#path-from').value = name;
  const seq = ++detailsSeq;
  let entity;
  try {
    ({ entity } = await gql(ENTITY, { name, filter: await filter(), asOf: state.view.asOf || null }));
  } catch (err) {
    if (seq === detailsSeq) detailsMessage(describeError(err), true);
    return;
  }
  if (seq !== detailsSeq) return;
  if (!entity) {
    detailsMessage(`${name} is not in the graph${state.view.asOf ? ` as of ${state.view.asOf}` : ''}.`);
    return;
  }
  showEntity(
    entity,
    { centre: id === state.centreId, expanded: state.expandedIds.has(id), drawn: state.model.nodes.has(id) },
    {
      expand: () => expand(id),
      recentre,
      pathTo: (to) => {
        $('#path-to').value = to;
        if ($('#path-from').value.trim()) findPath(true);
      },
    },
  );
}

function showRelationship(relationshipId, sourceId) {
  if (!flashRelationship(relationshipId) && state.model.nodes.has(sourceId)) select(sourceId);
}

onNodes({ select, expand, openGroup, showRelationship });

// ---- path between --------------------------------------------------------------------

async function findPath(fromButton = true) {
  const v = state.view;
  const from = fromButton ? $('#path-from').value.trim() : v.from;
  const to = fromButton ? $('#path-to').value.trim() : v.to;
  clearPath();
  if (!from || !to) {
    pathMessage('Choose the two entities to connect.', true);
    return;
  }
  $('#path-from').value = from;
  $('#path-to').value = to;
  v.from = from;
  v.to = to;
  saveState();
  let path;
  try {
    ({ path } = await gql(PATH, { from, to, asOf: v.asOf || null }));
  } catch (err) {
    pathMessage(describeError(err), true);
    return;
  }
  if (!path) {
    pathMessage(`No path of at most 6 relationships links ${from} and ${to}${v.asOf ? ` as of ${v.asOf}` : ''}.`);
    return;
  }
  // Hops may leave the drawn neighborhood: what is missing is drawn with the chain highlighted.
  state.path = pathOverlay(state.model, path);
  draw();
  showPath(path);
}

function clearPath() {
  if (!state.path.nodes.length) return;
  state.path = emptyPath();
  draw();
}

$('#path-go').addEventListener('click', () => findPath(true));
$('#path-clear').addEventListener('click', () => {
  clearPath();
  state.view.from = state.view.to = '';
  $('#path-to').value = '';
  pathMessage('');
  saveState();
});

// ---- export and share ----------------------------------------------------------------

function download(blob, filename) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const fileStem = () => `telegraph-${(state.view.entity || 'graph').replace(/[^\w.-]+/g, '_')}${state.view.asOf ? `-${state.view.asOf}` : ''}`;

$('#export-png').addEventListener('click', async () => {
  const blob = await cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff' });
  download(blob, `${fileStem()}.png`);
});

// The JSON is what Cytoscape draws: the elements with their positions and the stylesheet,
// loadable with cytoscape({ ...json, container }).
$('#export-json').addEventListener('click', () => {
  const json = cy.json();
  json.elements = { nodes: cy.nodes().jsons(), edges: cy.edges().jsons() };
  download(new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' }), `${fileStem()}.json`);
});

$('#share').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    status('link to this view copied');
  } catch {
    status(`link to this view: ${location.href}`);
  }
});

// ---- wiring --------------------------------------------------------------------------

const searchAsOf = { asOf: () => state.view.asOf, onError: (err) => status(describeError(err), { error: true }) };

attachSuggestions($('#search'), $('#search-list'), recentre, searchAsOf);

// Choosing the second entity of a path runs the search.
for (const id of ['#path-from', '#path-to']) {
  const input = $(id);
  attachSuggestions(
    input,
    input.nextElementSibling,
    () => {
      if ($('#path-from').value.trim() && $('#path-to').value.trim()) findPath(true);
    },
    searchAsOf,
  );
}

attachSlider(() => reload());

window.addEventListener('popstate', () => {
  Object.assign(state.view, read(location.search));
  state.selectedId = null;
  state.openGroups.clear();
  syncControls();
  reload();
});

$('#depth').addEventListener('change', (ev) => {
  state.view.depth = Number(ev.target.value);
  reload();
});

window.addEventListener('resize', () => cy.resize());

// On a phone the filters and the facts are drawers (style.css): the bar's buttons open them, ×
// and Escape close them. On wider screens the classes change nothing.
for (const [button, cls] of [['#filters-toggle', 'filters-open'], ['#facts-toggle', 'facts-open']]) {
  $(button).addEventListener('click', () => setDrawer(cls, !document.body.classList.contains(cls)));
}
for (const b of document.querySelectorAll('[data-close]')) b.addEventListener('click', () => setDrawer(b.dataset.close, false));
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') for (const cls of ['filters-open', 'facts-open']) setDrawer(cls, false);
});

// syncControls shows the state in the search box, depth and path inputs and the slider.
function syncControls() {
  $('#search').value = state.view.entity;
  $('#depth').value = String(state.view.depth);
  $('#path-from').value = state.view.from;
  $('#path-to').value = state.view.to;
  syncSlider();
}

syncControls();
refreshFilters();
vocabulary.then(refreshFilters);
reload().then(() => {
  if (!state.view.entity) $('#search').focus();
});
