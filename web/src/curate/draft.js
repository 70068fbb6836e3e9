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
  if (draft.article.text?.trim()) a.text = draft.article.text;
  const entities = new Map();
  const relationships = [];
  const taken = new Set(draft.facts.map((f) => f.id).filter(Boolean));
  const facts = [];
  draft.facts.forEach((fact, i) => {
    for (const p of fact.participants) {
      if (!p.entity) continue;
      const k = p.entity.key;
      if (!entities.has(k)) {
        const e = { id: k, kind: p.entity.kind, name: p.entity.name, quotes: [] };
        if (p.entity.isNew && p.entity.aliases?.length) e.aliases = p.entity.aliases;
        entities.set(k, e);
      }
      const e = entities.get(k);
      if (fact.quote && !e.quotes.includes(fact.quote)) e.quotes.push(fact.quote);
    }
    const id = fact.sameAs || fact.id || factId(fact, taken);
    taken.add(id);
    const r = {
      id,
      relation: fact.kind,
      participants: fact.participants.filter((p) => p.entity).map((p) => ({ role: p.role, entity: p.entity.key })),
      quotes: fact.quote ? [fact.quote] : [],
    };
    const attrs = fact.attributes.filter((x) => x.key && x.value.trim());
    if (attrs.length) r.attributes = attrs.map((x) => ({ key: x.key, value: x.value.trim() }));
    relationships.push(r);
    facts.push(i);
  });
  return { a, e: [...entities.values()], r: relationships, facts, entityKeys: [...entities.keys()] };
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
 * [{role, entity: {key}}]}), the one with the fact's kind and the same participants, or null.
 */
export function sameFact(fact, relationships) {
  const want = fact.participants.filter((p) => p.entity).map((p) => p.entity.key).sort().join(' ');
  if (!want) return null;
  return (
    relationships.find(
      (r) => r.relationKind === fact.kind && [...new Set(r.participants.map((p) => p.entity.key))].sort().join(' ') === [...new Set(want.split(' '))].join(' '),
    ) ?? null
  );
}
