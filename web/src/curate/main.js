// The curation page (/curate): paste an article's text, make sentences of it the evidence of
// new facts, pick their participants from the graph (or create entities), and save the article
// with its facts as one putArticle. The server checks every quote against the text; its problems
// come back placed beside the fields they concern. State is the one `draft` (see draft.js); the
// page re-renders the facts from it after each structural change.
import './style.css';
import { gql, GraphQLError, WRITE_ACCESS, VOCABULARY, SEARCH, RELATIONSHIPS, PUT_ARTICLE, OPEN_ARTICLE, statementsQuery, articleNodeId } from './api.js';
import { locate, fold, sentenceAt, trimRange, runs, codePointsToIndexes } from './text.js';
import { articleId, slug, variables, place, sameFact, opened, readings } from './draft.js';
import { el, renderText } from './view.js';

const $ = (sel) => document.querySelector(sel);
const TOKEN_KEY = 'telegraph-write-token';
const DRAFT_KEY = 'telegraph-curate-draft';

let token = '';
let kinds = new Map(); // relationship kind name -> spec
let entityKinds = [];
const draft = { article: { id: '', title: '', date: '', url: '', notes: [], text: '' }, facts: [], mentions: [] };
let idEdited = false;
let held = []; // the saved article's quote spans, from the server
let heldText = null; // the text those spans index
let problems = { article: {}, facts: {}, other: [] };

// ---- the token ---------------------------------------------------------------------------

async function unlock(candidate) {
  await gql(WRITE_ACCESS, {}, candidate);
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, candidate);
  $('#unlock').hidden = true;
  $('#editor').hidden = false;
  const { vocabulary } = await gql(VOCABULARY);
  kinds = new Map(vocabulary.relationKinds.map((k) => [k.name, k]));
  entityKinds = vocabulary.entityKinds;
  restore();
  renderReader();
  renderFacts();
  const key = new URLSearchParams(location.search).get('article');
  if (key) openArticle(key);
}

// ---- the draft survives a reload of the tab ------------------------------------------------

function persist() {
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ draft, held, heldText, idEdited }));
}

function restore() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null');
  } catch {
    // A draft that does not parse is no draft.
  }
  if (!saved?.draft) return;
  Object.assign(draft.article, saved.draft.article);
  draft.facts = saved.draft.facts ?? [];
  draft.mentions = saved.draft.mentions ?? [];
  ({ held = [], heldText = null, idEdited = false } = saved);
  fillArticle();
}

/** fillArticle writes the draft's article into the fields. */
function fillArticle() {
  const a = draft.article;
  for (const [sel, v] of [['#title', a.title], ['#date', a.date], ['#url', a.url], ['#article-id', a.id], ['#text', a.text]]) $(sel).value = v ?? '';
}

$('#new-article').addEventListener('click', () => {
  Object.assign(draft.article, { id: '', title: '', date: '', url: '', notes: [], text: '' });
  draft.facts = [];
  draft.mentions = [];
  held = [];
  heldText = null;
  idEdited = false;
  problems = { article: {}, facts: {}, other: [] };
  fillArticle();
  $('#save-status').textContent = '';
  $('#open-status').textContent = '';
  renderReader();
  renderFacts();
});

function showUnlock(message = '') {
  $('#editor').hidden = true;
  $('#unlock').hidden = false;
  $('[data-for="token"]').textContent = message;
  $('#token').focus();
}

$('#unlock').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const candidate = $('#token').value.trim();
  if (!candidate) return showUnlock('Enter the token.');
  try {
    await unlock(candidate);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    showUnlock(err.message);
  }
});

// ---- the article -------------------------------------------------------------------------

function bindArticle(sel, field, after = () => {}) {
  $(sel).addEventListener('input', (ev) => {
    draft.article[field] = ev.target.value;
    after();
    persist();
  });
}

const autoId = () => {
  if (!idEdited) {
    draft.article.id = draft.article.date && draft.article.title ? articleId(draft.article.date, draft.article.title) : '';
    $('#article-id').value = draft.article.id;
  }
};
bindArticle('#title', 'title', autoId);
bindArticle('#date', 'date', autoId);
bindArticle('#url', 'url');
bindArticle('#article-id', 'id', () => (idEdited = draft.article.id !== ''));
bindArticle('#text', 'text', () => renderReader());

