// The playground at /: GraphiQL bundled from npm (editor workers and fonts included), so it works
// on a machine without internet access. Saved example queries open as the first tabs and stay
// one click away in the "Saved queries" sidebar pane.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { useGraphiQL } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { examples } from './examples.js';

const fetcher = createGraphiQLFetcher({ url: new URL('/query', window.location.href).href });

// SavedQueries loads an example into the active tab's editors.
function SavedQueries() {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
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
              onClick: () => {
                queryEditor?.setValue(ex.query);
                variableEditor?.setValue(ex.variables);
              },
            },
            ex.title,
          ),
        ),
      ),
    ),
    h('p', { style: { opacity: 0.7 } }, 'Pick one, then run it with the ▶ button or Ctrl-Enter.'),
  );
}

function SavedIcon() {
  return h(
    'svg',
    { viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
    h('path', { d: 'M6 3h12v18l-6-4-6 4z' }),
  );
}

const savedPlugin = { title: 'Saved queries', icon: SavedIcon, content: SavedQueries };

createRoot(document.getElementById('graphiql')).render(
  h(
    GraphiQL,
    {
      fetcher,
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
