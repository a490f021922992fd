import type { Plugin, Rollup } from 'vite';

type CodeSplittingGroup = NonNullable<
  Exclude<NonNullable<Rollup.OutputOptions['codeSplitting']>, boolean>['groups']
>[number];

/** What one module asks of another: some of its exports by name, or all of it. */
type Wanted = Set<string> | '*';
interface Edge {
  spec: string;
  names: Wanted;
}

/** The import and export-from statements of a module's (transformed, ESM) code, in order. */
export function edgesOf(code: string): Edge[] {
  const edges: Edge[] = [];
  const statement =
    /\b(import|export)\s*(type\s+)?([\w$]+\s*,?\s*)?(\{[^}]*\}|\*(?:\s*as\s+[\w$]+)?)?\s*(?:from\s*)?(["'])([^"'\n]+)\5/g;
  for (const m of code.matchAll(statement)) {
    const [, kind, typeOnly, first, braces, , spec] = m;
    if (typeOnly || (kind === 'export' && !braces)) continue;
    if (!first && !braces)
      edges.push({ spec: spec!, names: '*' }); // import 'x': the module for its effects
    else if (braces?.startsWith('*')) edges.push({ spec: spec!, names: '*' });
    else {
      const names = new Set<string>(first ? ['default'] : []);
      for (const part of (braces ?? '{}').slice(1, -1).split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim();
        if (name && !name.startsWith('type ')) names.add(name);
      }
      edges.push({ spec: spec!, names });
    }
  }
  return edges;
}

/**
 * A re-export module (a package's index: only imports and one export list, or export-from
 * statements): its exported names → the module and name each comes from, and its `export *` sources.
 */
interface Barrel {
  from: Map<string, { spec: string; name: string }>;
  stars: string[];
}
export function barrelOf(code: string): Barrel | null {
  const rest = code
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')
    .replace(/^\s*["']use client["'];?/gm, '')
    .replace(/\b(import|export)\s*(type\s+)?[^;'"]*?(["'])[^"'\n]+\3\s*;?/g, '')
    .replace(/\bexport\s*\{[^}]*\}\s*;?/g, '');
  if (rest.trim() !== '') return null;
  const local = new Map<string, { spec: string; name: string }>();
  const barrel: Barrel = { from: new Map(), stars: [] };
  for (const m of code.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g))
    for (const part of m[1]!.split(',')) {
      const [name, as] = part.trim().split(/\s+as\s+/);
      if (name) local.set((as ?? name).trim(), { spec: m[2]!, name: name.trim() });
    }
  for (const m of code.matchAll(/\bimport\s+([\w$]+)\s+from\s*["']([^"']+)["']/g))
    local.set(m[1]!, { spec: m[2]!, name: 'default' });
  for (const m of code.matchAll(/\bimport\s*\*\s*as\s+([\w$]+)\s+from\s*["']([^"']+)["']/g))
    local.set(m[1]!, { spec: m[2]!, name: '*' });
  for (const m of code.matchAll(/\bexport\s*\{([^}]*)\}\s*(?:from\s*["']([^"']+)["'])?/g))
    for (const part of m[1]!.split(',')) {
      const [name, as] = part.trim().split(/\s+as\s+/);
      if (!name) continue;
      const source = m[2] ? { spec: m[2], name: name.trim() } : local.get(name.trim());
      if (source) barrel.from.set((as ?? name).trim(), source);
    }
  for (const m of code.matchAll(/\bexport\s*\*\s*from\s*["']([^"']+)["']/g)) barrel.stars.push(m[1]!);
  return barrel;
}

export type Resolve = (spec: string, importer: string) => Promise<string | null>;

/** Whether `id` is plausibly what `spec` names (a relative file, or a file of that package). */
function plausible(spec: string, id: string): boolean {
  if (spec.startsWith('.')) return id.includes(spec.replace(/^(\.\.?\/)+/, '').replace(/\.[a-z]+$/, ''));
  const pkg = spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
  return id.includes(`/node_modules/${pkg}/`) || id.includes(spec);
}

/**
 * A module's specifiers → the ids they resolved to: its import statements in order against
 * `importedIds` (the same order), checked one by one; else asked of the resolver.
 */
async function linksOf(id: string, info: Rollup.ModuleInfo, edges: Edge[], resolve: Resolve) {
  const specs = [...new Set(edges.map((e) => e.spec))];
  const ids = info.importedIds;
  const links = new Map<string, string>();
  if (specs.length === ids.length && specs.every((spec, i) => plausible(spec, ids[i]!)))
    specs.forEach((spec, i) => links.set(spec, ids[i]!));
  else
    for (const spec of specs) {
      const target = await resolve(spec, id);
      if (target) links.set(spec, target);
    }
  return links;
}

/**
 * The modules a root needs, following a package's index only to the modules that export the names
 * asked of it (a plain closure reaches every Mantine component through `@mantine/core`'s index).
 * Whatever a module imports that its statements do not show (a CommonJS `require`, a helper a
 * plugin added) is followed whole.
 */
interface Parsed {
  module: Rollup.ModuleInfo | null;
  barrel: Barrel | null;
  edges: Edge[];
  links: Map<string, string>;
}

/** A module's statements, read once for all the closures of a build. */
export function parser(info: (id: string) => Rollup.ModuleInfo | null, resolve: Resolve) {
  const parsed = new Map<string, Promise<Parsed>>();
  const parse = async (id: string): Promise<Parsed> => {
    const module = info(id);
    const code = module?.code ?? '';
    const edges = edgesOf(code);
    const links = module ? await linksOf(id, module, edges, resolve) : new Map<string, string>();
    return { module, barrel: barrelOf(code), edges, links };
  };
  return (id: string): Promise<Parsed> => {
    if (!parsed.has(id)) parsed.set(id, parse(id));
    return parsed.get(id)!;
  };
}

export async function closure(root: string, parsed: (id: string) => Promise<Parsed>): Promise<Set<string>> {
  const out = new Set<string>();
  const asked = new Map<string, Set<string>>(); // a barrel's names already followed ('*': all)
  const todo: [string, Wanted][] = [[root, '*']];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [id, wanted] = next;
    const { module, barrel, edges, links } = await parsed(id);
    const done = asked.get(id) ?? new Set<string>();
    if ((!barrel && out.has(id)) || done.has('*')) continue;
    out.add(id);
    asked.set(id, done);
    if (!module) continue;
    const unknown = barrel && wanted !== '*' && [...wanted].some((n) => !barrel.from.has(n) && !barrel.stars.length);
    if (!barrel || wanted === '*' || unknown) {
      done.add('*'); // the whole module: every import it makes
      for (const e of edges) if (links.has(e.spec)) todo.push([links.get(e.spec)!, e.names]);
      const shown = new Set(links.values());
      for (const other of module.importedIds) if (!shown.has(other)) todo.push([other, '*']);
      continue;
    }
    for (const name of [...wanted].filter((n) => !done.has(n))) {
      done.add(name);
      const source = barrel.from.get(name);
      const targets = source ? [[source.spec, source.name] as const] : barrel.stars.map((s) => [s, name] as const);
      for (const [spec, imported] of targets)
        if (links.has(spec)) todo.push([links.get(spec)!, imported === '*' ? '*' : new Set([imported])]);
    }
  }
  return out;
}

