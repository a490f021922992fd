#!/usr/bin/env node
// Module boundaries of the monorepo (plain Node, no dependencies). Run: node scripts/check-imports.mjs [root]
//
// - Another library is imported only through its public index: `#libs/<name>`, never a deep path
//   (`../../<lib>/src/…`, `libs/<lib>/src/…`, `#libs/<lib>/…`).
// - Inside a library, its own files are imported relatively, not through `#libs/<itself>`.
// - Libraries do not import applications.
// - An application, or a test, imports another application only through its entry modules:
//   apps/api/src/api.ts (createApi) and apps/worker/src/worker.ts (createWorker); and the web app's
//   route table apps/web/src/app/routes.ts (the browser test checks it against the API's paths).
// - A library imports another library only along an edge of scripts/library-graph.json, the table of
//   allowed edges (one line per library: what it may import). The table must name every folder of
//   libs/, and only those, and have no cycle. A new edge is a decision: add it to the table.
// - A library's README, when it has one, states the table's line for it ("May import: …").
// Scans apps/, libs/ and test/; exits 1 with one line per violation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED = ['apps', 'libs', 'test'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data']);
/** Application modules other code may import (without extension). */
const APP_ENTRIES = new Set(['apps/api/src/api', 'apps/worker/src/worker', 'apps/web/src/app/routes']);
/** The allowed library edges, relative to ROOT. */
const TABLE = 'scripts/library-graph.json';

/** Import specifiers with their line numbers: static imports/exports, import(), jest.unstable_mockModule(), require(). */
const PATTERNS = [
  /^[ \t]*(?:import|export)\s+[\w\s{},*$]*?\bfrom\s*['"]([^'"\n]+)['"]/gm,
  /^[ \t]*import\s*['"]([^'"\n]+)['"]/gm,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /\bjest\.unstable_mockModule\(\s*['"]([^'"\n]+)['"]/g,
  /\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name)) yield path;
  }
}

function specifiers(text) {
  const found = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ spec: match[1], line });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Which part of the repository a path (relative to ROOT, '/'-separated) belongs to. */
function ownerOf(path) {
  const [top, name] = path.split('/');
  if (top === 'libs' && name) return { kind: 'lib', name };
  if (top === 'apps' && name) return { kind: 'app', name };
  return { kind: top };
}

const withoutExtension = (path) => path.replace(SOURCE, '');
const toPosix = (path) => path.split(sep).join('/');

/** The library an import specifier lands in, however it is written (index, deep path or relative path). */
function targetLib(file, spec) {
  const hash = /^#libs\/([^/]+)/.exec(spec);
  if (hash) return hash[1];
  if (!spec.startsWith('.') && !spec.startsWith('/')) return /(?:^|\/)libs\/([^/]+)\/src\//.exec(spec)?.[1];
  const to = ownerOf(toPosix(relative(ROOT, resolve(ROOT, dirname(file), spec))));
  return to.kind === 'lib' ? to.name : undefined;
}

