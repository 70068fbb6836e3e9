import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterOf, vocabularyOf, NEIGHBORHOOD, ENTITY } from '../src/explore/api.js';

const vocabulary = { entityKinds: ['City', 'Company', 'Product'], relationKinds: ['located_in', 'partnership', 'supply'], countries: ['China'] };
const view = (v = {}) => ({ hideRel: new Set(), hideKind: new Set(), country: '', ...v });

test('filterOf keeps everything with nothing hidden', () => {
  assert.equal(filterOf(view(), null), null);
});

test('filterOf asks the server for every kind but the hidden ones, and for the country', () => {
  assert.deepEqual(filterOf(view({ hideRel: new Set(['partnership']), country: 'China' }), vocabulary), {
    relationKinds: ['located_in', 'supply'],
    country: 'China',
  });
  assert.deepEqual(filterOf(view({ hideKind: new Set(['City', 'Product']) }), vocabulary), { entityKinds: ['Company'] });
});

test('the neighbourhood and facts queries pass the filter and the date to the server', () => {
  for (const q of [NEIGHBORHOOD, ENTITY]) {
    assert.match(q, /\$filter: Filter/);
    assert.match(q, /filter: \$filter/);
    assert.match(q, /asOf: \$asOf/);
  }
  assert.match(NEIGHBORHOOD, /limit: \$limit/);
});

test('vocabularyOf sorts the kinds and countries by name', () => {
  const got = vocabularyOf({ stats: { byEntityKind: [{ key: 'Product' }, { key: 'City' }], byRelation: [{ key: 'supply' }, { key: 'owns' }], byCountry: [{ key: 'Sweden' }, { key: 'China' }] } });
  assert.deepEqual(got, { entityKinds: ['City', 'Product'], relationKinds: ['owns', 'supply'], countries: ['China', 'Sweden'] });
});
