// Suggestions: a text input that suggests entities by name or alias as you type (a combobox).
import { gql, SEARCH } from './api.js';
import { lookOfEntity } from './look.js';

// attachSuggestions turns a text input followed by a <ul class="suggestions"> into a combobox
// that suggests entities by name or alias as you type, as of the date asOf() gives; onPick receives
// the chosen name and onError a failed search.
export function attachSuggestions(input, list, onPick, { asOf, onError }) {
  let items = [];
  let active = -1;
  let timer = 0;
  let ctrl = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
    else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    const item = items[i];
    if (!item) return;
    input.value = item.name;
    close();
    onPick(item.name);
  };
  const show = (text, results) => {
    items = results;
    list.replaceChildren(
      ...results.map((e, i) => {
        const li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.id = `${list.id || input.id}-opt-${i}`;
        const alias = matchingAlias(e, text);
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = lookOfEntity(e.kind).color;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = e.name;
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = [alias && `“${alias}”`, e.kind, e.country?.name].filter(Boolean).join(' · ');
        li.append(swatch, name, meta);
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          pick(i);
        });
        return li;
      }),
    );
    if (!results.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = `nothing matches “${text}”`;
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(results.length ? 0 : -1);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) return close();
    timer = setTimeout(async () => {
      ctrl?.abort();
      ctrl = new AbortController();
      try {
        const data = await gql(SEARCH, { text, asOf: asOf() || null }, { signal: ctrl.signal });
        if (input.value.trim() === text) show(text, data.search);
      } catch (err) {
        if (err.name !== 'AbortError') onError(err);
      }
    }, 120);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && !list.hidden) {
      highlight(Math.min(active + 1, items.length - 1));
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && !list.hidden) {
      highlight(Math.max(active - 1, 0));
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!list.hidden && active >= 0) pick(active);
      else if (input.value.trim()) {
        close();
        onPick(input.value.trim());
      }
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', close);
}

function matchingAlias(entity, text) {
  const t = text.toLowerCase();
  if (entity.name.toLowerCase().includes(t)) return '';
  return entity.aliases.find((a) => a.toLowerCase().includes(t)) ?? '';
}
