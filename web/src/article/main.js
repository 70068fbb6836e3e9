// The article page (/article?id=<global ID>, or ?key=<article id>): an article's text with the
// quotes of every fact it states marked, the quote named by &quote= brought into view, and the
// facts listed under it. Reads only: it needs no token.
import '../curate/style.css';
import { gql, ARTICLE, articleNodeId } from '../curate/api.js';
import { codePointsToIndexes, locate } from '../curate/text.js';
import { el, renderText } from '../curate/view.js';

const params = new URLSearchParams(location.search);
const id = params.get('id') || (params.get('key') ? articleNodeId(params.get('key')) : '');
const focus = params.get('quote') ?? '';
const box = document.querySelector('#article');

const names = (r) => r.participants.map((p) => p.entity.name).join(', ');

async function show() {
  if (!id) {
    box.replaceChildren(el('p', { className: 'error' }, 'Name an article: /article?key=<article id>.'));
    return;
  }
  let node;
  try {
    ({ node } = await gql(ARTICLE, { id }));
  } catch (err) {
    box.replaceChildren(el('p', { className: 'error' }, err.message));
    return;
  }
  if (!node?.key) {
    box.replaceChildren(el('p', { className: 'error' }, 'There is no such article.'));
    return;
  }
  document.title = `telegraph · ${node.title}`;
  const rels = node.relationships.nodes;
  const parts = [
    el('h2', {}, node.title),
    el('p', { className: 'hint' }, `${node.date} · ${node.key} · ${rels.length} facts`,
      /^https?:\/\//i.test(node.url ?? '') ? el('span', {}, ' · ', el('a', { href: node.url, rel: 'noopener' }, 'source')) : null),
  ];
  const text = el('div', { className: 'reader', id: 'article-text' });
  if (node.text) {
    const idx = codePointsToIndexes(node.text);
    const spans = node.quoteSpans.map((s, i) => ({ start: idx(s.start), end: idx(s.end), id: String(i) }));
    const focused = focus && locate(node.text, focus);
    renderText(text, node.text, spans, (ids) => {
      const ss = ids.map((i) => node.quoteSpans[Number(i)]);
      const on = focused && ss.some((s, k) => spans[Number(ids[k])].start <= focused.start && spans[Number(ids[k])].end >= focused.end);
      return {
        className: `held${on ? ' focus' : ''}`,
        title: ss.flatMap((s) => [...s.relationships.map((r) => r.key), ...s.entities.map((e) => e.name)]).join('\n'),
        dataset: { keys: ss.flatMap((s) => s.relationships.map((r) => r.key)).join(' ') },
      };
    });
    parts.push(text);
  } else {
    parts.push(el('p', { className: 'empty', id: 'no-text' }, 'This article was stored without its text; its facts and their quotes follow.'));
  }
  parts.push(
    el('h2', {}, 'Facts'),
    el('ol', { className: 'facts-of' }, ...rels.map((r) => el('li', { dataset: { key: r.key } }, el('strong', {}, r.relationKind), ` ${names(r)}`,
      ...r.evidence.filter((e) => e.article.key === node.key).map((e) => el('blockquote', {}, e.quote))))),
  );
  box.replaceChildren(...parts);
  text.querySelector('mark.focus')?.scrollIntoView({ block: 'center' });
}

show();
