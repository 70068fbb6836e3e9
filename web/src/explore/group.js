// Grouping the leaves of a hub: when a node has more than `threshold` neighbours of one kind that
// connect to nothing else, they are drawn as one node ("24 products") that opens a page at a
// time, so a big neighbourhood stays readable and one expansion never floods the drawing.

/** The defaults: a kind's leaves are grouped beyond THRESHOLD, and a group opens PAGE at a time. */
export const THRESHOLD = 4;
export const PAGE = 8;

/** groupId names the group of the leaves of one kind around a hub. */
export const groupId = (hub, kind) => `group:${hub}:${kind}`;

/**
 * group returns the graph to draw: `graph` ({ nodes: [{ id, name, kind }], edges: [{ id,
 * source, target, kind }] }) with the leaves of big groups replaced by one group node each, and
 * the groups found. A leaf is a node with one neighbour, its hub, that is not in `keep` (the
 * centre, expanded nodes, the path: never hidden in a group). `shown` maps a group's id to how
 * many of its members are drawn (by name order); the rest stay behind the group node, named
 * "N products" or, once some are shown, "N more products". Group nodes carry `group: true`,
 * `count` and `hub`; each has one edge to its hub, of the members' most common relationship kind.
 * @returns {{ nodes: object[], edges: object[], groups: { id: string, hub: string, kind: string, members: string[], shown: number }[] }}
 */
export function group(graph, { keep = new Set(), shown = new Map(), threshold = THRESHOLD } = {}) {
  const neighbours = new Map(graph.nodes.map((n) => [n.id, new Set()]));
  for (const e of graph.edges) {
    if (e.source === e.target) continue;
    neighbours.get(e.source)?.add(e.target);
    neighbours.get(e.target)?.add(e.source);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // Leaves by hub and kind.
  const buckets = new Map();
  for (const n of graph.nodes) {
    const nb = neighbours.get(n.id);
    if (keep.has(n.id) || nb.size !== 1) continue;
    const [hub] = nb;
    // Two leaves of each other (a pair alone) are no hub and leaf.
    if (neighbours.get(hub).size === 1 && !keep.has(hub)) continue;
    const id = groupId(hub, n.kind);
    if (!buckets.has(id)) buckets.set(id, { id, hub, kind: n.kind, members: [] });
    buckets.get(id).members.push(n);
  }
  const hidden = new Set();
  const groups = [];
  const nodes = [];
  const edges = [];
  for (const b of buckets.values()) {
    if (b.members.length <= threshold) continue;
    b.members.sort((x, y) => x.name.localeCompare(y.name));
    const open = Math.min(shown.get(b.id) ?? 0, b.members.length);
    const rest = b.members.slice(open);
    for (const m of rest) hidden.add(m.id);
    groups.push({ id: b.id, hub: b.hub, kind: b.kind, members: b.members.map((m) => m.id), shown: open });
    if (!rest.length) continue;
    nodes.push({
      id: b.id,
      name: `${rest.length} ${open ? 'more ' : ''}${plural(b.kind, rest.length)}`,
      kind: b.kind,
      country: '',
      group: true,
      count: rest.length,
      hub: b.hub,
    });
    const kinds = new Map();
    const restIds = new Set(rest.map((m) => m.id));
    for (const e of graph.edges) {
      if (restIds.has(e.source) || restIds.has(e.target)) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    }
    const kind = [...kinds].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0] ?? 'related';
    edges.push({ id: `${b.id}:edge`, source: b.hub, target: b.id, kind, group: true });
  }
  return {
    nodes: [...graph.nodes.filter((n) => !hidden.has(n.id) && byId.has(n.id)), ...nodes],
    edges: [...graph.edges.filter((e) => !hidden.has(e.source) && !hidden.has(e.target)), ...edges],
    groups,
  };
}

// Entity kinds whose plural is not the word plus "s".
const irregular = { Person: 'people', Country: 'countries', City: 'cities', GovernmentBody: 'government bodies', Company: 'companies' };

/** plural names `count` entities of a kind in words: "1 product", "24 products", "3 data centers". */
export function plural(kind, count) {
  const words = kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (count === 1) return words;
  if (irregular[kind]) return irregular[kind];
  if (/[^aeiou]y$/.test(words)) return `${words.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(words)) return `${words}es`;
  return `${words}s`;
}
