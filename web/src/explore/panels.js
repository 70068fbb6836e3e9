// Panels: the status line, the facts of the selected entity, the path found, and the filters
// that double as the legend. They render what they are given and report the reader's choices
// through the callbacks they are given; they fetch nothing.
import { lookOfEntity, lookOfRelation } from './look.js';
import { sentence } from './sentence.js';
import { GraphQLError } from './api.js';

const $ = (sel) => document.querySelector(sel);

/** el makes an element with properties, data attributes and children (nulls left out). */
export function el(tag, { dataset, ...props } = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  Object.assign(e.dataset, dataset);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

/**
 * describeError is the one line shown for a failed request: the API's own message (which names
 * what to fix, such as an unknown entity) or why the server could not be reached.
 */
export function describeError(err) {
  return err instanceof GraphQLError ? err.message : `request failed: ${err.message}`;
}

/** status writes the line under the graph; `alone` when nothing is drawn makes it the page's main content. */
export function status(text, { error = false, alone = false } = {}) {
  const line = $('#status');
  line.textContent = text;
  line.classList.toggle('error', error);
  line.classList.toggle('alone', alone);
}

function evidenceList(evidence) {
  return el(
    'ul',
    { className: 'evidence' },
    ...evidence.map((ev) =>
      el(
        'li',
        {},
        el('blockquote', {}, ev.quote),
        el(
          'cite',
          {},
          // Only web addresses become links: a javascript: URL in the data must not run.
          /^https?:\/\//i.test(ev.article.url ?? '') ? el('a', { href: ev.article.url, target: '_blank', rel: 'noopener' }, ev.article.title) : ev.article.title,
          ` · ${ev.article.date}`,
          // The article page marks the quote in the article's text, when the text is stored.
          ev.article.id && ev.article.hasText ? ' · ' : null,
          ev.article.id && ev.article.hasText ? el('a', { className: 'in-text', href: `/article?id=${encodeURIComponent(ev.article.id)}&quote=${encodeURIComponent(ev.quote)}` }, 'in the article') : null,
        ),
      ),
    ),
  );
}

/** detailsMessage replaces the facts panel with one line. */
export function detailsMessage(text, error = false) {
  $('#details').replaceChildren(el('p', { className: error ? 'error' : 'empty' }, text));
}

/**
 * showEntity fills the facts panel with an entity (API `Entity`): its facts, buttons to expand
 * it, re-centre on it and find a path to it, and its relationships as sentences with their
 * evidence. `is` says what it is in the view ({ centre, expanded, drawn }); `on` holds the
 * buttons' actions: expand(), recentre(name), pathTo(name).
 */
export function showEntity(entity, is, on) {
  const facts = el('dl', { className: 'facts' });
  const fact = (k, v) => v && facts.append(el('dt', {}, k), el('dd', {}, v));
  fact('kind', entity.kind);
  fact('also called', entity.aliases.join(', '));
  fact('formerly', entity.formerNames.join(', '));
  fact('country', entity.country?.name);
  fact('city', entity.city?.name);
  const rels = entity.relationships;
  const button = (text, onclick, props = {}) => el('button', { type: 'button', onclick, ...props }, text);
  $('#details').replaceChildren(
    ...[
      el('h2', {}, el('span', { className: 'swatch', style: `background:${lookOfEntity(entity.kind).color}` }), entity.name),
      entity.description ? el('p', { className: 'description' }, entity.description) : null,
      facts,
      el(
        'div',
        { className: 'row' },
        is.drawn && !is.centre ? button(is.expanded ? 'Expanded' : 'Expand', on.expand, { id: 'expand', disabled: is.expanded, title: 'Draw its neighbours too (or double-click it)' }) : null,
        is.centre ? null : button('Centre here', () => on.recentre(entity.name), { id: 'recentre' }),
        button('Path to here', () => on.pathTo(entity.name)),
      ),
      el('h3', {}, `Facts (${rels.length})`),
      el(
        'ul',
        { className: 'relationships' },
        ...rels.map((r) =>
          el(
            'li',
            { className: 'relationship', dataset: { id: r.id } },
            el('span', { className: 'rel-kind', style: `border-color:${lookOfRelation(r.relation).color}` }, r.relation),
            ' ',
            el(
              'span',
              { className: 'sentence' },
              ...sentence(r, entity.id).map((part) =>
                typeof part === 'string'
                  ? part
                  : part.self
                    ? el('strong', {}, part.entity.name)
                    : el('a', { href: '#', onclick: (e) => (e.preventDefault(), on.recentre(part.entity.name)) }, part.entity.name),
              ),
            ),
            r.attributes.length ? el('div', { className: 'attrs' }, r.attributes.map((a) => `${a.key}: ${a.value}`).join(' · ')) : null,
            evidenceList(r.evidence),
          ),
        ),
      ),
    ].filter(Boolean),
  );
}

/** flashRelationship scrolls a relationship of the panel into view; false when the panel lacks it. */
export function flashRelationship(id) {
  const item = document.querySelector(`#details li.relationship[data-id="${CSS.escape(id)}"]`);
  if (!item) return false;
  item.scrollIntoView({ block: 'nearest' });
  item.classList.add('flash');
  setTimeout(() => item.classList.remove('flash'), 1200);
  return true;
}

/** pathMessage replaces the path result with one line. */
export function pathMessage(text, error = false) {
  $('#path-result').replaceChildren(...(text ? [el('p', { className: error ? 'error' : '' }, text)] : []));
}

/** showPath writes a path's hops (API `Path`) with their evidence and brings them into view. */
export function showPath(path) {
  const out = $('#path-result');
  out.replaceChildren(
    el('p', {}, `${path.length} hop${path.length === 1 ? '' : 's'}:`),
    el(
      'ol',
      { className: 'hops' },
      ...path.hops.map((h) => el('li', {}, el('strong', {}, h.from.name), ` —${h.kind}→ `, el('strong', {}, h.to.name), evidenceList(h.evidence))),
    ),
  );
  // The result sits below the facts: bring it into view, opening the facts sheet on a phone.
  setDrawer('facts-open', true);
  out.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

/** setDrawer opens or closes a drawer on a phone (style.css); on wider screens it changes nothing. */
export function setDrawer(cls, open) {
  document.body.classList.toggle(cls, open);
  $(cls === 'filters-open' ? '#filters-toggle' : '#facts-toggle').setAttribute('aria-expanded', String(open));
}

/**
 * showFilters rebuilds the filters, which double as the legend: a box for each relationship and
 * entity kind drawn or hidden (those `drawn` holds, and those `view` hides), and the countries
 * of the graph (`countries`). `onChange` runs after a change to `view`'s filters.
 */
export function showFilters(view, drawn, countries, onChange) {
  const rels = [...new Set([...drawn.relationKinds, ...view.hideRel])].sort();
  const kinds = [...new Set([...drawn.entityKinds, ...view.hideKind])].sort();
  const toggle = (set, k) => (on) => {
    on ? set.delete(k) : set.add(k);
    onChange();
  };
  $('#rel-filter').replaceChildren(...rels.map((k) => checkItem(k, !view.hideRel.has(k), lineSwatch(k), toggle(view.hideRel, k))));
  $('#kind-filter').replaceChildren(...kinds.map((k) => checkItem(k, !view.hideKind.has(k), shapeSwatch(k), toggle(view.hideKind, k))));
  const sel = $('#country-filter');
  const names = [...new Set([...countries, ...(view.country ? [view.country] : [])])].sort((a, b) => a.localeCompare(b));
  sel.replaceChildren(new Option('any country', ''), ...names.map((c) => new Option(c, c)));
  sel.value = view.country;
  sel.onchange = () => {
    view.country = sel.value;
    onChange();
  };
}

function checkItem(label, checked, swatch, onChange) {
  const box = el('input', { type: 'checkbox', checked, value: label });
  box.addEventListener('change', () => onChange(box.checked));
  return el('li', {}, el('label', {}, box, swatch, el('span', {}, label)));
}

function lineSwatch(kind) {
  const l = lookOfRelation(kind);
  const s = el('span', { className: 'line' });
  s.style.borderTop = `${Math.max(2, l.width)}px ${l.style} ${l.color}`;
  return s;
}

function shapeSwatch(kind) {
  const l = lookOfEntity(kind);
  const s = el('span', { className: `shape shape-${l.shape}`, title: l.shape });
  s.style.background = l.color;
  return s;
}
