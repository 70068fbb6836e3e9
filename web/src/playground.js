// The playground at /: GraphiQL bundled from npm (editor workers and fonts included), so it works
// on a machine without internet access. Saved example queries open as the first tabs and stay
// one click away in the "Saved queries" sidebar pane.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { useGraphiQL } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { examples } from './examples.js';

const fetcher = createGraphiQLFetcher({ url: new URL('/query', window.location.href).href });

// GraphiQL keeps its tabs in localStorage under this key; a fresh profile has none.
const TABS_KEY = 'graphiql:tabState';

// firstVisit reports whether this browser has no GraphiQL tabs saved yet.
function firstVisit() {
  try {
    return localStorage.getItem(TABS_KEY) === null;
  } catch {
    return true;
  }
}

// SavedQueries loads an example into the active tab's editors and runs it.
function SavedQueries() {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const run = useGraphiQL((s) => s.actions.run);
  const operationName = useGraphiQL((s) => s.operationName);
  // GraphiQL reads the operation's name from the editor a moment after a change; running before
  // that would send the new query under the old name, so the run waits for the name to arrive.
  const [pending, setPending] = useState(null);
  useEffect(() => {
    if (pending && operationName === pending) {
      setPending(null);
      run();
    }
  }, [pending, operationName, run]);
  // The editors load after the page: a click that comes first is kept until they are there.
  const [chosen, setChosen] = useState(null);
  useEffect(() => {
    if (chosen && queryEditor && variableEditor) {
      queryEditor.setValue(chosen.query);
      variableEditor.setValue(chosen.variables);
      setPending(operationOf(chosen.query));
      setChosen(null);
    }
  }, [chosen, queryEditor, variableEditor]);
  return h(
    'div',
    { className: 'saved-queries' },
    h('div', { className: 'graphiql-doc-explorer-title' }, 'Saved queries'),
    h(
      'ul',
      { style: { listStyle: 'none', padding: 0 } },
      examples.map((ex) =>
        h(
          'li',
          { key: ex.title, style: { margin: '0.5em 0' } },
          h(
            'button',
            {
              type: 'button',
              className: 'graphiql-button saved-query',
              onClick: () => setChosen(ex),
            },
            ex.title,
          ),
        ),
      ),
    ),
    h('p', { style: { opacity: 0.7 } }, 'A click loads one into the open tab and runs it; run it again with the ▶ button or Ctrl-Enter.'),
  );
}

// operationOf is the name of a saved query's one operation.
const operationOf = (query) => /\b(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? null;

function SavedIcon() {
  return h(
    'svg',
    { viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
    h('path', { d: 'M6 3h12v18l-6-4-6 4z' }),
  );
}

const savedPlugin = { title: 'Saved queries', icon: SavedIcon, content: SavedQueries };

// GraphiQL fills the editors of the first tab from its initial* props, not from defaultTabs, so a
// fresh profile would open the first saved query with an empty Variables pane. Later visits keep
// the tabs GraphiQL saved.
const first = firstVisit() ? { initialQuery: examples[0].query, initialVariables: examples[0].variables } : {};

createRoot(document.getElementById('graphiql')).render(
  h(
    GraphiQL,
    {
      fetcher,
      ...first,
      plugins: [savedPlugin, HISTORY_PLUGIN],
      visiblePlugin: savedPlugin,
      defaultTabs: examples.map(({ query, variables }) => ({ query, variables })),
      defaultEditorToolsVisibility: true,
    },
    h(
      GraphiQL.Logo,
      null,
      h('a', { href: '/explore', className: 'explorer-link', title: 'Draw the graph in the web explorer' }, 'telegraph · explorer →'),
    ),
  ),
);
