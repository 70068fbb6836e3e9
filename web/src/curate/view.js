// Drawing shared by the curation and article pages: elements, and an article's text with its
// quotes marked.
import { runs } from './text.js';

/** el makes an element with properties, data attributes and children (nulls left out). */
export function el(tag, { dataset, ...props } = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  Object.assign(e.dataset, dataset);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false && c !== ''));
  return e;
}

/**
 * renderText fills box with text, each run covered by marks ({start, end, id}, string indexes)
 * drawn as a <mark> with the properties decorate(ids) gives it. The box's text stays exactly the
 * article's, so selections in it map back to offsets in the text.
 */
export function renderText(box, text, marks, decorate) {
  box.replaceChildren(
    ...runs(text, marks).map((r) => {
      if (!r.ids.length) return document.createTextNode(r.text);
      return el('mark', decorate(r.ids), r.text);
    }),
  );
}