/**
 * Three chunk groups instead of Rolldown's automatic common chunks, which gave the worksheet's first
 * load 37 JS files (most under 1 KB) over HTTP/1.1's six connections per origin:
 *
 * - `boot`: what the entry (src/main.tsx) needs, so that it runs before the app has arrived;
 * - `app`: what src/app/start.tsx needs, less boot;
 * - `screens`: what two or more screens (the modules imported on demand) need, less both: one chunk
 *   for the shared pieces (Mantine's inputs, the table, the date field);
 * - each screen's own code stays in its chunk.
 *
 * "Needs" follows a package's index only to the modules of the names imported from it. The sets
 * are read from the module graph at the end of the build (Rolldown calls the groups' `test` after
 * it); `generateBundle` then checks that the chunks import each other in one direction only
 * (screen → screens → app → boot), so that the modules run in their order, and fails the build
 * otherwise. No code is copied between chunks (as `experimentalInlineCommonChunks` does).
 */
export function chunkGroups(): { plugin: Plugin; groups: CodeSplittingGroup[] } {
  const sets = { boot: new Set<string>(), app: new Set<string>(), screens: new Set<string>() };
  const plugin: Plugin = {
    name: 'tdc-chunk-groups',
    apply: 'build',
    async buildEnd() {
      const ids = [...this.getModuleIds()];
      const find = (suffix: string) => ids.find((id) => id.endsWith(suffix)) ?? '';
      const [main, start] = [find('/src/main.tsx'), find('/src/app/start.tsx')];
      if (!main || !start) throw new Error('tdc-chunk-groups: src/main.tsx or src/app/start.tsx is not in the graph');
      const info = (id: string) => this.getModuleInfo(id);
      const resolved = new Map<string, Promise<string | null>>();
      const resolve: Resolve = (spec, importer) => {
        const key = `${importer}\0${spec}`;
        if (!resolved.has(key))
          resolved.set(
            key,
            this.resolve(spec, importer).then((r) => r?.id ?? null),
          );
        return resolved.get(key)!;
      };
      const parsed = parser(info, resolve);
      for (const id of await closure(main, parsed)) if (id !== main) sets.boot.add(id);
      for (const id of await closure(start, parsed)) if (!sets.boot.has(id)) sets.app.add(id);
      const loaded = new Set([main, ...sets.boot, ...sets.app]);
      const lazy = new Set([...loaded].flatMap((id) => info(id)?.dynamicallyImportedIds ?? []));
      lazy.delete(start);
      const seen = new Map<string, number>();
      for (const root of lazy)
        for (const id of await closure(root, parsed)) if (!loaded.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
      for (const [id, n] of seen) if (n > 1) sets.screens.add(id);
    },
    generateBundle(_options, bundle) {
      checkDirection(Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk'));
    },
  };
  const group = (name: keyof typeof sets, priority: number): CodeSplittingGroup => ({
    name,
    test: (id) => sets[name].has(id),
    priority,
    includeDependenciesRecursively: false,
  });
  return { plugin, groups: [group('boot', 3), group('app', 2), group('screens', 1)] };
}

/** boot imports no chunk of the app's, app none but boot's, screens none but those two's. */
export function checkDirection(chunks: Rollup.OutputChunk[]): void {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const allowed: Record<string, string[]> = { boot: [], app: ['boot'], screens: ['boot', 'app'] };
  for (const c of chunks) {
    const may = allowed[c.name];
    if (!may) continue;
    const wrong = c.imports
      .map((f) => byFile.get(f)!)
      .filter((i) => !may.includes(i.name) && i.name !== 'rolldown-runtime')
      .map((i) => i.fileName);
    if (wrong.length) throw new Error(`tdc-chunk-groups: chunk ${c.fileName} imports ${wrong.join(', ')}`);
  }
}
