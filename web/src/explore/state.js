// The explorer's state, in one place (`state` below). The part a reader shares, `state.view`,
// lives in the page URL so that a view can be shared or bookmarked:
//
//   /explore?entity=Ericsson&depth=2&asOf=2017-07-06&hideRel=located_in&hideKind=Product
//           &country=China&expand=China+Mobile&expand=ZTE&from=Nokia&to=ZTE
//
// Filters name what is hidden rather than what is shown, so kinds that appear when a node is
// expanded are drawn by default. Entities are named there because the API's lookups take
// names; everything else keys them by id.

import { emptyModel, emptyPath } from './model.js';

const list = (v) => (v ? v.split(',').filter(Boolean) : []);

/** read parses the state from a query string. */
export function read(search) {
  const p = new URLSearchParams(search);
  const depth = Number.parseInt(p.get('depth') ?? '1', 10);
  return {
    entity: p.get('entity') ?? '',
    depth: depth >= 1 && depth <= 3 ? depth : 1,
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(p.get('asOf') ?? '') ? p.get('asOf') : '',
    hideRel: new Set(list(p.get('hideRel'))),
    hideKind: new Set(list(p.get('hideKind'))),
    country: p.get('country') ?? '',
    expanded: p.getAll('expand').filter(Boolean),
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
  };
}

/** write returns the query string of a state, leaving out what is at its default. */
export function write(s) {
  const p = new URLSearchParams();
  if (s.entity) p.set('entity', s.entity);
  if (s.depth !== 1) p.set('depth', String(s.depth));
  if (s.asOf) p.set('asOf', s.asOf);
  if (s.hideRel.size) p.set('hideRel', [...s.hideRel].sort().join(','));
  if (s.hideKind.size) p.set('hideKind', [...s.hideKind].sort().join(','));
  if (s.country) p.set('country', s.country);
  for (const name of s.expanded) p.append('expand', name);
  if (s.from && s.to) {
    p.set('from', s.from);
    p.set('to', s.to);
  }
  const q = p.toString();
  return q ? `?${q}` : '';
}

/**
 * state is the explorer's state, in one place; the other modules read and change this object
 * and nothing else. `view` is the part the URL holds (read, write). The rest is what was fetched
 * for it and what the reader did since, keyed by the API's entity ids; names are only what the
 * URL shows and what the API's lookups take.
 */
export const state = {
  view: read(''),
  // The entities and edges fetched for the view (model.js).
  model: emptyModel(),
  // The path drawn over the model (model.js pathOverlay).
  path: emptyPath(),
  centreId: '',
  // The expanded entities drawn; the URL names them in view.expanded.
  expandedIds: new Set(),
  // The entity whose facts the panel shows.
  selectedId: null,
  // How many members of each group of leaves are drawn (group.js), by group id.
  openGroups: new Map(),
  // The dates of the articles that name the centre and the expanded entities: where the date
  // slider stops (model.js timeline).
  dates: new Set(),
  // The kinds and countries of the whole graph (api.js VOCABULARY), once fetched.
  vocabulary: null,
  // Whether a neighbourhood of the view was cut short by the API's limit.
  truncated: false,
};

/** startOver forgets what the reader did in the view before a new centre is drawn. */
export function startOver() {
  state.view.expanded = [];
  state.expandedIds.clear();
  state.selectedId = null;
  state.openGroups.clear();
  state.dates.clear();
}
