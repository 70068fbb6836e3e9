import { test } from 'node:test';
import assert from 'node:assert/strict';
import { group, groupId, plural } from '../src/explore/group.js';

// star is a hub with `n` product leaves and two companies linked to each other and to the hub.
function star(n) {
  const nodes = [{ id: 'hub', name: 'Hub', kind: 'Company' }, { id: 'a', name: 'A', kind: 'Company' }, { id: 'b', name: 'B', kind: 'Company' }];
  const edges = [{ id: 'hub-a', source: 'hub', target: 'a', kind: 'partnership' }, { id: 'a-b', source: 'a', target: 'b', kind: 'partnership' }, { id: 'hub-b', source: 'hub', target: 'b', kind: 'supply' }];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `p${i}`, name: `Product ${String(i).padStart(2, '0')}`, kind: 'Product' });
    edges.push({ id: `e${i}`, source: 'hub', target: `p${i}`, kind: 'owns' });
  }
  return { nodes, edges };
}

test('group', async (t) => {
  await t.test('leaves beyond the threshold become one node', () => {
    const got = group(star(24), { threshold: 6 });
    const g = got.nodes.filter((n) => n.group);
    assert.deepEqual(g.map((n) => [n.id, n.name, n.count]), [[groupId('hub', 'Product'), '24 products', 24]]);
    assert.equal(got.nodes.length, 4);
    assert.deepEqual(got.edges.filter((e) => e.group).map((e) => [e.source, e.target, e.kind]), [['hub', groupId('hub', 'Product'), 'owns']]);
    assert.equal(got.edges.length, 4);
  });
  await t.test('few leaves stay as they are', () => {
    const got = group(star(6), { threshold: 6 });
    assert.equal(got.groups.length, 0);
    assert.equal(got.nodes.length, 9);
  });
  await t.test('an opened group draws a page, by name, and counts the rest', () => {
    const got = group(star(24), { threshold: 6, shown: new Map([[groupId('hub', 'Product'), 10]]) });
    const drawn = got.nodes.filter((n) => n.kind === 'Product' && !n.group).map((n) => n.id);
    assert.deepEqual(drawn, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
    assert.equal(got.nodes.find((n) => n.group).name, '14 more products');
  });
  await t.test('a fully opened group leaves no group node', () => {
    const got = group(star(8), { threshold: 6, shown: new Map([[groupId('hub', 'Product'), 16]]) });
    assert.equal(got.nodes.filter((n) => n.group).length, 0);
    assert.equal(got.groups[0].shown, 8);
  });
  await t.test('kept nodes are never folded', () => {
    const got = group(star(8), { threshold: 6, keep: new Set(['p3']) });
    assert.ok(got.nodes.some((n) => n.id === 'p3'));
    assert.equal(got.nodes.find((n) => n.group).name, '7 products');
  });
});

test('plural', () => {
  for (const [kind, n, want] of [
    ['Product', 1, 'product'],
    ['Product', 24, 'products'],
    ['Company', 3, 'companies'],
    ['City', 2, 'cities'],
    ['DataCenter', 3, 'data centers'],
    ['Person', 2, 'people'],
    ['JointVenture', 2, 'joint ventures'],
  ]) {
    assert.equal(plural(kind, n), want, `plural(${kind}, ${n})`);
  }
});
