// Drawing: the Cytoscape graph of what state.js holds, its layout, which labels it draws
// (labels.js), and the list of drawn entities beside it (#drawn), which screen readers and the
// keyboard use and which says in data attributes where each entity and its label are.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { stylesheet } from './look.js';
import { group } from './group.js';
import { labelScale, importance, pick } from './labels.js';
import { state } from './state.js';

cytoscape.use(fcose);

// The label size factor for the current zoom (labels.js); the stylesheet reads it.
let scale = 1;

export const cy = cytoscape({
  container: document.querySelector('#cy'),
  style: stylesheet(() => scale),
  minZoom: 0.2,
  maxZoom: 3,
});

const list = document.querySelector('#drawn');

/**
 * visible is what to draw: the model with big groups of leaves folded (group.js); the centre,
 * the expanded and selected entities and the path are never folded.
 */
export function visible() {
  const keep = new Set([state.centreId, ...state.expandedIds, ...state.path.nodes.map((n) => n.id)]);
  if (state.selectedId) keep.add(state.selectedId);
  return group({ nodes: [...state.model.nodes.values()], edges: [...state.model.edges.values()] }, { keep, shown: state.openGroups });
}

/**
 * draw makes the graph show the state: the visible model and the path on top of it. Entities
 * drawn before keep their places (moving the date slider should not reshuffle the picture) and
 * new ones start beside a drawn neighbour; a fresh view is laid out from scratch.
 */
export function draw(fresh = false) {
  const v = visible();
  const nodes = new Map(v.nodes.map((n) => [n.id, n]));
  for (const n of state.path.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const edges = new Map(v.edges.map((e) => [e.id, e]));
  for (const e of state.path.edges) if (!edges.has(e.id)) edges.set(e.id, e);

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
    cy.getElementById(state.centreId).addClass('centre');
    for (const id of state.expandedIds) cy.getElementById(id).addClass('expanded');
    cy.nodes().filter((n) => n.data('group')).addClass('group');
    for (const n of state.path.nodes) cy.getElementById(n.id).addClass('path');
    for (const id of state.path.pathEdges) cy.getElementById(id).addClass('path');
    if (state.path.nodes.length) cy.elements().not('.path').addClass('faded');
  });
  cy.nodes().unselect();
  if (state.selectedId) cy.getElementById(state.selectedId).select();
  const kept = !fresh && placeLikeBefore(before);
  layout(!kept);
}

/** clear removes everything drawn. */
export function clear() {
  cy.elements().remove();
  publish();
}

/** select marks the entity the facts panel shows (null for none) and draws its label. */
export function select(id) {
  cy.nodes().unselect();
  if (id) cy.getElementById(id).select();
  placeLabels();
}

/** drawnKinds lists the relationship and entity kinds drawn, for the legend. */
export function drawnKinds() {
  return {
    relationKinds: new Set(cy.edges().map((e) => e.data('kind'))),
    entityKinds: new Set(cy.nodes().map((n) => n.data('kind'))),
  };
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

// layout places the drawn nodes. A fresh view starts from random positions; otherwise the
// layout starts from the current ones, so nodes stay near where the reader last saw them.
function layout(fresh) {
  if (cy.nodes().empty()) {
    publish();
    return;
  }
  cy.layout({
    name: 'fcose',
    // Past a few hundred nodes the proof quality costs seconds for little gain.
    quality: cy.nodes().length > 200 ? 'default' : 'proof',
    randomize: fresh,
    animate: false,
    fit: true,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    nodeRepulsion: () => 12000,
    idealEdgeLength: () => 110,
    nodeSeparation: 90,
  }).run();
  placeLabels();
}

// placeLabels sizes the labels for the zoom and draws only those that collide with no more
// important one (labels.js).
function placeLabels() {
  scale = labelScale(cy.zoom());
  cy.style().update();
  const nodes = cy.nodes();
  const neighbours = cy.getElementById(state.centreId).neighborhood('node');
  const items = nodes.map((n) => ({
    id: n.id(),
    box: n.boundingBox({ includeLabels: true, includeNodes: false }),
    rank: importance({
      centre: n.hasClass('centre'),
      selected: n.id() === state.selectedId,
      path: n.hasClass('path'),
      expanded: n.hasClass('expanded'),
      group: n.hasClass('group'),
      neighbour: neighbours.contains(n),
      degree: n.degree(false),
    }),
  }));
  const shown = pick(items);
  cy.batch(() => nodes.forEach((n) => n.toggleClass('quiet', !shown.has(n.id()))));
  publish();
}

let viewportTimer = 0;
cy.on('viewport', () => {
  clearTimeout(viewportTimer);
  viewportTimer = setTimeout(placeLabels, 120);
});

// The handlers of the graph's nodes and of the list's entries (onNodes).
let handlers = { select() {}, expand() {}, openGroup() {}, showRelationship() {} };

/**
 * onNodes says what the reader's gestures do: `select(id)` on a click or tap of an entity (or
 * Enter on its entry in the list), `expand(id)` on a double-click, `openGroup(id)` on a click of
 * a group node, `showRelationship(relationshipId, sourceId)` on a click of an edge. A click acts
 * at once: a double-click is a click, which selects, and then an expansion.
 */
export function onNodes(h) {
  handlers = h;
}

cy.on('tap', 'node', (ev) => {
  const n = ev.target;
  if (n.hasClass('group')) handlers.openGroup(n.id());
  else handlers.select(n.id());
});
cy.on('dbltap', 'node', (ev) => {
  if (!ev.target.hasClass('group')) handlers.expand(ev.target.id());
});
cy.on('tap', 'edge', (ev) => handlers.showRelationship(ev.target.data('relationship'), ev.target.source().id()));

// publish lists the drawn entities in #drawn, in drawing order, each as a button that selects
// it (or opens its group). Each entry says, in data attributes, what the picture shows of it:
// `data-state` (centre, expanded, group, path), its rendered centre in `data-x`/`data-y` and its
// label's rendered box `data-label-box` ("x1 y1 x2 y2"), screen height `data-label-px` and
// whether it is drawn (`data-label`, shown or hidden), all in pixels from the graph's corner.
// The list's own `data-edges` and `data-path-edges` count the edges drawn.
function publish() {
  if (!list) return;
  // The entry that has the focus keeps it through the rebuild.
  const focused = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
  const zoom = cy.zoom();
  const round = (v) => Math.round(v * 10) / 10;
  list.replaceChildren(
    ...cy.nodes().map((n) => {
      const li = document.createElement('li');
      const p = n.renderedPosition();
      const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
      li.dataset.id = n.id();
      li.dataset.kind = n.data('kind');
      li.dataset.state = ['centre', 'expanded', 'group', 'path'].filter((c) => n.hasClass(c)).join(' ');
      li.dataset.x = String(round(p.x));
      li.dataset.y = String(round(p.y));
      li.dataset.label = n.hasClass('quiet') ? 'hidden' : 'shown';
      li.dataset.labelBox = [b.x1, b.y1, b.x2, b.y2].map(round).join(' ');
      li.dataset.labelPx = String(round(parseFloat(n.style('font-size')) * zoom));
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = n.data('name');
      button.addEventListener('click', () => (n.hasClass('group') ? handlers.openGroup(n.id()) : handlers.select(n.id())));
      li.append(button);
      return li;
    }),
  );
  if (focused) list.querySelector(`li[data-id="${CSS.escape(focused)}"] button`)?.focus();
  list.dataset.edges = String(cy.edges().length);
  list.dataset.pathEdges = String(cy.edges('.path').length);
}
