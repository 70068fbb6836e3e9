// The explorer's state lives in the page URL so that a view can be shared or bookmarked:
//
//   /explore?entity=Ericsson&depth=2&asOf=2017-07-06&hideRel=located_in&hideKind=Product
//           &country=China&expand=China+Mobile&expand=ZTE&from=Nokia&to=ZTE
//
// Filters name what is hidden rather than what is shown, so kinds that appear when a node is
// expanded are drawn by default.

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
