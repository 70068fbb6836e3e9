// What the explorer fetched, as plain data keyed by the API's ids: entities and relationship
// edges merged from the neighbourhoods of the centre and of the expanded entities, the path
// drawn over them, and the dates the slider steps through. Pure functions, tested by
// test/model.test.js; the state they work on lives in state.js.

/** emptyModel is a model with nothing fetched. */
export const emptyModel = () => ({ nodes: new Map(), edges: new Map() });

/** emptyPath is the path overlay with no path. */
export const emptyPath = () => ({ nodes: [], edges: [], pathEdges: [] });

/** nodeData is what the drawing keeps of an API entity. */
export function nodeData(n) {
  return { id: n.id, name: n.name, kind: n.kind, country: n.country?.name ?? '' };
}

/** edgeData is what the drawing keeps of an API edge. */
export function edgeData(e) {
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

/** merge adds a neighbourhood's entities and edges (API `Graph`) to the model. */
export function merge(model, graph) {
  for (const n of graph.nodes) model.nodes.set(n.id, nodeData(n));
  for (const e of graph.edges) model.edges.set(e.id, edgeData(e));
}

/**
 * keepComponent drops from the model what no longer connects to `centreId` (an expanded entity
 * whose link to the view is newer than the date, say).
 */
export function keepComponent(model, centreId) {
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

/** relationshipCount is the number of relationships the model's edges draw. */
export const relationshipCount = (model) => new Set([...model.edges.values()].map((e) => e.relationship)).size;

/**
 * pathOverlay is what a path (API `Path`) adds to the drawing: its entities, an edge for each hop
 * the model has no edge for, and the ids of the drawn edges on the path.
 */
export function pathOverlay(model, path) {
  const out = emptyPath();
  const seen = new Set();
  path.hops.forEach((hop, i) => {
    for (const n of [hop.from, hop.to]) {
      if (!seen.has(n.id)) {
        seen.add(n.id);
        out.nodes.push(nodeData(n));
      }
    }
    const same = [...model.edges.values()].filter(
      (e) =>
        e.relationship === hop.relationship.id &&
        ((e.source === hop.from.id && e.target === hop.to.id) || (e.source === hop.to.id && e.target === hop.from.id)),
    );
    if (same.length) out.pathEdges.push(...same.map((e) => e.id));
    else {
      const id = `path-${i}-${hop.relationship.id}`;
      out.edges.push({ id, source: hop.from.id, target: hop.to.id, kind: hop.kind, relationship: hop.relationship.id });
      out.pathEdges.push(id);
    }
  });
  return out;
}

const DAY = 86400000;

/** dayBefore is the ISO date one day before `iso`. */
export const dayBefore = (iso) => new Date(Date.parse(`${iso}T00:00:00Z`) - DAY).toISOString().slice(0, 10);

/**
 * timeline is the list of dates the date slider steps through, oldest first, ending with ''
 * for "latest": the day before the first of `dates` (the view as it stood before anything in
 * it was known), each distinct date of `dates` (the days the view changes), and `asOf` when it
 * is none of them (a shared link's date). Empty when there are no dates.
 */
export function timeline(dates, asOf = '') {
  const days = new Set(dates);
  if (!days.size) return asOf ? [asOf, ''] : [];
  days.add(dayBefore([...days].sort()[0]));
  if (asOf) days.add(asOf);
  return [...[...days].sort(), ''];
}