/**
 * openArticle loads an article written before into the draft: what it states, as it stated it
 * (the statements labelled with its IRI), and its quotes as the server located them.
 */
async function openArticle(key) {
  const st = $('#open-status');
  st.className = '';
  st.textContent = `Opening ${key}…`;
  try {
    const { node } = await gql(OPEN_ARTICLE, { id: articleNodeId(key) });
    if (!node?.key) throw new Error(`no article has the id ${key}`);
    const iris = [...node.entities.nodes.map((e) => e.iri), ...node.relationships.nodes.map((r) => r.iri)];
    const statements = new Map();
    for (let i = 0; i < iris.length; i += 20) {
      const batch = iris.slice(i, i + 20);
      const q = statementsQuery(batch);
      const data = await gql(q.query, q.variables);
      batch.forEach((iri, k) => statements.set(iri, data[`r${k}`]?.out.nodes ?? []));
    }
    const d = opened({ ...node, entities: node.entities.nodes.map((e) => e.iri), relationships: node.relationships.nodes.map((r) => r.iri) }, statements);
    Object.assign(draft.article, d.article);
    const read = readings(node.relationships.nodes);
    for (const f of d.facts) f.readings = read.get(f.id) ?? {};
    draft.facts = d.facts;
    draft.mentions = d.mentions;
    held = node.quoteSpans;
    heldText = d.article.text;
    idEdited = true;
    problems = { article: {}, facts: {}, other: [] };
    fillArticle();
    st.textContent = `Opened ${key}: ${d.facts.length} facts${d.mentions.length ? `, ${d.mentions.length} entities named by no fact (kept)` : ''}.`;
    renderReader();
    renderFacts();
  } catch (err) {
    st.textContent = err.message;
    st.className = 'error';
  }
}

$('#open-go').addEventListener('click', () => {
  const key = $('#open-key').value.trim();
  if (key) openArticle(key);
});

// ---- the text and its highlights ---------------------------------------------------------

/** marks returns the highlights of the text: the saved article's quotes, then drafted ones. */
function marks() {
  const text = draft.article.text;
  const out = [];
  if (held.length && heldText === text) {
    const idx = codePointsToIndexes(text);
    held.forEach((s, i) => out.push({ start: idx(s.start), end: idx(s.end), id: `held-${i}` }));
  }
  const prepared = fold(text);
  draft.facts.forEach((f, i) => {
    if (f.saved && heldText === text) return;
    const at = f.quote && locate(text, f.quote, prepared);
    if (at) out.push({ ...at, id: `draft-${i}` });
  });
  return out;
}

function renderReader() {
  persist();
  const reader = $('#reader');
  const text = draft.article.text;
  if (!text.trim()) {
    reader.replaceChildren(el('p', { className: 'empty' }, 'The text appears here once pasted above.'));
    return;
  }
  renderText(reader, text, marks(), (ids) => {
    const saved = ids.filter((id) => id.startsWith('held-')).map((id) => held[Number(id.slice(5))]);
    const titles = saved.flatMap((s) => [...s.relationships.map((r) => r.key), ...s.entities.map((e) => e.name)]);
    const drafted = ids.filter((id) => id.startsWith('draft-')).map((id) => `fact ${Number(id.slice(6)) + 1} (not saved)`);
    return {
      className: saved.length ? 'held' : 'draft',
      title: [...titles, ...drafted].join(', '),
      dataset: { facts: ids.join(' ') },
    };
  });
}

/** selection returns the selected range of the text, or the sentence at a click, or null. */
function selection() {
  const reader = $('#reader');
  const sel = window.getSelection();
  if (!sel.rangeCount || !reader.contains(sel.anchorNode)) return null;
  const r = sel.getRangeAt(0);
  const offset = (node, off) => {
    const pre = document.createRange();
    pre.setStart(reader, 0);
    pre.setEnd(node, off);
    return pre.toString().length;
  };
  const text = draft.article.text;
  let start = offset(r.startContainer, r.startOffset);
  let end = offset(r.endContainer, r.endOffset);
  if (start === end) return sentenceAt(text, start);
  return trimRange(text, start, end);
}

