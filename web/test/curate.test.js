import test from 'node:test';
import assert from 'node:assert/strict';
import { fold, locate, sentenceAt, runs, codePointsToIndexes } from '../src/curate/text.js';
import { slug, articleId, factId, variables, place, sameFact, opened, reading } from '../src/curate/draft.js';

const text = 'Telia has chosen Ericsson for its 5G core. The deal covers “Sweden” and\n  Finland.\n\nA new paragraph';

test('locate compares as the server does: white space collapsed, typographic quotes straightened', () => {
  const at = locate(text, 'covers "Sweden" and Finland.');
  assert.equal(text.slice(at.start, at.end), 'covers “Sweden” and\n  Finland.');
  assert.equal(locate(text, 'telia has chosen'), null, 'case counts');
  assert.equal(locate(text, '   '), null);
  assert.equal(fold('a\u00a0 b’').folded, "a b'");
});

test('locate counts astral characters as the string does', () => {
  const t = '🙂 Telia’s core';
  const at = locate(t, "Telia's");
  assert.equal(t.slice(at.start, at.end), 'Telia’s');
  const idx = codePointsToIndexes(t);
  assert.equal(idx(2), 3, 'code point 2 is string index 3 after a surrogate pair');
});

test('sentenceAt takes the sentence around a point, paragraph breaks included', () => {
  const s = (i) => {
    const r = sentenceAt(text, i);
    return text.slice(r.start, r.end);
  };
  assert.equal(s(3), 'Telia has chosen Ericsson for its 5G core.');
  assert.equal(s(text.indexOf('Sweden')), 'The deal covers “Sweden” and\n  Finland.');
  assert.equal(s(text.indexOf('new')), 'A new paragraph');
});

test('runs cuts the text at overlapping marks', () => {
  const got = runs('abcdef', [{ start: 1, end: 4, id: 'x' }, { start: 3, end: 5, id: 'y' }, { start: 2, end: 2, id: 'empty' }]);
  assert.deepEqual(got.map((r) => [r.text, r.ids]), [['a', []], ['bc', ['x']], ['d', ['x', 'y']], ['e', ['y']], ['f', []]]);
});

test('ids: slugs, article ids and fact ids unique against those taken', () => {
  assert.equal(slug('Telia Company AB — Sweden’s'), 'telia-company-ab-sweden-s');
  assert.equal(articleId('2017-08-01', 'Telia picks Ericsson!'), '2017-08-01-telia-picks-ericsson');
  const fact = { kind: 'located_in', participants: [{ role: 'entity', entity: { key: 'telia' } }, { role: 'place', entity: { key: 'sweden' } }] };
  assert.equal(factId(fact), 'located-in-telia-sweden');
  assert.equal(factId(fact, new Set(['located-in-telia-sweden'])), 'located-in-telia-sweden-2');
});

const telia = { key: 'telia', name: 'Telia', kind: 'Company', aliases: ['Telia Company'], isNew: true };
const ericsson = { key: 'ericsson', name: 'Ericsson', kind: 'Company', aliases: ['LM Ericsson'] };
const draft = {
  article: { id: 'a1', title: 'T', date: '2017-08-01', url: '', text },
  facts: [
    { kind: 'supply', quote: 'Telia has chosen Ericsson', participants: [{ role: 'supplier', entity: ericsson }, { role: 'customer', entity: telia }], attributes: [{ key: 'item', value: ' 5G core ' }, { key: 'date', value: '' }] },
    { kind: 'partnership', quote: 'The deal covers', sameAs: 'partnership-x', participants: [{ role: 'party', entity: telia }, { role: 'party', entity: null }], attributes: [] },
  ],
};

test('variables declare each entity once with the quotes of its facts', () => {
  const v = variables(draft);
  assert.deepEqual(v.a, { id: 'a1', title: 'T', date: '2017-08-01', text });
  assert.deepEqual(v.e, [
    { id: 'ericsson', kind: 'Company', name: 'Ericsson', quotes: ['Telia has chosen Ericsson'] },
    { id: 'telia', kind: 'Company', name: 'Telia', quotes: ['Telia has chosen Ericsson', 'The deal covers'], aliases: ['Telia Company'] },
  ]);
  assert.deepEqual(v.r[0], {
    id: 'supply-ericsson-telia', relation: 'supply', quotes: ['Telia has chosen Ericsson'],
    participants: [{ role: 'supplier', entity: 'ericsson' }, { role: 'customer', entity: 'telia' }],
    attributes: [{ key: 'item', value: '5G core' }],
  });
  assert.equal(v.r[1].id, 'partnership-x', 'the same fact keeps the existing key');
  assert.deepEqual(v.r[1].participants, [{ role: 'party', entity: 'telia' }]);
});

test('place puts each problem beside its field', () => {
  const v = variables(draft);
  const got = place(
    [
      { field: 'relationships[1].quotes[0]', message: 'not in the text', nearest: 'x' },
      { field: 'entities[1].name', message: 'another name' },
      { field: 'article.text', message: 'empty' },
      { field: 'input', message: 'other' },
    ],
    v,
  );
  assert.equal(got.facts[1].quote[0].nearest, 'x');
  assert.equal(got.facts[0].participants[0].message, 'another name', 'telia is in fact 0');
  assert.equal(got.facts[1].participants[0].message, 'another name', 'and in fact 1');
  assert.equal(got.article.text[0].message, 'empty');
  assert.equal(got.other.length, 1);
  const twice = place(
    [
      { field: 'entities[0].quotes[0]', message: 'entity ericsson: not in the text', nearest: 'n' },
      { field: 'relationships[0].quotes[0]', message: 'rel: not in the text', nearest: 'n' },
      { field: 'entities[1].quotes[0]', message: 'entity telia: not in the text', nearest: 'n' },
    ],
    v,
  );
  assert.equal(twice.facts[0].quote.length, 1, 'one quote, one problem, however many entities share it');
});