/** The table as a map, with what is wrong with it: unreadable, unknown or missing libraries, self-edges, a cycle. */
function readTable(libFolders) {
  const problems = [];
  let raw;
  try {
    raw = JSON.parse(readFileSync(join(ROOT, TABLE), 'utf8'));
  } catch (error) {
    return { allowed: new Map(), problems: [`${TABLE}: cannot read the table of library edges (${error.message})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { allowed: new Map(), problems: [`${TABLE}: must be an object, one key per library`] };
  }
  const allowed = new Map();
  for (const [lib, deps] of Object.entries(raw)) {
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
      problems.push(`${TABLE}: "${lib}" must list library names`);
      continue;
    }
    allowed.set(lib, new Set(deps));
    if (!libFolders.has(lib)) problems.push(`${TABLE}: "${lib}" has no folder libs/${lib}`);
    for (const dep of deps) {
      if (dep === lib) problems.push(`${TABLE}: "${lib}" lists itself`);
      else if (!Object.hasOwn(raw, dep))
        problems.push(`${TABLE}: "${lib}" may import "${dep}", which has no line in the table`);
    }
  }
  for (const lib of libFolders) {
    if (!allowed.has(lib)) problems.push(`${TABLE}: libs/${lib} has no line: add "${lib}": [what it may import]`);
  }
  const cycle = findCycle(allowed);
  if (cycle) problems.push(`${TABLE}: the edges make a cycle ${cycle.join(' → ')}: libraries depend one way`);
  return { allowed, problems };
}

/** One cycle of the graph as a path that returns to its start, or undefined (depth-first, three colours). */
function findCycle(graph) {
  const state = new Map(); // absent: unvisited, 1: on the path, 2: done
  const path = [];
  const visit = (node) => {
    state.set(node, 1);
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!graph.has(next) || next === node) continue; // reported on their own
      if (state.get(next) === 1) return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** The line a library's README states, from the table. */
const readmeLine = (deps) =>
  `May import: ${
    deps.size === 0
      ? 'no other library'
      : [...deps]
          .sort()
          .map((d) => `\`#libs/${d}\``)
          .join(', ')
  } (${TABLE}, enforced by \`npm run check\`).`;

function check(file, spec) {
  const from = ownerOf(file);
  const hash = /^#libs\/([^/]+)(\/.*)?$/.exec(spec);
  if (hash) {
    if (hash[2]) return `deep import of lib "${hash[1]}": import '#libs/${hash[1]}' instead`;
    if (from.kind === 'lib' && from.name === hash[1])
      return `lib "${from.name}" imports itself through '#libs/${from.name}': use a relative import`;
    return undefined;
  }
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    // A package. A path into the repository's libs through some other name is still a deep import.
    const deep = /(?:^|\/)libs\/([^/]+)\/src\//.exec(spec);
    return deep ? `deep import of lib "${deep[1]}": import '#libs/${deep[1]}' instead` : undefined;
  }
  const target = toPosix(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  const to = ownerOf(target);
  if (to.kind === 'lib' && !(from.kind === 'lib' && from.name === to.name)) {
    return `reaches into lib "${to.name}" (${target}): import '#libs/${to.name}' instead`;
  }
  if (to.kind === 'app' && !(from.kind === 'app' && from.name === to.name)) {
    if (from.kind === 'lib') return `lib "${from.name}" imports application code (${target})`;
    if (!APP_ENTRIES.has(withoutExtension(target))) {
      return `reaches into app "${to.name}" (${target}): only ${[...APP_ENTRIES].map((e) => `${e}.ts`).join(' and ')} may be imported from outside`;
    }
  }
  return undefined;
}

/** An import from one library into another along an edge the table does not have. */
function edgeProblem(file, spec, allowed) {
  const from = ownerOf(file);
  const to = targetLib(file, spec);
  if (from.kind !== 'lib' || !to || to === from.name || !allowed.has(from.name)) return undefined;
  const deps = allowed.get(from.name);
  if (deps.has(to)) return undefined;
  const may = deps.size === 0 ? 'no other library' : [...deps].sort().join(', ');
  return `adds the edge ${from.name} → ${to}, which is not in ${TABLE} (${from.name} may import: ${may})`;
}

let libFolders = new Set();
try {
  libFolders = new Set(readdirSync(join(ROOT, 'libs')).filter((n) => statSync(join(ROOT, 'libs', n)).isDirectory()));
} catch {
  // no libs/ at all: nothing to check against the table but the table itself
}
const { allowed, problems: violations } = readTable(libFolders);
const used = new Set();
let files = 0;
for (const top of SCANNED) {
  for (const path of sourceFiles(join(ROOT, top))) {
    files++;
    const file = toPosix(relative(ROOT, path));
    for (const { spec, line } of specifiers(readFileSync(path, 'utf8'))) {
      const problem = check(file, spec) ?? edgeProblem(file, spec, allowed);
      if (problem) violations.push(`${file}:${line}: '${spec}' ${problem}`);
      const from = ownerOf(file);
      const to = targetLib(file, spec);
      if (from.kind === 'lib' && to && to !== from.name) used.add(`${from.name} → ${to}`);
    }
  }
}
for (const [lib, deps] of allowed) {
  const readme = join(ROOT, 'libs', lib, 'README.md');
  if (!existsSync(readme)) continue;
  const lines = readFileSync(readme, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('May import:'));
  const expected = readmeLine(deps);
  if (at === -1) violations.push(`libs/${lib}/README.md: add the line ${expected}`);
  else if (lines[at] !== expected) violations.push(`libs/${lib}/README.md:${at + 1}: the table says ${expected}`);
}

if (violations.length > 0) {
  console.error(`check-imports: ${violations.length} violation${violations.length === 1 ? '' : 's'}:`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
const unused = [...allowed].flatMap(([lib, deps]) => [...deps].map((d) => `${lib} → ${d}`)).filter((e) => !used.has(e));
console.log(
  `check-imports: ${files} files, module boundaries and the ${used.size} library edges of ${TABLE} respected` +
    (unused.length
      ? `; edges in the table no import uses (remove them if they are gone for good): ${unused.join(', ')}`
      : ''),
);
