import { fileURLToPath } from 'node:url';
import { defineConfig, type HtmlTagDescriptor, type Plugin, type Rollup } from 'vite';

type CodeSplittingGroup = NonNullable<
  Exclude<NonNullable<Rollup.OutputOptions['codeSplitting']>, boolean>['groups']
>[number];

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

/**
 * Three chunk groups instead of Rolldown's automatic common chunks, which gave the worksheet's first
 * load 37 files (most under 1 KB) over HTTP/1.1's six connections per origin:
 *
 * - `app`: what src/app/start.tsx imports statically, less what the entry imports (the entry's own
 *   code stays in its chunk, so that it runs before the app has arrived);
 * - `screens`: what two or more screens (the modules imported on demand) import statically, less
 *   the above: one chunk for the shared pieces (Mantine's inputs, the table, the date field);
 * - each screen's own code stays in its chunk.
 *
 * The sets are the static module graph at the end of the build (Rolldown calls the groups' `test`
 * after it). Each is closed under imports less the sets before it, so the chunks import each other
 * in one direction (screen → screens → app → entry) and keep the modules' execution order. No code
 * is duplicated: Rolldown's `experimentalInlineCommonChunks` also cut the files, but copies small
 * common chunks into each consumer, so two chunks of one page each had their own instance of a
 * module that creates a React context.
 */
function chunkGroups(): { plugin: Plugin; groups: CodeSplittingGroup[] } {
  const boot = new Set<string>();
  const app = new Set<string>();
  const shared = new Set<string>();
  const plugin: Plugin = {
    name: 'tdc-chunk-groups',
    apply: 'build',
    buildEnd() {
      const imports = (id: string) => this.getModuleInfo(id)?.importedIds ?? [];
      const closure = (root: string, outside: Set<string>) => {
        const out = new Set<string>();
        const todo = [root];
        for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
          if (out.has(id) || outside.has(id)) continue;
          out.add(id);
          todo.push(...imports(id));
        }
        return out;
      };
      const ids = [...this.getModuleIds()];
      const find = (suffix: string) => ids.find((id) => id.endsWith(suffix)) ?? '';
      const start = find('/src/app/start.tsx');
      const main = find('/src/main.tsx');
      const entry = closure(main, new Set());
      for (const id of entry) if (id !== main) boot.add(id);
      for (const id of closure(start, entry)) app.add(id);
      const loaded = new Set([...entry, ...app]);
      const lazy = new Set([...loaded].flatMap((id) => this.getModuleInfo(id)?.dynamicallyImportedIds ?? []));
      lazy.delete(start);
      const seen = new Map<string, number>();
      for (const root of lazy) for (const id of closure(root, loaded)) seen.set(id, (seen.get(id) ?? 0) + 1);
      for (const [id, n] of seen) if (n > 1) shared.add(id);
      if (!start || app.size === 0) throw new Error('tdc-chunk-groups: no src/app/start.tsx in the graph');
    },
  };
  const groups: CodeSplittingGroup[] = [
    { name: 'boot', test: (id) => boot.has(id), priority: 3, includeDependenciesRecursively: false },
    { name: 'app', test: (id) => app.has(id), priority: 2, includeDependenciesRecursively: false },
    { name: 'screens', test: (id) => shared.has(id), priority: 1, includeDependenciesRecursively: false },
  ];
  return { plugin, groups };
}

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
