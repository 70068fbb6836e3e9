// The article's text and the quotes in it: how the server compares a quote with the text
// (white space collapsed, typographic quotation marks straightened: loader.Fold), where a quote
// sits, the sentence around a point, and the runs of text a set of highlights cuts it into.
// Pure functions over strings; offsets are JavaScript string (UTF-16) indexes unless named
// otherwise.

const QUOTES = { '‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '“': '"', '”': '"', '„': '"', '‟': '"', '″': '"' };
const SPACE = /\s/u;

/**
 * fold returns the text as quotes are compared, and for each of its UTF-16 units the index in
 * text of the unit it came from (one more entry: text.length).
 */
export function fold(text) {
  let out = '';
  const at = [];
  let space = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i);
    const ch = String.fromCodePoint(cp);
    if (SPACE.test(ch)) {
      if (!space) {
        out += ' ';
        at.push(i);
      }
      space = true;
    } else {
      space = false;
      const f = QUOTES[ch] ?? ch;
      for (let k = 0; k < f.length; k++) at.push(i);
      out += f;
    }
    i += ch.length;
  }
  at.push(text.length);
  return { folded: out, at };
}

/** normalise is a quote as compared: folded and trimmed. */
export const normalise = (s) => fold(s).folded.trim();

/**
 * locate returns where quote first occurs in text, compared as the server compares it, as
 * {start, end} string indexes into text, or null.
 */
export function locate(text, quote, prepared = fold(text)) {
  const q = normalise(quote);
  if (!q) return null;
  const i = prepared.folded.indexOf(q);
  if (i < 0) return null;
  const last = prepared.at[i + q.length - 1];
  const cp = text.codePointAt(last);
  return { start: prepared.at[i], end: last + (cp > 0xffff ? 2 : 1) };
}

/** codePointsToIndexes returns a function from a code point offset in text to a string index. */
export function codePointsToIndexes(text) {
  const index = [];
  let i = 0;
  for (const ch of text) {
    index.push(i);
    i += ch.length;
  }
  index.push(i);
  return (cp) => index[Math.max(0, Math.min(cp, index.length - 1))];
}

/**
 * sentenceAt returns the sentence of text around index `at` as {start, end}, without the white
 * space around it: it runs from after the previous sentence end (., ! or ? before white space)
 * or paragraph break to its own end, or to the paragraph's end.
 */
export function sentenceAt(text, at) {
  const isEnd = (i) => /[.!?]/.test(text[i]) && (i + 1 >= text.length || /\s/.test(text[i + 1]));
  const isBreak = (i) => text[i] === '\n' && text[i + 1] === '\n';
  let start = at;
  while (start > 0 && !isEnd(start - 1) && !isBreak(start - 1) && !(text[start - 1] === '\n' && text[start - 2] === '\n')) start--;
  let end = at;
  while (end < text.length && !isEnd(end) && !isBreak(end)) end++;
  if (end < text.length && isEnd(end)) end++;
  return trimRange(text, start, end);
}

/** trimRange narrows [start, end) of text to leave out white space at either end. */
export function trimRange(text, start, end) {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * runs cuts text at the edges of the marks ({start, end, id}, string indexes) and returns the
 * pieces in order, each {text, start, ids}: the ids of every mark covering it (none for plain
 * text). Marks may overlap or nest; empty and out-of-range ones are left out.
 */
export function runs(text, marks) {
  const cuts = new Set([0, text.length]);
  const ok = marks.filter((m) => m.start < m.end && m.start >= 0 && m.end <= text.length);
  for (const m of ok) cuts.add(m.start).add(m.end);
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [s, e] = [points[k], points[k + 1]];
    if (s === e) continue;
    out.push({ text: text.slice(s, e), start: s, ids: ok.filter((m) => m.start <= s && m.end >= e).map((m) => m.id) });
  }
  return out;
}
