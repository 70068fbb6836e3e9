// The explorer at /explore: search an entity, draw its neighborhood, expand and re-centre,
// filter, move through time, read the evidence and find paths. Everything it shows comes from
// the public GraphQL API (see api.js for the queries).
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import './style.css';
import { gql, GraphQLError, SEARCH, NEIGHBORHOOD, ENTITY, PATH, ARTICLE_DATES } from './api.js';
import { stylesheet, lookOfEntity, lookOfRelation } from './look.js';
import { read, write } from './state.js';
import { sentence } from './sentence.js';
import { group, PAGE } from './group.js';
import { labelScale, importance, pick } from './labels.js';

const $ = (sel) => document.querySelector(sel);

cytoscape.use(fcose);

const state = read(location.search);

// The label size factor for the current zoom (labels.js); the stylesheet reads it.
let scale = 1;

const cy = cytoscape({
  container: $('#cy'),
  style: stylesheet(() => scale),
  minZoom: 0.2,
  maxZoom: 3,
});

// The graph and its state, for the browser console: a worked example of driving Cytoscape.
window.explorer = { cy, state };

// ---- status line ---------------------------------------------------------------------

function status(text, isError = false) {
  const el = $('#status');
  el.textContent = text;
  el.classList.toggle('error', isError);
  // With nothing drawn the message is the page's main content.
  el.classList.toggle('alone', cy.nodes().empty());
}

// describeError is the one line shown for a failed request: the API's own message (which
// names what to fix, such as an unknown entity) or why the server could not be reached.
function describeError(err) {
  return err instanceof GraphQLError ? err.message : `request failed: ${err.message}`;
}

// ---- URL state -----------------------------------------------------------------------

// saveState writes the state to the URL. A new centre is a new history entry, so the back
// button returns to the previous entity; other changes edit the current entry.
function saveState(newEntry = false) {
  const url = `${location.pathname}${write(state)}`;
  if (newEntry) history.pushState(null, '', url);
  else if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  document.title = state.entity ? `${state.entity} · telegraph explorer` : 'telegraph · explorer';
}

// ---- suggestions ---------------------------------------------------------------------

// attachSuggestions turns a text input followed by a <ul class="suggestions"> into a combobox
// that suggests entities by name or alias as you type; onPick receives the chosen name.
function attachSuggestions(input, list, onPick) {
  let items = [];
  let active = -1;
  let timer = 0;
  let ctrl = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
    else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    const item = items[i];
    if (!item) return;
    input.value = item.name;
    close();
    onPick(item.name);
  };
  const show = (text, results) => {
    items = results;
    list.replaceChildren(
      ...results.map((e, i) => {
        const li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.id = `${list.id || input.id}-opt-${i}`;
        const alias = matchingAlias(e, text);
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = lookOfEntity(e.kind).color;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = e.name;
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = [alias && `“${alias}”`, e.kind, e.country?.name].filter(Boolean).join(' · ');
        li.append(swatch, name, meta);
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          pick(i);
        });
        return li;
      }),
    );
    if (!results.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = `nothing matches “${text}”`;
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(results.length ? 0 : -1);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) return close();
    timer = setTimeout(async () => {
      ctrl?.abort();
      ctrl = new AbortController();
      try {
        const data = await gql(SEARCH, { text, asOf: state.asOf || null }, { signal: ctrl.signal });
        if (input.value.trim() === text) show(text, data.search);
      } catch (err) {
        if (err.name !== 'AbortError') status(describeError(err), true);
      }
    }, 120);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && !list.hidden) {
      highlight(Math.min(active + 1, items.length - 1));
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && !list.hidden) {
      highlight(Math.max(active - 1, 0));
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!list.hidden && active >= 0) pick(active);
      else if (input.value.trim()) {
        close();
        onPick(input.value.trim());
      }
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', close);
}

function matchingAlias(entity, text) {
  const t = text.toLowerCase();
  if (entity.name.toLowerCase().includes(t)) return '';
  return entity.aliases.find((a) => a.toLowerCase().includes(t)) ?? '';
}

// ---- date slider ---------------------------------------------------------------------

const DAY = 86400000;
let firstDay = 0; // the oldest article's date, in days since the epoch
let lastDay = 0; // the newest article's date

const toDay = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
const toISO = (day) => new Date(day * DAY).toISOString().slice(0, 10);

