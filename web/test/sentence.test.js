import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sentence, plain } from '../src/explore/sentence.js';

const e = (id, name = id) => ({ id, name });

test('sentence', async (t) => {
  const cases = [
    {
      name: 'the viewed entity is one of two owners, not the owner of the other',
      rel: { relation: 'owns', participants: [{ role: 'owner', entity: e('ct', 'China Telecom') }, { role: 'owner', entity: e('er', 'Ericsson') }, { role: 'product', entity: e('p', 'IoT Platform') }] },
      self: 'er',
      want: 'Ericsson and China Telecom own IoT Platform',
    },
    {
      name: 'a single owner agrees with a singular verb',
      rel: { relation: 'owns', participants: [{ role: 'owner', entity: e('er', 'Ericsson') }, { role: 'product', entity: e('p', 'IoT Accelerator') }] },
      self: 'er',
      want: 'Ericsson owns IoT Accelerator',
    },
    {
      name: 'the viewed entity as the object keeps its place',
      rel: { relation: 'acquisition', participants: [{ role: 'acquirer', entity: e('cm', 'China Mobile') }, { role: 'target', entity: e('tt', 'TieTong') }, { role: 'seller', entity: e('c', 'CMCC') }] },
      self: 'tt',
      want: 'China Mobile acquires TieTong from CMCC',
    },
    {
      name: 'an optional role with nobody is left out',
      rel: { relation: 'partnership', participants: [{ role: 'party', entity: e('a', 'A') }, { role: 'party', entity: e('b', 'B') }, { role: 'party', entity: e('c', 'C') }] },
      self: 'c',
      want: 'C, A and B are partners',
    },
    {
      name: 'an optional role with someone is said',
      rel: { relation: 'partnership', participants: [{ role: 'party', entity: e('a', 'A') }, { role: 'party', entity: e('b', 'B') }, { role: 'about', entity: e('p', 'P') }] },
      self: 'a',
      want: 'A and B are partners on P',
    },
    {
      name: 'a role the template lacks follows the sentence',
      rel: { relation: 'uses', participants: [{ role: 'user', entity: e('a', 'A') }, { role: 'product', entity: e('p', 'P') }, { role: 'site', entity: e('s', 'S') }] },
      self: 'a',
      want: 'A uses P; site: S',
    },
    {
      name: 'an unknown relation lists its roles',
      rel: { relation: 'sponsors', participants: [{ role: 'sponsor', entity: e('a', 'A') }, { role: 'event', entity: e('x', 'X') }] },
      self: 'a',
      want: 'sponsors; sponsor: A; event: X',
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = plain(sentence(c.rel, c.self));
      assert.equal(got, c.want);
    });
  }
  await t.test('the viewed entity is marked, the others are not', () => {
    const parts = sentence(cases[0].rel, 'er').filter((p) => typeof p !== 'string');
    assert.deepEqual(
      parts.map((p) => [p.entity.name, p.self]),
      [['Ericsson', true], ['China Telecom', false], ['IoT Platform', false]],
    );
  });
});