let lastRange = null;
document.addEventListener('selectionchange', () => {
  const r = selection();
  if (r && r.end > r.start) {
    lastRange = r;
    const words = draft.article.text.slice(r.start, r.end).split(/\s+/).length;
    $('#selection-hint').textContent = `${words} words selected`;
  }
});

$('#new-fact').addEventListener('click', () => {
  const r = selection() ?? lastRange;
  if (!r || r.end <= r.start) {
    $('#selection-hint').textContent = 'Select the words of the text that state the fact first.';
    return;
  }
  const quote = draft.article.text.slice(r.start, r.end).replace(/\s+/g, ' ');
  draft.facts.push({ id: '', kind: '', quote, participants: [], attributes: [], sameAs: '', offer: null, saved: false });
  lastRange = null;
  window.getSelection().removeAllRanges();
  renderFacts();
  renderReader();
  document.querySelector(`#facts > li:last-child .kind`)?.focus();
});

// ---- facts -------------------------------------------------------------------------------

/** setKind gives the fact the kind's role slots and required attributes, keeping what fits. */
function setKind(fact, name) {
  fact.kind = name;
  const spec = kinds.get(name);
  const old = fact.participants;
  fact.participants = [];
  for (const role of spec?.roles ?? []) {
    const kept = old.filter((p) => p.role === role.name && p.entity);
    const n = Math.max(kept.length, role.min, 1);
    for (let i = 0; i < n; i++) fact.participants.push({ role: role.name, entity: kept[i]?.entity ?? null });
  }
  fact.attributes = fact.attributes.filter((a) => spec?.attributes.includes(a.key));
  for (const key of spec?.required ?? []) if (!fact.attributes.some((a) => a.key === key)) fact.attributes.push({ key, value: '' });
  fact.sameAs = '';
  fact.offer = null;
}

function errorsFor(i, part) {
  const list = problems.facts[i]?.[part] ?? [];
  return list.map((p) =>
    el(
      'p',
      { className: 'error', dataset: { field: p.field } },
      p.message,
      p.nearest ? el('button', { type: 'button', className: 'use-nearest', onclick: () => useNearest(i, p.nearest) }, 'Use the nearest passage') : null,
    ),
  );
}

function useNearest(i, nearest) {
  draft.facts[i].quote = nearest.replace(/\s+/g, ' ');
  delete problems.facts[i]?.quote;
  renderFacts();
  renderReader();
}

function renderFacts() {
  persist();
  const list = $('#facts');
  list.replaceChildren(...draft.facts.map((f, i) => factCard(f, i)));
  $('#no-facts').hidden = draft.facts.length > 0;
  $('#other-errors').textContent = problems.other.map((p) => `${p.field}: ${p.message}`).join(' ');
  for (const [field, ps] of Object.entries({ title: [], date: [], url: [], id: [], text: [], ...problems.article })) {
    const slot = document.querySelector(`[data-for="article.${field}"]`);
    if (slot) slot.textContent = ps.map((p) => p.message).join(' ');
  }
}

