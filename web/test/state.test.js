import { test } from 'node:test';
import assert from 'node:assert/strict';
import { read, write } from '../src/explore/state.js';

test('state round-trips through the URL', () => {
  for (const q of [
    '',
    '?entity=Ericsson',
    '?entity=Ericsson&depth=2&asOf=2017-07-06&hideRel=located_in%2Cpartnership&hideKind=Product&country=China&expand=China+Mobile&expand=ZTE&from=Nokia&to=ZTE',
  ]) {
    assert.equal(write(read(q)), q);
  }
});

test('read drops what is out of range', () => {
  const s = read('?entity=X&depth=9&asOf=yesterday&expand=&from=Nokia');
  assert.equal(s.depth, 1);
  assert.equal(s.asOf, '');
  assert.deepEqual(s.expanded, []);
  assert.equal(write(s), '?entity=X');
});