async function setupSlider() {
  const slider = $('#asof');
  try {
    const { articles } = await gql(ARTICLE_DATES);
    const days = articles.map((a) => toDay(a.date));
    // One day before the oldest article shows the empty graph, so the slider can go back to
    // "before anything was known".
    firstDay = Math.min(...days) - 1;
    lastDay = Math.max(...days);
  } catch (err) {
    status(`article dates: ${describeError(err)}`, true);
    return;
  }
  slider.min = '0';
  slider.max = String(lastDay - firstDay);
  syncSlider();
  let timer = 0;
  slider.addEventListener('input', () => {
    const day = firstDay + Number(slider.value);
    state.asOf = day >= lastDay ? '' : toISO(day);
    syncSlider();
    clearTimeout(timer);
    timer = setTimeout(() => reload(), 200);
  });
  $('#asof-latest').addEventListener('click', () => {
    state.asOf = '';
    syncSlider();
    reload();
  });
}

function syncSlider() {
  const slider = $('#asof');
  const day = state.asOf ? toDay(state.asOf) : lastDay;
  slider.value = String(Math.max(0, Math.min(lastDay, day) - firstDay));
  $('#asof-label').textContent = state.asOf || 'latest';
  $('#asof-latest').hidden = !state.asOf;
}

// ---- loading the graph ---------------------------------------------------------------

let loadSeq = 0;

async function fetchNeighborhood(name, depth) {
  const data = await gql(NEIGHBORHOOD, { of: name, depth, asOf: state.asOf || null });
  return { ...data.neighborhood, centre: data.centre };
}

// The entities and relationships fetched for the view, by id: the centre's neighborhood and
// each expanded node's. What is drawn is derived from them by draw().
let model = { nodes: new Map(), edges: new Map() };
// The path found last, drawn over the model: its nodes, the edges the model lacks, and the ids
// of the drawn edges on it.
let pathGraph = { nodes: [], edges: [], pathEdges: [] };
// How many members of each group of leaves are drawn (group.js), by group id.
const openGroups = new Map();
// The ids of the centre and of the expanded entities (which the URL names).
let centreId = '';
const expandedIds = new Set();

function merge(g) {
  for (const n of g.nodes) model.nodes.set(n.id, nodeData(n));
  for (const e of g.edges) model.edges.set(e.id, edgeData(e));
}

function nodeData(n) {
  return { id: n.id, name: n.name, kind: n.kind, country: n.country?.name ?? '' };
}

function edgeData(e) {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    kind: e.kind,
    sourceRole: e.sourceRole,
    targetRole: e.targetRole,
    relationship: e.relationship.id,
  };
}