test('sameFact finds the relationship with the kind and the participants', () => {
  const rels = [
    { key: 'p1', relationKind: 'partnership', participants: [{ role: 'party', entity: { key: 'ericsson' } }, { role: 'party', entity: { key: 'telia' } }, { role: 'party', entity: { key: 'nokia' } }] },
    { key: 'p2', relationKind: 'partnership', participants: [{ role: 'party', entity: { key: 'telia' } }, { role: 'party', entity: { key: 'ericsson' } }] },
  ];
  const fact = { kind: 'partnership', participants: [{ role: 'party', entity: ericsson }, { role: 'party', entity: telia }] };
  assert.equal(sameFact(fact, rels)?.key, 'p2');
  assert.equal(sameFact({ ...fact, kind: 'supply' }, rels), null);
  const supply = [{ key: 's1', relationKind: 'supply', participants: [{ role: 'supplier', entity: { key: 'ericsson' } }, { role: 'customer', entity: { key: 'telia' } }] }];
  const ours = (supplier, customer) => ({ kind: 'supply', participants: [{ role: 'supplier', entity: supplier }, { role: 'customer', entity: customer }] });
  assert.equal(sameFact(ours(ericsson, telia), supply)?.key, 's1');
  assert.equal(sameFact(ours(telia, ericsson), supply), null, 'the roles count: Telia supplying Ericsson is another fact');
});

test('opened takes what the article itself stated, and saving it states that again', () => {
  const A = 'kg:article/a1';
  const st = (predicate, value, label = A) => ({ predicate, object: { value }, label });
  const statements = new Map([
    ['kg:entity/telia', [st('kg:kind', 'Company'), st('kg:name', 'Telia'), st('kg:alias', 'Telia Company'), st('kg:quote', 'Telia has chosen'),
      st('kg:alias', 'Telia Sonera', 'kg:article/other'), st('kg:attr/description', 'a Swedish operator')]],
    ['kg:entity/ericsson', [st('kg:kind', 'Company'), st('kg:name', 'Ericsson'), st('kg:quote', 'Telia has chosen Ericsson')]],
    ['kg:entity/sweden', [st('kg:kind', 'Country'), st('kg:name', 'Sweden'), st('kg:quote', 'in Sweden')]],
    ['kg:rel/deal', [st('kg:relation', 'supply'), st('kg:role/supplier', 'kg:entity/ericsson'), st('kg:role/customer', 'kg:entity/telia'),
      st('kg:quote', 'Telia has chosen Ericsson'), st('kg:quote', 'for its 5G core'), st('kg:attr/item', '5G core'), st('kg:note', 'n'),
      st('kg:role/customer', 'kg:entity/ericsson', 'kg:article/other')]],
  ]);
  const d = opened({ iri: A, key: 'a1', title: 'T', date: '2017-08-01', url: null, notes: ['added by jd'], text: 'x',
    entities: ['kg:entity/telia', 'kg:entity/ericsson', 'kg:entity/sweden'], relationships: ['kg:rel/deal'] }, statements);
  assert.equal(d.facts.length, 1);
  assert.deepEqual(d.facts[0].participants.map((p) => `${p.role}:${p.entity.key}`), ['supplier:ericsson', 'customer:telia'], 'another article\'s role is not this one\'s');
  assert.deepEqual(d.mentions.map((e) => e.key), ['sweden']);
  const v = variables(d);
  assert.deepEqual(v.a, { id: 'a1', title: 'T', date: '2017-08-01', notes: ['added by jd'], text: 'x' });
  assert.deepEqual(v.e.find((e) => e.id === 'telia'), {
    id: 'telia', kind: 'Company', name: 'Telia', quotes: ['Telia has chosen', 'Telia has chosen Ericsson'],
    aliases: ['Telia Company'], attributes: [{ key: 'description', value: 'a Swedish operator' }],
  });
  assert.ok(v.e.some((e) => e.id === 'sweden'), 'an entity no fact names is declared again');
  assert.deepEqual(v.r, [{ id: 'deal', relation: 'supply', participants: [{ role: 'supplier', entity: 'ericsson' }, { role: 'customer', entity: 'telia' }],
    quotes: ['Telia has chosen Ericsson', 'for its 5G core'], attributes: [{ key: 'item', value: '5G core' }], notes: ['n'] }]);
});

test('reading says how the server read a value', () => {
  assert.equal(reading({ number: 50, unit: '%' }), '50 %');
  assert.equal(reading({ number: 2, unit: null }), '2');
  assert.equal(reading({ date: { start: '2017-04-01', end: '2017-04-30' } }), '2017-04-01 to 2017-04-30');
  assert.equal(reading({ date: { start: '2017-04-02', end: '2017-04-02' } }), '2017-04-02');
  assert.equal(reading({ status: 'IN_PROGRESS' }), 'in progress');
  assert.equal(reading({ number: null, date: null, status: null }), null);
});