function factCard(fact, i) {
  const spec = kinds.get(fact.kind);
  const text = draft.article.text;
  const inText = () => !fact.quote.trim() || !text.trim() || locate(text, fact.quote);
  const quote = el('textarea', { className: 'quote', rows: 2, value: fact.quote, ariaLabel: `Quote of fact ${i + 1}` });
  const warn = el('p', { className: 'warn', hidden: Boolean(inText()) }, 'These words are not in the text as pasted: the server will refuse them.');
  quote.addEventListener('input', () => {
    fact.quote = quote.value;
    warn.hidden = Boolean(inText());
    renderReader();
  });
  const kindSelect = el(
    'select',
    { className: 'kind', ariaLabel: `Relationship kind of fact ${i + 1}` },
    el('option', { value: '' }, 'relationship kind…'),
    ...[...kinds.values()].map((k) => el('option', { value: k.name, selected: k.name === fact.kind, title: k.description }, k.name)),
  );
  kindSelect.addEventListener('change', () => {
    setKind(fact, kindSelect.value);
    renderFacts();
  });
  const card = el(
    'li',
    { className: `fact${fact.saved ? ' saved' : ''}`, dataset: { index: i } },
    el('div', { className: 'head' }, el('strong', {}, `Fact ${i + 1}`), fact.saved ? el('span', { className: 'tag' }, `saved as ${fact.id}`) : null,
      el('button', { type: 'button', className: 'remove', ariaLabel: `Remove fact ${i + 1}`, onclick: () => removeFact(i) }, 'Remove')),
    el('label', {}, 'Evidence'),
    quote,
    warn,
    fact.moreQuotes?.length ? el('p', { className: 'hint' }, `and ${fact.moreQuotes.length} more quote${fact.moreQuotes.length > 1 ? 's' : ''} of the article, kept`) : null,
    ...errorsFor(i, 'quote'),
    kindSelect,
    spec ? el('p', { className: 'hint' }, spec.description) : null,
    ...errorsFor(i, 'kind'),
  );
  if (spec) {
    card.append(el('div', { className: 'participants' }, ...fact.participants.map((p, j) => participantRow(fact, i, p, j))));
    const more = el('div', { className: 'row more' });
    for (const role of spec.roles) {
      const n = fact.participants.filter((p) => p.role === role.name).length;
      if (role.max == null || n < role.max) {
        more.append(
          el('button', { type: 'button', onclick: () => {
            const at = fact.participants.map((p) => p.role).lastIndexOf(role.name);
            fact.participants.splice(at + 1, 0, { role: role.name, entity: null });
            renderFacts();
          } }, `+ another ${role.name}`),
        );
      }
    }
    card.append(...[more, ...errorsFor(i, 'participants'), sameFactNotice(fact, i), attributeRows(fact, i, spec), ...errorsFor(i, 'attributes')].filter(Boolean));
  }
  return card;
}

function removeFact(i) {
  draft.facts.splice(i, 1);
  problems = { article: problems.article, facts: {}, other: problems.other };
  renderFacts();
  renderReader();
}

function participantRow(fact, i, p, j) {
  const role = kinds.get(fact.kind).roles.find((r) => r.name === p.role);
  const label = `${p.role}${role?.min === 0 ? ' (optional)' : ''}`;
  if (p.entity) {
    return el(
      'div',
      { className: 'participant', dataset: { role: p.role } },
      el('span', { className: 'role' }, label),
      el('span', { className: 'chip' }, p.entity.name, el('small', {}, ` ${p.entity.kind}${p.entity.isNew ? ', new' : ''}`)),
      el('button', { type: 'button', className: 'clear', ariaLabel: `Remove ${p.entity.name}`, onclick: () => {
        p.entity = null;
        fact.sameAs = '';
        fact.offer = null;
        renderFacts();
      } }, '×'),
    );
  }
  const input = el('input', { className: 'entity-search', placeholder: 'search the graph…', autocomplete: 'off', ariaLabel: `${p.role} of fact ${i + 1}`, role: 'combobox' });
  const list = el('ul', { className: 'suggestions', hidden: true, role: 'listbox' });
  // The keys of a combobox: arrows move through the suggestions, Enter takes one, Escape closes.
  let active = -1;
  const highlight = (k) => {
    active = k;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === k)));
  };
  input.addEventListener('keydown', (ev) => {
    const n = list.hidden ? 0 : list.children.length;
    if (ev.key === 'ArrowDown' && n) highlight((active + 1) % n);
    else if (ev.key === 'ArrowUp' && n) highlight((active - 1 + n) % n);
    else if (ev.key === 'Enter' && active >= 0 && active < n) list.children[active].click();
    else if (ev.key === 'Escape') list.hidden = true;
    else return;
    ev.preventDefault();
  });
  const row = el('div', { className: 'participant', dataset: { role: p.role } }, el('span', { className: 'role' }, label), el('div', { className: 'combo' }, input, list));
  let seq = 0;
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.trim();
      const mine = ++seq;
      if (!text) {
        list.hidden = true;
        return;
      }
      let found = [];
      try {
        ({ search: found } = await gql(SEARCH, { text }));
      } catch (err) {
        list.replaceChildren(el('li', { className: 'error' }, err.message));
        list.hidden = false;
        return;
      }
      if (mine !== seq) return;
      const fresh = newEntities().filter((e) => e.name.toLowerCase().includes(text.toLowerCase()));
      const pick = (e) => {
        p.entity = e;
        renderFacts();
        offerSameFact(fact, i);
      };
      list.replaceChildren(
        ...fresh.map((e) => el('li', { onclick: () => pick(e) }, e.name, el('small', {}, ` ${e.kind}, new`))),
        ...found.map((e) =>
          el('li', { onclick: () => pick({ key: e.key, name: e.name, kind: e.kind, aliases: e.aliases, nodeId: e.id }) }, e.name, el('small', {}, ` ${e.kind}${e.aliases.length ? ` · ${e.aliases.slice(0, 2).join(', ')}` : ''}`)),
        ),
        el('li', { className: 'create', onclick: () => createForm(row, p, text) }, `Create “${text}”…`),
      );
      for (const li of list.children) li.setAttribute('role', 'option');
      highlight(-1);
      list.hidden = false;
    }, 150);
  });
  return row;
}