// keepCentreComponent drops from the model what no longer connects to the centre (a link newer
// than the date, say).
function keepCentreComponent() {
  const adj = new Map([...model.nodes.keys()].map((id) => [id, []]));
  for (const e of model.edges.values()) {
    adj.get(e.source)?.push(e.target);
    adj.get(e.target)?.push(e.source);
  }
  const seen = new Set(model.nodes.has(centreId) ? [centreId] : []);
  const queue = [...seen];
  while (queue.length) {
    for (const m of adj.get(queue.shift()) ?? []) {
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  for (const id of model.nodes.keys()) if (!seen.has(id)) model.nodes.delete(id);
  for (const [id, e] of model.edges) if (!seen.has(e.source) || !seen.has(e.target)) model.edges.delete(id);
}

// view is what to draw: the model with big groups of leaves folded (group.js); the centre, the
// expanded and selected nodes and the path are never folded.
function view() {
  const keep = new Set([centreId, ...expandedIds, ...pathGraph.nodes.map((n) => n.id)]);
  if (selectedId) keep.add(selectedId);
  return group({ nodes: [...model.nodes.values()], edges: [...model.edges.values()] }, { keep, shown: openGroups });
}

// draw makes cy show the view and the path on top of it. Nodes drawn before keep their places
// (moving the date slider should not reshuffle the picture) and new ones start beside a drawn
// neighbour; then come filters, layout and labels. A fresh view is laid out from scratch.
function draw(fresh) {
  const v = view();
  const nodes = new Map(v.nodes.map((n) => [n.id, n]));
  for (const n of pathGraph.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const edges = new Map(v.edges.map((e) => [e.id, e]));
  for (const e of pathGraph.edges) if (!edges.has(e.id)) edges.set(e.id, e);

  const before = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  cy.batch(() => {
    cy.elements().filter((x) => !(x.isNode() ? nodes : edges).has(x.id())).remove();
    const add = [];
    for (const n of nodes.values()) {
      const drawn = cy.getElementById(n.id);
      if (drawn.empty()) add.push({ group: 'nodes', data: { ...n } });
      // A group node drawn before counts fewer members once a page of them is open.
      else if (n.group) drawn.data({ name: n.name, count: n.count });
    }
    for (const e of edges.values()) if (cy.getElementById(e.id).empty()) add.push({ group: 'edges', data: { ...e } });
    cy.add(add);
    cy.elements().removeClass('centre expanded group path faded');
    cy.getElementById(centreId).addClass('centre');
    for (const id of expandedIds) cy.getElementById(id).addClass('expanded');
    cy.nodes().filter((n) => n.data('group')).addClass('group');
    for (const n of pathGraph.nodes) cy.getElementById(n.id).addClass('path');
    for (const id of pathGraph.pathEdges) cy.getElementById(id).addClass('path');
    if (pathGraph.nodes.length) cy.elements().not('.path').addClass('faded');
  });
  const kept = !fresh && placeLikeBefore(before);
  refreshFilters();
  layout(!kept);
  cy.nodes().unselect();
  if (selectedId) cy.getElementById(selectedId).select();
}

// reload draws the view the state describes: the centre's neighborhood, then each expanded
// node's, all as of the chosen date. An expansion that fails is named in the status line.
async function reload(newEntry = false) {
  const seq = ++loadSeq;
  saveState(newEntry);
  if (!state.entity) {
    model = { nodes: new Map(), edges: new Map() };
    cy.elements().remove();
    status('');
    return;
  }
  status(`loading ${state.entity}…`);
  let graphs;
  const failed = [];
  try {
    graphs = await Promise.all([
      fetchNeighborhood(state.entity, state.depth),
      ...state.expanded.map((name) =>
        fetchNeighborhood(name, 1).catch((err) => {
          failed.push(`${name} (${describeError(err)})`);
          return null;
        }),
      ),
    ]);
  } catch (err) {
    if (seq !== loadSeq) return;
    model = { nodes: new Map(), edges: new Map() };
    cy.elements().remove();
    status(
      err.code === 'NOT_FOUND'
        ? `No entity is called “${state.entity}”: type part of a name or alias and pick a suggestion.`
        : describeError(err),
      true,
    );
    showDetails(null);
    return;
  }
  if (seq !== loadSeq) return;
  const [main, ...rest] = graphs;
  if (main.centre && main.centre.name !== state.entity) {
    // Asked for by an alias: the view is named by the canonical name.
    state.entity = main.centre.name;
    $('#search').value = main.centre.name;
    saveState();
  }
  model = { nodes: new Map(), edges: new Map() };
  centreId = main.centre?.id ?? '';
  expandedIds.clear();
  merge(main);
  for (const g of rest) {
    if (!g) continue;
    merge(g);
    if (g.centre) expandedIds.add(g.centre.id);
  }
  // An expanded node that no longer connects to the centre leaves the drawing but stays in the
  // URL, so it comes back when the date moves forward.
  keepCentreComponent();
  if (!model.nodes.has(selectedId)) selectedId = null;
  pathGraph = { nodes: [], edges: [], pathEdges: [] };
  draw(false);
  const truncated = graphs.some((g) => g?.truncated);
  const when = state.asOf ? `as of ${state.asOf}` : 'latest';
  const problems = failed.length ? ` — could not expand ${failed.join(', ')}` : '';
  if (model.nodes.size === 0) {
    status(`${state.entity} has no facts ${state.asOf ? `as of ${state.asOf}` : 'in the graph'}.${problems}`, failed.length > 0);
  } else {
    status(`${model.nodes.size} entities, ${relationshipCount()} relationships (${when})${truncated ? ' — truncated, more were in reach' : ''}${problems}`, failed.length > 0);
  }
  const selected = model.nodes.get(selectedId) ?? model.nodes.get(centreId);
  showDetails(selected?.id ?? null, selected?.name ?? state.entity);
  if (state.from && state.to) findPath(false);
}

// placeLikeBefore puts nodes drawn before at their old positions and the others beside a
// neighbour that was drawn; it reports whether any node kept its place.
function placeLikeBefore(before) {
  let kept = false;
  cy.nodes().forEach((n) => {
    const p = before.get(n.id());
    if (p) {
      n.position(p);
      kept = true;
    }
  });
  if (!kept) return false;
  cy.nodes().forEach((n) => {
    if (before.has(n.id())) return;
    const anchor = n.neighborhood('node').filter((m) => before.has(m.id()))[0];
    const p = anchor ? before.get(anchor.id()) : { x: 0, y: 0 };
    n.position({ x: p.x + (Math.random() - 0.5) * 80, y: p.y + (Math.random() - 0.5) * 80 });
  });
  return true;
}

function relationshipCount() {
  return new Set([...model.edges.values()].map((e) => e.relationship)).size;
}

// layout places the drawn nodes. A fresh view starts from random positions; otherwise the
// layout starts from the current ones, so nodes stay near where the reader last saw them.
function layout(fresh) {
  const visible = cy.elements(':visible');
  if (visible.empty()) return;
  visible
    .layout({
      name: 'fcose',
      quality: 'proof',
      randomize: fresh,
      animate: false,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 12000,
      idealEdgeLength: () => 110,
      nodeSeparation: 90,
    })
    .run();
  placeLabels();
}

// placeLabels sizes the labels for the zoom and draws only those that collide with no more
// important one (labels.js).
function placeLabels() {
  scale = labelScale(cy.zoom());
  cy.style().update();
  const nodes = cy.nodes(':visible');
  const neighbours = cy.getElementById(centreId).neighborhood('node');
  const items = nodes.map((n) => ({
    id: n.id(),
    box: n.boundingBox({ includeLabels: true, includeNodes: false }),
    rank: importance({
      centre: n.hasClass('centre'),
      selected: n.id() === selectedId,
      path: n.hasClass('path'),
      expanded: n.hasClass('expanded'),
      group: n.hasClass('group'),
      neighbour: neighbours.contains(n),
      degree: n.degree(false),
    }),
  }));
  const shown = pick(items);
  cy.batch(() => nodes.forEach((n) => n.toggleClass('quiet', !shown.has(n.id()))));
}

let labelTimer = 0;
cy.on('zoom', () => {
  clearTimeout(labelTimer);
  labelTimer = setTimeout(placeLabels, 120);
});

// expand adds a node's one-hop neighborhood to the view; on a group node it draws the next
// page of the group's members ("show more").
async function expand(node) {
  if (node.hasClass('group')) {
    const id = node.id();
    openGroups.set(id, (openGroups.get(id) ?? 0) + PAGE);
    draw(false);
    const g = view().groups.find((x) => x.id === id);
    const hub = model.nodes.get(node.data('hub'))?.name ?? '';
    if (g) status(`${hub}: ${g.shown} of ${g.members.length} drawn; the rest are behind “${cy.getElementById(id).data('name') ?? ''}”`);
    return;
  }
  const name = node.data('name');
  if (node.hasClass('expanded') || node.hasClass('centre')) return;
  status(`expanding ${name}…`);
  let g;
  try {
    g = await fetchNeighborhood(name, 1);
  } catch (err) {
    status(`could not expand ${name}: ${describeError(err)}`, true);
    return;
  }
  const before = model.nodes.size;
  merge(g);
  expandedIds.add(node.id());
  if (!state.expanded.includes(name)) state.expanded.push(name);
  saveState();
  draw(false);
  status(`${name}: ${model.nodes.size - before} more entities; ${model.nodes.size} in view`);
}

// recentre makes the node the centre of a fresh view.
function recentre(name) {
  state.entity = name;
  state.expanded = [];
  selectedId = null;
  openGroups.clear();
  $('#search').value = name;
  reload(true);
}

let tapTimer = 0;
cy.on('tap', 'node', (ev) => {
  const node = ev.target;
  // A double-click re-centres; wait a moment so its first click does not expand as well.
  clearTimeout(tapTimer);
  tapTimer = setTimeout(() => {
    if (!node.hasClass('group')) showDetails(node.id(), node.data('name'));
    expand(node);
  }, 250);
});
cy.on('dbltap', 'node', (ev) => {
  clearTimeout(tapTimer);
  if (!ev.target.hasClass('group')) recentre(ev.target.data('name'));
});
cy.on('tap', 'edge', (ev) => showRelationship(ev.target));

// ---- filters -------------------------------------------------------------------------

// refreshFilters rebuilds the filter lists (which double as the legend) from what is drawn and
// applies them.
function refreshFilters() {
  const rels = [...new Set(cy.edges().map((e) => e.data('kind')))].sort();
  const kinds = [...new Set(cy.nodes().map((n) => n.data('kind')))].sort();
  const countries = [...new Set(cy.nodes().map((n) => n.data('country')).filter(Boolean))];
  if (state.country && !countries.includes(state.country)) countries.push(state.country);
  countries.sort();

  $('#rel-filter').replaceChildren(
    ...rels.map((k) =>
      checkItem(k, !state.hideRel.has(k), lineSwatch(k), (on) => {
        on ? state.hideRel.delete(k) : state.hideRel.add(k);
        applyFilters();
      }),
    ),
  );
  $('#kind-filter').replaceChildren(
    ...kinds.map((k) =>
      checkItem(k, !state.hideKind.has(k), shapeSwatch(k), (on) => {
        on ? state.hideKind.delete(k) : state.hideKind.add(k);
        applyFilters();
      }),
    ),
  );
  const sel = $('#country-filter');
  sel.replaceChildren(new Option('any country', ''), ...countries.map((c) => new Option(c, c)));
  sel.value = state.country;
  applyFilters(false);
}

function checkItem(label, checked, swatch, onChange) {
  const li = document.createElement('li');
  const lab = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = checked;
  box.value = label;
  box.addEventListener('change', () => onChange(box.checked));
  const text = document.createElement('span');
  text.textContent = label;
  lab.append(box, swatch, text);
  li.append(lab);
  return li;
}

function lineSwatch(kind) {
  const l = lookOfRelation(kind);
  const s = document.createElement('span');
  s.className = 'line';
  s.style.borderTop = `${Math.max(2, l.width)}px ${l.style} ${l.color}`;
  return s;
}

function shapeSwatch(kind) {
  const l = lookOfEntity(kind);
  const s = document.createElement('span');
  s.className = `shape shape-${l.shape}`;
  s.style.background = l.color;
  s.title = l.shape;
  return s;
}

$('#country-filter').addEventListener('change', (ev) => {
  state.country = ev.target.value;
  applyFilters();
});

// applyFilters hides what the filters leave out: entities of hidden kinds or outside the chosen
// country, relationships of hidden kinds, and the entities left with nothing drawn to them.
// The centre always stays.
function applyFilters(relayout = true) {
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    const keep = (n) =>
      n.hasClass('centre') ||
      n.hasClass('path') ||
      (!state.hideKind.has(n.data('kind')) && (!state.country || n.data('country') === state.country || n.data('name') === state.country));
    cy.nodes().forEach((n) => {
      if (!keep(n)) n.addClass('filtered');
    });
    cy.edges().forEach((e) => {
      if (e.hasClass('path')) return;
      if (state.hideRel.has(e.data('kind')) || e.source().hasClass('filtered') || e.target().hasClass('filtered')) e.addClass('filtered');
    });
    cy.nodes().forEach((n) => {
      if (n.hasClass('centre') || n.hasClass('path') || n.hasClass('filtered')) return;
      if (n.connectedEdges().filter((e) => !e.hasClass('filtered')).empty()) n.addClass('filtered');
    });
  });
  saveState();
  if (relayout) layout(false);
}

// ---- side panel ----------------------------------------------------------------------

// The entity whose facts the panel shows, by id.
let selectedId = null;
let detailsSeq = 0;

function el(tag, { dataset, ...props } = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  Object.assign(e.dataset, dataset);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

function evidenceList(evidence) {
  return el(
    'ul',
    { className: 'evidence' },
    ...evidence.map((ev) =>
      el(
        'li',
        {},
        el('blockquote', {}, ev.quote),
        el(
          'cite',
          {},
          // Only web addresses become links: a javascript: URL in the data must not run.
          /^https?:\/\//i.test(ev.article.url ?? '') ? el('a', { href: ev.article.url, target: '_blank', rel: 'noopener' }, ev.article.title) : ev.article.title,
          ` · ${ev.article.date}`,
        ),
      ),
    ),
  );
}

// showDetails shows an entity's facts in the panel: `id` is its node (null for none drawn),
// `name` what the API is asked for.
async function showDetails(id, name = model.nodes.get(id)?.name) {
  selectedId = id;
  const box = $('#details');
  cy.nodes().unselect();
  if (!name) {
    box.replaceChildren(el('p', { className: 'empty' }, 'Search an entity to draw its neighborhood.'));
    return;
  }
  if (id) cy.getElementById(id).select();
  $('#facts-toggle').textContent = `Facts: ${name}`;
  if (!$('#path-from').value) $('#path-from').value = name;
  const seq = ++detailsSeq;
  let entity;
  try {
    ({ entity } = await gql(ENTITY, { name, asOf: state.asOf || null }));
  } catch (err) {
    if (seq === detailsSeq) box.replaceChildren(el('p', { className: 'error' }, describeError(err)));
    return;
  }
  if (seq !== detailsSeq) return;
  if (!entity) {
    box.replaceChildren(el('p', { className: 'empty' }, `${name} is not in the graph${state.asOf ? ` as of ${state.asOf}` : ''}.`));
    return;
  }
  const facts = el('dl', { className: 'facts' });
  const fact = (k, v) => v && facts.append(el('dt', {}, k), el('dd', {}, v));
  fact('kind', entity.kind);
  fact('also called', entity.aliases.join(', '));
  fact('formerly', entity.formerNames.join(', '));
  fact('country', entity.country?.name);
  fact('city', entity.city?.name);

  const rels = entity.relationships.filter((r) => !state.hideRel.has(r.relation));
  // replaceChildren would draw a null as the text "null".
  const parts = [
    el(
      'h2',
      {},
      el('span', { className: 'swatch', style: `background:${lookOfEntity(entity.kind).color}` }),
      entity.name,
    ),
    entity.description ? el('p', { className: 'description' }, entity.description) : null,
    facts,
    el(
      'div',
      { className: 'row' },
      entity.name === state.entity ? null : el('button', { type: 'button', onclick: () => recentre(entity.name) }, 'Centre here'),
      el(
        'button',
        {
          type: 'button',
          onclick: () => {
            $('#path-to').value = entity.name;
            if ($('#path-from').value.trim()) findPath(true);
          },
        },
        'Path to here',
      ),
    ),
    el('h3', {}, `Facts (${rels.length})`),
    el(
      'ul',
      { className: 'relationships' },
      ...rels.map((r) =>
        el(
          'li',
          { className: 'relationship', dataset: { id: r.id } },
          el('span', { className: 'rel-kind', style: `border-color:${lookOfRelation(r.relation).color}` }, r.relation),
          ' ',
          el(
            'span',
            { className: 'sentence' },
            ...sentence(r, entity.id).map((part) =>
              typeof part === 'string'
                ? part
                : part.self
                  ? el('strong', {}, part.entity.name)
                  : el('a', { href: '#', onclick: (e) => (e.preventDefault(), recentre(part.entity.name)) }, part.entity.name),
            ),
          ),
          r.attributes.length ? el('div', { className: 'attrs' }, r.attributes.map((a) => `${a.key}: ${a.value}`).join(' · ')) : null,
          evidenceList(r.evidence),
        ),
      ),
    ),
  ];
  box.replaceChildren(...parts.filter(Boolean));
}

function showRelationship(edge) {
  const id = edge.data('relationship');
  const item = document.querySelector(`#details li.relationship[data-id="${CSS.escape(id)}"]`);
  if (item) {
    item.scrollIntoView({ block: 'nearest' });
    item.classList.add('flash');
    setTimeout(() => item.classList.remove('flash'), 1200);
  } else if (!edge.source().hasClass('group')) {
    showDetails(edge.source().id());
  }
}

// ---- path between --------------------------------------------------------------------

async function findPath(fromButton = true) {
  const from = fromButton ? $('#path-from').value.trim() : state.from;
  const to = fromButton ? $('#path-to').value.trim() : state.to;
  const out = $('#path-result');
  clearPath();
  if (!from || !to) {
    out.replaceChildren(el('p', { className: 'error' }, 'Choose the two entities to connect.'));
    return;
  }
  $('#path-from').value = from;
  $('#path-to').value = to;
  state.from = from;
  state.to = to;
  saveState();
  let path;
  try {
    ({ path } = await gql(PATH, { from, to, asOf: state.asOf || null }));
  } catch (err) {
    out.replaceChildren(el('p', { className: 'error' }, describeError(err)));
    return;
  }
  if (!path) {
    out.replaceChildren(el('p', {}, `No path of at most 6 relationships links ${from} and ${to}${state.asOf ? ` as of ${state.asOf}` : ''}.`));
    return;
  }
  // Hops may leave the drawn neighborhood: what is missing is drawn with the chain highlighted.
  const next = { nodes: [], edges: [], pathEdges: [] };
  const seen = new Set();
  path.hops.forEach((hop, i) => {
    for (const n of [hop.from, hop.to]) if (!seen.has(n.id)) seen.add(n.id), next.nodes.push(nodeData(n));
    const same = [...model.edges.values()].filter(
      (e) =>
        e.relationship === hop.relationship.id &&
        ((e.source === hop.from.id && e.target === hop.to.id) || (e.source === hop.to.id && e.target === hop.from.id)),
    );
    if (same.length) next.pathEdges.push(...same.map((e) => e.id));
    else {
      const id = `path-${i}-${hop.relationship.id}`;
      next.edges.push({ id, source: hop.from.id, target: hop.to.id, kind: hop.kind, relationship: hop.relationship.id });
      next.pathEdges.push(id);
    }
  });
  pathGraph = next;
  draw(false);
  out.replaceChildren(
    el('p', {}, `${path.length} hop${path.length === 1 ? '' : 's'}:`),
    el(
      'ol',
      { className: 'hops' },
      ...path.hops.map((h) => el('li', {}, el('strong', {}, h.from.name), ` —${h.kind}→ `, el('strong', {}, h.to.name), evidenceList(h.evidence))),
    ),
  );
  // The result sits below the facts: bring it into view, opening the facts sheet on a phone.
  setDrawer('facts-open', true);
  out.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function clearPath() {
  if (!pathGraph.nodes.length) return;
  pathGraph = { nodes: [], edges: [], pathEdges: [] };
  draw(false);
}

$('#path-go').addEventListener('click', () => findPath(true));
$('#path-clear').addEventListener('click', () => {
  clearPath();
  state.from = state.to = '';
  $('#path-to').value = '';
  $('#path-result').replaceChildren();
  applyFilters();
});

// ---- export and share ----------------------------------------------------------------

function download(blob, filename) {
  const a = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const fileStem = () => `telegraph-${(state.entity || 'graph').replace(/[^\w.-]+/g, '_')}${state.asOf ? `-${state.asOf}` : ''}`;

$('#export-png').addEventListener('click', async () => {
  const blob = await cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff' });
  download(blob, `${fileStem()}.png`);
});

// The JSON is what Cytoscape draws: the visible elements with their positions and the
// stylesheet, loadable with cytoscape({ ...json, container }).
$('#export-json').addEventListener('click', () => {
  const json = cy.json();
  const visible = cy.elements(':visible');
  json.elements = { nodes: visible.nodes().jsons(), edges: visible.edges().jsons() };
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

attachSuggestions($('#search'), $('#search-list'), (name) => {
  state.entity = name;
  state.expanded = [];
  selectedId = null;
  openGroups.clear();
  reload(true);
});

window.addEventListener('popstate', () => {
  Object.assign(state, read(location.search));
  selectedId = null;
  openGroups.clear();
  syncControls();
  syncSlider();
  reload();
});
// Choosing the second entity of a path runs the search.
for (const id of ['#path-from', '#path-to']) {
  const input = $(id);
  attachSuggestions(input, input.nextElementSibling, () => {
    if ($('#path-from').value.trim() && $('#path-to').value.trim()) findPath(true);
  });
}

$('#depth').addEventListener('change', (ev) => {
  state.depth = Number(ev.target.value);
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

function setDrawer(cls, open) {
  document.body.classList.toggle(cls, open);
  $(cls === 'filters-open' ? '#filters-toggle' : '#facts-toggle').setAttribute('aria-expanded', String(open));
}

// syncControls shows the state in the search box, depth and path inputs.
function syncControls() {
  $('#search').value = state.entity;
  $('#depth').value = String(state.depth);
  $('#path-from').value = state.from;
  $('#path-to').value = state.to;
}

async function main() {
  syncControls();
  await setupSlider();
  await reload();
  if (!state.entity) $('#search').focus();
}

main();
