import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pick, overlappingPairs, labelScale, importance, MIN_LABEL_PX, BASE_LABEL_PX } from '../src/explore/labels.js';

const box = (x, y, w = 10, h = 4) => ({ x1: x, y1: y, x2: x + w, y2: y + h });

test('pick keeps the more important of two colliding labels', () => {
  const items = [
    { id: 'leaf', box: box(0, 0), rank: 1 },
    { id: 'hub', box: box(5, 1), rank: 10 },
    { id: 'far', box: box(100, 100), rank: 0 },
  ];
  assert.deepEqual([...pick(items)].sort(), ['far', 'hub']);
});

test('picked labels never overlap', () => {
  const items = Array.from({ length: 200 }, (_, i) => ({ id: String(i), box: box((i * 37) % 120, (i * 53) % 90, 30, 8), rank: i % 7 }));
  const kept = pick(items, 0);
  assert.equal(overlappingPairs(items.filter((it) => kept.has(it.id)).map((it) => it.box)), 0);
  assert.ok(overlappingPairs(items.map((it) => it.box)) > 0);
});

test('labelScale keeps labels at least MIN_LABEL_PX on screen', () => {
  for (const zoom of [0.2, 0.5, 0.9, 1, 2]) {
    assert.ok(BASE_LABEL_PX * labelScale(zoom) * zoom >= MIN_LABEL_PX - 1e-9, `zoom ${zoom}`);
    assert.ok(labelScale(zoom) >= 1);
  }
});

test('importance puts the centre first and then degree', () => {
  const centre = importance({ centre: true, degree: 1 });
  const neighbour = importance({ neighbour: true, degree: 3 });
  const busy = importance({ degree: 40 });
  assert.ok(centre > neighbour && neighbour > busy && busy > importance({ degree: 2 }));
});
