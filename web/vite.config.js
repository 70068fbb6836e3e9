// Four pages: the GraphiQL playground (index.html, served at /), the explorer
// (explore/index.html, at /explore), the curation page (curate/index.html, at /curate) and the
// article page (article/index.html, at /article). The build goes to dist/app so that the committed
// dist/README.md survives Vite emptying its output folder; go:embed needs dist to exist even
// before anything is built.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: resolve(root, 'dist/app'),
    emptyOutDir: true,
    // Monaco (GraphiQL's editor) alone is several MB; it is served from the binary, not a CDN.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: {
        playground: resolve(root, 'index.html'),
        explore: resolve(root, 'explore/index.html'),
        curate: resolve(root, 'curate/index.html'),
        article: resolve(root, 'article/index.html'),
      },
      // GraphiQL's dependencies mark modules "use client" for React server frameworks; in a
      // browser bundle the directive means nothing, so the warning for each one is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run dev` next to `go run . --addr :8080`: the pages' API calls go to the Go server.
    proxy: { '/query': 'http://localhost:8080' },
  },
});