/** newEntities are the entities the draft creates, for the other facts' pickers. */
function newEntities() {
  const seen = new Map();
  for (const f of draft.facts) for (const p of f.participants) if (p.entity?.isNew) seen.set(p.entity.key, p.entity);
  return [...seen.values()];
}

function createForm(row, p, name) {
  const nameIn = el('input', { className: 'new-name', value: name, ariaLabel: 'Name of the new entity' });
  const kindIn = el('select', { className: 'new-kind', ariaLabel: 'Kind of the new entity' }, ...entityKinds.map((k) => el('option', { value: k }, k)));
  const aliasIn = el('input', { className: 'new-aliases', placeholder: 'aliases, comma-separated', ariaLabel: 'Aliases of the new entity' });
  const form = el(
    'div',
    { className: 'create-form' },
    nameIn,
    kindIn,
    aliasIn,
    el('button', { type: 'button', className: 'create-go', onclick: () => {
      const n = nameIn.value.trim();
      if (!n) return;
      p.entity = { key: slug(n), name: n, kind: kindIn.value, aliases: aliasIn.value.split(',').map((s) => s.trim()).filter(Boolean), isNew: true };
      renderFacts();
    } }, 'Add entity'),
  );
  row.querySelector('.combo').replaceWith(form);
  nameIn.focus();
}

// ---- the same fact from another source ---------------------------------------------------

async function offerSameFact(fact, i) {
  const known = fact.participants.filter((p) => p.entity && !p.entity.isNew);
  if (!fact.kind || known.length < 2 || fact.participants.some((p) => p.entity?.isNew)) return;
  let rels;
  try {
    const { node } = await gql(RELATIONSHIPS, { id: known[0].entity.nodeId, kinds: [fact.kind] });
    rels = (node?.relationships ?? []).filter((r) => !r.sources.some((s) => s.key === draft.article.id));
  } catch {
    return; // the offer is a convenience: without it the fact is saved as a new one
  }
  const same = sameFact(fact, rels);
  if (draft.facts[i] !== fact || !same) return;
  fact.offer = same;
  renderFacts();
}

function sameFactNotice(fact, i) {
  if (fact.sameAs) {
    return el('p', { className: 'same-fact accepted' }, `Recorded as one more source of ${fact.sameAs}. `,
      el('button', { type: 'button', onclick: () => {
        fact.sameAs = '';
        renderFacts();
      } }, 'Make it a new fact'));
  }
  if (!fact.offer) return null;
  const o = fact.offer;
  const from = o.sources.map((s) => `“${s.title}” (${s.date})`).join(', ');
  return el(
    'div',
    { className: 'same-fact' },
    el('p', {}, `The graph already has this fact (${o.key}) from ${from}.`),
    el('button', { type: 'button', className: 'accept-same', onclick: () => {
      fact.sameAs = o.key;
      fact.participants = o.participants.map((p) => ({ role: p.role, entity: { key: p.entity.key, name: p.entity.name, kind: p.entity.kind } }));
      renderFacts();
    } }, 'The same fact, another source'),
  );
}

