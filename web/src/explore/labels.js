// Which labels to draw: in order of importance (the centre, the selected node, the path,
// expanded nodes, group nodes, the centre's neighbours, then by degree), each label is drawn
// only when its box meets no label drawn before it. Boxes are in model coordinates and labels
// keep a readable size on screen (see labelScale), so zooming out hides the less important
// labels and zooming in brings them back.

/** The smallest label height on screen, in pixels, and the label size at zoom 1. */
export const MIN_LABEL_PX = 11;
export const BASE_LABEL_PX = 12;

/** labelScale is the factor on label sizes at a zoom that keeps them MIN_LABEL_PX high on screen. */
export const labelScale = (zoom) => Math.max(1, MIN_LABEL_PX / (BASE_LABEL_PX * zoom));

/**
 * importance ranks a node for its label: higher first. `n` holds booleans centre, selected,
 * path, expanded, group and neighbour (of the centre), and its degree.
 */
export function importance(n) {
  return (
    (n.centre ? 1e6 : 0) +
    (n.selected ? 5e5 : 0) +
    (n.path ? 2e5 : 0) +
    (n.expanded ? 1e5 : 0) +
    (n.group ? 5e4 : 0) +
    (n.neighbour ? 1e4 : 0) +
    n.degree
  );
}

/** overlap reports whether two boxes ({ x1, y1, x2, y2 }) share an area, `pad` apart. */
export const overlap = (a, b, pad = 0) => a.x1 < b.x2 + pad && b.x1 < a.x2 + pad && a.y1 < b.y2 + pad && b.y1 < a.y2 + pad;

/** overlappingPairs counts the pairs of boxes that overlap. */
export function overlappingPairs(boxes) {
  let count = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i], boxes[j])) count++;
  return count;
}

/**
 * pick chooses the labels to draw from `items` ({ id, box, rank }): the highest rank first, each
 * kept when its box, `pad` wider, meets none kept before. The first item is always kept.
 * @returns {Set<string>} the ids of the labels to draw
 */
export function pick(items, pad = 2) {
  const sorted = [...items].sort((a, b) => b.rank - a.rank);
  const kept = [];
  const ids = new Set();
  for (const it of sorted) {
    if (kept.length && kept.some((k) => overlap(k, it.box, pad))) continue;
    kept.push(it.box);
    ids.add(it.id);
  }
  return ids;
}
