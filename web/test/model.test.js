import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyModel, merge, keepComponent, pathOverlay, relationshipCount, timeline, dayBefore } from '../src/explore/model.js';

const node = (id, name = id) => ({ id, name, kind: 'Company', country: null });
const edge = (id, source, target, relationship = id) => ({ id, source, target, kind: 'partnership', sourceRole: 'party', targetRole: 'party', relationship: { id: relationship } });

test('merge keys entities and edges by id, so a second neighbourhood adds only what is new', () => {
  const m = emptyModel();
  merge(m, { nodes: [node('a'), node('b')], edges: [edge('ab', 'a', 'b')] });
  merge(m, { nodes: [node('b', 'B renamed'), node('c')], edges: [edge('ab', 'a', 'b'), edge('bc', 'b', 'c')] });
  assert.deepEqual([...m.nodes.keys()], ['a', 'b', 'c']);
  assert.equal(m.nodes.get('b').name, 'B renamed');
  assert.deepEqual(m.nodes.get('a'), { id: 'a', name: 'a', kind: 'Company', country: '' });
  assert.equal(m.edges.size, 2);
  assert.equal(m.edges.get('bc').relationship, 'bc');
});

test('two entities of the same name stay two entities', () => {
  const m = emptyModel();
  merge(m, { nodes: [node('x1', 'Same'), node('x2', 'Same')], edges: [] });
  assert.equal(m.nodes.size, 2);
});

test('keepComponent drops what no longer reaches the centre', () => {
  const m = emptyModel();
  merge(m, { nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)), edges: [edge('ab', 'a', 'b'), edge('cd', 'c', 'd')] });
  keepComponent(m, 'a');
  assert.deepEqual([...m.nodes.keys()], ['a', 'b']);
  assert.deepEqual([...m.edges.keys()], ['ab']);
});

test('relationshipCount counts a relationship drawn as several edges once', () => {
  const m = emptyModel();
  merge(m, { nodes: ['a', 'b', 'c'].map((id) => node(id)), edges: [edge('e1', 'a', 'b', 'r'), edge('e2', 'a', 'c', 'r'), edge('e3', 'b', 'c', 's')] });
  assert.equal(relationshipCount(m), 2);
});

test('pathOverlay reuses drawn edges and adds the hops the drawing lacks', () => {
  const m = emptyModel();
  merge(m, { nodes: [node('a'), node('b')], edges: [edge('ab', 'a', 'b', 'r1')] });
  const hop = (from, to, rel) => ({ from: node(from), to: node(to), kind: 'supply', relationship: { id: rel } });
  const p = pathOverlay(m, { hops: [hop('b', 'a', 'r1'), hop('a', 'z', 'r2')] });
  assert.deepEqual(p.nodes.map((n) => n.id), ['b', 'a', 'z']);
  assert.deepEqual(p.edges, [{ id: 'path-1-r2', source: 'a', target: 'z', kind: 'supply', relationship: 'r2' }]);
  assert.deepEqual(p.pathEdges, ['ab', 'path-1-r2']);
});

test('timeline stops the day before the first date, on each date, and at latest', () => {
  assert.equal(dayBefore('2017-03-01'), '2017-02-28');
  assert.deepEqual(timeline(['2017-07-07', '2017-05-17', '2017-07-07']), ['2017-05-16', '2017-05-17', '2017-07-07', '']);
  // A shared link's date is a stop of its own.
  assert.deepEqual(timeline(['2017-07-07'], '2017-06-01'), ['2017-06-01', '2017-07-06', '2017-07-07', '']);
  assert.deepEqual(timeline(['2017-07-07'], '2017-07-06'), ['2017-07-06', '2017-07-07', '']);
  assert.deepEqual(timeline([]), []);
  assert.deepEqual(timeline([], '2017-01-01'), ['2017-01-01', '']);
});