function attributeRows(fact, i, spec) {
  const box = el('div', { className: 'attributes' });
  fact.attributes.forEach((a) => {
    // A date is written YYYY, YYYY-MM or YYYY-MM-DD (the loader refuses any other form); the
    // other values keep the article's words, unit and qualifier included.
    const isDate = a.key === 'date';
    const placeholder = isDate ? 'YYYY, YYYY-MM or YYYY-MM-DD' : spec.required.includes(a.key) ? 'required, as the text states it' : 'as the text states it';
    const value = el('input', { className: 'attr-value', value: a.value, ariaLabel: `${a.key} of fact ${i + 1}`, placeholder });
    const bad = el('p', { className: 'error' });
    const read = fact.readings?.[a.key];
    const readAs = el('small', { className: 'reading', hidden: !read }, read ? `read as ${read}` : '');
    value.addEventListener('input', () => {
      a.value = value.value;
      readAs.hidden = true; // read again when saved
      if (fact.readings) delete fact.readings[a.key];
      persist();
      bad.textContent = isDate && a.value.trim() && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(a.value.trim()) ? 'Write the date as YYYY, YYYY-MM or YYYY-MM-DD.' : '';
    });
    box.append(el('div', { className: 'attribute', dataset: { key: a.key } }, el('span', { className: 'role' }, a.key), value, readAs), bad);
  });
  const free = spec.attributes.filter((k) => !fact.attributes.some((a) => a.key === k));
  if (free.length) {
    const add = el('select', { className: 'add-attr', ariaLabel: `Add an attribute to fact ${i + 1}` }, el('option', { value: '' }, '+ attribute…'), ...free.map((k) => el('option', { value: k }, k)));
    add.addEventListener('change', () => {
      fact.attributes.push({ key: add.value, value: '' });
      renderFacts();
      document.querySelector(`#facts > li[data-index="${i}"] .attribute:last-of-type input`)?.focus();
    });
    box.append(add);
  }
  return box;
}

// ---- saving ------------------------------------------------------------------------------

$('#save').addEventListener('click', async () => {
  const st = $('#save-status');
  st.className = '';
  if (!draft.article.id) autoId();
  const vars = variables(draft);
  st.textContent = 'Saving…';
  try {
    const { putArticle } = await gql(PUT_ARTICLE, { a: vars.a, e: vars.e, r: vars.r }, token);
    problems = { article: {}, facts: {}, other: [] };
    const read = readings(putArticle.relationships);
    vars.r.forEach((r, k) => {
      const f = draft.facts[vars.facts[k]];
      f.id = r.id;
      f.saved = true;
      f.readings = read.get(r.id) ?? {};
    });
    held = putArticle.article.quoteSpans;
    heldText = draft.article.text;
    const key = putArticle.article.key;
    const first = draft.facts[0]?.participants.find((p) => p.entity)?.entity.name;
    st.replaceChildren(
      `Saved ${putArticle.relationships.length} facts in ${key}. `,
      el('a', { href: `/article?id=${encodeURIComponent(putArticle.article.id)}`, id: 'saved-article' }, 'Read the article'),
      first ? ' · ' : '',
      first ? el('a', { href: `/explore?entity=${encodeURIComponent(first)}`, id: 'saved-explore' }, `${first} in the explorer`) : '',
    );
  } catch (err) {
    if (err instanceof GraphQLError && (err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN')) {
      sessionStorage.removeItem(TOKEN_KEY);
      showUnlock(err.message);
      return;
    }
    problems = err instanceof GraphQLError && err.problems.length ? place(err.problems, vars) : { article: {}, facts: {}, other: [{ field: 'save', message: err.message }] };
    st.textContent = 'Not saved: nothing was written. See the problems beside the fields.';
    st.className = 'error';
  }
  renderFacts();
  renderReader();
});

// ---- start -------------------------------------------------------------------------------

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) unlock(saved).catch((err) => showUnlock(err.message));
else showUnlock();
