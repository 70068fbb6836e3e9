// How the explorer draws the graph: a colour and a shape per entity kind, a colour, line style
// and arrow per relationship kind, and the Cytoscape stylesheet built from them. Kinds the
// vocabulary gains later fall back to a grey ellipse and a grey solid line.

/** Entity kinds of the dataset's vocabulary: fill colour and Cytoscape node shape. */
export const entityLook = {
  Company: { color: '#2563eb', shape: 'round-rectangle' },
  Division: { color: '#60a5fa', shape: 'round-rectangle' },
  JointVenture: { color: '#7c3aed', shape: 'diamond' },
  GovernmentBody: { color: '#b91c1c', shape: 'octagon' },
  IndustryGroup: { color: '#db2777', shape: 'hexagon' },
  ResearchInstitute: { color: '#0d9488', shape: 'hexagon' },
  Person: { color: '#d97706', shape: 'ellipse' },
  Cable: { color: '#0891b2', shape: 'rhomboid' },
  TerrestrialRoute: { color: '#a16207', shape: 'right-rhomboid' },
  Gateway: { color: '#65a30d', shape: 'tag' },
  DataCenter: { color: '#475569', shape: 'barrel' },
  Exchange: { color: '#16a34a', shape: 'round-tag' },
  Network: { color: '#0ea5e9', shape: 'concave-hexagon' },
  Program: { color: '#c026d3', shape: 'star' },
  Product: { color: '#84cc16', shape: 'cut-rectangle' },
  Publication: { color: '#78716c', shape: 'bottom-round-rectangle' },
  Country: { color: '#ea580c', shape: 'triangle' },
  Province: { color: '#fb923c', shape: 'round-triangle' },
  Region: { color: '#fb923c', shape: 'round-triangle' },
  City: { color: '#f97316', shape: 'pentagon' },
};
const otherEntity = { color: '#9ca3af', shape: 'ellipse' };

/** Relationship kinds: line colour, line style and whether the edge points source → target. */
export const relationLook = {
  partnership: { color: '#16a34a', style: 'solid', arrow: false, width: 3 },
  stake: { color: '#7c3aed', style: 'solid', arrow: true, width: 3 },
  subsidiary: { color: '#2563eb', style: 'solid', arrow: true, width: 3 },
  acquisition: { color: '#b91c1c', style: 'solid', arrow: true, width: 3 },
  supply: { color: '#ea580c', style: 'dashed', arrow: true, width: 2 },
  customer: { color: '#d97706', style: 'dashed', arrow: true, width: 2 },
  build: { color: '#0891b2', style: 'dashed', arrow: true, width: 2 },
  funding: { color: '#a16207', style: 'dashed', arrow: true, width: 2 },
  operates: { color: '#475569', style: 'dashed', arrow: true, width: 2 },
  access: { color: '#0ea5e9', style: 'dashed', arrow: true, width: 2 },
  competitor: { color: '#dc2626', style: 'dashed', arrow: false, width: 2 },
  owns: { color: '#84cc16', style: 'solid', arrow: true, width: 2 },
  position: { color: '#d97706', style: 'solid', arrow: true, width: 2 },
  member: { color: '#db2777', style: 'dotted', arrow: true, width: 2 },
  participates: { color: '#c026d3', style: 'dotted', arrow: true, width: 2 },
  landing: { color: '#0e7490', style: 'dotted', arrow: true, width: 2 },
  uses: { color: '#65a30d', style: 'dotted', arrow: true, width: 2 },
  located_in: { color: '#9ca3af', style: 'dotted', arrow: true, width: 1.5 },
  part_of: { color: '#9ca3af', style: 'dotted', arrow: true, width: 1.5 },
  ranking: { color: '#a8a29e', style: 'dotted', arrow: true, width: 1.5 },
  metric: { color: '#a8a29e', style: 'dotted', arrow: true, width: 1.5 },
  related: { color: '#6b7280', style: 'dotted', arrow: true, width: 1.5 },
};
const otherRelation = { color: '#6b7280', style: 'solid', arrow: true, width: 1.5 };

export const lookOfEntity = (kind) => entityLook[kind] ?? otherEntity;
export const lookOfRelation = (kind) => relationLook[kind] ?? otherRelation;

/**
 * stylesheet returns the Cytoscape stylesheet. `scale()` is the factor on label sizes (see
 * labels.js), read again on each cy.style().update().
 */
export function stylesheet(scale = () => 1) {
  return [
    {
      selector: 'node',
      style: {
        'background-color': (n) => lookOfEntity(n.data('kind')).color,
        shape: (n) => lookOfEntity(n.data('kind')).shape,
        width: 30,
        height: 30,
        label: 'data(name)',
        'font-family': 'system-ui, sans-serif',
        'font-size': (n) => (n.hasClass('centre') ? 14 : 12) * scale(),
        color: '#111827',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': () => 130 * scale(),
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 2,
        'text-background-shape': 'round-rectangle',
        'border-width': 1,
        'border-color': '#ffffff',
      },
    },
    { selector: 'node.centre', style: { width: 46, height: 46, 'font-weight': 'bold', 'border-width': 3, 'border-color': '#111827' } },
    {
      selector: 'node.group',
      style: { width: 38, height: 38, shape: 'ellipse', 'border-width': 3, 'border-style': 'dashed', 'border-color': '#374151', 'font-style': 'italic' },
    },
    { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#6b7280', 'border-style': 'double' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f59e0b', 'border-style': 'solid' } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        width: (e) => lookOfRelation(e.data('kind')).width,
        'line-color': (e) => lookOfRelation(e.data('kind')).color,
        'line-style': (e) => lookOfRelation(e.data('kind')).style,
        'target-arrow-shape': (e) => (lookOfRelation(e.data('kind')).arrow ? 'triangle' : 'none'),
        'target-arrow-color': (e) => lookOfRelation(e.data('kind')).color,
        'arrow-scale': 0.9,
        opacity: 0.85,
      },
    },
    {
      selector: 'edge:selected, edge.path',
      style: {
        label: 'data(kind)',
        'font-size': 11,
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
      },
    },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#f59e0b' } },
    { selector: 'edge.path', style: { width: 6, 'line-color': '#f59e0b', 'target-arrow-color': '#f59e0b', opacity: 1 } },
    { selector: '.faded', style: { opacity: 0.2 } },
    // A label left out to avoid a collision keeps its box (for the next pick) but is not drawn.
    { selector: 'node.quiet', style: { 'text-opacity': 0, 'text-background-opacity': 0 } },
  ];
}
