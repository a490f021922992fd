import { fileURLToPath } from 'node:url';
import { defineConfig, type HtmlTagDescriptor, type Plugin, type Rollup } from 'vite';
import { chunkGroups } from './chunk-groups.ts';

/**
 * The entry (src/main.tsx) is small and imports the app (src/app/start.tsx) on demand, so that it can
 * start the address's screen and reads first. This lists the app's chunks in index.html too, so that
 * the browser fetches them with the entry, not one round trip after it. Not its stylesheets: a
 * stylesheet in the page holds back the entry's execution until it is loaded; the import of the app
 * loads them (Vite's preload helper) and renders nothing before they are there.
 */
function preloadApp(): Plugin {
  return {
    name: 'tdc-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk }) {
        if (!bundle || !chunk) return;
        const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
        const start = chunks.find((c) => c.moduleIds.some((m) => m.endsWith('/src/app/start.tsx')));
        if (!start) throw new Error('preloadApp: no chunk for src/app/start.tsx');
        const js = new Set<string>();
        const visit = (c: Rollup.OutputChunk) => {
          if (js.has(c.fileName) || c.fileName === chunk.fileName) return;
          js.add(c.fileName);
          for (const f of c.imports) visit(bundle[f] as Rollup.OutputChunk);
        };
        visit(start);
        for (const f of chunk.imports) js.delete(f); // Vite lists the entry's own imports already
        return [...js].map((f): HtmlTagDescriptor => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` },
          injectTo: 'head',
        }));
      },
    },
  };
}

// boot, app, screens: the worksheet's first load in 6 JS files (./chunk-groups.ts).
const chunks = chunkGroups();

// The staff web app: built into dist/web, which the API serves at '/' (apps/api/src/web.ts).
// No React plugin: Vite 8 (Rolldown + Oxc) compiles JSX itself; the plugin adds only fast refresh.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [preloadApp(), chunks.plugin],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: { codeSplitting: { groups: chunks.groups } },
    },
  },
});
