// The article being curated, as plain data, and what it becomes: the variables of one
// putArticle, and the server's problems placed back on the parts of the form they concern.
// Pure functions; the page (main.js) keeps the one draft and renders it.
//
// A draft is { article: {id, title, date, url, text}, facts: [fact] }; a fact is
// { id, kind, quote, participants: [{role, entity}], attributes: [{key, value}], sameAs }, where
// an entity is { key, name, kind, aliases, isNew } and sameAs is the key of a relationship other
// articles state that this fact is one more source of (its id is then that key).

/** slug makes words an id: lower-case letters and digits joined by single hyphens. */
export function slug(words) {
  return String(words)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** articleId is the id a new article gets from its date and title, at most 80 characters. */
export function articleId(date, title) {
  return slug(`${date} ${title}`).slice(0, 80).replace(/-+$/, '');
}

/**
 * factId is the id a new fact gets: its kind and its participants' keys, made unique against
 * taken (a set of keys in use) with -2, -3, ...
 */
export function factId(fact, taken = new Set()) {
  const base = slug([fact.kind, ...fact.participants.filter((p) => p.entity).map((p) => p.entity.key)].join(' ')).slice(0, 90).replace(/-+$/, '');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * variables returns the putArticle variables {a, e, r} of the draft. Every entity a fact names
 * is declared once, with the quotes of the facts it takes part in as its evidence; new entities
 * carry their aliases. `fieldsOf` maps each input path prefix (relationships[i], entities[j]) back
 * to the fact or entity it came from, for problems.
 */
export function variables(draft) {
  const a = { id: draft.article.id, title: draft.article.title, date: draft.article.date };
  if (draft.article.url) a.url = draft.article.url;
  if (draft.article.notes?.length) a.notes = draft.article.notes;
  if (draft.article.text?.trim()) a.text = draft.article.text;
  const entities = new Map();
  const declare = (x) => {
    if (entities.has(x.key)) return entities.get(x.key);
    const e = { id: x.key, kind: x.kind, name: x.name, quotes: [...(x.quotes ?? [])] };
    // What the article itself said of an entity it declared before, or gave a new one, is said
    // again; an entity of the graph is named by its key, kind and name alone.
    if (x.isNew || x.declared) {
      if (x.aliases?.length) e.aliases = x.aliases;
      if (x.former?.length) e.formerNames = x.former;
      if (x.attributes?.length) e.attributes = x.attributes;
      if (x.notes?.length) e.notes = x.notes;
    }
    entities.set(x.key, e);
    return e;
  };
  // Declared entities first, so that their own details win over a search result's.
  for (const x of draft.mentions ?? []) declare(x);
  for (const f of draft.facts) for (const p of f.participants) if (p.entity?.declared) declare(p.entity);
  const relationships = [];
  const taken = new Set(draft.facts.map((f) => f.id).filter(Boolean));
  const facts = [];
  draft.facts.forEach((fact, i) => {
    for (const p of fact.participants) {
      if (!p.entity) continue;
      const e = declare(p.entity);
      if (fact.quote && !e.quotes.includes(fact.quote)) e.quotes.push(fact.quote);
    }
    const id = fact.sameAs || fact.id || factId(fact, taken);
    taken.add(id);
    const quotes = [...new Set([fact.quote, ...(fact.moreQuotes ?? [])].filter(Boolean))];
    const r = {
      id,
      relation: fact.kind,
      participants: fact.participants.filter((p) => p.entity).map((p) => ({ role: p.role, entity: p.entity.key })),
      quotes,
    };
    const attrs = fact.attributes.filter((x) => x.key && x.value.trim());
    if (attrs.length) r.attributes = attrs.map((x) => ({ key: x.key, value: x.value.trim() }));
    if (fact.notes?.length) r.notes = fact.notes;
    relationships.push(r);
    facts.push(i);
  });
  return { a, e: [...entities.values()], r: relationships, facts, entityKeys: [...entities.keys()] };
}

const ENTITY = 'kg:entity/';
const ROLE = 'kg:role/';
const ATTR = 'kg:attr/';

/**
 * opened makes a draft of an article written before: article is what OPEN_ARTICLE gave (iri,
 * key, title, date, url, notes, text, and the IRIs of its entities and relationships) and
 * statements maps each of those IRIs to its statements. Only the statements the article itself
 * made (labelled with its IRI) count, so that saving the draft again states what it stated.
 * Entities no fact names are kept as mentions.
 */
export function opened(article, statements) {
  const own = (iri) => (statements.get(iri) ?? []).filter((s) => s.label === article.iri);
  const entities = new Map();
  for (const iri of article.entities) {
    const e = { key: iri.slice(ENTITY.length), name: '', kind: '', aliases: [], former: [], attributes: [], quotes: [], notes: [], declared: true };
    for (const s of own(iri)) {
      const v = s.object.value;
      if (s.predicate === 'kg:kind') e.kind = v;
      else if (s.predicate === 'kg:name') e.name = v;
      else if (s.predicate === 'kg:alias') e.aliases.push(v);
      else if (s.predicate === 'kg:former') e.former.push(v);
      else if (s.predicate === 'kg:quote') e.quotes.push(v);
      else if (s.predicate === 'kg:note') e.notes.push(v);
      else if (s.predicate.startsWith(ATTR)) e.attributes.push({ key: s.predicate.slice(ATTR.length), value: v });
    }
    entities.set(e.key, e);
  }
  const facts = [];
  for (const iri of article.relationships) {
    const f = { id: iri.slice('kg:rel/'.length), kind: '', quote: '', moreQuotes: [], participants: [], attributes: [], notes: [], sameAs: '', offer: null, saved: true };
    const quotes = [];
    for (const s of own(iri)) {
      const v = s.object.value;
      if (s.predicate === 'kg:relation') f.kind = v;
      else if (s.predicate === 'kg:quote') quotes.push(v);
      else if (s.predicate === 'kg:note') f.notes.push(v);
      else if (s.predicate.startsWith(ATTR)) f.attributes.push({ key: s.predicate.slice(ATTR.length), value: v });
      else if (s.predicate.startsWith(ROLE)) {
        const e = entities.get(v.slice(ENTITY.length));
        if (e) f.participants.push({ role: s.predicate.slice(ROLE.length), entity: e });
      }
    }
    [f.quote = '', ...f.moreQuotes] = quotes;
    facts.push(f);
  }
  const named = new Set(facts.flatMap((f) => f.participants.map((p) => p.entity.key)));
  return {
    article: { id: article.key, title: article.title, date: article.date, url: article.url ?? '', notes: article.notes ?? [], text: article.text ?? '' },
    facts,
    mentions: [...entities.values()].filter((e) => !named.has(e.key)),
  };
}

/**
 * place puts each problem ({field, message, nearest}) of a refused write where the form shows
 * it: {article: {field: [problem]}, facts: {index: {part: [problem]}}, other: [problem]}, where
 * part is quote, kind, participants or attributes. A problem with an entity's declaration goes
 * to every fact naming that entity, under participants. vars is what variables() returned.
 */
export function place(problems, vars) {
  const out = { article: {}, facts: {}, other: [] };
  const add = (i, part, p) => {
    const f = (out.facts[i] ??= {});
    const list = (f[part] ??= []);
    // One quote, one problem, however many of the write's fields state it.
    if (part === 'quote' && p.nearest && list.some((x) => x.nearest === p.nearest)) return;
    list.push(p);
  };
  // The relationships' own problems first, so that a quote's problem is told as the fact's.
  const rank = (p) => (p.field.startsWith('relationships') ? 0 : 1);
  for (const p of [...problems].sort((a, b) => rank(a) - rank(b))) {
    let m;
    if ((m = /^article\.(\w+)/.exec(p.field))) {
      (out.article[m[1]] ??= []).push(p);
    } else if ((m = /^relationships\[(\d+)\](?:\.(\w+))?/.exec(p.field))) {
      const part = { quotes: 'quote', relation: 'kind', participants: 'participants', attributes: 'attributes', id: 'kind' }[m[2]] ?? 'kind';
      add(vars.facts[Number(m[1])], part, p);
    } else if ((m = /^entities\[(\d+)\]\.quotes\[(\d+)\]/.exec(p.field))) {
      // An entity's quotes are its facts' quotes: the problem is the fact's, said once.
      const quote = vars.e[Number(m[1])]?.quotes[Number(m[2])];
      vars.r.forEach((r, i) => {
        if (r.quotes.includes(quote)) add(vars.facts[i], 'quote', p);
      });
    } else if ((m = /^entities\[(\d+)\]/.exec(p.field))) {
      const key = vars.entityKeys[Number(m[1])];
      vars.r.forEach((r, i) => {
        if (r.participants.some((x) => x.entity === key)) add(vars.facts[i], 'participants', p);
      });
    } else {
      out.other.push(p);
    }
  }
  return out;
}

/**
 * sameFact returns, among relationships other articles state ({key, relationKind, participants:
 * [{role, entity: {key}}]}), the one with the fact's kind and the same participants, each in the
 * role the fact gives it, or null.
 */
export function sameFact(fact, relationships) {
  const chosen = fact.participants.filter((p) => p.entity);
  if (!chosen.length) return null;
  const keys = (ps) => [...new Set(ps.map((p) => p.entity.key))].sort().join(' ');
  return (
    relationships.find(
      (r) =>
        r.relationKind === fact.kind &&
        keys(r.participants) === keys(chosen) &&
        chosen.every((c) => r.participants.some((p) => p.role === c.role && p.entity.key === c.entity.key)),
    ) ?? null
  );
}

/**
 * reading says how the server read an attribute's value ({number, unit, date: {start, end},
 * status} of the API's Attribute), as filters compare it: "50 %", "2017-04-01 to 2017-04-30",
 * "planned"; null when it read nothing from it.
 */
export function reading(a) {
  if (a.number != null) return `${a.number}${a.unit ? ` ${a.unit}` : ''}`;
  if (a.date) return a.date.start === a.date.end ? a.date.start : `${a.date.start} to ${a.date.end}`;
  if (a.status) return a.status.toLowerCase().replace(/_/g, ' ');
  return null;
}

/** readings returns each relationship's readings by attribute key, by relationship key. */
export function readings(relationships) {
  return new Map(relationships.map((r) => [r.key, Object.fromEntries(r.attributes.map((a) => [a.key, reading(a)]).filter(([, v]) => v))]));
}
